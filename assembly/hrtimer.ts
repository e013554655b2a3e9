// The host's timer, for the pre-3.19 io_getevents path that armed an
// hrtimer even for a zero timeout: the core cannot sleep by itself, so the
// host (src/util/hrtimer.ts) does, on a real timer.

/** Arms a timer `ns` from now and sleeps until it fires. */
@external("env", "hrtimer_sleep")
export declare function hrtimer_sleep(ns: f64): void;
