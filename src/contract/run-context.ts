/** The run document's `context` block as the harness writes it (src/bench/context.ts) and the reports show it. */
export interface CacheInfo {
  level: number;
  type: string;
  size: string;
}

export interface RunContext {
  cpu_mhz: number | null;
  cpu_max_mhz: number | null;
  governor: string | null;
  caches: CacheInfo[];
  load_avg_start: number[];
  load_avg_end: number[] | null;
  /** Per WASM module: the asc flags it was built with (from build/wasm-build.json). */
  wasm: { assemblyscript: string | null; target: string | null; modules: { name: string; flags: string[] }[] } | null;
  toolchain: { node: string; typescript: string | null; assemblyscript: string | null; cc: string | null };
  ci: { name: string | null; vendor: string | null; pull_request: boolean; branch: string | null; run: string | null } | null;
}
