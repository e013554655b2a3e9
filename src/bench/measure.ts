/**
 * How one result's samples are reduced for decisions and reports: batch
 * medians (for tests), and the median with a 95% interval (for exports and
 * history). Shared so that compare, exports and history agree.
 */
import { median } from "simple-statistics";
import { DEFAULT_DECISION } from "../stats/decision.js";
import { seedFromString } from "../util/prng.js";
import { samplesInNs, type RunResult } from "../contract/run-document.js";
import { bootstrapMedian } from "../stats/bootstrap.js";
import { blockMedians } from "../stats/summary.js";

/**
 * Consecutive samples pooled into one batch median before testing. Bursts of
 * contention on a shared machine span several consecutive samples; medians of
 * 4 are much less correlated than raw samples and shrug off a single
 * preempted sample, at little cost in power. At least `minSamples` batches
 * are formed whenever there are that many samples.
 */
export const BATCH_SIZE = 4;
/**
 * At most this many batches: beyond it the bootstrap (thousands of medians
 * of the batches) costs seconds per benchmark and adds no precision worth
 * having. 200k samples in one result then compare in well under a second.
 */
export const MAX_BATCHES = 1024;

/**
 * Batch medians of a measured result, in ns per operation: one per round
 * when the runner timed it in rounds (a round's samples share a moment and
 * a memory placement, so they are not independent of each other; rounds
 * are), else medians of BATCH_SIZE consecutive samples.
 */
export function resultBatches(result: RunResult, minSamples: number = DEFAULT_DECISION.minSamples): number[] {
  return (
    roundMedians(result, minSamples) ??
    blockMedians(samplesInNs(result), Math.min(MAX_BATCHES, Math.max(minSamples, Math.floor(result.samples.length / BATCH_SIZE))))
  );
}

/**
 * The median of each round of a result timed in rounds (at least
 * `minSamples` of them), in ns per operation; null when it was not. Round k
 * of every result of one run was taken in the same sweep over the cases.
 */
export function roundMedians(result: RunResult, minSamples: number = DEFAULT_DECISION.minSamples): number[] | null {
  const samples = samplesInNs(result);
  const rounds = roundSizes(result, samples.length);
  if (!rounds || rounds.length < minSamples || rounds.length > MAX_BATCHES) return null;
  const out: number[] = [];
  let at = 0;
  for (const size of rounds) {
    out.push(median(samples.slice(at, at + size)));
    at += size;
  }
  return out;
}

/** The result's round sizes when they are present and add up to its samples. */
function roundSizes(result: RunResult, total: number): number[] | null {
  const r = result.round_sizes;
  return r && r.reduce((a, b) => a + b, 0) === total ? r : null;
}

export interface MedianSummary {
  /** Median of the raw samples, ns per operation. */
  median: number;
  /** 95% bootstrap interval of the median (from batch medians), ns per operation. */
  lower: number;
  upper: number;
  n: number;
}

/** Median and its interval for a measured result; seeded by the id, so reproducible. */
export function medianSummary(result: RunResult): MedianSummary {
  const value = median(samplesInNs(result));
  const interval = bootstrapMedian(resultBatches(result), { seed: seedFromString(result.id) });
  // With few batches the interval of the batch medians can miss the raw
  // median by a hair; widen it so lower <= median <= upper always holds.
  return { median: value, lower: Math.min(interval.lower, value), upper: Math.max(interval.upper, value), n: result.samples.length };
}
