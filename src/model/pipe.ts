// The pipes of a process and the poll blocks waiting on them (FINDINGS 53):
// a pipe is the bytes it holds (at most PIPE_MAX_BYTES, so never full: its
// write end is always ready, and a read never wakes its writers), and each
// end a wait queue. A poll block adds itself at the head of its end's queue
// and a wake-up walks it from the head: the newest waiter completes first.
import { PIPE_READ_READY, PIPE_WRITE_READY } from "../../assembly/abi/poll.js";
import { fail, ok, type SysResult } from "../contract/backend.js";
import type { Kioctx } from "./kioctx.js";

/** A poll block io_submit took and left waiting: its context, user data and control block, what it waits for, and the step and index naming it. */
export interface PollWaiter {
  ctx: Kioctx;
  data: number;
  obj: number;
  /** Its mask with POLLERR and POLLHUP, which a poll block always waits for. */
  events: number;
  submit: number;
  block: number;
}

interface Pipe {
  held: number;
  /** Newest first: [0] is the head of the wait queue. */
  readers: PollWaiter[];
  writers: PollWaiter[];
}

export class Pipes {
  private readonly pipes: Pipe[] = [];

  create(): number {
    return this.pipes.push({ held: 0, readers: [], writers: [] }) - 1;
  }

  /** What an end is ready for now (pipe_poll): the read end while it holds bytes, the write end always. */
  ready(pipe: number, write: boolean): number {
    if (write) return PIPE_WRITE_READY;
    return this.pipes[pipe].held > 0 ? PIPE_READ_READY : 0;
  }

  wait(pipe: number, write: boolean, w: PollWaiter): void {
    const p = this.pipes[pipe];
    (write ? p.writers : p.readers).unshift(w);
  }

  /** write(2): all of `bytes` (the runner keeps the pipe within its page); the read end's waiters woken by `key`, in queue order, for the caller to complete. */
  write(pipe: number, bytes: number, key: number): SysResult & { woken: PollWaiter[] } {
    const p = this.pipes[pipe];
    // An empty write returns before it touches the pipe.
    if (bytes === 0) return { ...ok(0), woken: [] };
    p.held += bytes;
    const woken = p.readers.filter((w) => (w.events & key) !== 0);
    p.readers = p.readers.filter((w) => (w.events & key) === 0);
    return { ...ok(bytes), woken };
  }

  /** read(2), nonblocking: what the pipe holds up to `bytes`; EAGAIN when empty (its write end is open). */
  read(pipe: number, bytes: number): SysResult {
    const p = this.pipes[pipe];
    if (bytes === 0) return ok(0);
    if (p.held === 0) return fail("EAGAIN");
    const n = Math.min(bytes, p.held);
    p.held -= n;
    return ok(n);
  }

  /** Takes the waiters `match` picks off every queue, in queue order (io_cancel, io_destroy). */
  take(match: (w: PollWaiter) => boolean): PollWaiter[] {
    const out: PollWaiter[] = [];
    for (const p of this.pipes) {
      out.push(...p.readers.filter(match), ...p.writers.filter(match));
      p.readers = p.readers.filter((w) => !match(w));
      p.writers = p.writers.filter((w) => !match(w));
    }
    return out;
  }
}
