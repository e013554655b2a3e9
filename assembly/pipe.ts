// The pipes of the modelled process and the poll blocks waiting on them, as
// src/model/pipe.ts has them (FINDINGS 53): a pipe is the bytes it holds (at
// most PIPE_MAX_BYTES, so its write end is always ready) and a wait queue per
// end, whose head is its newest waiter, the first a wake-up completes.
import { EAGAIN } from "./errno";
import { Kioctx } from "./kioctx";
import { PIPE_READ_READY, PIPE_WRITE_READY } from "./abi/poll";

/** A poll block io_submit left waiting: its context, user data, control block, what it waits for (with POLLERR and POLLHUP), and the step and index naming it. */
export class PollWaiter {
  constructor(
    readonly ctx: Kioctx,
    readonly data: u64,
    readonly obj: u64,
    readonly events: i32,
    readonly submit: i32,
    readonly block: i32,
  ) {}
}

export class Pipes {
  private held: i64[] = [];
  /** Per pipe end (2 x pipe, + 1 for the write end), newest first. */
  private queues: Array<Array<PollWaiter>> = [];

  create(): i32 {
    this.queues.push(new Array<PollWaiter>());
    this.queues.push(new Array<PollWaiter>());
    return this.held.push(0) - 1;
  }

  /** What pipe end `end` is ready for now: the read end while it holds bytes, the write end always. */
  ready(end: i32): i32 {
    if (end & 1) return PIPE_WRITE_READY;
    return this.held[end >> 1] > 0 ? PIPE_READ_READY : 0;
  }

  wait(end: i32, w: PollWaiter): void {
    this.queues[end].unshift(w);
  }

  /** write(2) of all of `bytes`: the waiters of the read end that `key` wakes, in queue order, taken off it for the caller to complete. */
  write(pipe: i32, bytes: i32, key: i32): Array<PollWaiter> {
    const woken = new Array<PollWaiter>();
    // An empty write returns before it touches the pipe.
    if (!bytes) return woken;
    this.held[pipe] += bytes;
    const q = this.queues[pipe << 1];
    const kept = new Array<PollWaiter>();
    for (let k = 0; k < q.length; k++) {
      const w = q[k];
      if (w.events & key) woken.push(w);
      else kept.push(w);
    }
    this.queues[pipe << 1] = kept;
    return woken;
  }

  /** read(2), nonblocking: what the pipe holds up to `bytes`, or -EAGAIN when empty (its write end is open). */
  read(pipe: i32, bytes: i32): i32 {
    if (!bytes) return 0;
    const held = this.held[pipe];
    if (!held) return -EAGAIN;
    const n = min<i64>(bytes, held);
    this.held[pipe] = held - n;
    return <i32>n;
  }

  /**
   * Takes the waiters of `ctx` off every queue, in queue order; with
   * `submit` >= 0 only block `block` of that io_submit step (io_cancel),
   * else all of them (io_destroy).
   */
  take(ctx: Kioctx, submit: i32, block: i32): Array<PollWaiter> {
    const out = new Array<PollWaiter>();
    for (let e = 0; e < this.queues.length; e++) {
      const q = this.queues[e];
      const kept = new Array<PollWaiter>();
      for (let k = 0; k < q.length; k++) {
        const w = q[k];
        if (w.ctx === ctx && (submit < 0 || (w.submit == submit && w.block == block))) out.push(w);
        else kept.push(w);
      }
      this.queues[e] = kept;
    }
    return out;
  }
}
