// The comparison view of the HTML report: old vs new per benchmark (the
// change chart with intervals and threshold, the table, verdicts coloured),
// the distribution pickers, both sides' provenance, and the page of a
// comparison file on its own (ab --json, compare --json).
import type { Comparison, ComparisonEntry } from "../contract/comparison.js";
import type { Run } from "../contract/run-document.js";
import { writeOutput } from "../util/files.js";
import { describeRun, machineWarning, verdictCounts } from "./compare.js";
import { formatCi, formatNs, formatP, formatPct } from "./format.js";
import { type ChartSpec, comparisonChart, type DistItem, distributionChart, distSide, MAX_DRAWN_SAMPLES, resultSide, shortDate } from "./html-charts.js";
import { cell, chartBlock, escapeHtml, idHtml, page, section, table, valueText } from "./html-page.js";
import { formatCount } from "./suite-charts.js";

/** Said at the top of every page: how much of each distribution the charts draw. */
export const DRAWN_NOTE = `Charts draw at most ${MAX_DRAWN_SAMPLES} samples per benchmark and side (evenly spaced in rank); boxes and intervals use all of them.`;

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
export function distributionPicker(prefix: string, items: DistItem[], sideNames: string[], charts: ChartSpec[], what: string): string {
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
  const n = (v: number | null) => (v === null ? "absent" : formatCount(v));
  const lines = e.counterChanges.map((c) => {
    const cls = c.verdict === "changed" ? "" : ` class="${VERDICT_CLASS[c.verdict]}"`;
    const change = c.change === null ? "" : ` (${formatPct(c.change)}${c.verdict === "changed" ? "" : `, ${c.verdict}`})`;
    return `<span${cls}>${escapeHtml(`${c.name} ${n(c.old)} → ${n(c.new)}${change}`)}</span>`;
  });
  return `<td class="counters">${lines.join("<br>")}</td>`;
}

/** Old vs new per benchmark: the change chart, the distributions of any benchmark, and the table, verdicts coloured. */
export function comparisonSection(cmp: Comparison | null, charts: ChartSpec[], dists: DistItem[]): string {
  if (!cmp) return "";
  const ab = cmp.kind === "ab";
  const [a, b] = sideLabels(cmp);
  const chart = comparisonChart(cmp);
  if (chart) charts.push(chart);
  const picked = new Set(dists.map((d) => d.id));
  const rows = cmp.entries.map((e) => [
    `<td class="id">${picked.has(e.id) ? `<a href="#cmp-dist" data-pick="${escapeHtml(e.id)}">${idHtml(e.id)}</a>` : idHtml(e.id)}</td>`,
    cell(e.oldMedianNs === null ? "–" : formatNs(e.oldMedianNs), "num"),
    cell(e.newMedianNs === null ? "–" : formatNs(e.newMedianNs), "num"),
    cell(e.change === null ? "–" : formatPct(e.change), "num"),
    cell(e.ci === null ? "–" : formatCi(e.ci), "num ci"),
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
        `ab: ${cmp.ab.rounds} rounds in ${(cmp.ab.elapsedMs / 1000).toFixed(1)} s ${cmp.ab.runs === undefined ? `of a ${(cmp.ab.budgetMs / 1000).toFixed(0)} s budget` : `(fixed by --runs ${cmp.ab.runs})`}; at least ${cmp.ab.minCycles} cycles before a verdict; ${cmp.ab.undecided} benchmark${cmp.ab.undecided === 1 ? "" : "s"} too noisy (undecided) when the rounds ended${cmp.ab.interrupted ? " (interrupted)" : ""}${cmp.ab.controlDiffered ? `; the machine was too noisy for ${cmp.ab.controlDiffered} (the control differed)` : ""}.`,
      )}</p>\n`
    : "";
  // The box grows with the bars so labels never overlap (the chart caps the bars).
  const box = chart
    ? `<figure class="chart"><h3>${escapeHtml(chart.title)}</h3><div class="canvas-box" style="height: ${80 + 18 * chart.rows}px"><canvas id="${chart.canvas}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div></figure>`
    : `<p class="note">No change to chart: no benchmark has an estimated change (the table says why for each).</p>`;
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

/** Renders and writes a comparison file's report atomically ("-": standard output). */
export function writeComparisonHtmlReport(file: string, cmp: Comparison): void {
  writeOutput(file, renderComparisonHtml(cmp));
}
