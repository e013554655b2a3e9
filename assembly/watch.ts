// The context a thread blocked in io_getevents holds (src/scenario/threads.ts):
// it keeps the kioctx, not its id, so the waiter follows a ring mremap moves
// and reads a ring user space unmapped. Off every hot path: the runner asks
// after each step whether the tail moved (a completion woke the waiter).
import { Kioctx } from "./kioctx";
import { proc } from "./process";
import { RING_HEAD } from "./ring";
import { record_into_scratch } from "./sink";

let watched: Kioctx | null = null;

/** Holds the context `ctx` names now (one at a time): whether there is one. */
export function watch_ctx(ctx: i64): bool {
  watched = proc.lookup_ioctx(ctx);
  return watched != null;
}

/** Whether `ctx` names the held context now. */
export function watches(ctx: i64): bool {
  const w = watched;
  return w != null && proc.lookup_ioctx(ctx) === w;
}

/** The held context's ctx->tail, or -1 once it is dead (or none is held). */
export function watched_tail(): i32 {
  const w = watched;
  return w == null || w.dead ? -1 : <i32>w.tail;
}

/** What a completion compares with the waiter's outstanding min_nr: ctx->tail against the header's head as stored, in u32 arithmetic (model: watched_avail). */
export function watched_avail(): u32 {
  const w = watched!;
  const head = load<u32>(w.ringBase + RING_HEAD);
  const tail = <u32>w.tail;
  return tail > head ? tail - head : tail + <u32>w.nr_events - head;
}

/** Up to `nr` events of the held live context, each one's (data, res) in scratch as f64. */
export function watched_read(nr: i32): i32 {
  record_into_scratch();
  return proc.read_held(watched!, nr);
}
