/**
 * Writes the export files asked for on the command line (--markdown, --bmf,
 * --gh-action, --json), each atomically. Shared by `compare` and `bench`.
 */
import { UserError } from "../contract/errors.js";
import type { Run } from "../bench/run-schema.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { toBmf } from "./bmf.js";
import type { Comparison } from "./compare.js";
import { toGhActionBenchmark } from "./gh-action-benchmark.js";
import { renderMarkdown } from "./markdown.js";

export interface ReportFiles {
  /** PR-comment Markdown of the comparison. */
  markdown?: string;
  /** Bencher Metric Format of the (new) run. */
  bmf?: string;
  /** github-action-benchmark customSmallerIsBetter JSON of the (new) run. */
  ghAction?: string;
  /** The Comparison data structure. */
  json?: string;
}

/** Writes each requested file; Markdown and JSON need a comparison (a UserError otherwise). Returns the paths written. */
export function writeReports(files: ReportFiles, run: Run, comparison: Comparison | null): string[] {
  const written: string[] = [];
  const write = (path: string, text: string): void => {
    writeFileAtomic(path, text);
    written.push(path);
  };
  if ((files.markdown || files.json) && comparison === null) {
    throw new UserError(`${files.markdown ? "--markdown" : "--json"} reports a comparison: give a run to compare against`);
  }
  if (files.markdown && comparison) write(files.markdown, renderMarkdown(comparison));
  if (files.json && comparison) write(files.json, `${JSON.stringify(comparison, null, 2)}\n`);
  if (files.bmf) write(files.bmf, `${JSON.stringify(toBmf(run), null, 2)}\n`);
  if (files.ghAction) write(files.ghAction, `${JSON.stringify(toGhActionBenchmark(run), null, 2)}\n`);
  return written;
}
