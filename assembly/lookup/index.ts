// build/lookup.wasm: the lookup world and the strategies' hot paths as batch
// exports, so one JS call covers a whole batch. One strategy is active and
// keeps its index; the other question goes to the kernel's index-free
// mechanism (table-header-id for ids, remap-scan for files), as in
// src/strategies/ts-world.ts. Strategy numbers are the registry's wasmId.
// Addresses cross the boundary as f64: exact below 2^53 (user space < 2^47).
import {
  ADDR_SLOTS, CTX_STREAM, ID_STREAM, MAX_CTX, ONE_PAGE_RING_SLOTS,
  addrOfSlot, ageNewer, ageOldest, createCtx, ctxId, destroyCtx, headerAt, liveAt, liveCount,
  mapped, mmapBase, moveVma, pickStream, resetSet, ringFile, setRingAddr, slotOfAddr, tableNr,
  userId, vmaFile, visitedFile as slotsVisitedFile, visitedId as slotsVisitedId,
} from "./context-set";
import { FOLD_SEED, Prng, fold } from "./prng";
import { RING_TAIL } from "../abi/ring";
import * as listWalk from "./list-walk";
import * as tableHeaderId from "./table-header-id";
import * as hash from "./hash";
import * as sortedArray from "./sorted-array";
import * as remapScan from "./remap-scan";
import * as backPointer from "./back-pointer";
import * as headerId from "./header-id";
import * as fileHash from "./file-hash";

const LIST_WALK = 0;
const TABLE_HEADER_ID = 1;
const HASH = 2;
const SORTED_ARRAY = 3;
const REMAP_SCAN = 4;
const BACK_POINTER = 5;
const HEADER_ID = 6;
const FILE_HASH = 7;

let active: i32 = TABLE_HEADER_ID;

// The ops table: index-free strategies (table-header-id, remap-scan,
// header-id) have no build/insert/remove/move, so they fall to default.
// Each op takes the strategy: the kernel paths pass `active`; inlined into a
// loop that passes a constant (criuRestore), the switch folds away.

function opsBuild(s: i32): void {
  switch (s) {
    case LIST_WALK: listWalk.build(); break;
    case HASH: hash.build(); break;
    case SORTED_ARRAY: sortedArray.build(); break;
    case BACK_POINTER: backPointer.build(); break;
    case FILE_HASH: fileHash.build(); break;
    default: break;
  }
}

@inline function opsInsert(s: i32, c: i32): void {
  switch (s) {
    case LIST_WALK: listWalk.insert(c); break;
    case HASH: hash.insert(c); break;
    case SORTED_ARRAY: sortedArray.insert(c); break;
    case BACK_POINTER: backPointer.insert(c); break;
    case FILE_HASH: fileHash.insert(c); break;
    default: break;
  }
}

function opsRemove(s: i32, c: i32): void {
  switch (s) {
    case LIST_WALK: listWalk.remove(c); break;
    case HASH: hash.remove(c); break;
    case SORTED_ARRAY: sortedArray.remove(c); break;
    case BACK_POINTER: backPointer.remove(c); break;
    case FILE_HASH: fileHash.remove(c); break;
    default: break;
  }
}

/** Only the user_id-keyed indexes change when a ring moves. */
@inline function opsMove(s: i32, c: i32, oldId: u64): void {
  switch (s) {
    case HASH: hash.move(c, oldId); break;
    case SORTED_ARRAY: sortedArray.move(c, oldId); break;
    default: break;
  }
}

/** lookup_ioctx: the active id strategy, else the kernel's table lookup. */
function lookupIoctx(id: u64): i32 {
  switch (active) {
    case LIST_WALK: return listWalk.find(id);
    case HASH: return hash.find(id);
    case SORTED_ARRAY: return sortedArray.find(id);
    default: return tableHeaderId.find(id);
  }
}

/** aio_ring_remap's search: the active file strategy, else the kernel's scan. */
@inline function aioRingRemap(s: i32, file: i32, vmaStart: u64): i32 {
  switch (s) {
    case BACK_POINTER: return backPointer.find(file);
    case HEADER_ID: return headerId.find(file, vmaStart);
    case FILE_HASH: return fileHash.find(file);
    default: return remapScan.find(file);
  }
}

export function select(strategy: i32): void {
  active = strategy;
  opsBuild(strategy);
}

function reset(): void {
  resetSet();
  opsBuild(active);
}

@inline function ioSetupCtx(s: i32): i32 {
  const c = createCtx();
  if (c >= 0) opsInsert(s, c);
  return c;
}

function ioDestroyId(id: u64): i32 {
  const c = lookupIoctx(id);
  if (c < 0) return -1;
  opsRemove(active, c);
  destroyCtx(c);
  return 0;
}

/** Move the ring mapping at address slot `from` to `to`, then run the hook. Returns its context or -1. */
@inline function moveRing(s: i32, from: i32, to: i32): i32 {
  moveVma(from, to);
  const start = addrOfSlot(to);
  const c = aioRingRemap(s, vmaFile(to), start);
  if (c < 0) {
    moveVma(to, from); // mainline: EINVAL, move undone
    return -1;
  }
  const old = userId(c);
  setRingAddr(c, start);
  opsMove(s, c, old);
  return c;
}

/** Fold value of an address: its page number's low 32 bits. */
@inline function page(addr: u64): u32 {
  return <u32>(addr >> 12);
}

/** One move to the highest free address, as an mremap without a target would; its sub-checksum. */
function moveOne(c: i32): u32 {
  const to = <i32>mapped.lowest();
  const found = moveRing(active, slotOfAddr(mmapBase(c)), to);
  return fold(fold(FOLD_SEED, <u32>(found + 1)), found >= 0 ? page(addrOfSlot(to)) : 0);
}

// ---- exports: world setup and single kernel operations ----

/** A fresh mm with n contexts (ctx i in slot i at the i-th highest address). */
export function build(n: i32): i32 {
  reset();
  let made = 0;
  while (made < n && ioSetupCtx(active) >= 0) made++;
  return made;
}

export function ioSetup(): i32 {
  return ioSetupCtx(active);
}

export function ioDestroy(id: f64): i32 {
  return ioDestroyId(<u64>id);
}

/** Returns the new address, or -1: nothing mapped at addr, `to` taken, or hook miss (undone). to < 0: highest free. */
export function mremapRing(addr: f64, to: f64): f64 {
  const from = slotOfAddr(<u64>addr);
  if (from < 0 || !mapped.has(from)) return -1;
  const dest = to < 0 ? <i32>mapped.lowest() : slotOfAddr(<u64>to);
  if (dest < 0 || mapped.has(dest)) return -1;
  return moveRing(active, from, dest) >= 0 ? <f64>addrOfSlot(dest) : -1;
}

export function findById(id: f64): i32 {
  return lookupIoctx(<u64>id);
}

export function findByFile(file: i32, vmaStart: f64): i32 {
  return aioRingRemap(active, file, <u64>vmaStart);
}

export function ctxUserId(c: i32): f64 { return <f64>userId(c); }
export function ctxFile(c: i32): i32 { return ringFile(c); }
export function ctxSlot(c: i32): i32 { return ctxId(c); }
export function tableSize(): i32 { return tableNr; }
export function liveContexts(): i32 { return liveCount; }
export function oldestContext(): i32 { return ageOldest; }
export function newerContext(c: i32): i32 { return ageNewer(c); }
/** Cost counters since the last build / criuRestore. */
export function visitedId(): f64 { return <f64>slotsVisitedId; }
export function visitedFile(): f64 { return <f64>slotsVisitedFile; }

// ---- exports: target streams and batches ----

/** `count` current user ids of live contexts drawn by dist (0 uniform, 1 newest, 2 oldest, 3 zipf). */
export function genIdStream(dist: i32, count: i32, seed: u32): usize {
  const picks = pickStream(dist, count, seed);
  for (let i = 0; i < count; i++) {
    store<u64>(ID_STREAM + (<usize>i << 3), userId(load<i32>(picks + (<usize>i << 2))));
  }
  return ID_STREAM;
}

/** `count` live context handles drawn by dist: the rings remapBatch moves. */
export function genCtxStream(dist: i32, count: i32, seed: u32): usize {
  memory.copy(CTX_STREAM, pickStream(dist, count, seed), <usize>count << 2);
  return CTX_STREAM;
}

/** lookup_ioctx for each of n u64 ids at `ids` by an id strategy; FNV checksum of (ctx + 1). */
export function lookupBatch(strategy: i32, ids: usize, n: i32): u32 {
  if (strategy != active) select(strategy);
  let h = FOLD_SEED;
  // One loop per strategy so each find inlines; no dispatch per id.
  switch (strategy) {
    case LIST_WALK:
      for (let i = 0; i < n; i++) h = fold(h, <u32>(listWalk.find(load<u64>(ids + (<usize>i << 3))) + 1));
      break;
    case TABLE_HEADER_ID:
      for (let i = 0; i < n; i++) h = fold(h, <u32>(tableHeaderId.find(load<u64>(ids + (<usize>i << 3))) + 1));
      break;
    case HASH:
      for (let i = 0; i < n; i++) h = fold(h, <u32>(hash.find(load<u64>(ids + (<usize>i << 3))) + 1));
      break;
    case SORTED_ARRAY:
      for (let i = 0; i < n; i++) h = fold(h, <u32>(sortedArray.find(load<u64>(ids + (<usize>i << 3))) + 1));
      break;
    default:
      unreachable(); // not an id strategy: the TS facade rejects this
  }
  return h;
}

/** Move the rings of the n contexts at `ctxs` (i32 handles), each through a file strategy's hook. */
export function remapBatch(strategy: i32, ctxs: usize, n: i32): u32 {
  if (strategy != active) select(strategy);
  let h = FOLD_SEED;
  for (let i = 0; i < n; i++) h = fold(h, moveOne(load<i32>(ctxs + (<usize>i << 2))));
  return h;
}

const CREATE: u32 = 0;
const DESTROY: u32 = 1;

/** `ops` random creates / destroys / moves (a third each) in a seeded order, strategy active. */
export function churn(strategy: i32, ops: i32, seed: u32): u32 {
  if (strategy != active) select(strategy);
  const rng = new Prng(seed);
  let h = FOLD_SEED;
  for (let op = 0; op < ops; op++) {
    let kind = rng.below(3);
    if (liveCount == 0) kind = CREATE;
    else if (kind == CREATE && liveCount == MAX_CTX) kind = DESTROY;
    if (kind == CREATE) {
      const c = ioSetupCtx(active);
      h = fold(fold(h, <u32>(c + 1)), page(userId(c)));
      continue;
    }
    const victim = liveAt(<i32>rng.below(<u32>liveCount));
    h = fold(h, kind == DESTROY ? <u32>(ioDestroyId(userId(victim)) + 1) : moveOne(victim));
  }
  heap.free(changetype<usize>(rng)); // unmanaged: freed by hand
  return h;
}

/**
 * CRIU restore into a fresh mm: n contexts, each created, its ring filled,
 * then moved to its dumped address (the lowest address slots, one per
 * context). With the kernel's scan the hooks cost n(n+1)/2 slots in all.
 */
export function criuRestore(strategy: i32, n: i32): u32 {
  resetSet();
  select(strategy);
  // One loop per O(1) file strategy, so its insert and hook inline with no
  // dispatch per context; the rest share one (their hooks cost far more).
  switch (strategy) {
    case BACK_POINTER: return restore(BACK_POINTER, n);
    case HEADER_ID: return restore(HEADER_ID, n);
    case FILE_HASH: return restore(FILE_HASH, n);
    default: return restore(strategy, n);
  }
}

@inline function restore(s: i32, n: i32): u32 {
  let h = FOLD_SEED;
  for (let i = 0; i < n; i++) {
    const c = ioSetupCtx(s);
    const from = slotOfAddr(mmapBase(c));
    // Fill: CRIU writes the dumped ring's events and indexes into the new mapping.
    store<u32>(headerAt(from) + RING_TAIL, 1 + <u32>i % (ONE_PAGE_RING_SLOTS - 1));
    const to = ADDR_SLOTS - 1 - i;
    h = fold(h, <u32>(moveRing(s, from, to) + 1));
    h = fold(h, load<u32>(headerAt(to) + RING_TAIL));
  }
  return h;
}
