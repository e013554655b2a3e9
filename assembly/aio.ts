// One process of the modelled kernel: fs/aio.c's syscalls over the address
// space of mm.ts, sectioned as src/model/aio.ts is (setup, table, ring, memory
// map, ring remap hook). A port of that model, result for result: each call
// returns a value (a count, an address) or -errno (errno.ts); variable-size
// output (reaped user data, a ring header) goes through sink.ts.
import { IOCB_ADDR, IOCB_SIZE } from "./abi/iocb";
import { EAGAIN, EEXIST, EFAULT, EFBIG, EINPROGRESS, EINTR, EINVAL, ENOMEM, ENOSYS, EPERM, OOPS, WOULD_BLOCK } from "./errno";
import { hrtimer_sleep } from "./hrtimer";
import { IoctxList, IoctxTable } from "./ioctx-table";
import { Kioctx } from "./kioctx";
import { AddressSpace, KIND_AIO, KIND_ANON, KIND_FILE, KIND_NONE, PAGE_SHIFT, PAGE_SIZE, TASK_SIZE_PAGE, Vma } from "./mm";
import { Profile } from "./profile";
import { AIO_MAX_RING_EVENTS, AIO_RING_HEADER, AioRing, IO_EVENT_SIZE, RING_HEAD, RING_TAIL, eventsFromSlot, ringIndex, ringPages, ringSlots, writeEvents } from "./ring";
import { record, record_into_scratch, sink, sink_events } from "./sink";
import { RWF_APPEND, RWF_NOAPPEND } from "./abi/rwf";
import { submitRefusal } from "./submit-refusal";
import { ByteRuns } from "./byte-runs";
import { TestFile } from "./test-file";
import { Eventfds } from "./eventfd";
import { Pipes, PollWaiter } from "./pipe";
import { DEFAULT_POLLMASK, PIPE_WRITE_WAKE, POLL_ALWAYS } from "./abi/poll";
import { TmpfsSpace, writable } from "./tmpfs";
import {
  CMD_FDSYNC, CMD_FSYNC, CMD_POLL, CMD_PREAD, CMD_PREADV, CMD_PWRITE, CMD_PWRITEV, CTXP_FAULT, FD_PIPE, CTXP_NONZERO, FAULT_EVENTS, FAULT_TIMEOUT, FD_APPEND, SIGMASK_FAULT, SIGMASK_NULL, SIGMASK_UNBLOCK, SIGSET_SIZE, USIG_FAULT, USIG_NULL,
} from "./abi/codes";

// io_submit's `cmd` and `fd` codes (the scenario's pread / pwrite / bad opcode, the read-write file) and the bytes one block moves.
export { CMD_BAD, CMD_PREAD, CMD_PWRITE, FD_RDWR, IOCB_BYTES } from "./abi/codes";

/** A result in [-4095, -1] is -errno; anything else (counts, addresses) is a value. */
@inline export function isErr(r: i64): bool {
  return r < 0 && r > -4096;
}

/**
 * `k` buffered reads or writes complete during submit: their events land at
 * the context's tail `tail` (ctx->tail, not the header's, which user space
 * may have stored anything into) of the ring at `ring`, the new tail is
 * written to the header and returned (the caller counts completed_events), user
 * data data, data + 1, ... and obj the user address of each control block
 * (abi/iocb.ts), starting at `obj`. One contiguous run per wrap of the ring.
 * On the raw pointer, so the loop spills no GC reference.
 */
@inline function aio_complete(ring: usize, nr_events: u32, tail: u32, data: u64, obj: u64, k: u32, res: i64): u32 {
  while (k) {
    const run = min(k, nr_events - tail);
    writeEvents(ring, nr_events, tail, run, data, obj, <u64>IOCB_SIZE, res, 0);
    data += run;
    obj += <u64>run * <u64>IOCB_SIZE;
    k -= run;
    tail += run;
    if (tail == nr_events) tail = 0;
  }
  store<u32>(ring + RING_TAIL, tail);
  return tail;
}

export class AioProcess {
  /** The test file the control blocks read and write (writes past its end grow it), and file mappings map. A forked child shares it. */
  file: TestFile = new TestFile();
  mm: AddressSpace = new AddressSpace(this.file);
  /** The process that forked this one, while it runs: a truncation reaches its mappings too. */
  forkParent: AioProcess | null = null;
  /** mm->ioctx_table: null until the first io_setup, and in a forked child. */
  ioctx_table: IoctxTable | null = null;
  readonly ioctx_list: IoctxList = new IoctxList();
  aio_nr: i64;
  /** Table slots the ring-remap hook visited: the scan cost the strategies compete on. */
  hookSlotsVisited: i64 = 0;
  /** SIGUSR1, which the process keeps blocked (and handles), is pending: `raise` made it so. */
  signalPending: bool = false;
  /** RLIMIT_FSIZE's soft limit, bytes (i64.MAX_VALUE: RLIM_INFINITY); a fork child inherits it. */
  fsizeLimit: i64 = i64.MAX_VALUE;
  /** The eventfds the process opened (a forked child shares them). */
  eventfds: Eventfds = new Eventfds();
  /** The pipes the process made, and the poll blocks waiting on them (a forked child shares them). */
  pipes: Pipes = new Pipes();
  space: TmpfsSpace | null = null; // the file's pages on its tmpfs (process.ts set_tmpfs); null: a memfd, no limit
  /** The I/O buffer every block reads into and writes from (a vectored block's segments one after another). A forked child gets a copy. */
  buf: ByteRuns = new ByteRuns();
  /**
   * The last read's offset and nbytes while the buffer still holds what it
   * copied and the file is as it was (readAsked -1: nothing known), and the
   * bytes it moved: a read of the same range answers readLen and copies
   * nothing, so the ring path's reads cost no more than the length's
   * computation did. Any change to the file or the buffer forgets it.
   */
  readPos: i64 = -1;
  readAsked: i64 = -1;
  readLen: i64 = 0;

  constructor(
    readonly profile: Profile,
    readonly cpus: i32,
    readonly aio_max_nr: i64,
    aio_nr: i64,
    /** A read fault maps the zero page (ProcessConfig.zero_page). */
    readonly zeroPage: bool,
  ) {
    this.aio_nr = aio_nr;
  }

  // ---- setup -------------------------------------------------------------

  /** ioctx_alloc: the new context's id (its ring address), or -errno. */
  io_setup(nr_events: u32, ctxp: i32): i64 {
    const p = this.profile;
    // get_user(ctxp) comes before any check of the request.
    if (ctxp == CTXP_FAULT) return -EFAULT;
    if (ctxp == CTXP_NONZERO || nr_events == 0) return -EINVAL;
    // The kernel doubles in an unsigned int: 2^31 and more wrap around (FINDINGS 25).
    const n: i64 = p.doubledGeometry ? <i64>(max<u32>(nr_events, <u32>this.cpus * 4) * 2) : <i64>nr_events;
    if (n > AIO_MAX_RING_EVENTS) return -EINVAL;
    if (n == 0) return -EAGAIN;
    const charge: i64 = p.chargeDoubled ? n : <i64>nr_events;
    const limit = p.chargeDoubled ? this.aio_max_nr * 2 : this.aio_max_nr;
    if (charge > limit) return -EAGAIN;
    if (this.aio_nr + charge > limit) return -EAGAIN;

    const pages = ringPages(<i32>n);
    const nr = ringSlots(pages);
    const start = this.mm.unmappedArea(pages);
    if (start < 0) return -ENOMEM;
    const address = start << PAGE_SHIFT;
    const ring = new AioRing(pages, address);
    this.mm.insert(new Vma(start, pages, p.ringFile ? KIND_AIO : KIND_ANON, ring, 0, p.ringDontExpand, 0));
    const ctx = new Kioctx(p, ring, nr, pages, address, charge, this.cpus);
    if (p.lookupTable) {
      let table = this.ioctx_table;
      if (!table) this.ioctx_table = table = new IoctxTable();
      ctx.id = table.add(ctx);
    } else {
      this.ioctx_list.add(ctx);
    }
    ring.writeHeader(p.ringIdIsAddress ? <u32>ctx.user_id : <u32>ctx.id, nr);
    this.aio_nr += charge;
    return ctx.user_id;
  }

  // ---- table: lookup_ioctx ----------------------------------------------

  @inline lookup_ioctx(ctx_id: i64): Kioctx | null {
    return this.lookupIoctx(ctx_id, this.profile.lookupTable, this.zeroPage);
  }

  /**
   * lookup_ioctx with the two switches it branches on given: a batch loop
   * reads them once (nothing changes them under a process) and keeps them in
   * locals, where reading them per call costs two loads each.
   */
  @inline private lookupIoctx(ctx_id: i64, lookupTable: bool, zeroPage: bool): Kioctx | null {
    if (!lookupTable) return this.ioctx_list.find(ctx_id);
    const id = this.mm.readU32(ctx_id);
    // get_user(ring->id) faults the page in: without the zero page, that gives anonymous memory an anon_vma.
    if (!zeroPage) this.mm.readFault(ctx_id, 4);
    return this.tableSlot(ctx_id, id);
  }

  /** The rest of lookup_ioctx once the ring's id is read (-1: the read faulted). */
  @inline private tableSlot(ctx_id: i64, id: i64): Kioctx | null {
    const table = this.ioctx_table;
    // One test a statement: V8 puts each operand of an || in a register as a
    // boolean before it branches. A fault (-1) is past any table as a u64.
    if (!table) return null;
    if (<u64>id >= <u64>table.nr) return null;
    const ctx = unchecked(table.table[<i32>id]);
    if (!ctx) return null;
    if (ctx.user_id != ctx_id) return null;
    if (ctx.dead) return null;
    return ctx;
  }

  io_destroy(ctx_id: i64): i32 {
    const ctx = this.lookup_ioctx(ctx_id);
    if (!ctx) return -EINVAL;
    ctx.dead = true;
    if (this.profile.lookupTable) this.ioctx_table!.remove(ctx);
    else this.ioctx_list.remove(ctx);
    this.aio_nr -= ctx.charge;
    // Its waiting poll blocks are cancelled and complete into the dying context: nothing a scenario sees (FINDINGS 53).
    this.pipes.take(ctx, -1, 0);
    // Unmaps whatever lies at mmap_base now: the hazard of a stale base.
    this.mm.unmap(ctx.mmap_base >> PAGE_SHIFT, ctx.mmap_size);
    if (this.profile.ringFile) ctx.ring.truncate();
    // Pages of the emptied ring file fault from now on, wherever they are mapped.
    this.mm.flushTlb();
    return 0;
  }

  /**
   * io_cancel: aio_key is read first (EFAULT when the block cannot be read),
   * then the context is looked up; a block that completed inside io_submit
   * cannot be cancelled, so the rest is EINVAL. `submit` >= 0: block
   * `block` of that io_submit step, the iocb's address where it was
   * submitted; a poll block still waiting in the context is EINPROGRESS and
   * completes with res 0, from a workqueue the probe waits for (FINDINGS 53).
   */
  io_cancel(ctx_id: i64, iocb: i64, submit: i32, block: i32): i32 {
    if (submit < 0 && iocb != IOCB_ADDR) return -EFAULT;
    const ctx = this.lookup_ioctx(ctx_id);
    if (!ctx || submit < 0) return -EINVAL;
    const taken = this.pipes.take(ctx, submit, block);
    if (!taken.length) return -EINVAL;
    this.complete_one(taken[0], 0);
    return -EINPROGRESS;
  }

  /** A poll block that waited completes: its event at the tail of its context's ring, credited from the header's head as any completion (FINDINGS 51). */
  private complete_one(w: PollWaiter, res: i64): void {
    const ctx = w.ctx;
    const head = ringIndex(load<u32>(ctx.ringBase + RING_HEAD), <u32>ctx.nr_events);
    ctx.tail = aio_complete(ctx.ringBase, <u32>ctx.nr_events, ctx.tail, w.data, w.obj, 1, res);
    ctx.completed(head, 1);
  }

  /** pipe2(O_NONBLOCK): its id. */
  pipe(): i32 {
    return this.pipes.create();
  }

  /**
   * write(2) of `bytes` (never more than the pipe's room): it wakes the poll
   * blocks waiting on the read end for POLLIN or POLLRDNORM, newest first,
   * each completed inside the write with the wake-up's mask as res.
   */
  pipe_write(pipe: i32, bytes: i32): i32 {
    const woken = this.pipes.write(pipe, bytes, PIPE_WRITE_WAKE);
    for (let k = 0; k < woken.length; k++) this.complete_one(woken[k], PIPE_WRITE_WAKE);
    return bytes;
  }

  pipe_read(pipe: i32, bytes: i32): i32 {
    return this.pipes.read(pipe, bytes);
  }

  // ---- ring: submit and reap ---------------------------------------------

  /**
   * `count` control blocks with user data data, data + 1, ...: how many were
   * submitted, or -errno. `faultAt`: the first entry of the array the kernel
   * cannot read (-1: none). `rwFlags`: every block's aio_rw_flags (RWF_*);
   * `resfd`: the eventfd each completion signals (abi/iocb-flags.ts RESFD_*
   * or an Eventfds id); `ioprio`: aio_reqprio with IOCB_FLAG_IOPRIO, or IOPRIO_NONE.
   * `iovSegs`: a vectored block's segments (IOV_FAULT: unreadable), whose
   * lengths sum to `nbytes`.
   */
  io_submit(ctx_id: i64, count: i32, cmd: i32, data: u64, fd: i32, faultAt: i32, nbytes: i64, offset: i64, rwFlags: u32, resfd: i32, ioprio: i32, iovSegs: i32, events: u32, step: i32): i32 {
    if (count < 0) return -EINVAL;
    const ctx = this.lookup_ioctx(ctx_id);
    if (!ctx) return -EINVAL;
    let nr = min(count, ctx.nr_events);
    if (nr <= 0) return 0;
    // Each entry is read before it is looked at: the loop stops at an unreadable one (FINDINGS 36).
    if (<u32>faultAt < <u32>nr) {
      if (!faultAt) return -EFAULT;
      nr = faultAt;
    }
    // Before 4.13 the field is reserved: checked before the block takes a slot.
    if (rwFlags && !this.profile.rwFlagsField) return -EINVAL;
    // The first iocb is refused after taking its slot, which goes back at once.
    const refused = submitRefusal(fd, cmd, nbytes, offset, rwFlags, resfd, ioprio, iovSegs, events, this.profile);
    if (refused) {
      if (!ctx.take_reqs(1)) return -EAGAIN;
      ctx.put_reqs_available(1);
      return -refused;
    }
    const ring = ctx.ringBase;
    if (cmd == CMD_POLL) return this.poll(ctx, nr, data, fd, events, step);
    // Under RLIMIT_FSIZE or on a tmpfs the writes of one call can answer differently (the limit stops appends, pages run out): one per run.
    const run = (cmd == CMD_PWRITE || cmd == CMD_PWRITEV) && (this.fsizeLimit != i64.MAX_VALUE || this.space !== null) ? 1 : nr;
    // A sync block completes from a workqueue moments after io_submit has
    // taken every slot it takes; the probe waits for that (FINDINGS 43, 51).
    const sync = cmd == CMD_FSYNC || cmd == CMD_FDSYNC;
    // The header's head as it stands (user space may have stored any): what
    // each completion credits slots from (FINDINGS 51). Nothing in a call
    // stores it, so it is read once.
    const head = ringIndex(load<u32>(ring + RING_HEAD), <u32>ctx.nr_events);
    let submitted = 0;
    while (submitted < nr) {
      // Slots come in runs between two decisions of the slot accounting,
      // and each run's events are written before the next decision reads the tail.
      const k = sync ? ctx.take_reqs(min(nr - submitted, run)) : ctx.take_and_complete(min(nr - submitted, run), head);
      if (!k) break;
      // Only a block that gets a slot reads or writes the file.
      const res = this.rw(cmd, fd, rwFlags, k, nbytes, offset);
      if (!sync) this.complete(ctx, ring, data + <u64>submitted, submitted, k, res);
      submitted += k;
    }
    for (let done = 0; sync && done < submitted; ) {
      const k = min(submitted - done, ctx.quiet_run(head));
      this.complete(ctx, ring, data + <u64>done, done, k, 0);
      ctx.completed(head, k);
      done += k;
    }
    if (resfd >= 0) this.eventfds.signal(resfd, submitted);
    return submitted > 0 ? submitted : -EAGAIN;
  }

  /** The events of control blocks `first` to `first + k - 1` written at the tail, which moves past them (their slot accounting is the caller's). */
  @inline private complete(ctx: Kioctx, ring: usize, data: u64, first: i32, k: i32, res: i64): void {
    ctx.tail = aio_complete(ring, <u32>ctx.nr_events, ctx.tail, data, <u64>IOCB_ADDR + <u64>first * <u64>IOCB_SIZE, <u32>k, res);
  }

  /**
   * `nr` poll blocks of one call (all alike): what their fd is ready for
   * now, of what they wait for (events, POLLERR, POLLHUP), completes them at
   * once with that mask as res; a pipe end ready for none of it takes them
   * onto its wait queue, pending (the test file is always ready for
   * something a block submitRefusal let through). FINDINGS 53.
   */
  private poll(ctx: Kioctx, nr: i32, data: u64, fd: i32, events: u32, step: i32): i32 {
    const waits = <i32>events | POLL_ALWAYS;
    const ready = fd >= FD_PIPE ? this.pipes.ready(fd - FD_PIPE) : DEFAULT_POLLMASK;
    const mask = ready & waits;
    // Blocks that complete at once do so in runs, credited from the head as reads are in io_submit.
    const head = ringIndex(load<u32>(ctx.ringBase + RING_HEAD), <u32>ctx.nr_events);
    let submitted = 0;
    while (submitted < nr) {
      const k = mask ? ctx.take_and_complete(nr - submitted, head) : ctx.take_reqs(nr - submitted);
      if (!k) break;
      if (mask) this.complete(ctx, ctx.ringBase, data + <u64>submitted, submitted, k, mask);
      else {
        for (let b = submitted; b < submitted + k; b++)
          this.pipes.wait(fd - FD_PIPE, new PollWaiter(ctx, data + <u64>b, <u64>IOCB_ADDR + <u64>b * <u64>IOCB_SIZE, waits, step, b));
      }
      submitted += k;
    }
    return submitted > 0 ? submitted : -EAGAIN;
  }

  /**
   * `k` buffered reads or writes of the test file: the bytes each moves
   * (its event's res). A read stops at the end of the file; a write grows
   * it, at the end in append mode: O_APPEND or RWF_APPEND, unless
   * RWF_NOAPPEND (FINDINGS 40, 44); a vectored block as its segments'
   * sum. Every block of one call moves as many bytes, so one answer serves all (under RLIMIT_FSIZE or
   * on a tmpfs io_submit passes one block at a time). A sync block, accepted only with nbytes 0, moves
   * nothing. A write that starts at or past RLIMIT_FSIZE is -EFBIG; one that crosses it or runs out of
   * tmpfs pages stops there, -ENOSPC where it gets no page (FINDINGS 45, 49). The bytes moved go
   * between the file and the buffer's start (FINDINGS 58); a read that repeats the last one copies
   * nothing (readAsked).
   */
  @inline private rw(cmd: i32, fd: i32, rwFlags: u32, k: i32, nbytes: i64, offset: i64): i64 {
    if (cmd == CMD_PREAD || cmd == CMD_PREADV) return offset == this.readPos && nbytes == this.readAsked ? this.readLen : this.copyRead(offset, nbytes);
    if ((cmd != CMD_PWRITE && cmd != CMD_PWRITEV) || (nbytes == 0 && this.profile.emptyWriteSkipsFsize)) return 0;
    const append = (fd == FD_APPEND || rwFlags & RWF_APPEND) && !(rwFlags & RWF_NOAPPEND);
    const pos = append ? this.file.size : offset;
    if (pos >= this.fsizeLimit) return -EFBIG;
    const n = writable(this.space, pos, min(nbytes, this.fsizeLimit - pos));
    if (n > 0) this.copyWrite(pos, n, append ? k : 1);
    if (append) this.file.size += <i64>k * max<i64>(n, 0);
    else if (n > 0) this.file.size = max(this.file.size, pos + n);
    return n;
  }

  /** A read of `nbytes` from `pos`: it stops at the end of the file; its bytes go to the buffer's start. Returns how many. */
  private copyRead(pos: i64, nbytes: i64): i64 {
    const n = min(nbytes, max(0, this.file.size - pos));
    this.buf.copyFrom(this.file.runs, pos, n, 0);
    this.readPos = pos;
    this.readAsked = nbytes;
    this.readLen = n;
    return n;
  }

  /** `blocks` writes' bytes, `n` of the buffer each, into the file from `pos`, one after another (appends; else one). */
  private copyWrite(pos: i64, n: i64, blocks: i32): void {
    for (let b = 0; b < blocks; b++) this.file.runs.copyFrom(this.buf, 0, n, pos + <i64>b * n);
    this.readAsked = -1;
  }

  /** memset of the buffer. */
  buf_fill(offset: i64, bytes: i64, value: i32): i32 {
    this.buf.set(offset, bytes, value);
    this.readAsked = -1;
    return 0;
  }

  /** The buffer's runs as (length, value) f64 pairs at `out`: how many. */
  buf_peek(offset: i64, bytes: i64, out: usize): i32 {
    return this.buf.peek(offset, bytes, out);
  }

  /**
   * Events reaped (their data and res to the sink), or -errno; -WOULD_BLOCK when it
   * would wait forever. `faults`: FAULT_TIMEOUT, FAULT_EVENTS (abi/codes.ts),
   * pointers the kernel cannot use; 0 on the hot paths. Inlined: a caller's
   * constant arguments (poll_events) fold the argument checks away.
   */
  @inline io_getevents(ctx_id: i64, min_nr: i32, nr: i32, hasTimeout: bool, timeout_ns: f64, faults: i32): i32 {
    // The timeout is copied in before the context is looked up.
    if (faults & FAULT_TIMEOUT) return -EFAULT;
    return this.read_events(this.lookup_ioctx(ctx_id), min_nr, nr, hasTimeout, timeout_ns, faults, false, this.profile.zeroTimeoutArmsTimer);
  }

  /**
   * io_getevents(ctx_id, 1, 1) with a zero timeout, the process's switches
   * given (lookupIoctx): the call getevents_calls loops over.
   */
  @inline poll_events(ctx_id: i64, lookupTable: bool, zeroPage: bool, zeroTimeoutArmsTimer: bool): i32 {
    return this.read_events(this.lookupIoctx(ctx_id, lookupTable, zeroPage), 1, 1, true, 0, 0, false, zeroTimeoutArmsTimer);
  }

  /**
   * Up to `calls` calls of io_getevents(ctx_id, 1, 1) with a zero timeout
   * on an empty ring, where the ring's id is at `idp` (tlbBytes of ctx_id)
   * and the process's table is `table`: how many ran before the first that
   * is any other call (no context, events in the ring, a head and tail
   * unequal as stored), which it leaves, unchanged, for poll_events. Each
   * call loads what C's ring_getevents loads (id, bound, slot, owner, dead,
   * ring, head, tail) and stores the head as read; the loop calls nothing,
   * so its values stay in registers, and a failed check leaves it at once
   * (an inlined test returning a bool made V8 set and test a flag). The
   * caller keeps idp and table while nothing maps, unmaps or sets up (a
   * read changes neither), as the hardware TLB and C's table argument do.
   */
  @inline poll_empty(ctx_id: i64, idp: usize, table: IoctxTable, calls: i32): i32 {
    let done = 0;
    for (; done < calls; done++) {
      const id = load<u32>(idp);
      if (id >= <u32>table.nr) break;
      const ctx = unchecked(table.table[id]);
      if (!ctx) break;
      if (ctx.user_id != ctx_id) break;
      if (ctx.dead) break;
      // read_events where head and tail are equal as stored: nothing to
      // read, and the head is written back as it was.
      const ring = ctx.ringBase;
      const head = load<u32>(ring + RING_HEAD);
      if (head != load<u32>(ring + RING_TAIL)) break;
      store<u32>(ring + RING_HEAD, head);
    }
    return done;
  }

  /**
   * io_getevents under the signal mask of `usig` (abi/codes.ts USIG_*,
   * SIGMASK_*): a mask that unblocks the pending SIGUSR1 lets it in for the
   * call, so no wait happens, nothing read is EINTR, and the handler runs on
   * the way out whatever the result (signalPending clears).
   */
  io_pgetevents(ctx_id: i64, min_nr: i32, nr: i32, hasTimeout: bool, timeout_ns: f64, faults: i32, usig: i32, sigsetsize: i64): i32 {
    if (!this.profile.pgetevents) return -ENOSYS;
    // The timeout, then the usig struct, then the mask's size, then the mask itself, all before the context.
    if (faults & FAULT_TIMEOUT || usig == USIG_FAULT) return -EFAULT;
    if (usig != USIG_NULL && usig != SIGMASK_NULL) {
      if (sigsetsize != SIGSET_SIZE) return -EINVAL;
      if (usig == SIGMASK_FAULT) return -EFAULT;
    }
    const interrupted = usig == SIGMASK_UNBLOCK && this.signalPending;
    const r = this.read_events(this.lookup_ioctx(ctx_id), min_nr, nr, hasTimeout, timeout_ns, faults, interrupted, this.profile.zeroTimeoutArmsTimer);
    if (!interrupted) return r;
    this.signalPending = false;
    return r == 0 ? -EINTR : r;
  }

  /** kill(getpid(), SIGUSR1) with SIGUSR1 blocked: it stays pending (one, as standard signals do not queue). */
  raise(): i32 {
    this.signalPending = true;
    return 0;
  }

  /**
   * do_io_getevents from the context lookup_ioctx found (null: none).
   * `interrupted`: a signal is let in, so a wait ends at once with what was
   * read.
   */
  @inline private read_events(
    ctx: Kioctx | null, min_nr: i32, nr: i32, hasTimeout: bool, timeout_ns: f64, faults: i32, interrupted: bool, zeroTimeoutArmsTimer: bool,
  ): i32 {
    if (!ctx) return -EINVAL;
    if (min_nr < 0 || min_nr > nr) return -EINVAL;
    const ring = ctx.ringBase;
    const slots = <u32>ctx.nr_events;
    // Head and tail are read once: the timer's sleep below runs nothing in this process.
    // Both are user space's to store (FINDINGS 51): taken modulo nr unless
    // equal as stored, when nothing is read and the head is left as it is.
    const rawHead = load<u32>(ring + RING_HEAD);
    const rawTail = load<u32>(ring + RING_TAIL);
    const head = rawHead == rawTail ? rawHead : ringIndex(rawHead, slots);
    const available: u32 = rawHead == rawTail ? 0 : eventsFromSlot(head, ringIndex(rawTail, slots), slots);
    // The first copy out fails at once, before any wait, and leaves the events in the ring (FINDINGS 36).
    if (faults & FAULT_EVENTS && min(available, <u32>nr) > 0) return -EFAULT;
    // min_nr >= 0 here, so the unsigned comparison is exact.
    if (available < <u32>min_nr && !interrupted) {
      // The timeout is never validated: a negative one saturates and never expires (FINDINGS 2).
      if (!hasTimeout || timeout_ns < 0) return -WOULD_BLOCK;
      // Before 3.19 a zero timeout still armed a timer and slept on it.
      if (timeout_ns == 0 && zeroTimeoutArmsTimer) hrtimer_sleep(0);
    }
    const k = min(available, <u32>nr);
    return this.aio_read_events(ctx, ring, slots, head, k);
  }

  /** Copies the `k` events from slot `head` on of the ring at `ring` (`slots` slots) and gives their slots back. */
  @inline private aio_read_events(ctx: Kioctx, ring: usize, slots: u32, head: u32, k: u32): i32 {
    // Nothing read enters no loop and gives no slot back (put_reqs_available(0)
    // changes nothing): the zero-timeout poll of an empty ring only writes the head.
    if (k) {
      // One run per wrap of the ring.
      let left = k;
      do {
        const run = min(left, slots - head);
        sink_events(ring + AIO_RING_HEADER + <usize>head * IO_EVENT_SIZE, run);
        left -= run;
        head += run;
        if (head == slots) head = 0;
      } while (left);
      // Before the head is written: the slot counters do not read it.
      ctx.reaped_by_kernel(<i32>k);
    }
    store<u32>(ring + RING_HEAD, head);
    return <i32>k;
  }

  /**
   * Reads the ring header at `addr` through the mappings: 0 and ten scratch
   * values (the eight u32 fields, the VMA's pages, idIsSetupAddress 0/1), or -EFAULT.
   */
  ring(addr: i64): i32 {
    record_into_scratch();
    let id: i64 = 0;
    for (let i = 0; i < 8; i++) {
      const v = this.mm.readU32(addr + 4 * i);
      if (v < 0) return -EFAULT;
      if (i == 0) id = v;
      record(<f64>v);
    }
    const vma = this.mm.find(addr >> PAGE_SHIFT)!;
    const ring = vma.ring;
    let idIsSetupAddress = false;
    if (this.profile.ringIdIsAddress && ring) idIsSetupAddress = id == <i64>(<u32>ring.setupAddress);
    record(<f64>vma.pages);
    record(idIsSetupAddress ? 1 : 0);
    return 0;
  }

  // ---- memory map syscalls ------------------------------------------------

  /**
   * An anonymous mapping placed top-down, or with MAP_FIXED at `at` when
   * `hasAt` (replacing whatever it covers, rings too; with `noReplace`,
   * MAP_FIXED_NOREPLACE: EEXIST when anything is there), or with `align`
   * (pages, without `at`) at the highest free odd multiple of it; `shared`:
   * MAP_SHARED, `prot`: PROT_READ | PROT_WRITE bits; `filePage` 0 or more:
   * the test file from that page on instead. Its address, or -errno.
   */
  mmap(pages: i64, hasAt: bool, at: i64, noReplace: bool, align: i64, shared: bool, prot: i32, filePage: i64): i64 {
    if (pages <= 0) return -EINVAL;
    if (hasAt) {
      // The arch hands a fixed address back as it is, and -1 then reads as -EPERM (FINDINGS 36).
      if (at == -1) return -EPERM;
      // The range is held against the top of user space before its alignment is looked at.
      if (at < 0 || (at >> PAGE_SHIFT) + pages > TASK_SIZE_PAGE) return -ENOMEM;
      if ((at & (PAGE_SIZE - 1)) != 0) return -EINVAL;
      if (noReplace && !this.mm.isFree(at >> PAGE_SHIFT, pages)) return -EEXIST;
      this.mm.unmap(at >> PAGE_SHIFT, pages);
    }
    const start = hasAt ? at >> PAGE_SHIFT : align > 0 ? this.mm.alignedArea(pages, align) : this.mm.unmappedArea(pages);
    if (start < 0) return -ENOMEM;
    if (filePage >= 0) {
      this.mm.insert(new Vma(start, pages, KIND_FILE, null, filePage, false, 0, 0, prot, shared));
      return start << PAGE_SHIFT;
    }
    // MAP_SHARED: a shmem object of its own, mapped from its page offset 0.
    const shm = shared ? this.mm.shmem.create(pages) : 0;
    this.mm.insert(new Vma(start, pages, KIND_ANON, null, shared ? 0 : start, false, 0, shm, prot));
    return start << PAGE_SHIFT;
  }

  munmap(addr: i64, pages: i64): i32 {
    if ((addr & (PAGE_SIZE - 1)) != 0 || pages <= 0) return -EINVAL;
    this.mm.unmap(addr >> PAGE_SHIFT, pages);
    return 0;
  }

  /** KIND_AIO, KIND_ANON, KIND_FILE or KIND_NONE for the page holding `addr`. */
  page(addr: i64): i32 {
    const v = this.mm.find(addr >> PAGE_SHIFT);
    return v ? v.kind : KIND_NONE;
  }

  /** fill's pages written (mm.ts fill); a shared file mapping's change the file under the last read. */
  fill(addr: i64, pages: i64, value: u8): i64 {
    this.readAsked = -1;
    return this.mm.fill(addr >> PAGE_SHIFT, pages, value);
  }

  /** peek: the bytes into `out`, how many (mm.ts peek). */
  peek(addr: i64, pages: i64, out: usize): i32 {
    return this.mm.peek(addr >> PAGE_SHIFT, pages, this.zeroPage, out);
  }

  /** ftruncate of the test file: a growth past RLIMIT_FSIZE is EFBIG (SIGXFSZ ignored), a shrink never is. */
  ftruncate(size: i64): i32 {
    if (size > this.file.size && size > this.fsizeLimit) return -EFBIG;
    if (this.space) this.space!.truncate(size);
    // What a shrink drops reads as zeros when the file grows again; a read's length changes either way.
    const shrinks = size < this.file.size;
    this.file.truncate(size);
    // Every process mapping the file privately loses its copies past the end (model: aio.ts ftruncate).
    for (let p: AioProcess | null = this; shrinks && p; p = p.forkParent) p.mm.dropFileCopies(this.file.pages);
    this.readAsked = -1;
    return 0;
  }

  /** setrlimit(RLIMIT_FSIZE), soft limit only; -1: RLIM_INFINITY. */
  setrlimit_fsize(bytes: i64): i32 {
    this.fsizeLimit = bytes < 0 ? i64.MAX_VALUE : bytes;
    return 0;
  }

  /**
   * MREMAP_MAYMOVE when `mayMove` (else flags 0: resize in place only), plus
   * MREMAP_FIXED to `to` when `hasTo`: the new address, or -errno (check
   * order: model's do_mremap).
   */
  mremap(addr: i64, old_pages: i64, new_pages: i64, hasTo: bool, to: i64, mayMove: bool, dontUnmap: bool = false): i64 {
    // MREMAP_FIXED without MREMAP_MAYMOVE is refused with the other flag checks, before any VMA is looked at;
    // so is MREMAP_DONTUNMAP where unknown, without MREMAP_MAYMOVE or with a resize (model's do_mremap).
    if (hasTo && !mayMove) return -EINVAL;
    if (dontUnmap && (!this.profile.dontUnmap || !mayMove || old_pages != new_pages)) return -EINVAL;
    if ((addr & (PAGE_SIZE - 1)) != 0 || old_pages <= 0 || new_pages <= 0) return -EINVAL;
    const start = addr >> PAGE_SHIFT;
    const p = this.profile;
    const mm = this.mm;
    if (p.vmaLookupFirst && !mm.find(start)) return -EFAULT;
    if (hasTo) {
      if ((to & (PAGE_SIZE - 1)) != 0) return -EINVAL;
      const dest = to >> PAGE_SHIFT;
      if (dest < start + old_pages && start < dest + new_pages) return -EINVAL;
    }
    let vma = mm.find(start);
    if (!vma) return -EFAULT;
    if (p.multiVmaMove && hasTo && old_pages == new_pages) return this.move_vmas(start, old_pages, to >> PAGE_SHIFT, dontUnmap);
    if (p.fixedUnmapsTargetEarly && hasTo) {
      // The target, then a shrink's tail, go before the source range is checked (model's do_mremap).
      mm.unmap(to >> PAGE_SHIFT, new_pages);
      if (new_pages < old_pages) {
        mm.unmap(start + new_pages, old_pages - new_pages);
        old_pages = new_pages;
      }
      vma = mm.find(start);
      if (!vma) return -EFAULT;
    }
    // MREMAP_DONTUNMAP on a ring (VM_DONTEXPAND) is refused before the range is held against the VMA (model's do_mremap).
    if (dontUnmap && vma.dontexpand) return -EINVAL;
    if (p.ringMoveWhole && vma.kind == KIND_AIO && (start != vma.start || old_pages != vma.pages)) return -EINVAL;
    // MREMAP_DONTUNMAP always moves, even with nothing to resize.
    if (!hasTo && new_pages == old_pages && !dontUnmap) return addr;
    if (!hasTo && new_pages < old_pages) {
      mm.unmap(start + new_pages, old_pages - new_pages);
      return addr;
    }
    // A shrink that moves needs only what it keeps inside the VMA.
    if (start + min(old_pages, new_pages) > vma.end) return -EFAULT;
    if (new_pages > old_pages && vma.dontexpand) return -EFAULT;
    if (!hasTo && !dontUnmap) {
      const end = start + old_pages;
      if (end == vma.end && mm.isFree(end, new_pages - old_pages)) {
        mm.grow(vma, new_pages - old_pages);
        return addr;
      }
      // Without MREMAP_MAYMOVE a growth that does not fit in place stops here.
      if (!mayMove) return -ENOMEM;
    } else if (new_pages < old_pages) {
      mm.unmap(start + new_pages, old_pages - new_pages);
      old_pages = new_pages;
    }
    const dest = hasTo ? to >> PAGE_SHIFT : mm.unmappedArea(new_pages);
    if (dest < 0) return -ENOMEM;
    const err = this.move_range(start, old_pages, dest, new_pages, dontUnmap);
    return err ? -err : dest << PAGE_SHIFT;
  }

  /**
   * dup_mm: a child with a copy of every VMA (a ring's only where the
   * profile's fork copies it) and no context table. It shares the open
   * test file (exit_child keeps its size) and the eventfds.
   */
  fork(): AioProcess {
    const child = new AioProcess(this.profile, this.cpus, this.aio_max_nr, this.aio_nr, this.zeroPage);
    child.mm = this.mm.clone(this.profile.forkCopiesRing);
    child.fsizeLimit = this.fsizeLimit;
    child.eventfds = this.eventfds;
    child.pipes = this.pipes;
    child.space = this.space;
    child.file = this.file;
    child.forkParent = this;
    child.buf = this.buf.clone();
    child.readPos = this.readPos;
    child.readAsked = this.readAsked;
    child.readLen = this.readLen;
    return child;
  }

  /** 6.17+: one move of every VMA in [start, start + pages), all by the same offset (the first page is mapped). */
  private move_vmas(start: i64, pages: i64, dest: i64, dontUnmap: bool): i64 {
    const mm = this.mm;
    const end = start + pages;
    const spans = mm.intersecting(start, pages);
    const n = spans.length;
    if (this.profile.ringMoveWhole) {
      for (let i = 0; i < n; i++) {
        const v = unchecked(spans[i]);
        if (v.kind == KIND_AIO && (v.start < start || v.end > end)) return -EINVAL;
      }
    }
    // The ranges first: moving one VMA changes the objects of the others.
    const froms = new StaticArray<i64>(n);
    const tos = new StaticArray<i64>(n);
    for (let i = 0; i < n; i++) {
      const v = unchecked(spans[i]);
      unchecked((froms[i] = max(v.start, start)));
      unchecked((tos[i] = min(v.end, end)));
    }
    for (let i = 0; i < n; i++) {
      const from = unchecked(froms[i]);
      const len = unchecked(tos[i]) - from;
      // Only each VMA's own target is replaced: the target of a hole keeps what it had (FINDINGS 5).
      // A refused VMA stops the move: those before it stay moved, those after it are not touched.
      const err = this.move_range(from, len, dest + (from - start), len, dontUnmap);
      if (err) return -err;
    }
    return dest << PAGE_SHIFT;
  }

  /**
   * move_vma: unmaps the target, moves [start, start + pages) of the VMA
   * holding it to `dest` with `newPages` pages, then runs the ring's mremap
   * hook. When the hook refuses, the pages go back and the VMA is as it was
   * before the move, not split (FINDINGS 27); the target stays unmapped.
   * MREMAP_DONTUNMAP leaves the old range mapped and empty; a VMA moved
   * whole loses its anon_vma where the profile says (model's move_range, FINDINGS 52).
   */
  private move_range(start: i64, pages: i64, dest: i64, newPages: i64, dontUnmap: bool): i32 {
    const mm = this.mm;
    // MREMAP_DONTUNMAP: a ring (VM_DONTEXPAND) refuses it before its target is touched (model's move_range).
    if (dontUnmap && mm.find(start)!.dontexpand) return EINVAL;
    mm.unmap(dest, newPages);
    // The pages move with their contents (a ring has none: fill writes anonymous memory only; a shared page's are its object's).
    const moved = mm.takeContents(start, pages);
    const vma = mm.find(start)!;
    const beforeStart = vma.start;
    const beforePages = vma.pages;
    const beforePgoff = vma.pgoff;
    const beforeAnonVma = vma.anonVma;
    const whole = start == beforeStart && pages == beforePages;
    // The old VMA stays with MREMAP_DONTUNMAP: the piece is always a copy then.
    const piece = dontUnmap ? mm.copyPiece(vma, start, pages) : mm.takePiece(vma, start, pages);
    piece.start = dest;
    piece.pages = newPages;
    // Anonymous memory never faulted in (no anon_vma) takes the offset of where it lands, so it merges there.
    if (this.profile.movedAnonTakesNewOffset && piece.kind == KIND_ANON && piece.ring == null && piece.shm == 0 && piece.anonVma == 0)
      piece.pgoff = dest;
    // The new range is placed while its source VMA is still whole, and may merge with it: what stays of
    // the source then shares the anon_vma the merge brought in (FINDINGS 35). A whole VMA leaves nothing behind.
    // A MREMAP_DONTUNMAP piece beside its source merges as the profile says (model's move_range, FINDINGS 54).
    const keepApart = dontUnmap && !this.profile.dontUnmapMergesSource;
    mm.insert(piece, keepApart ? vma : null, this.profile.dontUnmapSourceBlocksMerge);
    if (dontUnmap) {
      const old = mm.find(start)!;
      // The piece may have merged into the old VMA (an unfaulted one placed right after it): then nothing was moved whole.
      if (whole && this.profile.dontUnmapDropsAnonVma && old.start == start && old.pages == pages) old.anonVma = 0;
    } else if (!whole) mm.unmap(start, pages);
    const err = this.aio_ring_remap(piece);
    if (err == EINVAL) {
      mm.unmap(dest, newPages);
      mm.unmap(beforeStart, beforePages);
      mm.insert(new Vma(beforeStart, beforePages, piece.kind, piece.ring, beforePgoff, piece.dontexpand, beforeAnonVma, piece.shm, piece.prot, piece.fileShared));
    }
    mm.putContents(err == EINVAL ? start : dest, moved);
    return err;
  }

  // ---- ring remap hook ----------------------------------------------------

  /** aio_ring_remap: find the context owning the moved ring file by scanning the table. 0 or an errno. */
  private aio_ring_remap(vma: Vma): i32 {
    const p = this.profile;
    if (vma.kind != KIND_AIO || !p.remapHook) return 0;
    const table = this.ioctx_table;
    if (!table) return p.hookWithoutTableOops ? OOPS : EINVAL;
    const slots = table.table;
    const nr = table.nr;
    const ring = vma.ring;
    for (let i = 0; i < nr; i++) {
      const ctx = unchecked(slots[i]);
      if (ctx && ctx.ring == ring) {
        this.hookSlotsVisited += i + 1;
        ctx.user_id = ctx.mmap_base = vma.start << PAGE_SHIFT;
        return 0;
      }
    }
    this.hookSlotsVisited += nr;
    return p.remapHookErrno ? EINVAL : 0;
  }

  /** A waiting thread's read (watch.ts): up to `nr` events of a context it holds, as io_getevents with min_nr 0 reads them. */
  read_held(ctx: Kioctx, nr: i32): i32 {
    return this.read_events(ctx, 0, nr, true, 0, 0, false, false);
  }
}
