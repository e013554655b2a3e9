// The pre-3.19 io_getevents path: a zero timeout still armed an hrtimer and
// slept until it fired. The model does the same on the host: a futex wait
// with a timeout, which the host kernel serves with an hrtimer under this
// thread's timer slack (50 µs by default), so a "zero" wait costs tens of
// µs here as it did on those kernels. A real timer wait, not a constant.

const word = new Int32Array(new SharedArrayBuffer(4));

/**
 * V8 turns waits below 1 µs into a non-blocking check, so 1 µs is the
 * shortest timeout that still arms a host timer.
 */
const MIN_TIMER_NS = 1000;

/** Arms a timer `ns` from now and sleeps until it fires. */
export function hrtimerSleep(ns: number): void {
  Atomics.wait(word, 0, 0, Math.max(ns, MIN_TIMER_NS) / 1e6);
}
