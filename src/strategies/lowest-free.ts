/**
 * Lowest-free-index allocator over a fixed capacity: a bitmap of taken
 * indexes with summary levels above it (a bit set one level up = that word
 * is full), so "lowest free" is one ctz per level instead of a scan. The
 * ioctx table takes the lowest free slot and mappings go to the highest free
 * address; both must be O(1) here so only the lookup strategies cost time.
 * Words are 32 bits so the AssemblyScript twin matches bit for bit.
 */
export class LowestFree {
  private readonly levels: Uint32Array[] = [];
  /** One past the highest index taken since the last reset: what reset clears. */
  private hwm = 0;

  constructor(readonly capacity: number) {
    let n = capacity;
    do {
      n = Math.ceil(n / 32);
      this.levels.push(new Uint32Array(n));
    } while (n > 1);
  }

  has(i: number): boolean {
    return ((this.levels[0][i >>> 5] >>> (i & 31)) & 1) !== 0;
  }

  /** Lowest free index. The caller guarantees one exists below capacity. */
  lowest(): number {
    let i = 0;
    for (let l = this.levels.length - 1; l >= 0; l--) {
      const free = ~this.levels[l][i];
      i = i * 32 + (31 - Math.clz32(free & -free));
    }
    return i;
  }

  set(i: number): void {
    if (i >= this.hwm) this.hwm = i + 1;
    for (let l = 0; l < this.levels.length; l++) {
      const words = this.levels[l];
      const w = i >>> 5;
      words[w] |= 1 << (i & 31);
      if (words[w] !== 0xffffffff) return;
      i = w;
    }
  }

  clear(i: number): void {
    // A word that loses a bit is no longer full, so every level above clears too.
    for (let l = 0; l < this.levels.length; l++) {
      this.levels[l][i >>> 5] &= ~(1 << (i & 31));
      i >>>= 5;
    }
  }

  reset(): void {
    let n = this.hwm;
    for (const words of this.levels) {
      n = Math.ceil(n / 32);
      words.fill(0, 0, n);
    }
    this.hwm = 0;
  }
}
