// One self-contained HTML report of a run: chart.js and all data inlined, no
// network access (a CSP forbids it), every input string escaped.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { writeOutput } from "../util/files.js";
import { describeRun, machineWarning, verdictCounts } from "./compare.js";
import type { Comparison, ComparisonEntry } from "../contract/comparison.js";
import { formatCi, formatNs, formatP, formatPct } from "./format.js";
import { DEFAULT_DECISION } from "../stats/decision.js";
import type { HistoryRecord } from "../contract/history-record.js";
import { DEFAULT_STEP_WINDOW, MIN_STEP_SIDE } from "../stats/steps.js";
import type { Run, RunResult } from "../contract/run-document.js";
import {
  type ChartSpec,
  type DistItem,
  type HistoryCharts,
  type Series,
  type SectionChart,
  comparisonChart,
  criuRestoreChart,
  distributionChart,
  distSide,
  geteventsChart,
  MAX_DRAWN_SAMPLES,
  resultSide,
  medianInterval,
  remapChart,
  historyCharts,
  isMeasured,
  lookupChart,
  paramText,
  paramsText,
  seriesComplexity,
  shortDate,
  throughputChart,
} from "./html-charts.js";

export interface HtmlOptions {
  history?: HistoryRecord[];
  /** The comparison of an older run with this one (compareRuns, made once by the command): adds the comparison view. */
  comparison?: Comparison;
  /** That older run: its samples draw the comparison's distributions. */
  baseline?: Run;
}

/** Text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON safe inside a <script> element: `<`, `>` and `&` become \u escapes, so
 * no `</script>` or `<!--` can end or confuse the element; U+2028/9 are
 * escaped for old JS parsers. JSON.parse restores them unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

let chartJsSource: string | undefined;

/** The chart.js UMD bundle, read once; refuses a bundle that could not be inlined verbatim. */
function chartJs(): string {
  if (chartJsSource === undefined) {
    // The package's exports map hides dist/chart.umd.js; find it beside the resolvable entry.
    const entry = createRequire(import.meta.url).resolve("chart.js");
    const src = readFileSync(join(dirname(entry), "chart.umd.js"), "utf8");
    if (/<\/script|<!--/i.test(src)) throw new Error("chart.umd.js contains </script or <!--; it cannot be inlined in a <script> element");
    chartJsSource = src;
  }
  return chartJsSource;
}

const nf = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

export function formatNumber(v: number): string {
  return Number.isFinite(v) ? nf.format(v) : String(v);
}

function cell(text: string, cls = ""): string {
  return cls ? `<td class="${cls}">${escapeHtml(text)}</td>` : `<td>${escapeHtml(text)}</td>`;
}

/** `numeric` names the columns whose header is right-aligned like their numbers. */
function table(caption: string, headers: string[], rows: string[][], numeric: readonly string[]): string {
  const head = headers.map((h) => `<th scope="col"${numeric.includes(h) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** Exact counters, then the load-dependent measurements (ops/s, load average). */
function countersText(r: RunResult): string {
  return Object.entries({ ...r.counters, ...(r.measurements as Record<string, number> | undefined) })
    .map(([k, v]) => `${k}=${formatNumber(v)}`)
    .join(", ");
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
    cell(`${formatNumber(m.lo)} – ${formatNumber(m.hi)}`, "num"),
    cell(formatNumber(s.p99), "num"),
    cell(String(s.n), "num"),
  ];
}

function chartBlock(spec: ChartSpec, tall = true): string {
  return `<figure class="chart">
<h3>${escapeHtml(spec.title)}</h3>
<div class="canvas-box${tall ? "" : " small"}"><canvas id="${spec.canvas}" role="img" aria-label="${escapeHtml(spec.title)}"></canvas></div>
</figure>`;
}

const STAT_COLUMNS = ["median", "95% CI of median", "p99", "samples"];

const NO_DATA = `<p class="no-data">No data in this run.</p>`;

function section(id: string, title: string, intro: string, body: string): string {
  return `<section id="${id}">\n<h2>${escapeHtml(title)}</h2>\n${intro ? `<p class="intro">${escapeHtml(intro)}</p>\n` : ""}${body}\n</section>`;
}

function lookupSection(run: Run, charts: ChartSpec[]): string {
  const { results, series, chart } = lookupChart(run);
  if (chart) charts.push(chart);
  const intro =
    "Median time per lookup against the number of contexts N, both axes logarithmic, with the 95% interval of each median; one line per strategy, with the complexity fitted to its work counter (and to time, where that differs) in the legend.";
  if (results.length === 0) return section("lookup", "Lookup strategies", intro, NO_DATA);
  const rows = results.map((r) => [
    cell(r.case),
    cell(r.backend),
    cell(paramsText(r.params, ["n"])),
    cell(paramText(r.params["n"]), "num"),
    cell(r.unit, "unit"),
    ...statCells(r),
    cell(countersText(r), "wrap"),
  ]);
  const fits = fitRows(series);
  return section(
    "lookup",
    "Lookup strategies",
    intro,
    (chart ? chartBlock(chart) : NO_DATA) +
      table("Lookup results", ["strategy", "backend", "params", "N", "unit", ...STAT_COLUMNS, "counters"], rows, ["N", ...STAT_COLUMNS]) +
      table("Fitted complexity per strategy: value = a + b·f(N)", FIT_HEADERS, fits, ["a", "b", "rms"]),
  );
}

const FIT_HEADERS = ["series", "fitted to", "fit", "a", "b", "rms"];

/** One row per series and fit (work counter, then time): value = a + b*f(N), RMS of the relative residuals. */
function fitRows(series: Series[]): string[][] {
  return series.flatMap((s) => {
    const time = seriesComplexity(s);
    const work = s.results.map((r) => r.counter_complexity as (RunResult["complexity"] & { counter?: string }) | undefined).find((c) => c) ?? null;
    const rows: string[][] = [];
    for (const [what, c] of [
      [work ? `work (${work.counter ?? "counter"})` : "work", work],
      ["time", time],
    ] as const) {
      if (!c) continue;
      const name = c.big_o === "inconclusive" ? `inconclusive (${(c.candidates ?? []).join(" or ")})` : c.big_o;
      rows.push([
        cell(s.label),
        cell(what),
        cell(name),
        cell(c.intercept === undefined ? "" : formatNumber(c.intercept), "num"),
        cell(formatNumber(c.coefficient), "num"),
        cell(formatNumber(c.rms), "num"),
      ]);
    }
    return rows.length ? rows : [[cell(s.label), `<td class="unavailable" colspan="5">no fit in this run</td>`]];
  });
}

/** A suite charted against N with its result and fit tables (remap, criu-restore). */
function scalingSection(id: string, title: string, intro: string, sc: SectionChart & { series: Series[] }, charts: ChartSpec[]): string {
  return resultTableSection(
    id,
    title,
    intro,
    sc,
    charts,
    table(`${title}: fitted complexity, value = a + b·f(N)`, FIT_HEADERS, fitRows(sc.series), ["a", "b", "rms"]),
  );
}

const VERDICT_CLASS: Record<string, string> = { regressed: "regression", improved: "improvement", "too noisy": "noisy", "not comparable": "noisy" };

/**
 * Who each side is, in words: for two runs each run's source, commit and
 * start; for ab the revisions built (its sources), then once the checkout
 * and moment ab ran at, since both builds share them.
 */
function sidesText(cmp: Comparison): string[] {
  const [a, b] = sideLabels(cmp);
  if (cmp.kind !== "ab") return [`${a}: ${describeRun(cmp.old)}`, `${b}: ${describeRun(cmp.new)}`];
  const at = cmp.new.git ? `${cmp.new.git.commit.slice(0, 12)}${cmp.new.git.dirty ? " (dirty)" : ""}` : "no git checkout";
  return [`${cmp.old.source} vs ${cmp.new.source}`, `ab ran from ${at} at ${cmp.new.started}, v${cmp.new.toolVersion}`];
}

/** Labels of a comparison's two sides: an ab result's builds, or two runs. */
function sideLabels(cmp: Comparison): [string, string] {
  return cmp.kind === "ab" ? ["base", "head"] : ["old", "new"];
}

/**
 * Each compared benchmark's distributions for the picker: from the two
 * runs' samples (a report of OLD and RUN), or from an ab file's per-round
 * values of each build and its ABBA cycle ratios. Benchmarks without values
 * on both sides (unavailable, not comparable, an ab file written before it
 * kept them) have none.
 */
export function comparisonDistributions(cmp: Comparison, runs?: { old: Run; new: Run }): DistItem[] {
  const [a, b] = sideLabels(cmp);
  const oldById = new Map(runs?.old.results.map((r) => [r.id, r]));
  const newById = new Map(runs?.new.results.map((r) => [r.id, r]));
  return cmp.entries.flatMap((e): DistItem[] => {
    if (runs) {
      const o = oldById.get(e.id),
        n = newById.get(e.id);
      const sides = [o && resultSide(a, o), n && resultSide(b, n)];
      return sides[0] && sides[1] ? [{ id: e.id, verdict: e.verdict, sides: [sides[0], sides[1]], ratios: null }] : [];
    }
    if (!e.samples || e.samples.old.length === 0 || e.samples.new.length === 0) return [];
    const ratios = e.cycleRatios?.length
      ? {
          ...distSide(
            "ABBA cycles",
            e.cycleRatios.map((r) => (r - 1) * 100),
            e.ci && [e.ci[0] * 100, e.ci[1] * 100],
          ),
          threshold: cmp.options.threshold * 100,
        }
      : null;
    return [{ id: e.id, verdict: e.verdict, sides: [distSide(a, e.samples.old), distSide(b, e.samples.new)], ratios }];
  });
}

/**
 * A picker over many benchmarks' distributions and the one or two charts it
 * draws into: a filter box, a list grouped by suite, and canvases that show
 * the picked benchmark only, so hundreds of benchmarks cost no more canvases
 * than one. `prefix` names the elements (the page script finds them by it).
 */
function distributionPicker(prefix: string, items: DistItem[], sideNames: string[], charts: ChartSpec[], what: string): string {
  const first = items[0]!;
  const samples = distributionChart(`chart-${prefix}-samples`, first.id, "time per op (ns)", sideNames);
  charts.push(samples);
  let ratioChart = "";
  if (items.some((i) => i.ratios)) {
    const ratios = distributionChart(`chart-${prefix}-ratios`, `${first.id}: change per ABBA cycle`, "head vs base per ABBA cycle (%, + is slower)", [
      "cycles",
    ]);
    charts.push(ratios);
    ratioChart = chartBlock(ratios, false);
  }
  const bySuite = new Map<string, DistItem[]>();
  for (const it of items) {
    const suite = it.id.split("/")[0]!;
    bySuite.set(suite, [...(bySuite.get(suite) ?? []), it]);
  }
  const options = [...bySuite]
    .map(
      ([suite, its]) =>
        `<optgroup label="${escapeHtml(suite)}">${its
          .map((it) => `<option value="${escapeHtml(it.id)}">${escapeHtml(it.verdict ? `${it.id} (${it.verdict})` : it.id)}</option>`)
          .join("")}</optgroup>`,
    )
    .join("");
  return `<div class="picker" id="${prefix}"><label for="${prefix}-filter">Find a benchmark</label> <input id="${prefix}-filter" type="search" placeholder="part of an id or a verdict, e.g. n=4096 regressed" size="36">
<label for="${prefix}-pick">Benchmark (${items.length})</label> <select id="${prefix}-pick">${options}</select></div>
<p class="note">${escapeHtml(what)} Box: quartiles, whiskers to the furthest value within 1.5 times the box's width, thick bar the median, shaded band its 95% interval; dots: the values (at most ${MAX_DRAWN_SAMPLES} per row, evenly spaced in rank, always the smallest and the largest).</p>
<div class="dist">${chartBlock(samples, false)}${ratioChart}</div>`;
}

/** The verdict, coloured; for a verdict that is not a decision, why (the reason, in small print). */
function verdictCell(e: ComparisonEntry): string {
  const cls = VERDICT_CLASS[e.verdict];
  const decided = e.verdict === "regressed" || e.verdict === "improved" || e.verdict === "unchanged";
  const why = decided || !e.reason ? "" : `<br><span class="reason">${escapeHtml(e.reason)}</span>`;
  return `<td class="verdict${cls ? ` ${cls}` : ""}">${escapeHtml(e.verdict)}${why}</td>`;
}

/** Exact counters that differ, one a line: old -> new, the change, and its verdict coloured. */
function counterCell(e: ComparisonEntry): string {
  if (e.counterChanges.length === 0) return cell("–");
  const n = (v: number | null) => (v === null ? "absent" : formatNumber(v));
  const lines = e.counterChanges.map((c) => {
    const cls = c.verdict === "changed" ? "" : ` class="${VERDICT_CLASS[c.verdict]}"`;
    const change = c.change === null ? "" : ` (${formatPct(c.change)}${c.verdict === "changed" ? "" : `, ${c.verdict}`})`;
    return `<span${cls}>${escapeHtml(`${c.name} ${n(c.old)} → ${n(c.new)}${change}`)}</span>`;
  });
  return `<td class="counters">${lines.join("<br>")}</td>`;
}

/** Old vs new per benchmark: the change chart, the distributions of any benchmark, and the table, verdicts coloured. */
function comparisonSection(cmp: Comparison | null, charts: ChartSpec[], dists: DistItem[]): string {
  if (!cmp) return "";
  const ab = cmp.kind === "ab";
  const [a, b] = sideLabels(cmp);
  const chart = comparisonChart(cmp);
  if (chart) charts.push(chart);
  const picked = new Set(dists.map((d) => d.id));
  const rows = cmp.entries.map((e) => [
    picked.has(e.id) ? `<td class="id"><a href="#cmp-dist" data-pick="${escapeHtml(e.id)}">${escapeHtml(e.id)}</a></td>` : cell(e.id, "id"),
    cell(e.oldMedianNs === null ? "–" : formatNs(e.oldMedianNs), "num"),
    cell(e.newMedianNs === null ? "–" : formatNs(e.newMedianNs), "num"),
    cell(e.change === null ? "–" : formatPct(e.change), "num"),
    cell(e.ci === null ? "–" : formatCi(e.ci), "num"),
    cell(e.p === null ? "–" : formatP(e.p), "num"),
    cell(ab ? String(e.cycleRatios?.length ?? "–") : `${e.oldN} / ${e.newN}`, "num"),
    verdictCell(e),
    counterCell(e),
  ]);
  const t = formatPct(cmp.options.threshold).replace(/^\+/, "");
  const ct = formatPct(cmp.counterThreshold).replace(/^\+/, "");
  const how = ab
    ? `Both builds and a second copy of the base (the control) timed in one process, in rounds visiting them in every order, each cycle on fresh instances; each cycle gives one observation, the geometric mean of its head/base ratios (and of control/base). Change: the median of the cycle ratios minus 1 (old: the base's median; new: old moved by the change), with its anytime-valid confidence sequence at the run's level ${cmp.ab?.alpha ?? cmp.options.alpha} shared among the benchmarks (Bonferroni); p: its anytime-valid p-value. A control that differs by half the threshold makes the benchmark too noisy (the machine, not the code).`
    : `Change: the ratio of the medians of per-round medians minus 1, with its 95% bootstrap interval; p: Mann-Whitney U test of the per-round medians.`;
  const rule = ab
    ? `A change counts when it is at least the threshold (${t}), its interval clears half of it and lies beyond the control's`
    : `A change counts when p < ${cmp.options.alpha}, it is at least the threshold (${t}) and its interval clears half of it`;
  const intro =
    `${sidesText(cmp).join("; ")}. ${how} ` +
    `${rule}: red regressed, green improved, grey unchanged, amber too noisy to tell (or not comparable, with the reason). ` +
    `Exact counters (WASM instructions, slots visited per op) are compared exactly: a change of ${ct} or more is a verdict, coloured the same way.`;
  const warning = machineWarning(cmp);
  const info = cmp.ab
    ? `<p class="note">${escapeHtml(
        `ab: ${cmp.ab.rounds} rounds in ${(cmp.ab.elapsedMs / 1000).toFixed(1)} s of a ${(cmp.ab.budgetMs / 1000).toFixed(0)} s budget; at least ${cmp.ab.minCycles} cycles before a verdict; ${cmp.ab.undecided} benchmark${cmp.ab.undecided === 1 ? "" : "s"} too noisy (undecided) when the rounds ended${cmp.ab.interrupted ? " (interrupted)" : ""}${cmp.ab.controlDiffered ? `; the machine was too noisy for ${cmp.ab.controlDiffered} (the control differed)` : ""}.`,
      )}</p>\n`
    : "";
  // The box grows with the bars so labels never overlap (the chart caps the bars).
  const box = chart
    ? `<figure class="chart"><h3>${escapeHtml(chart.title)}</h3><div class="canvas-box" style="height: ${80 + 18 * chart.rows}px"><canvas id="${chart.canvas}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div></figure>`
    : NO_DATA;
  const what = ab
    ? `Top: each build's per-round values (the median of the round's samples). Bottom: the change of each ABBA cycle, the observations the verdict comes from, with the threshold (dashed) and zero.`
    : "The samples of each run, in ns per op.";
  const picker = dists.length
    ? `<h3>Distributions of one benchmark</h3>\n${distributionPicker("cmp-dist", dists, [a, b], charts, what)}`
    : `<p class="note">${
        cmp.kind === "compare"
          ? "A compare result keeps no samples, so no distributions here: report OLD.json NEW.json draws both runs' distributions."
          : "No per-round values in this comparison (an ab file written before they were kept), so no distributions."
      }</p>`;
  return section(
    "comparison",
    `Comparison: ${a} vs ${b}`,
    intro,
    (warning ? `<p class="warning">${escapeHtml(warning)}</p>\n` : "") +
      info +
      `<p class="summary">${escapeHtml(verdictCounts(cmp))}</p>\n` +
      box +
      picker +
      table("Comparison per benchmark", ["benchmark", a, b, "change", "95% CI", "p", ab ? "cycles" : "samples", "verdict", "exact counters"], rows, [
        a,
        b,
        "change",
        "95% CI",
        "p",
        ab ? "cycles" : "samples",
      ]),
  );
}

/** A suite's chart and its results table, then `more` (the fit table of a scaling suite). */
function resultTableSection(id: string, title: string, intro: string, sc: SectionChart, charts: ChartSpec[], more = ""): string {
  if (sc.chart) charts.push(sc.chart);
  if (sc.results.length === 0) return section(id, title, intro, NO_DATA);
  const rows = sc.results.map((r) => [
    cell(r.case),
    cell(r.backend),
    cell(paramsText(r.params)),
    cell(r.unit, "unit"),
    ...statCells(r),
    cell(countersText(r), "wrap"),
  ]);
  return section(
    id,
    title,
    intro,
    (sc.chart ? chartBlock(sc.chart) : NO_DATA) +
      table(`${title}: results`, ["case", "backend", "params", "unit", ...STAT_COLUMNS, "counters"], rows, STAT_COLUMNS) +
      more,
  );
}

function pct(change: number): string {
  return `${change > 0 ? "+" : ""}${formatNumber(change * 100)}%`;
}

function historySection(run: Run, history: HistoryRecord[] | undefined, charts: ChartSpec[]): string {
  const title = "History";
  if (history === undefined) return section("history", title, "", `<p class="no-data">No history file given (pass --history FILE).</p>`);
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

function valueText(v: unknown): string {
  if (Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null)) return v.map(paramText).join(", ");
  return paramText(v);
}

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
  if (run.results.length === 0) return section("all", "All results", "", NO_DATA);
  const picker = dists.length
    ? `<h3>Distribution of one benchmark</h3>\n${distributionPicker("run-dist", dists, ["this run"], charts, "The samples of the picked benchmark, in ns per op.")}`
    : "";
  const rows = run.results.map((r) => [
    cell(r.id, "wrap"),
    cell(r.backend),
    cell(r.unit, "unit"),
    ...statCells(r),
    cell(r.ops_per_sample === undefined ? "" : formatNumber(r.ops_per_sample), "num"),
    cell(countersText(r), "wrap"),
    cell(r.complexity?.big_o ?? ""),
  ]);
  return section(
    "all",
    "All results",
    "Every result of the run, including suites without a chart.",
    picker + table("All results", ["id", "backend", "unit", ...STAT_COLUMNS, "ops/sample", "counters", "fit (time)"], rows, [...STAT_COLUMNS, "ops/sample"]),
  );
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-alt: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 16px 0 8px; }
.meta, .intro, .note { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
a { color: #0969da; }
figure.chart { margin: 8px 0 16px; }
.canvas-box { position: relative; height: 380px; }
.canvas-box.small { height: 280px; }
.trends { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 8px 24px; }
.trend { min-width: 0; border-top: 1px solid var(--line); }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 0.875rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--bg-alt); }
tbody th { font-weight: 500; white-space: nowrap; }
td { overflow-wrap: break-word; }
/* Long ids and counter lists may break anywhere, so a table never needs a scrollbar. */
.wrap { overflow-wrap: anywhere; }
.unit { white-space: nowrap; }
.nowrap { white-space: nowrap; }
/* Benchmark ids: wide enough for "lookup/table-header-id/wasm", breaking at any character beyond. */
td.id { min-width: 15em; overflow-wrap: anywhere; }
td.verdict { min-width: 8em; }
td.counters { min-width: 14em; overflow-wrap: anywhere; }
.reason { font-size: 0.8rem; font-weight: 400; color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.unavailable { color: #9a6700; font-style: italic; }
.regression { color: #cf222e; font-weight: 600; }
.improvement { color: #1a7f37; font-weight: 600; }
.noisy { color: #9a6700; }
.warning { padding: 8px 12px; border-left: 4px solid #cf222e; background: #fff5f5; }
.summary { font-weight: 600; }
.dist { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 8px 24px; }
.dist > figure { min-width: 0; }
.picker { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 8px 0; }
.picker select { max-width: 100%; }
.no-data { padding: 12px 16px; background: var(--bg-alt); border: 1px dashed var(--line); color: var(--muted); }
details summary { cursor: pointer; color: var(--muted); font-size: 0.875rem; }
`;

// Runs in the page: builds each chart from the inlined JSON (adding the
// callbacks JSON cannot carry), then records how many were drawn so a test (or
// a reader of the DOM) can tell it finished.
const CLIENT = `
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var nf = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });
  var exact = new Intl.NumberFormat("en-US");
  // x ticks sit on measured values (N = 65536, 4 workers): print them exactly.
  function plain(value) { return exact.format(value); }
  // Label a log axis at 1, 2 and 5 times a power of ten only; chart.js's own
  // choice lets labels such as 800 and 1,000 collide.
  function decades(value) {
    var p = Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
    var m = value / p;
    return [1, 2, 5].some(function (k) { return Math.abs(m - k) < 1e-6; }) ? nf.format(value) : "";
  }
  // Draws the 95% interval of every point or bar: from each point's lo/hi
  // (line charts) or the dataset's intervals array (bar charts).
  Chart.register({
    id: "intervals",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var horizontal = chart.options.indexAxis === "y";
      var scale = horizontal ? chart.scales.x : chart.scales.y;
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        meta.data.forEach(function (el, j) {
          var point = ds.data[j];
          var iv = ds.intervals ? ds.intervals[j] : point && typeof point === "object" && "lo" in point ? [point.lo, point.hi] : null;
          if (!iv || !(iv[0] > 0 || scale.type !== "logarithmic")) return;
          var a = scale.getPixelForValue(iv[0]), b = scale.getPixelForValue(iv[1]);
          ctx.save();
          ctx.strokeStyle = Array.isArray(ds.borderColor) ? ds.borderColor[j] : ds.borderColor || "#1f2328";
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          if (horizontal) {
            ctx.moveTo(a, el.y); ctx.lineTo(b, el.y);
            ctx.moveTo(a, el.y - 4); ctx.lineTo(a, el.y + 4); ctx.moveTo(b, el.y - 4); ctx.lineTo(b, el.y + 4);
          } else {
            ctx.moveTo(el.x, a); ctx.lineTo(el.x, b);
            ctx.moveTo(el.x - 4, a); ctx.lineTo(el.x + 4, a); ctx.moveTo(el.x - 4, b); ctx.lineTo(el.x + 4, b);
          }
          ctx.stroke();
          ctx.restore();
        });
      });
    },
  });
  // Box plots of the distribution charts (dataset.box: quartiles, whiskers,
  // median and its interval, on row dataset.row) and their reference lines
  // (chart.refLines: zero and the threshold).
  Chart.register({
    id: "boxes",
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx, area = chart.chartArea;
      (chart.refLines || []).forEach(function (l) {
        var px = x.getPixelForValue(l.x);
        if (px < area.left || px > area.right) return;
        ctx.save();
        ctx.strokeStyle = l.colour;
        ctx.setLineDash(l.dash ? [5, 4] : []);
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        ctx.restore();
      });
      chart.data.datasets.forEach(function (ds, i) {
        var b = ds.box;
        if (!b || chart.getDatasetMeta(i).hidden) return;
        var p = function (v) { return x.getPixelForValue(v); };
        var yc = y.getPixelForValue(ds.row), h = Math.abs(y.getPixelForValue(0.3) - y.getPixelForValue(0));
        ctx.save();
        ctx.strokeStyle = "#1f2328";
        ctx.lineWidth = 1.5;
        if (b.ci) { ctx.fillStyle = "rgba(31, 35, 40, 0.22)"; ctx.fillRect(p(b.ci[0]), yc - h, Math.max(1, p(b.ci[1]) - p(b.ci[0])), 2 * h); }
        ctx.beginPath();
        ctx.moveTo(p(b.lo), yc); ctx.lineTo(p(b.q1), yc); ctx.moveTo(p(b.q3), yc); ctx.lineTo(p(b.hi), yc);
        ctx.moveTo(p(b.lo), yc - h / 2); ctx.lineTo(p(b.lo), yc + h / 2); ctx.moveTo(p(b.hi), yc - h / 2); ctx.lineTo(p(b.hi), yc + h / 2);
        ctx.stroke();
        ctx.strokeRect(p(b.q1), yc - h, p(b.q3) - p(b.q1), 2 * h);
        ctx.lineWidth = 3;
        ctx.beginPath(); ctx.moveTo(p(b.median), yc - h); ctx.lineTo(p(b.median), yc + h); ctx.stroke();
        ctx.restore();
      });
    },
  });
  var made = {};
  data.charts.forEach(function (spec) {
    var scales = spec.config.options.scales;
    var ticks = spec.xTicksAt;
    if (ticks) {
      scales.x.afterBuildTicks = function (scale) {
        scale.ticks = ticks.map(function (value) { return { value: value }; });
      };
      scales.x.ticks = { callback: plain };
    }
    var rows = spec.yLabels;
    if (rows) {
      scales.y.afterBuildTicks = function (scale) {
        scale.ticks = rows.map(function (_, i) { return { value: i }; });
      };
      scales.y.ticks = { callback: function (value) { return rows[value] || ""; } };
      spec.config.options.plugins.tooltip = {
        callbacks: { label: function (c) { return c.dataset.label + ": " + nf.format(c.parsed.x); } },
      };
    }
    if (scales.y.type === "logarithmic") scales.y.ticks = { callback: decades };
    made[spec.canvas] = new Chart(document.getElementById(spec.canvas), spec.config);
  });
  function heading(chart, text) {
    chart.canvas.setAttribute("aria-label", text);
    chart.canvas.closest("figure").querySelector("h3").textContent = text;
  }
  // A filter box narrows a picker's list to the options whose text has every
  // word typed; the first one left is picked when the picked one is hidden.
  function narrowing(filter, pick) {
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var firstShown = null;
      Array.prototype.forEach.call(pick.options, function (o) {
        var show = words.every(function (w) { return o.textContent.toLowerCase().indexOf(w) >= 0; });
        o.hidden = !show;
        if (show && !firstShown) firstShown = o;
      });
      if (firstShown && pick.selectedOptions[0] && pick.selectedOptions[0].hidden) {
        pick.value = firstShown.value;
        pick.dispatchEvent(new Event("change"));
      }
    });
  }
  // History picker: one chart shows whichever benchmark is picked; the
  // filter narrows the list, so hundreds of benchmarks stay one pick away.
  var pick = document.getElementById("history-pick");
  var chart = made["chart-history-pick"];
  if (pick && chart) {
    var byId = {};
    data.trends.forEach(function (t) { byId[t.id] = t.values; });
    pick.addEventListener("change", function () {
      chart.data.datasets = [chart.data.datasets[0]];
      chart.data.datasets[0].data = byId[pick.value] || [];
      heading(chart, pick.value);
      chart.update();
    });
    narrowing(document.getElementById("history-filter"), pick);
  }
  // Distribution pickers: the picked benchmark's values become one row of
  // jittered dots per side with its box; only the picked one is drawn.
  var SIDES = ["#4e79a7", "#f28e2b"];
  function jitter(j) { return (((j * 0.6180339887) % 1) - 0.5) * 0.44; }
  // Samples are heavy-tailed (one preempted batch can be 100 times the
  // median): beyond a 3-fold spread the time axis turns logarithmic, so the
  // box is not squeezed into a corner by a few far-out dots.
  function fill(chart, sides, colours, lines, maybeLog) {
    var vals = [];
    sides.forEach(function (s) { vals.push.apply(vals, s.points); });
    var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals);
    var log = maybeLog && lo > 0 && hi / lo > 3;
    var x = chart.options.scales.x;
    if (!chart.baseTitle) chart.baseTitle = x.title.text;
    x.type = log ? "logarithmic" : "linear";
    x.ticks = log ? { callback: decades, maxRotation: 0 } : { maxRotation: 0 };
    x.title.text = chart.baseTitle + (log ? ", log scale" : "");
    chart.data.datasets = sides.map(function (s, i) {
      var c = colours[i % colours.length];
      return {
        label: s.label,
        data: s.points.map(function (v, j) { return { x: v, y: i + jitter(j) }; }),
        box: s.box,
        row: i,
        borderColor: c,
        backgroundColor: c + "aa",
        pointRadius: 2.5,
      };
    });
    chart.refLines = lines;
    var xs = lines.map(function (l) { return l.x; });
    x.suggestedMin = xs.length ? Math.min.apply(null, xs) : undefined;
    x.suggestedMax = xs.length ? Math.max.apply(null, xs) : undefined;
    chart.update();
  }
  Object.keys(data.dists).forEach(function (prefix) {
    var items = data.dists[prefix];
    var pick = document.getElementById(prefix + "-pick");
    var samples = made["chart-" + prefix + "-samples"];
    if (!pick || !samples) return;
    var ratios = made["chart-" + prefix + "-ratios"];
    var byId = {};
    items.forEach(function (it) { byId[it.id] = it; });
    function show() {
      var it = byId[pick.value];
      if (!it) return;
      fill(samples, it.sides, SIDES, [], true);
      heading(samples, it.id);
      if (ratios) {
        var r = it.ratios;
        var lines = r ? [{ x: 0, colour: "#59636e" }, { x: r.threshold, colour: "#cf222e", dash: true }, { x: -r.threshold, colour: "#1a7f37", dash: true }] : [];
        fill(ratios, r ? [r] : [], ["#b07aa1"], lines, false);
        heading(ratios, it.id + (r ? ": change per ABBA cycle" : ": no cycle ratios"));
      }
    }
    pick.addEventListener("change", show);
    narrowing(document.getElementById(prefix + "-filter"), pick);
    // A benchmark's name in a table picks it.
    document.querySelectorAll("a[data-pick]").forEach(function (a) {
      if (a.getAttribute("href") !== "#" + prefix) return;
      a.addEventListener("click", function () {
        pick.value = a.getAttribute("data-pick");
        show();
      });
    });
    show();
  });
  document.documentElement.setAttribute("data-charts-rendered", String(data.charts.length));
})();
`;

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

interface Page {
  title: string;
  heading: string;
  meta: string[];
  nav: [string, string][];
  sections: string[];
  /** Inlined as JSON for the page script: `charts` and `dists` drive it. */
  data: { charts: ChartSpec[]; dists: Record<string, DistItem[]> } & Record<string, unknown>;
}

/** The document around the sections: CSP, style, header and navigation, the data block, chart.js and the page script. */
function page(p: Page): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(p.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(p.heading)}</h1>
${p.meta.map((m) => `<p class="meta">${escapeHtml(m)}</p>`).join("\n")}
<nav aria-label="sections"><ul>
${p.nav.map(([id, text]) => `<li><a href="#${id}">${escapeHtml(text)}</a></li>`).join("")}
</ul></nav>
</header>
${p.sections.join("\n")}
</main>
<script type="application/json" id="report-data">${scriptJson(p.data)}</script>
<script>${chartJs()}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}

const DRAWN_NOTE = `Charts draw at most ${MAX_DRAWN_SAMPLES} samples per benchmark and side (evenly spaced in rank); boxes and intervals use all of them.`;

/** The complete report as one HTML document. */
export function renderHtml(run: Run, options: HtmlOptions = {}): string {
  const charts: ChartSpec[] = [];
  const measured = run.results.filter(isMeasured).length;
  const comparison = options.comparison ?? null;
  const dists: Record<string, DistItem[]> = {};
  if (comparison && options.baseline) dists["cmp-dist"] = comparisonDistributions(comparison, { old: options.baseline, new: run });
  dists["run-dist"] = runDistributions(run);
  const sections = [
    lookupSection(run, charts),
    scalingSection(
      "remap",
      "Remap: the hook's search vs the kernel's mremap",
      "Median time per ring move against N, both axes logarithmic, 95% interval on every point: one line per file strategy of the model (WASM), and the live kernel's mremap measured at the same N (dashed, black).",
      remapChart(run),
      charts,
    ),
    scalingSection(
      "criu-restore",
      "CRIU restore: time per restore vs N",
      "Median time to restore N contexts against N, both axes logarithmic, 95% interval on every point. On log-log axes a quadratic restore (the kernel's scan per move) climbs with twice the slope of a linear one.",
      criuRestoreChart(run),
      charts,
    ),
    resultTableSection(
      "getevents",
      "io_getevents: zero timeout vs timer path",
      "Median time per io_getevents call for each case and backend (log scale): a zero timeout returns at once on current kernels, older ones arm a timer.",
      geteventsChart(run),
      charts,
    ),
    resultTableSection(
      "throughput",
      "Throughput vs worker count",
      "Operations per second of the whole pool against the number of worker threads, 95% interval on every point; dashed: ideal scaling (one worker's rate times the workers).",
      throughputChart(run),
      charts,
    ),
    comparisonSection(comparison, charts, dists["cmp-dist"] ?? []),
    historySection(run, options.history, charts),
    machineSection(run),
    allResultsSection(run, charts, dists["run-dist"]),
  ];
  const commit = run.git ? run.git.commit.slice(0, 12) + (run.git.dirty ? " (dirty)" : "") : "not a git checkout";
  return page({
    title: `aio-ring-bench report — ${shortDate(run.started)}`,
    heading: "aio-ring-bench report",
    meta: [
      `Run started ${run.started} · ${commit} · ${run.tool.name} ${run.tool.version} · ${run.results.length} results, ${measured} measured, ${run.results.length - measured} not measured`,
      DRAWN_NOTE,
    ],
    nav: [
      ["lookup", "Lookup"],
      ["remap", "Remap"],
      ["criu-restore", "CRIU restore"],
      ["getevents", "io_getevents"],
      ["throughput", "Throughput"],
      ...(comparison ? [["comparison", "Comparison"] as [string, string]] : []),
      ["history", "History"],
      ["machine", "Machine and context"],
      ["all", "All results"],
    ],
    sections,
    data: { run: withoutSamples(run), history: options.history ?? null, charts, trends: historyPicks(run, options.history), dists },
  });
}

/** Both sides' provenance and machines, field by field. */
function machinesSection(cmp: Comparison): string {
  const [a, b] = sideLabels(cmp);
  const git = (s: Comparison["old"]) => (s.git ? `${s.git.commit}${s.git.dirty ? " (dirty working tree)" : ""}` : "not a git checkout");
  const fields = [...new Set([...Object.keys(cmp.old.machine), ...Object.keys(cmp.new.machine)])];
  const rows: [string, string, string][] = [
    ["source", cmp.old.source, cmp.new.source],
    ["started", cmp.old.started, cmp.new.started],
    ["git commit", git(cmp.old), git(cmp.new)],
    ["tool version", cmp.old.toolVersion, cmp.new.toolVersion],
    ...fields.map((k): [string, string, string] => [
      `machine.${k}`,
      k in cmp.old.machine ? valueText(cmp.old.machine[k]) : "–",
      k in cmp.new.machine ? valueText(cmp.new.machine[k]) : "–",
    ]),
    [
      "decision",
      `threshold ${formatPct(cmp.options.threshold).replace(/^\+/, "")}, alpha ${cmp.options.alpha}, ${cmp.options.resamples} bootstrap resamples`,
      `exact counters: threshold ${formatPct(cmp.counterThreshold).replace(/^\+/, "")}`,
    ],
  ];
  return section(
    "machine",
    "Provenance and machines",
    cmp.kind === "ab"
      ? "Both builds were timed in one process on one machine; the git commit is the checkout ab ran from, the source names the revisions built."
      : "Where each run was made; runs from machines with different fingerprints are compared with a warning.",
    table(
      "Provenance and machines",
      ["field", a, b],
      rows.map(([k, x, y]) => [`<th scope="row">${escapeHtml(k)}</th>`, cell(x, "wrap"), cell(y, "wrap")]),
      [],
    ),
  );
}

/**
 * A comparison file on its own (`report AB.json`, from `ab --json` or
 * `compare --json`): the comparison view, with an ab result's rounds, cycle
 * ratios and per-round distributions, and both sides' provenance.
 */
export function renderComparisonHtml(cmp: Comparison): string {
  const charts: ChartSpec[] = [];
  const dists = { "cmp-dist": comparisonDistributions(cmp) };
  const ab = cmp.kind === "ab";
  return page({
    title: `aio-ring-bench ${ab ? "A/B " : ""}comparison — ${shortDate(cmp.new.started)}`,
    heading: `aio-ring-bench ${ab ? "A/B " : ""}comparison`,
    meta: [...sidesText(cmp), `${cmp.entries.length} benchmarks: ${verdictCounts(cmp)}`, DRAWN_NOTE],
    nav: [
      ["comparison", "Comparison"],
      ["machine", "Provenance and machines"],
    ],
    sections: [comparisonSection(cmp, charts, dists["cmp-dist"]), machinesSection(cmp)],
    data: { comparison: { ...cmp, entries: cmp.entries.map(({ samples: _s, cycleRatios: _c, control: _k, ...e }) => e) }, charts, dists },
  });
}

/** Renders and writes the report atomically ("-": standard output): readers never see a partial file. */
export function writeHtmlReport(file: string, run: Run, options: HtmlOptions = {}): void {
  writeOutput(file, renderHtml(run, options));
}

/** Renders and writes a comparison file's report atomically ("-": standard output). */
export function writeComparisonHtmlReport(file: string, cmp: Comparison): void {
  writeOutput(file, renderComparisonHtml(cmp));
}

/** Every trend's values, for the history picker to swap into its chart. */
function historyPicks(run: Run, history: HistoryRecord[] | undefined): { id: string; values: (number | null)[] }[] {
  if (!history) return [];
  return historyCharts(run, history).trends.map((t) => ({ id: t.id, values: t.values }));
}
