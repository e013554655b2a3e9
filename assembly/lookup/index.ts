// build/lookup.wasm: the lookup world and the strategies' hot paths as batch
// exports, so one JS call covers a whole batch. One strategy is active and
// keeps its index; the other question goes to the kernel's index-free
// mechanism (table-header-id for ids, remap-scan for files), as in
// src/strategies/ts-world.ts. Strategy numbers are places in the registry;
// the dispatch over them (dispatch.ts, dispatch-loops.ts) is generated from
// it at build time.
// Addresses cross the boundary as f64: exact below 2^53 (user space < 2^47).
import {
  CTX_STREAM, ID_STREAM, MAX_CTX, addrOfSlot, ageNewer, ageOldest, ctxId, destroyCtx, liveAt, liveCount,
  mapped, mmapBase, pickStream, resetSet, ringFile, slotOfAddr, tableNr,
  userId, visitedFile as slotsVisitedFile, visitedId as slotsVisitedId,
} from "./context-set";
import { criuRestoreBy, lookupLoop } from "./dispatch-loops";
import { KERNEL_ID_STRATEGY, aioRingRemap, checkStrategy, lookupIoctx as lookupBy, opsBuild, opsRemove } from "./dispatch";
import { FOLD_SEED, Prng, fold } from "./prng";
import { ioSetupCtx, moveRing, page } from "./kernel-paths";
import { extraWork } from "../extra-work";

let active: i32 = KERNEL_ID_STRATEGY;

/** lookup_ioctx by the active strategy (the kernel's table lookup when a file strategy is active). */
function lookupIoctx(id: u64): i32 {
  return lookupBy(active, id);
}

export function select(strategy: i32): void {
  checkStrategy(strategy);
  active = strategy;
  opsBuild(strategy);
}

function reset(): void {
  resetSet();
  opsBuild(active);
}

function ioDestroyId(id: u64): i32 {
  const c = lookupIoctx(id);
  if (c < 0) return -1;
  opsRemove(active, c);
  destroyCtx(c);
  return 0;
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
  return lookupLoop(strategy, ids, n);
}

/** Move the rings of the n contexts at `ctxs` (i32 handles), each through a file strategy's hook. */
export function remapBatch(strategy: i32, ctxs: usize, n: i32): u32 {
  if (strategy != active) select(strategy);
  let h = FOLD_SEED;
  for (let i = 0; i < n; i++) h = fold(extraWork(h), moveOne(load<i32>(ctxs + (<usize>i << 2))));
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
  return criuRestoreBy(strategy, n);
}
