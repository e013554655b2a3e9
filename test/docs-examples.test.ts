// The examples in docs/scenario-format.md are executed: every `json scenario`
// block must run on both models (and on the live kernel where the probe
// works and the machine has the scenario's CPU count) and give exactly the
// `json results` block that follows it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { kernelAvailability, runScenarioOnKernel } from "../src/kernel/probe.js";
import { parseScenario, runScenario } from "../src/scenario/index.js";
import { possibleCpus } from "../src/util/possible-cpus.js";
import { BACKENDS, fencedBlocks, REPO } from "./helpers.js";

const DOC = "docs/scenario-format.md";

const blocks = fencedBlocks(readFileSync(new URL(DOC, REPO), "utf8"));
const examples = blocks.flatMap((b, i) => {
  if (b.info !== "json scenario") return [];
  const next = blocks[i + 1];
  assert.equal(next?.info, "json results", `${DOC}: a scenario example must be followed by its results`);
  return [{ scenario: parseScenario(b.body, `${DOC} example ${i}`), results: JSON.parse(next.body) }];
});

describe(`${DOC} examples`, () => {
  it("has examples covering every op", () => {
    assert.ok(examples.length >= 3);
    const ops = new Set(examples.flatMap((e) => e.scenario.steps.map((s) => s.op)));
    for (const op of ["io_setup", "io_destroy", "io_submit", "io_getevents", "user_reap", "ring", "mmap", "munmap", "mremap", "fork_mremap", "fork", "page"]) {
      assert.ok(ops.has(op as never), `no example uses ${op}`);
    }
  });

  for (const { scenario, results } of examples) {
    for (const backend of BACKENDS) {
      it(`${scenario.name} on ${backend}`, async () => {
        const doc = await runScenario(scenario.name, scenario, { backend });
        assert.deepEqual(doc.results, results);
      });
    }
    const avail = kernelAvailability();
    const skip = !avail.available
      ? `kernel backend unavailable: ${avail.reason}`
      : possibleCpus() !== scenario.cpus
        ? `the example assumes ${scenario.cpus} CPUs`
        : false;
    it(`${scenario.name} on the live kernel`, { skip }, async () => {
      const doc = await runScenarioOnKernel(scenario.name, scenario);
      assert.deepEqual(doc.results, results);
    });
  }
});
