/**
 * --html: a self-contained HTML page. A run gets the run page, with the
 * comparison when it was made from two stored runs (their samples draw the
 * distributions); a comparison without stored runs (ab, a comparison file)
 * gets the comparison's own page. Kept apart from html.ts, the page itself.
 */
import { renderHtml } from "./html.js";
import { renderComparisonHtml } from "./html-comparison.js";
import type { OutputFormat } from "./output-format.js";

export const html: OutputFormat<"either"> = {
  flag: "html",
  needs: "either",
  help: "write a self-contained HTML report (with the comparison and\na history's trends when there are)",
  render: ({ run, comparison, baseline, history, suites }) =>
    comparison && !baseline
      ? renderComparisonHtml(comparison)
      : renderHtml(run!, { suites, ...(history ? { history } : {}), ...(comparison && baseline ? { comparison, baseline } : {}) }),
};
