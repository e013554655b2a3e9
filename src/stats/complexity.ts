/**
 * Asymptotic complexity of a series (time or a work counter) vs N. Each
 * candidate curve f is fitted as value ~ a + b * f(N): the intercept `a`
 * takes the constant per-call cost, which a fit through the origin (Google
 * Benchmark's MinimalLeastSq) would smear over the growth term. The fit
 * minimises relative errors, so N = 1 counts as much as N = 65536, and its
 * score is the RMS relative error of the fitted points.
 *
 * The verdict is honest about what five noisy points can tell apart:
 * - a growing curve is only preferred to O(1) when it predicts that the
 *   value at least doubles over the measured range (a 1.5x drift from
 *   caches over N = 1..65536 is not O(log N));
 * - when another curve fits nearly as well as the best one, the answer is
 *   "inconclusive", naming the curves that tie.
 */

import type { BigO } from "../contract/big-o.js";

/** A fitted complexity: value ~ intercept + coefficient * f(N), as the run document stores it. */
export interface FittedComplexity {
  /** "inconclusive" when several curves fit about as well (`candidates`). */
  big_o: BigO | "inconclusive";
  coefficient: number;
  intercept: number;
  /** RMS of the relative residuals. */
  rms: number;
  candidates?: BigO[];
}

export interface ComplexityPoint {
  n: number;
  /** Time per operation, or a counter per operation (any unit; coefficients come out in it). */
  value: number;
}

const CURVES: ReadonlyArray<readonly [BigO, (n: number) => number]> = [
  ["O(1)", () => 0],
  ["O(log N)", (n) => Math.log2(n)],
  ["O(N)", (n) => n],
  ["O(N log N)", (n) => n * Math.log2(n)],
  ["O(N^2)", (n) => n * n],
];

/** A growing curve must predict at least this ratio between the largest and the smallest N. */
export const MIN_GROWTH = 2;
/** Curves whose score is within this factor (plus TIE_SLACK) of the best tie with it. */
export const TIE_FACTOR = 1.5;
/** Absolute slack on the tie test: differences below 1% RMS error are noise. */
export const TIE_SLACK = 0.01;

export interface CurveFit {
  big_o: BigO;
  /** Growth coefficient b (0 for O(1)). */
  coefficient: number;
  /** Constant term a. */
  intercept: number;
  /** RMS of the relative residuals (0.05: the curve is 5% off on average). */
  rms: number;
  /** Predicted value at the largest N over the one at the smallest. */
  growth: number;
}

/** Weighted least squares of value ~ a + b * f(N) with b >= 0 and a >= 0, weights 1 / value^2. */
export function fitCurve(points: readonly ComplexityPoint[], bigO: BigO): CurveFit {
  const curve = CURVES.find(([name]) => name === bigO);
  if (!curve) throw new RangeError(`unknown complexity ${bigO}`);
  const f = curve[1];
  const mean = points.reduce((s, p) => s + p.value, 0) / points.length;
  // A zero counter would get an infinite weight: floor the scale at 1% of the mean.
  const w = points.map((p) => 1 / Math.max(p.value, mean * 0.01) ** 2);
  let sw = 0,
    sf = 0,
    sy = 0,
    sff = 0,
    sfy = 0;
  points.forEach((p, i) => {
    const fn = f(p.n);
    sw += w[i];
    sf += w[i] * fn;
    sy += w[i] * p.value;
    sff += w[i] * fn * fn;
    sfy += w[i] * fn * p.value;
  });
  let a = sy / sw;
  let b = 0;
  const det = sw * sff - sf * sf;
  if (bigO !== "O(1)" && det > 0) {
    b = (sw * sfy - sf * sy) / det;
    a = (sy - b * sf) / sw;
    // A negative constant cost is not physical: fit through the origin instead.
    if (a < 0) {
      a = 0;
      b = sfy / sff;
    }
    // A shrinking curve is no growth at all: that candidate is O(1).
    if (b < 0) {
      b = 0;
      a = sy / sw;
    }
  }
  let sumSq = 0;
  points.forEach((p, i) => {
    sumSq += w[i] * (p.value - a - b * f(p.n)) ** 2;
  });
  const ns = points.map((p) => p.n);
  const lo = a + b * f(Math.min(...ns));
  const hi = a + b * f(Math.max(...ns));
  return { big_o: bigO, coefficient: b, intercept: a, rms: Math.sqrt(sumSq / points.length), growth: lo > 0 ? hi / lo : Infinity };
}

/**
 * The complexity of `points`; null when there are fewer than three distinct
 * N (two points fit every two-parameter curve exactly). N must be >= 1;
 * values finite, non-negative, with a positive mean.
 */
export function fitComplexity(points: readonly ComplexityPoint[]): FittedComplexity | null {
  for (const p of points) {
    if (!(Number.isFinite(p.n) && p.n >= 1)) throw new RangeError(`complexity fit needs N >= 1, got ${p.n}`);
    if (!(Number.isFinite(p.value) && p.value >= 0)) throw new RangeError(`complexity fit needs finite non-negative values, got ${p.value}`);
  }
  if (new Set(points.map((p) => p.n)).size < 3) return null;
  if (!(points.reduce((s, p) => s + p.value, 0) > 0)) throw new RangeError("complexity fit needs a positive mean value");
  const constant = fitCurve(points, "O(1)");
  const fits = [
    constant,
    ...CURVES.slice(1)
      .map(([name]) => fitCurve(points, name))
      .filter((c) => c.coefficient > 0 && c.growth >= MIN_GROWTH),
  ];
  fits.sort((x, y) => x.rms - y.rms);
  const best = fits[0];
  const ties = fits.filter((c) => c.rms <= best.rms * TIE_FACTOR + TIE_SLACK);
  const out = { coefficient: best.coefficient, intercept: best.intercept, rms: best.rms };
  if (ties.length > 1) return { big_o: "inconclusive", ...out, candidates: ties.map((c) => c.big_o) };
  return { big_o: best.big_o, ...out };
}
