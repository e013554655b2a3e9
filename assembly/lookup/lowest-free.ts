// Lowest-free-index allocator (twin of src/strategies/lowest-free.ts): a
// bitmap of taken indexes with summary levels above it (bit set one level up
// = that word is full), so "lowest free" is one ctz per level, not a scan.
// Raw memory, 32-bit words, allocated once. Unmanaged: the GC never sees it,
// so hot paths pay no shadow-stack traffic for the object reference.
// The common paths touch level 0 only: set and clear climb only when a word
// turns full or stops being full, and lowest starts at a hint word below
// which every word is full (io_setup takes the lowest slot over and over).

@unmanaged
export class LowestFree {
  /** Level l's word array lives at load<usize>(dir + l * sizeof<usize>()). */
  private dir: usize;
  private nLevels: i32;
  /** Level 0's words (the same as level(0)), kept for the hot paths. */
  private bits: usize;
  /** Every level-0 word below this one is full. */
  private hint: u32 = 0;
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
    this.bits = this.level(0);
  }

  @inline private level(l: i32): usize {
    return load<usize>(this.dir + <usize>l * sizeof<usize>());
  }

  @inline has(i: u32): bool {
    return ((load<u32>(this.bits + (<usize>(i >> 5) << 2)) >> (i & 31)) & 1) != 0;
  }

  /** Lowest free index. The caller guarantees one exists below capacity. */
  @inline lowest(): u32 {
    const w = load<u32>(this.bits + (<usize>this.hint << 2));
    return w != 0xffffffff ? (this.hint << 5) + ctz<u32>(~w) : this.descend();
  }

  /** lowest() when the hint word is full: one ctz per level from the top. */
  private descend(): u32 {
    let i: u32 = 0;
    for (let l = this.nLevels - 1; l >= 0; l--) {
      const free = ~load<u32>(this.level(l) + (<usize>i << 2));
      i = i * 32 + ctz<u32>(free);
    }
    this.hint = i >> 5;
    return i;
  }

  @inline set(i: u32): void {
    if (i >= this.hwm) this.hwm = i + 1;
    const p = this.bits + (<usize>(i >> 5) << 2);
    const w = load<u32>(p) | (<u32>1 << (i & 31));
    store<u32>(p, w);
    if (w == 0xffffffff) this.markFull(i >> 5);
  }

  /** Word i of level 0 just filled up: set its bit one level up, and so on while words fill. */
  private markFull(i: u32): void {
    for (let l = 1; l < this.nLevels; l++) {
      const p = this.level(l) + (<usize>(i >> 5) << 2);
      const w = load<u32>(p) | (<u32>1 << (i & 31));
      store<u32>(p, w);
      if (w != 0xffffffff) return;
      i >>= 5;
    }
  }

  @inline clear(i: u32): void {
    const p = this.bits + (<usize>(i >> 5) << 2);
    const w = load<u32>(p);
    store<u32>(p, w & ~(<u32>1 << (i & 31)));
    if (w == 0xffffffff) this.markNotFull(i >> 5);
    if ((i >> 5) < this.hint) this.hint = i >> 5;
  }

  /** Word i of level 0 was full and lost a bit: clear its bit one level up, and so on while words were full. */
  private markNotFull(i: u32): void {
    for (let l = 1; l < this.nLevels; l++) {
      const p = this.level(l) + (<usize>(i >> 5) << 2);
      const w = load<u32>(p);
      store<u32>(p, w & ~(<u32>1 << (i & 31)));
      if (w != 0xffffffff) return;
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
    this.hint = 0;
  }
}
