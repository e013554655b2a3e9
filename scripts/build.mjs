// `npm run build`: every step in order, each skipped when its outputs are
// newer than its inputs (scripts/build-steps.mjs). One node process per step
// instead of one npm per step: npm's start-up alone cost seconds each on a
// busy machine, which a build with nothing to do should not.
import { spawnSync } from "node:child_process";
import { writeAtomic } from "./build-steps.mjs";

const STEPS = ["build-ts", "gen-lookup-dispatch", "gen-profile", "build-wasm", "build-probe", "build-anchors"];
for (const step of STEPS) {
  const r = spawnSync(process.execPath, [`scripts/${step}.mjs`], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build: scripts/${step}.mjs failed (${r.signal ?? `exit ${r.status}`})`);
    process.exit(r.status ?? 1);
  }
}
writeAtomic("build/.stamp", `${new Date().toISOString()}\n`);
