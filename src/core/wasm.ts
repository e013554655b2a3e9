// Loads build/core.wasm. The module is compiled once per JS process and cached
// (and can be posted to worker threads, which seed their cache with it instead
// of compiling again); each modelled process gets its own cheap instance.
import { hrtimerSleep } from "../util/hrtimer.js";
import { defaultWasmBuild } from "./wasm-build.js";

/** The raw exports of assembly/index.ts (i64 as bigint, bool as 0/1). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  reset(profileBits: number, cpus: number, aio_max_nr: bigint, aio_nr: bigint): void;
  io_setup(nr_events: number, ctxp_nonzero: number): bigint;
  io_destroy(ctx: bigint): number;
  io_submit(ctx: bigint, count: number, cmd: number, data: bigint, bad_fd: number): number;
  io_getevents(ctx: bigint, min_nr: number, nr: number, has_timeout: number, timeout_ns: number): number;
  user_reap(addr: bigint, max: number): number;
  ring(addr: bigint): number;
  mmap(pages: bigint): bigint;
  munmap(addr: bigint, pages: bigint): number;
  mremap(addr: bigint, old_pages: bigint, new_pages: bigint, has_to: number, to: bigint): bigint;
  fork_mremap(addr: bigint, pages: bigint, to: bigint): number;
  page(addr: bigint): number;
  page_bytes(addr: bigint): number;
  scratch_ptr(): number;
  scratch_reserve(bytes: number): number;
  data_checksum(): bigint;
  submit_batch(ctx: number, n: number, data: number): number;
  reap_batch(ctx: number, max: number): number;
  getevents_batch(ctx: number, max: number): number;
  getevents_calls(ctx: number, calls: number): number;
  lookup_batch(idsPtr: number, n: number): number;
  remap_batch(ctx: number, spare: number, n: number): number;
  ring_loop(ctx: number, events: number, batch: number): bigint;
  hook_slots_visited(): number;
}

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
