// Adaptive task size: big enough that the fixed cost of a task (its empty
// round trip) stays a small fraction of the task's own time, small enough
// that a run has many tasks (samples, a prompt stop). The per-op cost is
// learnt from the tasks as they complete, so the size follows the machine
// (a slower mix, more threads than cores) rather than a constant.

export interface TaskSizerOptions {
  /** Fixed cost of one task, ns (WorkerPool.roundTripNs). */
  overheadNs: number;
  /** Task sizes are multiples of this (the worker's batch). */
  quantum: number;
  /** Aim for overhead at this share of task time, % (below the 2% ceiling, leaving room for noise). */
  targetPct?: number;
  /** No task longer than this, ns (keeps enough tasks within a short budget). */
  maxTaskNs: number;
}

/** Weight of the newest observation in the per-op cost. */
const EWMA = 0.3;

export class TaskSizer {
  private nsPerOp: number | null = null;
  private readonly targetPct: number;

  constructor(private readonly opts: TaskSizerOptions) {
    this.targetPct = opts.targetPct ?? 1;
  }

  /** A completed task: `ops` operations in `busyNs` of worker time. */
  observe(ops: number, busyNs: number): void {
    if (ops <= 0 || busyNs <= 0) return;
    const x = busyNs / ops;
    this.nsPerOp = this.nsPerOp === null ? x : this.nsPerOp + EWMA * (x - this.nsPerOp);
  }

  /** Task time that puts the overhead at the target share, capped by maxTaskNs. */
  get targetTaskNs(): number {
    return Math.min(this.opts.maxTaskNs, (this.opts.overheadNs * 100) / this.targetPct);
  }

  /** Ops for the next task (one quantum until a task has been observed). */
  next(): number {
    const q = this.opts.quantum;
    if (this.nsPerOp === null) return q;
    return Math.max(q, Math.ceil(this.targetTaskNs / this.nsPerOp / q) * q);
  }
}
