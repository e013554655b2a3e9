/** Lookup strategies: the registry, the world API and the pieces benchmarks name. */
import { TsEngine } from "./ts-world.js";
import { WasmEngine } from "./wasm-world.js";
import { LookupWorldImpl, type LookupWorld, type LookupWorldOptions } from "./world.js";

export { STRATEGIES, KERNEL_STRATEGY, strategy, strategiesFor } from "./registry.js";
export { DISTS, type Dist } from "./prng.js";
export { MAX_CTX, MAX_BATCH, CEILING, PAGE } from "./context-set.js";
export { lookupModule } from "./wasm-world.js";
export type { Question, StrategyDescriptor, LookupOps, IdLookupOps, FileLookupOps } from "./types.js";
export type { WorldEngine, BatchResult, CriuResult, LookupWorld, LookupWorldOptions } from "./world.js";

/** A world of n live contexts on the chosen backend (WASM module compiled once per process). */
export function createLookupWorld(opts: LookupWorldOptions): LookupWorld {
  const impl = opts.backend === "wasm" ? new WasmEngine(opts.module) : new TsEngine();
  return new LookupWorldImpl(opts.backend, opts.seed, opts.n, impl);
}
