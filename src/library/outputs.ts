/**
 * Every output of the registry (src/report/outputs.ts), for the library: by
 * its flag name, from whatever the caller has, checked for what it needs as
 * the commands check it, and written as the commands write it.
 */
import { UserError } from "../contract/errors.js";
import type { ReportInputs } from "../report/output-format.js";
import { OUTPUTS } from "../report/outputs.js";
import { SUITES } from "../../bench/index.js";
import { writeOutput } from "../util/files.js";

/** The names of the outputs, as the commands' flags without "--": "markdown", "json", "csv", "html", "bmf", "gh-action". */
export function outputNames(): string[] {
  return OUTPUTS.map((f) => f.flag);
}

/**
 * The text of output `name` made from `inputs` (a run, a comparison, or
 * both, as the output needs; the rest may be left out, the suites whose
 * report hooks draw the HTML sections default to the registry's). A
 * UserError names an unknown output or what is missing.
 */
export function renderOutput(name: string, inputs: Partial<ReportInputs>): string {
  const format = OUTPUTS.find((f) => f.flag === name);
  if (!format) throw new UserError(`unknown output "${name}" (outputs: ${outputNames().join(", ")})`);
  const all: ReportInputs = { run: null, comparison: null, baseline: null, history: null, suites: SUITES, ...inputs };
  const missing =
    format.needs === "run" && !all.run
      ? "a run"
      : format.needs === "comparison" && !all.comparison
        ? "a comparison"
        : format.needs === "either" && !all.run && !all.comparison
          ? "a run or a comparison"
          : null;
  if (missing) throw new UserError(`output "${name}" needs ${missing}`);
  return format.render(all as Parameters<typeof format.render>[0]);
}

/**
 * Writes each output of `files` (name to path; "-" is standard output)
 * from the same inputs, atomically, as the commands do. Returns the paths
 * written; the first failure throws (a UserError naming the file).
 */
export function writeOutputs(files: Readonly<Record<string, string>>, inputs: Partial<ReportInputs>): string[] {
  const texts = Object.entries(files).map(([name, path]) => [name, path, renderOutput(name, inputs)] as const);
  return texts.map(([name, path, text]) => {
    writeOutput(path, text, `--${name}`);
    return path;
  });
}
