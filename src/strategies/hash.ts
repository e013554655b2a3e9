/**
 * Open-addressing hash on user_id: linear probing, at most half full
 * (doubles, never shrinks), backward-shift deletion so churn leaves no
 * tombstones to probe through. Cost: slots probed, by finds and by upkeep.
 */
import { MAX_CTX, type ContextSet } from "./context-set.js";
import type { IdLookupOps, StrategyDescriptor } from "./types.js";

/** murmur3 fmix32 over the address's two halves; the WASM twin hashes the same u64. */
export function hashUserId(userId: number): number {
  const lo = userId >>> 0;
  const hi = (userId / 4294967296) >>> 0;
  let h = lo ^ Math.imul(hi, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Smallest power of two >= 2 * count, at least 8: the table stays at most half full. */
export function hashCapacity(count: number): number {
  let cap = 8;
  while (cap < 2 * count) cap *= 2;
  return cap;
}

class UserIdHash implements IdLookupOps {
  readonly name = "hash";
  readonly question = "id";
  private readonly keys = new Float64Array(2 * MAX_CTX);
  private readonly vals = new Int32Array(2 * MAX_CTX);
  private mask = 0;
  private count = 0;

  constructor(private readonly set: ContextSet) {}

  build(): void {
    this.rebuild(hashCapacity(this.set.liveCount));
  }

  private rebuild(cap: number): void {
    this.mask = cap - 1;
    this.vals.fill(-1, 0, cap);
    this.count = 0;
    for (let c = this.set.ageOldest; c >= 0; c = this.set.ageNewer[c]) this.place(c);
  }

  private place(ctx: number): number {
    const key = this.set.userId[ctx];
    let i = hashUserId(key) & this.mask;
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

  findById(userId: number): number {
    let i = hashUserId(userId) & this.mask;
    let probes = 1;
    let c = this.vals[i];
    while (c >= 0 && this.keys[i] !== userId) {
      i = (i + 1) & this.mask;
      probes++;
      c = this.vals[i];
    }
    this.set.visitedId += probes;
    return c;
  }

  insert(ctx: number): void {
    // Growth re-indexes every live context, ctx included (it is live already).
    if ((this.count + 1) * 2 > this.mask + 1) this.rebuild((this.mask + 1) * 2);
    else this.set.visitedId += this.place(ctx);
  }

  remove(ctx: number): void {
    this.unlink(ctx, this.set.userId[ctx]);
  }

  move(ctx: number, oldUserId: number): void {
    this.unlink(ctx, oldUserId);
    this.set.visitedId += this.place(ctx);
  }

  /** Delete ctx's entry under key, shifting later members of the probe run back into the gap. */
  private unlink(ctx: number, key: number): void {
    const mask = this.mask;
    let i = hashUserId(key) & mask;
    let probes = 1;
    while (this.vals[i] !== ctx) {
      i = (i + 1) & mask;
      probes++;
    }
    for (let j = (i + 1) & mask; this.vals[j] >= 0; j = (j + 1) & mask) {
      probes++;
      const home = hashUserId(this.keys[j]) & mask;
      // j's entry may fill the gap at i unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        this.keys[i] = this.keys[j];
        this.vals[i] = this.vals[j];
        i = j;
      }
    }
    this.vals[i] = -1;
    this.count--;
    this.set.visitedId += probes;
  }
}

export const hash: StrategyDescriptor = {
  name: "hash",
  question: "id",
  complexity: "O(1)",
  description: "open-addressing hash on user_id (linear probing, load <= 1/2)",
  wasmId: 2,
  create: (set) => new UserIdHash(set),
};
