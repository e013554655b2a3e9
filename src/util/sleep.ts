// Sleeping without a busy loop, for code that cannot await (a lock wait, a full pipe),
// and letting the event loop run between pieces of synchronous work.

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (a lock wait, a full pipe): no busy loop. */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Resolves after the event loop has run once: signal handlers (Ctrl-C),
 * timers and I/O get their turn. Awaiting a promise alone never gets there.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
