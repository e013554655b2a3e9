// Context counts and distributions per run mode.
import type { SuiteOptions } from "../src/contract/suite.js";
import { DISTS, type Dist } from "../src/strategies/index.js";

/** 1, 4, 16 ... 65,536: the full matrix. */
export const FULL_SIZES = Array.from({ length: 9 }, (_, i) => 4 ** i);

/** The default run's sizes: every 16x step of the full matrix but 16, which sits between 1 and 256 without changing a fit. */
export const DEFAULT_SIZES = [1, 256, 4096, 65536];

export function sizesFor(opts: SuiteOptions, defaults: number[], quick: number[]): number[] {
  if (opts.sizes) return opts.sizes;
  if (opts.full) return FULL_SIZES;
  return opts.quick ? quick : defaults;
}

export function distsFor(opts: SuiteOptions): readonly Dist[] {
  return opts.full ? DISTS : ["uniform"];
}

export function backendsFor(opts: SuiteOptions): readonly ("wasm" | "ts")[] {
  return opts.full ? ["wasm", "ts"] : ["wasm"];
}
