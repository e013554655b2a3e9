// What the build steps share: skipping a step whose outputs are newer than
// its inputs (so `npm run build` on an up-to-date tree, which npm runs for
// `prepare`, `pretest` and a first `npx aio-ring-bench`, takes about a
// second), and writing outputs temp-then-rename (so a test or a run reading
// dist/ or build/ while a build runs sees the old file or the new one, never
// a half-written or missing one).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The newest modification time of a file, or of anything in a folder (walked); 0 when missing. */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const stampOf = (step) => join("build", `.stamp-${step}`);

/**
 * A step's freshness: `fresh` is true when the step last succeeded after
 * every input (files or folders, walked) last changed and its outputs are all
 * there. `done()` records a success as of when the check was made, so an
 * input edited while the step ran makes the next build run it again.
 */
export function stepState(step, inputs, outputs) {
  const started = new Date();
  const stamp = stampOf(step);
  const fresh = existsSync(stamp) && outputs.every((o) => existsSync(o)) && inputs.every((i) => newestMtime(i) <= statSync(stamp).mtimeMs);
  return {
    fresh,
    done() {
      // The first step of a fresh clone's build may run before anything made build/.
      mkdirSync("build", { recursive: true });
      writeFileSync(stamp, `${started.toISOString()}\n`);
      utimesSync(stamp, started, started);
    },
    /** A partial or other build replaced some outputs: the next whole build must run. */
    invalidate() {
      rmSync(stamp, { force: true });
    },
  };
}

/** Writes `path` whole or not at all: a concurrent reader never sees it half-written. */
export function writeAtomic(path, contents) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}
