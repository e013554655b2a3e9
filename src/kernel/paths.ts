import { fileURLToPath } from "node:url";

/**
 * Where `npm run build:probe` puts the probe: build/probe at the repo root.
 * Compiled code runs from dist/src/kernel/, three levels below the root.
 */
export function defaultProbePath(): string {
  return process.env.AIO_RING_BENCH_PROBE ?? fileURLToPath(new URL("../../../build/probe", import.meta.url));
}
