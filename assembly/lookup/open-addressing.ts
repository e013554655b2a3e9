// Open-addressing table from a context's key (user_id, or its ring file
// zero-extended to u64) to its handle (twin of
// src/strategies/open-addressing.ts), the index of both hash strategies:
// linear probing, at most half full (doubles, never shrinks), backward-shift
// deletion so churn leaves no tombstones to probe through. The owner charges
// its counter: operations report the slots they probed.
import { MAX_CTX, ageNewer, ageOldest, liveCount, ringFile, userId } from "./context-set";

/**
 * murmur3 fmix32 over the key's two halves, as the TS twin. File ids are
 * below 2^32, so theirs is fmix32 of the id itself.
 */
@inline function hashKey(k: u64): u32 {
  let h = <u32>k ^ (<u32>(k >> 32) * 0x9e3779b1);
  h = (h ^ (h >> 16)) * 0x85ebca6b;
  h = (h ^ (h >> 13)) * 0xc2b2ae35;
  return h ^ (h >> 16);
}

/** Smallest power of two >= 2 * n, at least 8: n entries leave it at most half full. */
function capacityFor(n: i32): u32 {
  let cap: u32 = 8;
  while (cap < <u32>(2 * n)) cap <<= 1;
  return cap;
}

/** Unmanaged: allocated once per strategy, never freed, invisible to the GC. */
@unmanaged
export class OpenAddressing {
  private keys: usize = heap.alloc(<usize>(2 * MAX_CTX) << 3);
  private vals: usize = heap.alloc(<usize>(2 * MAX_CTX) << 2);
  private mask: u32 = 0;
  private count: i32 = 0;
  /** Slots the last find probed. */
  probes: u64 = 0;

  /** byFile: keyed by ring file, else by user_id. */
  constructor(private byFile: bool) {}

  /** A context's key: only moves (see unlink) change it. */
  @inline keyOf(c: i32): u64 {
    return this.byFile ? <u64><u32>ringFile(c) : userId(c);
  }

  @inline private key(i: u32): u64 { return load<u64>(this.keys + (<usize>i << 3)); }
  @inline private val(i: u32): i32 { return load<i32>(this.vals + (<usize>i << 2)); }
  @inline private put(i: u32, k: u64, v: i32): void {
    store<u64>(this.keys + (<usize>i << 3), k);
    store<i32>(this.vals + (<usize>i << 2), v);
  }

  /** Index every live context, oldest first. Uncounted. */
  build(): void {
    this.reindex(capacityFor(liveCount));
  }

  private reindex(cap: u32): void {
    this.mask = cap - 1;
    memory.fill(this.vals, 0xff, <usize>cap << 2); // every slot -1: empty
    this.count = 0;
    for (let c = ageOldest; c >= 0; c = ageNewer(c)) this.place(c);
  }

  /** Index a new live context; returns the slots probed (0 when growth re-indexed everything, c included). */
  insert(c: i32): u64 {
    if (<u32>(this.count + 1) * 2 <= this.mask + 1) return this.place(c);
    this.reindex((this.mask + 1) * 2);
    return 0;
  }

  /** Enter c (not present) under its key at the first empty slot of the key's run; returns the slots probed. */
  place(c: i32): u64 {
    const k = this.keyOf(c);
    const mask = this.mask;
    let i = hashKey(k) & mask;
    let probes: u64 = 1;
    while (this.val(i) >= 0) {
      i = (i + 1) & mask;
      probes++;
    }
    this.put(i, k, c);
    this.count++;
    return probes;
  }

  /** The context under k, or -1; its cost is left in `probes`. */
  @inline find(k: u64): i32 {
    const mask = this.mask;
    let i = hashKey(k) & mask;
    let probes: u64 = 1;
    let c = this.val(i);
    while (c >= 0 && this.key(i) != k) {
      i = (i + 1) & mask;
      probes++;
      c = this.val(i);
    }
    this.probes = probes;
    return c;
  }

  /**
   * Delete c's entry, filed under k (its key before a move), shifting later
   * members of the probe run back into the gap; returns the slots probed.
   */
  unlink(c: i32, k: u64): u64 {
    const mask = this.mask;
    let i = hashKey(k) & mask;
    let probes: u64 = 1;
    while (this.val(i) != c) {
      i = (i + 1) & mask;
      probes++;
    }
    for (let j = (i + 1) & mask; this.val(j) >= 0; j = (j + 1) & mask) {
      probes++;
      const home = hashKey(this.key(j)) & mask;
      // j's entry may fill the gap at i unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        this.put(i, this.key(j), this.val(j));
        i = j;
      }
    }
    store<i32>(this.vals + (<usize>i << 2), -1);
    this.count--;
    return probes;
  }
}
