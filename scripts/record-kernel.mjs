// Records a kernel's results for every parity scenario: runs each
// test/scenarios/*.json on the kernel backend and writes the results
// atomically, to test/recorded/<same file name> for the running kernel
// (test/recorded/no-zero-page/ when its read faults allocate pages, or with
// `--no-zero-page`: every scenario as on such a kernel, emulated where this
// one maps the zero page, FINDINGS 35), or with `--kernel SERIES` (6.1,
// 6.12: a guest under QEMU) to test/recorded/SERIES/<same file name>.
// Needs `npm run build` first.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

const load = async (p) => {
  try {
    return await import(p);
  } catch (e) {
    console.error(`record: cannot load ${p} (${e.code ?? e.message}); run npm run build first`);
    process.exit(2);
  }
};
const { openKernel } = await load("../dist/src/scenario/kernels.js");
const { resolveKernel } = await load("../dist/src/kernel/guest-kernels.js");
const { GuestRunner } = await load("../dist/src/kernel/guest-run.js");
const { possibleCpus } = await load("../dist/src/util/possible-cpus.js");
const { kernelAvailability } = await load("../dist/src/kernel/probe.js");
const { parseScenario } = await load("../dist/src/scenario/parse.js");
const { writeFileAtomic } = await load("../dist/src/util/atomic-write.js");

const USAGE = `usage: npm run record -- [--kernel SERIES | --no-zero-page] [SCENARIO ...]
Records the kernel's answers to the parity scenarios (test/scenarios/*.json),
all of them or those named (a file name, or a path inside test/scenarios/),
into test/recorded/ (the host), test/recorded/no-zero-page/ (--no-zero-page,
or a host without the zero page) or test/recorded/SERIES/ (--kernel 6.1 or
6.12: a guest under QEMU).`;
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const noZeroPage = args.includes("--no-zero-page");
const at = args.indexOf("--kernel");
const kernelName = at >= 0 ? args[at + 1] : "host";
const only = args.filter((a, i) => a !== "--no-zero-page" && (at < 0 || (i !== at && i !== at + 1))).map((a) => basename(a));
const unknownFlag = only.find((a) => a.startsWith("-"));
if (unknownFlag) {
  console.error(`record: unknown flag ${unknownFlag}\n${USAGE}`);
  process.exit(2);
}
if (noZeroPage && kernelName !== "host") {
  console.error("record: --no-zero-page records the host's second set; a guest's folder holds what it answers");
  process.exit(2);
}
// The folder is named after the series: only a series makes a safe, stable folder name.
if (kernelName !== "host" && !/^\d{1,2}\.\d{1,3}$/.test(kernelName ?? "")) {
  console.error(`record: --kernel takes a series such as 6.1 or 6.12, got "${kernelName ?? ""}"`);
  process.exit(2);
}
const dir = "test/scenarios";
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json") && (only.length === 0 || only.includes(f)))
  .sort();
// A name that matches no scenario would record nothing and say nothing.
const missing = only.filter((f) => !files.includes(f));
if (missing.length) {
  console.error(`record: no scenario ${missing.join(", ")} in ${dir}`);
  process.exit(2);
}
if (kernelName === "host") {
  const avail = kernelAvailability();
  if (!avail.available) {
    console.error(`record: kernel backend unavailable: ${avail.reason}`);
    process.exit(2);
  }
}
let kernel;
let guest;
try {
  if (kernelName === "host") kernel = await openKernel(kernelName);
  else {
    guest = new GuestRunner(await resolveKernel(kernelName));
    kernel = guest;
  }
} catch (e) {
  console.error(`record: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
/**
 * A guest's answer in the fuzzer's reproducer form: the results up to a
 * scenario error (a name a failed step would have bound) and that error, so
 * the models are checked on it too.
 */
async function guestAnswer(scenario) {
  const run = await guest.answer(scenario, scenario.cpus ?? possibleCpus());
  if (run.kind !== "ran") throw new Error(`${scenario.name}: ${run.message}`);
  const { results, scenarioError } = run.outcome;
  const emulated = run.zeroPageEmulated ? { zero_page_emulated: true } : {};
  return { name: scenario.name, backend: "kernel", profile: null, kernel: run.kernel, ...run.config, ...emulated, results, scenario_error: scenarioError };
}

// A host whose read faults allocate pages (no zero page: FINDINGS 33) merges
// anonymous memory differently, so its answers are a set of their own. A
// scenario that asks for no zero page itself stays in the set of the kernel
// it ran on (emulated there when that kernel maps the zero page).
const nativeZeroPage = (doc) => doc.zero_page !== false || doc.zero_page_emulated === true;
const outDirFor = (doc) =>
  kernelName !== "host" ? join("test/recorded", kernelName) : noZeroPage || !nativeZeroPage(doc) ? "test/recorded/no-zero-page" : "test/recorded";
let failed = 0;
try {
  for (const f of files) {
    const file = join(dir, f);
    try {
      const parsed = parseScenario(readFileSync(file, "utf8"), file);
      const scenario = noZeroPage ? { ...parsed, zero_page: false } : parsed;
      const doc = guest ? await guestAnswer(scenario) : await kernel.run(file, scenario);
      // A truth recorded while another process moved the aio-nr limit would not be the kernel's alone.
      if (doc.aio_nr_moved)
        throw new Error(
          `${f}: another process set up or freed AIO contexts while it ran (aio-nr changed before ${doc.aio_nr_moved} steps): not recorded; run it again`,
        );
      const outDir = outDirFor(doc);
      mkdirSync(outDir, { recursive: true });
      writeFileAtomic(join(outDir, f), `${JSON.stringify(doc, null, 2)}\n`);
      console.log(`record: ${f} (${doc.results.length} steps, kernel ${doc.kernel})`);
    } catch (e) {
      failed++;
      console.error(`record: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
} finally {
  await kernel.close();
}
if (failed) {
  console.error(`record: ${failed} of ${files.length} scenarios failed`);
  process.exit(1);
}
