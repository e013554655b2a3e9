// One self-contained HTML report of a run: chart.js and all data inlined, no
// network access (a CSP forbids it), every input string escaped. Each suite
// with a report hook (src/contract/suite-report.ts) gets its section, found
// by the run's suite names in the suites the caller passes; then the
// comparison, the history, the machine and every result.
import type { Comparison } from "../contract/comparison.js";
import type { HistoryRecord } from "../contract/history-record.js";
import type { Run, RunResult } from "../contract/run-document.js";
import type { Suite } from "../contract/suite.js";
import type { SuiteReport } from "../contract/suite-report.js";
import { DEFAULT_DECISION } from "../stats/decision.js";
import { DEFAULT_STEP_WINDOW, MIN_STEP_SIDE } from "../stats/steps.js";
import { writeOutput } from "../util/files.js";
import { comparisonDistributions, comparisonSection, DRAWN_NOTE, distributionPicker } from "./html-comparison.js";
import { type ChartSpec, type DistItem, type HistoryCharts, historyCharts, resultSide, shortDate, suiteChartSpec } from "./html-charts.js";
import { cell, chartBlock, escapeHtml, idHtml, page, section, table, valueText } from "./html-page.js";
import { formatCount, formatNumber, isMeasured, medianInterval, paramsText, paramText } from "./suite-charts.js";

export interface HtmlOptions {
  history?: HistoryRecord[];
  /** The comparison of an older run with this one (compareRuns, made once by the command): adds the comparison view. */
  comparison?: Comparison;
  /** That older run: its samples draw the comparison's distributions. */
  baseline?: Run;
  /** The suites whose report hooks draw sections, in the order of the page (the registry, bench/index.ts); the run's other suites are in "All results" only. */
  suites?: readonly Suite[];
}

/**
 * Exact counters, then the load-dependent measurements (ops/s, load
 * average): lines break between entries or after a name's "=", never inside
 * a name or a number.
 */
function countersCell(r: RunResult): string {
  const entries = Object.entries({ ...r.counters, ...(r.measurements as Record<string, number> | undefined) });
  return `<td class="counters">${entries.map(([k, v]) => `${escapeHtml(k)}=<wbr>${escapeHtml(formatCount(v))}`).join(", ")}</td>`;
}

/**
 * Cells for a result's measurement: median, the 95% interval of that median,
 * p99, n — or one cell that says why it was not measured, never a number.
 */
function statCells(r: RunResult): string[] {
  if (!isMeasured(r)) {
    return [`<td class="unavailable" colspan="4">${escapeHtml(`not measured: ${r.status?.unavailable ?? "no statistics"}`)}</td>`];
  }
  const s = r.stats;
  const m = medianInterval(r);
  return [
    cell(formatNumber(s.median), "num"),
    cell(`${formatNumber(m.lo)} – ${formatNumber(m.hi)}`, "num ci"),
    cell(formatNumber(s.p99), "num"),
    cell(formatCount(s.n), "num"),
  ];
}

const STAT_COLUMNS = ["median", "95% CI of median", "p99", "samples"];

/** A suite's section: its chart, its results (one parameter in its own column if it asks), then its own tables. */
function suiteSection(name: string, report: SuiteReport, results: RunResult[], charts: ChartSpec[]): string {
  const s = report.section(results);
  const chart = s.chart && suiteChartSpec(`chart-${name}`, s.chart);
  if (chart) charts.push(chart);
  const key = s.column;
  const rows = results.map((r) => [
    cell(r.case),
    cell(r.backend),
    cell(paramsText(r.params, key ? [key.param] : [])),
    ...(key ? [cell(key.param in r.params ? paramText(r.params[key.param]) : "", "num")] : []),
    cell(r.unit, "unit"),
    ...statCells(r),
    countersCell(r),
  ]);
  const headers = ["case", "backend", "params", ...(key ? [key.header] : []), "unit", ...STAT_COLUMNS, "counters"];
  const more = (s.tables ?? []).map((t) =>
    table(
      t.caption,
      t.headers,
      t.rows.map((row) => row.map((text, i) => cell(text, t.numeric?.includes(t.headers[i]!) ? "num" : ""))),
      t.numeric ?? [],
    ),
  );
  return section(
    `suite-${name}`,
    report.title,
    report.intro,
    (chart ? chartBlock(chart) : `<p class="note">Nothing in this suite was measured, so there is no chart.</p>`) +
      table(`${report.title}: results`, headers, rows, [...(key ? [key.header] : []), ...STAT_COLUMNS]) +
      more.join(""),
  );
}

/** The sections of the suites that bring one and have results in the run, in the suites' order, with their navigation entries. */
function suiteSections(run: Run, suites: readonly Suite[], charts: ChartSpec[]): { sections: string[]; nav: [string, string][] } {
  const sections: string[] = [];
  const nav: [string, string][] = [];
  for (const suite of suites) {
    const results = run.results.filter((r) => r.suite === suite.name);
    if (!suite.report || results.length === 0) continue;
    sections.push(suiteSection(suite.name, suite.report, results, charts));
    nav.push([`suite-${suite.name}`, suite.report.nav]);
  }
  return { sections, nav };
}

function pct(change: number): string {
  return `${change > 0 ? "+" : ""}${formatNumber(change * 100)}%`;
}

/** Trends over the history file; no section without one (a run alone has no history). */
function historySection(run: Run, history: HistoryRecord[] | undefined, charts: ChartSpec[]): string {
  const title = "History";
  if (history === undefined) return "";
  const h: HistoryCharts = historyCharts(run, history);
  const d = DEFAULT_DECISION;
  const intro =
    `Median time per op of each benchmark over ${h.points.length} runs (the history plus this run). A run is marked where the runs ` +
    `from it on differ from the runs before it by the rule compare uses (the same marks as the history command): Mann-Whitney p < ${d.alpha}, the bootstrap interval of the ` +
    `change excludes zero and is not too wide to tell, and the change is at least ${d.threshold * 100}%; up to ${DEFAULT_STEP_WINDOW} runs are compared on each side and ` +
    `at least ${MIN_STEP_SIDE} are needed, so the newest ${MIN_STEP_SIDE - 1} runs cannot be marked yet. Benchmarks with marks come first.`;
  if (h.trends.length === 0) return section("history", title, intro, `<p class="no-data">No benchmark appears in more than one run.</p>`);
  const label = (i: number) => `${shortDate(h.points[i]!.started)} ${h.points[i]!.commit}`;
  const marked = h.trends.flatMap((t) => t.steps.map((s) => ({ t, s }))).sort((a, b) => b.s.index - a.s.index || a.t.id.localeCompare(b.t.id));
  const summary = marked.length
    ? table(
        "Marked changes, newest first",
        ["benchmark", "first run at the new level", "change", "evidence"],
        marked.map(({ t, s }) => [
          `<td class="nowrap"><a href="#${t.chart.canvas}">${escapeHtml(t.id)}</a></td>`,
          cell(label(s.index), "nowrap"),
          cell(`${s.kind} ${pct(s.change)}`, `num ${s.kind}`),
          cell(s.reason),
        ]),
        ["change"],
      )
    : `<p class="no-data">No step changes found.</p>`;
  // Small multiples only for the benchmarks with marked changes (the few a
  // reader looks for); every benchmark, however many, is one pick away in the
  // single chart below them.
  const markedTrends = h.trends.filter((t) => t.steps.length > 0).slice(0, MAX_SMALL_MULTIPLES);
  const blocks = markedTrends.map((t) => {
    charts.push(t.chart);
    const rows = t.values.map((v, i) => {
      const s = t.steps.find((x) => x.index === i);
      return [cell(label(i)), cell(v === null ? "not in this run" : formatNumber(v), "num"), s ? cell(`${s.kind} ${pct(s.change)}`, s.kind) : cell("")];
    });
    return `<div class="trend">${chartBlock(t.chart, false)}<details><summary>numbers</summary>${table(`${t.id} (ns/op)`, ["run", "median", "mark"], rows, [
      "median",
    ])}</details></div>`;
  });
  const first = h.trends[0]!;
  const pick: ChartSpec = { ...first.chart, canvas: "chart-history-pick", title: first.id };
  charts.push(pick);
  const bySuite = new Map<string, string[]>();
  for (const t of h.trends) {
    const suite = t.id.split("/")[0]!;
    bySuite.set(suite, [...(bySuite.get(suite) ?? []), t.id]);
  }
  const options = [...bySuite]
    .map(
      ([suite, ids]) =>
        `<optgroup label="${escapeHtml(suite)}">${ids.map((id) => `<option value="${escapeHtml(id)}"${id === first.id ? " selected" : ""}>${escapeHtml(id)}${h.trends.find((t) => t.id === id)!.steps.length ? " (marked)" : ""}</option>`).join("")}</optgroup>`,
    )
    .join("");
  const picker = `<div class="picker"><label for="history-filter">Find a benchmark</label> <input id="history-filter" type="search" placeholder="part of an id, e.g. remap-scan n=4096" size="36">
<label for="history-pick">Benchmark (${h.trends.length})</label> <select id="history-pick">${options}</select></div>
${chartBlock(pick, false)}`;
  const single = h.single.length ? `<p class="note">Measured in fewer than two runs, so no trend: ${h.single.map(escapeHtml).join(", ")}.</p>` : "";
  const multiples = blocks.length ? `<h3>Benchmarks with marked changes</h3>\n<div class="trends">\n${blocks.join("\n")}\n</div>` : "";
  return section("history", title, intro, `${summary}\n${multiples}\n<h3>Any benchmark</h3>\n${picker}\n${single}`);
}

/** Small multiples drawn at most; the rest of the benchmarks are reached with the picker. */
const MAX_SMALL_MULTIPLES = 24;

function machineSection(run: Run): string {
  const rows: [string, string][] = [
    ["schema", run.schema],
    ["tool", `${run.tool.name} ${run.tool.version}`],
    ["git commit", run.git ? `${run.git.commit}${run.git.dirty ? " (dirty working tree)" : ""}` : "not a git checkout"],
    ["started", run.started],
    ...Object.entries(run.machine).map(([k, v]): [string, string] => [`machine.${k}`, valueText(v)]),
    ...Object.entries((run.context as Record<string, unknown> | undefined) ?? {}).map(([k, v]): [string, string] => [
      `context.${k}`,
      typeof v === "object" && v !== null && !Array.isArray(v)
        ? JSON.stringify(v)
        : Array.isArray(v) && v.some((x) => typeof x === "object")
          ? JSON.stringify(v)
          : valueText(v),
    ]),
    ...Object.entries(run.config).map(([k, v]): [string, string] => [`config.${k}`, valueText(v)]),
  ];
  return section(
    "machine",
    "Machine, context and configuration",
    "Where and how the run was made: CPU, frequency and governor where readable, caches, load average at start and end, WASM build flags, toolchain versions, CI identity, and the run's settings.",
    table(
      "Machine and configuration",
      ["field", "value"],
      rows.map(([k, v]) => [`<th scope="row">${escapeHtml(k)}</th>`, cell(v)]),
      [],
    ),
  );
}

function allResultsSection(run: Run, charts: ChartSpec[], dists: DistItem[]): string {
  if (run.results.length === 0) return "";
  const picker = dists.length
    ? `<h3>Distribution of one benchmark</h3>\n${distributionPicker("run-dist", dists, ["this run"], charts, "The samples of the picked benchmark, in ns per op.")}`
    : "";
  const rows = run.results.map((r) => [
    `<td class="id">${idHtml(r.id)}</td>`,
    cell(r.backend),
    cell(r.unit, "unit"),
    ...statCells(r),
    cell(r.ops_per_sample === undefined ? "" : formatCount(r.ops_per_sample), "num"),
    countersCell(r),
    cell(r.complexity?.big_o ?? ""),
  ]);
  return section(
    "all",
    "All results",
    "Every result of the run, including suites without a section of their own.",
    picker +
      table("All results", ["id", "backend", "unit", ...STAT_COLUMNS, "ops per sample", "counters", "fit (time)"], rows, [...STAT_COLUMNS, "ops per sample"]),
  );
}

/**
 * The run for the data block, minus raw samples: a full run holds millions
 * (tens of MB); the distribution pickers carry at most MAX_DRAWN_SAMPLES per
 * benchmark and side, the rest stay in the run JSON.
 */
function withoutSamples(run: Run): Omit<Run, "results"> & { results: Omit<RunResult, "samples">[] } {
  return { ...run, results: run.results.map(({ samples: _samples, ...r }) => r) };
}

/** The distribution of each measured result of a run, for the All results picker. */
function runDistributions(run: Run): DistItem[] {
  return run.results.flatMap((r): DistItem[] => {
    const side = resultSide("this run", r);
    return side ? [{ id: r.id, verdict: null, sides: [side], ratios: null }] : [];
  });
}

/** The complete report as one HTML document. */
export function renderHtml(run: Run, options: HtmlOptions = {}): string {
  const charts: ChartSpec[] = [];
  const measured = run.results.filter(isMeasured).length;
  const comparison = options.comparison ?? null;
  const dists: Record<string, DistItem[]> = {};
  if (comparison && options.baseline) dists["cmp-dist"] = comparisonDistributions(comparison, { old: options.baseline, new: run });
  dists["run-dist"] = runDistributions(run);
  const suites = suiteSections(run, options.suites ?? [], charts);
  const sections: [string, string, string][] = [
    ["comparison", "Comparison", comparison ? comparisonSection(comparison, charts, dists["cmp-dist"] ?? []) : ""],
    ["history", "History", historySection(run, options.history, charts)],
    ["machine", "Machine and context", machineSection(run)],
    ["all", "All results", allResultsSection(run, charts, dists["run-dist"])],
  ];
  const shown = sections.filter(([, , html]) => html !== "");
  const commit = run.git ? run.git.commit.slice(0, 12) + (run.git.dirty ? " (dirty)" : "") : "not a git checkout";
  return page({
    title: `aio-ring-bench report — ${shortDate(run.started)}`,
    heading: "aio-ring-bench report",
    meta: [
      `Run started ${run.started} · ${commit} · ${run.tool.name} ${run.tool.version} · ${run.results.length} results, ${measured} measured, ${run.results.length - measured} not measured`,
      DRAWN_NOTE,
    ],
    nav: [...suites.nav, ...shown.map(([id, text]): [string, string] => [id, text])],
    sections: [...suites.sections, ...shown.map(([, , html]) => html)],
    data: { run: withoutSamples(run), history: options.history ?? null, charts, trends: historyPicks(run, options.history), dists },
  });
}

/** Renders and writes the report atomically ("-": standard output): readers never see a partial file. */
export function writeHtmlReport(file: string, run: Run, options: HtmlOptions = {}): void {
  writeOutput(file, renderHtml(run, options));
}

/** Every trend's values, for the history picker to swap into its chart. */
function historyPicks(run: Run, history: HistoryRecord[] | undefined): { id: string; values: (number | null)[] }[] {
  if (!history) return [];
  return historyCharts(run, history).trends.map((t) => ({ id: t.id, values: t.values }));
}
