// Lowest-free-index allocator (twin of src/strategies/lowest-free.ts): a
// bitmap of taken indexes with summary levels above it (bit set one level up
// = that word is full), so "lowest free" is one ctz per level, not a scan.
// Raw memory, 32-bit words, allocated once. Unmanaged: the GC never sees it,
// so hot paths pay no shadow-stack traffic for the object reference.

@unmanaged
export class LowestFree {
  /** Level l's word array lives at load<usize>(dir + l * sizeof<usize>()). */
  private dir: usize;
  private nLevels: i32;
  /** One past the highest index taken since the last reset: what reset clears. */
  private hwm: u32 = 0;

  constructor(capacity: u32) {
    this.dir = heap.alloc(8 * sizeof<usize>());
    let n = capacity;
    let l = 0;
    do {
      n = (n + 31) >> 5;
      const words = heap.alloc(<usize>n << 2);
      memory.fill(words, 0, <usize>n << 2);
      store<usize>(this.dir + <usize>l * sizeof<usize>(), words);
      l++;
    } while (n > 1);
    this.nLevels = l;
  }

  @inline private level(l: i32): usize {
    return load<usize>(this.dir + <usize>l * sizeof<usize>());
  }

  @inline has(i: u32): bool {
    return ((load<u32>(this.level(0) + (<usize>(i >> 5) << 2)) >> (i & 31)) & 1) != 0;
  }

  /** Lowest free index. The caller guarantees one exists below capacity. */
  lowest(): u32 {
    let i: u32 = 0;
    for (let l = this.nLevels - 1; l >= 0; l--) {
      const free = ~load<u32>(this.level(l) + (<usize>i << 2));
      i = i * 32 + ctz<u32>(free);
    }
    return i;
  }

  set(i: u32): void {
    if (i >= this.hwm) this.hwm = i + 1;
    for (let l = 0; l < this.nLevels; l++) {
      const p = this.level(l) + (<usize>(i >> 5) << 2);
      const w = load<u32>(p) | (<u32>1 << (i & 31));
      store<u32>(p, w);
      if (w != 0xffffffff) return;
      i >>= 5;
    }
  }

  clear(i: u32): void {
    // A word that loses a bit is no longer full, so every level above clears too.
    for (let l = 0; l < this.nLevels; l++) {
      const p = this.level(l) + (<usize>(i >> 5) << 2);
      store<u32>(p, load<u32>(p) & ~(<u32>1 << (i & 31)));
      i >>= 5;
    }
  }

  reset(): void {
    let n = this.hwm;
    for (let l = 0; l < this.nLevels; l++) {
      n = (n + 31) >> 5;
      memory.fill(this.level(l), 0, <usize>n << 2);
    }
    this.hwm = 0;
  }
}
