// Parity without a kernel: both models, as mainline with the cpus,
// aio_max_nr and aio_nr the kernel had, must give the recorded kernel
// results of every parity scenario; and `--backend all` must agree live.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { kernelAvailability } from "../src/kernel/probe.js";
import { diffResults, formatDisagreements, readScenarioFile, resultsConfig, runScenario } from "../src/scenario/index.js";
import type { ResultsDoc } from "../src/contract/scenario.js";
import { BACKENDS, limitStateReason, REPO } from "./helpers.js";
import { withKernelLock } from "./kernel-lock.js";

const scenarios = fileURLToPath(new URL("test/scenarios/", REPO));
const recorded = fileURLToPath(new URL("test/recorded/", REPO));
const files = readdirSync(scenarios)
  .filter((f) => f.endsWith(".json"))
  .sort();

// Host kernels that map the zero page, and those whose read faults allocate pages (FINDINGS 33).
const SETS = [recorded, `${recorded}no-zero-page/`];

for (const backend of BACKENDS) {
  describe(`${backend} vs recorded kernel results`, () => {
    for (const dir of SETS)
      for (const f of files) {
        it(`${dir.slice(recorded.length)}${f}`, async () => {
          const truth = JSON.parse(readFileSync(dir + f, "utf8")) as ResultsDoc;
          const config = resultsConfig(truth);
          const got = await runScenario(f, readScenarioFile(scenarios + f), { backend, profile: "mainline", config });
          const d = diffResults(truth, got);
          assert.equal(d.length, 0, `disagrees with ${truth.kernel}:\n${formatDisagreements("kernel", backend, d)}`);
        });
      }
  });
}

describe("--backend all on the live kernel", () => {
  const avail = kernelAvailability();
  it("shows zero disagreements over the parity suite", { skip: avail.available ? false : `kernel backend unavailable: ${avail.reason}` }, async (t) => {
    const cli = fileURLToPath(new URL("dist/src/cli.js", REPO));
    const r = await withKernelLock(async () => {
      // On a shared machine, a scenario whose answer depends on the aio-nr other processes hold would stop at a scenario error.
      const run: string[] = [];
      for (const f of files) {
        const reason = await limitStateReason(f, readScenarioFile(scenarios + f), JSON.parse(readFileSync(recorded + f, "utf8")) as ResultsDoc);
        if (reason === null) run.push(f);
        else t.diagnostic(`${f} not run: ${reason}`);
      }
      return { run, ...spawnSync(process.execPath, [cli, "scenario", "--backend", "all", ...run.map((f) => scenarios + f)], { encoding: "utf8" }) };
    });
    if (r.run.length === 0) return t.skip("every scenario's answer depends on the aio-nr other processes hold now");
    assert.equal(
      r.status,
      0,
      r.stdout
        .split("\n")
        .filter((l) => /disagree|step/.test(l))
        .join("\n") + r.stderr,
    );
    assert.equal((r.stdout.match(/kernel, model and wasm agree/g) ?? []).length, r.run.length);
  });
});
