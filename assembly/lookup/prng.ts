// Seeded PRNG, checksum fold and stream distributions: the same code as
// src/util/prng.ts and src/strategies/prng.ts, so streams, churn orders and checksums match the
// TS twins bit for bit.

/** SplitMix32: one u32 per call from a 32-bit state. Unmanaged: no GC or shadow-stack cost in churn. */
@unmanaged
export class Prng {
  private state: u32;

  constructor(seed: u32) {
    this.state = seed;
  }

  next(): u32 {
    this.state += 0x9e3779b9;
    let z = this.state;
    z = (z ^ (z >> 16)) * 0x85ebca6b;
    z = (z ^ (z >> 13)) * 0xc2b2ae35;
    return z ^ (z >> 16);
  }

  /** Uniform in [0, n) by multiply-high. */
  below(n: u32): u32 {
    return <u32>((<u64>this.next() * <u64>n) >> 32);
  }
}

/** FNV-1a step over one u32 word. */
@inline export function fold(h: u32, word: u32): u32 {
  return (h ^ word) * 0x01000193;
}

export const FOLD_SEED: u32 = 0x811c9dc5;

export const DIST_UNIFORM = 0;
export const DIST_NEWEST = 1;
export const DIST_ZIPF = 3;

/**
 * Fills picks[0..count) (i32s) with indexes into an age-ordered list of m
 * contexts (0 = oldest). zipf: s = 1, rank 1 = the oldest context; its CDF
 * (f64s at cdf) uses adds and divides only, exactly as the TS twin.
 */
export function pickByDist(dist: i32, m: i32, count: i32, rng: Prng, picks: usize, cdf: usize): void {
  if (dist == DIST_ZIPF) {
    let total: f64 = 0;
    for (let r = 0; r < m; r++) {
      total += 1.0 / <f64>(r + 1);
      store<f64>(cdf + (<usize>r << 3), total);
    }
    for (let i = 0; i < count; i++) {
      const u = <f64>rng.next() * total * 2.3283064365386963e-10; // * 2^-32, exact
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (load<f64>(cdf + (<usize>mid << 3)) > u) hi = mid;
        else lo = mid + 1;
      }
      store<i32>(picks + (<usize>i << 2), lo);
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const pick = dist == DIST_UNIFORM ? <i32>rng.below(<u32>m) : dist == DIST_NEWEST ? m - 1 : 0;
    store<i32>(picks + (<usize>i << 2), pick);
  }
}
