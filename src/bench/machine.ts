/**
 * Where and from what a run was made: the machine fingerprint, the git state
 * of the working tree, and the tool's own version. Compare warns when two
 * runs' fingerprints differ, because their timings are then not comparable.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { arch, cpus, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FINGERPRINT_FIELDS, type FingerprintDifference } from "../contract/comparison.js";
import { RUN_SCHEMA_ID, type GitInfo, type Machine } from "../contract/run-document.js";

/** The package root: this module runs compiled, from dist/src/bench/. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export function machineInfo(): Machine {
  const list = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: Math.max(1, list.length),
    kernel: release(),
    arch: arch(),
    platform: platform(),
    memory_bytes: totalmem(),
  };
}

/** The fingerprint fields whose values differ between two machines (empty: same machine). */
export function fingerprintDifferences(a: Machine, b: Machine): FingerprintDifference[] {
  return FINGERPRINT_FIELDS.filter((f) => a[f] !== b[f]).map((f) => ({ field: f, old: a[f] ?? null, new: b[f] ?? null }));
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null;
  }
}

/**
 * Commit and dirtiness of the tool's own checkout at `cwd`; null when it is
 * not the top of a git checkout (an installed package inside some other
 * project's repository is not that project's commit) or git is missing.
 */
export function gitInfo(cwd: string = PACKAGE_ROOT): GitInfo | null {
  const top = git(["rev-parse", "--show-toplevel"], cwd);
  if (top === null || realpathSync(top.trim()) !== realpathSync(cwd)) return null;
  const commit = git(["rev-parse", "HEAD"], cwd);
  const status = git(["status", "--porcelain"], cwd);
  if (commit === null || status === null) return null;
  return { commit: commit.trim(), dirty: status.trim() !== "" };
}

/** Name and version from the tool's package.json. */
export function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/** The head of a run document (everything but config and results): the runner's and ab's. */
export function runProvenance(started: Date = new Date()): {
  schema: typeof RUN_SCHEMA_ID;
  tool: { name: string; version: string };
  git: GitInfo | null;
  started: string;
  machine: Machine;
} {
  return { schema: RUN_SCHEMA_ID, tool: toolInfo(), git: gitInfo(), started: started.toISOString(), machine: machineInfo() };
}
