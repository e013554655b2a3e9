// Suite `lookup`: context-from-id (lookup_ioctx, every syscall) for every
// id strategy in the registry, at every scale and target distribution, with
// a fitted complexity per strategy and the slots/nodes each lookup visits.
import type { BenchCase, Suite, SuiteResult } from "../src/bench/suite.js";
import { createLookupWorld, MAX_BATCH, strategiesFor, type LookupWorld } from "../src/strategies/index.js";
import { fmtNs } from "./ratio.js";
import { backendsFor, distsFor, sizesFor } from "./sizes.js";

const SEED = 42;
/** Lookups per counter measurement: fixed, so the counter is deterministic. */
const COUNTER_BATCH = 4096;

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
          for (const dist of distsFor(opts)) {
            cases.push({
              kind: "timed", case: s.name, backend, params: { n, dist }, group: `n=${n}/dist=${dist}/${backend}`,
              reference: s.name === "table-header-id", maxBatch: MAX_BATCH,
              run: (k) => void getWorld().lookupBatch(s.name, dist, k),
              counters: () => ({ nodes_visited_per_op: getWorld().lookupBatch(s.name, dist, COUNTER_BATCH).visited / COUNTER_BATCH }),
            });
          }
        }
      }
    }
    return cases;
  },
  summary: (results) => flatnessLines("lookup", results),
};
