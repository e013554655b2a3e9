/**
 * The world every lookup strategy works over (TS twin of
 * assembly/lookup/context-set.ts): live kioctx objects, the mm's
 * ioctx_table, the ring mappings with their headers, and the ring files.
 * It holds no lookup index: strategies own those and are told about every
 * change (see LookupOps). Context handles, slots, addresses and file ids are
 * handed out by the same deterministic rules as the WASM twin.
 */
import { LowestFree } from "./lowest-free.js";
import { Prng } from "../util/prng.js";
import { pickByDist } from "./prng.js";

import { ADDR_SLOTS, CEILING, FILE_CAP, MAX_BATCH, MAX_CTX, ONE_PAGE_RING_SLOTS, PAGE } from "../../assembly/abi/lookup-world.js";
import { AIO_RING_HEADER, RING_ID, RING_TAIL } from "../../assembly/abi/ring.js";
import { writeRingHeader } from "../contract/ring-header.js";

export { ADDR_SLOTS, CEILING, FILE_CAP, MAX_BATCH, MAX_CTX, ONE_PAGE_RING_SLOTS, PAGE } from "../../assembly/abi/lookup-world.js";
export const FLOOR = CEILING - ADDR_SLOTS * PAGE;

/**
 * struct aio_ring header as u32 words: the ABI's byte offsets over 4. The
 * header is written little-endian (writeRingHeader) and read back as
 * host-order words, the same on the little-endian hosts this runs on.
 */
export const HEADER_WORDS = AIO_RING_HEADER / 4;
const W_ID = RING_ID / 4;
export const W_TAIL = RING_TAIL / 4;

export function addrOfSlot(k: number): number {
  return CEILING - (k + 1) * PAGE;
}

/** The address slot a ring starting at addr occupies, or -1 if no slot starts there. */
export function slotOfAddr(addr: number): number {
  if (addr % PAGE !== 0 || addr >= CEILING || addr < FLOOR) return -1;
  return (CEILING - addr) / PAGE - 1;
}

export class ContextSet {
  // struct kioctx fields, indexed by context handle.
  /** ctx->id: the ioctx_table slot. */
  readonly id = new Int32Array(MAX_CTX);
  /** ctx->user_id: the ring address user space passes as ctx_id. */
  readonly userId = new Float64Array(MAX_CTX);
  readonly mmapBase = new Float64Array(MAX_CTX);
  /** ctx->aio_ring_file. */
  readonly ringFile = new Int32Array(MAX_CTX);

  // mm->ioctx_table: nr slots, grows x4 from 4, never shrinks.
  tableNr = 0;
  readonly table = new Int32Array(MAX_CTX);
  private readonly freeSlots = new LowestFree(MAX_CTX);

  // Address space: address slot k holds at most one ring page mapping.
  readonly mapped = new LowestFree(ADDR_SLOTS);
  /** vma->vm_file of the mapping at each address slot. */
  readonly vmaFile = new Int32Array(ADDR_SLOTS);
  /** The ring header bytes at the start of each mapping. */
  readonly headers = new Uint32Array(ADDR_SLOTS * HEADER_WORDS);
  private readonly headerBytes = new DataView(this.headers.buffer);

  /** Files handed out since reset; ids below this are (or were) ring files. */
  fileHwm = 0;
  private readonly freedFiles = new Int32Array(FILE_CAP);
  private freedHead = 0;
  private freedLen = 0;

  // Contexts in creation order (oldest first), for the age-based distributions.
  ageOldest = -1;
  private ageNewest = -1;
  readonly ageNewer = new Int32Array(MAX_CTX);
  private readonly ageOlder = new Int32Array(MAX_CTX);

  // Dense array of live handles: O(1) uniform picks for churn.
  readonly live = new Int32Array(MAX_CTX);
  liveCount = 0;
  private readonly liveIdx = new Int32Array(MAX_CTX);

  // kioctx allocator: fresh handles first, then the most recently freed.
  private ctxHwm = 0;
  private readonly freeCtx = new Int32Array(MAX_CTX);
  private freeCtxLen = 0;

  /** Deterministic cost counters, charged by the strategy answering each question. */
  visitedId = 0;
  visitedFile = 0;

  /** Scratch for stream generation. */
  private readonly ageOrder = new Int32Array(MAX_CTX);
  private readonly picks = new Int32Array(MAX_BATCH);
  private readonly cdf = new Float64Array(MAX_CTX);

  /** Back to a fresh mm: no contexts, no table, nothing mapped, counters zero. */
  reset(): void {
    this.tableNr = 0; // growth refills slots with -1 as they come back
    this.freeSlots.reset();
    this.mapped.reset();
    this.fileHwm = 0;
    this.freedHead = 0;
    this.freedLen = 0;
    this.ageOldest = -1;
    this.ageNewest = -1;
    this.liveCount = 0;
    this.ctxHwm = 0;
    this.freeCtxLen = 0;
    this.visitedId = 0;
    this.visitedFile = 0;
  }

  /**
   * The index-free part of io_setup: map a ring at the highest free address,
   * take the lowest free table slot (growing the table x4 when none is free),
   * write the ring header. Returns the new handle, or -1 at MAX_CTX (EAGAIN).
   */
  create(): number {
    if (this.liveCount === MAX_CTX) return -1;
    const c = this.freeCtxLen > 0 ? this.freeCtx[--this.freeCtxLen] : this.ctxHwm++;
    const file = this.allocFile();

    const k = this.mapped.lowest();
    this.mapped.set(k);
    this.vmaFile[k] = file;
    const slot = this.freeSlots.lowest();
    if (slot >= this.tableNr) {
      const nr = this.tableNr === 0 ? 4 : this.tableNr * 4;
      this.table.fill(-1, this.tableNr, nr);
      this.tableNr = nr;
    }
    this.freeSlots.set(slot);
    this.table[slot] = c;

    writeRingHeader(this.headerBytes, k * AIO_RING_HEADER, slot, ONE_PAGE_RING_SLOTS);

    const addr = addrOfSlot(k);
    this.id[c] = slot;
    this.userId[c] = addr;
    this.mmapBase[c] = addr;
    this.ringFile[c] = file;

    this.ageNewer[c] = -1;
    this.ageOlder[c] = this.ageNewest;
    if (this.ageNewest >= 0) this.ageNewer[this.ageNewest] = c;
    else this.ageOldest = c;
    this.ageNewest = c;

    this.liveIdx[c] = this.liveCount;
    this.live[this.liveCount++] = c;
    return c;
  }

  /** The index-free part of io_destroy: free the slot, unmap the ring, drop the file. */
  destroy(c: number): void {
    this.table[this.id[c]] = -1;
    this.freeSlots.clear(this.id[c]);
    const k = slotOfAddr(this.mmapBase[c]);
    if (k >= 0) this.mapped.clear(k);
    this.freedFiles[(this.freedHead + this.freedLen++) % FILE_CAP] = this.ringFile[c];

    const older = this.ageOlder[c];
    const newer = this.ageNewer[c];
    if (older >= 0) this.ageNewer[older] = newer;
    else this.ageOldest = newer;
    if (newer >= 0) this.ageOlder[newer] = older;
    else this.ageNewest = older;

    const last = this.live[--this.liveCount];
    this.live[this.liveIdx[c]] = last;
    this.liveIdx[last] = this.liveIdx[c];

    this.freeCtx[this.freeCtxLen++] = c;
  }

  private allocFile(): number {
    if (this.fileHwm < FILE_CAP) return this.fileHwm++;
    const f = this.freedFiles[this.freedHead];
    this.freedHead = (this.freedHead + 1) % FILE_CAP;
    this.freedLen--;
    return f;
  }

  /** get_user(id, &ring->id) at addr: the slot id, or -1 when nothing is mapped there (fault). */
  readHeaderId(addr: number): number {
    const k = slotOfAddr(addr);
    if (k < 0 || !this.mapped.has(k)) return -1;
    return this.headers[k * HEADER_WORDS + W_ID];
  }

  /** mremap's page move: the mapping (file and ring bytes) at slot `from` now lives at `to`. */
  moveVma(from: number, to: number): void {
    this.mapped.set(to);
    this.vmaFile[to] = this.vmaFile[from];
    // A plain loop: copyWithin's per-call overhead dwarfs 8 words.
    for (let i = 0; i < HEADER_WORDS; i++) this.headers[to * HEADER_WORDS + i] = this.headers[from * HEADER_WORDS + i];
    this.mapped.clear(from);
  }

  /** What the remap hook does once it found the context: user_id = mmap_base = new start. */
  setRingAddr(c: number, addr: number): void {
    this.userId[c] = addr;
    this.mmapBase[c] = addr;
  }

  /** Live handles, oldest first. */
  contexts(): number[] {
    const out: number[] = [];
    for (let c = this.ageOldest; c >= 0; c = this.ageNewer[c]) out.push(c);
    return out;
  }

  /**
   * A target stream of `count` live handles chosen by dist over the live
   * contexts in age order. Returns scratch storage, valid until the next call.
   * The caller guarantees at least one live context.
   */
  pickStream(dist: number, count: number, seed: number): Int32Array {
    let m = 0;
    for (let c = this.ageOldest; c >= 0; c = this.ageNewer[c]) this.ageOrder[m++] = c;
    pickByDist(dist, m, count, new Prng(seed), this.picks, this.cdf);
    for (let i = 0; i < count; i++) this.picks[i] = this.ageOrder[this.picks[i]];
    return this.picks;
  }
}
