// The contexts threads blocked in io_getevents hold (src/scenario/threads.ts),
// one per thread slot: a thread keeps the kioctx, not its id, so its waiter
// follows a ring mremap moves and reads a ring user space unmapped. Off every
// hot path: the runner asks after each step whether a tail moved (a
// completion woke that context's waiter).
import { MAX_THREADS } from "./abi/limits";
import { Kioctx } from "./kioctx";
import { proc } from "./process";
import { RING_HEAD } from "./ring";
import { record_into_scratch } from "./sink";

const watched = new StaticArray<Kioctx | null>(MAX_THREADS);

/** Slot `w` (0 to MAX_THREADS - 1) holds the context `ctx` names now: whether there is one. */
export function watch_ctx(w: i32, ctx: i64): bool {
  const k = proc.lookup_ioctx(ctx);
  watched[w] = k;
  return k != null;
}

/** Whether `ctx` names the context slot `w` holds now. */
export function watches(w: i32, ctx: i64): bool {
  const k = watched[w];
  return k != null && proc.lookup_ioctx(ctx) === k;
}

/** Slot `w`'s context's ctx->tail, or -1 once it is dead (or none is held). */
export function watched_tail(w: i32): i32 {
  const k = watched[w];
  return k == null || k.dead ? -1 : <i32>k.tail;
}

/** What a completion compares with the waiter's outstanding min_nr: ctx->tail against the header's head as stored, in u32 arithmetic (model: watched_avail). */
export function watched_avail(w: i32): u32 {
  const k = watched[w]!;
  const head = load<u32>(k.ringBase + RING_HEAD);
  const tail = <u32>k.tail;
  return tail > head ? tail - head : tail + <u32>k.nr_events - head;
}

/** Up to `nr` events of slot `w`'s live context, each one's (data, res) in scratch as f64. */
export function watched_read(w: i32, nr: i32): i32 {
  record_into_scratch();
  return proc.read_held(watched[w]!, nr);
}
