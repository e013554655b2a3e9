// The HTML report: escaping, offline-ness and which charts appear (unit
// tests on renderHtml); the `report` command and a real headless Chromium
// are in report-command.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderHtml } from "../src/report/html.js";
import { renderComparisonHtml } from "../src/report/html-comparison.js";
import { scriptJson } from "../src/report/html-page.js";
import { historyTrends } from "../src/bench/trends.js";
import { boxStats, comparisonChart, drawnSamples, historyCharts, MAX_CHANGE_BARS, MAX_DRAWN_SAMPLES, type DistItem } from "../src/report/html-charts.js";
import { validateComparison } from "../src/report/comparison-file.js";
import { compareRuns } from "../src/report/compare.js";
import type { Comparison } from "../src/contract/comparison.js";
import { parseRun } from "../src/bench/run-file.js";
import { HISTORY_SCHEMA_ID, type HistoryRecord } from "../src/contract/history-record.js";
import { SUITES } from "../bench/index.js";
import { SAMPLE_SPREAD, STEP_ID, WOBBLE, abFixture, compared, dataBlock, result, smallHistory, smallRun } from "./helpers/report-fixtures.js";

test("hostile strings from the run are escaped in text and in the JSON block", () => {
  const evil = `</script><script>alert(1)</script><img src=x onerror=alert(2)><!--`;
  const run = smallRun();
  run.results[0]!.case = evil;
  run.results[0]!.id = evil;
  run.results[0]!.params = { ...run.results[0]!.params, dist: evil };
  run.results[9]!.backend = evil;
  run.machine = { ...run.machine, cpu: evil, [evil]: "key too" };
  run.config = { ...run.config, note: [evil] };
  const html = renderHtml(run, { history: smallHistory(smallRun()) });
  // Our own three script elements and nothing else: no injected element survives.
  assert.equal(html.match(/<script/gi)?.length, 3);
  assert.equal(html.match(/<\/script/gi)?.length, 3);
  assert.ok(!/<img/i.test(html), "no <img element");
  assert.ok(html.includes("&#60;/script&#62;&#60;script&#62;alert(1)"), "hostile case name appears as escaped text");
  // The JSON block restores the exact strings, so the data is not mangled either.
  const data = dataBlock(html);
  assert.equal(data.run.results[0]!.case, evil);
  assert.equal(data.run.machine.cpu, evil);
});

test("scriptJson cannot close a script element or open a comment", () => {
  const s = scriptJson({ a: "</script>", b: "<!--", c: "x\u2028y&" });
  assert.doesNotMatch(s, /<|>|&|\u2028/);
  assert.deepEqual(JSON.parse(s), { a: "</script>", b: "<!--", c: "x\u2028y&" });
});

test("the report fetches nothing: no http(s) src or href, and a CSP forbidding network", () => {
  const run = smallRun();
  run.machine = { ...run.machine, cpu: "https://example.com/x.js" };
  const html = renderHtml(run, { history: smallHistory(run) });
  assert.ok(!/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i.test(html), "no src/href to a network URL");
  assert.ok(html.includes(`Content-Security-Policy" content="default-src 'none'`), "CSP forbids fetching");
});

test("charts appear only for data the run has", () => {
  const full = smallRun();
  const all = dataBlock(renderHtml(full, { history: smallHistory(full), suites: SUITES })).charts.map((c) => c.canvas);
  for (const id of ["chart-lookup", "chart-remap", "chart-criu-restore", "chart-getevents", "chart-throughput"]) assert.ok(all.includes(id), id);
  assert.ok(all.some((c) => c.startsWith("chart-history-")));
  const first = dataBlock(renderHtml(full)).run.results[0]!;
  assert.ok(first.stats && !("samples" in first), "stats are inlined, raw samples are not");

  const onlyLookup = smallRun();
  onlyLookup.results = onlyLookup.results.filter((r) => r.suite === "lookup");
  const html = renderHtml(onlyLookup, { suites: SUITES });
  assert.deepEqual(
    dataBlock(html).charts.map((c) => c.canvas),
    ["chart-lookup", "chart-run-dist-samples"],
  );
  assert.equal(html.match(/<canvas/g)?.length, 2, "the lookup chart and the distribution picker's");
  assert.deepEqual(
    [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]),
    ["suite-lookup", "machine", "all"],
    "suites without results and a history not given leave no empty section",
  );
  assert.ok(!html.includes('href="#history"'), "nor an entry in the navigation");
  // The fitted complexity is in the legend label of its line.
  assert.ok(html.includes("list-walk — fit O(N)"));
});

test("remap puts the kernel's mremap on the strategies' axes; throughput is ops/s beside ideal scaling; every point has its interval", () => {
  const run = smallRun();
  const charts = (
    dataBlock(renderHtml(run, { suites: SUITES })) as unknown as {
      charts: { canvas: string; config: { data: { datasets: { label: string; data: { x: number; y: number; lo?: number; hi?: number }[] }[] } } }[];
    }
  ).charts;
  const remap = charts.find((c) => c.canvas === "chart-remap")!.config.data.datasets;
  assert.ok(remap.some((d) => d.label.startsWith("kernel-mremap")) && remap.some((d) => d.label.startsWith("remap-scan")));
  assert.deepEqual(
    remap.find((d) => d.label.startsWith("kernel-mremap"))!.data.map((p) => p.x),
    [16, 256, 4096],
    "the kernel at the same N",
  );
  for (const c of charts.filter((x) => ["chart-lookup", "chart-remap", "chart-criu-restore"].includes(x.canvas))) {
    for (const d of c.config.data.datasets)
      for (const p of d.data) assert.ok(p.lo! <= p.y && p.y <= p.hi! && p.lo! < p.hi!, `${c.canvas} ${d.label}: interval around the median`);
  }
  const tp = charts.find((c) => c.canvas === "chart-throughput")!.config.data.datasets;
  const measured = tp.find((d) => d.label === "submit-reap")!;
  assert.ok(Math.abs(measured.data[0].y - 1e9 / 900) < 1e-6, "ops/s, not ns/op");
  assert.deepEqual(
    tp.find((d) => d.label === "submit-reap ideal")!.data.map((p) => Math.round(p.y)),
    [1, 2, 4].map((w) => Math.round((w * 1e9) / 900)),
  );
});

test("given an old run, a comparison view: old vs new per benchmark, coloured by verdict", () => {
  const old = smallRun();
  const run = smallRun();
  run.results = run.results.map((r) =>
    r.case === "list-walk" ? { ...r, samples: r.samples.map((x) => x * 1.5), stats: { ...r.stats!, median: r.stats!.median * 1.5 } } : r,
  );
  const html = renderHtml(run, compared(old, run));
  assert.ok(dataBlock(html).charts.some((c) => c.canvas === "chart-comparison"));
  assert.match(html, /<section id="comparison">/);
  assert.equal(html.match(/<td class="verdict regression">regressed<\/td>/g)?.length, 3, "the three slower list-walk rows");
  assert.ok(!renderHtml(run).includes('id="comparison"'), "no comparison without an old run");
});

test("readable pages: dots for io_getevents, whole ids and numbers, exact counts, the threshold drawn, no empty sections", () => {
  const run = smallRun();
  const id = run.results[0]!.id;
  run.results[0] = { ...run.results[0]!, ops_per_sample: 65536, counters: { slots_visited_per_op: 65536 } };
  const old = smallRun();
  const html = renderHtml(run, { suites: SUITES, ...compared(old, run) });
  type Spec = {
    canvas: string;
    xLines?: { x: number }[];
    config: { type: string; data: { datasets: { showLine?: boolean; intervalColour?: string }[] } };
  };
  const charts = (dataBlock(html) as unknown as { charts: Spec[] }).charts;
  const getevents = charts.find((c) => c.canvas === "chart-getevents")!;
  assert.notEqual(getevents.config.type, "bar", "no bars on a log axis");
  assert.ok(
    getevents.config.data.datasets.every((d) => d.showLine === false),
    "one dot per case and backend",
  );
  // An id breaks only after a "/", a counter never inside its number, a count is exact.
  assert.ok(html.includes(`<td class="id">${id.split("/").join("/<wbr>")}</td>`));
  assert.match(html, /<td class="num">65,536<\/td>/, "ops/sample exact");
  assert.match(html, /slots_visited_per_op=<wbr>65,536/, "counter exact, breaking only after its name");
  // The change chart: dark whiskers over the bars, and the threshold on both sides.
  const change = charts.find((c) => c.canvas === "chart-comparison")!;
  assert.equal(change.config.data.datasets[0]!.intervalColour, "#1f2328");
  assert.deepEqual(
    change.xLines!.map((l) => l.x),
    [0, 5, -5],
  );
  // A comparison of runs with one suite opens with that suite, then the comparison: no empty boxes, no History without a history.
  const one = smallRun();
  one.results = one.results.filter((r) => r.suite === "lookup");
  const cmpHtml = renderHtml(one, { suites: SUITES, ...compared(one, one) });
  assert.deepEqual(
    [...cmpHtml.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]),
    ["suite-lookup", "comparison", "machine", "all"],
  );
  assert.doesNotMatch(cmpHtml, /No data in this run|No history file given/);
});

test("the comparison view shows both runs' distributions and every sample count it compared", () => {
  const old = smallRun();
  const run = smallRun();
  const html = renderHtml(run, compared(old, run));
  const data = dataBlock(html);
  const items = data.dists["cmp-dist"]!;
  assert.equal(items.length, run.results.length, "every benchmark measured in both runs can be picked");
  const first = items[0]!;
  assert.deepEqual(
    first.sides.map((s) => s.label),
    ["old", "new"],
  );
  assert.equal(first.sides[0]!.box.n, SAMPLE_SPREAD.length, "the box counts every sample");
  assert.ok(data.charts.some((c) => c.canvas === "chart-cmp-dist-samples"));
  assert.ok(!data.charts.some((c) => c.canvas === "chart-cmp-dist-ratios"), "cycle ratios only for an ab result");
  assert.equal(html.match(/<td class="num">8 \/ 8<\/td>/g)?.length, run.results.length, "samples compared per side");
});

test("an ab result on its own: verdict colours, cycles, p, exact counters, per-round values and ABBA cycle ratios", () => {
  const cmp = abFixture();
  assert.equal(cmp.kind, "ab");
  const html = renderComparisonHtml(cmp);
  const data = dataBlock(html);
  const count = (v: string) => cmp.entries.filter((e) => e.verdict === v).length;
  assert.ok(count("improved") > 0 && count("unchanged") > 0 && count("too noisy") > 0, "the fixture has several verdicts");
  assert.equal(html.match(/<td class="verdict improvement">improved<\/td>/g)?.length, count("improved"));
  assert.equal(html.match(/<td class="verdict">unchanged<\/td>/g)?.length, count("unchanged"));
  assert.equal(html.match(/<td class="verdict noisy">too noisy<br><span class="reason">\d+ ABBA cycles/g)?.length, count("too noisy"));
  const counterRegressions = cmp.entries.flatMap((e) => e.counterChanges).filter((c) => c.verdict === "regressed").length;
  assert.ok(counterRegressions > 0);
  assert.equal(html.match(/<span class="regression">wasm_instructions_per_op [^<]*, regressed\)<\/span>/g)?.length, counterRegressions);
  assert.match(html, /ab: \d+ rounds in [\d.]+ s of a 40 s budget; at least \d+ cycles before a verdict; \d+ benchmarks? too noisy \(undecided\)/);
  assert.match(html, /p: its anytime-valid p-value/);
  assert.deepEqual(
    data.charts.map((c) => c.canvas),
    ["chart-comparison", "chart-cmp-dist-samples", "chart-cmp-dist-ratios"],
  );
  const items = data.dists["cmp-dist"]!;
  assert.equal(items.length, cmp.entries.length);
  for (const it of items) {
    const e = cmp.entries.find((x) => x.id === it.id)!;
    assert.deepEqual(
      it.sides.map((s) => [s.label, s.box.n]),
      [
        ["base", e.samples!.old.length],
        ["head", e.samples!.new.length],
      ],
    );
    assert.equal(it.ratios!.box.n, e.cycleRatios!.length);
    assert.equal(it.ratios!.threshold, 5);
    // The box's median of the cycle changes is the change the verdict reports.
    assert.ok(Math.abs(it.ratios!.box.median - e.change! * 100) < 0.01, `${it.id}: ${it.ratios!.box.median} vs ${e.change! * 100}`);
    for (const side of [...it.sides, it.ratios!]) assert.ok(side.points.length <= MAX_DRAWN_SAMPLES);
  }
  assert.ok(!("samples" in (data as unknown as { comparison: { entries: object[] } }).comparison.entries[0]!), "raw values only in the pickers' data");
});

test("an ab file written before it kept per-round values still renders, without distributions", () => {
  const cmp = abFixture();
  const old = { ...cmp, entries: cmp.entries.map(({ samples: _s, cycleRatios: _c, ...e }) => e) };
  delete old.kind;
  delete old.ab;
  const html = renderComparisonHtml(validateComparison(JSON.parse(JSON.stringify(old)), "old.json"));
  assert.deepEqual(
    dataBlock(html).charts.map((c) => c.canvas),
    ["chart-comparison"],
  );
  assert.match(html, /No per-round values in this comparison/);
});

test("hostile strings from an ab file are escaped in text and attributes, and kept exact in the JSON block", () => {
  const evil = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'<!--`;
  const cmp = abFixture();
  cmp.old.source = evil;
  cmp.new.toolVersion = evil;
  cmp.old.machine = { ...cmp.old.machine, cpu: evil, [evil]: evil };
  cmp.entries[0]!.id = `lookup/${evil}`;
  cmp.entries[1]!.counterChanges = [{ name: evil, old: 1, new: 2, change: 1, verdict: "regressed" }];
  cmp.entries[2] = { ...cmp.entries[2]!, verdict: "not comparable", reason: evil };
  const html = renderComparisonHtml(validateComparison(JSON.parse(JSON.stringify(cmp)), "evil.json"));
  assert.equal(html.match(/<script/gi)?.length, 3, "only the page's own three scripts");
  assert.equal(html.match(/<\/script/gi)?.length, 3);
  assert.ok(!/<img/i.test(html), "no <img element");
  assert.ok(
    html.includes('data-pick="lookup/&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#60;img src=x onerror=alert(2)&#62;&#34;&#39;&#60;!--"'),
    "escaped in the attribute",
  );
  assert.ok(html.includes(`<option value="lookup/&#60;/script&#62;`), "escaped in the picker");
  assert.ok(html.includes(`<td class="verdict noisy">not comparable<br><span class="reason">&#60;/script&#62;`), "escaped reason, amber");
  const data = dataBlock(html) as unknown as { dists: Record<string, DistItem[]>; comparison: Comparison };
  assert.equal(data.dists["cmp-dist"]![0]!.id, `lookup/${evil}`);
  assert.equal(data.comparison.old.source, evil);
});

test("distributions are bounded: at most MAX_DRAWN_SAMPLES drawn (smallest and largest kept), the box from every value", () => {
  const values = Array.from({ length: 10_000 }, (_, i) => 1000 + ((i * 7919) % 1000));
  const drawn = drawnSamples(values);
  assert.equal(drawn.length, MAX_DRAWN_SAMPLES);
  assert.equal(drawn[0], 1000);
  assert.equal(drawn[drawn.length - 1], 1999);
  assert.deepEqual(drawnSamples([3, 1, 2]), [1, 2, 3]);
  const box = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 100]);
  assert.deepEqual([box.q1, box.median, box.q3, box.n], [3, 5, 7, 9]);
  assert.equal(box.lo, 1);
  assert.equal(box.hi, 8, "the whisker stops at the last value within 1.5 IQR; 100 is an outlier dot");

  const run = smallRun();
  run.results[0] = { ...run.results[0]!, samples: values, stats: { ...run.results[0]!.stats!, n: values.length } };
  const items = dataBlock(renderHtml(run)).dists["run-dist"]!;
  assert.equal(items.length, run.results.length);
  assert.equal(items[0]!.sides[0]!.points.length, MAX_DRAWN_SAMPLES);
  assert.equal(items[0]!.sides[0]!.box.n, values.length);
});

test("history, comparison and distributions stay usable at hundreds of benchmarks: pickers, small multiples only for marked changes", () => {
  const run = smallRun();
  const many = Array.from({ length: 300 }, (_, i) => result("lookup", `strategy-${i}`, { n: 16, dist: "uniform" }, "wasm", 10 + i));
  run.results = [...run.results, ...many];
  const html = renderHtml(run, { history: smallHistory(run), ...compared(run, run) });
  const canvases = html.match(/<canvas/g)?.length ?? 0;
  assert.ok(canvases < 20, `${canvases} canvases for ${run.results.length} benchmarks`);
  const options = (select: string) => new RegExp(`<select id="${select}">(.*?)</select>`).exec(html)![1]!.match(/<option /g)?.length;
  assert.equal(options("history-pick"), run.results.length, "every benchmark's trend can be picked");
  assert.equal(options("cmp-dist-pick"), run.results.length, "every benchmark's old vs new distribution can be picked");
  assert.equal(options("run-dist-pick"), run.results.length, "every benchmark's distribution can be picked");
  assert.match(html, /id="chart-history-pick"/);
  assert.match(html, /id="history-filter"/);
});

test("the change chart of hundreds of benchmarks keeps every verdict and the largest moves, and says how many it shows", () => {
  const old = smallRun();
  const slowed = new Set([5, 150, 299]);
  old.results = Array.from({ length: 300 }, (_, i) => result("lookup", `strategy-${i}`, { n: 16, dist: "uniform" }, "wasm", 100));
  const next = structuredClone(old);
  next.results = old.results.map((_, i) => result("lookup", `strategy-${i}`, { n: 16, dist: "uniform" }, "wasm", slowed.has(i) ? 200 : 100 + (i % 7) * 0.1));
  const chart = comparisonChart(compareRuns(old, next))!;
  const labels = chart.config.data.labels as string[];
  assert.equal(labels.length, MAX_CHANGE_BARS);
  assert.equal(chart.rows, MAX_CHANGE_BARS);
  for (const i of slowed) assert.ok(labels.includes(old.results[i]!.id), `regression ${i} is drawn`);
  assert.match(chart.title, new RegExp(`${MAX_CHANGE_BARS} of 300: every verdict first`));
  const few = comparisonChart(compareRuns(smallRun(), smallRun()))!;
  assert.doesNotMatch(few.title, / of /, "a small comparison draws every benchmark and says nothing more");
});

test("a result that could not be measured says so, never a number", () => {
  const run = smallRun();
  run.results = run.results
    .filter((r) => r.suite === "getevents")
    .map((r) => ({ ...r, samples: [], stats: null, status: { unavailable: "kernel probe not built" } }));
  parseRun(JSON.stringify(run), "unavailable run"); // as the runner writes it
  const html = renderHtml(run, { suites: SUITES });
  assert.deepEqual(dataBlock(html).charts, [], "no chart without a measured value");
  assert.equal(html.match(/not measured: kernel probe not built/g)?.length, 8, "4 rows in the section table, 4 in all results");
  assert.ok(html.includes("4 results, 0 measured, 4 not measured"));
});

test("history marks a lasting step once, with the same detector as the history command", () => {
  const level = (x: number, n: number) => WOBBLE.slice(0, n).map((f) => x * f);
  /** Marks the report draws for one benchmark's medians, next to what `history` finds in the same records. */
  const marks = (values: (number | null)[]) => {
    const run = smallRun();
    const records = values.map(
      (v, i): HistoryRecord => ({
        schema: HISTORY_SCHEMA_ID,
        started: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
        git: null,
        tool: "0.1.0",
        machine: run.machine,
        results: v === null ? {} : { x: { median: v, ci: [v, v] as [number, number], n: 8, counters: {} } },
      }),
    );
    // The run itself is a different benchmark, so the trend of "x" is the records' alone.
    const report = historyCharts({ ...run, started: "2030-01-01T00:00:00.000Z" }, records).trends.find((t) => t.id === "x");
    const history = historyTrends(records).find((t) => t.id === "x")!;
    assert.deepEqual(
      report?.steps.map((s) => [s.index, s.kind === "regression" ? "regressed" : "improved"]) ?? [],
      history.steps.map((s) => [s.record, s.verdict]),
    );
    return report?.steps.map((s) => [s.index, s.kind, s.change.toFixed(2)]) ?? [];
  };
  assert.deepEqual(marks([...level(100, 6), ...level(130, 6)]), [[6, "regression", "0.30"]]);
  assert.deepEqual(marks([...level(100, 6), ...level(70, 6)]), [[6, "improvement", "-0.30"]]);
  assert.deepEqual(marks([...level(100, 6), null, ...level(100, 6)]), [], "flat with a gap: nothing");
  assert.deepEqual(marks([...level(100, 2), ...level(130, 2)]), [], "too few runs on each side to decide");

  const run = smallRun();
  const html = renderHtml(run, { history: smallHistory(run) });
  const row = new RegExp(
    `<td class="nowrap"><a href="#(chart-history-\\d+)">${STEP_ID}</a></td><td class="nowrap">2025-11-19 12:00 6666666</td><td class="num regression">regression \\+30%</td>`,
  ).exec(html);
  assert.ok(row, "the marked change is listed with its run and size, linking to its chart");
  assert.equal(row[1], "chart-history-0", "marked trends come first");
  assert.equal(html.match(/class="num (regression|improvement)"/g)?.length, 1, "nothing else is marked");
});

// ---- the report command ----
