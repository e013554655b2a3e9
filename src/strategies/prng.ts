/**
 * Target-stream distributions shared by the TS twins, drawn from the PRNG of
 * src/util/prng.ts. assembly/lookup/prng.ts is the same code (PRNG, fold and
 * distributions) in AssemblyScript: the streams, churn orders and checksums
 * of both backends match bit for bit.
 */

import type { Prng } from "../util/prng.js";

/** Stream distributions, numbered as in the WASM exports. */
export const DISTS = ["uniform", "newest", "oldest", "zipf"] as const;
export type Dist = (typeof DISTS)[number];

/**
 * Fills picks[0..count) with indexes into an age-ordered list of m contexts
 * (0 = oldest). zipf has s = 1 and rank 1 = the oldest context: long-lived
 * contexts carry most of the I/O. Its CDF is built by f64 adds and divides
 * only (no pow), so both backends compute identical tables.
 */
export function pickByDist(dist: number, m: number, count: number, rng: Prng, picks: Int32Array, cdf: Float64Array): void {
  if (dist === 3) {
    let total = 0;
    for (let r = 0; r < m; r++) {
      total += 1 / (r + 1);
      cdf[r] = total;
    }
    for (let i = 0; i < count; i++) {
      const u = rng.next() * total * 2.3283064365386963e-10; // * 2^-32, exact
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      picks[i] = lo;
    }
    return;
  }
  for (let i = 0; i < count; i++) picks[i] = dist === 0 ? rng.below(m) : dist === 1 ? m - 1 : 0;
}
