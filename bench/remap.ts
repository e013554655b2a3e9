// Suite `remap`: one ring moved while N contexts exist. The hook's search
// for the context owning the ring file, per file strategy (the kernel's
// linear scan among them), next to the live kernel's mremap at the same N.
import type { BenchCase, Suite } from "../src/contract/suite.js";
import { scalingSection, TIME_AXIS } from "../src/report/suite-charts.js";
import { kernelCase } from "./kernel-case.js";
import { DEFAULT_SIZES, sizesFor } from "./sizes.js";
import { strategyCases } from "./strategy-cases.js";

/** Each context is one ring VMA: the kernel refuses more maps than vm.max_map_count (65,530). */
const KERNEL_MAX_CONTEXTS = 32768;

export const remapSuite: Suite = {
  name: "remap",
  description: "mremap of one ring while N contexts exist: the hook's search per file strategy, and the kernel",
  wasmModule: "lookup",
  async cases(opts) {
    const sizes = sizesFor(opts, DEFAULT_SIZES, [1, 256, 4096]);
    const cases: BenchCase[] = strategyCases(opts, {
      question: "file",
      sizes,
      seed: 7,
      counter: "slots_visited_per_op",
      batch: (world, name, dist, size) => world.remapBatch(name, size, dist),
    });
    for (const n of sizes) {
      const params = { n, dist: "newest" };
      cases.push(
        n > KERNEL_MAX_CONTEXTS
          ? { kind: "unavailable", case: "kernel-mremap", backend: "kernel", params, reason: `${n} rings exceed vm.max_map_count (one VMA each)` }
          : kernelCase("kernel-mremap", params, "remap", { contexts: n }, 3000 + 2 * n, {}, true),
      );
    }
    return cases;
  },
  report: {
    title: "Remap: the hook's search vs the kernel's mremap",
    nav: "Remap",
    intro:
      "Median time per ring move against N, both axes logarithmic, 95% interval on every point: one line per file strategy of the model (WASM), and the live kernel's mremap measured at the same N (dashed, black).",
    section: (results) =>
      scalingSection(results, {
        chart: "Remap: time per move vs N, model strategies and the kernel's mremap",
        x: "N (contexts, log scale)",
        y: `${TIME_AXIS}, log scale`,
        fits: "Remap: the hook's search vs the kernel's mremap: fitted complexity, value = a + b·f(N)",
      }),
  },
};
