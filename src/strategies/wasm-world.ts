/**
 * The WASM backend: a thin typed layer over build/lookup.wasm. The module is
 * compiled once per process; each world is its own instance (own memory).
 */
import type { LookupExports } from "../contract/wasm/lookup-exports.js";
import { defaultWasmBuild } from "../core/wasm-build.js";
import type { StrategyDescriptor } from "./types.js";
import type { LookupEngine } from "./world.js";

/** build/lookup.wasm, compiled on first use. */
export function lookupModule(): WebAssembly.Module {
  return defaultWasmBuild().lookup;
}

function instantiate(module: WebAssembly.Module): LookupExports {
  let memory: WebAssembly.Memory | undefined;
  // AssemblyScript strings: UTF-16 code units, byte length in the u32 before the data.
  const text = (ptr: number): string => {
    if (!memory || ptr === 0) return "?";
    const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] >>> 1;
    return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, len));
  };
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(msg: number, file: number, line: number, col: number): never {
        throw new Error(`lookup.wasm: ${text(msg)} at ${text(file)}:${line}:${col}`);
      },
    },
  });
  const exports = instance.exports as unknown as LookupExports;
  memory = exports.memory;
  return exports;
}

export class WasmEngine implements LookupEngine {
  private readonly x: LookupExports;

  /** `module`: build/lookup.wasm by default; another build, or a counted twin to count instructions. */
  constructor(module: WebAssembly.Module = lookupModule()) {
    this.x = instantiate(module);
  }

  get exports(): WebAssembly.Exports {
    return this.x as unknown as WebAssembly.Exports;
  }
  private idStream = 0;
  private ctxStream = 0;

  build(n: number): void {
    this.x.build(n);
  }

  select(d: StrategyDescriptor): void {
    this.x.select(d.wasmId);
  }

  ioSetup(): number {
    return this.x.ioSetup();
  }

  ioDestroy(userId: number): number {
    return this.x.ioDestroy(userId);
  }

  mremapRing(addr: number, to: number): number {
    return this.x.mremapRing(addr, to);
  }

  findById(userId: number): number {
    return this.x.findById(userId);
  }

  findByFile(file: number, vmaStart: number): number {
    return this.x.findByFile(file, vmaStart);
  }

  userIdOf(ctx: number): number {
    return this.x.ctxUserId(ctx);
  }

  fileOf(ctx: number): number {
    return this.x.ctxFile(ctx);
  }

  slotOf(ctx: number): number {
    return this.x.ctxSlot(ctx);
  }

  tableNr(): number {
    return this.x.tableSize();
  }

  liveCount(): number {
    return this.x.liveContexts();
  }

  contexts(): number[] {
    const out: number[] = [];
    for (let c = this.x.oldestContext(); c >= 0; c = this.x.newerContext(c)) out.push(c);
    return out;
  }

  visitedId(): number {
    return this.x.visitedId();
  }

  visitedFile(): number {
    return this.x.visitedFile();
  }

  genIdStream(dist: number, count: number, seed: number): void {
    this.idStream = this.x.genIdStream(dist, count, seed);
  }

  genCtxStream(dist: number, count: number, seed: number): void {
    this.ctxStream = this.x.genCtxStream(dist, count, seed);
  }

  lookupBatch(d: StrategyDescriptor, count: number): number {
    return this.x.lookupBatch(d.wasmId, this.idStream, count) >>> 0;
  }

  remapBatch(d: StrategyDescriptor, count: number): number {
    return this.x.remapBatch(d.wasmId, this.ctxStream, count) >>> 0;
  }

  churn(d: StrategyDescriptor, ops: number, seed: number): number {
    return this.x.churn(d.wasmId, ops, seed) >>> 0;
  }

  criuRestore(d: StrategyDescriptor, n: number): number {
    return this.x.criuRestore(d.wasmId, n) >>> 0;
  }
}
