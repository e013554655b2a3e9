// Suite `criu-restore`: restore N contexts the way checkpoint/restore does
// (create, fill, move to the dumped fixed address), total time per
// restore, per file strategy. Each move runs the hook, so the kernel's scan
// makes the whole restore quadratic.
import type { BenchCase, Suite } from "../src/contract/suite.js";
import { countInstructions } from "../src/core/instruction-count.js";
import { defaultWasmBuild } from "../src/core/wasm-build.js";
import { createLookupWorld, strategiesFor, type LookupWorld } from "../src/strategies/index.js";
import { scalingSection } from "../src/report/suite-charts.js";
import { find, ratioLine } from "./ratio.js";
import { backendsFor, sizesFor } from "./sizes.js";

export const criuRestoreSuite: Suite = {
  name: "criu-restore",
  description: "restore N contexts (create, fill, move to a fixed address): time per whole restore",
  wasmModule: "lookup",
  async cases(opts) {
    const cases: BenchCase[] = [];
    const wasm = opts.wasm ?? defaultWasmBuild();
    for (const backend of backendsFor(opts)) {
      for (const n of sizesFor(opts, [256, 1024, 4096], [1024, 4096])) {
        let world: LookupWorld | null = null;
        const getWorld = () => (world ??= createLookupWorld({ backend, n: 0, seed: 1, module: backend === "wasm" ? wasm.lookup : undefined }));
        for (const s of strategiesFor("file")) {
          cases.push({
            kind: "timed",
            case: s.name,
            backend,
            params: { n },
            group: `n=${n}/${backend}`,
            reference: s.name === "remap-scan",
            maxBatch: 1000,
            estimateMs: () => estimateRestoreMs(getWorld(), s.name, s.complexity, n),
            run(k) {
              for (let i = 0; i < k; i++) getWorld().criuRestore(s.name, n);
            },
            counters: () => ({ slots_visited_per_restore: getWorld().criuRestore(s.name, n).visitedFile }),
            instructions:
              backend !== "wasm"
                ? undefined
                : () => {
                    const counted = createLookupWorld({ backend, n: 0, seed: 1, module: wasm.countedLookup });
                    return countInstructions(counted.wasmExports()!, () => counted.criuRestore(s.name, n));
                  },
          });
        }
      }
    }
    return cases;
  },
  summary(results) {
    const scan = find(results, "remap-scan", "wasm", { n: 4096 });
    return strategiesFor("file")
      .filter((s) => s.name !== "remap-scan")
      .map((s) =>
        ratioLine(`criu-restore N=4096 remap-scan / ${s.name}`, scan, find(results, s.name, "wasm", { n: 4096 }), { op: ">=", bound: 100, note: "for O(1)" }),
      );
  },
  report: {
    title: "CRIU restore: time per restore vs N",
    nav: "CRIU restore",
    intro:
      "Median time to restore N contexts against N, both axes logarithmic, 95% interval on every point. On log-log axes a quadratic restore (the kernel's scan per move) climbs with twice the slope of a linear one.",
    section: (results) =>
      scalingSection(results, {
        chart: "CRIU restore: time per restore vs N",
        x: "N (contexts restored, log scale)",
        y: "median time per restore (ns), log scale",
        fits: "CRIU restore: time per restore vs N: fitted complexity, value = a + b·f(N)",
      }),
  },
};

/** Restores at this size are milliseconds even for the scan: the size an estimate is scaled from. */
const ESTIMATE_FROM = 1024;

/**
 * A restore of n contexts, in ms, from the median of three at
 * ESTIMATE_FROM scaled by the strategy's lookup complexity (a restore makes
 * n moves, each one lookup).
 */
function estimateRestoreMs(world: LookupWorld, strategy: string, complexity: "O(1)" | "O(log N)" | "O(N)", n: number): number {
  const m = Math.min(n, ESTIMATE_FROM);
  const times = [0, 1, 2].map(() => {
    const t0 = performance.now();
    world.criuRestore(strategy, m);
    return performance.now() - t0;
  });
  const perLookup = { "O(1)": 1, "O(log N)": Math.log2(Math.max(n, 2)) / Math.log2(Math.max(m, 2)), "O(N)": n / m }[complexity];
  return times.sort((a, b) => a - b)[1] * (n / m) * perLookup;
}
