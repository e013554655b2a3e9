// Module entry of build/shared-ring.wasm: one AIO completion ring in shared,
// imported memory, filled by completer threads and reaped by reaper threads
// (producer.ts and reaper.ts explain the protocols). Every thread
// instantiates this module over the same memory; all state lives at `base`
// (layout.ts). Sequence numbers cross as f64 (exact below 2^53) to spare
// the host BigInts.
import { stop as stopRun } from "./error";
import {
  AIO_RING_COMPAT_FEATURES, AIO_RING_INCOMPAT_FEATURES, AIO_RING_MAGIC, C_BATCH, C_CONS_RELEASE, C_ERROR, C_NR,
  C_PRODUCERS, C_PROD_PUBLISH, C_TOTAL, HEADER, H_COMPAT, H_HEADER_LENGTH, H_ID, H_INCOMPAT,
  H_MAGIC, H_NR, PAGE, expectedPtr, layoutBytes, ringBytes, ringPtr,
} from "./layout";
import { produce as produceEvents } from "./producer";
import { reap as reapEvents } from "./reaper";
import { sleepCount } from "./wait";

/** Bytes from `base` the run needs. */
export function bytes_needed(nr: u32, producers: u32, reapers: u32, batch: u32): u32 {
  return layoutBytes(nr, producers, reapers, batch);
}

/** Sets up an empty ring of `nr` slots for `total` events; called once, before any worker runs. */
export function init(base: usize, nr: u32, producers: u32, batch: u32, total: f64): void {
  memory.fill(base, 0, PAGE);
  store<u64>(base + C_TOTAL, <u64>total);
  store<u32>(base + C_NR, nr);
  store<u32>(base + C_PRODUCERS, producers);
  store<u32>(base + C_BATCH, batch);
  const ring = ringPtr(base);
  memory.fill(ring, 0, ringBytes(nr));
  store<u32>(ring + H_ID, 0);
  store<u32>(ring + H_NR, nr);
  store<u32>(ring + H_MAGIC, AIO_RING_MAGIC);
  store<u32>(ring + H_COMPAT, AIO_RING_COMPAT_FEATURES);
  store<u32>(ring + H_INCOMPAT, AIO_RING_INCOMPAT_FEATURES);
  store<u32>(ring + H_HEADER_LENGTH, HEADER);
  memory.fill(expectedPtr(base), 0, <usize>producers * 8);
}

/** Appends `count` events of `producer` (sequence numbers from `first_seq`): `count`, or -1 if stopped. */
export function produce(base: usize, producer: u32, first_seq: f64, count: u32): i32 {
  return produceEvents(base, producer, <u64>first_seq, count);
}

/** Reaps and checks up to `max` events: how many, or -1 if stopped or a check failed. */
export function reap(base: usize, reaper: u32, max: u32): i32 {
  return reapEvents(base, reaper, max);
}

/** Stops every loop at its next check (host-side cancel). */
export function stop(base: usize): void {
  stopRun(base);
}

export function ring_ptr(base: usize): usize {
  return ringPtr(base);
}

export function error_ptr(base: usize): usize {
  return base + C_ERROR;
}

export function expected_ptr(base: usize): usize {
  return expectedPtr(base);
}

export function published(base: usize): f64 {
  return <f64>atomic.load<u64>(base + C_PROD_PUBLISH);
}

export function released(base: usize): f64 {
  return <f64>atomic.load<u64>(base + C_CONS_RELEASE);
}

/** Times this thread slept on a full/empty ring or a turn. */
export function sleeps(): u32 {
  return sleepCount();
}
