/**
 * Seeded percentile bootstrap intervals of a median and of a ratio of
 * medians: the same input and seed give the same interval on every run and
 * machine.
 */
import { quantileSorted } from "simple-statistics";
import { Prng } from "../util/prng.js";

export interface Interval {
  lower: number;
  upper: number;
}

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
  /** PRNG seed; the same seed gives the same interval. */
  seed: number;
}

function resampledMedian(values: readonly number[], rng: Prng, scratch: Float64Array): number {
  const n = values.length;
  for (let i = 0; i < n; i++) scratch[i] = values[rng.below(n)];
  scratch.sort();
  return n % 2 === 1 ? scratch[(n - 1) / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

function percentileInterval(estimates: Float64Array, confidence: number): Interval {
  const sorted = Array.from(estimates.sort());
  const tail = (1 - confidence) / 2;
  return { lower: quantileSorted(sorted, tail), upper: quantileSorted(sorted, 1 - tail) };
}

function checkOptions(opts: BootstrapOptions): { resamples: number; confidence: number } {
  const resamples = opts.resamples ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 100) throw new RangeError(`resamples must be an integer >= 100, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return { resamples, confidence };
}

/**
 * Percentile bootstrap interval of median(b) / median(a), resampling each
 * sample independently with replacement. Requires positive medians in `a`'s
 * resamples, which holds for timings (all samples > 0).
 */
export function bootstrapRatioOfMedians(a: readonly number[], b: readonly number[], opts: BootstrapOptions): Interval {
  if (a.length === 0 || b.length === 0) throw new RangeError("bootstrapRatioOfMedians needs two non-empty samples");
  const { resamples, confidence } = checkOptions(opts);
  const rng = new Prng(opts.seed);
  const scratchA = new Float64Array(a.length),
    scratchB = new Float64Array(b.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    ratios[r] = resampledMedian(b, rng, scratchB) / resampledMedian(a, rng, scratchA);
  }
  return percentileInterval(ratios, confidence);
}

/** Percentile bootstrap interval of the median of `values`. */
export function bootstrapMedian(values: readonly number[], opts: BootstrapOptions): Interval {
  if (values.length === 0) throw new RangeError("bootstrapMedian needs a non-empty sample");
  const { resamples, confidence } = checkOptions(opts);
  const rng = new Prng(opts.seed);
  const scratch = new Float64Array(values.length);
  const medians = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) medians[r] = resampledMedian(values, rng, scratch);
  return percentileInterval(medians, confidence);
}
