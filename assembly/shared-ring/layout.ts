// Where everything lives in the shared memory, relative to `base` (page
// aligned, chosen by the host). All threads instantiate this module over the
// same imported memory, so the layout is the only shared "object": no
// globals, no heap, no data segments (instantiating again must not rewrite
// anything another thread is using).
//
// page 0: control block. Each hot counter sits on its own 64-byte line so a
//         producer bumping its counters does not invalidate the reapers'.
// page 1..: the AIO ring exactly as the kernel lays it out (header of eight
//         u32, then nr 32-byte io_events).
// then:   expected[producers] u64 (next sequence number per producer)
// then:   one copy-out buffer of `batch` events per reaper.

import {
  AIO_RING_HEADER, IO_EVENT_SIZE, RING_COMPAT, RING_HEAD, RING_HEADER_LENGTH, RING_ID, RING_INCOMPAT, RING_MAGIC, RING_NR, RING_TAIL,
} from "../abi/ring";
import { PAGE as PAGE_SIZE } from "../abi/lookup-world";

export { AIO_RING_COMPAT_FEATURES, AIO_RING_INCOMPAT_FEATURES, AIO_RING_MAGIC } from "../abi/ring";
import { PAGE as PAGE_SIZE } from "../abi/lookup-world";

export const PAGE: u32 = PAGE_SIZE;
export const EVENT: u32 = IO_EVENT_SIZE;
export const HEADER: u32 = AIO_RING_HEADER;

// Header field offsets, as u32 for this module's address arithmetic (assembly/abi/ring.ts).
export const H_ID: u32 = RING_ID;
export const H_NR: u32 = RING_NR;
export const H_HEAD: u32 = RING_HEAD;
export const H_TAIL: u32 = RING_TAIL;
export const H_MAGIC: u32 = RING_MAGIC;
export const H_COMPAT: u32 = RING_COMPAT;
export const H_INCOMPAT: u32 = RING_INCOMPAT;
export const H_HEADER_LENGTH: u32 = RING_HEADER_LENGTH;

// Control block. Positions are free-running u64 event counts (slot = pos % nr),
// so "full" and "empty" differ without a wasted slot, and an ABA on a CAS
// would need 2^64 events in between.
/** Producers: positions handed out (reserved but maybe not yet written). */
export const C_PROD_RESERVE: u32 = 0;
/** Producers: positions written and visible to reapers (the ring's tail). */
export const C_PROD_PUBLISH: u32 = 64;
/** Reapers: positions claimed for copying out. */
export const C_CONS_RESERVE: u32 = 128;
/** Reapers: positions checked and given back to producers (the ring's head). */
export const C_CONS_RELEASE: u32 = 192;
/** Threads asleep on C_PROD_PUBLISH / C_CONS_RELEASE: notify only when someone sleeps. */
export const C_PUB_WAITERS: u32 = 256;
export const C_REL_WAITERS: u32 = 320;
/** Nonzero: every loop returns at its next check (error or host stop). */
export const C_STOP: u32 = 384;
/** Run parameters, written once by init. */
export const C_TOTAL: u32 = 448; // u64
export const C_NR: u32 = 456;
export const C_PRODUCERS: u32 = 460;
export const C_BATCH: u32 = 464;
/** First detected fault (error.ts). */
export const C_ERROR: u32 = 512;

export function ringPtr(base: usize): usize {
  return base + PAGE;
}

export function ringBytes(nr: u32): u32 {
  return (HEADER + nr * EVENT + PAGE - 1) / PAGE * PAGE;
}

export function expectedPtr(base: usize): usize {
  return ringPtr(base) + ringBytes(load<u32>(base + C_NR));
}

export function copyOutPtr(base: usize, reaper: u32): usize {
  const expectedEnd = expectedPtr(base) + <usize>load<u32>(base + C_PRODUCERS) * 8;
  const first = (expectedEnd + 63) & ~(<usize>63);
  return first + <usize>reaper * <usize>load<u32>(base + C_BATCH) * EVENT;
}

export function layoutBytes(nr: u32, producers: u32, reapers: u32, batch: u32): u32 {
  const expectedEnd = PAGE + ringBytes(nr) + producers * 8;
  return ((expectedEnd + 63) & ~63) + reapers * batch * EVENT;
}
