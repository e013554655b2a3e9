// The process address space: VMAs, mmap, munmap and the page moves of
// mremap (docs/semantics.md "Objects" and "mremap"). Addresses are bytes,
// VMA bounds are page numbers. The aio parts (ring hook, ring checks) live in
// src/model/aio.ts; this file knows nothing about contexts.

import { PAGE_SIZE } from "../../assembly/abi/ring.js";
import { PROT_READ, PROT_RW, PROT_WRITE, TASK_SIZE } from "../../assembly/abi/address-space.js";
import type { TestFile } from "./test-file.js";

export { PAGE_SIZE, PROT_RW };

/** Whether `v`'s protection allows an access needing `prot` (PROT_READ or PROT_WRITE): x86-64 reads PROT_WRITE alone (FINDINGS 62). */
function permits(v: Vma, prot: number): boolean {
  return (v.prot & (prot === PROT_READ ? PROT_RW : prot)) !== 0;
}
/** Top-down placement starts below this page (like TASK_SIZE minus a stack gap). */
export const MMAP_CEILING_PAGE = 0x7f00_0000_0000 / PAGE_SIZE;
/** First page above user space. */
export const TASK_SIZE_PAGE = TASK_SIZE / PAGE_SIZE;
/** Lowest page a mapping may use (mmap_min_addr). */
export const MMAP_FLOOR_PAGE = 0x10000 / PAGE_SIZE;
/** What the scenario literal "bogus" stands for: below mmap_min_addr, never mapped. */
export const BOGUS_ADDRESS = 0x1000;

/** What a VMA maps: a ring file (or 3.11's pinned ring pages), or zero-filled anonymous memory. */
export interface Backing {
  /** Ring bytes; null for an anonymous mapping whose pages read as zero. */
  bytes: Uint8Array | null;
}

/** A ring, anonymous memory, or a mapping of the test file (TestFile). */
export type VmaKind = "aio" | "anon" | "file";

export interface Vma {
  start: number;
  pages: number;
  kind: VmaKind;
  backing: Backing;
  /**
   * Page offset of `start` within the backing (the test file's, for a file
   * mapping); for anonymous memory the
   * kernel's vm_pgoff, the page number where it was first mapped (merging
   * needs neighbours' offsets to run on).
   */
  pgoff: number;
  dontexpand: boolean;
  /**
   * Identity of the VMA's anon_vma, 0 for none: anonymous memory gets one at
   * its first fault (on a kernel without the zero page, a read fault too;
   * FINDINGS 33). Pieces of a split share it.
   */
  anon_vma: number;
  /** The shmem object a MAP_SHARED anonymous mapping maps (ShmemObjects), 0 for any other VMA. */
  shm: number;
  /** PROT_READ | PROT_WRITE bits (PROT_RW for rings). */
  prot: number;
  /** A file mapping: MAP_SHARED (its writes are the file's) rather than private (copy on write). */
  fileShared: boolean;
}

/**
 * The shmem objects behind MAP_SHARED anonymous mappings: each mmap makes
 * one of its own, as large as the mapping (FINDINGS 55, 59). What `fill`
 * wrote lives in the object, by page offset, not at an address: a forked
 * child shares the store, a move or MREMAP_DONTUNMAP leaves it where it is.
 */
export class ShmemObjects {
  /** Pages of object k at index k - 1. */
  readonly sizes: number[] = [];
  private readonly contents = new Map<number, number>();

  create(pages: number): number {
    this.sizes.push(pages);
    return this.sizes.length;
  }

  /** Whether page `offset` of object `shm` lies inside it (past its end an access is SIGBUS). */
  holds(shm: number, offset: number): boolean {
    return offset < this.sizes[shm - 1];
  }

  get(shm: number, offset: number): number {
    return this.contents.get(shm * 2 ** 32 + offset) ?? 0;
  }

  set(shm: number, offset: number, value: number): void {
    this.contents.set(shm * 2 ** 32 + offset, value);
  }
}

/**
 * Two VMAs the kernel keeps as one: adjacent anonymous memory, or adjacent
 * mappings of the test file alike shared or private, whose page offsets run
 * on and whose anon_vmas are compatible (the same, or at least one has none;
 * FINDINGS 33, 62). A ring (file or 3.11's written pages) never merges:
 * VM_DONTEXPAND is one of the flags that forbid it, and 3.11's pages have
 * their own anon_vma.
 */
function mergeable(a: Vma, b: Vma): boolean {
  if (a.kind !== b.kind || a.start + a.pages !== b.start || a.pgoff + a.pages !== b.pgoff || a.prot !== b.prot || !compatibleAnonVmas(a, b)) return false;
  if (a.kind === "file") return a.fileShared === b.fileShared;
  // A shared anonymous mapping merges only with its own object's pages (FINDINGS 59).
  return a.kind === "anon" && a.backing.bytes === null && b.backing.bytes === null && a.shm === b.shm;
}

/** anon_vmas that may end up in one VMA: the same one, or at least one side has none. */
function compatibleAnonVmas(a: Vma, b: Vma): boolean {
  return a.anon_vma === 0 || b.anon_vma === 0 || a.anon_vma === b.anon_vma;
}

export class AddressSpace {
  /** `file`: the test file, which file mappings map (a forked child's space shares it). */
  constructor(readonly file: TestFile) {}

  /** Sorted by start, non-overlapping. */
  vmas: Vma[] = [];
  /** The last anon_vma identity handed out. */
  private anon_vmas = 0;
  /**
   * What `fill` wrote into private memory, by page number: the byte every
   * byte of that page holds. An anonymous page not here reads as zero, a
   * private file page as the file (its copy on write is here once written). Pages belong to
   * the address, not to a VMA, so splits and merges leave them alone; munmap
   * drops them and a move (move_range) carries them along.
   */
  private contents = new Map<number, number>();
  /** The shmem objects of MAP_SHARED mappings, shared with forked children. */
  shmem = new ShmemObjects();

  clone(keep: (v: Vma) => boolean): AddressSpace {
    const mm = new AddressSpace(this.file);
    mm.vmas = this.vmas.filter(keep).map((v) => ({ ...v }));
    mm.anon_vmas = this.anon_vmas;
    // Only anonymous pages have contents, and a child keeps every anonymous VMA (fork's copy on write).
    mm.contents = new Map(this.contents);
    // Shared memory is one object for both: what either writes the other reads (FINDINGS 55).
    mm.shmem = this.shmem;
    return mm;
  }

  /** The page at `page` if it is anonymous memory or a file mapping (the pages `fill` and `peek` reach), else null. */
  private memoryAt(page: number): Vma | null {
    const v = this.find(page);
    return v && (v.kind === "file" || (v.kind === "anon" && v.backing.bytes === null)) ? v : null;
  }

  /**
   * Memory at `page` that an access needing `prot` (PROT_READ or
   * PROT_WRITE) reaches without a fault: null at a hole, a ring, a
   * protection without it (SIGSEGV; x86-64 reads PROT_WRITE alone, FINDINGS
   * 62), past a shared object's end or the file's last page (SIGBUS).
   */
  private reachable(page: number, prot: number): Vma | null {
    const v = this.memoryAt(page);
    if (!v || !permits(v, prot)) return null;
    if (v.kind === "file") return v.pgoff + page - v.start < this.file.pages ? v : null;
    return v.shm === 0 || this.shmem.holds(v.shm, v.pgoff + page - v.start) ? v : null;
  }

  /**
   * Writes `value` into every byte of `pages` pages from `page`, stopping
   * at the first that is not anonymous memory or a file mapping, or whose
   * write faults: returns the pages written. A write fault gives a private
   * VMA without one an anon_vma (FINDINGS 33); a shared page is written in
   * its object, a shared file page in the file.
   */
  fill(page: number, pages: number, value: number): number {
    let n = 0;
    for (; n < pages; n++) {
      const v = this.reachable(page + n, PROT_WRITE);
      if (!v) break;
      if (v.kind === "file" && v.fileShared) {
        this.file.runs.set((v.pgoff + page + n - v.start) * PAGE_SIZE, PAGE_SIZE, value);
        continue;
      }
      if (v.shm !== 0) {
        this.shmem.set(v.shm, v.pgoff + page + n - v.start, value);
        continue;
      }
      if (v.anon_vma === 0) v.anon_vma = ++this.anon_vmas;
      this.contents.set(page + n, value);
    }
    return n;
  }

  /**
   * The byte each of `pages` pages from `page` holds (-1 for a file page
   * whose bytes differ), up to the first that is not anonymous memory or a
   * file mapping, or would fault. A read fault allocates a private
   * anonymous page only without the zero page (`zeroPage` false): then a
   * VMA without an anon_vma gets one; a file page is the file's.
   */
  peek(page: number, pages: number, zeroPage: boolean): number[] {
    const out: number[] = [];
    for (let n = 0; n < pages; n++) {
      const v = this.reachable(page + n, PROT_READ);
      if (!v) break;
      if (!zeroPage && v.kind === "anon" && v.shm === 0 && v.anon_vma === 0) v.anon_vma = ++this.anon_vmas;
      out.push(this.contentOf(v, page + n));
    }
    return out;
  }

  /** The byte every byte of page `page` of `v` holds (0 for an anonymous page fill never wrote), -1 for a file page whose bytes differ. */
  private contentOf(v: Vma, page: number): number {
    if (v.shm !== 0) return this.shmem.get(v.shm, v.pgoff + page - v.start);
    const own = this.contents.get(page);
    if (own !== undefined || v.kind === "anon") return own ?? 0;
    return this.file.runs.uniform((v.pgoff + page - v.start) * PAGE_SIZE, PAGE_SIZE);
  }

  /**
   * ftruncate to `pages` pages unmaps every private file page past them,
   * copied on write or not (truncate_pagecache's even_cows): they read as
   * the file again if it grows (FINDINGS 62).
   */
  dropFileCopies(pages: number): void {
    for (const page of this.contents.keys()) {
      const v = this.find(page)!;
      if (v.kind === "file" && v.pgoff + page - v.start >= pages) this.contents.delete(page);
    }
  }

  /** Removes the contents of [start, start + pages) and returns them by page offset from `start` (move_range carries them). */
  takeContents(start: number, pages: number): [number, number][] {
    const out: [number, number][] = [];
    if (this.contents.size === 0) return out;
    for (const [page, value] of this.contents) if (page >= start && page < start + pages) out.push([page - start, value]);
    for (const [k] of out) this.contents.delete(start + k);
    return out;
  }

  /** Puts contents taken by takeContents back at `start`. */
  putContents(start: number, taken: [number, number][]): void {
    for (const [k, value] of taken) this.contents.set(start + k, value);
  }

  /**
   * A read of `bytes` bytes at `addr` on a kernel without the zero page:
   * each mapped page it touches, in order up to the first hole, is
   * allocated, so never-faulted anonymous memory gets a new anon_vma.
   */
  readFault(addr: number, bytes: number): void {
    for (let page = Math.floor(addr / PAGE_SIZE); page <= Math.floor((addr + bytes - 1) / PAGE_SIZE); page++) {
      const v = this.find(page);
      // An unreadable page (or a file page past the file) faults the read there (get_user: EFAULT) and allocates nothing; a file page is the file's.
      if (!v || !permits(v, PROT_READ) || (v.kind === "file" && !this.reachable(page, PROT_READ))) return;
      if (v.kind === "anon" && v.backing.bytes === null && v.shm === 0 && v.anon_vma === 0) v.anon_vma = ++this.anon_vmas;
    }
  }

  find(page: number): Vma | null {
    for (const v of this.vmas) {
      if (page < v.start) return null;
      if (page < v.start + v.pages) return v;
    }
    return null;
  }

  /** VMAs that intersect [start, start + pages), in address order. */
  intersecting(start: number, pages: number): Vma[] {
    const end = start + pages;
    return this.vmas.filter((v) => v.start < end && v.start + v.pages > start);
  }

  isFree(start: number, pages: number): boolean {
    return start >= MMAP_FLOOR_PAGE && start + pages <= MMAP_CEILING_PAGE && this.intersecting(start, pages).length === 0;
  }

  /** Highest free gap below the ceiling that fits `pages` (top-down), or -1. */
  unmappedArea(pages: number): number {
    let top = MMAP_CEILING_PAGE;
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const v = this.vmas[i];
      if (v.start + v.pages >= top) {
        top = Math.min(top, v.start);
        continue;
      }
      if (top - (v.start + v.pages) >= pages) return top - pages;
      top = v.start;
    }
    return top - MMAP_FLOOR_PAGE >= pages ? top - pages : -1;
  }

  /**
   * Highest start below the ceiling that is an odd multiple of `align` pages
   * with [start, start + pages) free, or -1: an mmap step's `align`, the
   * alignment bit set as mremap_test.c asks of its sources. The probe
   * searches its fence's gaps the same way, and its fence, like the
   * ceiling, is a multiple of 2 * MAX_ALIGN_PAGES pages.
   */
  alignedArea(pages: number, align: number): number {
    let top = MMAP_CEILING_PAGE;
    for (let i = this.vmas.length - 1; i >= -1; i--) {
      const bottom = i >= 0 ? this.vmas[i].start + this.vmas[i].pages : MMAP_FLOOR_PAGE;
      if (bottom < top && top - pages >= 0) {
        let m = Math.floor((top - pages) / align);
        if (m % 2 === 0) m--;
        const start = m * align;
        if (m > 0 && start >= bottom && start >= MMAP_FLOOR_PAGE) return start;
      }
      if (i >= 0) top = Math.min(top, this.vmas[i].start);
    }
    return -1;
  }

  /**
   * Puts `v` in place and merges it with neighbours it can merge with
   * (vma_merge). `source`: the VMA a MREMAP_DONTUNMAP piece was copied
   * from, which the piece does not merge with; with `sourceBlocks`, a piece
   * that could merge with it merges with nothing (FINDINGS 54).
   */
  insert(v: Vma, source: Vma | null = null, sourceBlocks = false): void {
    let i = 0;
    while (i < this.vmas.length && this.vmas[i].start < v.start) i++;
    this.vmas.splice(i, 0, v);
    this.mergeAround(i, source, sourceBlocks);
  }

  /** Grows `v` in place by `pages` and merges it with what then follows it. */
  grow(v: Vma, pages: number): void {
    v.pages += pages;
    this.mergeAround(this.vmas.indexOf(v));
  }

  /**
   * Merges the VMA at index i with its previous and next neighbours where
   * they can merge. When both can merge with it but their anon_vmas differ,
   * only the previous one takes it (the kernel tries the left side first).
   * `source` and `sourceBlocks`: as insert's.
   */
  private mergeAround(i: number, source: Vma | null = null, sourceBlocks = false): void {
    const v = this.vmas[i];
    const prev = this.vmas[i - 1];
    const next = this.vmas[i + 1];
    let left = prev !== undefined && mergeable(prev, v);
    let right = next !== undefined && mergeable(v, next);
    if (source !== null && ((left && prev === source) || (right && next === source))) {
      if (sourceBlocks) return;
      left &&= prev !== source;
      right &&= next !== source;
    }
    if (right && (!left || compatibleAnonVmas(prev, next))) {
      v.pages += next.pages;
      // The merged VMA keeps the anon_vma one of them had.
      v.anon_vma ||= next.anon_vma;
      this.vmas.splice(i + 1, 1);
    }
    if (left) {
      prev.pages += v.pages;
      prev.anon_vma ||= v.anon_vma;
      this.vmas.splice(i, 1);
    }
  }

  /** Removes every page in [start, start + pages), splitting VMAs at the edges. */
  unmap(start: number, pages: number): void {
    const end = start + pages;
    this.takeContents(start, pages);
    const out: Vma[] = [];
    for (const v of this.vmas) {
      const vEnd = v.start + v.pages;
      if (vEnd <= start || v.start >= end) {
        out.push(v);
        continue;
      }
      if (v.start < start) out.push({ ...v, pages: start - v.start });
      if (vEnd > end) out.push({ ...v, start: end, pages: vEnd - end, pgoff: v.pgoff + (end - v.start) });
    }
    this.vmas = out;
  }

  /**
   * A copy of [start, start + pages) of the VMA `v` that contains it, still
   * in place: move_vma places the copy before it unmaps the old range.
   */
  slice(v: Vma, start: number, pages: number): Vma {
    return { ...v, start, pages, pgoff: v.pgoff + (start - v.start) };
  }

  /**
   * Byte at `addr`: in the ring's `bytes` at `offset`, or (`bytes` null)
   * `fill`, the byte there in anonymous memory or a file mapping; null when
   * no VMA maps it, its backing does not reach it, or an access needing
   * `prot` faults.
   */
  locate(addr: number, prot = PROT_READ): { bytes: Uint8Array | null; offset: number; fill: number } | null {
    const page = Math.floor(addr / PAGE_SIZE);
    const v = this.find(page);
    if (!v || !permits(v, prot)) return null;
    const offset = (v.pgoff + page - v.start) * PAGE_SIZE + (addr % PAGE_SIZE);
    if (v.kind === "file") {
      if (!this.reachable(page, prot)) return null;
      const own = this.contents.get(page);
      return { bytes: null, offset, fill: own ?? this.file.runs.at(offset) };
    }
    const bytes = v.backing.bytes;
    if (bytes && offset >= bytes.length) return null;
    // A shared page past its object's end faults (SIGBUS; the kernel's own access: EFAULT).
    if (v.shm !== 0 && !this.shmem.holds(v.shm, v.pgoff + page - v.start)) return null;
    return { bytes, offset, fill: bytes ? 0 : this.contentOf(v, page) };
  }

  /**
   * Whether user space may store the `len` bytes at `addr` in a scenario:
   * null when ring pages hold them all; EFAULT when a page is unmapped or
   * past its ring; EINVAL for other memory (anonymous pages are `fill`'s, FINDINGS 52).
   */
  storeTarget(addr: number, len: number): "EFAULT" | "EINVAL" | null {
    const ends = [addr, addr + len - 1];
    const vmas = ends.map((a) => this.find(Math.floor(a / PAGE_SIZE)));
    if (vmas.some((v) => !v)) return "EFAULT";
    if (vmas.some((v) => v!.kind !== "aio")) return "EINVAL";
    return ends.some((a) => this.locate(a) === null) ? "EFAULT" : null;
  }

  /** Reads a little-endian u32 through the mappings; null on a fault. */
  readU32(addr: number): number | null {
    if (addr % PAGE_SIZE <= PAGE_SIZE - 4) {
      // Within one page: one mapping holds all four bytes.
      const at = this.locate(addr);
      if (!at) return null;
      const b = at.bytes;
      if (b) return (b[at.offset] | (b[at.offset + 1] << 8) | (b[at.offset + 2] << 16)) + b[at.offset + 3] * 2 ** 24;
      // A file page's bytes may differ: byte by byte below.
      if (this.find(Math.floor(addr / PAGE_SIZE))!.kind !== "file") return at.fill * 0x0101_0101;
    }
    let value = 0;
    for (let i = 3; i >= 0; i--) {
      const at = this.locate(addr + i);
      if (!at) return null;
      value = value * 256 + (at.bytes ? at.bytes[at.offset] : at.fill);
    }
    return value;
  }

  /** Reads a little-endian u64 (as a number: user data stays below 2^53). */
  readU64(addr: number): number | null {
    const lo = this.readU32(addr);
    const hi = this.readU32(addr + 4);
    return lo === null || hi === null ? null : hi * 2 ** 32 + lo;
  }

  /** Writes a u32 through the mappings; false on a fault (anonymous pages accept and forget). */
  writeU32(addr: number, value: number): boolean {
    const at: ({ bytes: Uint8Array | null; offset: number; fill: number } | null)[] = [];
    for (let i = 0; i < 4; i++) at.push(this.locate(addr + i, PROT_WRITE));
    if (at.some((a) => a === null)) return false;
    for (let i = 0; i < 4; i++) {
      const a = at[i]!;
      if (a.bytes) a.bytes[a.offset] = (value >>> (8 * i)) & 0xff;
    }
    return true;
  }
}
