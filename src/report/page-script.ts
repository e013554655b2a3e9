// The HTML report's own script, run in the page (html-page.ts inlines the
// compiled file after chart.js): builds each chart from the inlined JSON,
// adding the callbacks JSON cannot carry, wires the pickers, then records how
// many charts were drawn so a test (or a reader of the DOM) can tell it
// finished. It imports nothing at run time: chart.js is the page's global.
import type { Chart as ChartJs, ChartConfiguration, ChartDataset, Plugin, Scale } from "chart.js";
import type { ChartSpec, DistItem, DistSide, RefLine } from "./html-charts.js";

declare const Chart: typeof ChartJs;

/** The page's data block (html-page.ts): the charts to make, the pickers' distributions, the history picker's trends. */
interface PageData {
  charts: (ChartSpec & { yLabels?: string[] })[];
  dists: Record<string, DistItem[]>;
  trends?: { id: string; values: (number | null)[] }[];
}

/** What the plugins below read beside chart.js's own fields. */
interface ReportDataset {
  label: string;
  data: unknown[];
  borderColor?: string | string[];
  intervals?: ([number, number] | null)[];
  intervalColour?: string;
  box?: DistSide["box"];
  row?: number;
}

type ReportChart = ChartJs & { refLines?: RefLine[]; baseTitle?: string };

const datasetsOf = (chart: ChartJs) => chart.data.datasets as unknown as ReportDataset[];

const data = JSON.parse(document.getElementById("report-data")!.textContent!) as PageData;
const nf = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });
const exact = new Intl.NumberFormat("en-US");

/** x ticks sit on measured values (N = 65536, 4 workers): printed exactly. */
const plain = (value: number | string) => exact.format(Number(value));

/** Labels a log axis at 1, 2 and 5 times a power of ten only; chart.js's own choice lets labels such as 800 and 1,000 collide. */
function decades(value: number | string): string {
  const v = Number(value);
  const p = 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 5].some((k) => Math.abs(v / p - k) < 1e-6) ? nf.format(v) : "";
}

function hasInterval(point: unknown): point is { lo: number; hi: number } {
  return typeof point === "object" && point !== null && "lo" in point && "hi" in point;
}

/** Draws the 95% interval of every point or bar, on top of it: from each point's lo/hi (line charts) or the dataset's intervals array. */
const intervalsPlugin: Plugin = {
  id: "intervals",
  afterDatasetsDraw(chart) {
    const ctx = chart.ctx;
    const horizontal = chart.options.indexAxis === "y";
    const scale = (horizontal ? chart.scales.x : chart.scales.y)!;
    datasetsOf(chart).forEach((ds, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      meta.data.forEach((el, j) => {
        const point = ds.data[j];
        const iv = ds.intervals ? ds.intervals[j] : hasInterval(point) ? [point.lo, point.hi] : null;
        if (!iv || !(iv[0] > 0 || scale.type !== "logarithmic")) return;
        const a = scale.getPixelForValue(iv[0]);
        const b = scale.getPixelForValue(iv[1]);
        ctx.save();
        ctx.strokeStyle = ds.intervalColour ?? (Array.isArray(ds.borderColor) ? ds.borderColor[j]! : (ds.borderColor ?? "#1f2328"));
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(a, el.y);
          ctx.lineTo(b, el.y);
          for (const end of [a, b]) {
            ctx.moveTo(end, el.y - 4);
            ctx.lineTo(end, el.y + 4);
          }
        } else {
          ctx.moveTo(el.x, a);
          ctx.lineTo(el.x, b);
          for (const end of [a, b]) {
            ctx.moveTo(el.x - 4, end);
            ctx.lineTo(el.x + 4, end);
          }
        }
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

/**
 * Reference lines across the plot (chart.refLines: zero and the threshold),
 * and the box plots of the distribution charts (dataset.box: quartiles,
 * whiskers, median and its interval, on row dataset.row).
 */
const boxesPlugin: Plugin = {
  id: "boxes",
  afterDatasetsDraw(chart: ReportChart) {
    const x = chart.scales.x!;
    const y = chart.scales.y!;
    const ctx = chart.ctx;
    const area = chart.chartArea;
    for (const l of chart.refLines ?? []) {
      const px = x.getPixelForValue(l.x);
      if (px < area.left || px > area.right) continue;
      ctx.save();
      ctx.strokeStyle = l.colour;
      ctx.setLineDash(l.dash ? [5, 4] : []);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.restore();
    }
    datasetsOf(chart).forEach((ds, i) => {
      const b = ds.box;
      if (!b || ds.row === undefined || chart.getDatasetMeta(i).hidden) return;
      const p = (v: number) => x.getPixelForValue(v);
      const yc = y.getPixelForValue(ds.row);
      const h = Math.abs(y.getPixelForValue(0.3) - y.getPixelForValue(0));
      ctx.save();
      ctx.strokeStyle = "#1f2328";
      ctx.lineWidth = 1.5;
      if (b.ci) {
        ctx.fillStyle = "rgba(31, 35, 40, 0.22)";
        ctx.fillRect(p(b.ci[0]), yc - h, Math.max(1, p(b.ci[1]) - p(b.ci[0])), 2 * h);
      }
      ctx.beginPath();
      ctx.moveTo(p(b.lo), yc);
      ctx.lineTo(p(b.q1), yc);
      ctx.moveTo(p(b.q3), yc);
      ctx.lineTo(p(b.hi), yc);
      for (const end of [b.lo, b.hi]) {
        ctx.moveTo(p(end), yc - h / 2);
        ctx.lineTo(p(end), yc + h / 2);
      }
      ctx.stroke();
      ctx.strokeRect(p(b.q1), yc - h, p(b.q3) - p(b.q1), 2 * h);
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(p(b.median), yc - h);
      ctx.lineTo(p(b.median), yc + h);
      ctx.stroke();
      ctx.restore();
    });
  },
};

Chart.register(intervalsPlugin, boxesPlugin);

/** The scale options this script sets on a spec's JSON configuration. */
interface ScaleOptions {
  type?: string;
  title?: { text: string };
  ticks?: object;
  suggestedMin?: number;
  suggestedMax?: number;
  afterBuildTicks?: (scale: Scale) => void;
}

function scalesOf(config: ChartConfiguration): { x: ScaleOptions; y: ScaleOptions } {
  return config.options!.scales as unknown as { x: ScaleOptions; y: ScaleOptions };
}

const made: Record<string, ReportChart> = {};
for (const spec of data.charts) {
  const scales = scalesOf(spec.config);
  const ticks = spec.xTicksAt;
  if (ticks) {
    scales.x.afterBuildTicks = (scale) => {
      scale.ticks = ticks.map((value) => ({ value }));
    };
    scales.x.ticks = { callback: plain };
  }
  const rows = spec.yLabels;
  if (rows) {
    scales.y.afterBuildTicks = (scale) => {
      scale.ticks = rows.map((_, i) => ({ value: i }));
    };
    scales.y.ticks = { callback: (value: number) => rows[value] ?? "" };
    spec.config.options!.plugins!.tooltip = {
      callbacks: { label: (c) => `${c.dataset.label}: ${nf.format(c.parsed.x ?? Number.NaN)}` },
    };
  }
  if (scales.y.type === "logarithmic") scales.y.ticks = { callback: decades };
  const chart: ReportChart = new Chart(document.getElementById(spec.canvas) as HTMLCanvasElement, spec.config);
  // The chart drew once when made: draw again with its lines.
  if (spec.xLines) {
    chart.refLines = spec.xLines;
    chart.draw();
  }
  made[spec.canvas] = chart;
}

/** Puts `text` in a chart's heading and accessible name. */
function heading(chart: ChartJs, text: string): void {
  chart.canvas.setAttribute("aria-label", text);
  chart.canvas.closest("figure")!.querySelector("h3")!.textContent = text;
}

/**
 * A filter box narrows a picker's list to the options whose text has every
 * word typed; the first one left is picked when the picked one is hidden.
 */
function narrowing(filter: HTMLInputElement, pick: HTMLSelectElement): void {
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let firstShown: HTMLOptionElement | null = null;
    for (const o of pick.options) {
      const show = words.every((w) => (o.textContent ?? "").toLowerCase().includes(w));
      o.hidden = !show;
      if (show && !firstShown) firstShown = o;
    }
    if (firstShown && pick.selectedOptions[0]?.hidden) {
      pick.value = firstShown.value;
      pick.dispatchEvent(new Event("change"));
    }
  });
}

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

// History picker: one chart shows whichever benchmark is picked; the
// filter narrows the list, so hundreds of benchmarks stay one pick away.
const historyPick = element<HTMLSelectElement>("history-pick");
const historyChart = made["chart-history-pick"];
if (historyPick && historyChart) {
  const byId = new Map((data.trends ?? []).map((t) => [t.id, t.values]));
  historyPick.addEventListener("change", () => {
    const first = historyChart.data.datasets[0]!;
    first.data = byId.get(historyPick.value) ?? [];
    historyChart.data.datasets = [first];
    heading(historyChart, historyPick.value);
    historyChart.update();
  });
  narrowing(element<HTMLInputElement>("history-filter")!, historyPick);
}

// Distribution pickers: the picked benchmark's values become one row of
// jittered dots per side with its box; only the picked one is drawn.
const SIDES = ["#4e79a7", "#f28e2b"];
const jitter = (j: number) => (((j * 0.6180339887) % 1) - 0.5) * 0.44;

/**
 * Samples are heavy-tailed (one preempted batch can be 100 times the
 * median): beyond a 3-fold spread the time axis turns logarithmic, so the
 * box is not squeezed into a corner by a few far-out dots.
 */
function fill(chart: ReportChart, sides: DistSide[], colours: string[], lines: RefLine[], maybeLog: boolean): void {
  const vals = sides.flatMap((s) => s.points);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const log = maybeLog && lo > 0 && hi / lo > 3;
  const x = chart.options.scales!.x as unknown as ScaleOptions;
  chart.baseTitle ??= x.title!.text;
  x.type = log ? "logarithmic" : "linear";
  x.ticks = log ? { callback: decades, maxRotation: 0 } : { maxRotation: 0 };
  x.title!.text = chart.baseTitle + (log ? ", log scale" : "");
  chart.data.datasets = sides.map((s, i) => {
    const c = colours[i % colours.length]!;
    return {
      label: s.label,
      data: s.points.map((v, j) => ({ x: v, y: i + jitter(j) })),
      box: s.box,
      row: i,
      borderColor: c,
      backgroundColor: `${c}aa`,
      pointRadius: 2.5,
    } as ChartDataset;
  });
  chart.refLines = lines;
  const xs = lines.map((l) => l.x);
  x.suggestedMin = xs.length ? Math.min(...xs) : undefined;
  x.suggestedMax = xs.length ? Math.max(...xs) : undefined;
  chart.update();
}

for (const [prefix, items] of Object.entries(data.dists)) {
  const pick = element<HTMLSelectElement>(`${prefix}-pick`);
  const samples = made[`chart-${prefix}-samples`];
  if (!pick || !samples) continue;
  const ratios = made[`chart-${prefix}-ratios`];
  const byId = new Map(items.map((it) => [it.id, it]));
  const show = () => {
    const it = byId.get(pick.value);
    if (!it) return;
    fill(samples, it.sides, SIDES, [], true);
    heading(samples, it.id);
    if (ratios) {
      const r = it.ratios;
      const lines: RefLine[] = r
        ? [
            { x: 0, colour: "#59636e" },
            { x: r.threshold, colour: "#cf222e", dash: true },
            { x: -r.threshold, colour: "#1a7f37", dash: true },
          ]
        : [];
      fill(ratios, r ? [r] : [], ["#b07aa1"], lines, false);
      heading(ratios, it.id + (r ? ": change per ABBA cycle" : ": no cycle ratios"));
    }
  };
  pick.addEventListener("change", show);
  narrowing(element<HTMLInputElement>(`${prefix}-filter`)!, pick);
  // A benchmark's name in a table picks it.
  for (const a of document.querySelectorAll<HTMLAnchorElement>("a[data-pick]")) {
    if (a.getAttribute("href") !== `#${prefix}`) continue;
    a.addEventListener("click", () => {
      pick.value = a.getAttribute("data-pick")!;
      show();
    });
  }
  show();
}

document.documentElement.setAttribute("data-charts-rendered", String(data.charts.length));
