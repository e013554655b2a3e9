/**
 * Lowest-free-index allocator over a fixed capacity: a bitmap of taken
 * indexes with summary levels above it (a bit set one level up = that word
 * is full), so "lowest free" is one ctz per level instead of a scan. The
 * ioctx table takes the lowest free slot and mappings go to the highest free
 * address; both must be O(1) here so only the lookup strategies cost time.
 * The common paths touch level 0 only: set and clear climb only when a word
 * turns full or stops being full, and lowest starts at a hint word below
 * which every word is full (io_setup takes the lowest index over and over).
 * Words are 32 bits so the AssemblyScript twin matches bit for bit.
 */
export class LowestFree {
  private readonly levels: Uint32Array[] = [];
  private readonly bits: Uint32Array;
  /** Every level-0 word below this one is full. */
  private hint = 0;
  /** One past the highest index taken since the last reset: what reset clears. */
  private hwm = 0;

  constructor(readonly capacity: number) {
    let n = capacity;
    do {
      n = Math.ceil(n / 32);
      this.levels.push(new Uint32Array(n));
    } while (n > 1);
    this.bits = this.levels[0];
  }

  has(i: number): boolean {
    return ((this.bits[i >>> 5] >>> (i & 31)) & 1) !== 0;
  }

  /** Lowest free index. The caller guarantees one exists below capacity. */
  lowest(): number {
    const free = ~this.bits[this.hint];
    return free !== 0 ? this.hint * 32 + (31 - Math.clz32(free & -free)) : this.descend();
  }

  /** lowest() when the hint word is full: one ctz per level from the top. */
  private descend(): number {
    let i = 0;
    for (let l = this.levels.length - 1; l >= 0; l--) {
      const free = ~this.levels[l][i];
      i = i * 32 + (31 - Math.clz32(free & -free));
    }
    this.hint = i >>> 5;
    return i;
  }

  set(i: number): void {
    if (i >= this.hwm) this.hwm = i + 1;
    const w = i >>> 5;
    this.bits[w] |= 1 << (i & 31);
    if (this.bits[w] === 0xffffffff) this.markFull(w);
  }

  /** Level-0 word i just filled up: set its bit one level up, and so on while words fill. */
  private markFull(i: number): void {
    for (let l = 1; l < this.levels.length; l++) {
      const words = this.levels[l];
      const w = i >>> 5;
      words[w] |= 1 << (i & 31);
      if (words[w] !== 0xffffffff) return;
      i = w;
    }
  }

  clear(i: number): void {
    const w = i >>> 5;
    const was = this.bits[w];
    this.bits[w] = was & ~(1 << (i & 31));
    if (was === 0xffffffff) this.markNotFull(w);
    if (w < this.hint) this.hint = w;
  }

  /** Level-0 word i was full and lost a bit: clear its bit one level up, and so on while words were full. */
  private markNotFull(i: number): void {
    for (let l = 1; l < this.levels.length; l++) {
      const words = this.levels[l];
      const w = i >>> 5;
      const was = words[w];
      words[w] = was & ~(1 << (i & 31));
      if (was !== 0xffffffff) return;
      i = w;
    }
  }

  reset(): void {
    let n = this.hwm;
    for (const words of this.levels) {
      n = Math.ceil(n / 32);
      words.fill(0, 0, n);
    }
    this.hwm = 0;
    this.hint = 0;
  }
}
