// The space of a tmpfs holding the test file (a scenario's tmpfs_bytes):
// which of the file's pages are allocated, against the mount's size in
// pages. Measured on 6.1, 6.12 and 6.18 (FINDINGS 49): a write allocates
// every page it touches that holes or the end of the file left out, one page
// at a time; the first page that does not fit stops it, short where pages
// before it were written, -ENOSPC where none was. Reads never allocate (a
// hole reads as zeros); ftruncate frees the pages past the new end and
// allocates none when it grows the file.
import { ENOSPC } from "../../assembly/abi/errno.js";
import { PAGE_SIZE } from "../../assembly/abi/ring.js";

export class TmpfsSpace {
  private readonly pages = new Set<number>();

  /** A mount of `limit` pages holding a file of `fileBytes` bytes, every page of it written. */
  constructor(
    readonly limit: number,
    fileBytes: number,
  ) {
    for (let p = 0; p * PAGE_SIZE < fileBytes; p++) this.pages.add(p);
  }

  /** Allocates the pages of a write of `n` bytes at `pos`: the bytes it writes, or -ENOSPC. */
  write(pos: number, n: number): number {
    const last = Math.floor((pos + n - 1) / PAGE_SIZE);
    for (let p = Math.floor(pos / PAGE_SIZE); n > 0 && p <= last; p++) {
      if (this.pages.has(p)) continue;
      if (this.pages.size >= this.limit) return p * PAGE_SIZE > pos ? p * PAGE_SIZE - pos : -ENOSPC;
      this.pages.add(p);
    }
    return n;
  }

  /** The file is now `size` bytes: the pages wholly past it go. */
  truncate(size: number): void {
    const keep = Math.ceil(size / PAGE_SIZE);
    for (const p of this.pages) if (p >= keep) this.pages.delete(p);
  }
}
