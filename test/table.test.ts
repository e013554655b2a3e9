// The terminal table: fits the width it is given, groups rows by case,
// moves constant parameters to the header, SI numbers, the interval of the
// median; and the number formats it uses.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRun } from "../src/bench/run-file.js";
import type { Run, RunResult } from "../src/contract/run-document.js";
import { caseId } from "../src/contract/suite.js";
import { formatRatio, formatSi } from "../src/report/format.js";
import { renderHeadlines, targetCount } from "../src/report/headlines.js";
import { renderRunTable } from "../src/report/table.js";
import { compareRuns, renderComparison } from "../src/report/compare.js";
import { shortenKeys } from "../src/report/key-column.js";
import { cutMiddle, renderTable } from "../src/report/text-table.js";
import { syntheticRun } from "./helpers/synthetic.js";

test("SI suffixes with three significant digits, never e-notation", () => {
  const cases: [number, string][] = [
    [32970, "33.0k"],
    [206_500_000, "207M"],
    [8.468, "8.47"],
    [1, "1.00"],
    [0.98, "0.980"],
    [9.996, "10.0"],
    [999.6, "1.00k"],
    [0, "0"],
    [123.4, "123"],
  ];
  for (const [v, text] of cases) assert.equal(formatSi(v), text, String(v));
  assert.equal(formatRatio(2832.55), "2.83kx");
});

function result(
  kase: string,
  params: Record<string, string | number>,
  median: number,
  counters: Record<string, number>,
  extra: Partial<RunResult> = {},
): RunResult {
  const samples = [0.98, 0.99, 1, 1, 1, 1.01, 1.02, 1.05].map((f) => f * median);
  return {
    id: caseId("lookup", { case: kase, params, backend: "wasm" }),
    suite: "lookup",
    case: kase,
    params,
    backend: "wasm",
    unit: "ns/op",
    samples,
    stats: { mean: median, median, p99: median * 1.05, min: median * 0.98, max: median * 1.05, sd: median * 0.02, rme: 1, n: samples.length },
    counters,
    complexity: null,
    ...extra,
  };
}

function run(): Run {
  const ns = [1, 16, 256, 4096, 65536];
  const results = [
    ...ns.map((n) =>
      result(
        "list-walk-with-a-long-name",
        { n, dist: "uniform" },
        3 * n,
        { nodes_visited_per_op: n / 2, other_counter: 1, third_counter: 2, fourth: 3 },
        {
          group: `n=${n}`,
          complexity: { big_o: "O(N)", coefficient: 3, intercept: 0, rms: 0.01 },
          counter_complexity: { counter: "nodes_visited_per_op", big_o: "O(N)", coefficient: 0.5, intercept: 0, rms: 0 },
        },
      ),
    ),
    ...ns.map((n) =>
      result(
        "table-header-id",
        { n, dist: "uniform" },
        20,
        { nodes_visited_per_op: 1 },
        { group: `n=${n}`, reference: true, complexity: { big_o: "inconclusive", coefficient: 0, intercept: 20, rms: 0.1, candidates: ["O(1)", "O(log N)"] } },
      ),
    ),
    {
      ...result("kernel", { n: 65536, dist: "uniform" }, 1, {}),
      samples: [],
      stats: null,
      status: { unavailable: "65536 rings exceed vm.max_map_count (one VMA each) and more words to be cut" },
    },
  ];
  return parseRun(
    JSON.stringify({
      schema: "aio-ring-bench/run@1",
      tool: { name: "t", version: "0" },
      git: null,
      started: "2026-01-01T00:00:00.000Z",
      machine: { node: "v20", v8: "1", cpu: "c", cores: 2, kernel: "6.18", arch: "x64" },
      config: {},
      results,
    }),
    "fixture",
  );
}

for (const width of [120, 80, 60]) {
  test(`the run table fits ${width} columns`, () => {
    const text = renderRunTable(run(), { width, color: false });
    const lines = text.split("\n");
    for (const l of lines) assert.ok([...l].length <= width, `${[...l].length} > ${width}: ${l}`);
    assert.match(text, /^lookup +n +median/m, "one header line, headed by the suite");
    assert.match(text, /dist=uniform/, "the constant parameter is on the header line");
    assert.doesNotMatch(text, /[─│┌]|e\+/, "no rules, no e-notation");
    assert.match(text.replace(/\s+/g, " "), /fit: .*table-header-id \[time inconclusive \(1, log N\)\]/);
    assert.match(text, /not measured: 65536 rings/);
  });
}

test("rows are grouped by case, N growing downwards; the case is named once; ratios to the reference; counters in SI", () => {
  const lines = renderRunTable(run(), { width: 120, color: false }).split("\n");
  const walk = lines.findIndex((l) => l.startsWith("list-walk-with-a-long-name"));
  assert.ok(
    lines.slice(walk + 1, walk + 5).every((l) => /^\s/.test(l)),
    "the case is named on its first row only",
  );
  assert.match(lines[walk + 1], /^\s+16\s/);
  assert.match(lines[walk + 4], /^\s+65536\s.*9\.83kx.*32\.8k/);
  assert.match(lines.find((l) => l.startsWith("table-header-id"))!, /\sref\s/);
});

test("a column that does not fit is truncated to its minimum, then the most droppable is left out and named", () => {
  const cols = [
    { header: "benchmark", min: 12, cut: "key" as const },
    { header: "value", align: "right" as const },
    { header: "extra", drop: 1 },
  ];
  const r = renderTable(cols, [["lookup/table-header-id/wasm/n=65536", "1.00", "some long extra text"]], 30);
  assert.deepEqual(r.hidden, ["extra"]);
  for (const l of r.text.split("\n")) assert.ok([...l].length <= 30, l);
  assert.equal(cutMiddle("abcdefghij", 5), "ab…ij");
});

test("headlines: met / MISSED / info marks, and the count of targets met", () => {
  const hs = [
    { text: "a: 2x", target: ">= 1.5x", met: true },
    { text: "b: 1x", target: ">= 1.5x", met: false },
    { text: "c: 3 µs" },
    { text: "d: not measured", target: "<= 5", met: null },
  ];
  const lines = renderHeadlines(hs, { width: 80, color: false });
  assert.deepEqual(
    lines.map((l) => l.split(/\s+/)[0]),
    ["met", "MISSED", "info", "n/a"],
  );
  assert.match(lines[1], /b: 1x; target >= 1\.5x/);
  assert.equal(targetCount(hs), "1 of 3 targets met (1 not measured)");
});

test("headlines with intervals: met when the whole interval meets the target, missed when none does, undecided when it straddles", async () => {
  const { intervalHeadline, ratioLine } = await import("../bench/ratio.js");
  const t = { op: ">=" as const, bound: 100, unit: "x" };
  assert.equal(intervalHeadline("a", [120, 140], t).met, true);
  assert.equal(intervalHeadline("b", [60, 90], t).met, false);
  const straddle = intervalHeadline("c", [74.5, 101], t);
  assert.equal(straddle.met, null);
  assert.equal(straddle.undecided, true);
  assert.deepEqual(renderHeadlines([straddle], { width: 80, color: false })[0].split(/\s+/)[0], "undecided");
  assert.equal(targetCount([straddle, intervalHeadline("a", [120, 140], t)]), "1 of 2 targets met (1 undecided: the interval straddles the target)");
  // From results: 16 rounds each, a ratio of ~100 whose interval straddles >= 100.
  const result = (median: number, spread: number) => ({
    id: "x",
    case: "x",
    backend: "wasm",
    params: {},
    median,
    roundMedians: Array.from({ length: 16 }, (_, i) => median * (1 + spread * ((i % 5) - 2))),
    byRound: false,
    counters: {},
    measurements: {},
    unavailable: null,
    looks: 1,
    complexity: null,
    counterComplexity: null,
  });
  const h = ratioLine("slow / fast", result(1000, 0.05), result(10, 0.05), { op: ">=", bound: 100 });
  assert.equal(h.undecided, true, h.text);
  assert.match(h.text, /^slow \/ fast: 100x \[\d+(\.\d+)?x, \d+(\.\d+)?x\] \(/);
  assert.equal(ratioLine("slow / fast", result(1000, 0.001), result(5, 0.001), { op: ">=", bound: 100 }).met, true);
  // The figure comes from the same per-round medians as its interval, whatever the median of all samples says.
  const skewed = { ...result(1000, 0.01), median: 3000 };
  const line = ratioLine("skewed / fast", skewed, result(10, 0.01), null);
  const [fig, lo, hi] = [...line.text.matchAll(/(\d+(?:\.\d+)?)x/g)].map((m) => Number(m[1]));
  assert.ok(lo <= fig && fig <= hi, line.text);
  assert.equal(fig, 100);
  // Rounds timed side by side: a machine at two speeds (x1 or x2 per round, on both sides alike) is a
  // coin flip for unpaired round medians, and no matter at all when the rounds are drawn in pairs.
  const modes = [1, 2, 2, 1, 1, 2, 1, 2, 2, 2, 1, 1, 2, 1, 1, 2];
  const side = (ns: number, byRound: boolean) => ({ ...result(ns, 0), median: ns, roundMedians: modes.map((m, i) => ns * m * (1 + 0.01 * (i % 3))), byRound });
  const unpaired = ratioLine("two speeds", side(105, false), side(1, false), { op: ">=", bound: 100 });
  assert.equal(unpaired.undecided, true, unpaired.text);
  const paired = ratioLine("two speeds", side(105, true), side(1, true), { op: ">=", bound: 100 });
  assert.equal(paired.met, true, paired.text);
  assert.ok(paired.interval![0] > 100 && paired.interval![1] < 110, paired.text);
});

// Issue 20, item 12: compare and ab cut ids in the middle, and three rows read `lookup/list-…dist=uniform`.
const KEY_IDS = ["list-walk", "open-addressing", "table-header-id", "lowest-free"].flatMap((c) =>
  ["wasm", "ts"].flatMap((b) => [1, 256, 65536].map((n) => `lookup/${c}/${b}/n=${n}/dist=uniform`)),
);

test("shortened ids keep what tells them apart: common segments elided, segments cut only while distinct", () => {
  assert.deepEqual(shortenKeys(KEY_IDS, 100), KEY_IDS, "ids that fit are kept whole");
  assert.equal(shortenKeys(KEY_IDS, 30)[0], "…/list-walk/wasm/n=1/…");
  for (const max of [8, 12, 16, 20, 24, 30, 36]) {
    const short = shortenKeys(KEY_IDS, max);
    assert.equal(new Set(short).size, KEY_IDS.length, `unique at ${max}: ${short.join(" ")}`);
  }
  // As short as asked when an unambiguous form that short exists.
  assert.ok(shortenKeys(KEY_IDS, 20).every((s) => [...s].length <= 20));
  // Ids that differ only inside one long segment, or in their number of segments.
  const odd = ["a/x-long-common-prefix-1-common-suffix", "a/x-long-common-prefix-2-common-suffix", "a/x-long-common-prefix-2-common-suffix/b", "a"];
  for (const max of [4, 8, 16]) assert.equal(new Set(shortenKeys(odd, max)).size, odd.length, `unique at ${max}`);
  // Repeated ids (the same benchmark on two rows) map alike.
  assert.deepEqual(
    shortenKeys([KEY_IDS[0], KEY_IDS[1], KEY_IDS[0]], 12).map((s, _, a) => s === a[0]),
    [true, false, true],
  );
});

test("compare and ab tables: at every width the benchmark column is unambiguous and rows fit", () => {
  const old = syntheticRun(KEY_IDS.map((id) => ({ id, samples: [10, 11, 12, 10, 11, 12, 10, 11] })));
  const neu = syntheticRun(
    KEY_IDS.map((id, i) => ({ id, samples: [10, 11, 12, 10, 11, 12, 10, 11].map((x) => x * (1 + i / 10)), counters: { slots_visited_per_op: i } })),
  );
  const cmp = compareRuns(old, neu);
  const ab = { ...cmp, kind: "ab" as const };
  for (const c of [cmp, ab]) {
    for (const width of [80, 100, 120, 160, 200]) {
      const lines = renderComparison(c, { width, color: false }).split("\n");
      const head = lines.findIndex((l) => l.startsWith("benchmark"));
      const rows = lines.slice(head + 1, head + 1 + KEY_IDS.length);
      assert.ok(
        lines.every((l) => [...l].length <= width),
        `${c.kind} at ${width}:\n${lines.filter((l) => [...l].length > width).join("\n")}`,
      );
      const keys = rows.map((l) => l.split("  ")[0].trim());
      assert.equal(new Set(keys).size, KEY_IDS.length, `${c.kind} at ${width}: ${keys.join(" | ")}`);
    }
  }
});
