// The HTML report: escaping, offline-ness and which charts appear (unit
// tests on renderHtml), the `report` command, and a real headless Chromium
// that must draw every chart without errors or network requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { chromium } from "playwright-core";
import { renderHtml, writeHtmlReport } from "../src/report/html.js";
import { renderComparisonHtml, writeComparisonHtmlReport } from "../src/report/html-comparison.js";
import { scriptJson } from "../src/report/html-page.js";
import { historyTrends } from "../src/bench/trends.js";
import { boxStats, comparisonChart, drawnSamples, historyCharts, MAX_CHANGE_BARS, MAX_DRAWN_SAMPLES, type DistItem } from "../src/report/html-charts.js";
import { validateComparison } from "../src/report/comparison-file.js";
import { compareRuns } from "../src/report/compare.js";
import type { Comparison } from "../src/contract/comparison.js";
import { parseRun } from "../src/bench/run-file.js";
import type { Run, RunResult } from "../src/contract/run-document.js";
import { historyRecord } from "../src/bench/history.js";
import { HISTORY_SCHEMA_ID, type HistoryRecord } from "../src/contract/history-record.js";
import { runBench } from "../src/bench/runner.js";
import { caseId } from "../src/contract/suite.js";
import { run as reportCommand } from "../src/commands/report.js";
import { UserError } from "../src/contract/errors.js";
import { SUITES } from "../bench/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
/** A real ab result (test/fixtures/README.md says how it was made). */
const AB_FIXTURE = join(root, "test", "fixtures", "ab-lookup-remap.json");

/** The HTML options of an old run compared with `run`, as the commands make them (the comparison made once). */
const compared = (old: Run, run: Run) => ({ baseline: old, comparison: compareRuns(old, run, { oldSource: "old run", newSource: "this run" }) });
const abFixture = (): Comparison => validateComparison(JSON.parse(readFileSync(AB_FIXTURE, "utf8")), AB_FIXTURE);
const outDir = join(root, "build", "test-output");

// ---- the run under test ----

// Spread around 1 with median exactly 1, so fixture medians are exact.
const SAMPLE_SPREAD = [0.97, 0.99, 1, 1, 1, 1, 1.02, 1.05];

function result(
  suite: string,
  kase: string,
  params: Record<string, string | number>,
  backend: string,
  median: number,
  extra: Partial<RunResult> = {},
): RunResult {
  const samples = SAMPLE_SPREAD.map((f) => f * median);
  return {
    id: caseId(suite, { case: kase, params, backend }),
    suite,
    case: kase,
    params,
    backend,
    unit: "ns/op",
    samples,
    stats: { mean: median * 1.00125, median, p99: median * 1.05, min: median * 0.97, max: median * 1.05, sd: median * 0.024, rme: 1.7, n: samples.length },
    counters: {},
    complexity: null,
    ...extra,
  };
}

/**
 * A SYNTHETIC FIXTURE, not a measurement: made-up numbers in the shape of the
 * run schema, labelled as such in tool/config, for the unit tests that need
 * known numbers. The browser test uses realSmallRun().
 */
function smallRun(): Run {
  const ns = [16, 256, 4096];
  const lookup: RunResult[] = [
    ...ns.map((n) =>
      result("lookup", "table-slot", { n, dist: "uniform" }, "wasm", 3, {
        complexity: { big_o: "O(1)", coefficient: 3, rms: 0.1 },
        counters: { slots_visited_per_op: 1 },
      }),
    ),
    ...ns.map((n) =>
      result("lookup", "list-walk", { n, dist: "uniform" }, "wasm", 0.5 * n, {
        complexity: { big_o: "O(N)", coefficient: 0.5, rms: 2 },
        counters: { slots_visited_per_op: n / 2 },
      }),
    ),
    ...ns.map((n) =>
      result("lookup", "binary-search", { n, dist: "uniform" }, "wasm", 2 * Math.log2(n), {
        complexity: { big_o: "O(log N)", coefficient: 2, rms: 0.3 },
        counters: { slots_visited_per_op: Math.log2(n) },
      }),
    ),
  ];
  const getevents: RunResult[] = [
    result("getevents", "zero-timeout", { timeout_ns: 0 }, "model", 40),
    result("getevents", "timer-path", { timeout_ns: 1 }, "model", 55),
    result("getevents", "zero-timeout", { timeout_ns: 0 }, "kernel", 300),
    result("getevents", "timer-path", { timeout_ns: 1 }, "kernel", 52000),
  ];
  const throughput = [1, 2, 4].map((workers) => result("throughput", "submit-reap", { workers }, "wasm", 900 / workers));
  const remap: RunResult[] = [
    ...ns.map((n) => result("remap", "remap-scan", { n, dist: "uniform" }, "wasm", 2 * n, { counters: { slots_visited_per_op: n / 2 } })),
    ...ns.map((n) => result("remap", "back-pointer", { n, dist: "uniform" }, "wasm", 40, { counters: { slots_visited_per_op: 1 } })),
    ...ns.map((n) => result("remap", "kernel-mremap", { n, dist: "newest" }, "kernel", 7000 + 5 * n)),
  ];
  const criu = [256, 1024, 4096].flatMap((n) => [
    result("criu-restore", "remap-scan", { n }, "wasm", (n * n) / 2, { counters: { slots_visited_per_restore: (n * (n + 1)) / 2 } }),
    result("criu-restore", "back-pointer", { n }, "wasm", 80 * n, { counters: { slots_visited_per_restore: n } }),
  ]);
  const run: Run = {
    schema: "aio-ring-bench/run@1",
    tool: { name: "aio-ring-bench", version: "0.1.0 (synthetic test fixture)" },
    git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false },
    started: "2025-11-25T12:00:00.000Z",
    machine: { node: "v20.20.2", v8: "11.3", cpu: "fixture CPU", cores: 2, kernel: "6.18.0", arch: "x64" },
    config: {
      suites: ["lookup", "getevents", "throughput", "remap", "criu-restore"],
      quick: true,
      fixture: "synthetic numbers for report tests, not a measurement",
    },
    results: [...lookup, ...getevents, ...throughput, ...remap, ...criu],
  };
  return parseRun(JSON.stringify(run), "smallRun()"); // the fixture itself must satisfy the schema
}

/** A real, small bench run: lookup (two strategies, three sizes), getevents and a quick throughput run. */
async function realSmallRun(): Promise<Run> {
  const suites = SUITES.filter((x) => ["lookup", "remap", "getevents", "throughput"].includes(x.name));
  const filter = /^(lookup\/(list-walk|hash)\/wasm\/|remap\/(remap-scan|back-pointer|kernel-mremap)\/|getevents\/|throughput\/)/;
  const main = (await runBench({ suites, filter, quick: true, full: false, sizes: [16, 256, 4096], timeMs: 20 })).run;
  // CRIU restore is quadratic for remap-scan: small N keep the test short.
  const criu = (
    await runBench({
      suites: SUITES.filter((x) => x.name === "criu-restore"),
      filter: /remap-scan|back-pointer/,
      quick: true,
      full: false,
      sizes: [16, 64, 256],
      timeMs: 20,
    })
  ).run;
  return { ...main, results: [...main.results, ...criu.results] };
}

// Run-to-run wobble of ±1% whose median over any 6 or 7 consecutive runs used below is exactly 1.
const WOBBLE = [1, 1.005, 0.995, 1.01, 0.99, 1, 1, 1.005, 0.995, 1.01, 0.99, 1];

/** Twelve earlier daily runs; list-walk at n=4096 is 30% slower from the 7th on (2025-11-19, commit 6666666). */
function smallHistory(run: Run): HistoryRecord[] {
  return WOBBLE.map((f, i) => ({
    schema: HISTORY_SCHEMA_ID,
    started: new Date(Date.UTC(2025, 10, 13 + i, 12)).toISOString(),
    git: { commit: i.toString(16).repeat(40), dirty: false },
    tool: "0.1.0 (synthetic test fixture)",
    machine: run.machine,
    results: Object.fromEntries(
      run.results.map((r) => {
        const base = r.stats!.median * (r.id === STEP_ID && i < 6 ? 1 / 1.3 : 1);
        return [r.id, { median: base * f, ci: [base * f * 0.99, base * f * 1.01], n: 8, counters: r.counters }];
      }),
    ),
  }));
}
const STEP_ID = "lookup/list-walk/wasm/n=4096/dist=uniform";

function dataBlock(html: string): { run: Run; charts: { canvas: string }[]; dists: Record<string, DistItem[]> } {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, "report has its JSON data block");
  return JSON.parse(m[1]!);
}

// ---- renderHtml ----

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
  assert.equal(data.run.machine["cpu"], evil);
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

test("report command: missing or corrupt input is a UserError; output written whole", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aio-report-"));
  try {
    const out = join(dir, "out", "report.html");
    const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && e.exitCode === 2 && re.test(e.message) && !e.message.includes("\n");
    await assert.rejects(reportCommand([join(dir, "nope.json"), "--html", out]), userError(/folder .*out does not exist/));
    mkdirSync(join(dir, "out"));
    await assert.rejects(reportCommand([join(dir, "nope.json"), "--html", out]), userError(/nope\.json: input file does not exist/));
    writeFileSync(join(dir, "bad.json"), '{"schema": ');
    await assert.rejects(reportCommand([join(dir, "bad.json"), "--html", out]), userError(/bad\.json: truncated JSON/));
    writeFileSync(join(dir, "other.json"), '{"schema": "something-else"}');
    await assert.rejects(
      reportCommand([join(dir, "other.json"), "--html", out]),
      userError(/other\.json: schema is "something-else", expected "aio-ring-bench\/run@1" \(a run\) or "aio-ring-bench\/comparison@1"/),
    );
    // A comparison file (ab --json): validated, reported on its own, refused beside a run or with run-only flags.
    const ab = JSON.parse(readFileSync(AB_FIXTURE, "utf8"));
    const bad = (name: string, edit: (doc: typeof ab) => void) => {
      const doc = JSON.parse(JSON.stringify(ab));
      edit(doc);
      writeFileSync(join(dir, name), JSON.stringify(doc));
      return join(dir, name);
    };
    await assert.rejects(
      reportCommand([bad("p.json", (d) => (d.entries[0].p = 2)), "--html", out]),
      userError(/p\.json: entries\[0\]\.p: must be a probability/),
    );
    await assert.rejects(
      reportCommand([bad("ratio.json", (d) => (d.entries[3].cycleRatios[1] = -1)), "--html", out]),
      userError(/ratio\.json: entries\[3\]\.cycleRatios\[1\]: must be a positive ratio/),
    );
    await assert.rejects(reportCommand([bad("kind.json", (d) => (d.kind = "<b>")), "--html", out]), userError(/kind\.json: kind: /));
    await assert.rejects(
      reportCommand([bad("long.json", (d) => (d.entries[0].id = "x".repeat(501))), "--html", out]),
      userError(/long\.json: entries\[0\]\.id: /),
    );
    await assert.rejects(
      reportCommand([bad("dup.json", (d) => (d.entries[1].id = d.entries[0].id)), "--html", out]),
      userError(/dup\.json: entries\[1\]\.id: duplicate benchmark id/),
    );
    await assert.rejects(reportCommand([join(dir, "other.json"), AB_FIXTURE, "--html", out]), userError(/other\.json: schema is/));
    // Through the CLI: one line on stderr naming the file, exit 2, nothing written.
    const cli = spawnSync(process.execPath, [join(root, "dist", "src", "cli.js"), "report", join(dir, "p.json"), "--html", out], { encoding: "utf8" });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /p\.json: entries\[0\]\.p: must be a probability/);
    assert.equal(cli.stderr.trim().split("\n").length, 1, cli.stderr);
    writeFileSync(join(dir, "run0.json"), JSON.stringify(smallRun()));
    await assert.rejects(
      reportCommand([join(dir, "run0.json"), AB_FIXTURE, "--html", out]),
      userError(/ab-lookup-remap\.json: a comparison file is reported on its own/),
    );
    await assert.rejects(reportCommand([AB_FIXTURE, "--history", join(dir, "h.jsonl"), "--html", out]), userError(/--history needs a run/));
    await assert.rejects(reportCommand([AB_FIXTURE, "--threshold", "2", "--html", out]), userError(/--threshold applies to comparing two runs/));
    await assert.rejects(reportCommand([join(dir, "bad.json"), "--bogus"]), userError(/bogus/));
    await assert.rejects(reportCommand([join(dir, "bad.json")]), userError(/an output is required: --html FILE/));
    assert.ok(!existsSync(out), "nothing written on failure");

    const run = smallRun();
    writeFileSync(join(dir, "run.json"), JSON.stringify(run));
    // A torn line in the middle is skipped with a warning, not fatal.
    const lines = smallHistory(run).map((h) => JSON.stringify(h));
    lines.splice(3, 0, lines[3]!.slice(0, 40));
    writeFileSync(join(dir, "history.jsonl"), lines.join("\n") + "\n");
    assert.equal(await reportCommand([join(dir, "run.json"), "--history", join(dir, "history.jsonl"), "--html", out]), 0);
    const html = readFileSync(out, "utf8");
    assert.ok(html.endsWith("</html>\n"));
    assert.ok(dataBlock(html).charts.some((c) => c.canvas.startsWith("chart-history-")));
    assert.deepEqual(readdirSync(join(dir, "out")), ["report.html"], "no temp file left behind");
    assert.equal(await reportCommand([AB_FIXTURE, "--html", out]), 0);
    assert.match(readFileSync(out, "utf8"), /<h1>aio-ring-bench A\/B comparison<\/h1>/);
    // compare --json writes the same document: its view has old and new, no ab rounds.
    writeFileSync(join(dir, "c.json"), JSON.stringify(compareRuns(smallRun(), smallRun())));
    assert.equal(await reportCommand([join(dir, "c.json"), "--html", out]), 0);
    const cmpHtml = readFileSync(out, "utf8");
    assert.match(cmpHtml, /<h1>aio-ring-bench comparison<\/h1>/);
    assert.match(cmpHtml, /<h2>Comparison: old vs new<\/h2>/);
    assert.ok(!/ab: \d+ rounds/.test(cmpHtml) && !cmpHtml.includes('id="chart-cmp-dist-ratios"'), "no ab rounds or cycle ratios");
    assert.ok(!cmpHtml.includes('id="chart-cmp-dist-samples"'), "a compare file has no samples to draw");
    assert.match(cmpHtml, /A compare result keeps no samples/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- in a real browser ----

interface EnsureResult {
  ok: boolean;
  path?: string;
  version?: string;
  installed?: boolean;
  reason?: string;
}

test("the report renders every chart in headless Chromium, offline and without errors", async (t) => {
  const { ensureChromium, CHROMIUM_PATH } = (await import(pathToFileURL(join(root, "scripts", "ensure-chromium.mjs")).href)) as {
    ensureChromium(o: { log(line: string): void }): EnsureResult;
    CHROMIUM_PATH: string;
  };
  const found = ensureChromium({ log: (line) => t.diagnostic(line) });
  if (!found.ok) {
    if (process.env["CI"] === "true") assert.fail(`Chromium is required in CI but unavailable: ${found.reason}`);
    t.skip(`Chromium unavailable: ${found.reason}`);
    return;
  }
  t.diagnostic(`${found.installed ? "installed" : "using"} ${found.version}`);

  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "report.html");
  // Two real runs: the first goes into the history the report draws trends from.
  const earlier = await realSmallRun();
  const run = await realSmallRun();
  writeHtmlReport(file, run, { history: [historyRecord(earlier)], suites: SUITES, ...compared(earlier, run) });
  // A real ab result, with a hostile benchmark id added: the page must show it as text.
  const abFile = join(outDir, "report-ab.html");
  const ab = abFixture();
  const evil = `lookup/<img src=x onerror="document.title='pwned'">/wasm/n=1`;
  ab.entries.push({ ...ab.entries[0]!, id: evil });
  writeComparisonHtmlReport(abFile, ab);

  const profile = mkdtempSync(join(tmpdir(), "aio-report-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const errors: string[] = [];
    const failed: string[] = [];
    const requests: string[] = [];
    context.on("request", (r) => requests.push(r.url()));
    context.on("requestfailed", (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));

    /** Loads a report and checks every chart drew and nothing overlaps or is cut at 1280 px; returns the charts. */
    const checkPage = async (path: string): Promise<string[]> => {
      const expectedCharts = dataBlock(readFileSync(path, "utf8")).charts.map((c) => c.canvas);
      await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
      await page.waitForSelector(`html[data-charts-rendered="${expectedCharts.length}"]`, { timeout: 20_000 });

      // Every chart drew data: a series is drawn in a saturated colour, while
      // axes, grid and text are grey, so count strongly coloured pixels.
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll("canvas")].map((c) => {
          const { data } = c.getContext("2d")!.getImageData(0, 0, c.width, c.height);
          let inked = 0;
          let coloured = 0;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
            if (a === 0) continue;
            inked++;
            if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
          }
          return { id: c.id, width: c.width, height: c.height, inked, coloured };
        }),
      );
      assert.deepEqual(
        drawn.map((d) => d.id),
        expectedCharts,
        "one canvas per chart spec",
      );
      for (const d of drawn) {
        assert.ok(d.width > 100 && d.height > 100, `${d.id} has a real size (${d.width}x${d.height})`);
        assert.ok(d.coloured > 50, `${d.id} shows data (${d.coloured} coloured of ${d.inked} drawn pixels)`);
      }
      // At 1280 px nothing overlaps or is cut: every canvas inside the viewport,
      // no horizontal scrolling, no table hiding columns behind a scrollbar,
      // no text box wider than the space it is given.
      const layout = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        const canvases = [...document.querySelectorAll("canvas")].map((c) => ({
          id: c.id,
          left: c.getBoundingClientRect().left,
          right: c.getBoundingClientRect().right,
        }));
        const scrolled = [...document.querySelectorAll(".table-wrap")]
          .filter((w) => w.scrollWidth > w.clientWidth + 1)
          .map((w) => w.querySelector("caption")?.textContent ?? "?");
        const clipped = [...document.querySelectorAll("h1, h2, h3, p, label, caption, th, td, select, input")]
          .filter((e) => (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") || e.getBoundingClientRect().right > vw + 1)
          .map((e) => `${e.tagName}: ${(e.textContent ?? "").slice(0, 60)}`);
        // Charts side by side (the distribution pair) must not overlap each other.
        const boxes = [...document.querySelectorAll("figure.chart")].map((f) => f.getBoundingClientRect());
        const overlaps = boxes.flatMap((a, i) =>
          boxes
            .slice(i + 1)
            .filter((b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            .map(() => i),
        );
        return { vw, pageWidth: document.documentElement.scrollWidth, canvases, scrolled, clipped, overlaps };
      });
      assert.equal(layout.vw, 1280);
      assert.ok(layout.pageWidth <= layout.vw, `page is ${layout.pageWidth} px wide in a ${layout.vw} px viewport`);
      for (const c of layout.canvases) assert.ok(c.left >= 0 && c.right <= layout.vw, `${c.id} spans ${c.left}..${c.right}`);
      assert.deepEqual(layout.scrolled, [], "tables that need a horizontal scrollbar at 1280 px");
      assert.deepEqual(layout.clipped, [], "text cut off or outside the viewport");
      assert.deepEqual(layout.overlaps, [], "charts overlapping each other");
      return expectedCharts;
    };

    /** Picks another benchmark in a distribution picker: the chart's heading and drawn points follow. */
    const pickAnother = async (prefix: string) => {
      const state = () =>
        page.evaluate((p) => {
          const canvas = document.getElementById(`chart-${p}-samples`)!;
          return {
            heading: canvas.closest("figure")!.querySelector("h3")!.textContent,
            picked: (document.getElementById(`${p}-pick`) as HTMLSelectElement).value,
          };
        }, prefix);
      const before = await state();
      assert.equal(before.heading, before.picked, "the chart shows the picked benchmark");
      await page.selectOption(`#${prefix}-pick`, { index: 1 });
      const after = await state();
      assert.notEqual(after.picked, before.picked);
      assert.equal(after.heading, after.picked);
    };

    const expectedCharts = await checkPage(file);
    for (const id of [
      "chart-remap",
      "chart-criu-restore",
      "chart-throughput",
      "chart-comparison",
      "chart-history-pick",
      "chart-cmp-dist-samples",
      "chart-run-dist-samples",
    ])
      assert.ok(expectedCharts.includes(id), `${id} is drawn`);
    // The picker swaps the history chart to another benchmark.
    const before = await page.evaluate(() => (document.getElementById("history-pick") as HTMLSelectElement).value);
    await page.selectOption("#history-pick", { index: 1 });
    const heading = await page.evaluate(() => document.getElementById("chart-history-pick")!.closest("figure")!.querySelector("h3")!.textContent);
    assert.notEqual(heading, before);
    await pickAnother("cmp-dist");
    await pickAnother("run-dist");

    const shot = join(outDir, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, "screenshot saved");
    t.diagnostic(`screenshot: ${shot}`);

    // The ab result's own page: change chart, both distributions, the table.
    assert.deepEqual(await checkPage(abFile), ["chart-comparison", "chart-cmp-dist-samples", "chart-cmp-dist-ratios"]);
    await pickAnother("cmp-dist");
    // A benchmark's name in the table picks it in the distribution charts.
    const target = ab.entries[5]!.id;
    await page.click(`a[data-pick="${target}"]`);
    assert.equal(
      await page.evaluate(() => document.getElementById("chart-cmp-dist-ratios")!.closest("figure")!.querySelector("h3")!.textContent),
      `${target}: change per ABBA cycle`,
    );
    // The hostile id is text in the table and the picker, never an element.
    assert.equal(await page.evaluate(() => document.querySelectorAll("img").length), 0);
    assert.notEqual(await page.title(), "pwned");
    assert.equal(await page.evaluate((id) => [...document.querySelectorAll("td.id")].filter((td) => td.textContent === id).length, evil), 1);
    const abShot = join(outDir, "report-ab.png");
    await page.screenshot({ path: abShot, fullPage: true });
    t.diagnostic(`screenshot: ${abShot}`);

    assert.deepEqual(errors, [], "no console errors");
    assert.deepEqual(failed, [], "no failed requests");
    assert.deepEqual(
      requests.filter((u) => !u.startsWith("file:")),
      [],
      "no request to anything but the files themselves",
    );
    assert.ok(requests.length >= 2, "the page loads themselves were observed");
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
