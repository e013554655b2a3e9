/**
 * Summaries of benchmark timings: mean, median, p99, spread and the relative
 * margin of error of a sample, and medians of contiguous blocks of samples.
 */
import { max, mean, median, min, quantileSorted, sampleStandardDeviation } from "simple-statistics";

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
