// Suite `lookup`: context-from-id (lookup_ioctx, every syscall) for every
// id strategy in the registry, at every scale and target distribution, with
// a fitted complexity per strategy and the slots/nodes each lookup visits.
import type { BenchCase, Suite, SuiteResult } from "../src/bench/suite.js";
import { createLookupWorld, strategiesFor, type LookupWorld } from "../src/strategies/index.js";
import { fmtNs } from "./ratio.js";
import { backendsFor, distsFor, sizesFor } from "./sizes.js";

const SEED = 42;
/**
 * Lookups per WASM call: a fixed stream of targets (32 KiB of ids) reused
 * call after call, so the cost per lookup does not depend on how many
 * lookups a sample takes; also the batch the counter is read from.
 */
export const CHUNK = 4096;

/**
 * Operations per call for a strategy at n contexts: CHUNK, but fewer for a
 * linear strategy at large n, so one call stays around a millisecond and a
 * sample can still be short.
 */
export function chunkFor(complexity: string, n: number): number {
  if (complexity !== "O(N)") return CHUNK;
  return Math.max(16, Math.min(CHUNK, 2 ** Math.floor(Math.log2(262_144 / n))));
}

/** Runs `k` operations as whole calls of `size` (k is rounded up). */
export function inChunks(k: number, size: number, call: () => void): void {
  for (let done = 0; done < k; done += size) call();
}

/** Per WASM strategy (uniform targets): fastest..slowest median across sizes, the spread, the fitted complexity. */
export function flatnessLines(suite: string, results: SuiteResult[]): string[] {
  const byStrategy = new Map<string, SuiteResult[]>();
  for (const r of results) {
    if (r.median === null || r.backend !== "wasm" || r.params.dist !== "uniform") continue;
    byStrategy.set(r.case, [...(byStrategy.get(r.case) ?? []), r]);
  }
  return [...byStrategy].map(([name, rs]) => {
    const medians = rs.map((r) => r.median!);
    const lo = Math.min(...medians);
    const hi = Math.max(...medians);
    return `${suite}: ${name}: ${fmtNs(lo)}..${fmtNs(hi)} per op over N=${rs[0].params.n}..${rs[rs.length - 1].params.n}, spread ${(hi / lo).toFixed(2)}x, fitted ${rs[0].complexity ?? "n/a (fewer than 3 sizes)"}`;
  });
}

export const lookupSuite: Suite = {
  name: "lookup",
  description: "context from id (lookup_ioctx): every id strategy x contexts x target distribution",
  async cases(opts) {
    const cases: BenchCase[] = [];
    for (const backend of backendsFor(opts)) {
      for (const n of sizesFor(opts, [1, 16, 256, 4096, 65536], [1, 256, 65536])) {
        let world: LookupWorld | null = null;
        const getWorld = () => (world ??= createLookupWorld({ backend, n, seed: SEED }));
        for (const s of strategiesFor("id")) {
          const chunk = chunkFor(s.complexity, n);
          for (const dist of distsFor(opts)) {
            cases.push({
              kind: "timed", case: s.name, backend, params: { n, dist }, group: `n=${n}/dist=${dist}/${backend}`,
              reference: s.name === "table-header-id", granularity: chunk,
              run: (k) => inChunks(k, chunk, () => getWorld().lookupBatch(s.name, dist, chunk)),
              counters: () => ({ nodes_visited_per_op: getWorld().lookupBatch(s.name, dist, chunk).visited / chunk }),
            });
          }
        }
      }
    }
    return cases;
  },
  summary: (results) => flatnessLines("lookup", results),
};
