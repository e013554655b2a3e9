import assert from "node:assert/strict";
import { test } from "node:test";
import { resultBatches } from "../src/bench/measure.js";
import { mergeRuns } from "../src/bench/repeat.js";
import { syntheticRun } from "./helpers/synthetic.js";

test("--repeat merges runs: samples and rounds concatenated per benchmark, so each process's rounds stay rounds", () => {
  const one = syntheticRun([
    { id: "a/x", samples: [1, 2, 3, 4], counters: { c: 5 } },
    { id: "a/only-first", samples: [7, 8] },
  ]);
  const two = syntheticRun([{ id: "a/x", samples: [10, 20, 30, 40], counters: { c: 5 } }]);
  Object.assign(one.results[0], { round_sizes: [2, 2] });
  Object.assign(two.results[0], { round_sizes: [4] });
  const merged = mergeRuns([one, two]);
  assert.equal(merged.config.repeat, 2);
  assert.deepEqual(
    merged.results.map((r) => r.id),
    ["a/x", "a/only-first"],
  );
  const [x] = merged.results;
  assert.deepEqual(x.samples, [1, 2, 3, 4, 10, 20, 30, 40]);
  assert.deepEqual(x.round_sizes, [2, 2, 4]);
  assert.equal(x.stats!.n, 8);
  assert.deepEqual(x.counters, { c: 5 });
  assert.deepEqual(resultBatches(x, 3), [1.5, 3.5, 25]);
});
