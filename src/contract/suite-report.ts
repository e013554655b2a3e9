// What a suite shows in the HTML report, beside its cases: a section with
// a chart and tables, described as data (axes, series, points, cells). The
// report draws and escapes it; no markup or chart library is named here, so
// suites stay below the report and the report knows no suite by name.
import type { RunResult } from "./run-document.js";

/** An axis of a suite chart: its title, and whether its scale is logarithmic. */
export interface ChartAxis {
  title: string;
  log?: boolean;
}

/** One value drawn: x is a number on a "lines" chart and a category on a "points" chart; lo/hi its 95% interval. */
export interface ChartPoint {
  x: number | string;
  y: number;
  lo?: number;
  hi?: number;
}

/** One line (or set of dots) of a suite chart, with its legend label. */
export interface ChartSeries {
  label: string;
  points: ChartPoint[];
  /**
   * "measured" (the default): a colour of the palette and a marker shape of
   * its own; "reference": dark and dashed (the live kernel beside the
   * model); "guide": a thin dashed line without markers in the colour of the
   * series before it (ideal scaling).
   */
  style?: "measured" | "reference" | "guide";
}

/** A suite's chart, as data: the report draws it. */
export interface SuiteChart {
  title: string;
  /**
   * "lines": x numeric, points joined per series, x ticks at the measured x;
   * "points": x categories (in order of first appearance), one dot per
   * series and category, never bars (a bar's length means nothing on a log axis).
   */
  kind: "lines" | "points";
  x: ChartAxis;
  y: ChartAxis;
  series: ChartSeries[];
}

/** A table of text; the report escapes every cell. */
export interface ReportTable {
  caption: string;
  headers: string[];
  /** Headers of the right-aligned columns. */
  numeric?: string[];
  rows: string[][];
}

/** What a suite's section shows of its results in one run. */
export interface SuiteSection {
  chart: SuiteChart | null;
  /** Tables after the results table (a fitted complexity per series). */
  tables?: ReportTable[];
  /** A parameter shown in its own column of the results table (the chart's x), with its header. */
  column?: { param: string; header: string };
}

/** The optional report hook of a suite: its section of the HTML page (heading, navigation entry, intro, and what it shows of a run). */
export interface SuiteReport {
  /** The section's heading. */
  title: string;
  /** Its entry in the page's navigation. */
  nav: string;
  /** One paragraph: what the chart shows and how to read it. */
  intro: string;
  /** Called only when the run has results of the suite; `results` are those. */
  section(results: readonly RunResult[]): SuiteSection;
}
