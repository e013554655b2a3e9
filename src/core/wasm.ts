// Loads build/core.wasm. The module is compiled once per JS process and cached
// (and can be posted to worker threads, which seed their cache with it instead
// of compiling again); each modelled process gets its own cheap instance.
import type { CoreExports } from "../contract/wasm/core-exports.js";
import { hrtimerSleep } from "../util/hrtimer.js";
import { defaultWasmBuild } from "./wasm-build.js";

let cached: WebAssembly.Module | null = null;

/** The compiled core (build/core.wasm), compiled on first use. */
export function coreModule(): WebAssembly.Module {
  cached ??= defaultWasmBuild().core;
  return cached;
}

/** In a worker thread: use the Module the main thread posted rather than compiling again. */
export function useCoreModule(module: WebAssembly.Module): void {
  cached = module;
}

/** A fresh instance of the core: one modelled process. */
export function instantiateCore(module: WebAssembly.Module = coreModule()): CoreExports {
  let memory: WebAssembly.Memory | null = null;
  const abort = (message: number, file: number, line: number, column: number): never => {
    const text = memory ? `${readString(memory, message)} (${readString(memory, file)}:${line}:${column})` : "abort";
    throw new Error(`core.wasm: ${text}`);
  };
  const exports = new WebAssembly.Instance(module, { env: { abort, hrtimer_sleep: hrtimerSleep } }).exports as unknown as CoreExports;
  memory = exports.memory;
  return exports;
}

/** An AssemblyScript string (UTF-16, byte length in the word before it). */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}
