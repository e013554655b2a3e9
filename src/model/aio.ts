// One process of the modelled kernel: fs/aio.c's syscalls over the address
// space of mm.ts, sectioned as the kernel's file is (setup, table, ring
// remap hook, syscalls). The readable oracle for the WASM core.
import { EFBIG } from "../../assembly/abi/errno.js";
import { IOCB_ADDR, IOCB_SIZE, UIO_MAXIOV } from "../../assembly/abi/iocb.js";
import { RWF_APPEND, RWF_NOAPPEND, RWF_REFUSED_ON_FILE } from "../../assembly/abi/rwf.js";
import { IOPRIO_NONE } from "../../assembly/abi/iocb-flags.js";
import { MAX_THREADS } from "../../assembly/abi/limits.js";
import { DEFAULT_POLLMASK, PIPE_WRITE_WAKE, POLL_ALWAYS } from "../../assembly/abi/poll.js";
import { IO_FILE_BYTES, SIGMASK_FAULT, SIGMASK_NULL, SIGMASK_UNBLOCK, SIGSET_SIZE, USIG_FAULT, USIG_NULL } from "../../assembly/abi/codes.js";
import {
  fail,
  ok,
  type Reaped,
  type SignalReaped,
  type Timeout,
  type AioBackend,
  type BlockRef,
  type Ctxp,
  type IoCmd,
  type IoFd,
  type PageKind,
  type ProcessConfig,
  type RingEvents,
  type RingHeaderRead,
  type StoredEvent,
  type SubmitOptions,
  submitOptions,
  type SysResult,
} from "../contract/backend.js";
import { setupEvents } from "../contract/geometry.js";
import type { Profile } from "../contract/profile.js";
import { type Errno, type ErrnoName, isSyncCmd, type SignalArg } from "../contract/scenario.js";
import { hrtimerSleep } from "../util/hrtimer.js";
import { ByteRuns } from "./byte-runs.js";
import { TestFile } from "./test-file.js";
import { Eventfds } from "./eventfd.js";
import { Pipes } from "./pipe.js";
import { ioprioRefused } from "./ioprio.js";
import { Kioctx } from "./kioctx.js";
import { TmpfsSpace } from "./tmpfs.js";
import { IoctxList, IoctxTable } from "./ioctx-table.js";
import { AddressSpace, PAGE_SIZE, PROT_RW, TASK_SIZE_PAGE, type Vma } from "./mm.js";
import {
  AIO_MAX_RING_EVENTS,
  AIO_RING_HEADER,
  AIO_RING_INCOMPAT_FEATURES,
  AIO_RING_MAGIC,
  AioRing,
  IO_EVENT_SIZE,
  RING_HEAD,
  RING_INCOMPAT,
  RING_MAGIC,
  RING_NR,
  RING_TAIL,
  eventsInRing,
  ringGeometry,
} from "./ring.js";

const U32 = 2 ** 32;

const refusedReap = (errno: ErrnoName): Reaped => ({ ...fail(errno), data: [], res: [] });

/**
 * Why io_submit refuses a block, or null. The live kernel looks up the fd,
 * then the eventfd of IOCB_FLAG_RESFD (FINDINGS 46), then the opcode
 * (FINDINGS 1; NOOP is no opcode to it, FINDINGS 47), then the priority of
 * IOCB_FLAG_IOPRIO (FINDINGS 46), then the block's rw_flags against the
 * ones it knows and those the file takes (FINDINGS 44), then the file's
 * open mode against the opcode (FINDINGS 40), then a vectored block's
 * iovec array (more than UIO_MAXIOV segments, or one it cannot read,
 * FINDINGS 47), then the position. A sync block takes no range, no
 * rw_flags and ignores the open mode and the priority: any nbytes, offset
 * or flag is EINVAL (FINDINGS 43, 44), and so is the block itself where
 * the generation has no aio fsync.
 */
function submitRefusal(cmd: IoCmd, o: SubmitOptions, p: Profile): ErrnoName | null {
  const { fd, nbytes, offset, rwFlags, resfd, ioprio, iov } = o;
  if (fd === "bad") return "EBADF";
  if (resfd === "bad") return "EBADF";
  if (resfd === "file") return "EINVAL";
  if (cmd === "bad" || cmd === "noop") return "EINVAL";
  // A poll block (4.18+, with aio fsync) carries its events in aio_buf's low 16 bits and nothing else: no range, no rw_flags (FINDINGS 53).
  if (cmd === "poll") return p.syncOps && o.events <= 0xffff && nbytes === 0 && offset === 0 && rwFlags === 0 ? null : "EINVAL";
  if (isSyncCmd(cmd)) return p.syncOps && nbytes === 0 && offset === 0 && rwFlags === 0 ? null : "EINVAL";
  if (ioprio !== IOPRIO_NONE && ioprioRefused(ioprio, p.ioprio)) return "EINVAL";
  if (rwFlags & ~(p.rwFlagsKnown ?? 0)) return "EOPNOTSUPP";
  // A kernel that knows RWF_NOAPPEND refuses it beside RWF_APPEND before it looks at what the file takes.
  if (rwFlags & RWF_APPEND && rwFlags & RWF_NOAPPEND) return "EINVAL";
  if (rwFlags & RWF_REFUSED_ON_FILE) return "EOPNOTSUPP";
  if (fd === (cmd === "pread" || cmd === "preadv" ? "wronly" : "rdonly")) return "EBADF";
  if (iov === "fault") return "EFAULT";
  if (iov && iov.length > UIO_MAXIOV) return "EINVAL";
  return offset < 0 ? "EINVAL" : null;
}

/** A write lands at the end of the file: O_APPEND or RWF_APPEND, unless RWF_NOAPPEND (FINDINGS 40, 44). */
function appendsAtEnd(fd: IoFd, rwFlags: number): boolean {
  return (fd === "append" || (rwFlags & RWF_APPEND) !== 0) && (rwFlags & RWF_NOAPPEND) === 0;
}

export class AioProcess implements AioBackend {
  /** The test file the control blocks read and write (writes past its end grow it), and file mappings map. A forked child shares it. */
  file = new TestFile();
  mm = new AddressSpace(this.file);
  /** The process that forked this one, while it runs (inChild): a truncation reaches its mappings too. */
  private forkParent: AioProcess | null = null;
  /** mm->ioctx_table: null until the first io_setup, and in a forked child. */
  ioctx_table: IoctxTable | null = null;
  readonly ioctx_list = new IoctxList();
  aio_nr: number;
  /** Table slots the ring-remap hook visited: the scan cost the strategies compete on. */
  hookSlotsVisited = 0;
  /** SIGUSR1, which the process keeps blocked (and handles), is pending: `raise` made it so. */
  signalPending = false;
  /** RLIMIT_FSIZE's soft limit, bytes (Infinity: RLIM_INFINITY); a fork child inherits it. */
  fsizeLimit = Infinity;
  /** The eventfds the process opened (a forked child shares them). */
  eventfds = new Eventfds();
  /** The pipes the process made, and the poll blocks waiting on them (a forked child shares them). */
  pipes = new Pipes();
  /** The file's pages on its tmpfs (ProcessConfig.tmpfs_bytes); null on a memfd, whose space has no limit. */
  space: TmpfsSpace | null;
  /** The I/O buffer every block reads into and writes from (a vectored block's segments one after another from its start). A forked child gets a copy. */
  buf = new ByteRuns();

  constructor(
    readonly profile: Profile,
    readonly config: ProcessConfig,
  ) {
    this.aio_nr = config.aio_nr;
    this.space = config.tmpfs_bytes === undefined ? null : new TmpfsSpace(config.tmpfs_bytes / PAGE_SIZE, IO_FILE_BYTES);
  }

  // ---- setup -------------------------------------------------------------

  io_setup(nr_events: number, ctxp: Ctxp): SysResult & { ctx: number } {
    // get_user(ctxp) comes before any check of the request.
    if (ctxp === "fault") return { ...fail("EFAULT"), ctx: 0 };
    const r = this.ioctx_alloc(nr_events, ctxp === "nonzero");
    return typeof r === "string" ? { ...fail(r), ctx: 0 } : { ...ok(), ctx: r.user_id };
  }

  private ioctx_alloc(nr_events: number, ctxpNonzero: boolean): Kioctx | ErrnoName {
    const p = this.profile;
    if (ctxpNonzero || nr_events === 0) return "EINVAL";
    // The kernel doubles in an unsigned int: 2^31 and more wrap around (FINDINGS 25).
    const n = setupEvents(nr_events, this.config.cpus, p.doubledGeometry);
    if (n > AIO_MAX_RING_EVENTS) return "EINVAL";
    if (n === 0) return "EAGAIN";
    const charge = p.chargeDoubled ? n : nr_events;
    const limit = p.chargeDoubled ? this.config.aio_max_nr * 2 : this.config.aio_max_nr;
    if (charge > limit) return "EAGAIN";
    if (this.aio_nr + charge > limit) return "EAGAIN";

    const { pages, nr } = ringGeometry(n);
    const start = this.mm.unmappedArea(pages);
    if (start < 0) return "ENOMEM";
    const ring = new AioRing(pages, start * PAGE_SIZE);
    this.mm.insert({
      start,
      pages,
      kind: p.ringFile ? "aio" : "anon",
      backing: ring,
      pgoff: 0,
      dontexpand: p.ringDontExpand,
      anon_vma: 0,
      shm: 0,
      prot: PROT_RW,
      fileShared: false,
    });
    const ctx = new Kioctx(p, ring, nr, pages, start * PAGE_SIZE, charge, this.config.cpus);
    if (p.lookup === "table") {
      this.ioctx_table ??= new IoctxTable();
      ctx.id = this.ioctx_table.add(ctx);
    } else {
      this.ioctx_list.add(ctx);
    }
    ring.writeHeader(p.ringIdIsAddress ? ctx.user_id % U32 : ctx.id, nr);
    this.aio_nr += charge;
    return ctx;
  }

  // ---- table: lookup_ioctx ----------------------------------------------

  lookup_ioctx(ctx_id: number): Kioctx | null {
    if (this.profile.lookup === "list") return this.ioctx_list.find(ctx_id);
    const id = this.mm.readU32(ctx_id);
    // get_user(ring->id) faults the page in: without the zero page, that gives anonymous memory an anon_vma.
    if (!this.config.zero_page) this.mm.readFault(ctx_id, 4);
    const table = this.ioctx_table;
    if (id === null || !table || id >= table.nr) return null;
    const ctx = table.table[id];
    return ctx && ctx.user_id === ctx_id && !ctx.dead ? ctx : null;
  }

  io_destroy(ctx_id: number): SysResult {
    const ctx = this.lookup_ioctx(ctx_id);
    if (!ctx) return fail("EINVAL");
    ctx.dead = true;
    if (this.profile.lookup === "table") this.ioctx_table!.remove(ctx);
    else this.ioctx_list.remove(ctx);
    this.aio_nr -= ctx.charge;
    // Its waiting poll blocks are cancelled and complete into the dying context: nothing a scenario sees (FINDINGS 53).
    this.pipes.take((w) => w.ctx === ctx);
    // Unmaps whatever lies at mmap_base now: the hazard of a stale base.
    this.mm.unmap(ctx.mmap_base / PAGE_SIZE, ctx.mmap_size);
    if (this.profile.ringFile) ctx.ring.truncate();
    return ok();
  }

  /**
   * io_cancel: the control block's aio_key is read first (EFAULT when the
   * block cannot be read), then the context is looked up. Nothing in a
   * scenario can be cancelled: buffered reads and writes complete inside
   * io_submit and never register a cancel function, so a valid call, like a
   * bad context, is EINVAL. The lookup still reads the ring id, with its
   * fault (FINDINGS 33). A poll block still waiting in the context is the
   * one thing that can be: it is EINPROGRESS, and the block completes with
   * res 0 (what it waits for is still not ready), from a workqueue that the
   * probe waits for (FINDINGS 53).
   */
  io_cancel(ctx_id: number, iocb: number | BlockRef): SysResult {
    if (typeof iocb === "number" && iocb !== IOCB_ADDR) return fail("EFAULT");
    const ctx = this.lookup_ioctx(ctx_id);
    if (!ctx || typeof iocb === "number") return fail("EINVAL");
    const [w] = this.pipes.take((w) => w.ctx === ctx && w.submit === iocb.submit && w.block === iocb.block);
    if (!w) return fail("EINVAL");
    this.aio_complete(ctx, w.data, w.obj, 0);
    return fail("EINPROGRESS");
  }

  // ---- ring: submit and reap ---------------------------------------------

  /** Every block of the call carries `opts` (`submitOptions`); each completion signals its resfd's eventfd. */
  io_submit(ctx_id: number, count: number, cmd: IoCmd, data: number, opts: Partial<SubmitOptions> = {}): SysResult {
    const o = submitOptions(opts);
    const { faultAt, rwFlags, resfd } = o;
    if (count < 0) return fail("EINVAL");
    const ctx = this.lookup_ioctx(ctx_id);
    if (!ctx) return fail("EINVAL");
    const nr = Math.min(count, ctx.nr_events);
    const known = this.profile.rwFlagsKnown;
    let submitted = 0;
    let error: Errno = null;
    for (let i = 0; i < nr; i++) {
      // Each entry is read before it is looked at: the loop stops at an unreadable one (FINDINGS 36).
      if (i === faultAt) {
        error = "EFAULT";
        break;
      }
      // Before 4.13 the field is reserved: checked before anything else in the block.
      if (known === null && rwFlags !== 0) {
        error = "EINVAL";
        break;
      }
      if (!ctx.get_reqs_available()) {
        error = "EAGAIN";
        break;
      }
      const refused = submitRefusal(cmd, o, this.profile);
      if (refused) {
        ctx.put_reqs_available(1);
        error = refused;
        break;
      }
      if (cmd === "poll") {
        const polled = this.poll(ctx, data + i, IOCB_ADDR + i * IOCB_SIZE, o, i);
        if (polled) {
          ctx.put_reqs_available(1);
          error = polled;
          break;
        }
      } else {
        const res = this.rw(cmd, appendsAtEnd(o.fd, rwFlags), o.nbytes, o.offset);
        // A sync block completes from a workqueue after io_submit has taken every slot it takes (FINDINGS 43, 51).
        if (!isSyncCmd(cmd)) this.aio_complete(ctx, data + i, IOCB_ADDR + i * IOCB_SIZE, res);
      }
      submitted++;
    }
    if (isSyncCmd(cmd)) for (let i = 0; i < submitted; i++) this.aio_complete(ctx, data + i, IOCB_ADDR + i * IOCB_SIZE, 0);
    if (typeof resfd === "number") this.eventfds.signal(resfd, submitted);
    return submitted > 0 || error === null ? ok(submitted) : fail(error);
  }

  /**
   * A poll block: what its fd is ready for now, of what it waits for (its
   * events, POLLERR and POLLHUP), completes it at once with that mask as
   * res. The test file has no poll method and is always ready for
   * DEFAULT_POLLMASK; if that is none of what the block waits for, nothing
   * could ever wake it and the block is EINVAL. A pipe end that is not ready
   * takes the block onto its wait queue: it is pending (FINDINGS 53).
   */
  private poll(ctx: Kioctx, data: number, obj: number, o: SubmitOptions, block: number): ErrnoName | null {
    const events = o.events | POLL_ALWAYS;
    if (typeof o.fd !== "object") {
      const mask = DEFAULT_POLLMASK & events;
      if (mask === 0) return "EINVAL";
      this.aio_complete(ctx, data, obj, mask);
      return null;
    }
    const mask = this.pipes.ready(o.fd.pipe, o.fd.write) & events;
    if (mask !== 0) this.aio_complete(ctx, data, obj, mask);
    else this.pipes.wait(o.fd.pipe, o.fd.write, { ctx, data, obj, events, submit: o.step, block });
    return null;
  }

  pipe(): SysResult & { pipe: number } {
    return { ...ok(), pipe: this.pipes.create() };
  }

  /**
   * A write wakes the poll blocks waiting on the read end for POLLIN or
   * POLLRDNORM, newest first; each completes inside the write with the
   * wake-up's mask (PIPE_WRITE_WAKE) as res, whatever it asked for.
   */
  pipe_write(pipe: number, bytes: number): SysResult {
    const { woken, ...r } = this.pipes.write(pipe, bytes, PIPE_WRITE_WAKE);
    for (const w of woken) this.aio_complete(w.ctx, w.data, w.obj, PIPE_WRITE_WAKE);
    return r;
  }

  pipe_read(pipe: number, bytes: number): SysResult {
    return this.pipes.read(pipe, bytes);
  }

  /**
   * A buffered read or write of the test file: the bytes it moves (its
   * event's res). A read stops at the end of the file; a write grows it
   * (FINDINGS 39); in append mode a write lands at the end, whatever its
   * offset (FINDINGS 40, 44). A vectored block moves its segments' sum alike
   * (FINDINGS 47). A sync block, accepted only with nbytes 0, moves nothing
   * and answers 0. A write that starts at or past RLIMIT_FSIZE is -EFBIG;
   * one that crosses it stops there (FINDINGS 45), and so does one out of tmpfs pages (FINDINGS 49).
   * The bytes moved go between the file and the buffer's start (FINDINGS 58).
   */
  private rw(cmd: IoCmd, append: boolean, nbytes: number, offset: number): number {
    if (cmd === "pread" || cmd === "preadv") {
      const n = Math.min(nbytes, Math.max(0, this.file.size - offset));
      this.buf.copyFrom(this.file.runs, offset, n, 0);
      return n;
    }
    if ((cmd !== "pwrite" && cmd !== "pwritev") || (nbytes === 0 && this.profile.emptyWriteSkipsFsize)) return 0;
    const pos = append ? this.file.size : offset;
    if (pos >= this.fsizeLimit) return -EFBIG;
    const n = Math.min(nbytes, this.fsizeLimit - pos);
    const written = this.space && n > 0 ? this.space.write(pos, n) : n;
    // The bytes the kernel moved, no more: a short write copies its first `written`.
    this.file.runs.copyFrom(this.buf, 0, written, pos);
    if (written > 0) this.file.size = Math.max(this.file.size, pos + written);
    return written;
  }

  /**
   * A buffered read or write completes during submit: its event lands at
   * the context's tail, obj the control block's user address. A sync block
   * completes at the end of the submit, where the kernel completes it from
   * a workqueue moments later; the probe waits for that before it reports
   * the step (FINDINGS 43, 51).
   */
  private aio_complete(ctx: Kioctx, data: number, obj: number, res: number): void {
    const ring = ctx.ring;
    const tail = ctx.tail;
    ring.writeEvent(tail, data, obj, res, 0);
    const head = ring.head;
    ctx.tail = (tail + 1) % ctx.nr_events;
    ring.tail = ctx.tail;
    ctx.completed(head);
  }

  io_getevents(ctx_id: number, min_nr: number, nr: number, timeout_ns: Timeout, eventsFault = false): Reaped | null {
    // The timeout is copied in before the context is looked up.
    if (timeout_ns === "fault") return refusedReap("EFAULT");
    return this.do_io_getevents(ctx_id, min_nr, nr, timeout_ns, eventsFault, false);
  }

  /**
   * io_getevents under the signal mask of `usig` (abi/codes.ts USIG_*,
   * SIGMASK_*): a mask that unblocks the pending SIGUSR1 lets it in for the
   * call, so no wait happens, nothing read is EINTR, and the handler runs
   * on the way out whatever the result (FINDINGS 37).
   */
  io_pgetevents(ctx_id: number, min_nr: number, nr: number, timeout_ns: Timeout, eventsFault: boolean, sig: SignalArg): SignalReaped | null {
    const { usig, sigsetsize } = sig;
    const refused = (errno: ErrnoName) => ({ ...refusedReap(errno), delivered: 0 });
    if (!this.profile.pgetevents) return refused("ENOSYS");
    // The timeout, then the usig struct, then the mask's size, then the mask itself, all before the context.
    if (timeout_ns === "fault" || usig === USIG_FAULT) return refused("EFAULT");
    if (usig !== USIG_NULL && usig !== SIGMASK_NULL) {
      if (sigsetsize !== SIGSET_SIZE) return refused("EINVAL");
      if (usig === SIGMASK_FAULT) return refused("EFAULT");
    }
    const interrupted = usig === SIGMASK_UNBLOCK && this.signalPending;
    const r = this.do_io_getevents(ctx_id, min_nr, nr, timeout_ns, eventsFault, interrupted);
    if (r === null) return null;
    if (!interrupted) return { ...r, delivered: 0 };
    this.signalPending = false;
    return { ...(r.errno === null && r.ret === 0 ? refusedReap("EINTR") : r), delivered: 1 };
  }

  /** `interrupted`: a signal is let in, so a wait ends at once with what was read. */
  private do_io_getevents(ctx_id: number, min_nr: number, nr: number, timeout_ns: number | null, eventsFault: boolean, interrupted: boolean): Reaped | null {
    const ctx = this.lookup_ioctx(ctx_id);
    if (!ctx || min_nr < 0 || min_nr > nr) return refusedReap("EINVAL");
    const ring = ctx.ring;
    const available = headerEvents(ring, ctx.nr_events);
    // The first copy out fails at once, before any wait, and leaves the events in the ring (FINDINGS 36).
    if (eventsFault && Math.min(available, nr) > 0) return refusedReap("EFAULT");
    if (available < min_nr && !interrupted) {
      // The timeout is never validated: a negative one saturates and never expires (FINDINGS 2).
      if (timeout_ns === null || timeout_ns < 0) return null;
      // Before 3.19 a zero timeout still armed a timer and slept on it.
      if (timeout_ns === 0 && this.profile.zeroTimeoutArmsTimer) hrtimerSleep(0);
    }
    return this.aio_read_events(ctx, nr);
  }

  /** kill(getpid(), SIGUSR1) with SIGUSR1 blocked: it stays pending (one, as standard signals do not queue). */
  eventfd(initval: number, semaphore: boolean): SysResult & { efd: number } {
    return { ...ok(), efd: this.eventfds.create(initval, semaphore) };
  }

  eventfd_read(efd: number): SysResult & { value?: number } {
    return this.eventfds.read(efd);
  }

  buf_fill(offset: number, bytes: number, value: number): SysResult {
    this.buf.set(offset, bytes, value);
    return ok();
  }

  buf_peek(offset: number, bytes: number): SysResult & { runs: [number, number][] } {
    return { ...ok(), runs: this.buf.peek(offset, bytes) };
  }

  raise(): SysResult {
    this.signalPending = true;
    return ok();
  }

  /**
   * Copies up to `nr` events from the head and gives their slots back. The
   * answer is built whole: on Node 20's V8 an object spread followed by
   * other keys takes a slow path costing microseconds per call.
   */
  private aio_read_events(ctx: Kioctx, nr: number): Reaped {
    const ring = ctx.ring;
    // Head and tail as user space may have stored them (FINDINGS 51): taken
    // modulo nr unless equal as stored, when the head is left as it is.
    const same = ring.head === ring.tail;
    let head = same ? ring.head : ring.head % ctx.nr_events;
    const k = Math.min(headerEvents(ring, ctx.nr_events), nr);
    const data: number[] = [];
    const res: number[] = [];
    for (let i = 0; i < k; i++) {
      data.push(ring.eventData(head));
      res.push(ring.eventRes(head));
      head = (head + 1) % ctx.nr_events;
    }
    ring.head = head;
    ctx.reaped_by_kernel(k);
    return { ret: k, errno: null, data, res };
  }

  /** The context each thread slot holds (watch_ctx), null for none. */
  private readonly watched: (Kioctx | null)[] = new Array<Kioctx | null>(MAX_THREADS).fill(null);

  watch_ctx(w: number, ctx_id: number): boolean {
    this.watched[w] = this.lookup_ioctx(ctx_id);
    return this.watched[w] !== null;
  }

  watches(w: number, ctx_id: number): boolean {
    const k = this.watched[w];
    return k !== null && this.lookup_ioctx(ctx_id) === k;
  }

  watched_tail(w: number): number {
    const k = this.watched[w];
    return k === null || k.dead ? -1 : k.tail;
  }

  watched_avail(w: number): number {
    const k = this.watched[w]!;
    const head = k.ring.head;
    // u32 arithmetic: a stored head past the tail (any u32) wraps to a large count, which wakes the waiter.
    return k.tail > head ? k.tail - head : (k.tail + k.nr_events - head) >>> 0;
  }

  watched_read(w: number, nr: number): Reaped {
    return this.aio_read_events(this.watched[w]!, nr);
  }

  /**
   * A size past RLIMIT_FSIZE is EFBIG (and SIGXFSZ, ignored); a shrink never
   * is. What a shrink drops reads as zeros when the file grows again, and
   * every process mapping the file privately loses its copies past the end.
   */
  ftruncate(size: number): SysResult {
    if (size > this.file.size && size > this.fsizeLimit) return fail("EFBIG");
    this.space?.truncate(size);
    const shrinks = size < this.file.size;
    this.file.truncate(size);
    for (let p: AioProcess | null = this; shrinks && p; p = p.forkParent) p.mm.dropFileCopies(this.file.pages);
    return ok();
  }

  setrlimit_fsize(bytes: number | null): SysResult {
    this.fsizeLimit = bytes ?? Infinity;
    return ok();
  }

  /** libaio-style reaping: everything through the user mapping at `addr`, no syscall. */
  user_reap(addr: number, max: number): SysResult & { data: number[] } {
    const mm = this.mm;
    const magic = mm.readU32(addr + RING_MAGIC);
    const incompat = mm.readU32(addr + RING_INCOMPAT);
    const nr = mm.readU32(addr + RING_NR);
    let head = mm.readU32(addr + RING_HEAD);
    const tail = mm.readU32(addr + RING_TAIL);
    if (magic === null || incompat === null || nr === null || head === null || tail === null) return { ...fail("EFAULT"), data: [] };
    // A head or tail past the ring is not one the kernel wrote: the reaper refuses it, as libaio's checks do.
    if (magic !== AIO_RING_MAGIC || incompat !== AIO_RING_INCOMPAT_FEATURES || nr === 0 || head >= nr || tail >= nr) return { ...fail("EINVAL"), data: [] };
    const data: number[] = [];
    while (head !== tail && data.length < max) {
      const value = mm.readU64(addr + AIO_RING_HEADER + head * IO_EVENT_SIZE);
      if (value === null) return { ...fail("EFAULT"), data: [] };
      data.push(value);
      head = (head + 1) % nr;
    }
    if (!mm.writeU32(addr + RING_HEAD, head)) return { ...fail("EFAULT"), data: [] };
    return { ...ok(data.length), data };
  }

  /** User space's store of a head into the header of a mapped ring (FINDINGS 51: the kernel's next head, modulo nr). */
  store_head(addr: number, head: number): SysResult {
    const at = addr + RING_HEAD;
    const refused = this.mm.storeTarget(at, 4);
    if (refused) return fail(refused);
    this.mm.writeU32(at, head);
    return ok();
  }

  /** User space's store of an event (obj 0) into slot `slot` of a mapped ring, as CRIU's restore copies them. */
  store_event(addr: number, slot: number, ev: StoredEvent): SysResult {
    const at = addr + AIO_RING_HEADER + slot * IO_EVENT_SIZE;
    const refused = this.mm.storeTarget(at, IO_EVENT_SIZE);
    if (refused) return fail(refused);
    const words = [BigInt.asUintN(64, BigInt(ev.data)), 0n, BigInt.asUintN(64, BigInt(ev.res)), BigInt.asUintN(64, BigInt(ev.res2))];
    words.forEach((w, i) => {
      this.mm.writeU32(at + 8 * i, Number(w & 0xffffffffn));
      this.mm.writeU32(at + 8 * i + 4, Number(w >> 32n));
    });
    return ok();
  }

  /** `count` events from slot `slot` on (no wrap), read through the mapping at `addr`. */
  ring_events(addr: number, slot: number, count: number): RingEvents {
    const out: RingEvents = { ret: count, errno: null, data: [], res: [], res2: [] };
    for (let k = 0; k < count; k++) {
      const at = addr + AIO_RING_HEADER + (slot + k) * IO_EVENT_SIZE;
      const halves = [at, at + 4, at + 16, at + 20, at + 24, at + 28].map((a) => this.mm.readU32(a));
      if (halves.some((w) => w === null)) return { ret: -1, errno: "EFAULT", data: [], res: [], res2: [] };
      const [dataLo, dataHi, resLo, resHi, res2Lo, res2Hi] = halves as number[];
      // data is unsigned, res and res2 signed (struct io_event): a signed high half keeps small negatives exact.
      out.data.push(dataHi * 2 ** 32 + dataLo);
      out.res.push((resHi | 0) * 2 ** 32 + resLo);
      out.res2.push((res2Hi | 0) * 2 ** 32 + res2Lo);
    }
    return out;
  }

  ring(addr: number): RingHeaderRead | { errno: Errno } {
    const fields: number[] = [];
    for (let i = 0; i < 8; i++) {
      const v = this.mm.readU32(addr + 4 * i);
      if (v === null) return { errno: "EFAULT" };
      fields.push(v);
    }
    const vma = this.mm.find(Math.floor(addr / PAGE_SIZE))!;
    const [id, nr, head, tail, magic, compat_features, incompat_features, header_length] = fields;
    const ring = vma.backing instanceof AioRing ? vma.backing : null;
    const idIsSetupAddress = this.profile.ringIdIsAddress && ring !== null && id === ring.setupAddress % U32;
    return { errno: null, id, nr, head, tail, magic, compat_features, incompat_features, header_length, pages: vma.pages, idIsSetupAddress };
  }

  // ---- memory map syscalls ------------------------------------------------

  /**
   * `at`: MAP_FIXED there, replacing whatever it covers (rings too); `noReplace`: MAP_FIXED_NOREPLACE, EEXIST when anything is there.
   * `align` (pages, without `at`): the highest free odd multiple of it (AddressSpace.alignedArea).
   * `shared`: MAP_SHARED, a shmem object of its own (page offset 0); `prot`: PROT_READ | PROT_WRITE bits.
   * `filePage` (0 or more): a mapping of the test file from that page on, shared or private, rather than anonymous memory.
   */
  mmap(pages: number, at: number | null = null, noReplace = false, align = 0, shared = false, prot = PROT_RW, filePage = -1): SysResult & { addr: number } {
    if (pages <= 0) return { ...fail("EINVAL"), addr: 0 };
    if (at !== null) {
      // The arch hands a fixed address back as it is, and -1 then reads as -EPERM (FINDINGS 36).
      if (at === -1) return { ...fail("EPERM"), addr: 0 };
      // The range is held against the top of user space before its alignment is looked at.
      if (at < 0 || at / PAGE_SIZE + pages > TASK_SIZE_PAGE) return { ...fail("ENOMEM"), addr: 0 };
      if (at % PAGE_SIZE !== 0) return { ...fail("EINVAL"), addr: 0 };
      // Held against what is there only once the address itself is good (FINDINGS 38).
      if (noReplace && !this.mm.isFree(at / PAGE_SIZE, pages)) return { ...fail("EEXIST"), addr: 0 };
      this.mm.unmap(at / PAGE_SIZE, pages);
    }
    const start = at !== null ? at / PAGE_SIZE : align > 0 ? this.mm.alignedArea(pages, align) : this.mm.unmappedArea(pages);
    if (start < 0) return { ...fail("ENOMEM"), addr: 0 };
    const mapsFile = filePage >= 0;
    const shm = shared && !mapsFile ? this.mm.shmem.create(pages) : 0;
    const pgoff = mapsFile ? filePage : shared ? 0 : start;
    this.mm.insert({
      start,
      pages,
      kind: mapsFile ? "file" : "anon",
      backing: { bytes: null },
      pgoff,
      dontexpand: false,
      anon_vma: 0,
      shm,
      prot,
      fileShared: mapsFile && shared,
    });
    return { ...ok(), addr: start * PAGE_SIZE };
  }

  munmap(addr: number, pages: number): SysResult {
    if (addr % PAGE_SIZE !== 0 || pages <= 0) return fail("EINVAL");
    this.mm.unmap(addr / PAGE_SIZE, pages);
    return ok();
  }

  page(addr: number): PageKind {
    return this.mm.find(Math.floor(addr / PAGE_SIZE))?.kind ?? "none";
  }

  fill(addr: number, pages: number, value: number): number {
    return this.mm.fill(Math.floor(addr / PAGE_SIZE), pages, value);
  }

  peek(addr: number, pages: number): number[] {
    return this.mm.peek(Math.floor(addr / PAGE_SIZE), pages, this.config.zero_page);
  }

  mremap(addr: number, old_pages: number, new_pages: number, to: number | null, mayMove = true, dontUnmap = false): SysResult & { addr: number } {
    const r = this.do_mremap(addr, old_pages, new_pages, to, mayMove, dontUnmap);
    return typeof r === "string" ? { ...fail(r), addr: 0 } : { ...ok(), addr: r * PAGE_SIZE };
  }

  /**
   * dup_mm: the child gets a copy of every VMA (a ring's only where the
   * profile's fork copies it) and no context table; its contexts, rings
   * and mappings die with it (exit_aio frees its aio_nr and waits for its
   * I/O, FINDINGS 48). It shares the open test file (what it writes or
   * truncates stays) and the eventfds.
   */
  inChild<T>(f: (child: AioBackend) => T): T {
    const child = new AioProcess(this.profile, this.config);
    child.mm = this.mm.clone((v) => this.profile.forkCopiesRing || v.kind !== "aio");
    child.aio_nr = this.aio_nr;
    child.fsizeLimit = this.fsizeLimit;
    child.eventfds = this.eventfds;
    child.pipes = this.pipes;
    child.space = this.space;
    child.file = this.file;
    child.forkParent = this;
    child.buf = this.buf.clone();
    return f(child);
  }

  /**
   * Returns the new start page, or an errno. The order of the checks is the
   * live kernel's (6.18, measured by the kernel fuzzer; FINDINGS 22-24):
   * the page at `addr` must be mapped; a same-size call without a target
   * changes nothing and a shrink without one unmaps the tail, neither
   * looking at the rest of the range; a growth, or a move to a target,
   * needs the range it keeps inside the one VMA.
   */
  private do_mremap(addr: number, old_pages: number, new_pages: number, to: number | null, mayMove: boolean, dontUnmap: boolean): number | ErrnoName | "OOPS" {
    // MREMAP_FIXED without MREMAP_MAYMOVE is refused with the other flag checks, before any VMA is looked at;
    // so are MREMAP_DONTUNMAP where the kernel does not know it, and without MREMAP_MAYMOVE or with a resize (FINDINGS 52).
    if (to !== null && !mayMove) return "EINVAL";
    if (dontUnmap && (!this.profile.dontUnmap || !mayMove || old_pages !== new_pages)) return "EINVAL";
    if (addr % PAGE_SIZE !== 0 || old_pages <= 0 || new_pages <= 0) return "EINVAL";
    const start = addr / PAGE_SIZE;
    const mm = this.mm;
    if (this.profile.vmaLookupFirst && !mm.find(start)) return "EFAULT";
    if (to !== null) {
      if (to % PAGE_SIZE !== 0) return "EINVAL";
      const dest = to / PAGE_SIZE;
      if (dest < start + old_pages && start < dest + new_pages) return "EINVAL";
    }
    let vma = mm.find(start);
    if (!vma) return "EFAULT";
    if (this.profile.multiVmaMove && to !== null && old_pages === new_pages) return this.move_vmas(start, old_pages, to / PAGE_SIZE, dontUnmap);
    if (this.profile.fixedUnmapsTargetEarly && to !== null) {
      // The target, then a shrink's tail, go before the source range is checked: a failed move has already unmapped them.
      mm.unmap(to / PAGE_SIZE, new_pages);
      if (new_pages < old_pages) {
        mm.unmap(start + new_pages, old_pages - new_pages);
        old_pages = new_pages;
      }
      vma = mm.find(start) as Vma;
    }
    // MREMAP_DONTUNMAP on a ring (VM_DONTEXPAND) is refused before the range is held against the VMA (FINDINGS 52).
    if (dontUnmap && vma.dontexpand) return "EINVAL";
    if (this.profile.ringMoveWhole && vma.kind === "aio" && (start !== vma.start || old_pages !== vma.pages)) return "EINVAL";
    // MREMAP_DONTUNMAP always moves, even with nothing to resize.
    if (to === null && new_pages === old_pages && !dontUnmap) return start;
    if (to === null && new_pages < old_pages) {
      mm.unmap(start + new_pages, old_pages - new_pages);
      return start;
    }
    // A shrink that moves needs only what it keeps inside the VMA.
    if (start + Math.min(old_pages, new_pages) > vma.start + vma.pages) return "EFAULT";
    if (new_pages > old_pages && vma.dontexpand) return "EFAULT";
    if (to === null && !dontUnmap) {
      const end = start + old_pages;
      if (end === vma.start + vma.pages && mm.isFree(end, new_pages - old_pages)) {
        mm.grow(vma, new_pages - old_pages);
        return start;
      }
      // Without MREMAP_MAYMOVE a growth that does not fit in place stops here.
      if (!mayMove) return "ENOMEM";
    } else if (new_pages < old_pages) {
      mm.unmap(start + new_pages, old_pages - new_pages);
      old_pages = new_pages;
    }
    const dest = to !== null ? to / PAGE_SIZE : mm.unmappedArea(new_pages);
    if (dest < 0) return "ENOMEM";
    return this.move_range(start, old_pages, dest, new_pages, dontUnmap) ?? dest;
  }

  /** 6.17+: one move of every VMA in [start, start + pages), all by the same offset (the first page is mapped). */
  private move_vmas(start: number, pages: number, dest: number, dontUnmap: boolean): number | ErrnoName | "OOPS" {
    const end = start + pages;
    const spans = this.mm.intersecting(start, pages).map((v) => ({ v, from: Math.max(v.start, start), to: Math.min(v.start + v.pages, end) }));
    if (this.profile.ringMoveWhole && spans.some((s) => s.v.kind === "aio" && (s.from !== s.v.start || s.to !== s.v.start + s.v.pages))) return "EINVAL";
    for (const { from, to } of spans) {
      // Only each VMA's own target is replaced: the target of a hole keeps what it had (FINDINGS 5).
      // A refused VMA stops the move: those before it stay moved, those after it are not touched.
      const err = this.move_range(from, to - from, dest + (from - start), to - from, dontUnmap);
      if (err) return err;
    }
    return dest;
  }

  /**
   * move_vma: unmaps the target, moves [start, start + pages) of the VMA
   * holding it to `dest` with `newPages` pages, then runs the ring's mremap
   * hook. When the hook refuses, the pages go back and the VMA is as it was
   * before the move, not split (FINDINGS 27); the target stays unmapped.
   * With MREMAP_DONTUNMAP the old range stays mapped, its pages gone with
   * the move (they read as zero); a VMA moved whole loses its anon_vma
   * where the profile says (dontUnmapDropsAnonVma). A
   * ring (VM_DONTEXPAND) refuses it before its target is touched (FINDINGS 52).
   */
  private move_range(start: number, pages: number, dest: number, newPages: number, dontUnmap = false): ErrnoName | "OOPS" | null {
    const mm = this.mm;
    if (dontUnmap && mm.find(start)!.dontexpand) return "EINVAL";
    mm.unmap(dest, newPages);
    // The pages move with their contents (a ring has none: `fill` writes anonymous memory only; a shared page's are its object's).
    const moved = mm.takeContents(start, pages);
    const vma = mm.find(start)!;
    const before: Vma = { ...vma };
    const piece = mm.slice(vma, start, pages);
    piece.start = dest;
    piece.pages = newPages;
    // Anonymous memory never faulted in (no anon_vma) takes the offset of where it lands, so it merges there.
    if (this.profile.movedAnonTakesNewOffset && piece.kind === "anon" && piece.backing.bytes === null && piece.shm === 0 && piece.anon_vma === 0)
      piece.pgoff = dest;
    // The new range is placed while its source VMA is still whole, and may merge with it: what stays of
    // the source then shares the anon_vma the merge brought in (FINDINGS 35). A MREMAP_DONTUNMAP piece
    // beside its source merges as the profile says (FINDINGS 54).
    const keepApart = dontUnmap && this.profile.dontUnmapMerge !== "any";
    mm.insert(piece, keepApart ? vma : null, this.profile.dontUnmapMerge === "noneBesideSource");
    if (!dontUnmap) mm.unmap(start, pages);
    else if (this.profile.dontUnmapDropsAnonVma && start === before.start && pages === before.pages) {
      const old = mm.find(start)!;
      // The piece may have merged into the old VMA (an unfaulted one placed right after it): then nothing was moved whole.
      if (old.start === start && old.pages === pages) old.anon_vma = 0;
    }
    const err = this.aio_ring_remap(piece);
    if (err === "EINVAL") {
      mm.unmap(dest, newPages);
      mm.unmap(before.start, before.pages);
      mm.insert(before);
    }
    mm.putContents(err === "EINVAL" ? start : dest, moved);
    return err;
  }

  // ---- ring remap hook ----------------------------------------------------

  /** aio_ring_remap: find the context owning the moved ring file by scanning the table. */
  private aio_ring_remap(vma: Vma): ErrnoName | "OOPS" | null {
    const p = this.profile;
    if (vma.kind !== "aio" || p.remapHook === "none") return null;
    const table = this.ioctx_table;
    if (!table) return p.hookWithoutTableOops ? "OOPS" : "EINVAL";
    for (let i = 0; i < table.nr; i++) {
      this.hookSlotsVisited++;
      const ctx = table.table[i];
      if (ctx && ctx.ring === vma.backing) {
        ctx.user_id = ctx.mmap_base = vma.start * PAGE_SIZE;
        return null;
      }
    }
    return p.remapHook === "errno" ? "EINVAL" : null;
  }
}

/** The events io_getevents finds between the header's head and tail, each modulo nr; none when they are equal as stored. */
function headerEvents(ring: AioRing, nr: number): number {
  return ring.head === ring.tail ? 0 : eventsInRing(ring.head, ring.tail % nr, nr);
}
