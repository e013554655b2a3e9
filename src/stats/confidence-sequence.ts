/**
 * An anytime-valid confidence sequence for the median of a stream of
 * observations: an interval that holds the true median at every sample size
 * at once with probability at least 1 - alpha, so it may be looked at after
 * every observation and the stream stopped whenever it decides, without the
 * false-alarm inflation of repeated significance tests (optional stopping).
 *
 * Howard & Ramdas, "Sequential estimation of quantiles with applications to
 * A/B-testing and best-arm identification", Bernoulli 28(3), 2022: for a
 * candidate median m, the signs 1{x_i < m} are fair coin flips, and the
 * beta-binomial mixture of their likelihood ratios,
 *   M_n(m) = 2^n B(a + S, a + n - S) / B(a, a),   S = #{i <= n : x_i < m},
 * is a nonnegative martingale with M_0 = 1; by Ville's inequality it ever
 * reaches 1/alpha with probability at most alpha. The sequence is the set of
 * m it has not rejected, which is an interval between two order statistics.
 * Distribution-free (only continuity), so a noisy machine's heavy tails
 * cannot break it; the price is a few more observations than a t-interval.
 */
import { gammaln } from "simple-statistics";

/** Prior Beta(a, a) on the coin's bias: small a favours the large effects a gate looks for. */
export const MIXTURE_A = 0.5;

function logBeta(x: number, y: number): number {
  return gammaln(x) + gammaln(y) - gammaln(x + y);
}

/** log M_n for S of n signs below the candidate. */
export function logMixture(n: number, s: number, a = MIXTURE_A): number {
  return n * Math.LN2 + logBeta(a + s, a + n - s) - logBeta(a, a);
}

/**
 * The smallest S (of n) the mixture does not reject at level alpha; by
 * symmetry n - S is the largest. S near n/2 is never rejected (M <= 1
 * there), so the answer is at most n/2.
 */
export function lowestAccepted(n: number, alpha: number, a = MIXTURE_A): number {
  const bound = -Math.log(alpha);
  let s = 0;
  while (s < n / 2 && logMixture(n, s, a) >= bound) s++;
  return s;
}

export interface MedianSequence {
  /** Observations so far. */
  n: number;
  /** The sample median. */
  estimate: number;
  /** The interval at this n: -Infinity / Infinity while too few observations bound it. */
  lower: number;
  upper: number;
}

/** The confidence sequence's interval for the median of `xs` at level 1 - alpha. */
export function medianSequence(xs: readonly number[], alpha: number): MedianSequence {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const n = xs.length;
  if (n === 0) return { n, estimate: Number.NaN, lower: -Infinity, upper: Infinity };
  const sorted = [...xs].sort((p, q) => p - q);
  const mid = n >> 1;
  const estimate = n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const sLo = lowestAccepted(n, alpha);
  // m is accepted while S(m) = #{x < m} lies in [sLo, n - sLo]: from the sLo-th
  // smallest value (1-based) up to the (n - sLo + 1)-th.
  return { n, estimate, lower: sLo === 0 ? -Infinity : sorted[sLo - 1], upper: sLo === 0 ? Infinity : sorted[n - sLo] };
}

/**
 * Anytime-valid p-value of "the median is `m`": 1 / the largest the mixture
 * reached over every prefix, capped at 1 (small when some look rejected m).
 */
export function anytimeP(xs: readonly number[], m: number): number {
  let s = 0;
  let best = 0;
  for (let n = 1; n <= xs.length; n++) {
    if (xs[n - 1] < m) s++;
    best = Math.max(best, logMixture(n, s));
  }
  return Math.min(1, Math.exp(-best));
}
