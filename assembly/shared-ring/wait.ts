// Sleeping instead of spinning when the ring is empty or full, or while
// waiting for a turn to publish/release. A waiter registers (waiters++), then
// sleeps only if the counter still holds the value it saw (the wait itself
// compares atomically with notify). A changer stores the counter, then
// notifies if anyone is registered. All wasm atomics are sequentially
// consistent, so either the changer sees the registration or the waiter sees
// the new value: no lost wake-up. A bounded sleep re-checks C_STOP, so a host
// stop or a dead peer cannot hang a thread forever.
import { C_CONS_RELEASE, C_PROD_PUBLISH } from "./layout";

/** Loads of the counter before sleeping: a short spin catches a peer that is mid-batch on the other core. */
const SPIN: i32 = 1000;
const SLEEP_NS: i64 = 20_000_000;

let sleeps: u32 = 0;

/** Sleeps taken by this instance (this thread) since it started. */
export function sleepCount(): u32 {
  return sleeps;
}

/** Returns once the u64 at base + counter differs from `seen` (or after a bounded sleep). */
export function waitChange(base: usize, counter: u32, waiters: u32, seen: u64): void {
  const p = base + counter;
  for (let i = 0; i < SPIN; i++) {
    if (atomic.load<u64>(p) != seen) return;
  }
  atomic.add<u32>(base + waiters, 1);
  sleeps++;
  memory.atomic.wait64(p, <i64>seen, SLEEP_NS);
  atomic.sub<u32>(base + waiters, 1);
}

/** After changing the counter at base + counter: wake its sleepers, if any. */
export function wake(base: usize, counter: u32, waiters: u32): void {
  if (atomic.load<u32>(base + waiters) != 0) atomic.notify(base + counter, i32.MAX_VALUE);
}

export function wakeAll(base: usize): void {
  atomic.notify(base + C_PROD_PUBLISH, i32.MAX_VALUE);
  atomic.notify(base + C_CONS_RELEASE, i32.MAX_VALUE);
}
