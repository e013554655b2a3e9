/**
 * --markdown: the comparison when the command made one (a PR comment,
 * markdown.ts), else the run's results and headlines (run-markdown.ts).
 * One flag for both, as --html is; kept apart from the two renderers.
 */
import { renderMarkdown } from "./markdown.js";
import type { OutputFormat } from "./output-format.js";
import { renderRunMarkdown } from "./run-markdown.js";

export const markdown: OutputFormat<"either"> = {
  flag: "markdown",
  needs: "either",
  help: "write Markdown: the comparison (for a PR comment), or\nwithout one the run's results and headlines",
  render: ({ run, comparison, headlines }) => (comparison ? renderMarkdown(comparison) : renderRunMarkdown(run!, headlines)),
};
