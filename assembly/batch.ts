// Hot paths as batch exports: one JS call covers a whole batch, so the JS
// boundary is paid per batch, not per event (docs/architecture.md). Addresses and user
// data cross it as f64 (exact below 2^53, and user addresses end at 2^47):
// a BigInt per call would cost more than a small batch's work. They run the very
// code of the syscall exports, with reaped data folded into the checksum
// instead of recorded, so nothing in their loops allocates.
import { CMD_PREAD, FD_RDWR, IOCB_BYTES, isErr } from "./aio";
import { IOPRIO_NONE, RESFD_NONE } from "./abi/iocb-flags";
import { EINVAL } from "./errno";
import { PAGE_SHIFT, tlbBytes } from "./mm";
import { proc } from "./process";
import { data_checksum, fold_into_checksum } from "./sink";
import { extraWork, extraWorkEach } from "./extra-work";
import { user_reap } from "./user-reap";

/**
 * io_submit of `n` plain pread blocks at offset 0 (user data data, data + 1,
 * ...), every argument given: a call leaving some to their defaults goes
 * through AssemblyScript's default-argument trampoline, which cost the ring
 * path 5-7% in time (docs/performance.md).
 */
@inline function submitReads(ctx: u64, n: i32, data: u64): i32 {
  return proc.io_submit(ctx, n, CMD_PREAD, data, FD_RDWR, -1, IOCB_BYTES, 0, 0, RESFD_NONE, IOPRIO_NONE, 0, 0, -1);
}

/** io_submit of `n` pread control blocks (user data data, data + 1, ...) that complete at once. */
export function submit_batch(ctx_: f64, n: i32, data_: f64): i32 {
  const ctx = <u64>ctx_;
  const data = <u64>data_;
  return submitReads(ctx, n, data);
}

/** user_reap of up to `max` events through the mapping at `ctx`. */
export function reap_batch(ctx_: f64, max: i32): i32 {
  const ctx = <u64>ctx_;
  fold_into_checksum();
  return user_reap(proc.mm, ctx, max);
}

/** io_getevents(ctx, 0, max) with a zero timeout. */
export function getevents_batch(ctx_: f64, max: i32): i32 {
  const ctx = <u64>ctx_;
  fold_into_checksum();
  return proc.io_getevents(ctx, 0, max, true, 0, 0);
}

/**
 * `calls` calls of io_getevents(ctx, 1, 1) with a zero timeout (the per-call
 * cost of that path): events reaped, or -errno. The id comes as an i64, one
 * BigInt per batch of calls: from an f64, V8 (TurboFan, Node 20) converts it
 * again in each turn of the loop, about 1 ns a call.
 */
export function getevents_calls(ctx: u64, calls: i32): i32 {
  fold_into_checksum();
  // The process and the switches its path branches on, read once: no call changes them.
  const p = proc;
  const lookupTable = p.profile.lookupTable;
  const zeroPage = p.zeroPage;
  const armsTimer = p.profile.zeroTimeoutArmsTimer;
  const cached = lookupTable && zeroPage && !armsTimer;
  let reaped = 0;
  let i = 0;
  while (i < calls) {
    // Where the switches allow, the calls on an empty ring run in an inner
    // loop with no call in it; the first that is any other leaves it. The
    // id's translation and the table hold until a call that maps or sets up,
    // which no io_getevents is: taken again after each call of poll_events.
    if (cached) {
      const idp = tlbBytes(ctx);
      const table = p.ioctx_table;
      if (idp && table) {
        const done = p.poll_empty(ctx, idp, table, calls - i);
        // Slowed builds (assembly/extra-work.ts) chain extra work through the count, per call; others keep it.
        reaped = <i32>extraWorkEach(<u32>reaped, done);
        i += done;
        if (i == calls) break;
      }
    }
    const r = p.poll_events(ctx, lookupTable, zeroPage, armsTimer);
    if (r < 0) return r;
    reaped = <i32>extraWork(<u32>(reaped + r));
    i++;
  }
  return reaped;
}

/** lookup_ioctx for the `n` u64 ids at `idsPtr`: how many name a live context. */
export function lookup_batch(idsPtr: usize, n: i32): i32 {
  let found = 0;
  for (let i = 0; i < n; i++) {
    if (proc.lookup_ioctx(load<i64>(idsPtr + (<usize>i << 3)))) found++;
  }
  return found;
}

/**
 * Moves the VMA at `ctx` to `spare` and back, `n` moves in all, through the
 * full mremap path (ring hook included). Stops at the first refused move;
 * returns the moves that succeeded.
 */
export function remap_batch(ctx_: f64, spare_: f64, n: i32): i32 {
  const ctx = <u64>ctx_;
  const spare = <u64>spare_;
  const vma = proc.mm.find(<i64>ctx >> PAGE_SHIFT);
  if (!vma) return 0;
  const pages = vma.pages;
  let from = <i64>ctx;
  let to = <i64>spare;
  let moved = n;
  for (let i = 0; i < n; i++) {
    if (isErr(proc.mremap(from, pages, pages, true, to, true))) {
      moved = i;
      break;
    }
    const was = from;
    from = to;
    to = was;
  }
  // Each move allocates VMA pieces and the minimal runtime collects only when asked.
  __collect();
  return moved;
}

/** Ring-remap hook: table slots visited since reset (an f64 to spare the facade a BigInt). */
export function hook_slots_visited(): f64 {
  return <f64>proc.hookSlotsVisited;
}

/**
 * The whole submit + user-reap loop inside WASM: `events` events (user data
 * 0, 1, ...) in batches of `batch`. Returns the sum of the user data reaped,
 * or -errno from the first failing call.
 */
export function ring_loop(ctx_: f64, events: i32, batch: i32): i64 {
  const ctx = <u64>ctx_;
  if (batch <= 0) return -EINVAL;
  fold_into_checksum();
  const before = data_checksum();
  let submitted = 0;
  while (submitted < events) {
    const s = submitReads(ctx, min(batch, events - submitted), <u64>submitted);
    if (s < 0) return s;
    submitted += s;
    const r = user_reap(proc.mm, ctx, batch);
    if (r < 0) return r;
  }
  return <i64>(data_checksum() - before);
}
