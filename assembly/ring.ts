// struct aio_ring: the completion ring, byte for byte in the kernel layout, in
// linear memory (docs/semantics.md "Ring"). The kernel side reads and writes it
// here directly; user space reaches it only through the mappings (mm.ts).
import { AIO_RING_HEADER, IO_EVENT_SIZE, PAGE_SIZE, RING_HEAD, RING_TAIL } from "./abi/ring";
import { writeRingHeader } from "./ring-header";

export * from "./abi/ring";

/** Pages of a ring for `n` requested events: n + 2 events plus the header, rounded up (Math.ceil: v3.11 lets n go negative). */
export function ringPages(n: i32): i32 {
  const bytes = AIO_RING_HEADER + (n + 2) * IO_EVENT_SIZE;
  return bytes > 0 ? (bytes + PAGE_SIZE - 1) / PAGE_SIZE : bytes / PAGE_SIZE;
}

/** Slots that fill `pages` pages after the header. */
export function ringSlots(pages: i32): i32 {
  return (pages * PAGE_SIZE - AIO_RING_HEADER) / IO_EVENT_SIZE;
}

/**
 * The ring file (3.12+) or 3.11's pinned ring pages: what ring VMAs map, and
 * the kernel's own view of the ring. `base` points at the bytes.
 */
export class AioRing {
  /** Keeps the bytes alive; the GC does not move objects, so `base` stays valid. */
  readonly bytes: ArrayBuffer;
  readonly base: usize;
  /** Pages the file holds: 0 once the context is freed (truncate). */
  pages: i64;
  /** Event slots the bytes hold (the header's nr). */
  readonly slots: u32;

  constructor(
    pages: i32,
    /** Where io_setup mapped it: 3.11 writes its low 32 bits as the header id. */
    readonly setupAddress: i64,
  ) {
    this.bytes = new ArrayBuffer(pages * PAGE_SIZE);
    this.base = changetype<usize>(this.bytes);
    this.pages = pages;
    this.slots = pages > 0 ? ringSlots(pages) : 0;
  }

  /** The context is freed: its ring file is emptied, so pages of it still mapped somewhere fault (model: ring.ts). */
  truncate(): void {
    this.pages = 0;
  }

  writeHeader(id: u32, nr: u32): void {
    // A ring of zero pages (v3.11, nr_events <= -3) has no room for the header:
    // trap, as the model's DataView throws.
    if (this.pages <= 0) unreachable();
    writeRingHeader(this.base, id, nr);
  }

  @inline get head(): u32 {
    return load<u32>(this.base + RING_HEAD);
  }
  @inline set head(value: u32) {
    store<u32>(this.base + RING_HEAD, value);
  }
  @inline get tail(): u32 {
    return load<u32>(this.base + RING_TAIL);
  }
  @inline set tail(value: u32) {
    store<u32>(this.base + RING_TAIL, value);
  }
}

/**
 * Writes `n` struct io_event {data, obj, res, res2} into slots first,
 * first + 1, ... of the ring at `base` (`slots` slots; the run must not
 * wrap), data counting up by one and obj by `objStep` per event. On the raw
 * pointer, not the AioRing object: the submit loop then holds no GC reference.
 */
@inline export function writeEvents(base: usize, slots: u32, first: u32, n: u32, data: u64, obj: u64, objStep: u64, res: i64, res2: i64): void {
  // A slot past the ring only comes from a tail that user space forged; the
  // model's DataView throws there, the core traps rather than write outside.
  if (first >= slots) unreachable();
  let at = base + AIO_RING_HEADER + <usize>first * IO_EVENT_SIZE;
  // Two 16-byte stores per event, as a C compiler emits for this struct:
  // {data, obj} counting up together, {res, res2} the same for all.
  let ids = i64x2.replace_lane(i64x2.splat(<i64>data), 1, <i64>obj);
  const one = i64x2.replace_lane(i64x2.splat(1), 1, <i64>objStep);
  const tail = i64x2.replace_lane(i64x2.splat(res), 1, res2);
  // Two events a turn, the odd one after: half the loop's own instructions per event.
  let next = i64x2.add(ids, one);
  const two = i64x2.add(one, one);
  const pairsEnd = at + <usize>(n >> 1) * (2 * IO_EVENT_SIZE);
  while (at < pairsEnd) {
    v128.store(at, ids);
    v128.store(at, tail, 16);
    v128.store(at, next, IO_EVENT_SIZE);
    v128.store(at, tail, IO_EVENT_SIZE + 16);
    ids = i64x2.add(ids, two);
    next = i64x2.add(next, two);
    at += 2 * IO_EVENT_SIZE;
  }
  if (n & 1) {
    v128.store(at, ids);
    v128.store(at, tail, 16);
  }
}

/** i % nr without a division when i is in the ring already (always, unless user space forged the head). */
@inline export function ringIndex(i: u32, nr: u32): u32 {
  return i < nr ? i : i % nr;
}

/** Events between head and tail of a ring with `nr` slots. */
@inline export function eventsInRing(head: u32, tail: u32, nr: u32): u32 {
  return eventsFromSlot(ringIndex(head, nr), tail, nr);
}

/** Events from slot `head` (a head already in the ring: ringIndex) up to tail. */
@inline export function eventsFromSlot(head: u32, tail: u32, nr: u32): u32 {
  return head <= tail ? tail - head : nr - (head - tail);
}

/** (i + 1) % nr without a division on the common path (i < nr - 1). */
@inline export function nextSlot(i: u32, nr: u32): u32 {
  const next = <u64>i + 1;
  return next < <u64>nr ? <u32>next : <u32>(next % <u64>nr);
}
