/**
 * Open-addressing hash on ring-file identity, same scheme as the user_id
 * hash (linear probing, load <= 1/2, backward-shift deletion). The key never
 * changes when a ring moves, so moves cost nothing. Cost: slots probed.
 */
import { MAX_CTX, type ContextSet } from "./context-set.js";
import { hashCapacity } from "./hash.js";
import type { FileLookupOps, StrategyDescriptor } from "./types.js";

/** murmur3 fmix32 of the file id. */
export function hashFile(file: number): number {
  let h = Math.imul(file ^ (file >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class FileHash implements FileLookupOps {
  readonly name = "file-hash";
  readonly question = "file";
  private readonly keys = new Int32Array(2 * MAX_CTX);
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
    const key = this.set.ringFile[ctx];
    let i = hashFile(key) & this.mask;
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

  findByFile(file: number): number {
    let i = hashFile(file) & this.mask;
    let probes = 1;
    let c = this.vals[i];
    while (c >= 0 && this.keys[i] !== file) {
      i = (i + 1) & this.mask;
      probes++;
      c = this.vals[i];
    }
    this.set.visitedFile += probes;
    return c;
  }

  insert(ctx: number): void {
    // Growth re-indexes every live context, ctx included (it is live already).
    if ((this.count + 1) * 2 > this.mask + 1) this.rebuild((this.mask + 1) * 2);
    else this.set.visitedFile += this.place(ctx);
  }

  /** Delete ctx's entry, shifting later members of the probe run back into the gap. */
  remove(ctx: number): void {
    const mask = this.mask;
    let i = hashFile(this.set.ringFile[ctx]) & mask;
    let probes = 1;
    while (this.vals[i] !== ctx) {
      i = (i + 1) & mask;
      probes++;
    }
    for (let j = (i + 1) & mask; this.vals[j] >= 0; j = (j + 1) & mask) {
      probes++;
      const home = hashFile(this.keys[j]) & mask;
      // j's entry may fill the gap at i unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        this.keys[i] = this.keys[j];
        this.vals[i] = this.vals[j];
        i = j;
      }
    }
    this.vals[i] = -1;
    this.count--;
    this.set.visitedFile += probes;
  }

  /** The ring file is the key and it does not change when its pages move. */
  move(): void {}
}

export const fileHash: StrategyDescriptor = {
  name: "file-hash",
  question: "file",
  complexity: "O(1)",
  description: "open-addressing hash on ring-file identity",
  wasmId: 7,
  create: (set) => new FileHash(set),
};
