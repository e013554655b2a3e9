// Module entry of build/core.wasm: the syscalls of one modelled process
// (docs/scenario-format.md steps), the batch hot paths, and the scratch area. Raw exports
// (bindings: false): primitives only; addresses and page counts are i64
// (BigInt in JS), results are values or -errno (errno.ts).
import { PAGE_SHIFT } from "./mm";
import { MAX_PEEK_RUNS } from "./abi/limits";
import { proc } from "./process";
import { record_into_scratch, scratch_reserve } from "./sink";
import { ring_events as ring_events_mapping, store_event as store_event_mapping, store_head as store_head_mapping } from "./ring-store";
import { user_reap as user_reap_mapping } from "./user-reap";

export { reset, set_tmpfs, fork_child, exit_child } from "./process";
export { scratch_ptr, scratch_reserve, data_checksum } from "./sink";
export { watch_ctx, watches, watched_tail, watched_avail, watched_read } from "./watch";
export { submit_batch, reap_batch, getevents_batch, getevents_calls, lookup_batch, remap_batch, ring_loop, hook_slots_visited } from "./batch";

/** The new context's id (its ring address), or -errno. */
/** `ctxp`: CTXP_ZERO, CTXP_NONZERO or CTXP_FAULT (abi/codes.ts). */
export function io_setup(nr_events: u32, ctxp: i32): i64 {
  return proc.io_setup(nr_events, ctxp);
}

export function io_destroy(ctx: i64): i32 {
  return proc.io_destroy(ctx);
}

/** `cmd`: CMD_* and `fd`: FD_* (abi/codes.ts). */
/** `fault_at`: the first entry of the iocb array the kernel cannot read, -1 for none; `rw_flags`: aio_rw_flags (abi/rwf.ts). */
/**
 * `resfd`: an eventfd's id or RESFD_*, `ioprio`: aio_reqprio or IOPRIO_NONE (abi/iocb-flags.ts);
 * `iov_segs`: a CMD_PREADV / CMD_PWRITEV block's segments (their lengths summed in `nbytes`), or IOV_FAULT.
 */
/** `events`: a CMD_POLL block's aio_buf; `step`: the scenario step, which with a block's index names a pending poll block for io_cancel. */
export function io_submit(ctx: i64, count: i32, cmd: i32, data: u64, fd: i32, fault_at: i32, nbytes: i64, offset: i64, rw_flags: u32, resfd: i32, ioprio: i32, iov_segs: i32, events: u32, step: i32): i32 {
  return proc.io_submit(ctx, count, cmd, data, fd, fault_at, nbytes, offset, rw_flags, resfd, ioprio, iov_segs, events, step);
}

/** pipe2(O_NONBLOCK): the pipe's id (its ends: FD_PIPE + 2 x id, + 1 for the write end). */
export function pipe(): i32 {
  return proc.pipe();
}

/** write(2) of `bytes` into the pipe: `bytes`; it completes the poll blocks it wakes. */
export function pipe_write(pipe: i32, bytes: i32): i32 {
  return proc.pipe_write(pipe, bytes);
}

/** read(2) of up to `bytes`: the bytes read, or -EAGAIN. */
export function pipe_read(pipe: i32, bytes: i32): i32 {
  return proc.pipe_read(pipe, bytes);
}

/** A new eventfd holding `initval` (EFD_SEMAPHORE if `semaphore`): its id. */
export function eventfd(initval: u64, semaphore: bool): i32 {
  return proc.eventfds.create(initval, semaphore);
}

/** read(2) of the eventfd: the value read, or -EAGAIN. */
export function eventfd_read(efd: i32): i64 {
  return proc.eventfds.read(efd);
}

/** Events reaped, each one's (data, res) in scratch as f64; -WOULD_BLOCK when it would wait forever. */
export function io_getevents(ctx: i64, min_nr: i32, nr: i32, has_timeout: bool, timeout_ns: f64, faults: i32): i32 {
  record_into_scratch();
  return proc.io_getevents(ctx, min_nr, nr, has_timeout, timeout_ns, faults);
}

/** io_getevents under a signal mask: `usig` one of abi/codes.ts USIG_*, SIGMASK_*; events reaped as io_getevents, or -errno. */
export function io_pgetevents(ctx: i64, min_nr: i32, nr: i32, has_timeout: bool, timeout_ns: f64, faults: i32, usig: i32, sigsetsize: i64): i32 {
  record_into_scratch();
  return proc.io_pgetevents(ctx, min_nr, nr, has_timeout, timeout_ns, faults, usig, sigsetsize);
}

/** SIGUSR1 to the process, which keeps it blocked: 0. */
export function raise(): i32 {
  return proc.raise();
}

/** Whether SIGUSR1 is pending (a raise no mask has let in yet). */
export function signal_pending(): bool {
  return proc.signalPending;
}

/** `iocb`: the control block's address (IOCB_ADDR, or one that cannot be read), or with `submit` >= 0 block `block` of that io_submit step; -errno. */
export function io_cancel(ctx: i64, iocb: i64, submit: i32, block: i32): i32 {
  return proc.io_cancel(ctx, iocb, submit, block);
}

/** Events reaped through the mapping at `addr`, their user data in scratch as f64. */
export function user_reap(addr: i64, max: i32): i32 {
  record_into_scratch();
  return user_reap_mapping(proc.mm, addr, max);
}

/** Stores `head` into the header of the ring mapped at `addr` (ring-store.ts): 0 or -errno. */
export function store_head(addr: i64, head: u32): i32 {
  return store_head_mapping(proc.mm, addr, head);
}

/** Stores an event into slot `slot` of the ring mapped at `addr`: 0 or -errno. */
export function store_event(addr: i64, slot: i64, data: u64, res: i64, res2: i64): i32 {
  return store_event_mapping(proc.mm, addr, slot, data, res, res2);
}

/** `count` events from slot `slot` of the ring mapped at `addr`, (data, res, res2) each in scratch as f64; or -EFAULT. */
export function ring_events(addr: i64, slot: i64, count: i32): i32 {
  record_into_scratch();
  return ring_events_mapping(proc.mm, addr, slot, count);
}

/** 0 and the header in scratch (aio.ts AioProcess.ring), or -EFAULT. */
export function ring(addr: i64): i32 {
  return proc.ring(addr);
}

/** `has_at`: MAP_FIXED at `at`; `file_page` 0 or more: a mapping of the test file from that page, -1: anonymous. */
export function mmap(pages: i64, has_at: bool, at: i64, no_replace: bool, align: i64, shared: bool, prot: i32, file_page: i64): i64 {
  return proc.mmap(pages, has_at, at, no_replace, align, shared, prot, file_page);
}

export function munmap(addr: i64, pages: i64): i32 {
  return proc.munmap(addr, pages);
}

/** The new address, or -errno. `has_to`: MREMAP_FIXED to `to`; `dont_unmap`: MREMAP_DONTUNMAP. */
export function mremap(addr: i64, old_pages: i64, new_pages: i64, has_to: bool, to: i64, may_move: bool, dont_unmap: bool): i64 {
  return proc.mremap(addr, old_pages, new_pages, has_to, to, may_move, dont_unmap);
}

/** 0 none, 1 aio, 2 anon, 3 file (mm.ts KIND_*). */
export function page(addr: i64): i32 {
  return proc.page(addr);
}

/** Pages written (aio.ts AioProcess.fill). */
export function fill(addr: i64, pages: i64, value: u8): i64 {
  return proc.fill(addr, pages, value);
}

/** Pages read, each one's byte in scratch as i32, -1 for a file page whose bytes differ (aio.ts AioProcess.peek). */
export function peek(addr: i64, pages: i64): i32 {
  return proc.peek(addr, pages, scratch_reserve(<i32>pages * 4));
}

/** memset of `bytes` bytes of the I/O buffer from `offset` (aio.ts AioProcess.buf_fill). */
export function buf_fill(offset: i64, bytes: i64, value: i32): i32 {
  return proc.buf_fill(offset, bytes, value);
}

/** Runs of the I/O buffer's bytes, each (length, value) in scratch as f64: how many. */
export function buf_peek(offset: i64, bytes: i64): i32 {
  return proc.buf_peek(offset, bytes, scratch_reserve(MAX_PEEK_RUNS * 16));
}

export function ftruncate(size: i64): i32 {
  return proc.ftruncate(size);
}

/** -1: RLIM_INFINITY. */
export function setrlimit_fsize(bytes: i64): i32 {
  return proc.setrlimit_fsize(bytes);
}

/**
 * Where the page holding `addr` lives in linear memory as user space sees it:
 * the ring's bytes, a zero page for anonymous memory, 0 when nothing maps it.
 * For comparing raw ring bytes with the model.
 */
export function page_bytes(addr: i64): usize {
  return proc.mm.pageForRead(addr >> PAGE_SHIFT);
}
