/**
 * Asymptotic complexity of time vs N, fitted as Google Benchmark's
 * MinimalLeastSq does: for each candidate curve f, the least-squares
 * coefficient of time ~ c * f(N) (no intercept), the RMS of the residuals
 * divided by the mean time, and the curve with the lowest normalised RMS wins.
 */
import type { BigO, Complexity } from "./run-schema.js";

export interface ComplexityPoint {
  n: number;
  /** Time per operation (any unit; the coefficient comes out in the same unit). */
  time: number;
}

const CURVES: ReadonlyArray<readonly [BigO, (n: number) => number]> = [
  ["O(1)", () => 1],
  ["O(log N)", (n) => Math.log2(n)],
  ["O(N)", (n) => n],
  ["O(N log N)", (n) => n * Math.log2(n)],
  ["O(N^2)", (n) => n * n],
];

/** Least-squares fit of `points` to one curve: coefficient and RMS normalised by the mean time. */
export function fitCurve(points: readonly ComplexityPoint[], bigO: BigO): Complexity {
  const curve = CURVES.find(([name]) => name === bigO);
  if (!curve) throw new RangeError(`unknown complexity ${bigO}`);
  const f = curve[1];
  let sumTimeF = 0, sumFF = 0, sumTime = 0;
  for (const p of points) {
    const fn = f(p.n);
    sumTimeF += p.time * fn;
    sumFF += fn * fn;
    sumTime += p.time;
  }
  const coefficient = sumTimeF / sumFF;
  let sumSq = 0;
  for (const p of points) sumSq += (p.time - coefficient * f(p.n)) ** 2;
  const meanTime = sumTime / points.length;
  return { big_o: bigO, coefficient, rms: Math.sqrt(sumSq / points.length) / meanTime };
}

/**
 * Best-fitting curve for time vs N; null when there are fewer than two
 * distinct N (nothing to fit), as Google Benchmark declines to fit one range.
 * N must be >= 1; times must have a positive mean.
 */
export function fitComplexity(points: readonly ComplexityPoint[]): Complexity | null {
  for (const p of points) {
    if (!(Number.isFinite(p.n) && p.n >= 1)) throw new RangeError(`complexity fit needs N >= 1, got ${p.n}`);
    if (!(Number.isFinite(p.time) && p.time >= 0)) throw new RangeError(`complexity fit needs finite non-negative times, got ${p.time}`);
  }
  if (new Set(points.map((p) => p.n)).size < 2) return null;
  if (!(points.reduce((s, p) => s + p.time, 0) > 0)) throw new RangeError("complexity fit needs a positive mean time");
  let best: Complexity | null = null;
  for (const [name] of CURVES) {
    const fit = fitCurve(points, name);
    if (best === null || fit.rms < best.rms) best = fit;
  }
  return best;
}
