// Independent mode: every worker drives its own process, rings and contexts
// (no sharing), so throughput should scale with cores. Keeps two tasks per
// worker in flight (a worker never waits for the main thread to hand it the
// next one), sizes tasks adaptively, and turns completions into per-op samples.
import type { PoolTaskError } from "./errors.js";
import { failingTask, type Injection } from "./inject.js";
import { WorkerPool } from "./pool.js";
import { TaskSizer } from "./task-sizer.js";
import type { Mix, WorkResult, WorkTask } from "./tasks.js";
import { BATCH } from "./workload.js";

export interface ThroughputOptions {
  workers: number;
  mix: Mix;
  /** Wall time for the measured tasks, ms (warm-up and calibration come on top). */
  budgetMs: number;
  seed: number;
  /** Stops launching tasks; what completed is measured and returned. */
  signal?: AbortSignal;
  /** Test-only (inject.ts): make a task fail mid-run. */
  inject?: Injection;
}

export interface ThroughputResult {
  workers: number;
  mix: Mix;
  /** Operations completed in the measured interval. */
  ops: number;
  wallNs: number;
  opsPerSec: number;
  /** opsPerSec / workers. */
  opsPerSecPerWorker: number;
  /** Per-op ns over windows of `workers` completions: 1e9 / (ops/s) of each window. */
  samples: number[];
  /** Samples per timed window, in order, when there was more than one window (measureScaling) and each gave one. */
  roundSizes?: number[];
  tasks: number;
  /** Size of the last task, ops. */
  taskOps: number;
  /** Empty-task round trip, ns. */
  roundTripNs: number;
  meanTaskNs: number;
  /** Round trip as a share of mean task time, %: the per-task overhead the sizer bounds. */
  overheadPct: number;
  /** Distinct worker threads that ran measured tasks. */
  threads: number;
  interrupted: boolean;
}

/** Tasks in flight per worker: one running, one queued behind it. */
const DEPTH = 2;

interface Completion {
  at: number;
  result: WorkResult;
}

/** The completions of one timed window, from its start. */
interface Window {
  t0: number;
  done: Completion[];
}

/** A warmed, calibrated pool of `workers` running one mix, timed in windows. */
class ThroughputSession {
  private constructor(
    private readonly pool: WorkerPool,
    private readonly mix: Mix,
    readonly sizer: TaskSizer,
    readonly roundTripNs: number,
    /** Seed of the next task: each task's work differs. */
    private seed: number,
  ) {}

  /** Warms the workers and calibrates task sizes so that no task runs longer than `maxTaskMs`. */
  static async open(workers: number, mix: Mix, seed: number, maxTaskMs: number): Promise<ThroughputSession> {
    const pool = new WorkerPool({ workers });
    try {
      await pool.warm();
      const roundTripNs = await pool.roundTripNs();
      const s = new ThroughputSession(pool, mix, new TaskSizer({ overheadNs: roundTripNs, quantum: BATCH, maxTaskNs: maxTaskMs * 1e6 }), roundTripNs, seed);
      // Calibration: each worker runs the mix a few times (JIT, caches, and a first per-op cost).
      for (let round = 0; round < 3; round++) {
        const size = round === 0 ? BATCH * 64 : s.sizer.next();
        for (const r of await Promise.all(Array.from({ length: workers }, () => pool.run(s.task(size))))) s.sizer.observe(r.ops, r.busyNs);
      }
      return s;
    } catch (e) {
      await pool.close();
      throw e;
    }
  }

  private task(ops: number): WorkTask {
    return { kind: "work", mix: this.mix, ops, seed: this.seed++ };
  }

  /** Keeps DEPTH tasks per worker in flight for `ms`; in-flight tasks finish after it. */
  async window(ms: number, signal?: AbortSignal, inject?: Injection): Promise<Window> {
    const done: Completion[] = [];
    const t0 = performance.now();
    const deadline = t0 + ms;
    let failure: PoolTaskError<Completion> | null = null;
    let injection = inject ?? null;
    const lane = async (): Promise<void> => {
      while (failure === null && !signal?.aborted && performance.now() < deadline) {
        try {
          if (injection && done.length >= injection.afterTasks) {
            const bad = failingTask(injection.kind);
            injection = null;
            if (bad) await this.pool.run(bad);
          }
          const result = await this.pool.run(this.task(this.sizer.next()));
          done.push({ at: performance.now(), result });
          this.sizer.observe(result.ops, result.busyNs);
        } catch (e) {
          failure ??= e as PoolTaskError<Completion>;
        }
      }
    };
    await Promise.all(Array.from({ length: this.pool.workers * DEPTH }, lane));
    if (failure !== null) {
      const f: PoolTaskError<Completion> = failure;
      f.completed = done;
      throw f;
    }
    return { t0, done };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export async function measureThroughput(opts: ThroughputOptions): Promise<ThroughputResult> {
  const session = await ThroughputSession.open(opts.workers, opts.mix, opts.seed, opts.budgetMs / 8);
  try {
    const w = await session.window(opts.budgetMs, opts.signal, opts.inject);
    return summarise(opts, [w], session, opts.signal);
  } finally {
    await session.close();
  }
}

export interface ScalingOptions {
  /** Worker counts, each a pool of its own. */
  workers: readonly number[];
  mix: Mix;
  /** Wall time for each worker count's measured windows, ms. */
  budgetMs: number;
  /** Windows per worker count. */
  rounds: number;
  seed: number;
  signal?: AbortSignal;
}

/**
 * The same mix on several worker counts, timed in interleaved rounds: each
 * round gives every pool one window, in alternating order (1 2 4, 4 2 1 ...).
 * A ratio between worker counts then compares windows taken moments apart,
 * whatever the machine did in between (a neighbour, a slower clock), where
 * measuring one count after the other let such a spell fall on one side:
 * 2 workers over 1 once read 2.5x on 2 cores. Each result's `roundSizes`
 * says how many samples each of its windows gave.
 */
export async function measureScaling(opts: ScalingOptions): Promise<ThroughputResult[]> {
  const windowMs = opts.budgetMs / opts.rounds;
  const sessions: ThroughputSession[] = [];
  try {
    for (const [k, workers] of opts.workers.entries()) sessions.push(await ThroughputSession.open(workers, opts.mix, opts.seed + k * 1_000_003, windowMs / 3));
    const windows: Window[][] = sessions.map(() => []);
    for (let round = 0; round < opts.rounds && !opts.signal?.aborted; round++) {
      const order = sessions.map((_, k) => k);
      if (round % 2 === 1) order.reverse();
      for (const k of order) windows[k].push(await sessions[k].window(windowMs, opts.signal));
    }
    return sessions.map((s, k) => summarise({ workers: opts.workers[k], mix: opts.mix }, windows[k], s, opts.signal));
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

function summarise(opts: { workers: number; mix: Mix }, windows: readonly Window[], session: ThroughputSession, signal?: AbortSignal): ThroughputResult {
  const samples: number[] = [];
  const roundSizes: number[] = [];
  let ops = 0;
  let busy = 0;
  let wallMs = 0;
  for (const { t0, done } of windows) {
    const before = samples.length;
    let windowStart = t0;
    let windowOps = 0;
    for (const [i, c] of done.entries()) {
      ops += c.result.ops;
      busy += c.result.busyNs;
      windowOps += c.result.ops;
      if ((i + 1) % opts.workers === 0) {
        samples.push(((c.at - windowStart) * 1e6) / windowOps);
        windowStart = c.at;
        windowOps = 0;
      }
    }
    if (done.length) wallMs += done[done.length - 1].at - t0;
    roundSizes.push(samples.length - before);
  }
  const tasks = windows.flatMap((w) => w.done);
  const wallNs = wallMs * 1e6;
  const opsPerSec = wallNs > 0 ? (ops * 1e9) / wallNs : 0;
  const meanTaskNs = tasks.length ? busy / tasks.length : 0;
  return {
    workers: opts.workers,
    mix: opts.mix,
    ops,
    wallNs,
    opsPerSec,
    opsPerSecPerWorker: opsPerSec / opts.workers,
    samples,
    // A window too short for one sample leaves the rounds unaligned: then none are given.
    ...(windows.length > 1 && roundSizes.every((n) => n > 0) ? { roundSizes } : {}),
    tasks: tasks.length,
    taskOps: session.sizer.next(),
    roundTripNs: session.roundTripNs,
    meanTaskNs,
    overheadPct: meanTaskNs > 0 ? (100 * session.roundTripNs) / meanTaskNs : 0,
    threads: new Set(tasks.map((c) => c.result.thread)).size,
    interrupted: Boolean(signal?.aborted),
  };
}
