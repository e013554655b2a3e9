/**
 * --markdown: the comparison when the command made one (a PR comment,
 * markdown.ts), else the run's results and headlines (run-markdown.ts).
 * One flag for both, as --html is; kept apart from the two renderers.
 */
import { headlines as suiteHeadlines } from "../bench/runner.js";
import type { Run } from "../contract/run-document.js";
import type { Suite } from "../contract/suite.js";
import { renderMarkdown } from "./markdown.js";
import type { OutputFormat } from "./output-format.js";
import { renderRunMarkdown } from "./run-markdown.js";

/**
 * A stored run's headlines (report RUN, the library): the run document
 * keeps none, so each suite of the run recomputes its own from the stored
 * results, as bench did when it measured them.
 */
function storedHeadlines(suites: readonly Suite[], run: Run) {
  return suiteHeadlines(
    suites.filter((s) => run.results.some((r) => r.suite === s.name)),
    run.results,
  );
}

export const markdown: OutputFormat<"either"> = {
  flag: "markdown",
  needs: "either",
  help: "write Markdown: the comparison (for a PR comment), or\nwithout one the run's results and headlines",
  render: ({ run, comparison, headlines, suites }) =>
    comparison ? renderMarkdown(comparison) : renderRunMarkdown(run!, headlines ?? storedHeadlines(suites, run!)),
};
