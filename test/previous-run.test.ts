// The "vs previous run" lines bench prints after a run, as criterion does:
// only against a run of the same machine and suites, counts first, the
// benchmarks that moved named, advisory wording; readPreviousRun takes an
// absent or broken last-run.json as nothing to compare with.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { comparableRuns, previousRunLine, readPreviousRun } from "../src/report/previous-run.js";
import { noisyRun, SHARED_MACHINE, syntheticRun, uniform } from "./helpers/synthetic.js";

const random = uniform(5);
const quiet = { ...SHARED_MACHINE, burstEnter: 0, spikeProb: 0, runSigma: 0, sigma: 0.01, n: 64 };
const config = { suites: ["lookup"], quick: false, full: false };
const run = (medians: number[], counters: number[] = medians.map(() => 7)) => ({
  ...syntheticRun(medians.map((m, i) => ({ id: `lookup/case-${i}`, samples: noisyRun(random, m, quiet), counters: { slots: counters[i] } }))),
  config,
});

describe("vs previous run", () => {
  it("one line: counts, naming at most three benchmarks of each kind of change, and that it is advisory", () => {
    const before = run([1000, 1000, 1000, 1000, 1000, 1000]);
    const after = run([1300, 1250, 1200, 1150, 700, 1000], [7, 7, 7, 7, 7, 9]);
    assert.match(
      previousRunLine(before, after)!,
      new RegExp(
        "^vs previous run \\(2025-01-01 00:00 UTC, same machine\\): " +
          "4 slower \\(lookup/case-0 \\+(29|30|31)\\.\\d%, lookup/case-1 \\+2\\d\\.\\d%, lookup/case-2 \\+(19|20|21)\\.\\d% \\(\\+1 more\\)\\), " +
          "1 faster \\(lookup/case-4 -(29|30|31)\\.\\d%\\), 1 unchanged, " +
          "1 with exact counters changed \\(lookup/case-5: slots 7 -> 9 \\(\\+28\\.6%, regressed\\)\\); " +
          "advisory, exit code unaffected \\(--no-compare-previous: off\\)$",
      ),
    );
  });

  it("nothing to say when no benchmark is in both runs; counts alone when nothing moved", () => {
    const a = run([1000]);
    const b = { ...a, results: a.results.map((r) => ({ ...r, id: "lookup/other" })) };
    assert.equal(previousRunLine(a, b), null);
    assert.match(previousRunLine(a, run([1000]))!, /: 0 slower, 0 faster, 1 unchanged; advisory/);
  });

  it("only the same machine and the same suites, quick/full alike", () => {
    const a = run([1000]);
    assert.ok(comparableRuns(a, run([1000])));
    assert.ok(!comparableRuns(a, { ...a, machine: { ...a.machine, cpu: "Other CPU" } }), "another machine");
    assert.ok(!comparableRuns(a, { ...a, config: { ...config, suites: ["lookup", "remap"] } }), "other suites");
    assert.ok(!comparableRuns(a, { ...a, config: { ...config, quick: true } }), "a quick run");
  });

  it("an absent or unreadable previous run is nothing to compare with", () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-previous-"));
    assert.equal(readPreviousRun(join(dir, "absent.json")), null);
    writeFileSync(join(dir, "torn.json"), '{"schema": "aio-ring-bench/run@1", "res');
    assert.equal(readPreviousRun(join(dir, "torn.json")), null);
    writeFileSync(join(dir, "run.json"), JSON.stringify(run([1000])));
    assert.equal(readPreviousRun(join(dir, "run.json"))?.results.length, 1);
  });
});
