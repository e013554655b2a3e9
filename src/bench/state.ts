/**
 * The state folder: last-run.json, stress-last.json, baselines/ and the
 * default history.jsonl. It is $AIO_RING_BENCH_HOME when set, else
 * `.aio-ring-bench/` in the project folder: the package root of a checkout,
 * or for an installed package the folder holding its node_modules (never
 * inside node_modules, never the current directory by accident). Resolved
 * once per process.
 */
import { mkdirSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import { UserError } from "../contract/errors.js";
import { cleanStaleTemps, fsReason, probeCreate } from "../util/files.js";
import { PACKAGE_ROOT } from "./machine.js";

export const STATE_DIR_NAME = ".aio-ring-bench";

/** The project folder for a package root: above the outermost node_modules, if any. */
export function projectFolder(packageRoot: string): string {
  const at = packageRoot.indexOf(`${sep}node_modules${sep}`);
  return at >= 0 ? packageRoot.slice(0, at) || sep : packageRoot;
}

let resolved: string | null = null;

/** Where the state lives (not checked: see ensureStateDir). */
export function stateDir(): string {
  if (resolved === null) {
    const env = process.env.AIO_RING_BENCH_HOME;
    resolved = env !== undefined && env !== "" ? resolve(env) : resolve(projectFolder(PACKAGE_ROOT), STATE_DIR_NAME);
  }
  return resolved;
}

function describe(): string {
  const env = process.env.AIO_RING_BENCH_HOME;
  return `state folder ${stateDir()}${env ? " ($AIO_RING_BENCH_HOME)" : ""}`;
}

/**
 * Makes sure the state folder (and `sub` inside it) exists and files can be
 * created there, and removes temp files a killed run left. A UserError says
 * which folder and why, and how to choose another.
 */
export function ensureStateDir(sub?: string): string {
  const dir = sub ? resolve(stateDir(), sub) : stateDir();
  const hint = "; set AIO_RING_BENCH_HOME to a writable folder";
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    probeCreate(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "EEXIST" || code === "ENOTDIR" ? "not a directory (ENOTDIR)" : fsReason(e);
    throw new UserError(`${describe()}: cannot create files in ${dir}: ${reason}${hint}`);
  }
  cleanStaleTemps(dir);
  return dir;
}

/** The file each bench run writes: the run JSON of the latest run. */
export function lastRunFile(): string {
  return resolve(stateDir(), "last-run.json");
}
