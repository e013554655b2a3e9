// Ring geometry, one formula for everyone who needs it: the model's io_setup,
// the pool's shared ring and the benchmarks that size a ring.
import { AIO_RING_HEADER, IO_EVENT_SIZE, PAGE_SIZE } from "../../assembly/abi/ring.js";

/** Pages and slots of a ring for `n` requested events: n + 2 events plus the header, rounded to pages. */
export function ringGeometry(n: number): { pages: number; nr: number } {
  const pages = Math.ceil((AIO_RING_HEADER + (n + 2) * IO_EVENT_SIZE) / PAGE_SIZE);
  return { pages, nr: (pages * PAGE_SIZE - AIO_RING_HEADER) / IO_EVENT_SIZE };
}

/**
 * The events io_setup(nr_events) sizes its ring for: doubled with a per-CPU
 * floor (3.12+), else as asked. The kernel doubles in an unsigned int: 2^31
 * and more wrap around (probe/FINDINGS.md 25).
 */
export function setupEvents(nrEvents: number, cpus: number, doubled: boolean): number {
  return doubled ? (Math.max(nrEvents, cpus * 4) * 2) % 2 ** 32 : nrEvents;
}

/** Slots of the ring io_setup(nr_events) makes on `cpus` CPUs with doubled geometry (3.12 to mainline). */
export function setupRingSlots(nrEvents: number, cpus: number): number {
  return ringGeometry(setupEvents(nrEvents, cpus, true)).nr;
}
