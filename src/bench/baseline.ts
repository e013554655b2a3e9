/**
 * Named baselines: a saved run document under
 * `$AIO_RING_BENCH_HOME/baselines/NAME.json`, the home defaulting to
 * `.aio-ring-bench/` in the current directory. The run itself carries the machine
 * fingerprint, tool version and git commit, so a baseline is just a run.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { UserError } from "../contract/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { readRunFile, type Run } from "./run-schema.js";

/**
 * The one state folder: baselines, the default history, the last run and the
 * last stress record. `$AIO_RING_BENCH_HOME`, else `.aio-ring-bench/` in the
 * current directory (the project root under `npm run`); never the package's
 * own folder, which is inside node_modules when installed.
 */
export function benchHome(): string {
  const env = process.env.AIO_RING_BENCH_HOME;
  return resolve(env !== undefined && env !== "" ? env : ".aio-ring-bench");
}

export function baselineDir(): string {
  return join(benchHome(), "baselines");
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws a UserError unless `name` is safe as a file name: 1-64 of [A-Za-z0-9._-], starting alphanumeric, no "..". */
export function checkBaselineName(name: string): void {
  if (!NAME_RE.test(name) || name.includes("..")) {
    throw new UserError(
      `bad baseline name ${JSON.stringify(name)}: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit, without ".."`,
    );
  }
}

export function baselinePath(name: string): string {
  checkBaselineName(name);
  return join(baselineDir(), `${name}.json`);
}

/** Saves `run` as baseline `name` (replacing one of that name) and returns the file written. */
export function saveBaseline(name: string, run: Run): string {
  const path = baselinePath(name);
  writeFileAtomic(path, `${JSON.stringify(run, null, 2)}\n`);
  return path;
}

/** Names of the saved baselines, sorted. */
export function listBaselines(): string[] {
  const dir = baselineDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && NAME_RE.test(f.slice(0, -5)))
    .map((f) => f.slice(0, -5))
    .sort();
}

export interface LoadedRun {
  run: Run;
  /** The file it came from, for messages and reports. */
  source: string;
}

/**
 * Loads a run given a baseline name or a file path. An argument with a path
 * separator, ending in ".json", or naming an existing file is a path;
 * anything else is a baseline name.
 */
export function loadBaseline(nameOrFile: string): LoadedRun {
  const isPath = nameOrFile.includes("/") || nameOrFile.includes(sep) || nameOrFile.endsWith(".json") || existsSync(nameOrFile);
  if (isPath) return { run: readRunFile(nameOrFile), source: nameOrFile };
  const path = baselinePath(nameOrFile);
  if (!existsSync(path)) {
    const saved = listBaselines();
    throw new UserError(
      `no baseline named "${nameOrFile}" in ${baselineDir()}` + (saved.length ? ` (saved: ${saved.join(", ")})` : " (none saved yet)"),
    );
  }
  return { run: readRunFile(path), source: path };
}
