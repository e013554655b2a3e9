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

export async function measureThroughput(opts: ThroughputOptions): Promise<ThroughputResult> {
  const pool = new WorkerPool({ workers: opts.workers });
  try {
    await pool.warm();
    const roundTripNs = await pool.roundTripNs();
    const sizer = new TaskSizer({ overheadNs: roundTripNs, quantum: BATCH, maxTaskNs: (opts.budgetMs * 1e6) / 8 });
    let seed = opts.seed;
    const task = (ops: number): WorkTask => ({ kind: "work", mix: opts.mix, ops, seed: seed++ });

    // Calibration: each worker runs the mix a few times (JIT, caches, and a first per-op cost).
    for (let round = 0; round < 3; round++) {
      const size = round === 0 ? BATCH * 64 : sizer.next();
      for (const r of await Promise.all(Array.from({ length: opts.workers }, () => pool.run(task(size))))) sizer.observe(r.ops, r.busyNs);
    }

    const done: Completion[] = [];
    const t0 = performance.now();
    const deadline = t0 + opts.budgetMs;
    let failure: PoolTaskError<Completion> | null = null;
    let injection = opts.inject ?? null;
    const lane = async (): Promise<void> => {
      while (failure === null && !opts.signal?.aborted && performance.now() < deadline) {
        try {
          if (injection && done.length >= injection.afterTasks) {
            const bad = failingTask(injection.kind);
            injection = null;
            if (bad) await pool.run(bad);
          }
          const result = await pool.run(task(sizer.next()));
          done.push({ at: performance.now(), result });
          sizer.observe(result.ops, result.busyNs);
        } catch (e) {
          failure ??= e as PoolTaskError<Completion>;
        }
      }
    };
    await Promise.all(Array.from({ length: opts.workers * DEPTH }, lane));
    if (failure !== null) {
      const f: PoolTaskError<Completion> = failure;
      f.completed = done;
      throw f;
    }
    return summarise(opts, done, t0, roundTripNs, sizer.next());
  } finally {
    await pool.close();
  }
}

function summarise(opts: ThroughputOptions, done: Completion[], t0: number, roundTripNs: number, taskOps: number): ThroughputResult {
  const samples: number[] = [];
  let ops = 0;
  let busy = 0;
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
  const wallNs = done.length ? (done[done.length - 1].at - t0) * 1e6 : 0;
  const opsPerSec = wallNs > 0 ? (ops * 1e9) / wallNs : 0;
  const meanTaskNs = done.length ? busy / done.length : 0;
  return {
    workers: opts.workers,
    mix: opts.mix,
    ops,
    wallNs,
    opsPerSec,
    opsPerSecPerWorker: opsPerSec / opts.workers,
    samples,
    tasks: done.length,
    taskOps,
    roundTripNs,
    meanTaskNs,
    overheadPct: meanTaskNs > 0 ? (100 * roundTripNs) / meanTaskNs : 0,
    threads: new Set(done.map((c) => c.result.thread)).size,
    interrupted: Boolean(opts.signal?.aborted),
  };
}
