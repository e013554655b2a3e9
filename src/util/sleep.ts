// Sleeping without a busy loop, for code that cannot await (a lock wait, a full pipe).

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (a lock wait, a full pipe): no busy loop. */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
