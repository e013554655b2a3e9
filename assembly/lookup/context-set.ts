// The world every lookup strategy works over (twin of
// src/strategies/context-set.ts): live kioctx objects, the mm's ioctx_table,
// the ring mappings with their headers in linear memory, and the ring files.
// No lookup index lives here: strategies own those (see index.ts dispatch).
// All storage is allocated once at instantiation; nothing allocates later.
import { LowestFree } from "./lowest-free";
import { Prng, pickByDist } from "./prng";

import { RING_ID } from "../abi/ring";
import { writeRingHeader } from "../ring-header";
import { ADDR_SLOTS, CEILING, FILE_CAP, MAX_BATCH, MAX_CTX, ONE_PAGE_RING_SLOTS, PAGE } from "../abi/lookup-world";

export { ADDR_SLOTS, CEILING, FILE_CAP, MAX_BATCH, MAX_CTX, ONE_PAGE_RING_SLOTS, PAGE } from "../abi/lookup-world";

function block(bytes: i32): usize {
  return heap.alloc(<usize>bytes);
}

// struct kioctx, one 32-byte record per context handle (a lookup's fields
// share a cache line): user_id u64, mmap_base u64, id (table slot) i32,
// aio_ring_file i32, then the age links newer i32, older i32.
const CTX_BYTES: usize = 32;
const CTX = block(MAX_CTX * <i32>CTX_BYTES);
@inline function ctxAt(c: i32): usize { return CTX + <usize>c * CTX_BYTES; }

// mm->ioctx_table: nr slots, grows x4 from 4, never shrinks.
export let tableNr: i32 = 0;
const TABLE = block(MAX_CTX * 4);
const freeSlots = new LowestFree(MAX_CTX);

// Address space: address slot k holds at most one ring page mapping. Its
// 64-byte record: the ring header (first 32 bytes of the page), then vm_file.
export const mapped = new LowestFree(ADDR_SLOTS);
const SLOT_BYTES: usize = 64;
const ADDR_SPACE = block(ADDR_SLOTS * <i32>SLOT_BYTES);

/** Files handed out since reset; ids below this are (or were) ring files. */
export let fileHwm: i32 = 0;
const FREED_FILES = block(FILE_CAP * 4);
let freedHead: i32 = 0;
let freedLen: i32 = 0;

// Contexts in creation order (oldest first), for the age-based distributions.
export let ageOldest: i32 = -1;
let ageNewest: i32 = -1;

// Dense array of live handles: O(1) uniform picks for churn.
const LIVE = block(MAX_CTX * 4);
export let liveCount: i32 = 0;
const LIVE_IDX = block(MAX_CTX * 4);

// kioctx allocator: fresh handles first, then the most recently freed.
let ctxHwm: i32 = 0;
const FREE_CTX = block(MAX_CTX * 4);
let freeCtxLen: i32 = 0;

/** Deterministic cost counters, charged by the strategy answering each question. */
export let visitedId: u64 = 0;
export let visitedFile: u64 = 0;

// Stream generation scratch, and the two streams batches read.
const AGE_ORDER = block(MAX_CTX * 4);
const PICKS = block(MAX_BATCH * 4);
const CDF = block(MAX_CTX * 8);
export const ID_STREAM = block(MAX_BATCH * 8);
export const CTX_STREAM = block(MAX_BATCH * 4);

@inline function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function setI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

@inline export function userId(c: i32): u64 { return load<u64>(ctxAt(c)); }
@inline export function mmapBase(c: i32): u64 { return load<u64>(ctxAt(c), 8); }
@inline export function ctxId(c: i32): i32 { return load<i32>(ctxAt(c), 16); }
@inline export function ringFile(c: i32): i32 { return load<i32>(ctxAt(c), 20); }
@inline export function ageNewer(c: i32): i32 { return load<i32>(ctxAt(c), 24); }
@inline function ageOlder(c: i32): i32 { return load<i32>(ctxAt(c), 28); }
@inline function setAgeNewer(c: i32, v: i32): void { store<i32>(ctxAt(c), v, 24); }
@inline function setAgeOlder(c: i32, v: i32): void { store<i32>(ctxAt(c), v, 28); }
@inline export function tableAt(slot: i32): i32 { return i32At(TABLE, slot); }
@inline export function vmaFile(k: i32): i32 { return load<i32>(headerAt(k), 32); }
@inline export function liveAt(i: i32): i32 { return i32At(LIVE, i); }
@inline export function chargeId(n: u64): void { visitedId += n; }
@inline export function chargeFile(n: u64): void { visitedFile += n; }

@inline export function headerAt(k: i32): usize {
  return ADDR_SPACE + <usize>k * SLOT_BYTES;
}

@inline export function addrOfSlot(k: i32): u64 {
  return <u64>CEILING - (<u64>(k + 1) << 12);
}

/** The address slot a ring starting at addr occupies, or -1 if no slot starts there. */
@inline export function slotOfAddr(addr: u64): i32 {
  // Slot k starts k pages below CEILING - PAGE. Rotated, an offset into a
  // page lands in the high bits and an address above the slots wraps
  // around: one compare tests alignment and both bounds.
  const k = rotr<u64>(<u64>CEILING - <u64>PAGE - addr, 12);
  return k < <u64>ADDR_SLOTS ? <i32>k : -1;
}

/** Back to a fresh mm: no contexts, no table, nothing mapped, counters zero. */
export function resetSet(): void {
  tableNr = 0; // growth refills slots with -1 as they come back
  freeSlots.reset();
  mapped.reset();
  fileHwm = 0;
  freedHead = 0;
  freedLen = 0;
  ageOldest = -1;
  ageNewest = -1;
  liveCount = 0;
  ctxHwm = 0;
  freeCtxLen = 0;
  visitedId = 0;
  visitedFile = 0;
}

function allocFile(): i32 {
  if (fileHwm < FILE_CAP) return fileHwm++;
  const f = i32At(FREED_FILES, freedHead);
  freedHead = (freedHead + 1) % FILE_CAP;
  freedLen--;
  return f;
}

/**
 * The index-free part of io_setup: map a ring at the highest free address,
 * take the lowest free table slot (growing the table x4 when none is free),
 * write the ring header. Returns the new handle, or -1 at MAX_CTX (EAGAIN).
 * Inlined into the loops that create: a call per context is a visible share
 * of an O(1) CRIU restore.
 */
@inline export function createCtx(): i32 {
  if (liveCount == MAX_CTX) return -1;
  const c = freeCtxLen > 0 ? i32At(FREE_CTX, --freeCtxLen) : ctxHwm++;
  const file = allocFile();

  const k = <i32>mapped.lowest();
  mapped.set(k);
  store<i32>(headerAt(k), file, 32);
  const slot = <i32>freeSlots.lowest();
  if (slot >= tableNr) {
    const nr = tableNr == 0 ? 4 : tableNr * 4;
    for (let i = tableNr; i < nr; i++) setI32(TABLE, i, -1);
    tableNr = nr;
  }
  freeSlots.set(slot);
  setI32(TABLE, slot, c);

  writeRingHeader(headerAt(k), slot, ONE_PAGE_RING_SLOTS);

  const addr = addrOfSlot(k);
  const x = ctxAt(c);
  store<u64>(x, addr);
  store<u64>(x, addr, 8);
  store<i32>(x, slot, 16);
  store<i32>(x, file, 20);

  setAgeNewer(c, -1);
  setAgeOlder(c, ageNewest);
  if (ageNewest >= 0) setAgeNewer(ageNewest, c);
  else ageOldest = c;
  ageNewest = c;

  setI32(LIVE_IDX, c, liveCount);
  setI32(LIVE, liveCount++, c);
  return c;
}

/** The index-free part of io_destroy: free the slot, unmap the ring, drop the file. */
export function destroyCtx(c: i32): void {
  const slot = ctxId(c);
  setI32(TABLE, slot, -1);
  freeSlots.clear(slot);
  const k = slotOfAddr(mmapBase(c));
  if (k >= 0) mapped.clear(k);
  setI32(FREED_FILES, (freedHead + freedLen++) % FILE_CAP, ringFile(c));

  const older = ageOlder(c);
  const newer = ageNewer(c);
  if (older >= 0) setAgeNewer(older, newer);
  else ageOldest = newer;
  if (newer >= 0) setAgeOlder(newer, older);
  else ageNewest = older;

  const last = i32At(LIVE, --liveCount);
  const idx = i32At(LIVE_IDX, c);
  setI32(LIVE, idx, last);
  setI32(LIVE_IDX, last, idx);

  setI32(FREE_CTX, freeCtxLen++, c);
}

/** get_user(id, &ring->id) at addr: the slot id, or -1 when nothing is mapped there (fault). */
@inline export function readHeaderId(addr: u64): i64 {
  const k = slotOfAddr(addr);
  if (k < 0 || !mapped.has(k)) return -1;
  return <i64>load<u32>(headerAt(k) + RING_ID);
}

/** mremap's page move: the mapping (file and ring bytes) at slot `from` now lives at `to`. */
@inline export function moveVma(from: i32, to: i32): void {
  mapped.set(to);
  store<i32>(headerAt(to), vmaFile(from), 32);
  // Four u64 moves: memory.copy is an out-of-line call, too slow for 32 bytes.
  const src = headerAt(from);
  const dst = headerAt(to);
  store<u64>(dst, load<u64>(src));
  store<u64>(dst, load<u64>(src, 8), 8);
  store<u64>(dst, load<u64>(src, 16), 16);
  store<u64>(dst, load<u64>(src, 24), 24);
  mapped.clear(from);
}

/** What the remap hook does once it found the context: user_id = mmap_base = new start. */
export function setRingAddr(c: i32, addr: u64): void {
  store<u64>(ctxAt(c), addr);
  store<u64>(ctxAt(c), addr, 8);
}

/**
 * A target stream of `count` live handles chosen by dist over the live
 * contexts in age order, left in PICKS. The caller guarantees a live context.
 */
export function pickStream(dist: i32, count: i32, seed: u32): usize {
  let m = 0;
  for (let c = ageOldest; c >= 0; c = ageNewer(c)) setI32(AGE_ORDER, m++, c);
  const rng = new Prng(seed);
  pickByDist(dist, m, count, rng, PICKS, CDF);
  heap.free(changetype<usize>(rng)); // unmanaged: freed by hand
  for (let i = 0; i < count; i++) setI32(PICKS, i, i32At(AGE_ORDER, i32At(PICKS, i)));
  return PICKS;
}
