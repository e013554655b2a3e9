import assert from "node:assert/strict";
import { test } from "node:test";
import type { Run } from "../src/contract/run-document.js";
import { compareRuns, renderComparison } from "../src/report/compare.js";
import type { ComparisonEntry } from "../src/contract/comparison.js";
import { gate } from "../src/report/gate.js";
import { type NoiseModel, noisyRun, SHARED_MACHINE, syntheticRun, uniform } from "./helpers/synthetic.js";

/**
 * Verdict counts over `trials` independent pairs of runs (each its own
 * process-level offset, drift, bursts and spikes), the new run `shift` times
 * slower. 40 benchmarks per run pair, so compareRuns is exercised as used.
 */
function verdicts(shift: number, model: NoiseModel, trials: number, seed: number): Record<string, number> {
  const random = uniform(seed);
  const counts: Record<string, number> = { regressed: 0, improved: 0, unchanged: 0, "too noisy": 0 };
  const perRun = 40;
  for (let t = 0; t < trials / perRun; t++) {
    const ids = Array.from({ length: perRun }, (_, i) => `suite/case${i}`);
    const old = syntheticRun(ids.map((id) => ({ id, samples: noisyRun(random, 100, model) })));
    const neu = syntheticRun(ids.map((id) => ({ id, samples: noisyRun(random, 100 * shift, model) })));
    for (const e of compareRuns(old, neu).entries) counts[e.verdict]++;
  }
  return counts;
}

const TRIALS = 400;

test("a 10% slowdown is detected in >= 95% of trials on shared-machine noise (256 samples)", () => {
  const c = verdicts(1.1, SHARED_MACHINE, TRIALS, 1);
  assert.ok(c.regressed / TRIALS >= 0.95, JSON.stringify(c));
  assert.equal(c.improved, 0);
});

test("a 20% slowdown is detected in >= 95% of trials, and a 10% speed-up as improved", () => {
  const slow = verdicts(1.2, SHARED_MACHINE, TRIALS, 2);
  assert.ok(slow.regressed / TRIALS >= 0.95, JSON.stringify(slow));
  const fast = verdicts(1 / 1.1, SHARED_MACHINE, TRIALS, 3);
  assert.ok(fast.improved / TRIALS >= 0.95, JSON.stringify(fast));
});

test("A/A: identical code raises false alarms in <= 5% of benchmarks, mostly unchanged", () => {
  const c = verdicts(1, SHARED_MACHINE, TRIALS, 4);
  assert.ok((c.regressed + c.improved) / TRIALS <= 0.05, JSON.stringify(c));
  assert.ok(c.unchanged / TRIALS >= 0.8, JSON.stringify(c));
});

test("A/A with only 64 samples: still <= 5% false alarms (undecidable cases say too noisy)", () => {
  const c = verdicts(1, { ...SHARED_MACHINE, n: 64 }, TRIALS, 5);
  assert.ok((c.regressed + c.improved) / TRIALS <= 0.05, JSON.stringify(c));
});

test("a change below the threshold is not a regression; a lower threshold catches it", () => {
  const random = uniform(6);
  const quiet = { ...SHARED_MACHINE, burstEnter: 0, spikeProb: 0, runSigma: 0, sigma: 0.01 };
  const old = syntheticRun([{ id: "a/b", samples: noisyRun(random, 100, quiet) }]);
  const neu = syntheticRun([{ id: "a/b", samples: noisyRun(random, 103, quiet) }]);
  const at5 = compareRuns(old, neu).entries[0];
  assert.equal(at5.verdict, "unchanged");
  assert.ok(at5.change !== null && at5.change > 0.02 && at5.change < 0.04);
  assert.equal(compareRuns(old, neu, { threshold: 0.02 }).entries[0].verdict, "regressed");
});

function entry(old: Run, neu: Run, id: string): ComparisonEntry {
  const e = compareRuns(old, neu).entries.find((x) => x.id === id);
  assert.ok(e, id);
  return e;
}

test("counters are compared exactly; added, removed, unavailable and too-few-samples are reported", () => {
  const s = Array.from({ length: 40 }, (_, i) => 100 + (i % 5));
  const old = syntheticRun([
    { id: "x/same", samples: s, counters: { slots: 2048.5, nodes: 3 } },
    { id: "x/counter", samples: s, counters: { slots: 2048.5, gone: 1 } },
    { id: "x/removed", samples: s },
    { id: "x/unavail", samples: s },
    { id: "x/few", samples: [1, 2, 3] },
  ]);
  const neu = syntheticRun([
    { id: "x/same", samples: s, counters: { slots: 2048.5, nodes: 3 } },
    { id: "x/counter", samples: s, counters: { slots: 2048.5000001, added: 7 } },
    { id: "x/added", samples: s },
    { id: "x/unavail", samples: s },
    { id: "x/few", samples: [1, 2, 3] },
  ]);
  const unavailable = neu.results.find((r) => r.id === "x/unavail")!;
  Object.assign(unavailable, { samples: [], stats: null, status: { unavailable: "no AIO in this kernel" } });
  assert.deepEqual(entry(old, neu, "x/same").counterChanges, []);
  assert.deepEqual(entry(old, neu, "x/counter").counterChanges, [
    { name: "added", old: null, new: 7, change: null, verdict: "changed" },
    { name: "gone", old: 1, new: null, change: null, verdict: "changed" },
    { name: "slots", old: 2048.5, new: 2048.5000001, change: 2048.5000001 / 2048.5 - 1, verdict: "changed" },
  ]);
  // Present on one side only or within the threshold: reported, not a verdict.
  assert.equal(entry(old, neu, "x/counter").counterVerdict, "unchanged");
  assert.equal(entry(old, neu, "x/added").verdict, "added");
  assert.equal(entry(old, neu, "x/removed").verdict, "removed");
  const u = entry(old, neu, "x/unavail");
  assert.equal(u.verdict, "unavailable");
  assert.equal(u.newMedianNs, null);
  assert.match(u.reason, /no AIO in this kernel/);
  const few = entry(old, neu, "x/few");
  assert.equal(few.verdict, "too noisy");
  assert.match(few.reason, /too few samples/);
  const text = renderComparison(compareRuns(old, neu));
  assert.match(text, /slots 2048\.5 -> 2048\.5000001 \(\+0\.0%\)/);
  assert.doesNotMatch(text, /WARNING/);
});

test("different machines give a loud warning; regressions are listed first and fail the gate", () => {
  const random = uniform(7);
  const quiet = { ...SHARED_MACHINE, burstEnter: 0, spikeProb: 0, runSigma: 0, sigma: 0.01 };
  const old = syntheticRun([
    { id: "a/flat", samples: noisyRun(random, 100, quiet) },
    { id: "a/slow", samples: noisyRun(random, 100, quiet) },
  ]);
  const neu = syntheticRun(
    [
      { id: "a/flat", samples: noisyRun(random, 100, quiet) },
      { id: "a/slow", samples: noisyRun(random, 125, quiet) },
    ],
    { cpu: "Other CPU", kernel: "6.18.0" },
  );
  const cmp = compareRuns(old, neu);
  assert.deepEqual(
    cmp.machineDifferences.map((d) => d.field),
    ["cpu", "kernel"],
  );
  assert.equal(cmp.entries[0].id, "a/slow");
  assert.equal(cmp.entries[0].verdict, "regressed");
  assert.match(renderComparison(cmp), /WARNING: the runs were made on different machines \(cpu: Test CPU -> Other CPU; kernel: 6\.1\.0 -> 6\.18\.0\)/);
  // One process per side: the time verdict is shown, labelled advisory, and does not fail the gate.
  const g1 = gate(cmp);
  assert.equal(g1.failed, false);
  assert.match(cmp.timeAdvisory!, /time verdicts are advisory, not gated: 1 and 1 process per side, a time gate on stored runs needs 5 per side/);
  assert.match(g1.summary, /advisory: 1 of 2 benchmarks look slower by 5\.0% or more/);
  assert.match(renderComparison(cmp), /time verdicts are advisory/);
  // Five processes per side (bench --repeat 5): the time verdict gates.
  const repeated = (r: Run): Run => ({ ...r, config: { ...r.config, repeat: 5 } });
  const g = gate(compareRuns(repeated(old), repeated(neu)));
  assert.equal(g.failed, true);
  assert.match(g.summary, /FAIL: 1 of 2 benchmarks regressed in time/);
  assert.match(g.summary, /a\/slow: \+2[45]\.\d%/);
  assert.equal(compareRuns(repeated(old), neu).timeAdvisory?.includes("5 and 1 processes per side"), true);
  const pass = gate(compareRuns(old, old));
  assert.equal(pass.failed, false);
  assert.match(pass.summary, /^OK: no benchmark regressed/);
});

test("exact counters gate: a 2% rise in WASM instructions fails at the default 1% threshold, 0.5% does not, A/A passes", () => {
  const s = Array.from({ length: 40 }, (_, i) => 100 + (i % 5));
  const at = (instructions: number, slots = 3) =>
    syntheticRun([{ id: "lookup/hash", samples: s, counters: { slots_visited_per_op: slots, wasm_instructions_per_op: instructions } }]);
  const base = at(1000);
  const same = compareRuns(base, at(1000));
  assert.equal(same.entries[0].counterVerdict, "unchanged");
  assert.equal(gate(same).failed, false);
  const up2 = compareRuns(base, at(1020));
  assert.equal(up2.counterThreshold, 0.01);
  assert.equal(up2.entries[0].verdict, "unchanged", "the time did not move");
  assert.equal(up2.entries[0].counterVerdict, "regressed");
  const g = gate(up2);
  assert.equal(g.failed, true);
  assert.match(
    g.summary,
    /FAIL: 1 of 1 benchmarks regressed in exact counters by 1\.0% or more:\n {2}lookup\/hash: wasm_instructions_per_op 1000 -> 1020 \(\+2\.0%, regressed\)/,
  );
  assert.equal(gate(up2, { on: "time" }).failed, false, "--gate time ignores exact counters");
  assert.equal(gate(up2, { on: "exact" }).failed, true);
  const small = compareRuns(base, at(1005));
  assert.equal(small.entries[0].counterVerdict, "unchanged");
  assert.equal(gate(small).failed, false);
  assert.match(gate(small).summary, /below the 1\.0% threshold/);
  assert.equal(compareRuns(base, at(1005), { counterThreshold: 0.004 }).entries[0].counterVerdict, "regressed");
  assert.equal(compareRuns(base, at(1000, 2)).entries[0].counterVerdict, "improved");
});

test("HTML comparison view uses the comparison it is given, with its counter threshold, not a fixed 1%", async () => {
  const { renderHtml } = await import("../src/report/html.js");
  const { syntheticRun } = await import("./helpers/synthetic.js");
  const samples = Array.from({ length: 32 }, (_, i) => 100 + (i % 4));
  const old = syntheticRun([{ id: "custom/case", samples, counters: { wasm_instructions_per_op: 100 } }]);
  const now = syntheticRun([{ id: "custom/case", samples, counters: { wasm_instructions_per_op: 103 } }]);
  const at5 = renderHtml(now, { baseline: old, comparison: compareRuns(old, now, { counterThreshold: 0.05 }) });
  assert.match(at5, /a change of 5\.0% or more is a verdict/);
  assert.doesNotMatch(at5, /a change of 1\.0% or more/);
  assert.match(renderHtml(now, { baseline: old, comparison: compareRuns(old, now) }), /a change of 1\.0% or more is a verdict/);
});
