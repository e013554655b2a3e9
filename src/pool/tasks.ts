// What crosses from the main thread to a pool worker: descriptions of work
// (mix, counts, seeds), never the data itself, so a task costs the same to
// post whatever its size. Results carry counts and the worker's own timing.

/** Operation mixes of independent mode (each op: one event submitted, completed and reaped, or one context lookup). */
export const MIXES = ["ring", "lookup", "mixed"] as const;
export type Mix = (typeof MIXES)[number];

/** Independent mode: `ops` operations on the worker's own process, rings and contexts. */
export interface WorkTask {
  kind: "work";
  mix: Mix;
  ops: number;
  /** Drives the lookup targets and, for "mixed", the ring/lookup choice per batch. */
  seed: number;
}

/** An empty round trip: what a task costs beyond its work. */
export interface NoopTask {
  kind: "noop";
}

/** Where the worker that takes it may run: its CPUs and, for a pinned pool, why pinning failed. */
export interface WhereTask {
  kind: "where";
}

/** Shared-ring mode: producer `producer` appends events first_seq .. first_seq + count - 1. */
export interface ProduceTask {
  kind: "produce";
  producer: number;
  firstSeq: number;
  count: number;
}

/** Shared-ring mode: reaper `reaper` reaps and checks up to `max` events. */
export interface ReapTask {
  kind: "reap";
  reaper: number;
  max: number;
}

/**
 * Test-only kinds (test/pool-failure.test.ts): a task that throws, and one
 * whose worker dies (process.exit in a worker thread ends that thread). They
 * exist to prove the pool's failure path and are never sent by the benches.
 */
export interface TestFailTask {
  kind: "test-throw" | "test-exit";
}

export type Task = WorkTask | NoopTask | WhereTask | ProduceTask | ReapTask | TestFailTask;

export interface WorkResult {
  ops: number;
  /** Time the worker spent inside the task, ns. */
  busyNs: number;
  /** worker_threads.threadId of the worker that ran it. */
  thread: number;
}

export interface RingTaskResult {
  /** Events produced or reaped; -1 when the ring was stopped (an error or a host stop). */
  events: number;
  busyNs: number;
  thread: number;
  /** Sleeps on a full/empty ring or a turn during this task. */
  sleeps: number;
}

export interface WhereResult {
  thread: number;
  /** The CPUs the thread may run on (procfs), null where procfs does not say. */
  cpus: number[] | null;
  /** The CPU it was asked to stay on, for a pinned pool. */
  pinnedTo: number | null;
  /** Why pinning did not hold; null when it did or was not asked. */
  pinError: string | null;
}

export type ResultOf<T extends Task> = T extends WorkTask
  ? WorkResult
  : T extends ProduceTask | ReapTask
    ? RingTaskResult
    : T extends WhereTask
      ? WhereResult
      : T extends NoopTask
        ? null
        : never;

/** One line naming a task in errors and logs. */
export function describeTask(t: Task): string {
  switch (t.kind) {
    case "work":
      return `work(mix=${t.mix}, ops=${t.ops}, seed=${t.seed})`;
    case "produce":
      return `produce(producer=${t.producer}, seq=${t.firstSeq}..${t.firstSeq + t.count - 1})`;
    case "reap":
      return `reap(reaper=${t.reaper}, max=${t.max})`;
    default:
      return t.kind;
  }
}
