/**
 * Compares two runs benchmark by benchmark: timings by the shared decision
 * rule (decision.ts) on batch medians, exact counters (WASM instructions,
 * slots visited) against the counter threshold, and the machines'
 * fingerprints. The Comparison is the data the exports and the gate read;
 * `ab` fills the same structure from its paired rounds.
 */
import { median } from "simple-statistics";
import { decide, DEFAULT_DECISION } from "../stats/decision.js";
import { counterChanges, countersVerdict, DEFAULT_COUNTER_THRESHOLD, formatCounterChanges } from "../stats/counter-changes.js";
import {
  COMPARISON_SCHEMA_ID,
  type Comparison,
  type ComparisonEntry,
  type DecisionOptions,
  type EntryVerdict,
  type RunSummary,
} from "../contract/comparison.js";
import { resultBatches } from "../bench/measure.js";
import { fingerprintDifferences } from "../bench/machine.js";
import { seedFromString } from "../util/prng.js";
import { samplesInNs, type Run, type RunResult } from "../contract/run-document.js";
import { printable } from "../util/printable.js";
import { formatCi, formatNs, formatP, formatPct } from "./format.js";
import { renderTable, wrap, type Column } from "./text-table.js";

/**
 * Processes per side (bench --repeat N) before stored runs' time verdicts
 * gate: fewer cannot estimate how much two processes of the same code
 * differ, which on a shared machine is more than the effects worth catching.
 */
export const MIN_PROCESSES_FOR_TIME_GATE = 5;

/** How many processes a run merges (bench --repeat N; 1 when not repeated). */
function processesOf(run: Run): number {
  const n = run.config.repeat;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : 1;
}

/** Options of compareRuns: the thresholds, the error level and how the two runs are named. */
export interface CompareOptions {
  /** Minimum change that matters, as a fraction (default 0.05). */
  threshold?: number;
  /** Minimum change of an exact counter that matters, as a fraction (default 0.01). */
  counterThreshold?: number;
  alpha?: number;
  oldSource?: string;
  newSource?: string;
}

const ORDER: readonly EntryVerdict[] = ["regressed", "improved", "too noisy", "not comparable", "unavailable", "removed", "added", "unchanged"];

function summary(run: Run, source: string): RunSummary {
  return { source, started: run.started, git: run.git, toolVersion: run.tool.version, machine: run.machine };
}

function compareResult(id: string, a: RunResult | undefined, b: RunResult | undefined, opts: DecisionOptions, counterThreshold: number): ComparisonEntry {
  const base = {
    id,
    oldMedianNs: a && !a.status ? median(samplesInNs(a)) : null,
    newMedianNs: b && !b.status ? median(samplesInNs(b)) : null,
    oldN: a?.samples.length ?? 0,
    newN: b?.samples.length ?? 0,
    change: null,
    ci: null,
    p: null,
  };
  const none = { counterChanges: [], counterVerdict: "unchanged" as const };
  if (!a) return { ...base, verdict: "added", reason: `only in the new run${b?.status ? ` (not measured: ${b.status.unavailable})` : ""}`, ...none };
  if (!b) return { ...base, verdict: "removed", reason: `only in the old run${a.status ? ` (not measured: ${a.status.unavailable})` : ""}`, ...none };
  if (a.status || b.status) {
    const why = [a.status && `old: ${a.status.unavailable}`, b.status && `new: ${b.status.unavailable}`].filter(Boolean).join("; ");
    return { ...base, verdict: "unavailable", reason: `not measured (${why})`, ...none };
  }
  const decision = decide(resultBatches(a, opts.minSamples), resultBatches(b, opts.minSamples), opts, seedFromString(id));
  const changes = counterChanges(a.counters, b.counters, counterThreshold);
  return { ...base, ...decision, counterChanges: changes, counterVerdict: countersVerdict(changes) };
}

/** Compares every benchmark id of `oldRun` and `newRun`. */
export function compareRuns(oldRun: Run, newRun: Run, opts: CompareOptions = {}): Comparison {
  const options: DecisionOptions = {
    ...DEFAULT_DECISION,
    threshold: opts.threshold ?? DEFAULT_DECISION.threshold,
    alpha: opts.alpha ?? DEFAULT_DECISION.alpha,
  };
  if (!(options.threshold > 0 && options.threshold < 1)) throw new RangeError(`threshold must be in (0, 1), got ${options.threshold}`);
  if (!(options.alpha > 0 && options.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${options.alpha}`);
  const counterThreshold = opts.counterThreshold ?? DEFAULT_COUNTER_THRESHOLD;
  const oldById = new Map(oldRun.results.map((r) => [r.id, r]));
  const newById = new Map(newRun.results.map((r) => [r.id, r]));
  const ids = [...newById.keys(), ...[...oldById.keys()].filter((id) => !newById.has(id))];
  const entries = sortEntries(ids.map((id) => compareResult(id, oldById.get(id), newById.get(id), options, counterThreshold)));
  return {
    schema: COMPARISON_SCHEMA_ID,
    kind: "compare",
    old: summary(oldRun, opts.oldSource ?? "old run"),
    new: summary(newRun, opts.newSource ?? "new run"),
    machineDifferences: fingerprintDifferences(oldRun.machine, newRun.machine),
    options,
    counterThreshold,
    entries,
    ...timeAdvisory(oldRun, newRun),
  };
}

function timeAdvisory(oldRun: Run, newRun: Run): { timeAdvisory?: string } {
  const [a, b] = [processesOf(oldRun), processesOf(newRun)];
  if (Math.min(a, b) >= MIN_PROCESSES_FOR_TIME_GATE) return {};
  return {
    timeAdvisory: `time verdicts are advisory, not gated: ${a} and ${b} process${a === 1 && b === 1 ? "" : "es"} per side, a time gate on stored runs needs ${MIN_PROCESSES_FOR_TIME_GATE} per side (bench --repeat ${MIN_PROCESSES_FOR_TIME_GATE}); gate on exact counters, and on time with ab`,
  };
}

/** Exact-counter regressions first, then by time verdict in ORDER. */
export function sortEntries(entries: ComparisonEntry[]): ComparisonEntry[] {
  const rank = (e: ComparisonEntry) => (e.counterVerdict === "regressed" ? -1 : ORDER.indexOf(e.verdict));
  return entries.sort((x, y) => rank(x) - rank(y));
}

/** The loud warning shown when the runs come from different machines; null when they match. */
export function machineWarning(cmp: Comparison): string | null {
  if (cmp.machineDifferences.length === 0) return null;
  const diffs = cmp.machineDifferences.map((d) => `${d.field}: ${String(d.old)} -> ${String(d.new)}`).join("; ");
  return `WARNING: the runs were made on different machines (${diffs}); timing changes may come from the machine, not the code.`;
}

export function describeRun(r: RunSummary): string {
  const commit = r.git ? `${r.git.commit.slice(0, 12)}${r.git.dirty ? " (dirty)" : ""}` : "no git";
  return `${r.source} (${commit}, ${r.started}, v${r.toolVersion})`;
}

/** Counts per verdict, in ORDER, e.g. "time: 1 regressed, 10 unchanged; exact counters: 1 regressed". */
export function verdictCounts(cmp: Comparison): string {
  const time = ORDER.map((v) => [v, cmp.entries.filter((e) => e.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(", ");
  const counters = (["regressed", "improved"] as const)
    .map((v) => [v, cmp.entries.filter((e) => e.counterVerdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(", ");
  return counters ? `${time}; exact counters: ${counters}` : time;
}

/** The error level: for ab, the run's and its Bonferroni share per benchmark. */
export function alphaText(cmp: Comparison): string {
  if (cmp.kind !== "ab" || cmp.ab?.alpha === undefined) return `alpha ${cmp.options.alpha}`;
  return `alpha ${cmp.ab.alpha} per run (${Number(cmp.options.alpha.toPrecision(2))} per benchmark, Bonferroni)`;
}

/** The comparison as text: run headers, machine warning, one table row per benchmark, fitted to `width` (a terminal's; unlimited by default). */
export function renderComparison(cmp: Comparison, opts: { width: number; color: boolean } = { width: Infinity, color: false }): string {
  const ab = cmp.kind === "ab";
  const columns: Column[] = [
    { header: "benchmark", min: 24, cut: "key" },
    { header: "old", align: "right" },
    { header: "new", align: "right" },
    { header: "change", align: "right" },
    { header: ab ? "interval" : "95% CI", align: "right", drop: 2 },
    ...(ab ? [{ header: "control", align: "right" as const, drop: 3 }] : []),
    { header: "p", align: "right", drop: 3 },
    { header: "verdict", min: 9 },
    { header: "counters changed", min: 16, drop: 4 },
  ];
  const rows = cmp.entries.map((e) => [
    printable(e.id, true),
    e.oldMedianNs === null ? "-" : formatNs(e.oldMedianNs),
    e.newMedianNs === null ? "-" : formatNs(e.newMedianNs),
    e.change === null ? "-" : formatPct(e.change),
    e.ci === null ? "-" : formatCi(e.ci),
    ...(ab ? [e.control ? formatPct(e.control.change) : "-"] : []),
    e.p === null ? "-" : formatP(e.p),
    e.verdict === "unchanged" || e.verdict === "regressed" || e.verdict === "improved" ? e.verdict : printable(`${e.verdict}: ${e.reason}`, true),
    printable(formatCounterChanges(e.counterChanges), true) || "-",
  ]);
  const table = renderTable(columns, rows, opts.width, opts.color);
  const warning = machineWarning(cmp);
  // Ids, sources and machine fields come from input files: no raw control characters reach the terminal.
  const text = (line: string) => wrap(printable(line, true), opts.width).join("\n");
  return [
    text(`old: ${describeRun(cmp.old)}`),
    text(`new: ${describeRun(cmp.new)}`),
    ...(warning ? [text(warning)] : []),
    text(
      `threshold ${(cmp.options.threshold * 100).toFixed(1)}% (time), ${(cmp.counterThreshold * 100).toFixed(1)}% (exact counters), ${alphaText(cmp)}; ${ab ? "old: the base's median, new: old moved by the paired change (median of the cycles' head/base ratios), interval: anytime-valid, control: a second copy of the base vs the base" : "medians in time per operation"}${table.hidden.length ? `; hidden to fit ${opts.width} columns: ${table.hidden.join(", ")}` : ""}`,
    ),
    table.text,
    text(verdictCounts(cmp)),
    ...(cmp.timeAdvisory ? [text(cmp.timeAdvisory)] : []),
    ...(warning ? [text(warning)] : []),
  ].join("\n");
}
