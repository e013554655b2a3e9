/**
 * One build of the WASM modules the benchmarks time (the core and the lookup
 * module) with their counted twins (src/core/instruction-count.ts), made
 * from the very bytes the timed instances run. The default build is this
 * package's build/; `ab` loads others from its build cache.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WasmBuild, WasmModuleName } from "../contract/wasm-build.js";
import { instrumentWasm } from "./instruction-count.js";

/** The modules a build directory holds: build/<name>.wasm. */
export const TIMED_MODULES = ["core", "lookup"] as const;

/** build/ at the package root (this file runs from dist/src/core/). */
export const BUILD_DIR = fileURLToPath(new URL("../../../build/", import.meta.url));

/** A build whose modules are compiled on first use, each once. */
export function wasmBuildFrom(label: string, bytes: (name: WasmModuleName) => Uint8Array<ArrayBuffer>): WasmBuild {
  const cache = new Map<string, WebAssembly.Module>();
  const raw = new Map<string, Uint8Array<ArrayBuffer>>();
  const source = (name: WasmModuleName): Uint8Array<ArrayBuffer> => {
    if (!raw.has(name)) raw.set(name, bytes(name));
    return raw.get(name)!;
  };
  const get = (key: string, make: () => WebAssembly.Module): WebAssembly.Module => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key)!;
  };
  return {
    label,
    get core() {
      return get("core", () => new WebAssembly.Module(source("core")));
    },
    get lookup() {
      return get("lookup", () => new WebAssembly.Module(source("lookup")));
    },
    get countedCore() {
      return get("countedCore", () => new WebAssembly.Module(instrumentWasm(source("core"))));
    },
    get countedLookup() {
      return get("countedLookup", () => new WebAssembly.Module(instrumentWasm(source("lookup"))));
    },
    exportsOf(name) {
      const m = name === "core" ? this.core : this.lookup;
      return WebAssembly.Module.exports(m)
        .map((e) => `${e.name}:${e.kind}`)
        .sort();
    },
  };
}

/** The modules in directory `dir` (core.wasm, lookup.wasm). */
export function wasmBuildInDir(dir: string, label: string): WasmBuild {
  return wasmBuildFrom(label, (name) => readFileSync(join(dir, `${name}.wasm`)));
}

let packageBuild: WasmBuild | null = null;

/** This package's build/ (what `npm run build` made). */
export function defaultWasmBuild(): WasmBuild {
  packageBuild ??= wasmBuildInDir(BUILD_DIR, "build/");
  return packageBuild;
}
