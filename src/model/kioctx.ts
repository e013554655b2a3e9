// struct kioctx and its request-slot accounting (docs/semantics.md
// "io_submit", request slots). One CPU is modelled: scenarios run pinned.
import type { Profile } from "../contract/profile.js";
import { type AioRing, eventsInRing } from "./ring.js";

export class Kioctx {
  /** Table slot (3.12+), or -1 on the 3.11 list. */
  id = -1;
  user_id: number;
  mmap_base: number;
  dead = false;
  /** What this context holds against aio_max_nr. */
  readonly charge: number;
  /** The context's CPU cache of request slots (percpu accounting). */
  cpu_reqs_available = 0;
  reqs_available: number;
  /** ctx->tail: where the next event goes; the header's tail is a copy user space may overwrite. */
  tail = 0;
  completed_events = 0;
  readonly req_batch: number;

  constructor(
    readonly profile: Profile,
    readonly ring: AioRing,
    /** Ring slots (the header's nr). */
    readonly nr_events: number,
    readonly mmap_size: number,
    address: number,
    charge: number,
    cpus: number,
  ) {
    this.user_id = this.mmap_base = address;
    this.charge = charge;
    this.reqs_available = nr_events - 1;
    this.req_batch = Math.max(1, Math.floor((nr_events - 1) / (cpus * 4)));
  }

  /** Takes one request slot; false means EAGAIN. */
  get_reqs_available(): boolean {
    if (this.profile.reqSlots === "single") {
      if (this.reqs_available === 0) return false;
      this.reqs_available--;
      return true;
    }
    if (this.take_from_cpu()) return true;
    this.user_refill_reqs_available();
    return this.take_from_cpu();
  }

  /** Gives `n` slots back (a failed submit, or events reaped by io_getevents). */
  put_reqs_available(n: number): void {
    if (this.profile.reqSlots === "single") {
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
  reaped_by_kernel(n: number): void {
    if (this.profile.reqSlots === "single") this.put_reqs_available(n);
  }

  /**
   * One event written at the tail (per-CPU slots): every completion but the
   * first credits what lies outside the ring between the head user space
   * left in the header (`head`, read before the tail moved) and the new tail
   * (FINDINGS 51).
   */
  completed(head: number): void {
    if (this.profile.reqSlots === "single") return;
    this.completed_events++;
    if (this.completed_events > 1) this.refill_reqs_available(head);
  }

  private take_from_cpu(): boolean {
    if (this.cpu_reqs_available === 0) {
      if (this.reqs_available < this.req_batch) return false;
      this.reqs_available -= this.req_batch;
      this.cpu_reqs_available += this.req_batch;
    }
    this.cpu_reqs_available--;
    return true;
  }

  /** At a failed take: credits events no longer in the ring as the header's head tells it. */
  private user_refill_reqs_available(): void {
    if (this.completed_events > 0) this.refill_reqs_available(this.ring.head);
  }

  /** Credits completed events that are not between `head` (modulo nr) and the tail. */
  private refill_reqs_available(head: number): void {
    const inRing = eventsInRing(head, this.tail, this.nr_events);
    const reaped = this.completed_events > inRing ? this.completed_events - inRing : 0;
    if (reaped === 0) return;
    this.completed_events -= reaped;
    this.put_reqs_available(reaped);
  }
}
