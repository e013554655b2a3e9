import { test } from "node:test";
import assert from "node:assert/strict";
import { runBench } from "../src/bench/runner.js";
import { secondLookIds } from "../src/bench/second-look.js";
import { parseRun } from "../src/bench/run-file.js";
import { targetCount } from "../src/report/headlines.js";
import type { BenchCase, Headline, Suite } from "../src/contract/suite.js";

test("a second look runs the cases of undecided targets and of every target sharing one of them, nothing else", () => {
  const line = (cases: string[], undecided = false): Headline => ({ text: cases.join(" / "), target: ">= 1x", met: undecided ? null : true, undecided, cases });
  assert.deepEqual([...secondLookIds([line(["a", "b"], true), line(["b", "c"]), line(["c", "d"]), line(["e", "f"])])].sort(), ["a", "b", "c", "d"]);
  assert.deepEqual([...secondLookIds([line(["a", "b"]), { text: "info" }])], []);
});

/** Timed cases a, b, c and a measured case m; the target a / m stays undecided until its cases had a second look. */
function suite(measured: number[]): Suite {
  const cases: BenchCase[] = [
    ...["a", "b", "c"].map((name): BenchCase => ({ kind: "timed", case: name, backend: "host", params: {}, run: () => undefined })),
    {
      kind: "measured",
      case: "m",
      backend: "pool",
      params: {},
      measure: async () => {
        measured.push(measured.length);
        return { samples: [1, 2, 3], roundSizes: [1, 2] };
      },
    },
  ];
  return {
    name: "looks",
    description: "a target undecided on one look",
    async cases() {
      return cases;
    },
    summary(results) {
      const [a, b, m] = ["a", "b", "m"].map((n) => results.find((r) => r.case === n)!);
      const looks = Math.max(a.looks, m.looks);
      const decided = { text: "a / b", target: ">= 1x", met: true, cases: [a.id, b.id], ...(b.looks > 1 ? { looks: b.looks } : {}) };
      return [{ text: "a / m", target: ">= 1x", met: looks > 1, undecided: looks === 1, cases: [a.id, m.id], ...(looks > 1 ? { looks } : {}) }, decided];
    },
  };
}

test("a target left undecided gets a second look: its cases' rounds twice over, marked looks 2; --quick, --runs and no secondLook take none", async () => {
  const measured: number[] = [];
  const r = await runBench({ suites: [suite(measured)], filter: null, quick: false, full: false, sizes: null, timeMs: 16, secondLook: true });
  parseRun(JSON.stringify(r.run), "run with a second look");
  const by = Object.fromEntries(r.run.results.map((x) => [x.case, x]));
  // a and m stand behind the undecided target, b shares a target with a; c stands behind none.
  assert.deepEqual(
    ["a", "b", "c"].map((n) => [n, by[n].round_sizes?.length, by[n].looks]),
    [
      ["a", 32, 2],
      ["b", 32, 2],
      ["c", 16, undefined],
    ],
  );
  assert.deepEqual([measured.length, by.m.samples, by.m.round_sizes, by.m.looks], [2, [1, 2, 3, 1, 2, 3], [1, 2, 1, 2], 2]);
  assert.equal(r.summary[0].met, true);
  assert.equal(targetCount(r.summary), "2 of 2 targets met (2 judged on a second look)");

  for (const opts of [{ secondLook: false }, { secondLook: true, quick: true }, { secondLook: true, runs: 32 }]) {
    const once = await runBench({ suites: [suite([])], filter: null, quick: false, full: false, sizes: null, timeMs: 16, ...opts });
    assert.equal(once.summary[0].undecided, true, JSON.stringify(opts));
    assert.ok(
      once.run.results.every((x) => x.looks === undefined && (x.round_sizes?.length ?? 0) <= 16),
      JSON.stringify(opts),
    );
  }
});

test("the throughput suite measures a mix anew when its cases are measured again, whichever comes first", async () => {
  const { throughputSuite } = await import("../bench/throughput.js");
  const cases = (await throughputSuite.cases({ quick: true, full: false, sizes: null, timeMs: 10 })).filter((c) => c.kind === "measured");
  const [one, two] = cases;
  const first = [await one.measure(10), await two.measure(10)];
  const second = [await one.measure(10), await two.measure(10)];
  // Each look's windows are its own: the second look's are not the first's again.
  assert.notDeepEqual(second[0].samples, first[0].samples);
  assert.notDeepEqual(second[1].samples, first[1].samples);
  // Whichever case comes first in a look starts its measurement.
  const third = [await two.measure(10), await one.measure(10)];
  assert.notDeepEqual(third[0].samples, second[1].samples);
  assert.notDeepEqual(third[1].samples, second[0].samples);
});
