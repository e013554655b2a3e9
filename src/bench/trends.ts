/**
 * Per-benchmark trends over a history: overall drift, step changes in time
 * (the shared decision rule applied to the runs before vs after each point)
 * and exact counter changes between consecutive runs.
 */
import { median } from "simple-statistics";
import { counterChanges, type CounterChange } from "../stats/counter-changes.js";
import { decide, DEFAULT_DECISION, type DecisionOptions } from "../stats/decision.js";
import type { HistoryRecord } from "./history.js";
import { fingerprintDifferences } from "./machine.js";
import { seedFromString } from "./prng.js";
import { mannWhitneyU } from "../stats/summary.js";

export interface TrendPoint {
  /** Index of the record in the history. */
  record: number;
  started: string;
  commit: string | null;
  /** Median, ns per operation. */
  median: number;
  counters: Record<string, number>;
}

export interface StepChange {
  /** Index in `points` of the first run after the step. */
  at: number;
  record: number;
  started: string;
  commit: string | null;
  verdict: "regressed" | "improved";
  /** Median of the window before and after, ns per operation. */
  before: number;
  after: number;
  change: number;
  ci: [number, number];
  p: number;
  /** The machine fingerprint changed at this step: suspect the machine first. */
  machineChanged: boolean;
}

export interface CounterStep {
  record: number;
  started: string;
  commit: string | null;
  changes: CounterChange[];
}

export interface BenchmarkTrend {
  id: string;
  points: TrendPoint[];
  /** Median of the last up-to-3 runs over the first up-to-3, minus 1; null below 2 runs. */
  change: number | null;
  steps: StepChange[];
  counterSteps: CounterStep[];
}

export interface TrendOptions {
  /** Minimum step that matters, as a fraction (default 0.05). */
  threshold?: number;
  alpha?: number;
  /** Runs on each side of a candidate step (default 8). */
  window?: number;
  /** Relative change of an exact counter that is a regression (default 0.01). */
  counterThreshold?: number;
}

/**
 * Fewest runs on each side of a step. With 3 after and >= 5 before, the
 * Mann-Whitney test can reach p < 0.05, so a step is flagged 3 runs after it
 * happened; fewer runs cannot separate a step from one noisy run.
 */
export const MIN_STEP_SIDE = 3;

/** Runs compared on each side of a candidate step, at most. */
export const DEFAULT_STEP_WINDOW = 8;

function pointsOf(records: readonly HistoryRecord[], id: string): TrendPoint[] {
  const points: TrendPoint[] = [];
  records.forEach((rec, record) => {
    const m = rec.results[id];
    if (m && "median" in m) points.push({ record, started: rec.started, commit: rec.git?.commit ?? null, median: m.median, counters: m.counters });
  });
  return points;
}

function detectSteps(id: string, points: readonly TrendPoint[], records: readonly HistoryRecord[], opts: DecisionOptions, window: number): StepChange[] {
  const candidates: StepChange[] = [];
  for (let i = MIN_STEP_SIDE; i + MIN_STEP_SIDE <= points.length; i++) {
    const before = points.slice(Math.max(0, i - window), i).map((p) => p.median);
    const after = points.slice(i, i + window).map((p) => p.median);
    // Cheap screen first: decide() flags a step only if both hold, and its bootstrap is the costly part.
    const rough = median(after) / median(before) - 1;
    if (Math.abs(rough) < opts.threshold || mannWhitneyU(before, after).p >= opts.alpha) continue;
    const d = decide(before, after, opts, seedFromString(`${id}@${i}`));
    if ((d.verdict !== "regressed" && d.verdict !== "improved") || d.change === null || d.ci === null || d.p === null) continue;
    const p = points[i];
    candidates.push({
      at: i,
      record: p.record,
      started: p.started,
      commit: p.commit,
      verdict: d.verdict,
      before: median(before),
      after: median(after),
      change: d.change,
      ci: d.ci,
      p: d.p,
      machineChanged: fingerprintDifferences(records[points[i - 1].record].machine, records[p.record].machine).length > 0,
    });
  }
  // One step makes its neighbours significant too: keep the strongest (smallest p,
  // then largest change) of each run of adjacent candidates with the same verdict.
  const steps: StepChange[] = [];
  let group: StepChange[] = [];
  const flush = (): void => {
    if (group.length) steps.push(group.reduce((best, c) => (c.p < best.p || (c.p === best.p && Math.abs(c.change) > Math.abs(best.change)) ? c : best)));
    group = [];
  };
  for (const c of candidates) {
    const prev = group[group.length - 1];
    if (prev && (c.at !== prev.at + 1 || c.verdict !== prev.verdict)) flush();
    group.push(c);
  }
  flush();
  return steps;
}

function counterStepsOf(points: readonly TrendPoint[], threshold: number | undefined): CounterStep[] {
  const out: CounterStep[] = [];
  for (let i = 1; i < points.length; i++) {
    const changes = counterChanges(points[i - 1].counters, points[i].counters, threshold);
    if (changes.length) out.push({ record: points[i].record, started: points[i].started, commit: points[i].commit, changes });
  }
  return out;
}

/** Trends of every benchmark id in the history, in order of first appearance. */
export function historyTrends(records: readonly HistoryRecord[], opts: TrendOptions = {}): BenchmarkTrend[] {
  const decision: DecisionOptions = {
    ...DEFAULT_DECISION,
    threshold: opts.threshold ?? DEFAULT_DECISION.threshold,
    alpha: opts.alpha ?? DEFAULT_DECISION.alpha,
    minSamples: MIN_STEP_SIDE,
  };
  const window = opts.window ?? DEFAULT_STEP_WINDOW;
  if (!Number.isInteger(window) || window < MIN_STEP_SIDE) throw new RangeError(`window must be an integer >= ${MIN_STEP_SIDE}, got ${window}`);
  const ids = [...new Set(records.flatMap((r) => Object.keys(r.results)))];
  return ids.map((id) => {
    const points = pointsOf(records, id);
    const k = Math.min(3, Math.floor(points.length / 2));
    const change = k === 0 ? null : median(points.slice(-k).map((p) => p.median)) / median(points.slice(0, k).map((p) => p.median)) - 1;
    return { id, points, change, steps: detectSteps(id, points, records, decision, window), counterSteps: counterStepsOf(points, opts.counterThreshold) };
  });
}
