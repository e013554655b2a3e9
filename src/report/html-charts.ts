// Turns run results and history into chart.js configurations plus the rows of
// the table printed under each chart. Pure data: no markup here, so the same
// numbers feed the canvas and the table and cannot disagree.
import type { ChartConfiguration, ChartDataset, PointStyle } from "chart.js";
import { historyRecord } from "../bench/history.js";
import type { HistoryRecord } from "../contract/history-record.js";
import { historyTrends, type StepChange } from "../bench/trends.js";
import { formatCi, formatP } from "./format.js";
import { medianSummary } from "../bench/measure.js";
import type { Comparison } from "../contract/comparison.js";
import { samplesInNs, TIME_UNITS, type Run, type RunResult } from "../contract/run-document.js";
import { quantileSorted } from "simple-statistics";

/** One chart: the canvas id (generated, never from input) and a JSON-only config. */
export interface ChartSpec {
  canvas: string;
  title: string;
  config: ChartConfiguration;
  /** Put x ticks exactly at these values (the measured N or worker counts) instead of chart.js's guesses. */
  xTicksAt?: number[];
}

export type Measured = RunResult & { stats: NonNullable<RunResult["stats"]> };

/** The schema guarantees stats exactly when there is no "unavailable" status. */
export function isMeasured(r: RunResult): r is Measured {
  return r.status === undefined && r.stats !== null;
}

// Tableau 10 minus its grey: distinguishable, and every colour is saturated so
// a drawn series can be told apart from axes and text (the browser test relies on it).
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];
// A second cue besides colour, for colour-blind readers and greyscale prints.
const POINT_STYLES: PointStyle[] = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded", "cross"];

export function paramText(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null ? String(value) : JSON.stringify(value);
}

export function paramsText(params: Record<string, unknown>, omit: readonly string[] = []): string {
  return Object.keys(params)
    .filter((k) => !omit.includes(k))
    .sort()
    .map((k) => `${k}=${paramText(params[k])}`)
    .join(", ");
}

export interface Series {
  label: string;
  results: RunResult[];
}

/**
 * Groups results into series, one per (case, backend, params other than
 * `xParam`). The label names the case plus only those dimensions that differ
 * between series, so a one-backend run does not repeat "(wasm)" everywhere.
 */
export function groupSeries(results: RunResult[], xParam: string): Series[] {
  const groups = new Map<string, { r: RunResult; rest: string; results: RunResult[] }>();
  for (const r of results) {
    const rest = paramsText(r.params, [xParam]);
    const key = JSON.stringify([r.case, r.backend, rest]);
    const g = groups.get(key);
    if (g) g.results.push(r);
    else groups.set(key, { r, rest, results: [r] });
  }
  const all = [...groups.values()];
  const backendsVary = new Set(all.map((g) => g.r.backend)).size > 1;
  const restVaries = new Set(all.map((g) => g.rest)).size > 1;
  return all.map((g) => {
    const extra = [backendsVary ? g.r.backend : "", restVaries ? g.rest : ""].filter((s) => s !== "");
    const byX = (r: RunResult) => Number(r.params[xParam]);
    return {
      label: extra.length ? `${g.r.case} (${extra.join("; ")})` : g.r.case,
      results: [...g.results].sort((a, b) => byX(a) - byX(b)),
    };
  });
}

function numericParam(r: RunResult, name: string): number | null {
  const v = r.params[name];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The fit for a series: the complexity record of its largest-N result that has one. */
export function seriesComplexity(s: Series): RunResult["complexity"] {
  for (let i = s.results.length - 1; i >= 0; i--) {
    const c = s.results[i]!.complexity;
    if (c) return c;
  }
  return null;
}

/** Charts share one axis unit, so every median is converted to ns per op (the schema allows ns/us/ms/s per op). */
export function medianNs(r: Measured): number {
  return r.stats.median * TIME_UNITS[r.unit];
}

/**
 * The 95% interval of a result's median in ns per op (bootstrap over its
 * rounds, as the terminal table shows it); the stats' median when the
 * samples are not there (a run file written without them).
 */
export function medianInterval(r: Measured): { y: number; lo: number; hi: number } {
  const known = intervals.get(r);
  if (known) return { ...known };
  let m = { y: medianNs(r), lo: medianNs(r), hi: medianNs(r) };
  if (r.samples.length >= 2) {
    const s = medianSummary(r);
    m = { y: medianNs(r), lo: s.lower, hi: s.upper };
  }
  intervals.set(r, m);
  return { ...m };
}

/** Each result's interval, bootstrapped once: a chart, two tables and a picker show it (seeded, so the same every time). */
const intervals = new WeakMap<RunResult, { y: number; lo: number; hi: number }>();

const Y_TITLE = "median time per op (ns)";

function baseOptions(xTitle: string, yTitle: string) {
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { display: true, position: "bottom" as const, labels: { usePointStyle: true } } },
    scales: {
      x: { title: { display: true, text: xTitle } },
      y: { title: { display: true, text: yTitle } },
    },
  };
}

/** How a chart shows a result: time per op (default) or its inverse, operations per second. */
type YOf = (r: Measured) => { y: number; lo: number; hi: number };
const timeY: YOf = medianInterval;
export const opsPerSecondY: YOf = (r) => {
  const t = medianInterval(r);
  return { y: 1e9 / t.y, lo: 1e9 / t.hi, hi: 1e9 / t.lo };
};

/**
 * Line chart of median vs a numeric parameter, one line per series, each
 * point with its 95% interval (drawn by the page's interval plugin from
 * `lo`/`hi`); null when nothing was measured. Kernel series are dashed.
 */
function xyChart(
  canvas: string,
  title: string,
  series: Series[],
  xParam: string,
  xTitle: string,
  log: boolean,
  legendSuffix: (s: Series) => string,
  yOf: YOf = timeY,
  yTitle: string = Y_TITLE,
  /** Log x axis; defaults to `log` (which sets the y axis). */
  xLog: boolean = log,
): ChartSpec | null {
  const datasets: ChartDataset<"line", { x: number; y: number; lo: number; hi: number }[]>[] = [];
  const xs = new Set<number>();
  for (const s of series) {
    const points = s.results
      .filter(isMeasured)
      .filter((r) => numericParam(r, xParam) !== null && (!log || r.stats.median > 0))
      .map((r) => ({ x: numericParam(r, xParam)!, ...yOf(r) }));
    if (points.length === 0) continue;
    for (const p of points) xs.add(p.x);
    const i = datasets.length;
    const kernel = s.results[0]?.backend === "kernel";
    datasets.push({
      label: s.label + legendSuffix(s),
      data: points,
      borderColor: kernel ? "#1f2328" : PALETTE[i % PALETTE.length]!,
      backgroundColor: kernel ? "#1f2328" : PALETTE[i % PALETTE.length]!,
      pointStyle: POINT_STYLES[i % POINT_STYLES.length]!,
      pointRadius: 4,
      borderWidth: 2,
      ...(kernel ? { borderDash: [6, 4] } : {}),
    });
  }
  if (datasets.length === 0) return null;
  const options = baseOptions(xTitle, yTitle + (log ? ", log scale" : ""));
  const scaleType = (isLog: boolean) => (isLog ? ("logarithmic" as const) : ("linear" as const));
  // Log axes span whole decades; linear ones start at zero.
  const yRange = log ? decadeRange(datasets.flatMap((d) => d.data.flatMap((p) => [p.lo, p.hi]).filter((v) => v > 0))) : { beginAtZero: true };
  return {
    canvas,
    title,
    config: {
      type: "line",
      data: { datasets },
      options: {
        ...options,
        scales: {
          x: { ...options.scales.x, type: scaleType(xLog) },
          y: { ...options.scales.y, type: scaleType(log), ...yRange },
        },
      },
    },
    xTicksAt: [...xs].sort((a, b) => a - b),
  };
}

/** Whole decades around the values, so a log axis has labelled ends and no point sits on its edge. */
function decadeRange(values: number[]): { min: number; max: number } {
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(Math.ceil(Math.log10(Math.max(...values))), lo + 1);
  return { min: 10 ** lo, max: 10 ** hi };
}

export interface SectionChart {
  results: RunResult[];
  chart: ChartSpec | null;
}

/** (a) lookup: time per op vs N, log-log, fitted complexity in the legend. */
export function lookupChart(run: Run): SectionChart & { series: Series[] } {
  const results = run.results.filter((r) => r.suite === "lookup");
  const series = groupSeries(results, "n");
  const chart = xyChart("chart-lookup", "Lookup: time per op vs N", series, "n", "N (contexts, log scale)", true, fitLegend);
  return { results, series, chart };
}

/** " — fit O(N)" (work counter) with the time fit beside it when it differs. */
export function fitLegend(s: Series): string {
  const time = seriesComplexity(s);
  const work = s.results.map((r) => r.counter_complexity as RunResult["complexity"] | undefined).find((c) => c) ?? null;
  const text = (c: NonNullable<RunResult["complexity"]>) => (c.big_o === "inconclusive" ? `inconclusive (${(c.candidates ?? []).join(" or ")})` : c.big_o);
  if (!time && !work) return " — no fit";
  if (work && time && text(work) === text(time)) return ` — fit ${text(work)}`;
  return ` — fit ${work ? `${text(work)} by work` : ""}${work && time ? ", " : ""}${time ? `${text(time)} by time` : ""}`;
}

/** Remap: the hook's time per move vs N per strategy, with the kernel's measured mremap at the same N on the same axes. */
export function remapChart(run: Run): SectionChart & { series: Series[] } {
  const results = run.results.filter((r) => r.suite === "remap");
  const series = groupSeries(results, "n");
  const chart = xyChart(
    "chart-remap",
    "Remap: time per move vs N, model strategies and the kernel's mremap",
    series,
    "n",
    "N (contexts, log scale)",
    true,
    fitLegend,
  );
  return { results, series, chart };
}

/** criu-restore: time per whole restore vs N; on log-log axes a quadratic restore climbs twice as steeply as a linear one. */
export function criuRestoreChart(run: Run): SectionChart & { series: Series[] } {
  const results = run.results.filter((r) => r.suite === "criu-restore");
  const series = groupSeries(results, "n");
  const chart = xyChart(
    "chart-criu-restore",
    "CRIU restore: time per restore vs N",
    series,
    "n",
    "N (contexts restored, log scale)",
    true,
    fitLegend,
    timeY,
    "median time per restore (ns)",
  );
  return { results, series, chart };
}

/**
 * (c) throughput: operations per second vs worker count, linear axes, each
 * mix beside its ideal scaling (one worker's rate times the workers), dashed.
 */
export function throughputChart(run: Run): SectionChart {
  const results = run.results.filter((r) => r.suite === "throughput");
  const series = groupSeries(results, "workers");
  // Log y: mixes differ by 30x in rate, and on a log axis ideal scaling is a line of the same slope for each.
  const chart = xyChart(
    "chart-throughput",
    "Throughput: operations per second vs workers",
    series,
    "workers",
    "worker threads",
    true,
    () => "",
    opsPerSecondY,
    "operations per second (whole pool)",
    false,
  );
  if (chart) {
    const measured = chart.config.data.datasets.slice();
    for (const d of measured) {
      const points = d.data as { x: number; y: number }[];
      const one = points.find((p) => p.x === 1);
      if (!one) continue;
      chart.config.data.datasets.push({
        label: `${d.label} ideal`,
        data: points.map((p) => ({ x: p.x, y: one.y * p.x })),
        borderColor: d.borderColor,
        backgroundColor: "transparent",
        borderDash: [4, 4],
        borderWidth: 1,
        pointRadius: 0,
      } as ChartDataset<"line">);
    }
    // The axis spans the ideal lines too, so none leaves the plot.
    const ys = chart.config.data.datasets
      .flatMap((d) => (d.data as { y: number; lo?: number; hi?: number }[]).flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]))
      .filter((v) => v > 0);
    Object.assign(chart.config.options!.scales!.y!, decadeRange(ys));
  }
  return { results, chart };
}

/**
 * (b) getevents: one bar group per case (zero timeout, timer path, ...), one
 * bar colour per backend (model, kernel, ...), log y axis because the timer
 * path is orders of magnitude slower.
 */
export function geteventsChart(run: Run): SectionChart {
  const results = run.results.filter((r) => r.suite === "getevents");
  const groupOf = (r: RunResult) => {
    const rest = paramsText(r.params);
    return rest ? `${r.case} (${rest})` : r.case;
  };
  const measured = results.filter(isMeasured).filter((r) => r.stats.median > 0);
  if (measured.length === 0) return { results, chart: null };
  const categories = [...new Set(measured.map(groupOf))];
  const backends = [...new Set(measured.map((r) => r.backend))];
  const datasets = backends.map((backend, i) => {
    const points = categories.map((cat) => {
      const r = measured.find((x) => x.backend === backend && groupOf(x) === cat);
      return r ? medianInterval(r) : null;
    });
    return {
      label: backend,
      data: points.map((p) => (p ? p.y : null)),
      // Read by the page's interval plugin: the 95% interval of each bar's median.
      intervals: points.map((p) => (p ? [p.lo, p.hi] : null)),
      backgroundColor: PALETTE[i % PALETTE.length]!,
      borderColor: PALETTE[i % PALETTE.length]!,
    };
  });
  const options = baseOptions("case", Y_TITLE + ", log scale");
  return {
    results,
    chart: {
      canvas: "chart-getevents",
      title: "io_getevents: zero timeout vs timer path",
      config: {
        type: "bar",
        data: { labels: categories, datasets },
        options: {
          ...options,
          scales: {
            x: options.scales.x,
            y: { ...options.scales.y, type: "logarithmic", ...decadeRange(measured.flatMap((r) => Object.values(medianInterval(r))).filter((v) => v > 0)) },
          },
        },
      },
    },
  };
}

// ---- history ----

export type StepKind = "regression" | "improvement";

/** A step change as the report marks it: one of historyTrends' steps (the detector `history` uses). */
export interface Step {
  /** Index of the first run at the new level. */
  index: number;
  /** median(after) / median(before) - 1. */
  change: number;
  kind: StepKind;
  /** The evidence: p-value and interval of the change. */
  reason: string;
}

function reportStep(s: StepChange): Step {
  const machine = s.machineChanged ? "; the machine changed here" : "";
  return {
    index: s.record,
    change: s.change,
    kind: s.verdict === "regressed" ? "regression" : "improvement",
    reason: `p ${formatP(s.p)}, 95% interval ${formatCi(s.ci)}${machine}`,
  };
}

export interface HistoryPoint {
  started: string;
  commit: string;
}

export interface HistoryTrend {
  id: string;
  /** Median per run in ns per op, null where the run lacks it. */
  values: (number | null)[];
  steps: Step[];
  chart: ChartSpec;
}

export interface HistoryCharts {
  points: HistoryPoint[];
  trends: HistoryTrend[];
  /** ids measured in fewer than two runs: no trend to draw. */
  single: string[];
}

function shortCommit(git: HistoryRecord["git"]): string {
  return git ? git.commit.slice(0, 7) + (git.dirty ? "+dirty" : "") : "no git";
}

/** Date and time in UTC, minutes precision: enough to tell runs apart on an axis. */
export function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace("T", " ");
}

/**
 * (d) one trend chart per benchmark id over the history records, with the
 * current run appended unless the history already ends with it (a bench run
 * may append itself before the report is made).
 */
export function historyCharts(run: Run, history: HistoryRecord[]): HistoryCharts {
  const records = [...history];
  const last = records[records.length - 1];
  if (!last || last.started !== run.started || shortCommit(last.git) !== shortCommit(run.git)) records.push(historyRecord(run));
  const points = records.map((r) => ({ started: r.started, commit: shortCommit(r.git) }));
  const labels = points.map((p) => [shortDate(p.started), p.commit]);
  const trends: HistoryTrend[] = [];
  const single: string[] = [];
  // The same detector as `history`, so one history file shows the same steps in both.
  for (const trend of historyTrends(records)) {
    const id = trend.id;
    if (trend.points.length < 2) {
      single.push(id);
      continue;
    }
    const values: (number | null)[] = records.map(() => null);
    for (const p of trend.points) values[p.record] = p.median;
    const steps = trend.steps.map(reportStep);
    const marks = (kind: StepKind) => values.map((v, i) => (steps.some((s) => s.index === i && s.kind === kind) ? v : null));
    const datasets: ChartDataset<"line", (number | null)[]>[] = [
      { label: "median", data: values, spanGaps: true, borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointRadius: 3, borderWidth: 2 },
    ];
    const markStyle = { showLine: false, pointRadius: 8, pointHoverRadius: 9, pointStyle: "triangle" as const };
    if (steps.some((s) => s.kind === "regression")) {
      datasets.push({ label: "regression", data: marks("regression"), borderColor: "#d62728", backgroundColor: "#d62728", ...markStyle });
    }
    if (steps.some((s) => s.kind === "improvement")) {
      datasets.push({ label: "improvement", data: marks("improvement"), borderColor: "#2ca02c", backgroundColor: "#2ca02c", ...markStyle, pointRotation: 180 });
    }
    const options = baseOptions("run (UTC date, commit)", "median (ns/op)");
    // A legend that only says "median" is noise; show it when marks need explaining.
    options.plugins.legend = { ...options.plugins.legend, display: datasets.length > 1 };
    trends.push({
      id,
      values,
      steps,
      chart: {
        canvas: "",
        title: id,
        config: {
          type: "line",
          data: { labels, datasets },
          // From zero, so a 1% wobble looks like one and a 30% step stands out.
          // Labels are skipped rather than rotated: rotated dates would squeeze the plot of a small chart.
          options: {
            ...options,
            scales: {
              x: { ...options.scales.x, ticks: { maxRotation: 0, autoSkipPadding: 16 } },
              y: { ...options.scales.y, type: "linear", beginAtZero: true },
            },
          },
        },
      },
    });
  }
  // Benchmarks with marked changes first: those are what a reader looks for.
  trends.sort((a, b) => Number(b.steps.length > 0) - Number(a.steps.length > 0) || a.id.localeCompare(b.id));
  for (const [i, t] of trends.entries()) t.chart.canvas = `chart-history-${i}`;
  return { points, trends, single: single.sort() };
}

// ---- comparison ----

const VERDICT_COLOUR: Record<string, string> = {
  regressed: "#cf222e",
  improved: "#1a7f37",
  unchanged: "#8c959f",
  "too noisy": "#d4a72c",
};

/** Bars in the change chart: beyond this a chart of hundreds of bars is a wall, and the table below holds every entry. */
export const MAX_CHANGE_BARS = 60;

/**
 * Old vs new: the change of each compared benchmark as a horizontal bar with
 * its 95% interval, coloured by verdict, in the comparison's order; `rows`
 * sizes its box. Past MAX_CHANGE_BARS it keeps every entry with a verdict
 * other than unchanged, then the largest unchanged moves, and says so.
 */
export function comparisonChart(cmp: Comparison): (ChartSpec & { rows: number }) | null {
  const measured = cmp.entries.filter((e) => e.change !== null);
  if (measured.length === 0) return null;
  let entries = measured;
  if (measured.length > MAX_CHANGE_BARS) {
    const rank = (e: (typeof measured)[number]) => (e.verdict === "unchanged" ? 0 : 1) * 1e9 + Math.abs(e.change!);
    const kept = new Set([...measured].sort((a, b) => rank(b) - rank(a)).slice(0, MAX_CHANGE_BARS));
    entries = measured.filter((e) => kept.has(e));
  }
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const shown = entries.length < measured.length ? `; ${entries.length} of ${measured.length}: every verdict first, then the largest changes` : "";
  return {
    canvas: "chart-comparison",
    title: `Change per benchmark, ${cmp.kind === "ab" ? "head vs base" : "new vs old"} (95% interval; threshold ${pct(cmp.options.threshold)}%${shown})`,
    rows: entries.length,
    config: {
      type: "bar",
      data: {
        labels: entries.map((e) => e.id),
        datasets: [
          {
            label: "change of the median, %",
            data: entries.map((e) => pct(e.change!)),
            intervals: entries.map((e) => (e.ci ? [pct(e.ci[0]), pct(e.ci[1])] : null)),
            backgroundColor: entries.map((e) => VERDICT_COLOUR[e.verdict] ?? "#8c959f"),
            borderColor: entries.map((e) => VERDICT_COLOUR[e.verdict] ?? "#8c959f"),
          } as ChartDataset<"bar">,
        ],
      },
      options: (() => {
        const o = baseOptions("change of the median (%, + is slower)", "benchmark");
        // The axis spans every interval, so no whisker runs off the plot.
        const ends = entries.flatMap((e) => [pct(e.change!), ...(e.ci ? [pct(e.ci[0]), pct(e.ci[1])] : [])]);
        return {
          ...o,
          indexAxis: "y" as const,
          plugins: { legend: { display: false } },
          scales: { ...o.scales, x: { ...o.scales.x, suggestedMin: Math.min(0, ...ends), suggestedMax: Math.max(0, ...ends) } },
        };
      })(),
    },
  };
}

// ---- distributions ----

/** Samples drawn per side of a distribution: enough to show its shape, few enough for hundreds of benchmarks in one page. */
export const MAX_DRAWN_SAMPLES = 100;

/** A box of a box plot: quartiles, Tukey whiskers (the furthest values within 1.5 IQR of the box), count, and the 95% interval of the median where known. */
export interface BoxStats {
  lo: number;
  q1: number;
  median: number;
  q3: number;
  hi: number;
  n: number;
  ci: [number, number] | null;
}

/** One row of a distribution chart: its box over all values and at most MAX_DRAWN_SAMPLES of them to draw. */
export interface DistSide {
  label: string;
  box: BoxStats;
  points: number[];
}

/**
 * One benchmark's distributions, shown when it is picked: `sides` are time
 * per op (old and new, or a run's one side); `ratios` the per-cycle change
 * of an ab comparison, in percent, with the threshold drawn beside it.
 */
export interface DistItem {
  id: string;
  verdict: string | null;
  sides: DistSide[];
  ratios: (DistSide & { threshold: number }) | null;
}

/** Four significant digits: enough for a point on a chart, a third of the bytes. */
const short = (x: number) => Number(x.toPrecision(4));

export function boxStats(values: readonly number[], ci: [number, number] | null = null): BoxStats {
  const sorted = [...values].sort((a, b) => a - b);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const reach = 1.5 * (q3 - q1);
  const lo = sorted.find((x) => x >= q1 - reach)!;
  const hi = [...sorted].reverse().find((x) => x <= q3 + reach)!;
  return {
    lo: short(lo),
    q1: short(q1),
    median: short(quantileSorted(sorted, 0.5)),
    q3: short(q3),
    hi: short(hi),
    n: sorted.length,
    ci: ci && [short(ci[0]), short(ci[1])],
  };
}

/**
 * At most MAX_DRAWN_SAMPLES values, evenly spaced order statistics of all of
 * them (always the smallest and the largest): the drawn strip keeps the
 * shape of the whole distribution, the box is computed from every value.
 */
export function drawnSamples(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= MAX_DRAWN_SAMPLES) return sorted.map(short);
  return Array.from({ length: MAX_DRAWN_SAMPLES }, (_, i) => short(sorted[Math.round((i * (sorted.length - 1)) / (MAX_DRAWN_SAMPLES - 1))]!));
}

export function distSide(label: string, values: readonly number[], ci: [number, number] | null = null): DistSide {
  return { label, box: boxStats(values, ci), points: drawnSamples(values) };
}

/** A measured result's samples in ns per op, with the 95% interval of its median (as the tables show it). */
export function resultSide(label: string, r: RunResult): DistSide | null {
  if (!isMeasured(r) || r.samples.length === 0) return null;
  const m = medianInterval(r);
  return distSide(label, samplesInNs(r), [m.lo, m.hi]);
}

/**
 * The chart a distribution picker draws into: values along x, one row per
 * side along y (labelled by the page from `yLabels`); datasets are filled
 * in by the page from the picked DistItem, boxes drawn by its box plugin.
 */
export function distributionChart(canvas: string, title: string, xTitle: string, yLabels: string[]): ChartSpec & { yLabels: string[] } {
  const o = baseOptions(xTitle, "");
  return {
    canvas,
    title,
    yLabels,
    config: {
      type: "scatter",
      data: { datasets: [] },
      options: {
        ...o,
        plugins: { legend: { display: false } },
        scales: {
          x: { ...o.scales.x, type: "linear" },
          y: { type: "linear", min: -0.5, max: yLabels.length - 0.5, grid: { display: false } },
        },
      },
    },
  };
}
