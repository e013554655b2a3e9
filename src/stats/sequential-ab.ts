/**
 * The decision rule of `ab`, on paired observations: one per ABBA cycle, the
 * logarithm of the head/base time ratio, and the same for a control pair
 * (the base build against a second copy of itself, timed in the same
 * rounds). It may be applied after every cycle: the intervals are
 * anytime-valid confidence sequences (./confidence-sequence.ts), so looking
 * often and stopping when decided does not raise the false-alarm rate.
 *
 * - the control's interval clears half the threshold: identical code looked
 *   different, so the machine (or the harness) is too noisy to judge this
 *   benchmark; never a verdict on the code;
 * - regressed: the head's interval lies at or above half the threshold, its
 *   estimate at or above the threshold, and the interval lies wholly above
 *   the control's (the change beats what identical code shows); improved
 *   mirrors it;
 * - settled unchanged: the interval lies within half the threshold;
 * - when the run ends undecided: unchanged if the interval lies within the
 *   threshold, else too noisy.
 */
import { formatCi, formatP, formatPct } from "../util/format-change.js";
import { anytimeP, medianSequence } from "./confidence-sequence.js";
import type { Verdict } from "../contract/comparison.js";

export interface SequentialOptions {
  /** Minimum relative change that matters (0.05 = 5%). */
  threshold: number;
  /** Error level of this benchmark's intervals (the run's level divided among its benchmarks). */
  alpha: number;
  /** Cycles before any decision. */
  minCycles: number;
}

/** An estimate of a relative change and its anytime-valid interval (null while unbounded). */
export interface ChangeInterval {
  change: number;
  ci: [number, number] | null;
}

export interface SequentialDecision {
  verdict: Verdict;
  /** Decided: measuring this benchmark further cannot change its verdict's kind. */
  settled: boolean;
  change: number | null;
  ci: [number, number] | null;
  /** Anytime-valid p-value of "no change". */
  p: number | null;
  control: ChangeInterval | null;
  /** The control pair differed by at least half the threshold. */
  controlDiffers: boolean;
  reason: string;
}

/** The median change and its interval, as relative changes (exp of the log scale). */
export function changeInterval(logs: readonly number[], alpha: number): ChangeInterval {
  const s = medianSequence(logs, alpha);
  const bounded = Number.isFinite(s.lower) && Number.isFinite(s.upper);
  return { change: Math.expm1(s.estimate), ci: bounded ? [Math.expm1(s.lower), Math.expm1(s.upper)] : null };
}

/**
 * Decide on head-vs-base log ratios `logs` with the control's `controlLogs`
 * (null: no control); `ended` says why the run stopped when it is the last
 * look (null while cycles are still being added).
 */
export function sequentialDecision(
  logs: readonly number[],
  controlLogs: readonly number[] | null,
  opts: SequentialOptions,
  ended: "budget" | "runs" | "interrupted" | null,
): SequentialDecision {
  const t = opts.threshold;
  const n = logs.length;
  if (n < opts.minCycles) {
    const why = ended === "interrupted" ? "interrupted" : `too few cycles (${n}, need ${opts.minCycles})`;
    return { verdict: "too noisy", settled: false, change: null, ci: null, p: null, control: null, controlDiffers: false, reason: why };
  }
  const head = changeInterval(logs, opts.alpha);
  const control = controlLogs ? changeInterval(controlLogs, opts.alpha) : null;
  const p = anytimeP(logs, 0);
  const { change, ci } = head;
  const stats = `${n} cycles, anytime p=${formatP(p)}, CS ${ci ? formatCi(ci) : "unbounded"}`;
  const controlText = control ? `control ${formatPct(control.change)} ${control.ci ? formatCi(control.ci) : "unbounded"}` : "";
  const cci = control?.ci ?? null;
  const controlDiffers = cci !== null && (cci[0] >= t / 2 || cci[1] <= -t / 2);
  const base = { change, ci, p, control, controlDiffers };
  if (controlDiffers) {
    return {
      verdict: "too noisy",
      settled: true,
      ...base,
      reason: `${stats}; ${controlText}: the base build differed from itself, so the machine is too noisy to judge this benchmark`,
    };
  }
  const above = (x: number) => cci === null || x > cci[1];
  const below = (x: number) => cci === null || x < cci[0];
  const against = control ? `, beyond the ${controlText}` : "";
  if (ci && ci[0] >= t / 2 && change >= t && above(ci[0]))
    return { verdict: "regressed", settled: true, ...base, reason: `${stats}; slower by >= ${formatPct(t)}${against}` };
  if (ci && ci[1] <= -t / 2 && change <= -t && below(ci[1]))
    return { verdict: "improved", settled: true, ...base, reason: `${stats}; faster by >= ${formatPct(t)}${against}` };
  const within = (w: number) => ci !== null && ci[0] >= -w && ci[1] <= w;
  if (within(t / 2)) return { verdict: "unchanged", settled: true, ...base, reason: `${stats}; within ${formatPct(t / 2).slice(1)}` };
  if (ended && within(t)) return { verdict: "unchanged", settled: false, ...base, reason: `${stats}; within ${formatPct(t).slice(1)}` };
  const limit = ended === "runs" ? "the fixed rounds (--runs) ended" : "the budget ran out";
  const why =
    ended === "interrupted"
      ? "interrupted before the interval decided"
      : `${limit} before the interval cleared ${formatPct(t).slice(1)} or fell within half of it`;
  return { verdict: "too noisy", settled: false, ...base, reason: `${stats}${controlText ? `; ${controlText}` : ""}; ${why}` };
}
