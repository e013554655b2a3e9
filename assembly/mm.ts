// The process address space: VMAs, top-down placement, munmap and the page
// moves of mremap (docs/semantics.md "Objects" and "mremap"). Addresses are
// bytes, VMA bounds are page numbers, both i64. The aio parts (ring hook, ring
// checks) live in aio.ts; this file knows nothing about contexts. VMAs are
// changed in place where the model copies them: same state, and a whole-VMA
// move (the remap hot path) allocates nothing.
import { PROT_READ, PROT_RW, PROT_WRITE, TASK_SIZE } from "./abi/address-space";
import { KIND_AIO, KIND_ANON, KIND_FILE } from "./abi/codes";
import { AioRing } from "./ring";
import { TestFile } from "./test-file";

export const PAGE_SHIFT: i64 = 12;
export const PAGE_SIZE: i64 = 1 << PAGE_SHIFT;
/** Top-down placement starts below this page (like TASK_SIZE minus a stack gap). */
export const MMAP_CEILING_PAGE: i64 = 0x7f00_0000_0000 >> PAGE_SHIFT;
/** Lowest page a mapping may use (mmap_min_addr). */
export const MMAP_FLOOR_PAGE: i64 = 0x10000 >> PAGE_SHIFT;
/** First page above user space. */
export const TASK_SIZE_PAGE: i64 = <i64>TASK_SIZE >> PAGE_SHIFT;

/** What `page` reports; also the VMA kinds. */
export { KIND_AIO, KIND_ANON, KIND_FILE, KIND_NONE } from "./abi/codes";

export class Vma {
  constructor(
    public start: i64,
    public pages: i64,
    /** KIND_AIO (a ring mapping), KIND_ANON or KIND_FILE (a mapping of the test file). */
    public kind: i32,
    /** The ring file (or 3.11's ring pages) it maps; null: zero-filled anonymous memory. */
    public ring: AioRing | null,
    /** Page offset of `start` within the ring or the test file; for anonymous memory the page number where it was first mapped (vm_pgoff). */
    public pgoff: i64,
    public dontexpand: bool,
    /** Identity of its anon_vma, 0 for none (model: mm.ts Vma.anon_vma; FINDINGS 33). */
    public anonVma: i32,
    /** The shmem object of a MAP_SHARED anonymous mapping (ShmemObjects), 0 for any other VMA. */
    public shm: i32 = 0,
    /** PROT_READ | PROT_WRITE bits. */
    public prot: i32 = PROT_RW,
    /** A file mapping: MAP_SHARED rather than private (model: mm.ts Vma.fileShared). */
    public fileShared: bool = false,
  ) {}

  @inline get end(): i64 {
    return this.start + this.pages;
  }
}

/** Adjacent anonymous VMAs, or file mappings alike shared or private, whose page offsets run on and whose anon_vmas are compatible are one VMA to the kernel (model: mm.ts `mergeable`). */
@inline function mergeable(a: Vma, b: Vma): bool {
  if (a.kind != b.kind || a.end != b.start || a.pgoff + a.pages != b.pgoff || a.prot != b.prot || !compatibleAnonVmas(a, b)) return false;
  if (a.kind == KIND_FILE) return a.fileShared == b.fileShared;
  // A shared anonymous mapping merges only with its own object's pages (model: mm.ts mergeable).
  return a.kind == KIND_ANON && a.ring == null && b.ring == null && a.shm == b.shm;
}

/** anon_vmas that may end up in one VMA: the same one, or at least one side has none (model: mm.ts). */
@inline function compatibleAnonVmas(a: Vma, b: Vma): bool {
  return a.anonVma == 0 || b.anonVma == 0 || a.anonVma == b.anonVma;
}

// Anonymous pages read as zero (or as what fill wrote, uniformPage) and forget
// writes: reads come from a page that stays zero, writes go to one nobody reads.
const ZERO_PAGE: usize = memory.data(<i32>PAGE_SIZE, 16);
const SINK_PAGE: usize = memory.data(<i32>PAGE_SIZE, 16);
// A file page's bytes for one read, copied out of the file's runs: never held by the TLB.
const FILE_PAGE: usize = memory.data(<i32>PAGE_SIZE, 16);
// Pages `fill` wrote hold one byte throughout: every page holding byte b is
// read from the one page UNIFORM + b * PAGE_SIZE, made on first use (a scenario
// without fill allocates none). Writes never go there (writeU32 sends
// anonymous memory to SINK_PAGE), so they stay uniform.
let UNIFORM: usize = 0;
// Held so that the collector keeps the pages UNIFORM points into.
let UNIFORM_PAGES: ArrayBuffer | null = null;
const UNIFORM_MADE = new StaticArray<bool>(256);

/** The page every byte of which is `b`. */
/** Whether `v`'s protection allows an access needing `prot` (PROT_READ or PROT_WRITE): x86-64 reads PROT_WRITE alone (model: mm.ts permits). */
function permits(v: Vma, prot: i32): bool {
  return (v.prot & (prot == PROT_READ ? PROT_RW : prot)) != 0;
}

function uniformPage(b: u8): usize {
  if (UNIFORM == 0) {
    const pages = new ArrayBuffer(256 * <i32>PAGE_SIZE);
    UNIFORM_PAGES = pages;
    UNIFORM = changetype<usize>(pages);
  }
  const p = UNIFORM + (<usize>b << <usize>PAGE_SHIFT);
  if (!unchecked(UNIFORM_MADE[b])) {
    memory.fill(p, b, <usize>PAGE_SIZE);
    unchecked((UNIFORM_MADE[b] = true));
  }
  return p;
}

/** Whether `p` is the bytes of a page `fill` wrote (read-only: see uniformPage). */
@inline function isUniform(p: usize): bool {
  return UNIFORM != 0 && p - UNIFORM < 256 * <usize>PAGE_SIZE;
}

/**
 * The shmem objects behind MAP_SHARED anonymous mappings, one per mmap, as
 * large as it; what fill wrote there by (object, page offset), shared with
 * forked children (model: mm.ts ShmemObjects).
 */
export class ShmemObjects {
  /** Pages of object k at index k - 1. */
  sizes: Array<i64> = new Array<i64>();
  private contents: Map<i64, u8> = new Map<i64, u8>();

  create(pages: i64): i32 {
    this.sizes.push(pages);
    return this.sizes.length;
  }

  /** Whether page `offset` of object `shm` lies inside it (past its end an access is SIGBUS). */
  @inline holds(shm: i32, offset: i64): bool {
    return offset < unchecked(this.sizes[shm - 1]);
  }

  has(shm: i32, offset: i64): bool {
    return this.contents.has((<i64>shm << 32) | offset);
  }

  get(shm: i32, offset: i64): u8 {
    const key = (<i64>shm << 32) | offset;
    return this.contents.has(key) ? this.contents.get(key) : 0;
  }

  set(shm: i32, offset: i64, value: u8): void {
    this.contents.set((<i64>shm << 32) | offset, value);
  }
}

/** Slots of the translation cache: a power of two, more than a ring's pages in the benchmarks. */
const TLB_SLOTS: i32 = 32;
// The translation cache, as a TLB: per 16-byte slot (page mod TLB_SLOTS) the
// page it holds and where that page's bytes are for a read (faults are not
// held). One static area at a fixed address, so a hit is not behind loads of
// the address space. It holds the running process's translations only:
// every change of that map and every switch of process
// (AddressSpace.flushTlb) empties it, one vector store a slot, so a hit is
// one compare of the page, no generation.
const TLB: usize = memory.data(TLB_SLOTS * 16, 16);
/** A page no address has (addr >> PAGE_SHIFT is at least -2^51): an empty slot. */
const TLB_EMPTY: i64 = i64.MIN_VALUE;

/**
 * Where the u32 at `addr` is, from the TLB alone (it holds the running
 * process's translations only): 0 when that needs a translation, or
 * faults, or straddles two pages. It calls nothing, so a batch loop's fast
 * path can ask it and fall back to AddressSpace.readU32.
 */
@inline export function tlbBytes(addr: i64): usize {
  const off = addr & (PAGE_SIZE - 1);
  if (off > PAGE_SIZE - 4) return 0;
  const page = addr >> PAGE_SHIFT;
  const entry = TLB + ((<usize>page & (TLB_SLOTS - 1)) << 4);
  if (load<i64>(entry) != page) return 0;
  return <usize>load<i64>(entry, 8) + <usize>off;
}

export class AddressSpace {
  /** Sorted by start, non-overlapping (so sorted by end too). */
  vmas: Array<Vma> = new Array<Vma>();
  // The hot paths read a ring's header and event pages through the TLB on
  // every call; a new address space belongs to a new process. `file`: the
  // test file, which file mappings map (a forked child's space shares it).
  constructor(readonly file: TestFile) {
    this.flushTlb();
  }
  /** The last anon_vma identity handed out. */
  private anonVmas: i32 = 0;
  /** What `fill` wrote into private memory, by page number: the byte the whole page holds; other anonymous pages read as zero, private file pages as the file (model: mm.ts contents). */
  private contents: Map<i64, u8> = new Map<i64, u8>();
  /** The shmem objects of MAP_SHARED mappings, shared with forked children. */
  shmem: ShmemObjects = new ShmemObjects();

  /** Forgets every cached translation: after any change of the VMAs or of what they map, and when another process runs. */
  @inline flushTlb(): void {
    const empty = i64x2.replace_lane(i64x2.splat(TLB_EMPTY), 1, 0);
    for (let at = TLB, end = TLB + TLB_SLOTS * 16; at < end; at += 16) v128.store(at, empty);
  }

  /** A copy for a forked child; ring VMAs only when `keepRings`. */
  clone(keepRings: bool): AddressSpace {
    const mm = new AddressSpace(this.file);
    for (let i = 0, n = this.vmas.length; i < n; i++) {
      const v = unchecked(this.vmas[i]);
      if (keepRings || v.kind != KIND_AIO) mm.vmas.push(new Vma(v.start, v.pages, v.kind, v.ring, v.pgoff, v.dontexpand, v.anonVma, v.shm, v.prot, v.fileShared));
    }
    mm.anonVmas = this.anonVmas;
    // Shared memory is one object for both: what either writes the other reads.
    mm.shmem = this.shmem;
    // Only anonymous pages have contents, and a child keeps every anonymous VMA.
    const pages = this.contents.keys();
    for (let i = 0, n = pages.length; i < n; i++) {
      const page = unchecked(pages[i]);
      mm.contents.set(page, this.contents.get(page));
    }
    return mm;
  }

  /** The VMA holding `page` if it is anonymous memory or a file mapping (what fill and peek reach), else null. */
  private memoryAt(page: i64): Vma | null {
    const v = this.find(page);
    return v != null && (v.kind == KIND_FILE || (v.kind == KIND_ANON && v.ring == null)) ? v : null;
  }

  /** Memory at `page` an access needing `prot` reaches without a fault: PROT_WRITE alone reads; not past a shared object's end or the file's last page (model: mm.ts reachable). */
  private reachable(page: i64, prot: i32): Vma | null {
    const v = this.memoryAt(page);
    if (!v || !permits(v, prot)) return null;
    if (v.kind == KIND_FILE) return v.pgoff + page - v.start < this.file.pages ? v : null;
    return v.shm == 0 || this.shmem.holds(v.shm, v.pgoff + page - v.start) ? v : null;
  }

  /** `value` into every byte of `pages` pages from `page`, up to the first that is not anonymous memory or faults: the pages written (model: mm.ts fill). */
  fill(page: i64, pages: i64, value: u8): i64 {
    this.flushTlb();
    let n: i64 = 0;
    for (; n < pages; n++) {
      const v = this.reachable(page + n, PROT_WRITE);
      if (!v) break;
      if (v.kind == KIND_FILE && v.fileShared) {
        this.file.runs.set((v.pgoff + page + n - v.start) << PAGE_SHIFT, PAGE_SIZE, value);
        continue;
      }
      if (v.shm != 0) {
        this.shmem.set(v.shm, v.pgoff + page + n - v.start, value);
        continue;
      }
      if (v.anonVma == 0) v.anonVma = ++this.anonVmas;
      this.contents.set(page + n, value);
    }
    return n;
  }

  /** The byte each of `pages` pages from `page` holds (-1: a file page whose bytes differ), as i32 into `out`, up to the first that is not anonymous memory or a file mapping, or faults: how many (model: mm.ts peek). */
  peek(page: i64, pages: i64, zeroPage: bool, out: usize): i32 {
    let n = 0;
    for (; n < pages; n++) {
      const v = this.reachable(page + n, PROT_READ);
      if (!v) break;
      if (!zeroPage && v.kind == KIND_ANON && v.shm == 0 && v.anonVma == 0) v.anonVma = ++this.anonVmas;
      store<i32>(out + (<usize>n << 2), this.contentOf(v, page + n));
    }
    return n;
  }

  /** The byte every byte of page `page` of `v` holds, -1 for a file page whose bytes differ (model: mm.ts contentOf). */
  private contentOf(v: Vma, page: i64): i32 {
    if (v.shm != 0) return this.shmem.get(v.shm, v.pgoff + page - v.start);
    if (this.contents.has(page)) return this.contents.get(page);
    return v.kind == KIND_FILE ? this.file.runs.uniform((v.pgoff + page - v.start) << PAGE_SHIFT, PAGE_SIZE) : 0;
  }

  /** ftruncate to `pages` pages unmaps every private file page past them, copied on write or not (model: mm.ts dropFileCopies). */
  dropFileCopies(pages: i64): void {
    this.flushTlb();
    const keys = this.contents.keys();
    for (let i = 0, n = keys.length; i < n; i++) {
      const page = unchecked(keys[i]);
      const v = this.find(page)!;
      if (v.kind == KIND_FILE && v.pgoff + page - v.start >= pages) this.contents.delete(page);
    }
  }

  /** Removes the contents of [start, start + pages): each as (page - start) << 8 | byte, for move_range to carry. */
  takeContents(start: i64, pages: i64): Array<i64> {
    const out = new Array<i64>();
    if (this.contents.size == 0) return out;
    const keys = this.contents.keys();
    for (let i = 0, n = keys.length; i < n; i++) {
      const page = unchecked(keys[i]);
      if (page >= start && page < start + pages) {
        out.push(((page - start) << 8) | <i64>this.contents.get(page));
        this.contents.delete(page);
      }
    }
    return out;
  }

  /** Puts contents taken by takeContents back at `start`. */
  putContents(start: i64, taken: Array<i64>): void {
    if (taken.length == 0) return;
    this.flushTlb();
    for (let i = 0, n = taken.length; i < n; i++) {
      const t = unchecked(taken[i]);
      this.contents.set(start + (t >> 8), <u8>(t & 0xff));
    }
  }

  /** A read of `bytes` bytes at `addr` without the zero page: each mapped page up to the first hole is allocated (model: mm.ts readFault). */
  readFault(addr: i64, bytes: i64): void {
    for (let page = addr >> PAGE_SHIFT, last = (addr + bytes - 1) >> PAGE_SHIFT; page <= last; page++) {
      const v = this.find(page);
      // An unreadable page faults the read there and allocates nothing.
      if (!v || !permits(v, PROT_READ) || (v.kind == KIND_FILE && !this.reachable(page, PROT_READ))) return;
      if (v.kind == KIND_ANON && v.ring == null && v.shm == 0 && v.anonVma == 0) v.anonVma = ++this.anonVmas;
    }
  }

  /** Index of the first VMA ending after `page`: the one holding it, else the next one up. */
  private firstEndingAfter(page: i64): i32 {
    const vmas = this.vmas;
    let lo = 0;
    let hi = vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (unchecked(vmas[mid]).end <= page) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(page: i64): Vma | null {
    const i = this.firstEndingAfter(page);
    if (i >= this.vmas.length) return null;
    const v = unchecked(this.vmas[i]);
    return v.start <= page ? v : null;
  }

  /** VMAs that intersect [start, start + pages), in address order. */
  intersecting(start: i64, pages: i64): Array<Vma> {
    const out = new Array<Vma>();
    const end = start + pages;
    for (let i = this.firstEndingAfter(start), n = this.vmas.length; i < n; i++) {
      const v = unchecked(this.vmas[i]);
      if (v.start >= end) break;
      out.push(v);
    }
    return out;
  }

  isFree(start: i64, pages: i64): bool {
    if (start < MMAP_FLOOR_PAGE || start + pages > MMAP_CEILING_PAGE) return false;
    const i = this.firstEndingAfter(start);
    return i >= this.vmas.length || unchecked(this.vmas[i]).start >= start + pages;
  }

  /** Highest free gap below the ceiling that fits `pages` (top-down), or -1. */
  unmappedArea(pages: i64): i64 {
    let top = MMAP_CEILING_PAGE;
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const v = unchecked(this.vmas[i]);
      const vEnd = v.end;
      if (vEnd >= top) {
        top = min(top, v.start);
        continue;
      }
      if (top - vEnd >= pages) return top - pages;
      top = v.start;
    }
    return top - MMAP_FLOOR_PAGE >= pages ? top - pages : -1;
  }

  /** Highest start below the ceiling that is an odd multiple of `align` pages with [start, start + pages) free, or -1 (src/model/mm.ts alignedArea). */
  alignedArea(pages: i64, align: i64): i64 {
    let top = MMAP_CEILING_PAGE;
    for (let i = this.vmas.length - 1; i >= -1; i--) {
      const bottom = i >= 0 ? unchecked(this.vmas[i]).end : MMAP_FLOOR_PAGE;
      if (bottom < top && top - pages >= 0) {
        let m = (top - pages) / align;
        if ((m & 1) == 0) m--;
        const start = m * align;
        if (m > 0 && start >= bottom && start >= MMAP_FLOOR_PAGE) return start;
      }
      if (i >= 0) top = min(top, unchecked(this.vmas[i]).start);
    }
    return -1;
  }

  /**
   * Puts `v` in place and merges it with neighbours it can merge with. `source`: a MREMAP_DONTUNMAP
   * piece's own VMA, kept apart; with `sourceBlocks` the piece then merges with nothing (model: mm.ts insert).
   */
  insert(v: Vma, source: Vma | null = null, sourceBlocks: bool = false): void {
    const vmas = this.vmas;
    let lo = 0;
    let hi = vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (unchecked(vmas[mid]).start < v.start) lo = mid + 1;
      else hi = mid;
    }
    this.flushTlb();
    this.insertAt(lo, v);
    this.mergeAround(lo, source, sourceBlocks);
  }

  /** Grows `v` in place by `pages` and merges it with what then follows it. */
  grow(v: Vma, pages: i64): void {
    this.flushTlb();
    v.pages += pages;
    this.mergeAround(this.firstEndingAfter(v.start));
  }

  /** Merges the VMA at index i with its previous and next neighbours where they can merge; the previous one first (model: mm.ts mergeAround). */
  private mergeAround(i: i32, source: Vma | null = null, sourceBlocks: bool = false): void {
    const vmas = this.vmas;
    const v = unchecked(vmas[i]);
    const prev: Vma | null = i > 0 ? unchecked(vmas[i - 1]) : null;
    const next: Vma | null = i + 1 < vmas.length ? unchecked(vmas[i + 1]) : null;
    let left = prev != null && mergeable(prev, v);
    let right = next != null && mergeable(v, next);
    if (source != null && ((left && prev == source) || (right && next == source))) {
      if (sourceBlocks) return;
      left = left && prev != source;
      right = right && next != source;
    }
    if (right && (!left || compatibleAnonVmas(prev!, next!))) {
      v.pages += next!.pages;
      // The merged VMA keeps the anon_vma one of them had.
      if (v.anonVma == 0) v.anonVma = next!.anonVma;
      this.removeAt(i + 1);
    }
    if (left) {
      prev!.pages += v.pages;
      if (prev!.anonVma == 0) prev!.anonVma = v.anonVma;
      this.removeAt(i);
    }
  }

  private removeAt(i: i32): void {
    const vmas = this.vmas;
    const n = vmas.length;
    const at = vmas.dataStart + (<usize>i << alignof<Vma>());
    memory.copy(at, at + sizeof<Vma>(), <usize>(n - i - 1) << alignof<Vma>());
    vmas.length = n - 1;
  }

  private insertAt(i: i32, v: Vma): void {
    const vmas = this.vmas;
    const n = vmas.length;
    vmas.push(v);
    // Shifting within one array adds no reference, so a plain copy needs no GC barrier.
    const at = vmas.dataStart + (<usize>i << alignof<Vma>());
    memory.copy(at + sizeof<Vma>(), at, <usize>(n - i) << alignof<Vma>());
    unchecked((vmas[i] = v));
  }

  /** Removes every page in [start, start + pages), splitting VMAs at the edges. */
  unmap(start: i64, pages: i64): void {
    this.flushTlb();
    this.takeContents(start, pages);
    const vmas = this.vmas;
    const n = vmas.length;
    const end = start + pages;
    let i = this.firstEndingAfter(start);
    if (i >= n) return;
    const first = unchecked(vmas[i]);
    if (first.start >= end) return;
    const firstEnd = first.end;
    if (first.start < start && firstEnd > end) {
      // A hole inside one VMA: it keeps the head, a new VMA takes the tail.
      this.insertAt(i + 1, new Vma(end, firstEnd - end, first.kind, first.ring, first.pgoff + (end - first.start), first.dontexpand, first.anonVma, first.shm, first.prot, first.fileShared));
      first.pages = start - first.start;
      return;
    }
    if (first.start < start) {
      first.pages = start - first.start;
      i++;
    }
    let j = i;
    while (j < n && unchecked(vmas[j]).end <= end) j++;
    if (j < n) {
      const last = unchecked(vmas[j]);
      if (last.start < end) {
        const lastEnd = last.end;
        last.pgoff += end - last.start;
        last.start = end;
        last.pages = lastEnd - end;
      }
    }
    if (j > i) {
      const data = vmas.dataStart;
      memory.copy(data + (<usize>i << alignof<Vma>()), data + (<usize>j << alignof<Vma>()), <usize>(n - j) << alignof<Vma>());
      vmas.length = n - (j - i);
    }
  }

  /**
   * The piece [start, start + pages) of the VMA `v` that contains it, for
   * move_vma to place: `v` itself, taken out, when the whole VMA moves;
   * otherwise a copy, with `v` still whole (the caller unmaps the old range
   * once the piece is placed).
   */
  takePiece(v: Vma, start: i64, pages: i64): Vma {
    if (start == v.start && pages == v.pages) {
      this.unmap(start, pages);
      return v;
    }
    return this.copyPiece(v, start, pages);
  }

  /** A copy of the piece [start, start + pages) of `v`, with `v` left in place. */
  copyPiece(v: Vma, start: i64, pages: i64): Vma {
    return new Vma(start, pages, v.kind, v.ring, v.pgoff + (start - v.start), v.dontexpand, v.anonVma, v.shm, v.prot, v.fileShared);
  }

  /**
   * Where the bytes of `page` are in linear memory: the ring's bytes, `anon`
   * for anonymous memory, or 0 (a fault) when nothing maps the page or the
   * ring does not reach it (a ring VMA grown past its file).
   */
  @inline private pagePtr(page: i64, anon: usize): usize {
    const v = this.find(page);
    if (!v) return 0;
    const ring = v.ring;
    if (!ring) {
      if (v.shm != 0 || v.prot != PROT_RW || v.kind == KIND_FILE) return this.otherAnonPtr(v, page, anon);
      return anon == ZERO_PAGE && this.contents.has(page) ? uniformPage(this.contents.get(page)) : anon;
    }
    const index = v.pgoff + page - v.start;
    return index < ring.pages ? ring.base + <usize>(index << PAGE_SHIFT) : 0;
  }

  /**
   * pagePtr for shared or not read-write anonymous memory, or a file
   * mapping: 0 when the access (a read for ZERO_PAGE, a write for
   * SINK_PAGE) faults, its protection forbidding it (PROT_WRITE alone
   * reads) or the page lying past its object's end or the file's last page.
   * A file page not copied on write is read from FILE_PAGE.
   */
  private otherAnonPtr(v: Vma, page: i64, anon: usize): usize {
    if (!this.reachable(page, anon == ZERO_PAGE ? PROT_READ : PROT_WRITE)) return 0;
    if (v.kind == KIND_FILE && anon == ZERO_PAGE && !this.contents.has(page)) {
      this.file.runs.copyOut((v.pgoff + page - v.start) << PAGE_SHIFT, PAGE_SIZE, FILE_PAGE);
      return FILE_PAGE;
    }
    if (v.shm == 0) return anon == ZERO_PAGE && this.contents.has(page) ? uniformPage(this.contents.get(page)) : anon;
    const offset = v.pgoff + page - v.start;
    return anon == ZERO_PAGE && this.shmem.has(v.shm, offset) ? uniformPage(this.shmem.get(v.shm, offset)) : anon;
  }

  /** Where the bytes of `page` are for a read (ZERO_PAGE for anonymous memory), or 0 on a fault: from the TLB when it holds the page. */
  @inline pageForRead(page: i64): usize {
    const entry = TLB + ((<usize>page & (TLB_SLOTS - 1)) << 4);
    if (load<i64>(entry) == page) return <usize>load<i64>(entry, 8);
    return this.translate(page, entry);
  }

  private translate(page: i64, entry: usize): usize {
    const p = this.pagePtr(page, ZERO_PAGE);
    // A fault is not cached: a page the TLB holds has bytes (tlbBytes relies on it). Nor is a file page's copy.
    store<i64>(entry, p && p != FILE_PAGE ? page : TLB_EMPTY);
    store<i64>(entry, <i64>p, 8);
    return p;
  }

  pageForWrite(page: i64): usize {
    return this.pagePtr(page, SINK_PAGE);
  }

  /** Reads a little-endian u32 through the mappings; -1 on a fault. */
  @inline readU32(addr: i64): i64 {
    const p = tlbBytes(addr);
    return p ? <i64>load<u32>(p) : this.readU32Translated(addr);
  }

  private readU32Translated(addr: i64): i64 {
    const off = addr & (PAGE_SIZE - 1);
    if (off > PAGE_SIZE - 4) return this.readU32Straddling(addr);
    const p = this.pageForRead(addr >> PAGE_SHIFT);
    return p ? <i64>load<u32>(p + <usize>off) : -1;
  }

  /** A u32 that straddles two pages: byte by byte, each through its own mapping. */
  private readU32Straddling(addr: i64): i64 {
    let value: i64 = 0;
    for (let i = 3; i >= 0; i--) {
      const at = addr + i;
      const p = this.pageForRead(at >> PAGE_SHIFT);
      if (!p) return -1;
      value = (value << 8) | <i64>load<u8>(p + <usize>(at & (PAGE_SIZE - 1)));
    }
    return value;
  }

  /** Writes a u32 through the mappings; false on a fault, and then nothing is written. */
  @inline writeU32(addr: i64, value: u32): bool {
    const off = addr & (PAGE_SIZE - 1);
    // A page the TLB holds as a ring page reads and writes the same bytes.
    const p = off <= PAGE_SIZE - 4 ? this.pageForRead(addr >> PAGE_SHIFT) : 0;
    if (p != 0 && p != ZERO_PAGE && !isUniform(p)) {
      store<u32>(p + <usize>off, value);
      return true;
    }
    return this.writeU32Translated(addr, value);
  }

  private writeU32Translated(addr: i64, value: u32): bool {
    const off = addr & (PAGE_SIZE - 1);
    if (off <= PAGE_SIZE - 4) {
      const p = this.pageForWrite(addr >> PAGE_SHIFT);
      if (!p) return false;
      store<u32>(p + <usize>off, value);
      return true;
    }
    const lo = this.pageForWrite(addr >> PAGE_SHIFT);
    const hi = this.pageForWrite((addr + 3) >> PAGE_SHIFT);
    if (!lo || !hi) return false;
    for (let i: i64 = 0; i < 4; i++) {
      const at = addr + i;
      const p = at >> PAGE_SHIFT == addr >> PAGE_SHIFT ? lo : hi;
      store<u8>(p + <usize>(at & (PAGE_SIZE - 1)), <u8>(value >>> (<u32>i * 8)));
    }
    return true;
  }
}
