/**
 * The selfcheck's noisy neighbour: a separate process with one thread per
 * core, each switching between busy (spinning) and idle (sleeping) at a
 * random duty cycle that changes every few hundred ms, as a shared machine's
 * other tenants do. It runs until stopped, and dies with its parent.
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { isMainThread, Worker, workerData } from "node:worker_threads";
import { Prng } from "../util/prng.js";

/** One thread's loop: periods of 200-500 ms, each busy for a random 10-90% of it. */
function busyIdle(seed: number): void {
  const sab = new Int32Array(new SharedArrayBuffer(4));
  const rng = new Prng(seed);
  for (;;) {
    const period = 200 + 300 * rng.float();
    const busy = period * (0.1 + 0.8 * rng.float());
    const t0 = Date.now();
    let x = 0;
    while (Date.now() - t0 < busy) x = (x * 31 + 7) | 0;
    Atomics.wait(sab, 0, 0, period - busy);
  }
}

export interface Noise {
  /** The neighbour process. */
  readonly pid: number;
  stop(): void;
}

/** Starts the neighbour process; stop() ends it (so does this process's exit). */
export function startNoise(threads = availableParallelism()): Noise {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--noise-child", String(threads)], { stdio: "ignore" });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  return {
    pid: child.pid!,
    stop() {
      process.off("exit", kill);
      kill();
    },
  };
}

if (!isMainThread && typeof workerData?.noiseSeed === "number") busyIdle(workerData.noiseSeed);
else if (process.argv[2] === "--noise-child") {
  const threads = Number(process.argv[3]) || 1;
  // Seeded by the clock: each run's neighbour differs, as a real one would.
  for (let i = 0; i < threads; i++) new Worker(fileURLToPath(import.meta.url), { workerData: { noiseSeed: (Date.now() + i * 0x9e3779b9) >>> 0 } });
  // The parent died without stopping us: go too.
  process.on("disconnect", () => process.exit(0));
}
