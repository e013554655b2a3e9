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
  /** ctx->tail: where the next event goes; the header's tail is a copy user space may overwrite. */
  tail: u32 = 0;
  /** Completed events not yet credited back (percpu accounting only). */
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

  /**
   * Events reaped by io_getevents: with one counter their slots come back at
   * once; with per-CPU slots nothing happens here, the next completion or a
   * refill credits them from the head (FINDINGS 51).
   */
  @inline reaped_by_kernel(n: i32): void {
    if (!this.percpu) this.put_reqs_available(n);
  }

  /**
   * How many events may complete in one run with no credit among them but
   * maybe at the last (src/model/kioctx.ts completed: each completion but
   * the first credits what lies outside head..tail). With completed_events
   * at most the events in the ring, both grow by one per event and nothing
   * is credited until the tail reaches the head, where the ring counts as
   * empty; `head` is the header's, modulo nr by the caller.
   */
  @inline quiet_run(head: u32): i32 {
    if (!this.percpu) return i32.MAX_VALUE;
    const tail = this.tail;
    if (this.completed_events > <i64>eventsInRing(head, tail, this.nr_events)) return 1;
    const toHead = head > tail ? head - tail : <u32>this.nr_events - tail + head;
    return <i32>toHead;
  }

  /** `k` events written at the tail (a quiet_run's worth at most): every completion but the first credits from `head`. */
  @inline completed(head: u32, k: i32): void {
    if (!this.percpu) return;
    this.completed_events += k;
    if (this.completed_events > 1) this.refill_reqs_available(head);
  }

  /** At a failed take: credits events no longer in the ring as the header's head tells it. */
  private user_refill_reqs_available(): void {
    if (this.completed_events > 0) this.refill_reqs_available(this.ring.head);
  }

  /** Credits completed events that are not between `head` (modulo nr) and the tail. */
  private refill_reqs_available(head: u32): void {
    const inRing = <i64>eventsInRing(head, this.tail, this.nr_events);
    const reaped = this.completed_events > inRing ? this.completed_events - inRing : 0;
    if (reaped == 0) return;
    this.completed_events -= reaped;
    this.put_reqs_available(<i32>reaped);
  }
}
