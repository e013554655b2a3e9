/** The comparison document itself (schema "aio-ring-bench/comparison@1"), which `report` reads back and draws. */
import type { OutputFormat } from "./output-format.js";

export const comparisonJson: OutputFormat<"comparison"> = {
  flag: "json",
  needs: "comparison",
  help: "write the comparison as JSON (report draws it; ab's keeps each\nbuild's per-round values and the ABBA cycle ratios)",
  render: ({ comparison }) => `${JSON.stringify(comparison, null, 2)}\n`,
};
