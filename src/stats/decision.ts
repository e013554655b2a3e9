/**
 * The one decision rule shared by `compare` (two runs) and history step
 * detection (runs before vs after a point): a change is reported only when a
 * significance test AND a minimum effect size agree, and a comparison whose
 * data cannot rule out a change of the threshold's size says so instead of
 * guessing.
 */
import type { DecisionOptions, Verdict } from "../contract/comparison.js";
import { formatCi, formatP, formatPct } from "../util/format-change.js";
import { median } from "simple-statistics";
import { bootstrapRatioOfMedians } from "./bootstrap.js";
import { mannWhitneyU } from "./rank-tests.js";

export const DEFAULT_DECISION: DecisionOptions = {
  threshold: 0.05,
  alpha: 0.05,
  confidence: 0.95,
  resamples: 2000,
  minSamples: 6,
};

export interface Decision {
  verdict: Verdict;
  /** median(after) / median(before) - 1; null when it cannot be computed. */
  change: number | null;
  /** Bootstrap interval of `change`. */
  ci: [number, number] | null;
  /** Two-sided Mann-Whitney p-value. */
  p: number | null;
  /** Why, in words, for tables. */
  reason: string;
}

/**
 * Decide whether `after` is slower (regressed), faster (improved), the same
 * (unchanged) or undecidable (too noisy) compared with `before`; both are
 * lists of timings where smaller is better, treated as independent values.
 *
 * - significant, |change| >= threshold and the whole interval beyond half
 *   the threshold: regressed / improved, however wide the interval;
 * - the interval is wider than the +-threshold band (relative to the new
 *   level): too noisy, whatever the point estimate says. On a shared machine
 *   a contention burst can cover much of one run and move its median; such a
 *   run shows up as a wide interval, and calling it a change would be a
 *   false alarm;
 * - significant = Mann-Whitney p < alpha AND the bootstrap interval of the
 *   ratio of medians excludes 1 (both tests agree on a difference);
 * - significant and |change| >= threshold: regressed / improved;
 * - significant but smaller than the threshold: unchanged (real, too small to
 *   matter; run-to-run drift of a few percent lands here);
 * - not significant and the interval lies within +-threshold: unchanged;
 * - not significant and the interval reaches past +-threshold: too noisy.
 */
export function decide(before: readonly number[], after: readonly number[], opts: DecisionOptions, seed: number): Decision {
  const none = { change: null, ci: null, p: null };
  if (before.length < opts.minSamples || after.length < opts.minSamples) {
    return { verdict: "too noisy", ...none, reason: `too few samples (${before.length} vs ${after.length}, need ${opts.minSamples})` };
  }
  const base = median([...before]);
  if (!(base > 0)) return { verdict: "too noisy", ...none, reason: "old median is not positive" };
  const change = median([...after]) / base - 1;
  const { p } = mannWhitneyU(before, after);
  const interval = bootstrapRatioOfMedians(before, after, { resamples: opts.resamples, confidence: opts.confidence, seed });
  const ci: [number, number] = [interval.lower - 1, interval.upper - 1];
  const t = opts.threshold;
  const stats = `p=${formatP(p)}, CI ${formatCi(ci)}`;
  const significant = p < opts.alpha && (ci[0] > 0 || ci[1] < 0);
  // A change whose whole interval clears half the threshold is real however
  // wide the interval is: a slow spell widens it, it does not create it.
  if (significant && change >= t && ci[0] >= t / 2) return { verdict: "regressed", change, ci, p, reason: `${stats}; slower by >= ${formatPct(t)}` };
  if (significant && change <= -t && ci[1] <= -t / 2) return { verdict: "improved", change, ci, p, reason: `${stats}; faster by >= ${formatPct(t)}` };
  if ((ci[1] - ci[0]) / (1 + change) > 2 * t) {
    return { verdict: "too noisy", change, ci, p, reason: `${stats}; the interval is wider than +-${formatPct(t).slice(1)}` };
  }
  if (significant) {
    if (change >= t && ci[0] > 0) return { verdict: "regressed", change, ci, p, reason: `${stats}; slower by >= ${formatPct(t)}` };
    if (change <= -t && ci[1] < 0) return { verdict: "improved", change, ci, p, reason: `${stats}; faster by >= ${formatPct(t)}` };
    return { verdict: "unchanged", change, ci, p, reason: `${stats}; significant but within ${formatPct(t).slice(1)}` };
  }
  if (ci[0] > -t && ci[1] < t) return { verdict: "unchanged", change, ci, p, reason: `${stats}; within ${formatPct(t).slice(1)}` };
  return { verdict: "too noisy", change, ci, p, reason: `${stats}; not significant, but the interval reaches past ${formatPct(t).slice(1)}` };
}
