/**
 * The outputs a command was asked for (outputs.ts): refused up front when
 * the command lacks what one needs, planned for the path check every
 * command runs first, then each rendered from the same inputs and written
 * atomically.
 */
import { UserError } from "../contract/errors.js";
import { writeOutput } from "../util/files.js";
import type { PlannedOutput } from "../util/output-plan.js";
import type { OutputFormat, ReportInputs } from "./output-format.js";

export interface RequestedOutput {
  format: OutputFormat;
  path: string;
}

/** The requested files by flag name, for humanOutput (a file on stdout sends the tables to stderr). */
export function reportFlags(requested: readonly RequestedOutput[]): Record<string, string> {
  return Object.fromEntries(requested.map((r) => [r.format.flag, r.path]));
}

/** The requested files as outputs for checkOutputs (util/output-plan.ts), which each command runs before anything else. */
export function reportOutputs(requested: readonly RequestedOutput[]): PlannedOutput[] {
  return requested.map((r) => ({ name: `--${r.format.flag}`, path: r.path }));
}

/** How to give what an output needs, in the command's words; undefined: the command always has it. */
export interface Missing {
  run?: string;
  comparison?: string;
}

/** Refuses, before anything runs, an output whose run or comparison the command will not have. */
export function checkNeeds(requested: readonly RequestedOutput[], missing: Missing): void {
  for (const { format } of requested) {
    if (format.needs === "comparison" && missing.comparison !== undefined)
      throw new UserError(`--${format.flag} reports a comparison: it needs ${missing.comparison}`);
    if (format.needs === "run" && missing.run !== undefined) throw new UserError(`--${format.flag} writes a run: ${missing.run}`);
  }
}

/**
 * Renders and writes each requested file from the same inputs (the one
 * comparison the command made). Returns the paths written. With
 * `onFailure`, a file that cannot be written is passed to it and the others
 * are still written; without, the first failure throws.
 */
export function writeReports(requested: readonly RequestedOutput[], inputs: ReportInputs, onFailure?: (e: UserError) => void): string[] {
  const written: string[] = [];
  for (const { format, path } of requested) {
    try {
      writeOutput(path, format.render(inputs), `--${format.flag}`);
      written.push(path);
    } catch (e) {
      if (!(e instanceof UserError) || !onFailure) throw e;
      onFailure(e);
    }
  }
  return written;
}
