/**
 * Array of (user_id, ctx) sorted by user_id; find by binary search, keep
 * sorted by shifting. Cost: probes of the search, plus entries shifted by
 * insert/remove (the O(N) upkeep that buys the O(log N) find).
 */
import { MAX_CTX, PAGE, type ContextSet } from "./context-set.js";
import type { IdLookupOps, StrategyDefinition } from "./types.js";

class SortedArray implements IdLookupOps {
  readonly name = "sorted-array";
  readonly question = "id";
  private readonly keys = new Float64Array(MAX_CTX);
  private readonly ctxs = new Int32Array(MAX_CTX);
  private count = 0;

  constructor(private readonly set: ContextSet) {}

  /**
   * Sort packed (page number, ctx) pairs: unique numbers below 2^51, so any
   * correct sort gives the WASM twin's exact order.
   */
  build(): void {
    const packed = new Float64Array(this.set.liveCount);
    let n = 0;
    for (let c = this.set.ageOldest; c >= 0; c = this.set.ageNewer[c]) packed[n++] = (this.set.userId[c] / PAGE) * 65536 + c;
    packed.sort();
    for (let i = 0; i < n; i++) {
      const c = packed[i] % 65536;
      this.ctxs[i] = c;
      this.keys[i] = this.set.userId[c];
    }
    this.count = n;
  }

  /** Lower bound of key: first index whose key is >= key. Charges probes. */
  private search(key: number): number {
    let lo = 0;
    let hi = this.count;
    let probes = 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      probes++;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    this.set.visitedId += probes;
    return lo;
  }

  findById(userId: number): number {
    const i = this.search(userId);
    return i < this.count && this.keys[i] === userId ? this.ctxs[i] : -1;
  }

  insert(ctx: number): void {
    const key = this.set.userId[ctx];
    const i = this.search(key);
    this.keys.copyWithin(i + 1, i, this.count);
    this.ctxs.copyWithin(i + 1, i, this.count);
    this.set.visitedId += this.count - i;
    this.keys[i] = key;
    this.ctxs[i] = ctx;
    this.count++;
  }

  remove(ctx: number): void {
    this.unlink(this.set.userId[ctx]);
  }

  move(ctx: number, oldUserId: number): void {
    this.unlink(oldUserId);
    this.insert(ctx);
  }

  /** Keys are unique (one ring per address), so the lower bound is the entry. */
  private unlink(key: number): void {
    const i = this.search(key);
    this.keys.copyWithin(i, i + 1, this.count);
    this.ctxs.copyWithin(i, i + 1, this.count);
    this.count--;
    this.set.visitedId += this.count - i;
  }
}

export const sortedArray: StrategyDefinition = {
  name: "sorted-array",
  question: "id",
  complexity: "O(log N)",
  description: "binary search on user_id over a sorted array (O(N) shifts on insert/remove)",
  create: (set) => new SortedArray(set),
};
