// The WASM core as an AioBackend: a thin typed facade over one core instance
// (one modelled process). Converts numbers to the core's i64 (BigInt) and its
// -errno results to symbolic errnos; reads variable-size output from the
// core's scratch area. The batch methods return the core's raw result
// (a count, or -errno: see errnoName) so they add nothing per event.
import { profileBits, type Profile } from "../contract/profile.js";
import {
  type AioBackend,
  type BlockRef,
  type Ctxp,
  type IoCmd,
  type IoFd,
  type PageKind,
  type PipeEnd,
  type ProcessConfig,
  type Reaped,
  type RingEvents,
  type RingHeaderRead,
  type StoredEvent,
  type SignalReaped,
  type SubmitOptions,
  submitOptions,
  type SysResult,
  type Timeout,
} from "../contract/backend.js";
import { RESFD_BAD, RESFD_FILE, RESFD_NONE } from "../../assembly/abi/iocb-flags.js";
import type { Errno, SignalArg } from "../contract/scenario.js";
import {
  CMD_BAD,
  CMD_FDSYNC,
  CMD_FSYNC,
  CMD_NOOP,
  CMD_POLL,
  CMD_PREAD,
  CMD_PREADV,
  CMD_PWRITE,
  CMD_PWRITEV,
  CTXP_FAULT,
  CTXP_NONZERO,
  CTXP_ZERO,
  FAULT_EVENTS,
  FAULT_TIMEOUT,
  FD_APPEND,
  FD_BAD,
  FD_DIRECT,
  FD_PIPE,
  FD_RDONLY,
  FD_RDWR,
  FD_WRONLY,
  IOV_FAULT,
  KIND_AIO,
  KIND_ANON,
  KIND_FILE,
  KIND_NONE,
} from "../../assembly/abi/codes.js";
import { PAGE_SIZE } from "../../assembly/abi/ring.js";
import { PROT_RW } from "../../assembly/abi/address-space.js";

/** io_submit's fd code: a test-file word's FD_*, or a pipe end's FD_PIPE + 2 x pipe (+ 1: the write end). */
const fdCode = (fd: IoFd): number => (typeof fd === "object" ? FD_PIPE + 2 * fd.pipe + (fd.write ? 1 : 0) : FD[fd]);
import { WOULD_BLOCK, errnoName, isErr } from "./errno.js";
import type { CoreExports } from "../contract/wasm/core-exports.js";
import { instantiateCore } from "./wasm.js";

/** io_submit's cmd codes. */
const CMD: Record<IoCmd, number> = {
  pread: CMD_PREAD,
  pwrite: CMD_PWRITE,
  fsync: CMD_FSYNC,
  fdsync: CMD_FDSYNC,
  bad: CMD_BAD,
  noop: CMD_NOOP,
  preadv: CMD_PREADV,
  pwritev: CMD_PWRITEV,
  poll: CMD_POLL,
};
const FD: Record<Exclude<IoFd, PipeEnd>, number> = { rdwr: FD_RDWR, bad: FD_BAD, rdonly: FD_RDONLY, wronly: FD_WRONLY, append: FD_APPEND, direct: FD_DIRECT };
const CTXP: Record<Ctxp, number> = { zero: CTXP_ZERO, nonzero: CTXP_NONZERO, fault: CTXP_FAULT };
/** page's kind codes. */
const KINDS: Record<number, PageKind> = { [KIND_NONE]: "none", [KIND_AIO]: "aio", [KIND_ANON]: "anon", [KIND_FILE]: "file" };

const U32 = 2 ** 32;

export class WasmProcess implements AioBackend {
  private readonly core: CoreExports;

  constructor(
    readonly profile: Profile,
    private config: ProcessConfig,
    /** The compiled core to instantiate (default build/core.wasm; a counted twin to count instructions). */
    module?: WebAssembly.Module,
  ) {
    this.core = instantiateCore(module);
    this.reset();
  }

  /** Starts over with a fresh process of the same profile, in the same config or a new one (another aio-nr, say). */
  reset(config: ProcessConfig = this.config): void {
    this.config = config;
    this.core.reset(profileBits(this.profile), this.config.cpus, BigInt(this.config.aio_max_nr), BigInt(this.config.aio_nr), this.config.zero_page ? 1 : 0);
    if (config.tmpfs_bytes !== undefined) this.core.set_tmpfs(config.tmpfs_bytes / PAGE_SIZE);
  }

  // ---- AioBackend ----------------------------------------------------------

  io_setup(nr_events: number, ctxp: Ctxp): SysResult & { ctx: number } {
    const r = Number(this.core.io_setup(nr_events, CTXP[ctxp]));
    return isErr(r) ? { ret: -1, errno: errnoName(r), ctx: 0 } : { ret: 0, errno: null, ctx: r };
  }

  io_destroy(ctx: number): SysResult {
    return sys(this.core.io_destroy(BigInt(ctx)));
  }

  io_submit(ctx: number, count: number, cmd: IoCmd, data: number, opts: Partial<SubmitOptions> = {}): SysResult {
    const { fd, faultAt, nbytes, offset, rwFlags, resfd, ioprio, iov, events, step } = submitOptions(opts);
    const efd = resfd === null ? RESFD_NONE : resfd === "bad" ? RESFD_BAD : resfd === "file" ? RESFD_FILE : resfd;
    // The core takes the 32 flag bits as an i32: 0x80000000 and up travel as negative numbers.
    // An iovec array crosses as its segment count: its lengths are summed in nbytes.
    const segs = iov === undefined ? 0 : iov === "fault" ? IOV_FAULT : iov.length;
    return sys(
      this.core.io_submit(
        BigInt(ctx),
        count,
        CMD[cmd],
        BigInt(data),
        fdCode(fd),
        faultAt,
        BigInt(nbytes),
        BigInt(offset),
        rwFlags | 0,
        efd,
        ioprio,
        segs,
        events | 0,
        step,
      ),
    );
  }

  eventfd(initval: number, semaphore: boolean): SysResult & { efd: number } {
    return { ret: 0, errno: null, efd: this.core.eventfd(BigInt(initval), semaphore ? 1 : 0) };
  }

  eventfd_read(efd: number): SysResult & { value?: number } {
    const r = Number(this.core.eventfd_read(efd));
    return isErr(r) ? { ret: -1, errno: errnoName(r) } : { ret: 8, errno: null, value: r };
  }

  io_cancel(ctx: number, iocb: number | BlockRef): SysResult {
    if (typeof iocb === "number") return sys(this.core.io_cancel(BigInt(ctx), BigInt(iocb), -1, 0));
    return sys(this.core.io_cancel(BigInt(ctx), 0n, iocb.submit, iocb.block));
  }

  pipe(): SysResult & { pipe: number } {
    return { ret: 0, errno: null, pipe: this.core.pipe() };
  }

  pipe_write(pipe: number, bytes: number): SysResult {
    return sys(this.core.pipe_write(pipe, bytes));
  }

  pipe_read(pipe: number, bytes: number): SysResult {
    return sys(this.core.pipe_read(pipe, bytes));
  }

  io_getevents(ctx: number, min_nr: number, nr: number, timeout_ns: Timeout, eventsFault = false): Reaped | null {
    const r = this.core.io_getevents(BigInt(ctx), min_nr, nr, ...timeoutArgs(timeout_ns, eventsFault));
    if (r === -WOULD_BLOCK) return null;
    return this.reaped(r);
  }

  io_pgetevents(ctx: number, min_nr: number, nr: number, timeout_ns: Timeout, eventsFault: boolean, sig: SignalArg): SignalReaped | null {
    const pending = this.core.signal_pending();
    const r = this.core.io_pgetevents(BigInt(ctx), min_nr, nr, ...timeoutArgs(timeout_ns, eventsFault), sig.usig, BigInt(sig.sigsetsize));
    if (r === -WOULD_BLOCK) return null;
    // The handler ran when the call took the pending signal.
    return { ...this.reaped(r), delivered: pending && !this.core.signal_pending() ? 1 : 0 };
  }

  raise(): SysResult {
    return sys(this.core.raise());
  }

  user_reap(ctx: number, max: number): SysResult & { data: number[] } {
    return this.withData(this.core.user_reap(BigInt(ctx), max));
  }

  store_head(addr: number, head: number): SysResult {
    return sys(this.core.store_head(BigInt(addr), head));
  }

  store_event(addr: number, slot: number, ev: StoredEvent): SysResult {
    return sys(this.core.store_event(BigInt(addr), BigInt(slot), BigInt(ev.data), BigInt(ev.res), BigInt(ev.res2)));
  }

  ring_events(addr: number, slot: number, count: number): RingEvents {
    const r = this.core.ring_events(BigInt(addr), BigInt(slot), count);
    if (isErr(r)) return { ret: -1, errno: errnoName(r), data: [], res: [], res2: [] };
    const v = this.scratch(3 * r);
    return { ret: r, errno: null, data: v.filter((_, i) => i % 3 === 0), res: v.filter((_, i) => i % 3 === 1), res2: v.filter((_, i) => i % 3 === 2) };
  }

  ring(addr: number): RingHeaderRead | { errno: Errno } {
    const r = this.core.ring(BigInt(addr));
    if (isErr(r)) return { errno: errnoName(r) };
    const [id, nr, head, tail, magic, compat_features, incompat_features, header_length, pages, idIsSetupAddress] = this.scratch(10);
    return { errno: null, id, nr, head, tail, magic, compat_features, incompat_features, header_length, pages, idIsSetupAddress: idIsSetupAddress === 1 };
  }

  mmap(pages: number, at: number | null = null, noReplace = false, align = 0, shared = false, prot = PROT_RW, filePage = -1): SysResult & { addr: number } {
    return addrResult(
      this.core.mmap(BigInt(pages), at === null ? 0 : 1, BigInt(at ?? 0), noReplace ? 1 : 0, BigInt(align), shared ? 1 : 0, prot, BigInt(filePage)),
    );
  }

  munmap(addr: number, pages: number): SysResult {
    return sys(this.core.munmap(BigInt(addr), BigInt(pages)));
  }

  mremap(addr: number, old_pages: number, new_pages: number, to: number | null, mayMove = true, dontUnmap = false): SysResult & { addr: number } {
    return addrResult(
      this.core.mremap(BigInt(addr), BigInt(old_pages), BigInt(new_pages), to === null ? 0 : 1, BigInt(to ?? 0), mayMove ? 1 : 0, dontUnmap ? 1 : 0),
    );
  }

  ftruncate(size: number): SysResult {
    return sys(this.core.ftruncate(BigInt(size)));
  }

  buf_fill(offset: number, bytes: number, value: number): SysResult {
    return sys(this.core.buf_fill(BigInt(offset), BigInt(bytes), value));
  }

  buf_peek(offset: number, bytes: number): SysResult & { runs: [number, number][] } {
    const n = this.core.buf_peek(BigInt(offset), BigInt(bytes));
    const f = new Float64Array(this.core.memory.buffer, this.core.scratch_ptr(), 2 * n);
    const runs: [number, number][] = [];
    for (let k = 0; k < n; k++) runs.push([f[2 * k], f[2 * k + 1]]);
    return { ...sys(0), runs };
  }

  setrlimit_fsize(bytes: number | null): SysResult {
    return sys(this.core.setrlimit_fsize(BigInt(bytes ?? -1)));
  }

  /** The core runs a forked copy of its process until `f` returns, then the parent again. */
  inChild<T>(f: (child: AioBackend) => T): T {
    this.core.fork_child();
    try {
      return f(this);
    } finally {
      this.core.exit_child();
    }
  }

  page(addr: number): PageKind {
    return KINDS[this.core.page(BigInt(addr))];
  }

  fill(addr: number, pages: number, value: number): number {
    return Number(this.core.fill(BigInt(addr), BigInt(pages), value));
  }

  peek(addr: number, pages: number): number[] {
    const n = this.core.peek(BigInt(addr), BigInt(pages));
    return Array.from(new Int32Array(this.core.memory.buffer, this.core.scratch_ptr(), n));
  }

  // ---- batch hot paths (raw results: count, or -errno) ---------------------

  /** io_submit of `n` preads with user data data, data + 1, ...: submitted, or -errno. */
  submitBatch(ctx: number, n: number, data: number): number {
    return this.core.submit_batch(ctx, n, data);
  }

  /** User-space reap of up to `max` events through the mapping at `ctx` (data into checksum()). */
  reapBatch(ctx: number, max: number): number {
    return this.core.reap_batch(ctx, max);
  }

  /** io_getevents(ctx, 0, max, timeout 0) (data into checksum()). */
  getEventsBatch(ctx: number, max: number): number {
    return this.core.getevents_batch(ctx, max);
  }

  /** `calls` calls of io_getevents(ctx, 1, 1, timeout 0), looped inside WASM: events reaped, or -errno. */
  getEventsZeroTimeout(ctx: number, calls: number): number {
    return this.core.getevents_calls(BigInt(ctx), calls);
  }

  /** lookup_ioctx for every id: how many name a live context. */
  lookupBatch(ids: Float64Array | BigUint64Array): number {
    const n = ids.length;
    const ptr = this.core.scratch_reserve(n * 8);
    if (ids instanceof BigUint64Array) {
      new BigUint64Array(this.core.memory.buffer, ptr, n).set(ids);
    } else {
      // u64 as two u32 halves: no BigInt per id (ids are addresses, below 2^53).
      const words = new Uint32Array(this.core.memory.buffer, ptr, n * 2);
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        words[2 * i] = id >>> 0;
        words[2 * i + 1] = Math.floor(id / U32);
      }
    }
    return this.core.lookup_batch(ptr, n);
  }

  /** Moves the mapping at `ctx` to `spare` and back, `n` moves through mremap and the ring hook: moves that succeeded. */
  remapBatch(ctx: number, spare: number, n: number): number {
    return this.core.remap_batch(ctx, spare, n);
  }

  /** `events` submits and user reaps in batches of `batch`, all inside WASM: the sum of the user data reaped (0 + 1 + ...), or -errno. */
  ringLoop(ctx: number, events: number, batch: number): number {
    return Number(this.core.ring_loop(ctx, events, batch));
  }

  /** Sum of the user data the batch methods read since the process started, modulo 2^64. */
  checksum(): bigint {
    return BigInt.asUintN(64, this.core.data_checksum());
  }

  /** Table slots the ring-remap hook visited (as AioProcess.hookSlotsVisited). */
  get hookSlotsVisited(): number {
    return this.core.hook_slots_visited();
  }

  /** A copy of the page holding `addr` as user space sees it (zeros for anonymous memory), or null when unmapped. */
  pageBytes(addr: number): Uint8Array | null {
    const ptr = this.core.page_bytes(BigInt(addr));
    return ptr === 0 ? null : new Uint8Array(this.core.memory.buffer, ptr, PAGE_SIZE).slice();
  }

  watch_ctx(w: number, ctx: number): boolean {
    return this.core.watch_ctx(w, BigInt(ctx)) !== 0;
  }

  watches(w: number, ctx: number): boolean {
    return this.core.watches(w, BigInt(ctx)) !== 0;
  }

  watched_tail(w: number): number {
    return this.core.watched_tail(w);
  }

  watched_avail(w: number): number {
    return this.core.watched_avail(w) >>> 0;
  }

  watched_read(w: number, nr: number): Reaped {
    return this.reaped(this.core.watched_read(w, nr));
  }

  /** The instance's raw exports (a counted instance's counter among them). */
  get exports(): WebAssembly.Exports {
    return this.core as unknown as WebAssembly.Exports;
  }

  // ---- helpers ----------------------------------------------------------------

  private scratch(n: number): number[] {
    return Array.from(new Float64Array(this.core.memory.buffer, this.core.scratch_ptr(), n));
  }

  /** io_getevents's events: (data, res) pairs in scratch. */
  private reaped(r: number): Reaped {
    if (isErr(r)) return { ret: -1, errno: errnoName(r), data: [], res: [] };
    const pairs = this.scratch(2 * r);
    return { ret: r, errno: null, data: pairs.filter((_, i) => i % 2 === 0), res: pairs.filter((_, i) => i % 2 === 1) };
  }

  private withData(r: number): SysResult & { data: number[] } {
    return isErr(r) ? { ret: -1, errno: errnoName(r), data: [] } : { ret: r, errno: null, data: this.scratch(r) };
  }
}

/** The core's (has_timeout, timeout_ns, faults) for a timeout and whether the events buffer can be written. */
function timeoutArgs(timeout_ns: Timeout, eventsFault: boolean): [number, number, number] {
  const faults = (timeout_ns === "fault" ? FAULT_TIMEOUT : 0) | (eventsFault ? FAULT_EVENTS : 0);
  if (timeout_ns === null) return [0, 0, faults];
  return [1, timeout_ns === "fault" ? 0 : timeout_ns, faults];
}

function sys(r: number): SysResult {
  return isErr(r) ? { ret: -1, errno: errnoName(r) } : { ret: r, errno: null };
}

function addrResult(r: bigint): SysResult & { addr: number } {
  const addr = Number(r);
  return isErr(addr) ? { ret: -1, errno: errnoName(addr), addr: 0 } : { ret: 0, errno: null, addr };
}
