// Shared-ring mode: one ring in shared memory, completer workers producing
// into it and reaper workers consuming it, every event checked for
// exactly-once, in-order delivery per producer (assembly/shared-ring/).
// Each role is a lane that keeps one task in flight; a producer's chunks run
// one after another, so its sequence numbers enter the ring in order.
import { UserError } from "../contract/errors.js";
import { setupRingSlots } from "../contract/geometry.js";
import type { PoolTaskError } from "./errors.js";
import { failingTask, type Injection } from "./inject.js";
import { WorkerPool } from "./pool.js";
import { ExactlyOnceError, SharedRing, type RingFault } from "./shared-ring.js";
import type { RingTaskResult } from "./tasks.js";

/** Options of runSharedRing: producers, reapers, events, ring size and batch. */
export interface SharedRingRunOptions {
  events: number;
  producers: number;
  reapers: number;
  /** Events per reservation or claim. */
  batch?: number;
  /** io_setup's nr_events: the ring gets the kernel's geometry for it (2 modelled CPUs). */
  nrEvents?: number;
  /** Events per task (per producer chunk, per reaper call). */
  chunk?: number;
  /** Stops every worker at its next check; the result then covers what completed. */
  signal?: AbortSignal;
  /** Called about ten times a second with events checked so far. */
  onProgress?: (released: number, total: number) => void;
  /** Test-only (inject.ts): a failing task, or a producer that skips or repeats a sequence number. */
  inject?: Injection;
}

/** What runSharedRing saw: events published and released, each producer's events delivered in order exactly once, the rate, sleeps. */
export interface SharedRingRunResult {
  events: number;
  producers: number;
  reapers: number;
  batch: number;
  /** Ring slots. */
  nr: number;
  /** Events published by producers / checked and released by reapers. */
  published: number;
  released: number;
  wallNs: number;
  /** Released events per second. */
  eventsPerSec: number;
  /** Per producer: events delivered in order, exactly once. */
  delivered: number[];
  /** Sleeps on an empty/full ring or a turn, over all workers. */
  sleeps: number;
  tasks: number;
  /** "exactly-once": every event delivered once, in order; "interrupted": all released events were, the run stopped early. */
  verdict: "exactly-once" | "interrupted";
}

export const DEFAULT_BATCH = 1024;
export const DEFAULT_NR_EVENTS = 4096;
const MODEL_CPUS = 2;

/** Slots of the ring io_setup(nr_events) makes on mainline with 2 CPUs. */
export function ringSlotsFor(nrEvents: number): number {
  return setupRingSlots(nrEvents, MODEL_CPUS);
}

/** A failed run: the fault or task error, and what had completed by then. */
export class SharedRingRunError extends Error {
  constructor(
    readonly cause: ExactlyOnceError | PoolTaskError,
    readonly partial: SharedRingRunResult,
  ) {
    super(cause.message);
    this.name = "SharedRingRunError";
  }
}

/** The shared-ring stress (`stress`): producer and reaper threads on one ring, each event checked to arrive exactly once. */
export async function runSharedRing(opts: SharedRingRunOptions): Promise<SharedRingRunResult> {
  const batch = opts.batch ?? DEFAULT_BATCH;
  const nr = ringSlotsFor(opts.nrEvents ?? DEFAULT_NR_EVENTS);
  const { events, producers, reapers } = opts;
  const chunk = opts.chunk ?? Math.min(1 << 22, Math.max(1 << 16, Math.ceil(events / producers / 32)));
  const ring = SharedRing.create({ nr, producers, reapers, batch, total: events });
  const quota = (p: number) => Math.floor(events / producers) + (p < events % producers ? 1 : 0);
  if (opts.inject && quota(0) < 2) {
    throw new UserError(
      `--inject ${opts.inject.kind}: the fault lands between two events of one producer; ${events} events over ${producers} producers leave producer 0 fewer than two (use --events ${2 * producers} or more)`,
    );
  }

  const pool = new WorkerPool({ workers: producers + reapers, core: false, sharedRing: ring.init });
  let failure: PoolTaskError | null = null;
  const results: RingTaskResult[] = [];
  const onAbort = () => ring.stop();
  opts.signal?.addEventListener("abort", onAbort);
  const ticker = opts.onProgress ? setInterval(() => opts.onProgress!(ring.progress().released, events), 100) : null;
  let t0 = performance.now();
  let t1 = t0;
  const stopped = () => failure !== null || Boolean(opts.signal?.aborted);
  try {
    await pool.warm();
    t0 = performance.now();
    // A failed task stops the ring, so every other lane returns promptly.
    const guard = async (run: () => Promise<void>) => {
      try {
        await run();
      } catch (e) {
        failure ??= e as PoolTaskError;
        ring.stop();
      }
    };
    let injection = opts.inject ?? null;
    const producer = async (p: number) => {
      for (let seq = 0, left = quota(p); left > 0 && !stopped(); ) {
        let count = Math.min(chunk, left);
        // The fault lands between two chunks of one producer: a real gap or
        // repeat in its sequence. Producer 0 of a run too small for two
        // chunks makes its first chunk one event, and the fault fires before
        // a producer's last chunk at the latest: it always lands.
        if (injection && p === 0 && seq === 0 && count === left) count = 1;
        let first = seq;
        if (injection && seq > 0 && (results.length >= injection.afterTasks || count === left)) {
          const bad = failingTask(injection.kind);
          if (bad) await pool.run(bad);
          first += injection.kind === "skip-seq" ? 1 : -1;
          injection = null;
        }
        const r = await pool.run({ kind: "produce", producer: p, firstSeq: first, count });
        results.push(r);
        if (r.events < 0) return;
        seq += count;
        left -= count;
      }
    };
    const reaper = async (r: number) => {
      while (!stopped()) {
        const res = await pool.run({ kind: "reap", reaper: r, max: chunk });
        results.push(res);
        // Fewer than asked: every event of the run is claimed. -1: stopped.
        if (res.events < chunk) return;
      }
    };
    await Promise.all([
      ...Array.from({ length: producers }, (_, p) => guard(() => producer(p))),
      ...Array.from({ length: reapers }, (_, r) => guard(() => reaper(r))),
    ]);
    t1 = performance.now();
  } finally {
    if (ticker) clearInterval(ticker);
    opts.signal?.removeEventListener("abort", onAbort);
    await pool.close();
  }

  const wallNs = (t1 - t0) * 1e6;
  const { published, released } = ring.progress();
  const delivered = ring.delivered();
  const interrupted = Boolean(opts.signal?.aborted);
  const result: SharedRingRunResult = {
    events,
    producers,
    reapers,
    batch,
    nr,
    published,
    released,
    wallNs,
    eventsPerSec: wallNs > 0 ? (released * 1e9) / wallNs : 0,
    delivered,
    sleeps: results.reduce((s, r) => s + r.sleeps, 0),
    tasks: results.length,
    verdict: interrupted ? "interrupted" : "exactly-once",
  };
  const fault = ring.fault() ?? (failure || interrupted ? null : shortfall(ring, delivered, quota));
  if (fault) throw new SharedRingRunError(new ExactlyOnceError(fault), result);
  if (failure) throw new SharedRingRunError(failure, result);
  return result;
}

/** After a complete run: a producer whose events did not all arrive, or a ring left inconsistent. */
function shortfall(ring: SharedRing, delivered: number[], quota: (p: number) => number): RingFault | null {
  for (const [p, n] of delivered.entries()) {
    if (n !== quota(p)) return { kind: "lost events at end of run", reaper: -1, producer: p, expected: quota(p), got: n, position: ring.progress().released };
  }
  const h = ring.header();
  const { released, published } = ring.progress();
  const end = released % h.nr;
  if (published !== released || h.head !== end || h.tail !== end) {
    return {
      kind: `ring inconsistent at end of run: header head ${h.head}, tail ${h.tail}, both expected ${end} (${published} events published, ${released} released, ${h.nr} slots)`,
      reaper: -1,
      producer: -1,
      expected: end,
      got: h.head !== end ? h.head : h.tail,
      position: published,
    };
  }
  return null;
}
