// Threads of a scenario's process (docs/semantics.md "Threads", FINDINGS 56)
// for the in-process backends: a thread_getevents step starts a thread that
// blocks in io_getevents(ctx, nr, nr, timeout); the runner settles it after
// every call of the main thread, as the probe waits until the thread sleeps
// again or has returned. The kernel's waiter reads the ring each time a
// completion wakes it, keeps what it read, and returns once it holds nr
// events; io_destroy wakes it, and it returns what it holds, EINVAL when
// nothing. min_nr is nr, so what it returns never depends on how many
// completions a wake-up saw; one thread waits at a time, so no two race for
// an event.
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

/** A started thread: still waiting (its events so far, the tail it last saw), or returned with its result. */
interface Thread {
  name: string;
  nr: number;
  timeout_ns: number | null;
  data: number[];
  res: number[];
  tail: number;
  result: Reaped | null;
}

export class Threads {
  private readonly threads = new Map<string, Thread>();
  /** The thread still in io_getevents, if any. */
  private waiting: Thread | null = null;

  constructor(private readonly file: string) {}

  /** The thread still waiting in io_getevents, and whether it has a timeout; null for none. */
  waiter(): { name: string; timeout: boolean } | null {
    return this.waiting === null ? null : { name: this.waiting.name, timeout: this.waiting.timeout_ns !== null };
  }

  /** thread_getevents: the thread's first read happens at once; it sleeps when that left it short of nr. */
  start(b: AioBackend, i: number, name: string, ctx: number, nr: number, timeout_ns: number | null): StepResult {
    // Checked here, not up front: whether the last thread still waits depends on what the steps did.
    if (this.waiting !== null)
      throw new ScenarioError(
        this.file,
        i,
        "op",
        `thread "${this.waiting.name}" still waits in io_getevents: one thread waits at a time (two would race for an event)`,
      );
    // checkThreadNames refuses these up front; a runner fed steps one by one (the fuzzers) meets them here.
    if (this.threads.has(name)) throw new ScenarioError(this.file, i, "name", `thread "${name}" is started already and not joined`);
    if (this.threads.size === MAX_THREADS)
      throw new ScenarioError(this.file, i, "op", `more than ${MAX_THREADS} threads started and not joined (the limit every backend shares)`);
    const t: Thread = { name, nr, timeout_ns, data: [], res: [], tail: 0, result: null };
    this.threads.set(name, t);
    if (!b.watch_ctx(ctx)) {
      t.result = { ret: -1, errno: "EINVAL", data: [], res: [] };
      return { step: i, op: "thread_getevents", blocked: 0 };
    }
    t.tail = b.watched_tail();
    this.read(b, t);
    if (t.result === null) this.waiting = t;
    return { step: i, op: "thread_getevents", blocked: t.result === null ? 1 : 0 };
  }

  /** thread_join: a thread still waiting when joined waits out its timeout, then reads the ring once more (the kernel's wait does). */
  join(b: AioBackend, i: number, name: string): StepResult {
    const t = this.threads.get(name);
    if (t === undefined) throw new ScenarioError(this.file, i, "name", `thread "${name}" is not started by an earlier thread_getevents (or is joined already)`);
    if (t.result === null) {
      if (t.timeout_ns === null)
        throw new ScenarioError(this.file, i, "name", `thread "${name}" would wait forever: no timeout, and nothing woke it with ${t.nr} events`);
      this.read(b, t);
      if (t.result === null) this.finish(t, null);
    }
    this.threads.delete(name);
    const r = t.result as Reaped;
    return { step: i, op: "thread_join", ret: r.ret, errno: r.errno, data: r.data, res: r.res };
  }

  /** Before an io_destroy of `ctx`: when it names the waiter's context, the wake-up reads what the ring holds as it dies. */
  beforeDestroy(b: AioBackend, ctx: number): void {
    const t = this.waiting;
    if (t !== null && b.watches(ctx)) this.read(b, t);
  }

  /** After a call of the main thread: a completion moved the waiter's tail (a wake-up), or its context died. */
  settle(b: AioBackend): void {
    const t = this.waiting;
    if (t === null) return;
    const tail = b.watched_tail();
    if (tail === -1) this.finish(t, t.data.length === 0 ? "EINVAL" : null);
    else if (tail !== t.tail) {
      t.tail = tail;
      // A wake-up that waits for min_nr leaves it asleep while the count a completion compares is below what it still needs.
      if (!b.profile.waiterWakesAtMinNr || b.watched_avail() >= t.nr - t.data.length) this.read(b, t);
    }
  }

  private read(b: AioBackend, t: Thread): void {
    const r = b.watched_read(t.nr - t.data.length);
    t.data.push(...r.data);
    t.res.push(...r.res);
    if (t.data.length >= t.nr) this.finish(t, null);
  }

  /** The thread returns what it holds, or `errno` (EINVAL: its context died and it holds nothing). */
  private finish(t: Thread, errno: "EINVAL" | null): void {
    t.result = errno === null ? { ret: t.data.length, errno: null, data: t.data, res: t.res } : { ret: -1, errno, data: [], res: [] };
    if (this.waiting === t) this.waiting = null;
  }
}
