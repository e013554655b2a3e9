/**
 * Writes the export files asked for on the command line (--markdown, --bmf,
 * --gh-action, --json), each atomically. Shared by `compare` and `bench`.
 */
import { UserError } from "../contract/errors.js";
import type { Run } from "../bench/run-schema.js";
import { writeOutput } from "../util/files.js";
import type { PlannedOutput } from "../util/output-plan.js";
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

const FLAGS: Record<keyof ReportFiles, string> = { markdown: "--markdown", bmf: "--bmf", ghAction: "--gh-action", json: "--json" };

/** The requested files by flag name (gh-action, not ghAction), for messages and for humanOutput. */
export function reportFlags(files: ReportFiles): Record<string, string> {
  const requested = (Object.keys(FLAGS) as (keyof ReportFiles)[]).filter((key) => files[key] !== undefined);
  return Object.fromEntries(requested.map((key) => [FLAGS[key].slice(2), files[key]!]));
}

/** The requested files as outputs for checkOutputs (util/output-plan.ts), which each command runs before anything else. */
export function reportOutputs(files: ReportFiles): PlannedOutput[] {
  return (Object.keys(FLAGS) as (keyof ReportFiles)[]).flatMap((key) => (files[key] === undefined ? [] : [{ name: FLAGS[key], path: files[key]! }]));
}

/**
 * Writes each requested file; Markdown and JSON need a comparison (a
 * UserError otherwise). Returns the paths written. With `onFailure`, a
 * file that cannot be written is passed to it and the others are still
 * written; without, the first failure throws.
 */
export function writeReports(files: ReportFiles, run: Run, comparison: Comparison | null, onFailure?: (e: UserError) => void): string[] {
  const written: string[] = [];
  const write = (key: keyof ReportFiles, text: string): void => {
    const path = files[key]!;
    try {
      writeOutput(path, text, FLAGS[key]);
      written.push(path);
    } catch (e) {
      if (!(e instanceof UserError) || !onFailure) throw e;
      onFailure(e);
    }
  };
  if ((files.markdown !== undefined || files.json !== undefined) && comparison === null) {
    throw new UserError(`${files.markdown ? "--markdown" : "--json"} reports a comparison: give a run to compare against`);
  }
  if (files.markdown !== undefined && comparison) write("markdown", renderMarkdown(comparison));
  if (files.json !== undefined && comparison) write("json", `${JSON.stringify(comparison, null, 2)}\n`);
  if (files.bmf !== undefined) write("bmf", `${JSON.stringify(toBmf(run), null, 2)}\n`);
  if (files.ghAction !== undefined) write("ghAction", `${JSON.stringify(toGhActionBenchmark(run), null, 2)}\n`);
  return written;
}
