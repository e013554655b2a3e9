// Independent mode: every worker drives its own process, rings and contexts
// (no sharing), so throughput should scale with cores. Keeps two tasks per
// worker in flight (a worker never waits for the main thread to hand it the
// next one), sizes tasks adaptively, and turns completions into per-op samples.
import { allowedCpus } from "./affinity.js";
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
  /**
   * The CPUs the pool's threads were pinned to (measureScaling with `pin`),
   * one entry per pool; one worker is timed on each of the CPUs the
   * two-worker pool uses, and its samples are their mean rate. Null: unpinned.
   */
  cpus: number[] | null;
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

  /**
   * Warms the workers and calibrates task sizes so that no task runs longer
   * than `maxTaskMs`. Given `cpus`, pins the threads to them and throws a
   * PinningError if that does not hold.
   */
  static async open(workers: number, mix: Mix, seed: number, maxTaskMs: number, cpus?: readonly number[]): Promise<ThroughputSession> {
    const pool = new WorkerPool({ workers, cpus });
    try {
      await pool.warm();
      const pinning = pool.pinning();
      if (pinning && "error" in pinning) throw new PinningError(pinning.error);
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

  get cpus(): number[] | null {
    const p = this.pool.pinning();
    return p && "cpus" in p ? p.cpus : null;
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
    return summarise(opts, [[w]], [session], opts.signal);
  } finally {
    await session.close();
  }
}

export interface ScalingOptions {
  /** Worker counts, each a pool of its own. */
  workers: readonly number[];
  mix: Mix;
  /** Wall time for each worker count's measured windows, ms (a pinned single worker takes it once per CPU). */
  budgetMs: number;
  /** Windows per worker count. */
  rounds: number;
  seed: number;
  /**
   * Pin threads to CPUs (affinity.ts): a pool of w workers to the first w
   * allowed CPUs (in turn beyond them), and one worker once on each CPU the
   * two-worker pool uses. Where pinning cannot hold (fewer than 2 CPUs, no
   * procfs or taskset), the run is unpinned and `pinNote` says why.
   */
  pin?: boolean;
  signal?: AbortSignal;
}

/** Pinning was asked for and did not hold. */
class PinningError extends Error {}

/** One worker count: its pools (one, or for one pinned worker one per CPU) and their windows, round by round. */
interface CountSessions {
  workers: number;
  sessions: ThroughputSession[];
  rounds: Window[][];
}

export interface ScalingResult {
  results: ThroughputResult[];
  /** Why a run asked to pin is unpinned; null when pinned or not asked. */
  pinNote: string | null;
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
export async function measureScaling(opts: ScalingOptions): Promise<ScalingResult> {
  const cpus = opts.pin ? allowedCpus() : null;
  let pinNote: string | null = null;
  if (opts.pin && (cpus === null || cpus.length < 2)) pinNote = cpus === null ? "procfs gives no CPU list" : `only CPU ${cpus.join(",")} is allowed`;
  else if (cpus) {
    try {
      return { results: await timeCounts(opts, cpus), pinNote: null };
    } catch (e) {
      if (!(e instanceof PinningError)) throw e;
      pinNote = e.message;
    }
  }
  return { results: await timeCounts(opts, null), pinNote };
}

async function timeCounts(opts: ScalingOptions, cpus: readonly number[] | null): Promise<ThroughputResult[]> {
  const windowMs = opts.budgetMs / opts.rounds;
  const counts: CountSessions[] = [];
  try {
    for (const [k, workers] of opts.workers.entries()) {
      const c: CountSessions = { workers, sessions: [], rounds: [] };
      counts.push(c);
      // One worker on each CPU of the two-worker pool: the same cores on both sides of "2 / 1".
      const placements = cpus === null ? [undefined] : workers === 1 ? cpus.slice(0, 2).map((cpu) => [cpu]) : [cpus];
      for (const [j, place] of placements.entries()) {
        c.sessions.push(await ThroughputSession.open(workers, opts.mix, opts.seed + k * 1_000_003 + j * 7919, windowMs / 3, place));
      }
    }
    for (let round = 0; round < opts.rounds && !opts.signal?.aborted; round++) {
      const order = round % 2 === 1 ? [...counts].reverse() : counts;
      for (const c of order) {
        const windows: Window[] = [];
        // Each CPU's single worker gets a whole window: halves would halve its task size and double its overhead.
        for (const s of c.sessions) windows.push(await s.window(windowMs, opts.signal));
        c.rounds.push(windows);
      }
    }
    return counts.map((c) => summarise({ workers: c.workers, mix: opts.mix }, c.rounds, c.sessions, opts.signal));
  } finally {
    await Promise.all(counts.flatMap((c) => c.sessions.map((s) => s.close())));
  }
}

/** Per-op ns of each window of `workers` completions, with the window's ops, worker time and wall time. */
function windowSamples({ t0, done }: Window, workers: number): { samples: number[]; ops: number; busyNs: number; wallMs: number } {
  const samples: number[] = [];
  let ops = 0;
  let busyNs = 0;
  let windowStart = t0;
  let windowOps = 0;
  for (const [i, c] of done.entries()) {
    ops += c.result.ops;
    busyNs += c.result.busyNs;
    windowOps += c.result.ops;
    if ((i + 1) % workers === 0) {
      samples.push(((c.at - windowStart) * 1e6) / windowOps);
      windowStart = c.at;
      windowOps = 0;
    }
  }
  return { samples, ops, busyNs, wallMs: done.length ? done[done.length - 1].at - t0 : 0 };
}

/**
 * Samples of a round timed on several pools of one worker count (one per
 * CPU): the k-th samples of each pool, combined as their mean rate (n over
 * the sum of 1/ns), as many as the shortest pool gave.
 */
function meanRate(perPool: readonly number[][]): number[] {
  if (perPool.length === 1) return perPool[0];
  const n = Math.min(...perPool.map((s) => s.length));
  return Array.from({ length: n }, (_, k) => perPool.length / perPool.reduce((sum, s) => sum + 1 / s[k], 0));
}

function summarise(
  opts: { workers: number; mix: Mix },
  rounds: readonly (readonly Window[])[],
  sessions: readonly ThroughputSession[],
  signal?: AbortSignal,
): ThroughputResult {
  const samples: number[] = [];
  const roundSizes: number[] = [];
  let ops = 0;
  let busy = 0;
  let wallMs = 0;
  for (const windows of rounds) {
    const parts = windows.map((w) => windowSamples(w, opts.workers));
    for (const p of parts) {
      ops += p.ops;
      busy += p.busyNs;
      wallMs += p.wallMs;
    }
    const round = meanRate(parts.map((p) => p.samples));
    samples.push(...round);
    roundSizes.push(round.length);
  }
  const tasks = rounds.flat().flatMap((w) => w.done);
  const wallNs = wallMs * 1e6;
  const opsPerSec = wallNs > 0 ? (ops * 1e9) / wallNs : 0;
  const meanTaskNs = tasks.length ? busy / tasks.length : 0;
  const roundTripNs = Math.max(...sessions.map((s) => s.roundTripNs));
  const pinned = sessions.map((s) => s.cpus);
  return {
    workers: opts.workers,
    mix: opts.mix,
    ops,
    wallNs,
    opsPerSec,
    opsPerSecPerWorker: opsPerSec / opts.workers,
    samples,
    // A window too short for one sample leaves the rounds unaligned: then none are given.
    ...(rounds.length > 1 && roundSizes.every((n) => n > 0) ? { roundSizes } : {}),
    tasks: tasks.length,
    taskOps: sessions[0].sizer.next(),
    roundTripNs,
    meanTaskNs,
    overheadPct: meanTaskNs > 0 ? (100 * roundTripNs) / meanTaskNs : 0,
    threads: new Set(tasks.map((c) => c.result.thread)).size,
    cpus: pinned.every((p) => p !== null) ? [...new Set(pinned.flat())].sort((a, b) => a - b) : null,
    interrupted: Boolean(signal?.aborted),
  };
}
