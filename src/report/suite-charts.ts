// The pieces suites build their report sections from (src/contract/suite-report.ts):
// results grouped into series, each median with its 95% interval, charts of
// a median against a parameter, and fitted-complexity tables. Pure data: the
// HTML report turns it into canvases and tables.
import { medianSummary } from "../bench/measure.js";
import { TIME_UNITS, type RunResult } from "../contract/run-document.js";
import type { ChartPoint, ChartSeries, ReportTable, SuiteChart } from "../contract/suite-report.js";

export type Measured = RunResult & { stats: NonNullable<RunResult["stats"]> };

/** The schema guarantees stats exactly when there is no "unavailable" status. */
export function isMeasured(r: RunResult): r is Measured {
  return r.status === undefined && r.stats !== null;
}

const nf = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });
const exact = new Intl.NumberFormat("en-US");

/** A measured value to four significant digits (a median, a fit's coefficient). */
export function formatNumber(v: number): string {
  return Number.isFinite(v) ? nf.format(v) : String(v);
}

/** A count (ops per sample, slots visited): integers exactly (65,536, never 65,540), other values as formatNumber. */
export function formatCount(v: number): string {
  return Number.isSafeInteger(v) ? exact.format(v) : formatNumber(v);
}

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
export function groupSeries(results: readonly RunResult[], xParam: string): Series[] {
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
function seriesComplexity(s: Series): RunResult["complexity"] {
  for (let i = s.results.length - 1; i >= 0; i--) {
    const c = s.results[i]!.complexity;
    if (c) return c;
  }
  return null;
}

/** Charts share one axis unit, so every median is converted to ns per op (the schema allows ns/us/ms/s per op). */
function medianNs(r: Measured): number {
  return r.stats.median * TIME_UNITS[r.unit];
}

/** Each result's interval, bootstrapped once: a chart, two tables and a picker show it (seeded, so the same every time). */
const intervals = new WeakMap<RunResult, { y: number; lo: number; hi: number }>();

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

/** How a chart shows a result: time per op (the default) or its inverse, operations per second. */
export type YOf = (r: Measured) => { y: number; lo: number; hi: number };
export const timeY: YOf = medianInterval;
export const opsPerSecondY: YOf = (r) => {
  const t = medianInterval(r);
  return { y: 1e9 / t.y, lo: 1e9 / t.hi, hi: 1e9 / t.lo };
};

export const TIME_AXIS = "median time per op (ns)";

/**
 * The measured results of each series against a numeric parameter, each
 * point with its 95% interval; a series on the live kernel is a reference.
 * On a log y axis values of zero are left out (a log axis cannot show them).
 */
export function lineSeries(series: readonly Series[], xParam: string, opts: { yOf?: YOf; logY: boolean; legend?: (s: Series) => string }): ChartSeries[] {
  const yOf = opts.yOf ?? timeY;
  return series.flatMap((s): ChartSeries[] => {
    const points: ChartPoint[] = s.results
      .filter(isMeasured)
      .filter((r) => numericParam(r, xParam) !== null && (!opts.logY || r.stats.median > 0))
      .map((r) => ({ x: numericParam(r, xParam)!, ...yOf(r) }));
    if (points.length === 0) return [];
    const reference = s.results[0]?.backend === "kernel";
    return [{ label: s.label + (opts.legend?.(s) ?? ""), points, ...(reference ? { style: "reference" as const } : {}) }];
  });
}

/** A chart of series against a numeric parameter; null when nothing in it was measured. */
export function lineChart(title: string, x: SuiteChart["x"], y: SuiteChart["y"], series: ChartSeries[]): SuiteChart | null {
  return series.length ? { title, kind: "lines", x, y, series } : null;
}

function complexityName(c: NonNullable<RunResult["complexity"]>): string {
  return c.big_o === "inconclusive" ? `inconclusive (${(c.candidates ?? []).join(" or ")})` : c.big_o;
}

type Fit = NonNullable<RunResult["complexity"]> & { counter?: string };

/** The fit of a series' work counter: the first of its results that carries one. */
function workComplexity(s: Series): Fit | null {
  return s.results.map((r) => r.counter_complexity as Fit | undefined).find((c) => c) ?? null;
}

/** " — fit O(N)" (work counter) with the time fit beside it when it differs: a legend suffix. */
export function fitLegend(s: Series): string {
  const time = seriesComplexity(s);
  const work = workComplexity(s);
  if (!time && !work) return " — no fit";
  if (work && time && complexityName(work) === complexityName(time)) return ` — fit ${complexityName(work)}`;
  return ` — fit ${work ? `${complexityName(work)} by work` : ""}${work && time ? ", " : ""}${time ? `${complexityName(time)} by time` : ""}`;
}

/** One row per series and fit (work counter, then time): value = a + b·f(N), RMS of the relative residuals. */
export function fitTable(caption: string, series: readonly Series[]): ReportTable {
  const rows = series.flatMap((s) => {
    const work = workComplexity(s);
    const fits: [string, Fit | null][] = [
      [work ? `work (${work.counter ?? "counter"})` : "work", work],
      ["time", seriesComplexity(s)],
    ];
    const found = fits.flatMap(([what, c]) =>
      c
        ? [[s.label, what, complexityName(c), c.intercept === undefined ? "" : formatNumber(c.intercept), formatNumber(c.coefficient), formatNumber(c.rms)]]
        : [],
    );
    return found.length ? found : [[s.label, "–", "no fit in this run", "", "", ""]];
  });
  return { caption, headers: ["series", "fitted to", "fit", "a", "b", "rms"], numeric: ["a", "b", "rms"], rows };
}

/**
 * A suite measured against N on log-log axes (lookup, remap, criu-restore):
 * one line per series with its fit in the legend, N in its own column, and
 * the fitted complexity of every series in a table.
 */
export function scalingSection(
  results: readonly RunResult[],
  text: { chart: string; x: string; y: string; fits: string },
): { chart: SuiteChart | null; tables: ReportTable[]; column: { param: string; header: string } } {
  const series = groupSeries(results, "n");
  return {
    chart: lineChart(text.chart, { title: text.x, log: true }, { title: text.y, log: true }, lineSeries(series, "n", { logY: true, legend: fitLegend })),
    tables: [fitTable(text.fits, series)],
    column: { param: "n", header: "N" },
  };
}
