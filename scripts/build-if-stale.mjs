// Rebuilds (npm run build) only when a source is newer than the last
// successful build, and sends every build message to standard error so that
// `npm run -s bench > out.txt` holds only the tool's own output.
// Usage: node scripts/build-if-stale.mjs  (exit status of the build, or 0)
import { spawnSync } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newestMtime } from "./build-steps.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Written after a successful build: its mtime is when the outputs were last made. */
export const STAMP = join(ROOT, "build", ".stamp");
/** What the build reads: any change here makes the outputs stale. */
const INPUTS = ["assembly", "src", "bench", "test", "probe", "scripts", "asconfig.json", "tsconfig.json", "package.json", "package-lock.json"];
const OUTPUTS = ["dist/src/cli.js", "build/core.wasm"];

export function isStale() {
  if (!existsSync(STAMP) || OUTPUTS.some((o) => !existsSync(join(ROOT, o)))) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((i) => newestMtime(join(ROOT, i)) > built);
}

/** Runs the build with its output on our stderr; returns its exit status. */
export function build() {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["run", "-s", "build"], { cwd: ROOT, stdio: ["ignore", process.stderr, process.stderr] });
  const status = r.status ?? 1;
  if (status === 0) writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return status;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (isStale()) process.exitCode = build();
}
