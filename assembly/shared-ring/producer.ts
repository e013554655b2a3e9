// Completer side: many producers append io_events to one ring.
//
// Reservation protocol (multi-producer): a producer claims k free slots by
// CAS on C_PROD_RESERVE (bounded by what reapers have released, so it never
// overwrites an unread event), writes its events with plain stores, then
// publishes *in reservation order*: it waits until C_PROD_PUBLISH equals the
// start of its claim and stores the end. So the published tail only ever
// covers fully written events, exactly the kernel's promise that
// [head, tail) holds complete events, and the header's tail is written by one
// thread at a time (the one whose turn it is).
import { stopped } from "./error";
import {
  C_BATCH, C_CONS_RELEASE, C_NR, C_PROD_PUBLISH, C_PROD_RESERVE, C_PUB_WAITERS, C_REL_WAITERS,
  EVENT, HEADER, H_TAIL, ringPtr,
} from "./layout";
import { waitChange, wake } from "./wait";

/** Bits of user data below the producer id: the sequence number. */
export const SEQ_BITS: u64 = 40;
export const SEQ_MASK: u64 = (<u64>1 << SEQ_BITS) - 1;
/** res of every event: the bytes a completed 4 KiB pread reports. */
export const EVENT_RES: i64 = 4096;

/**
 * Appends `count` events of `producer` with sequence numbers first_seq,
 * first_seq + 1, ..., claiming at most the run's batch of slots at a time.
 * Returns `count`, or -1 when the run was stopped first.
 */
export function produce(base: usize, producer: u32, firstSeq: u64, count: u32): i32 {
  const nr = <u64>load<u32>(base + C_NR);
  const batch = <u64>load<u32>(base + C_BATCH);
  const ring = ringPtr(base);
  const events = ring + HEADER;
  const tag = <u64>producer << SEQ_BITS;
  let seq = firstSeq;
  let left = count;
  while (left > 0) {
    if (stopped(base)) return -1;
    const t = atomic.load<u64>(base + C_PROD_RESERVE);
    const released = atomic.load<u64>(base + C_CONS_RELEASE);
    // released was read after t, so t - released can only overstate the fill;
    // a stale t makes the CAS fail.
    const used = <i64>(t - released);
    if (used >= <i64>nr) {
      waitChange(base, C_CONS_RELEASE, C_REL_WAITERS, released);
      continue;
    }
    const k = min(min(<u64>(<i64>nr - used), batch), <u64>left);
    if (atomic.cmpxchg<u64>(base + C_PROD_RESERVE, t, t + k) != t) continue;

    let slot = t % nr;
    for (let i: u64 = 0; i < k; i++) {
      const e = events + <usize>(slot * EVENT);
      const data = tag | (seq & SEQ_MASK);
      store<u64>(e, data);
      store<u64>(e, ~data, 8);
      store<i64>(e, EVENT_RES, 16);
      store<i64>(e, 0, 24);
      seq++;
      if (++slot == nr) slot = 0;
    }

    for (;;) {
      const p = atomic.load<u64>(base + C_PROD_PUBLISH);
      if (p == t) break;
      if (stopped(base)) return -1;
      waitChange(base, C_PROD_PUBLISH, C_PUB_WAITERS, p);
    }
    // ringPtr(base), not `ring`: see the head store in reaper.ts (a local lost across the wait).
    atomic.store<u32>(ringPtr(base) + H_TAIL, <u32>((t + k) % nr));
    atomic.store<u64>(base + C_PROD_PUBLISH, t + k);
    wake(base, C_PROD_PUBLISH, C_PUB_WAITERS);
    left -= <u32>k;
  }
  return <i32>count;
}
