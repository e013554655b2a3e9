// A piscina pool of real worker threads, each holding one instance of the
// WASM core built from the Module compiled once here (posted in workerData:
// Modules are structured-cloneable, so workers skip compilation), and for
// shared-ring mode the ring module over the shared memory.
import { setTimeout as delay } from "node:timers/promises";
import { Piscina } from "piscina";
import { coreModule } from "../core/wasm.js";
import { PoolTaskError } from "./errors.js";
import type { SharedRingInit } from "./shared-ring.js";
import { describeTask, type NoopTask, type ResultOf, type Task, type WhereResult, type WhereTask } from "./tasks.js";

export interface WorkerInit {
  /** The compiled core; absent for pools that only run the shared ring. */
  core?: WebAssembly.Module;
  sharedRing?: SharedRingInit;
  /** Pin thread k (in load order) to cpus[k % cpus.length]; `next` is the shared Int32 counter. */
  pin?: { cpus: readonly number[]; next: SharedArrayBuffer };
}

export interface PoolOptions {
  workers: number;
  /** Instantiate the core in every worker (independent mode). Default true. */
  core?: boolean;
  sharedRing?: SharedRingInit;
  /** Pin the threads to these CPUs, one each in turn (affinity.ts); warm() says whether it held. */
  cpus?: readonly number[];
}

/** How long warm() waits for every thread to answer, ms: a thread still loading under load can take seconds. */
const WARM_MS = 30_000;

export class WorkerPool {
  readonly workers: number;
  private readonly piscina: Piscina;
  private closed = false;
  private where: WhereResult[] = [];

  constructor(opts: PoolOptions) {
    if (!Number.isSafeInteger(opts.workers) || opts.workers < 1) throw new RangeError(`workers must be a positive integer, got ${opts.workers}`);
    this.workers = opts.workers;
    const workerData: WorkerInit = {
      core: opts.core === false ? undefined : coreModule(),
      sharedRing: opts.sharedRing,
      ...(opts.cpus?.length ? { pin: { cpus: [...opts.cpus], next: new SharedArrayBuffer(4) } } : {}),
    };
    this.piscina = new Piscina({
      filename: new URL("./worker.js", import.meta.url).href,
      minThreads: opts.workers,
      maxThreads: opts.workers,
      // A task at a time per thread: a worker is one modelled CPU.
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
    });
  }

  /** Runs one task; a throw in the worker or its death rejects with a PoolTaskError naming the task. */
  async run<T extends Task>(task: T): Promise<ResultOf<T>> {
    try {
      return (await this.piscina.run(task)) as ResultOf<T>;
    } catch (e) {
      throw new PoolTaskError(describeTask(task), e);
    }
  }

  /**
   * Starts every thread and waits until each has loaded its WASM state and
   * said where it runs (a "where" task per thread, all at once, again until
   * every thread has answered: one that loads first may take them all).
   */
  async warm(): Promise<void> {
    const where: WhereTask = { kind: "where" };
    const seen = new Map<number, WhereResult>();
    const deadline = performance.now() + WARM_MS;
    while (seen.size < this.workers && performance.now() < deadline) {
      const before = seen.size;
      for (const w of await Promise.all(Array.from({ length: this.workers }, () => this.run(where)))) seen.set(w.thread, w);
      if (seen.size === before) await delay(10);
    }
    this.where = [...seen.values()];
  }

  /**
   * For a pool given `cpus`, after warm(): the CPU each thread stays on, or
   * why pinning did not hold (the first thread's reason). Null for a pool
   * not asked to pin.
   */
  pinning(): { cpus: number[] } | { error: string } | null {
    if (!this.where.some((w) => w.pinnedTo !== null)) return null;
    if (this.where.length < this.workers) return { error: `only ${this.where.length} of ${this.workers} threads answered` };
    const bad = this.where.find((w) => w.pinError !== null);
    if (bad) return { error: bad.pinError! };
    return { cpus: this.where.map((w) => w.pinnedTo!).sort((a, b) => a - b) };
  }

  /**
   * Median round trip of an empty task, ns, on a warm pool: the fixed cost a
   * task pays for being a task (post, wake a thread, reply, resolve).
   */
  async roundTripNs(samples = 31): Promise<number> {
    const noop: NoopTask = { kind: "noop" };
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await this.run(noop);
      times.push((performance.now() - t0) * 1e6);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  }

  /** Ends every thread (tasks still running are abandoned). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.piscina.destroy();
  }
}
