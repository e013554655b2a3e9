// How a pool run fails: which task, why, and what had completed before it.

/** A task threw in its worker, or its worker died: names the task; `completed` keeps what finished before. */
export class PoolTaskError<R = unknown> extends Error {
  constructor(
    readonly task: string,
    readonly cause: unknown,
    /** Results of the tasks that completed before the failure. */
    public completed: R[] = [],
  ) {
    super(`pool task ${task} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "PoolTaskError";
  }
}
