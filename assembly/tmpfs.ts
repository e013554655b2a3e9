// The space of a tmpfs holding the test file (a scenario's tmpfs_bytes),
// as src/model/tmpfs.ts models it (FINDINGS 49): the file's allocated pages
// against the mount's size in pages. A write allocates each page it touches
// that is not there yet and stops at the first that does not fit (short,
// or -ENOSPC with nothing written); ftruncate frees the pages past the end.
import { ENOSPC } from "./errno";
import { PAGE_SHIFT, PAGE_SIZE } from "./mm";

export class TmpfsSpace {
  private pages: Set<i64> = new Set<i64>();

  /** A mount of `limit` pages holding a file of `fileBytes` bytes, every page of it written. */
  constructor(readonly limit: i32, fileBytes: i64) {
    for (let p: i64 = 0; p << PAGE_SHIFT < fileBytes; p++) this.pages.add(p);
  }

  /** Allocates the pages of a write of `n` bytes at `pos`: the bytes it writes, or -ENOSPC. */
  write(pos: i64, n: i64): i64 {
    if (n <= 0) return n;
    const last = (pos + n - 1) >> PAGE_SHIFT;
    for (let p = pos >> PAGE_SHIFT; p <= last; p++) {
      if (this.pages.has(p)) continue;
      if (this.pages.size >= this.limit) return p << PAGE_SHIFT > pos ? (p << PAGE_SHIFT) - pos : <i64>-ENOSPC;
      this.pages.add(p);
    }
    return n;
  }

  /** The file is now `size` bytes: the pages wholly past it go. */
  truncate(size: i64): void {
    const keep = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    const all = this.pages.values();
    for (let i = 0; i < all.length; i++) if (all[i] >= keep) this.pages.delete(all[i]);
  }
}

/** The bytes a write of `n` at `pos` writes: all of them on a memfd (no space), as many as pages fit on a tmpfs. */
@inline export function writable(space: TmpfsSpace | null, pos: i64, n: i64): i64 {
  return space !== null ? space.write(pos, n) : n;
}
