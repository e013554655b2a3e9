import { fileURLToPath } from "node:url";

/**
 * Where `npm run build:probe` puts the probe: build/probe at the repo root.
 * Compiled code runs from dist/src/kernel/, three levels below the root.
 */
export function defaultProbePath(): string {
  return process.env.AIO_RING_BENCH_PROBE ?? fileURLToPath(new URL("../../../build/probe", import.meta.url));
}

/** Where `npm run build:anchors` puts the native anchors: build/anchors/ at the repo root. */
export function anchorsDir(): string {
  return process.env.AIO_RING_BENCH_ANCHORS ?? fileURLToPath(new URL("../../../build/anchors", import.meta.url));
}
