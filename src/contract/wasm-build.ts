/** The two WASM modules: the core (ring, syscalls) and the lookup strategies. */
export type WasmModuleName = "core" | "lookup";

/** One build of the WASM modules the benchmarks time, as suites and `ab` see it (src/core/wasm-build.ts makes them). */
export interface WasmBuild {
  /** What the build is, for messages: "build/", a ref and its commit. */
  readonly label: string;
  readonly core: WebAssembly.Module;
  readonly lookup: WebAssembly.Module;
  readonly countedCore: WebAssembly.Module;
  readonly countedLookup: WebAssembly.Module;
  /** Export names and kinds of each module, for telling whether two builds are comparable. */
  exportsOf(module: WasmModuleName): string[];
}
