/**
 * Per-benchmark trends over a history: overall drift, step changes in time
 * (src/stats/steps.ts, told which steps came with a machine change) and
 * exact counter changes between consecutive runs.
 */
import { median } from "simple-statistics";
import { counterChanges } from "../stats/counter-changes.js";
import type { CounterChange } from "../contract/comparison.js";
import { DEFAULT_DECISION } from "../stats/decision.js";
import type { DecisionOptions } from "../contract/comparison.js";
import { DEFAULT_STEP_WINDOW, detectSteps, MIN_STEP_SIDE, type Step } from "../stats/steps.js";
import type { HistoryRecord } from "../contract/history-record.js";
import { fingerprintDifferences } from "./machine.js";

export interface TrendPoint {
  /** Index of the record in the history. */
  record: number;
  started: string;
  commit: string | null;
  /** Median, ns per operation. */
  median: number;
  counters: Record<string, number>;
}

/** A step of a benchmark's medians (ns per operation; `at` indexes `points`), placed in the history. */
export interface StepChange extends Step {
  record: number;
  started: string;
  commit: string | null;
  /** The machine fingerprint changed at this step: suspect the machine first. */
  machineChanged: boolean;
}

export interface CounterStep {
  record: number;
  started: string;
  commit: string | null;
  changes: CounterChange[];
}

/** One benchmark's trend over a history: its points in order, the overall change, and the step changes of time and counters found. */
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

function pointsOf(records: readonly HistoryRecord[], id: string): TrendPoint[] {
  const points: TrendPoint[] = [];
  records.forEach((rec, record) => {
    const m = rec.results[id];
    if (m && "median" in m) points.push({ record, started: rec.started, commit: rec.git?.commit ?? null, median: m.median, counters: m.counters });
  });
  return points;
}

function stepChanges(id: string, points: readonly TrendPoint[], records: readonly HistoryRecord[], opts: DecisionOptions, window: number): StepChange[] {
  const medians = points.map((p) => p.median);
  return detectSteps(medians, id, opts, window).map((step) => {
    const p = points[step.at];
    const machineChanged = fingerprintDifferences(records[points[step.at - 1].record].machine, records[p.record].machine).length > 0;
    return { ...step, record: p.record, started: p.started, commit: p.commit, machineChanged };
  });
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
  const ids = [...new Set(records.flatMap((r) => Object.keys(r.results)))];
  return ids.map((id) => {
    const points = pointsOf(records, id);
    const k = Math.min(3, Math.floor(points.length / 2));
    const change = k === 0 ? null : median(points.slice(-k).map((p) => p.median)) / median(points.slice(0, k).map((p) => p.median)) - 1;
    return { id, points, change, steps: stepChanges(id, points, records, decision, window), counterSteps: counterStepsOf(points, opts.counterThreshold) };
  });
}
