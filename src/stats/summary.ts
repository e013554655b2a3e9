/**
 * Sample statistics for benchmark timings: summaries, the Mann-Whitney U test,
 * batch (block) medians and seeded bootstrap intervals. Everything here is
 * deterministic: the same input and seed give the same output.
 */
import { errorFunction, max, mean, median, min, quantileSorted, sampleStandardDeviation } from "simple-statistics";
import { mulberry32 } from "../bench/prng.js";

export interface SampleStats {
  mean: number;
  median: number;
  p99: number;
  min: number;
  max: number;
  /** Sample standard deviation (n - 1 denominator). */
  sd: number;
  /** Relative margin of error of the mean at 95%, in percent (as tinybench and Benchmark.js report it). */
  rme: number;
  n: number;
}

export interface Interval {
  lower: number;
  upper: number;
}

export interface MannWhitneyResult {
  /** U statistic of the first sample. */
  u: number;
  /** Signed standard score; positive when the first sample tends to be larger. */
  z: number;
  /** Two-sided p-value. */
  p: number;
}

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
  /** PRNG seed; the same seed gives the same interval. */
  seed: number;
}

const Z_975 = 1.959963984540054;

/**
 * Two-sided 95% critical value of Student's t with `df` degrees of freedom:
 * exact for df 1 and 2, Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5)
 * above, which is within 0.002 of the table from df 3 on.
 */
function tCritical95(df: number): number {
  if (df === 1) return Math.tan(Math.PI * 0.475);
  if (df === 2) return 0.95 / Math.sqrt(2 * 0.975 * 0.025);
  const z = Z_975;
  const z3 = z ** 3,
    z5 = z ** 5,
    z7 = z ** 7,
    z9 = z ** 9;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** Summary of at least two samples (one sample has no spread to report). */
export function summarize(samples: readonly number[]): SampleStats {
  const n = samples.length;
  if (n < 2) throw new RangeError(`summarize needs at least 2 samples, got ${n}`);
  const sorted = Float64Array.from(samples).sort();
  const sortedList = Array.from(sorted);
  const m = mean(sortedList);
  const sd = sampleStandardDeviation(sortedList);
  const sem = sd / Math.sqrt(n);
  return {
    mean: m,
    median: median(sortedList),
    p99: quantileSorted(sortedList, 0.99),
    min: min(sortedList),
    max: max(sortedList),
    sd,
    rme: m === 0 ? 0 : ((tCritical95(n - 1) * sem) / m) * 100,
    n,
  };
}

/**
 * Mann-Whitney U test (Wilcoxon rank-sum), two-sided, by the normal
 * approximation with the tie correction of the variance and a continuity
 * correction of 0.5. The exact distribution is not used: with ties (common in
 * coarse timer readings) it no longer applies, and the corrected
 * approximation is within a few thousandths of it from 4 samples a side.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length,
    n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("mannWhitneyU needs two non-empty samples");
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))];
  all.sort((x, y) => x.v - y.v);
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const t = j - i + 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k].first) rankSumA += rank;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, p: 1 };
  const diff = u - mu;
  const z = (Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5)) / Math.sqrt(variance);
  const p = Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
  return { u, z, p };
}

export interface SignedRankResult {
  /** Sum of the ranks of the positive differences. */
  w: number;
  /** Signed standard score; positive when the differences tend to be positive. */
  z: number;
  /** Two-sided p-value. */
  p: number;
  /** Non-zero differences used. */
  n: number;
}

/**
 * Wilcoxon signed-rank test of paired differences against 0, two-sided, by
 * the normal approximation with the tie correction of the variance and a
 * continuity correction of 0.5; zero differences are dropped (Wilcoxon's
 * convention).
 */
export function wilcoxonSignedRank(diffs: readonly number[]): SignedRankResult {
  const d = diffs.filter((x) => x !== 0).map((x) => ({ abs: Math.abs(x), positive: x > 0 }));
  const n = d.length;
  if (n === 0) return { w: 0, z: 0, p: 1, n };
  d.sort((a, b) => a.abs - b.abs);
  let w = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && d[j + 1].abs === d[i].abs) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (d[k].positive) w += rank;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const mu = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (variance <= 0) return { w, z: 0, p: 1, n };
  const diff = w - mu;
  const z = (Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5)) / Math.sqrt(variance);
  return { w, z, p: Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2))), n };
}

/**
 * Medians of up to `blocks` contiguous, near-equal runs of consecutive samples.
 * Consecutive samples on a shared machine are correlated (a noisy neighbour or
 * a frequency change lasts for several batches); medians of blocks are much
 * closer to independent, and robust to the odd preempted batch, so the tests
 * below are run on them rather than on raw samples.
 */
export function blockMedians(samples: readonly number[], blocks: number): number[] {
  const n = samples.length;
  if (n <= blocks) return [...samples];
  const out: number[] = [];
  for (let i = 0; i < blocks; i++) {
    out.push(median(samples.slice(Math.floor((i * n) / blocks), Math.floor(((i + 1) * n) / blocks))));
  }
  return out;
}

function resampledMedian(values: readonly number[], random: () => number, scratch: Float64Array): number {
  const n = values.length;
  for (let i = 0; i < n; i++) scratch[i] = values[Math.floor(random() * n)];
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
  const random = mulberry32(opts.seed);
  const scratchA = new Float64Array(a.length),
    scratchB = new Float64Array(b.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    ratios[r] = resampledMedian(b, random, scratchB) / resampledMedian(a, random, scratchA);
  }
  return percentileInterval(ratios, confidence);
}

/** Percentile bootstrap interval of the median of `values`. */
export function bootstrapMedian(values: readonly number[], opts: BootstrapOptions): Interval {
  if (values.length === 0) throw new RangeError("bootstrapMedian needs a non-empty sample");
  const { resamples, confidence } = checkOptions(opts);
  const random = mulberry32(opts.seed);
  const scratch = new Float64Array(values.length);
  const medians = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) medians[r] = resampledMedian(values, random, scratch);
  return percentileInterval(medians, confidence);
}
