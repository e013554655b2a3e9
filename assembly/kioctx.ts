// struct kioctx and its request-slot accounting (docs/semantics.md
// "io_submit", request slots). One CPU is modelled: scenarios run pinned.
import { Profile } from "./profile";
import { AioRing, eventsFromSlot, eventsInRing } from "./ring";

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
  /** Completed events not yet credited back (percpu accounting only): at most nr, every completion but the first crediting those beyond the ring's. */
  completed_events: i32 = 0;
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
    return this.take_percpu(n);
  }

  /** take_reqs with per-CPU slots. */
  @inline private take_percpu(n: i32): i32 {
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
    this.put_percpu(n);
  }

  /** put_reqs_available with per-CPU slots: whole batches over twice req_batch spill to the global counter. */
  @inline private put_percpu(n: i32): void {
    const batch = this.req_batch;
    let cpu = this.cpu_reqs_available + n;
    if (cpu >= batch * 2) {
      let global = this.reqs_available;
      do {
        cpu -= batch;
        global += batch;
      } while (cpu >= batch * 2);
      this.reqs_available = global;
    }
    this.cpu_reqs_available = cpu;
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
    if (this.completed_events > <i32>eventsInRing(head, tail, this.nr_events)) return 1;
    const toHead = head > tail ? head - tail : <u32>this.nr_events - tail + head;
    return <i32>toHead;
  }

  /** `k` events written at the tail (a quiet_run's worth at most): every completion but the first credits from `head`. */
  @inline completed(head: u32, k: i32): void {
    if (!this.percpu) return;
    this.completed_events += k;
    if (this.completed_events > 1) this.refill_reqs_available(head);
  }

  /**
   * Takes up to `n` slots and completes their blocks, exactly as `n`
   * one-by-one takes (take_reqs) each followed by its completion (completed)
   * would, in closed form: a first block whose completion credits what user
   * space reaped goes alone, then a quiet run (quiet_run) takes its slots
   * batch by batch from the global counter, no take in it crediting (the
   * ring holds all completed events) and no completion but maybe its last.
   * It stops where that breaks: the caller writes the `k` events from
   * this.tail and moves the tail, then asks again. `head`: the header's,
   * modulo nr. 0 means EAGAIN.
   */
  @inline take_and_complete(n: i32, head: u32): i32 {
    if (!this.percpu) return this.take_reqs(n);
    const nr = <u32>this.nr_events;
    let tail = this.tail;
    let inRing = eventsFromSlot(head, tail, nr);
    let k = 0;
    if (this.completed_events > <i32>inRing) {
      // The take may credit (a refill), so completed_events is read after it.
      if (!this.take_percpu(1)) return 0;
      tail = tail + 1 == nr ? 0 : tail + 1;
      inRing = tail == head ? 0 : inRing + 1;
      const completed = this.completed_events + 1;
      if (completed > 1 && completed > <i32>inRing) {
        this.completed_events = <i32>inRing;
        this.put_percpu(completed - <i32>inRing);
      } else this.completed_events = completed;
      // No more completed events than in the ring now, so the rest is a quiet run: the one exception, one
      // completed in a ring read empty, takes a ring of one slot, where every completion lands and credits.
      if (n == 1) return 1;
      k = 1;
    }
    // Completions up to the one that lands the tail on the head, where the ring reads empty.
    const toHead = nr - inRing;
    const want = min(n - k, <i32>toHead);
    const batch = this.req_batch;
    let cpu = this.cpu_reqs_available;
    let global = this.reqs_available;
    let got = min(want, cpu);
    cpu -= got;
    // An empty cache takes a batch; with too few left globally, a refill finds nothing to credit, so the take fails.
    while (got < want && global >= batch) {
      global -= batch;
      const m = min(want - got, batch);
      cpu = batch - m;
      got += m;
    }
    this.cpu_reqs_available = cpu;
    this.reqs_available = global;
    const completed = this.completed_events + got;
    if (got == <i32>toHead && completed > 1) {
      this.completed_events = 0;
      this.put_percpu(completed);
    } else this.completed_events = completed;
    return k + got;
  }

  /** At a failed take: credits events no longer in the ring as the header's head tells it. */
  private user_refill_reqs_available(): void {
    if (this.completed_events > 0) this.refill_reqs_available(this.ring.head);
  }

  /** Credits completed events that are not between `head` (modulo nr) and the tail. */
  private refill_reqs_available(head: u32): void {
    const inRing = <i32>eventsInRing(head, this.tail, this.nr_events);
    const reaped = this.completed_events > inRing ? this.completed_events - inRing : 0;
    if (reaped == 0) return;
    this.completed_events -= reaped;
    this.put_reqs_available(reaped);
  }
}
