// Turns suites' charts, history, comparisons and distributions into chart.js
// configurations plus the rows of the table printed under each chart. Pure
// data: no markup here, so the same numbers feed the canvas and the table and
// cannot disagree.
import type { ChartConfiguration, ChartDataset, PointStyle } from "chart.js";
import { historyRecord } from "../bench/history.js";
import type { HistoryRecord } from "../contract/history-record.js";
import { historyTrends, type StepChange } from "../bench/trends.js";
import { formatCi, formatP } from "./format.js";
import type { Comparison } from "../contract/comparison.js";
import { samplesInNs, type Run, type RunResult } from "../contract/run-document.js";
import type { ChartSeries, SuiteChart } from "../contract/suite-report.js";
import { isMeasured, medianInterval } from "./suite-charts.js";
import { quantileSorted } from "simple-statistics";

/** One chart: the canvas id (generated, never from input) and a JSON-only config. */
export interface ChartSpec {
  canvas: string;
  title: string;
  config: ChartConfiguration;
  /** Put x ticks exactly at these values (the measured N or worker counts) instead of chart.js's guesses. */
  xTicksAt?: number[];
  /** Vertical lines across the plot at these x values (zero, a threshold), drawn by the page. */
  xLines?: RefLine[];
}

export interface RefLine {
  x: number;
  colour: string;
  dash?: boolean;
}

// Tableau 10 minus its grey: distinguishable, and every colour is saturated so
// a drawn series can be told apart from axes and text (the browser test relies on it).
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];
// A second cue besides colour, for colour-blind readers and greyscale prints.
const POINT_STYLES: PointStyle[] = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded", "cross"];
const REFERENCE_COLOUR = "#1f2328";

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

/** Whole decades around the values, so a log axis has labelled ends and no point sits on its edge. */
function decadeRange(values: number[]): { min: number; max: number } {
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(Math.ceil(Math.log10(Math.max(...values))), lo + 1);
  return { min: 10 ** lo, max: 10 ** hi };
}

/** Colour, markers and dashes of each series of a suite's chart: measured series take the palette in turn, a guide its predecessor's colour. */
function seriesLooks(series: readonly ChartSeries[]): Partial<ChartDataset<"line">>[] {
  let measured = 0;
  let last = PALETTE[0]!;
  return series.map((s) => {
    if (s.style === "reference")
      return { borderColor: REFERENCE_COLOUR, backgroundColor: REFERENCE_COLOUR, pointRadius: 4, borderWidth: 2, borderDash: [6, 4] };
    if (s.style === "guide") return { borderColor: last, backgroundColor: "transparent", borderDash: [4, 4], borderWidth: 1, pointRadius: 0 };
    const i = measured++;
    last = PALETTE[i % PALETTE.length]!;
    return { borderColor: last, backgroundColor: last, pointStyle: POINT_STYLES[i % POINT_STYLES.length]!, pointRadius: 4, borderWidth: 2 };
  });
}

/**
 * A suite's chart (src/contract/suite-report.ts) as a chart.js configuration.
 * Every point keeps its 95% interval (lo/hi, drawn by the page's interval
 * plugin). Log axes span whole decades around every value and interval;
 * linear y axes start at zero.
 */
export function suiteChartSpec(canvas: string, chart: SuiteChart): ChartSpec {
  const looks = seriesLooks(chart.series);
  const values = chart.series.flatMap((s) => s.points.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]));
  const yRange = chart.y.log ? decadeRange(values.filter((v) => v > 0)) : { beginAtZero: true };
  const options = baseOptions(chart.x.title, chart.y.title);
  const y = { ...options.scales.y, type: chart.y.log ? ("logarithmic" as const) : ("linear" as const), ...yRange };
  if (chart.kind === "points") {
    const categories = [...new Set(chart.series.flatMap((s) => s.points.map((p) => String(p.x))))];
    const datasets = chart.series.map((s, i) => {
      const at = (c: string) => s.points.find((p) => String(p.x) === c);
      return {
        label: s.label,
        data: categories.map((c) => at(c)?.y ?? null),
        // Read by the page's interval plugin: the 95% interval of each dot.
        intervals: categories.map((c) => {
          const p = at(c);
          return p?.lo === undefined || p.hi === undefined ? null : [p.lo, p.hi];
        }),
        ...looks[i],
        showLine: false,
        pointRadius: 6,
        pointHoverRadius: 7,
      };
    });
    return {
      canvas,
      title: chart.title,
      config: { type: "line", data: { labels: categories, datasets }, options: { ...options, scales: { x: options.scales.x, y } } },
    };
  }
  const datasets = chart.series.map((s, i) => ({ label: s.label, data: s.points as { x: number; y: number }[], ...looks[i] }));
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map((p) => Number(p.x))))].sort((a, b) => a - b);
  const x = { ...options.scales.x, type: chart.x.log ? ("logarithmic" as const) : ("linear" as const) };
  return { canvas, title: chart.title, config: { type: "line", data: { datasets }, options: { ...options, scales: { x, y } } }, xTicksAt: xs };
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
  const threshold = pct(cmp.options.threshold);
  const shown = entries.length < measured.length ? `; ${entries.length} of ${measured.length}: every verdict first, then the largest changes` : "";
  return {
    canvas: "chart-comparison",
    title: `Change per benchmark, ${cmp.kind === "ab" ? "head vs base" : "new vs old"} (95% interval; dashed: the threshold, ±${threshold}%${shown})`,
    rows: entries.length,
    xLines: [
      { x: 0, colour: "#59636e" },
      { x: threshold, colour: VERDICT_COLOUR.regressed!, dash: true },
      { x: -threshold, colour: VERDICT_COLOUR.improved!, dash: true },
    ],
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
            // Dark whiskers: in the bar's own colour the half inside the bar would not show.
            intervalColour: REFERENCE_COLOUR,
          } as ChartDataset<"bar">,
        ],
      },
      options: (() => {
        const o = baseOptions("change of the median (%, + is slower)", "benchmark");
        // The axis spans every interval and both threshold lines, so no whisker or line runs off the plot.
        const ends = [threshold, -threshold, ...entries.flatMap((e) => [pct(e.change!), ...(e.ci ? [pct(e.ci[0]), pct(e.ci[1])] : [])])];
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
