// fuzz on a terminal: --against kernel's progress line moves with every
// program answered and shows the time left once two seconds give a rate;
// under CI=true it is silent. Ctrl-C ends either kind with the report of
// what ran. Skips where the kernel backend or a pseudo-terminal is missing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { kernelAvailability } from "../src/kernel/probe.js";
import { REPO } from "./helpers.js";
import { ptyUnavailable, runInPty } from "./helpers/pty.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));

test("fuzz --against kernel: progress per program with the time left on a terminal, nothing under CI", (t) => {
  const avail = kernelAvailability();
  if (!avail.available) return t.skip(`kernel backend unavailable: ${avail.reason}`);
  const why = ptyUnavailable();
  if (why) return t.skip(why);
  const dir = mkdtempSync(join(tmpdir(), "aio-fuzz-progress-"));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, AIO_RING_BENCH_HOME: join(dir, "home") };
    delete env.CI;
    const fuzz = (scenarios: number) => [process.execPath, CLI, "fuzz", "--against", "kernel", "--scenarios", String(scenarios), "--out", join(dir, "out")];
    const eta = /fuzz --against kernel: +\d+%, (\d+ s|\d+ min \d\d s|\d+ h \d\d min) left \d+\/1000000 programs/;
    const r = runInPty(fuzz(1_000_000), { waitFor: eta, presses: 1, limitSeconds: 90, env });
    assert.equal(r.code, 130, r.output);
    // Ctrl-C ends the run with the report of the programs made, soon (at most two programs per lane were waiting).
    assert.match(r.output, /seed 1: \d+ scenarios, \d+ steps on .*; interrupted: the rest of the run was not made/);
    assert.match(r.output, /op x outcome on the kernel/);
    assert.ok(r.afterCtrlC !== null && r.afterCtrlC < 20, `${r.afterCtrlC} s after Ctrl-C`);
    // Before the estimate, the count moves program by program, not once per slice of 500.
    const counts = new Set([...r.output.matchAll(/ (\d+)\/1000000 programs/g)].map((m) => Number(m[1])));
    assert.ok(
      [...counts].some((n) => n > 0 && n % 500 !== 0),
      `counts seen: ${[...counts].slice(0, 20).join(", ")}`,
    );
    const quiet = runInPty(fuzz(40), { waitFor: /^$/, presses: 0, limitSeconds: 90, env: { ...env, CI: "true" } });
    assert.ok(quiet.code === 0 || quiet.code === 1, quiet.output);
    assert.doesNotMatch(quiet.output, /fuzz --against kernel: +\d+%/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fuzz (model against WASM) on a terminal: Ctrl-C ends it with the report of the operations run, exit 130", (t) => {
  const why = ptyUnavailable();
  if (why) return t.skip(why);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CI;
  const r = runInPty([process.execPath, CLI, "fuzz", "--ops", "100000000", "--seed", "5"], { waitFor: /fuzz: +\d+%/, presses: 1, limitSeconds: 90, env });
  assert.equal(r.code, 130, r.output);
  assert.match(r.output, /fuzz: seed 5: \d+ ops in \d+ processes, 0 divergences \(.*\); interrupted after \d+ of 100000000 ops/);
  assert.ok(r.afterCtrlC !== null && r.afterCtrlC < 5, `${r.afterCtrlC} s after Ctrl-C`);
});
