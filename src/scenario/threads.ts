// Threads of a scenario's process (docs/semantics.md "Threads", FINDINGS 56,
// 57) for the in-process backends: a thread_getevents step starts a thread
// that blocks in io_getevents(ctx, min_nr, nr, timeout); the runner settles
// every waiting thread after each call of the main thread, as the probe waits
// until each sleeps again or has returned. The kernel's waiter reads up to
// nr (less what it holds) at its start and each time a completion wakes it,
// keeps what it read, and returns once it holds min_nr; io_destroy wakes it,
// and it returns what it holds, EINVAL when nothing. At most one thread waits
// per context, so no two race for an event; a completion wakes only the
// waiter of its own context.
import { ScenarioError } from "../contract/errors.js";
import type { AioBackend, Reaped } from "../contract/backend.js";
import type { Scenario, StepResult } from "../contract/scenario.js";
import { MAX_THREADS } from "../../assembly/abi/limits.js";

/**
 * Thread names, checked over the whole scenario before any backend runs: a
 * thread_getevents names a thread not started or already joined, at most
 * MAX_THREADS are unjoined at once, and a thread_join names one started.
 */
export function checkThreadNames(file: string, scenario: Scenario): void {
  const live = new Set<string>();
  scenario.steps.forEach((s, i) => {
    if (s.op === "thread_getevents") {
      if (live.has(s.name)) throw new ScenarioError(file, i, "name", `thread "${s.name}" is started already and not joined`);
      if (live.size === MAX_THREADS)
        throw new ScenarioError(file, i, "op", `more than ${MAX_THREADS} threads started and not joined (the limit every backend shares)`);
      live.add(s.name);
    } else if (s.op === "thread_join") {
      if (!live.delete(s.name))
        throw new ScenarioError(file, i, "name", `thread "${s.name}" is not started by an earlier thread_getevents (or is joined already)`);
    }
  });
}

/** The probe's words too (probe/scenario.c): a second waiter on a context. */
export const SECOND_WAITER = "a thread still waits in io_getevents on this context: one thread waits per context (two would race for an event)";

/** A started thread: its backend watch slot, its events so far and the tail it last saw while waiting, or its result once returned. */
interface Thread {
  name: string;
  slot: number;
  min_nr: number;
  nr: number;
  timeout_ns: number | null;
  data: number[];
  res: number[];
  tail: number;
  result: Reaped | null;
}

export class Threads {
  /** Started and not joined, in start order. */
  private readonly threads = new Map<string, Thread>();

  constructor(private readonly file: string) {}

  /** The threads still waiting in io_getevents, each with whether it has a timeout. */
  waiters(): { name: string; timeout: boolean }[] {
    return this.waiting().map((t) => ({ name: t.name, timeout: t.timeout_ns !== null }));
  }

  /** thread_getevents: the thread's first read happens at once (up to nr); it sleeps when that left it short of min_nr. */
  start(b: AioBackend, i: number, name: string, ctx: number, min_nr: number, nr: number, timeout_ns: number | null): StepResult {
    // checkThreadNames refuses these up front; a runner fed steps one by one (the fuzzers) meets them here.
    if (this.threads.has(name)) throw new ScenarioError(this.file, i, "name", `thread "${name}" is started already and not joined`);
    if (this.threads.size === MAX_THREADS)
      throw new ScenarioError(this.file, i, "op", `more than ${MAX_THREADS} threads started and not joined (the limit every backend shares)`);
    // Checked here, not up front: which context a waiter holds and whether it still waits depend on what the steps did.
    if (this.waiting().some((w) => b.watches(w.slot, ctx))) throw new ScenarioError(this.file, i, "ctx", SECOND_WAITER);
    const used = new Set([...this.threads.values()].map((t) => t.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    const t: Thread = { name, slot, min_nr, nr, timeout_ns, data: [], res: [], tail: 0, result: null };
    this.threads.set(name, t);
    if (!b.watch_ctx(slot, ctx)) {
      t.result = { ret: -1, errno: "EINVAL", data: [], res: [] };
      return { step: i, op: "thread_getevents", blocked: 0 };
    }
    t.tail = b.watched_tail(slot);
    this.read(b, t);
    return { step: i, op: "thread_getevents", blocked: t.result === null ? 1 : 0 };
  }

  /** thread_join: a thread still waiting when joined waits out its timeout, then reads the ring once more (the kernel's wait does). */
  join(b: AioBackend, i: number, name: string): StepResult {
    const t = this.threads.get(name);
    if (t === undefined) throw new ScenarioError(this.file, i, "name", `thread "${name}" is not started by an earlier thread_getevents (or is joined already)`);
    if (t.result === null) {
      if (t.timeout_ns === null)
        throw new ScenarioError(this.file, i, "name", `thread "${name}" would wait forever: no timeout, and nothing woke it with ${t.min_nr} events`);
      this.read(b, t);
      if (t.result === null) this.finish(t, null);
    }
    this.threads.delete(name);
    const r = t.result as Reaped;
    return { step: i, op: "thread_join", ret: r.ret, errno: r.errno, data: r.data, res: r.res };
  }

  /** Before an io_destroy of `ctx`: the wake-up of its waiter, if any, reads what the ring holds as it dies. */
  beforeDestroy(b: AioBackend, ctx: number): void {
    for (const t of this.waiting()) if (b.watches(t.slot, ctx)) this.read(b, t);
  }

  /** After a call of the main thread: a completion moved a waiter's tail (a wake-up of that waiter alone), or its context died. */
  settle(b: AioBackend): void {
    // Every call of the main thread comes here, a loop's too: nothing to do without a thread.
    if (this.threads.size === 0) return;
    for (const t of this.waiting()) {
      const tail = b.watched_tail(t.slot);
      if (tail === -1) this.finish(t, t.data.length === 0 ? "EINVAL" : null);
      else if (tail !== t.tail) {
        t.tail = tail;
        // A wake-up that waits for min_nr leaves it asleep while the count a completion compares is below what it still needs.
        if (!b.profile.waiterWakesAtMinNr || b.watched_avail(t.slot) >= t.min_nr - t.data.length) this.read(b, t);
      }
    }
  }

  private waiting(): Thread[] {
    return [...this.threads.values()].filter((t) => t.result === null);
  }

  /** Up to nr less what it holds; it returns once it holds min_nr. */
  private read(b: AioBackend, t: Thread): void {
    const r = b.watched_read(t.slot, t.nr - t.data.length);
    t.data.push(...r.data);
    t.res.push(...r.res);
    if (t.data.length >= t.min_nr) this.finish(t, null);
  }

  /** The thread returns what it holds, or `errno` (EINVAL: its context died and it holds nothing). */
  private finish(t: Thread, errno: "EINVAL" | null): void {
    t.result = errno === null ? { ret: t.data.length, errno: null, data: t.data, res: t.res } : { ret: -1, errno, data: [], res: [] };
  }
}
