// The syscall surface every in-process backend (model, wasm) offers the
// scenario runner. Addresses are byte addresses as plain numbers (they stay
// below 2^47); errno is symbolic, null on success.
import { IOCB_BYTES } from "../../assembly/abi/codes.js";
import { IOPRIO_NONE } from "../../assembly/abi/iocb-flags.js";
import type { Profile } from "./profile.js";
import type { Errno, SignalArg } from "./scenario.js";

export interface SysResult {
  ret: number;
  errno: Errno;
}

export interface RingHeaderRead {
  errno: null;
  id: number;
  nr: number;
  head: number;
  tail: number;
  magic: number;
  compat_features: number;
  incompat_features: number;
  header_length: number;
  /** Size of the VMA holding the address. */
  pages: number;
  /** The header id equals the low 32 bits of the address the context was set up at (3.11). */
  idIsSetupAddress: boolean;
}

export type IoCmd = "pread" | "pwrite" | "fsync" | "fdsync" | "bad" | "noop" | "preadv" | "pwritev" | "poll";
/** A vectored block's iovec array: its segment lengths, or one the kernel cannot read (a one-segment array at NULL or unmapped memory). */
export type Iov = readonly number[] | "fault";
/** The descriptor io_submit's blocks name: the test file read-write, a closed fd, or the file read-only, write-only, in append mode or with O_DIRECT. */
export type IoFd = "rdwr" | "bad" | "rdonly" | "wronly" | "append" | "direct" | PipeEnd;
/** One end of a pipe (its id from `pipe`): a poll block's descriptor. */
export interface PipeEnd {
  pipe: number;
  write: boolean;
}
/** A control block io_submit took: the index of its io_submit step (SubmitOptions.step) and its place in that call's array. */
export interface BlockRef {
  submit: number;
  block: number;
}

/** io_submit's aio_resfd with IOCB_FLAG_RESFD: an eventfd (its id from `eventfd`), a closed descriptor, the test file; null: no flag. */
export type Resfd = number | "bad" | "file" | null;

/** What `page` says of the page holding an address: a ring, anonymous memory, a mapping of the test file, or nothing. */
export type PageKind = "aio" | "anon" | "file" | "none";

/**
 * What one io_submit call says besides its context, block count, opcode and
 * user data: every block carries the same fields (a scenario step states
 * them once). `submitOptions` fills in what a caller leaves out.
 */
export interface SubmitOptions {
  /** The descriptor the blocks name. */
  fd: IoFd;
  /** The first entry of the iocb array the kernel cannot read (the array pointer itself: 0), -1 for none. */
  faultAt: number;
  /** Bytes each block moves: a vectored block's segments' sum, a sync block's 0. */
  nbytes: number;
  offset: number;
  /** aio_rw_flags (abi/rwf.ts RWF_*). */
  rwFlags: number;
  resfd: Resfd;
  /** aio_reqprio with IOCB_FLAG_IOPRIO (0 to 0xffff), or IOPRIO_NONE: no flag. */
  ioprio: number;
  /** A preadv or pwritev block's iovec array. */
  iov?: Iov;
  /** A poll block's aio_buf: the events it waits for (abi/poll.ts). */
  events: number;
  /** The scenario step of the call: a pending poll block is known by it and its index (BlockRef). */
  step: number;
}

/** A call's options with its omissions filled in: IOCB_BYTES read-write at offset 0, no fault, no flags. */
export function submitOptions(o: Partial<SubmitOptions>): SubmitOptions {
  return {
    fd: o.fd ?? "rdwr",
    faultAt: o.faultAt ?? -1,
    nbytes: o.nbytes ?? IOCB_BYTES,
    offset: o.offset ?? 0,
    rwFlags: o.rwFlags ?? 0,
    resfd: o.resfd ?? null,
    ioprio: o.ioprio ?? IOPRIO_NONE,
    iov: o.iov,
    events: o.events ?? 0,
    step: o.step ?? -1,
  };
}

/** The machine a scenario's process runs on: CPU count, the aio-max-nr limit and contexts already held, zero-page faults. */
export interface ProcessConfig {
  cpus: number;
  aio_max_nr: number;
  aio_nr: number;
  /**
   * A read fault on private anonymous memory maps the shared zero page (true,
   * what every profile was measured with); false: it allocates a page, so the
   * VMA gets an anon_vma (a property of the kernel build, FINDINGS 33).
   */
  zero_page: boolean;
  /**
   * The test file's filesystem: a tmpfs of this many bytes (page granular),
   * whose pages its writes allocate until ENOSPC (FINDINGS 49); absent: a
   * memfd, whose space has no limit.
   */
  tmpfs_bytes?: number;
}

/** Events io_getevents copied out: each one's user data and res. */
export type Reaped = SysResult & { data: number[]; res: number[] };
/** An event user space stores into a ring slot (obj 0: no result shows it). */
export interface StoredEvent {
  data: number;
  res: number;
  res2: number;
}
/** Events read from ring slots through a mapping: ret is how many. */
export type RingEvents = SysResult & { data: number[]; res: number[]; res2: number[] };
/** io_pgetevents's answer: io_getevents's, and whether the pending signal's handler ran (1) or not (0). */
export type SignalReaped = Reaped & { delivered: number };
/** A timeout in ns, none (null), or a pointer the kernel cannot read ("fault"). */
export type Timeout = number | null | "fault";

/** io_setup's context pointer: holding 0 (a valid call), already non-zero, or one the kernel cannot read. */
export type Ctxp = "zero" | "nonzero" | "fault";

/** One process of the modelled kernel, as the scenario runner drives it. */
export interface AioBackend {
  /** The kernel generation it models. */
  readonly profile: Profile;
  io_setup(nr_events: number, ctxp: Ctxp): SysResult & { ctx: number };
  io_destroy(ctx: number): SysResult;
  /** io_submit(2) of `count` blocks with user data `data`, `data` + 1, ...; `opts` omitted: `submitOptions`'s defaults. */
  io_submit(ctx: number, count: number, cmd: IoCmd, data: number, opts?: Partial<SubmitOptions>): SysResult;
  /** eventfd(initval, EFD_NONBLOCK, with EFD_SEMAPHORE if `semaphore`): its id for io_submit's `resfd` and eventfd_read. */
  eventfd(initval: number, semaphore: boolean): SysResult & { efd: number };
  /** read(2) of an eventfd's counter: 8 and the value (the count, or 1 for a semaphore), or EAGAIN when it is 0. */
  eventfd_read(efd: number): SysResult & { value?: number };
  /**
   * null: the call would block forever (no timeout, too few events): a scenario error.
   * `timeout_ns` "fault": a timeout pointer the kernel cannot read; `eventsFault`: an events buffer it cannot write.
   */
  io_getevents(ctx: number, min_nr: number, nr: number, timeout_ns: Timeout, eventsFault?: boolean): Reaped | null;
  /**
   * io_getevents under a signal mask (`sig`); `delivered`: 1 when the
   * pending SIGUSR1's handler ran during the call.
   */
  io_pgetevents(ctx: number, min_nr: number, nr: number, timeout_ns: Timeout, eventsFault: boolean, sig: SignalArg): SignalReaped | null;
  /** SIGUSR1 to the process itself, which keeps it blocked: it stays pending until a mask lets it in. */
  raise(): SysResult;
  /**
   * `iocb`: the control block's user address (IOCB_ADDR, the first block
   * io_submit uses, or an address that cannot be read), or a block an
   * earlier io_submit step took.
   */
  io_cancel(ctx: number, iocb: number | BlockRef): SysResult;
  /** pipe2(O_NONBLOCK): its id, for `PipeEnd` and pipe_write / pipe_read. */
  pipe(): SysResult & { pipe: number };
  /** write(2) of `bytes` into the pipe (it never holds more than PIPE_MAX_BYTES): `bytes`; it wakes the poll blocks waiting on its read end. */
  pipe_write(pipe: number, bytes: number): SysResult;
  /** read(2) of up to `bytes` from the pipe: what it held, up to that; EAGAIN when it is empty (its write end stays open). */
  pipe_read(pipe: number, bytes: number): SysResult;
  user_reap(ctx: number, max: number): SysResult & { data: number[] };
  /** `bytes` bytes of the I/O buffer from `offset` set to `value` (memset). */
  buf_fill(offset: number, bytes: number, value: number): SysResult;
  /** `bytes` bytes of the I/O buffer from `offset` as [length, value] runs of equal bytes (ByteRuns.peek's cap). */
  buf_peek(offset: number, bytes: number): SysResult & { runs: [number, number][] };
  /** ftruncate(2) of the test file to `size` bytes. */
  ftruncate(size: number): SysResult;
  /**
   * setrlimit(RLIMIT_FSIZE) of the process, soft limit only (null:
   * RLIM_INFINITY). SIGXFSZ is ignored, so a write past it is -EFBIG in its
   * event's res, an ftruncate past it EFBIG.
   */
  setrlimit_fsize(bytes: number | null): SysResult;
  ring(addr: number): RingHeaderRead | { errno: Errno };
  /**
   * User space's store of `head` into the header of the ring mapped at
   * `addr` (a u32 at addr + 8): EFAULT when unmapped, EINVAL when not ring
   * memory (a scenario writes no anonymous memory).
   */
  store_head(addr: number, head: number): SysResult;
  /** User space's store of an event (obj 0) into slot `slot` of the ring mapped at `addr`; errors as store_head. */
  store_event(addr: number, slot: number, ev: StoredEvent): SysResult;
  /** `count` events from slot `slot` on (no wrap) of the ring mapped at `addr`, read through the mapping. */
  ring_events(addr: number, slot: number, count: number): RingEvents;
  /**
   * `at`: MAP_FIXED there (replacing what it covers; with `noReplace`, MAP_FIXED_NOREPLACE: EEXIST when anything is there); null: the kernel chooses,
   * or with `align` (pages, a power of two; 0 for none) the highest free odd multiple of it below the scenario ceiling.
   * `shared`: MAP_SHARED (a shmem object of its own) rather than MAP_PRIVATE; `prot`: PROT_READ | PROT_WRITE bits (default both).
   * `filePage` (0 or more): map the test file from that page on (shared or private) instead of anonymous memory.
   */
  mmap(
    pages: number,
    at?: number | null,
    noReplace?: boolean,
    align?: number,
    shared?: boolean,
    prot?: number,
    filePage?: number,
  ): SysResult & { addr: number };
  munmap(addr: number, pages: number): SysResult;
  /**
   * `to` null: MREMAP_MAYMOVE only; otherwise MREMAP_FIXED too. `mayMove`
   * false: without MREMAP_MAYMOVE (a resize in place only). `dontUnmap`:
   * MREMAP_DONTUNMAP too (the new address hint 0 without `to`).
   */
  mremap(addr: number, old_pages: number, new_pages: number, to: number | null, mayMove?: boolean, dontUnmap?: boolean): SysResult & { addr: number };
  /**
   * `f` run by a forked child of the process, which then exits: a copy of
   * its mappings (rings too where the profile's fork copies them), no
   * context table, nothing it does seen by the parent.
   */
  inChild<T>(f: (child: AioBackend) => T): T;
  page(addr: number): PageKind;
  /**
   * Writes `value` into every byte of the `pages` pages from the one holding
   * `addr`, up to the first that is not anonymous memory or a file mapping
   * (unmapped, or a ring: its pages are not written here) or whose write
   * faults (not PROT_WRITE, or a shared page past its object's end, or a
   * file page past the file's last page): the pages written.
   */
  fill(addr: number, pages: number, value: number): number;
  /**
   * The byte each of the `pages` pages from the one holding `addr` holds (-1: a file page whose bytes differ),
   * up to the first that is not anonymous memory or a file mapping, or whose read faults.
   */
  peek(addr: number, pages: number): number[];
  /**
   * A thread blocked in io_getevents holds the context lookup_ioctx found
   * for it (src/scenario/threads.ts): thread slot `w` (0 to MAX_THREADS - 1)
   * remembers the one `ctx` names now (replacing what the slot held), false
   * when none.
   */
  watch_ctx(w: number, ctx: number): boolean;
  /** Whether `ctx` names the context slot `w` holds now (an io_destroy of it wakes its waiter; a second waiter on it is refused). */
  watches(w: number, ctx: number): boolean;
  /** Slot `w`'s context's ctx->tail (it moves with every completion, which wakes its waiter), or -1 once it is dead. */
  watched_tail(w: number): number;
  /**
   * What a completion compares with a waiter's outstanding min_nr before
   * waking it: ctx->tail against the header's head as stored, in u32
   * arithmetic (tail - head, or tail + nr - head when the head is not below
   * the tail), not the events a read would find (FINDINGS 56).
   */
  watched_avail(w: number): number;
  /** Up to `nr` events from slot `w`'s live context's ring, read as io_getevents reads them, wherever the ring is mapped. */
  watched_read(w: number, nr: number): Reaped;
}

export const ok = (ret = 0): SysResult => ({ ret, errno: null });
export const fail = (errno: NonNullable<Errno>): SysResult => ({ ret: -1, errno });
