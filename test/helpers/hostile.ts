/**
 * Shared setup of the hostile-input tests (issue 13): a scratch folder whose
 * `home` is the state folder, one-line UserError matching, and the devices,
 * FIFOs and tmpfs mounts the tests point commands at. Importing this sets
 * $AIO_RING_BENCH_HOME, so import it before the modules under test.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO } from "../helpers.js";

export const dir = mkdtempSync(join(tmpdir(), "aio-hostile-"));
export const home = join(dir, "home");
process.env.AIO_RING_BENCH_HOME = home;

const { UserError } = await import("../../src/contract/errors.js");
const { syntheticRun } = await import("./synthetic.js");
type Suite = import("../../src/contract/suite.js").Suite;

export const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
export const PROBE = fileURLToPath(new URL("build/probe", REPO));
export const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync("umount", ["-l", m]);
});

/** An assert.throws/rejects check: a one-line UserError matching `re`. */
export const userError = (re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
  assert.doesNotMatch(e.message, /\n/, "one line");
  assert.match(e.message, re);
  return true;
};

/** A tmpfs of `size` mounted at a fresh folder, or the reason it cannot be. */
export function tmpfs(name: string, options: string): string | { skip: string } {
  if (!isRoot) return { skip: "needs root to mount a tmpfs" };
  const at = join(dir, name);
  mkdirSync(at);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at], { encoding: "utf8" });
  if (r.status !== 0) return { skip: `mount -t tmpfs not permitted here: ${(r.stderr || r.error?.message || "").trim()}` };
  mounts.push(at);
  return at;
}

/** mknod a copy of a character device, or the reason it cannot be. */
export function mknod(name: string, major: number, minor: number): string | { skip: string } {
  if (!isRoot) return { skip: "mknod needs root" };
  const at = join(dir, name);
  const r = spawnSync("mknod", [at, "c", String(major), String(minor)], { encoding: "utf8" });
  return r.status === 0 ? at : { skip: `mknod not permitted here: ${r.stderr.trim()}` };
}

export function fifo(name: string): string {
  const at = join(dir, name);
  execFileSync("mkfifo", [at]);
  return at;
}

/** A one-result run of 32 samples around `level`. */
export const run = (id = "s/a", level = 100) => syntheticRun([{ id, samples: Array.from({ length: 32 }, (_, i) => level + (i % 5)) }]);

/** A suite of one cheap timed case: bench end to end in a fraction of a second. */
export const tinySuite: Suite = {
  name: "tiny",
  description: "one cheap timed case",
  async cases() {
    return [{ kind: "timed", case: "noop", backend: "host", params: {}, run: (n: number) => void n }];
  },
};
