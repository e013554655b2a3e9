// struct kioctx and its request-slot accounting (docs/semantics.md
// "io_submit", request slots). One CPU is modelled: scenarios run pinned.
import { Profile } from "./profile";
import { AioRing, eventsInRing } from "./ring";

export class Kioctx {
  /** Table slot (3.12+), or -1 on the 3.11 list. */
  id: i32 = -1;
  user_id: i64;
  mmap_base: i64;
  dead: bool = false;
  /** The context's CPU cache of request slots (percpu accounting). */
  cpu_reqs_available: i32 = 0;
  reqs_available: i32;
  /** i64: with single-counter slots it only ever grows (and is never read). */
  completed_events: i64 = 0;
  readonly req_batch: i32;
  /** profile.reqSlotsPercpu, kept here as a plain bool for the submit loop. */
  private readonly percpu: bool;
  /** ring.base, kept here: io_getevents reaches the ring's head in one load fewer. */
  readonly ringBase: usize;

  constructor(
    profile: Profile,
    readonly ring: AioRing,
    /** Ring slots (the header's nr). */
    readonly nr_events: i32,
    /** Pages io_setup mapped: what io_destroy unmaps from mmap_base. */
    readonly mmap_size: i64,
    address: i64,
    /** What this context holds against aio_max_nr. */
    readonly charge: i64,
    cpus: i32,
  ) {
    this.user_id = this.mmap_base = address;
    this.reqs_available = nr_events - 1;
    this.req_batch = max(1, (nr_events - 1) / (cpus * 4));
    this.percpu = profile.reqSlotsPercpu;
    this.ringBase = ring.base;
  }

  /**
   * Takes up to `n` request slots in one go: exactly the slots that `n`
   * one-by-one takes would get before one of them meets an empty CPU cache.
   * That take decides (a batch from the global counter, else a refill from
   * user reaps), reading tail and completed_events, so the caller writes the
   * events of these slots before asking again. 0 means EAGAIN.
   */
  @inline take_reqs(n: i32): i32 {
    if (!this.percpu) {
      const k = min(n, this.reqs_available);
      this.reqs_available -= k;
      return k;
    }
    if (this.cpu_reqs_available == 0) {
      if (this.reqs_available >= this.req_batch) {
        this.reqs_available -= this.req_batch;
        this.cpu_reqs_available = this.req_batch;
      } else {
        this.user_refill_reqs_available();
        if (this.cpu_reqs_available == 0) return 0;
      }
    }
    const k = min(n, this.cpu_reqs_available);
    this.cpu_reqs_available -= k;
    return k;
  }

  /** Gives `n` slots back (a failed submit, or events reaped by io_getevents). */
  put_reqs_available(n: i32): void {
    if (!this.percpu) {
      this.reqs_available += n;
      return;
    }
    this.cpu_reqs_available += n;
    while (this.cpu_reqs_available >= this.req_batch * 2) {
      this.cpu_reqs_available -= this.req_batch;
      this.reqs_available += this.req_batch;
    }
  }

  /** Events reaped by io_getevents: their slots come back at once. */
  reaped_by_kernel(n: i32): void {
    if (this.percpu) this.completed_events -= n;
    this.put_reqs_available(n);
  }

  /** Credits events that user space reaped itself: completed but no longer in the ring. */
  private user_refill_reqs_available(): void {
    const inRing = <i64>eventsInRing(this.ring.head, this.ring.tail, this.nr_events);
    const reaped = this.completed_events > inRing ? this.completed_events - inRing : 0;
    if (reaped == 0) return;
    this.completed_events -= reaped;
    this.put_reqs_available(<i32>reaped);
  }
}
