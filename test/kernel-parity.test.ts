// Parity: the live kernel still gives the recorded truth for every scenario.
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { kernelAvailability, runScenarioOnKernel } from "../src/kernel/probe.js";
import { isDeepStrictEqual } from "node:util";
import { parseScenario } from "../src/scenario/parse.js";
import type { ResultsDoc } from "../src/contract/scenario.js";
import { limitStateReason, liveLimits } from "./helpers.js";
import { possibleCpus } from "../src/util/possible-cpus.js";
import { withKernelLock } from "./kernel-lock.js";

const scenarios = fileURLToPath(new URL("../../test/scenarios/", import.meta.url));
const recorded = fileURLToPath(new URL("../../test/recorded/", import.meta.url));
const files = readdirSync(scenarios)
  .filter((f) => f.endsWith(".json"))
  .sort();
const avail = kernelAvailability();
/** Whether the live kernel's read faults map the zero page: the probe reports it with every answer (an empty program asks). */
const liveZeroPage = avail.available ? (await runScenarioOnKernel("zero-page", { name: "zero-page", steps: [] })).zero_page : null;
/** Host recordings come in two sets: kernels that map the zero page, and kernels whose read faults allocate pages. */
const NO_ZERO_PAGE = `${recorded}no-zero-page/`;
const truthDir = liveZeroPage === false ? NO_ZERO_PAGE : recorded;

/** Why this machine cannot reproduce a recording made elsewhere, or null. */
function mismatch(truth: ResultsDoc): string | null {
  if (!avail.available) return `kernel backend unavailable: ${avail.reason}`;
  const here = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  const series = (r: string) => r.split(".").slice(0, 2).join(".");
  if (series(here) !== series(truth.kernel ?? "")) return `recorded on ${truth.kernel}, this is ${here}`;
  if (possibleCpus() !== truth.cpus) return `recorded with ${truth.cpus} possible CPUs, this machine has ${possibleCpus()}`;
  // A recording without the field was made on a kernel that maps the zero page (FINDINGS 33).
  const zeroPage = truth.zero_page ?? true;
  if (liveZeroPage !== zeroPage)
    return `recorded on a kernel whose read faults ${zeroPage ? "map the zero page" : "allocate pages (no zero page)"}, this one's ${liveZeroPage ? "map the zero page" : "allocate pages"}: anonymous memory merges differently (FINDINGS 33)`;
  return null;
}

const aioNr = () => liveLimits().aio_nr;

test("the parity suite has at least 40 scenarios, each with a recording in both host sets", () => {
  assert.ok(files.length >= 40, `only ${files.length} scenarios`);
  for (const dir of [recorded, NO_ZERO_PAGE]) {
    const rec = new Set(readdirSync(dir));
    for (const f of files) assert.ok(rec.has(f), `no recording for ${f} in ${dir}`);
  }
  for (const f of files)
    assert.equal(JSON.parse(readFileSync(NO_ZERO_PAGE + f, "utf8")).zero_page, false, `${NO_ZERO_PAGE}${f} is from a kernel without the zero page`);
  // The docs give the suite's size: keep them true.
  const said = (doc: string, re: RegExp) => Number(re.exec(readFileSync(new URL(`../../${doc}`, import.meta.url), "utf8"))?.[1]);
  assert.equal(said("README.md", /parity suite \((\d+)/), files.length, "README.md");
  assert.equal(said("docs/scenario-format.md", /\((\d+) today\)/), files.length, "docs/scenario-format.md");
});

for (const f of files) {
  const truth = JSON.parse(readFileSync(truthDir + f, "utf8")) as ResultsDoc;
  const skip = mismatch(truth);
  test(`kernel matches recorded truth: ${f}`, { skip: skip ?? false }, (t) =>
    withKernelLock(async () => {
      // Contexts of a process that just ended are freed a grace period later:
      // wait for aio-nr to be what it was, or to hold still (another process's share).
      for (let i = 0, still = 0, last = aioNr(); i < 60 && last !== truth.aio_nr && still < 4; i++) {
        await sleep(50);
        const now = aioNr();
        still = now === last ? still + 1 : 0;
        last = now;
      }
      const file = scenarios + f;
      const scenario = parseScenario(readFileSync(file, "utf8"), file);
      // aio-nr is the machine's: other processes (a database, another test
      // run) may hold part of the limit. The recording still holds where the
      // held contexts cannot change the answer, which the model decides.
      const live = liveLimits();
      const reason = await limitStateReason(file, scenario, truth);
      if (reason !== null) return t.skip(reason);
      const got = await runScenarioOnKernel(file, scenario);
      if (!isDeepStrictEqual(got.results, truth.results) && (got.aio_nr !== live.aio_nr || aioNr() !== live.aio_nr))
        return t.skip(`another process changed aio-nr during the run (${live.aio_nr}, then ${got.aio_nr}, then ${aioNr()})`);
      assert.equal(got.backend, "kernel");
      assert.equal(got.profile, null);
      assert.deepEqual(got.results, truth.results);
      assert.deepEqual({ ...got, results: null, kernel: null }, { ...truth, ...live, zero_page: truth.zero_page ?? true, results: null, kernel: null });
    }),
  );
}
