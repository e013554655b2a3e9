/**
 * The one seeded PRNG (SplitMix32) and the FNV-1a hash that makes seeds and
 * checksums. Small, fast, the same stream on every platform, and the same as
 * assembly/lookup/prng.ts, so WASM and TS draw alike. The bootstrap, the
 * fuzzers, the workloads, the selfcheck's noisy neighbour and the tests'
 * synthetic data all draw from it; seeded alike, they give the same answer
 * on every run and machine.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next u32. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, n) by multiply-high: exact in f64 since next() * n < 2^53. */
  below(n: number): number {
    return Math.floor((this.next() * n) / 4294967296);
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }

  /** Uniform in [0, 1), a multiple of 2^-32. */
  float(): number {
    return this.next() / 4294967296;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length];
  }
}

/** FNV-1a offset basis: the starting value of a fold. */
export const FOLD_SEED = 0x811c9dc5;

/** FNV-1a step over one u32 word. */
export function fold(h: number, word: number): number {
  return Math.imul(h ^ word, 0x01000193) >>> 0;
}

/** FNV-1a over a string's UTF-16 code units: a stable seed per benchmark id, independent of result order. */
export function seedFromString(text: string): number {
  let h = FOLD_SEED;
  for (let i = 0; i < text.length; i++) h = fold(h, text.charCodeAt(i));
  return h;
}
