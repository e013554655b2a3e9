/**
 * Named baselines: a saved run document under
 * `$AIO_RING_BENCH_HOME/baselines/NAME.json`, the home defaulting to
 * `.aio-ring-bench/` at the project root. The run itself carries the machine
 * fingerprint, tool version and git commit, so a baseline is just a run.
 */
import { readdirSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { UserError } from "../contract/errors.js";
import { pathExists, writeOutput } from "../util/files.js";
import { readRunFile } from "./run-file.js";
import type { Run } from "../contract/run-document.js";
import { ensureStateDir, stateDir } from "./state.js";

/** Where baselines and the default history file live (state.ts). */
export function benchHome(): string {
  return stateDir();
}

export function baselineDir(): string {
  return join(benchHome(), "baselines");
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Throws a UserError unless `name` is safe as a file name: 1-64 of
 * [A-Za-z0-9._-], starting alphanumeric, no "..", and not ending in ".json"
 * (loadBaseline reads such an argument as a file path, so the baseline
 * could never be loaded by its name).
 */
export function checkBaselineName(name: string): void {
  if (!NAME_RE.test(name) || name.includes("..")) {
    throw new UserError(`bad baseline name ${JSON.stringify(name)}: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit, without ".."`);
  }
  if (name.toLowerCase().endsWith(".json")) {
    throw new UserError(
      `bad baseline name ${JSON.stringify(name)}: give the name without ".json" (${JSON.stringify(name.slice(0, -5))}); a name ending in .json is read as a file path`,
    );
  }
}

export function baselinePath(name: string): string {
  checkBaselineName(name);
  return join(baselineDir(), `${name}.json`);
}

/** Saves `run` as baseline `name` (replacing one of that name) and returns the file written. A run without results is refused: every comparison with it would pass. */
export function saveBaseline(name: string, run: Run): string {
  const path = baselinePath(name);
  if (run.results.length === 0) throw new UserError(`baseline "${name}" not saved: the run has no results`);
  ensureStateDir("baselines");
  writeOutput(path, `${JSON.stringify(run, null, 2)}\n`);
  return path;
}

/** Names of the saved baselines, sorted. */
export function listBaselines(): string[] {
  const dir = baselineDir();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => f.endsWith(".json") && NAME_RE.test(f.slice(0, -5)))
    .map((f) => f.slice(0, -5))
    .sort();
}

export interface LoadedRun {
  run: Run;
  /** The file it came from, for messages and reports. */
  source: string;
}

/** Whether `path` is an existing directory (followed through links). */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The file a run argument names, without reading it: an argument with a
 * path separator, ending in ".json", or naming an existing entry other than
 * a folder is a path; anything else is a baseline name (a folder called
 * `main` in the current directory does not hide baseline "main").
 */
export function runSource(nameOrFile: string): { path: string; baseline: boolean } {
  const isPath = nameOrFile.includes("/") || nameOrFile.includes(sep) || nameOrFile.endsWith(".json") || (pathExists(nameOrFile) && !isDirectory(nameOrFile));
  return isPath ? { path: nameOrFile, baseline: false } : { path: baselinePath(nameOrFile), baseline: true };
}

/** Loads a run given a baseline name or a file path (runSource tells which). */
export function loadBaseline(nameOrFile: string): LoadedRun {
  const { path, baseline } = runSource(nameOrFile);
  if (!baseline) return { run: readRunFile(path), source: path };
  if (!pathExists(path)) {
    const saved = listBaselines();
    const folder = isDirectory(nameOrFile) ? ` (${nameOrFile} here is a folder, not a run file)` : "";
    throw new UserError(
      `no baseline named "${nameOrFile}" in ${baselineDir()}${saved.length ? ` (saved: ${saved.join(", ")})` : " (none saved yet)"}${folder}`,
    );
  }
  return { run: readRunFile(path), source: path };
}
