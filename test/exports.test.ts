import assert from "node:assert/strict";
import { test } from "node:test";
import { mulberry32 } from "../src/bench/prng.js";
import { toBmf } from "../src/report/bmf.js";
import { compareRuns } from "../src/report/compare.js";
import { toGhActionBenchmark } from "../src/report/gh-action-benchmark.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { noisyRun, SHARED_MACHINE, syntheticRun } from "./helpers/synthetic.js";

const random = mulberry32(11);
const quiet = { ...SHARED_MACHINE, burstEnter: 0, spikeProb: 0, runSigma: 0, sigma: 0.01, n: 64 };
const old = syntheticRun([
  { id: "lookup/flat", samples: noisyRun(random, 1000, quiet), counters: { slots: 4 } },
  { id: "lookup/slow|pipe", samples: noisyRun(random, 1000, quiet) },
  { id: "lookup/kernel", samples: noisyRun(random, 1000, quiet) },
]);
const neu = syntheticRun([
  { id: "lookup/flat", samples: noisyRun(random, 1000, quiet), counters: { slots: 5 } },
  { id: "lookup/slow|pipe", samples: noisyRun(random, 1300, quiet) },
  { id: "lookup/kernel", samples: [1, 2] },
]);
// Samples in µs convert to ns; the unavailable result must not appear as a number.
neu.results[0] = { ...neu.results[0], unit: "us/op", samples: neu.results[0].samples.map((s) => s / 1000) };
Object.assign(neu.results[2], { samples: [], stats: null, status: { unavailable: "no kernel AIO" } });

test("BMF: { id: { latency: { value, lower_value, upper_value } } } in ns, unavailable left out", () => {
  const bmf = toBmf(neu);
  assert.deepEqual(Object.keys(bmf), ["lookup/flat", "lookup/slow|pipe"]);
  for (const metric of Object.values(bmf)) {
    assert.deepEqual(Object.keys(metric), ["latency"]);
    assert.deepEqual(Object.keys(metric.latency), ["value", "lower_value", "upper_value"]);
    assert.ok(metric.latency.lower_value <= metric.latency.value && metric.latency.value <= metric.latency.upper_value);
  }
  assert.ok(Math.abs(bmf["lookup/flat"].latency.value - 1000) < 20, "µs samples are reported in ns");
  assert.ok(Math.abs(bmf["lookup/slow|pipe"].latency.value - 1300) < 30);
});

test("github-action-benchmark: [{ name, unit, value, range, extra }] for customSmallerIsBetter", () => {
  const entries = toGhActionBenchmark(neu);
  assert.equal(entries.length, 2);
  for (const e of entries) {
    assert.deepEqual(Object.keys(e), ["name", "unit", "value", "range", "extra"]);
    assert.equal(e.unit, "ns/op");
    assert.equal(typeof e.value, "number");
    assert.match(e.range, /^± \d+(\.\d+)?(e[+-]\d+)?$/);
  }
  assert.equal(entries[0].name, "lookup/flat");
  assert.match(entries[0].extra, /n=64 samples; 95% CI \[[\d.]+, [\d.]+\] ns; backend=wasm; slots=5/);
});

test("Markdown: regressions first, machine warning, escaped cells, unchanged folded", () => {
  const md = renderMarkdown(compareRuns(old, { ...neu, machine: { ...neu.machine, cpu: "Other" } }));
  assert.match(md, /^## Benchmark comparison\n\n> \[!WARNING\]\n> WARNING: the runs were made on different machines \(cpu: Test CPU -> Other\)/);
  const rows = md.split("\n").filter((l) => l.startsWith("| `"));
  assert.match(rows[0], /^\| `lookup\/slow\\\|pipe` \| 1\.00 µs \| 1\.30 µs \| \*\*\+(29|30|31)\.\d%\*\* \| \[.*\] \| 🔴 regressed \|/);
  assert.match(md, /⚫ unavailable \(not measured \(new: no kernel AIO\)\)/);
  assert.match(md, /slots 4 -> 5/);
  const plain = renderMarkdown(compareRuns(old, old));
  assert.match(plain, /<details><summary>3 unchanged<\/summary>/);
  assert.doesNotMatch(plain, /WARNING/);
});
