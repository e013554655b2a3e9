/**
 * Open-addressing table from a context's key (a column of the ContextSet:
 * user_id or ring file) to its handle, the index of both hash strategies:
 * linear probing, at most half full (doubles, never shrinks), backward-shift
 * deletion so churn leaves no tombstones to probe through. The owner charges
 * its counter: operations report the slots they probed. Twin of
 * assembly/lookup/open-addressing.ts.
 */
import { MAX_CTX, type ContextSet } from "./context-set.js";

/**
 * murmur3 fmix32 over the key's two 32-bit halves; the WASM twin hashes the
 * same u64. File ids are below 2^32, so theirs is fmix32 of the id itself.
 */
function hashKey(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = lo ^ Math.imul(hi, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Smallest power of two >= 2 * count, at least 8: count entries leave it at most half full. */
function capacityFor(count: number): number {
  let cap = 8;
  while (cap < 2 * count) cap *= 2;
  return cap;
}

export class OpenAddressing {
  private readonly keys = new Float64Array(2 * MAX_CTX);
  private readonly vals = new Int32Array(2 * MAX_CTX);
  private mask = 0;
  private count = 0;
  /** Slots the last find probed. */
  probes = 0;

  /** keyOf[ctx] is ctx's key; only moves (see unlink) change it. */
  constructor(
    private readonly set: ContextSet,
    private readonly keyOf: Float64Array | Int32Array,
  ) {}

  /** Index every live context, oldest first. Uncounted. */
  build(): void {
    this.reindex(capacityFor(this.set.liveCount));
  }

  private reindex(cap: number): void {
    this.mask = cap - 1;
    this.vals.fill(-1, 0, cap);
    this.count = 0;
    for (let c = this.set.ageOldest; c >= 0; c = this.set.ageNewer[c]) this.place(c);
  }

  /** Index a new live context; returns the slots probed (0 when growth re-indexed everything, ctx included). */
  insert(ctx: number): number {
    if ((this.count + 1) * 2 <= this.mask + 1) return this.place(ctx);
    this.reindex((this.mask + 1) * 2);
    return 0;
  }

  /** Enter ctx (not present) under its key at the first empty slot of the key's run; returns the slots probed. */
  place(ctx: number): number {
    const key = this.keyOf[ctx];
    let i = hashKey(key) & this.mask;
    let probes = 1;
    while (this.vals[i] >= 0) {
      i = (i + 1) & this.mask;
      probes++;
    }
    this.keys[i] = key;
    this.vals[i] = ctx;
    this.count++;
    return probes;
  }

  /** The context under key, or -1; its cost is left in `probes`. */
  find(key: number): number {
    let i = hashKey(key) & this.mask;
    let probes = 1;
    let c = this.vals[i];
    while (c >= 0 && this.keys[i] !== key) {
      i = (i + 1) & this.mask;
      probes++;
      c = this.vals[i];
    }
    this.probes = probes;
    return c;
  }

  /**
   * Delete ctx's entry, filed under key (its key before a move), shifting
   * later members of the probe run back into the gap; returns the slots probed.
   */
  unlink(ctx: number, key = this.keyOf[ctx]): number {
    const mask = this.mask;
    let i = hashKey(key) & mask;
    let probes = 1;
    while (this.vals[i] !== ctx) {
      i = (i + 1) & mask;
      probes++;
    }
    for (let j = (i + 1) & mask; this.vals[j] >= 0; j = (j + 1) & mask) {
      probes++;
      const home = hashKey(this.keys[j]) & mask;
      // j's entry may fill the gap at i unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        this.keys[i] = this.keys[j];
        this.vals[i] = this.vals[j];
        i = j;
      }
    }
    this.vals[i] = -1;
    this.count--;
    return probes;
  }
}
