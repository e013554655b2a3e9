// Records the live kernel's results for every parity scenario: runs each
// test/scenarios/*.json on the kernel backend and writes
// test/recorded/<same file name> atomically. Needs `npm run build` first.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const load = async (p) => {
  try {
    return await import(p);
  } catch (e) {
    console.error(`record: cannot load ${p} (${e.code ?? e.message}); run npm run build first`);
    process.exit(2);
  }
};
const { runScenarioOnKernel, kernelAvailability } = await load("../dist/src/kernel/probe.js");
const { parseScenario } = await load("../dist/src/scenario/parse.js");
const { writeFileAtomic } = await load("../dist/src/util/atomic-write.js");

const avail = kernelAvailability();
if (!avail.available) {
  console.error(`record: kernel backend unavailable: ${avail.reason}`);
  process.exit(2);
}
const dir = "test/scenarios";
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json") && (only.length === 0 || only.includes(f)))
  .sort();
let failed = 0;
for (const f of files) {
  const file = join(dir, f);
  try {
    const doc = await runScenarioOnKernel(file, parseScenario(readFileSync(file, "utf8"), file));
    writeFileAtomic(join("test/recorded", f), JSON.stringify(doc, null, 2) + "\n");
    console.log(`record: ${f} (${doc.results.length} steps, kernel ${doc.kernel})`);
  } catch (e) {
    failed++;
    console.error(`record: ${e instanceof Error ? e.message : String(e)}`);
  }
}
if (failed) {
  console.error(`record: ${failed} of ${files.length} scenarios failed`);
  process.exit(1);
}
