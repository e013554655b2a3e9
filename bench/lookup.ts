// Suite `lookup`: context-from-id (lookup_ioctx, every syscall) for every
// id strategy in the registry, at every scale and target distribution, with
// a fitted complexity per strategy and the slots/nodes each lookup visits.
import type { Suite } from "../src/contract/suite.js";
import { scalingSection, TIME_AXIS } from "../src/report/suite-charts.js";
import { DEFAULT_SIZES, sizesFor } from "./sizes.js";
import { strategyCases } from "./strategy-cases.js";

export const lookupSuite: Suite = {
  name: "lookup",
  description: "context from id (lookup_ioctx): every id strategy x contexts x target distribution",
  wasmModule: "lookup",
  async cases(opts) {
    return strategyCases(opts, {
      question: "id",
      sizes: sizesFor(opts, DEFAULT_SIZES, [1, 256, 65536]),
      seed: 42,
      counter: "nodes_visited_per_op",
      batch: (world, name, dist, size) => world.lookupBatch(name, dist, size),
    });
  },
  report: {
    title: "Lookup strategies",
    nav: "Lookup",
    intro:
      "Median time per lookup against the number of contexts N, both axes logarithmic, with the 95% interval of each median; one line per strategy, with the complexity fitted to its work counter (and to time, where that differs) in the legend.",
    section: (results) =>
      scalingSection(results, {
        chart: "Lookup: time per op vs N",
        x: "N (contexts, log scale)",
        y: `${TIME_AXIS}, log scale`,
        fits: "Fitted complexity per strategy: value = a + b·f(N)",
      }),
  },
};
