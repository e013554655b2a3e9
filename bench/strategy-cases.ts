// The case matrix shared by the `lookup` and `remap` suites: every
// registered strategy answering one question x backend x contexts x target
// distribution, each timed in whole calls of a fixed-size target stream.
import type { BenchCase, SuiteOptions } from "../src/contract/suite.js";
import { countInstructions } from "../src/core/instruction-count.js";
import { defaultWasmBuild } from "../src/core/wasm-build.js";
import { createLookupWorld, KERNEL_STRATEGY, strategiesFor, type BatchResult, type Dist, type LookupWorld, type Question } from "../src/strategies/index.js";
import { backendsFor, distsFor } from "./sizes.js";

/**
 * Operations per call: a fixed stream of targets reused call after call, so
 * the cost per operation does not depend on how many a sample takes. Fewer
 * for a linear strategy at large n, so one call stays near a millisecond.
 */
export function chunkFor(complexity: string, n: number): number {
  if (complexity !== "O(N)") return 4096;
  return Math.max(16, Math.min(4096, 2 ** Math.floor(Math.log2(262_144 / n))));
}

export interface StrategyMatrix {
  question: Question;
  sizes: number[];
  seed: number;
  /** The counter's name, e.g. nodes_visited_per_op. */
  counter: string;
  /** One call of `size` operations of strategy `name`. */
  batch(world: LookupWorld, name: string, dist: Dist, size: number): BatchResult;
}

export function strategyCases(opts: SuiteOptions, m: StrategyMatrix): BenchCase[] {
  const cases: BenchCase[] = [];
  const wasm = opts.wasm ?? defaultWasmBuild();
  for (const backend of backendsFor(opts)) {
    for (const n of m.sizes) {
      let world: LookupWorld | null = null;
      const getWorld = () => (world ??= createLookupWorld({ backend, n, seed: m.seed, module: backend === "wasm" ? wasm.lookup : undefined }));
      for (const s of strategiesFor(m.question)) {
        const chunk = chunkFor(s.complexity, n);
        for (const dist of distsFor(opts)) {
          cases.push({
            kind: "timed",
            case: s.name,
            backend,
            params: { n, dist },
            group: `n=${n}/dist=${dist}/${backend}`,
            reference: s.name === KERNEL_STRATEGY[m.question],
            granularity: chunk,
            run(k) {
              for (let done = 0; done < k; done += chunk) m.batch(getWorld(), s.name, dist, chunk);
            },
            counters: () => ({ [m.counter]: m.batch(getWorld(), s.name, dist, chunk).visited / chunk }),
            // A fresh counted world per case: its count then does not depend on which other cases ran.
            instructions:
              backend !== "wasm"
                ? undefined
                : () => {
                    const counted = createLookupWorld({ backend, n, seed: m.seed, module: wasm.countedLookup });
                    m.batch(counted, s.name, dist, chunk); // selects the strategy and draws the stream: not per-operation work
                    return countInstructions(counted.wasmExports()!, () => m.batch(counted, s.name, dist, chunk)) / chunk;
                  },
          });
        }
      }
    }
  }
  return cases;
}
