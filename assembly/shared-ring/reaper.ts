// Reaper side: many reapers consume one ring in user space (libaio style:
// check the header, copy events out, move head).
//
// Claim protocol (multi-consumer), the mirror of the producers': a reaper
// claims up to `batch` published events by CAS on C_CONS_RESERVE, copies
// them out (in parallel with other reapers: the slots cannot be reused until
// released), then checks and releases them *in claim order*: it waits until
// C_CONS_RELEASE equals the start of its claim. Checking under that turn
// sees the events in ring order, so one expected[] array per producer proves
// exactly-once, in-order delivery across all reapers: each event must carry
// exactly the next sequence number of its producer.
import { E_BAD_HEADER, E_BAD_PRODUCER, E_DUPLICATE, E_LOST, E_TORN, fail, stopped } from "./error";
import {
  AIO_RING_INCOMPAT_FEATURES, AIO_RING_MAGIC, C_BATCH, C_CONS_RELEASE, C_CONS_RESERVE, C_NR, C_PRODUCERS,
  C_PROD_PUBLISH, C_PUB_WAITERS, C_REL_WAITERS, C_TOTAL, EVENT, HEADER, H_HEAD, H_INCOMPAT, H_MAGIC,
  copyOutPtr, expectedPtr, ringPtr,
} from "./layout";
import { SEQ_BITS, SEQ_MASK } from "./producer";
import { waitChange, wake } from "./wait";

/**
 * Reaps up to `max` events as reaper `reaper`. Returns the events reaped
 * (fewer than `max` once every event of the run is claimed), or -1 when the
 * run was stopped or a check failed (error.ts holds which).
 */
export function reap(base: usize, reaper: u32, max: u32): i32 {
  const ring = ringPtr(base);
  if (load<u32>(ring + H_MAGIC) != AIO_RING_MAGIC || load<u32>(ring + H_INCOMPAT) != AIO_RING_INCOMPAT_FEATURES) {
    fail(base, E_BAD_HEADER, reaper, 0, AIO_RING_MAGIC, load<u32>(ring + H_MAGIC), 0);
    return -1;
  }
  const nr = <u64>load<u32>(base + C_NR);
  const total = load<u64>(base + C_TOTAL);
  const batch = <u64>load<u32>(base + C_BATCH);
  const events = ring + HEADER;
  const out = copyOutPtr(base, reaper);
  let got: u32 = 0;
  while (got < max) {
    if (stopped(base)) return -1;
    const h = atomic.load<u64>(base + C_CONS_RESERVE);
    if (h >= total) break;
    const p = atomic.load<u64>(base + C_PROD_PUBLISH);
    if (p <= h) {
      // Empty, and events are still to come (h < total), so p will move.
      waitChange(base, C_PROD_PUBLISH, C_PUB_WAITERS, p);
      continue;
    }
    const k = min(min(p - h, batch), <u64>(max - got));
    if (atomic.cmpxchg<u64>(base + C_CONS_RESERVE, h, h + k) != h) continue;

    // Copy out [h, h + k): one or two runs, around the end of the ring.
    const slot = h % nr;
    const first = min(k, nr - slot);
    memory.copy(out, events + <usize>(slot * EVENT), <usize>(first * EVENT));
    if (first < k) memory.copy(out + <usize>(first * EVENT), events, <usize>((k - first) * EVENT));

    for (;;) {
      const r = atomic.load<u64>(base + C_CONS_RELEASE);
      if (r == h) break;
      if (stopped(base)) return -1;
      waitChange(base, C_CONS_RELEASE, C_REL_WAITERS, r);
    }
    // On a fault only the good prefix is released (and counted in expected[]),
    // so the host's "released" and "delivered" agree and end at the fault.
    const good = check(base, reaper, out, h, k);
    // ringPtr(base) again, not the `ring` local: Node 20's baseline wasm
    // compiler (V8 11.3 Liftoff) loses that local across the atomic wait
    // above (measured: head went to address 8, the header kept a stale head).
    atomic.store<u32>(ringPtr(base) + H_HEAD, <u32>((h + good) % nr));
    atomic.store<u64>(base + C_CONS_RELEASE, h + good);
    wake(base, C_CONS_RELEASE, C_REL_WAITERS);
    if (good < k) return -1;
    got += <u32>k;
  }
  return <i32>got;
}

/**
 * Checks k copied events at ring positions h.. against expected[]; runs only
 * in this claim's turn. Returns how many passed: k, or the index of the
 * first fault (recorded, run stopped).
 */
function check(base: usize, reaper: u32, out: usize, h: u64, k: u64): u64 {
  const expected = expectedPtr(base);
  const producers = <u64>load<u32>(base + C_PRODUCERS);
  for (let i: u64 = 0; i < k; i++) {
    const e = out + <usize>(i * EVENT);
    const data = load<u64>(e);
    const producer = data >> SEQ_BITS;
    const seq = data & SEQ_MASK;
    if (load<u64>(e, 8) != ~data) {
      fail(base, E_TORN, reaper, <u32>producer, ~data, load<u64>(e, 8), h + i);
      return i;
    }
    if (producer >= producers) {
      fail(base, E_BAD_PRODUCER, reaper, <u32>producer, producers, seq, h + i);
      return i;
    }
    const slot = expected + <usize>(producer << 3);
    const want = load<u64>(slot);
    if (seq != want) {
      fail(base, seq < want ? E_DUPLICATE : E_LOST, reaper, <u32>producer, want, seq, h + i);
      return i;
    }
    store<u64>(slot, want + 1);
  }
  return k;
}
