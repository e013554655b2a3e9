/**
 * The one check every command runs on its outputs before it reads, measures
 * or writes anything: each output path on its own (files.ts checkOutput:
 * its folder exists, it is a regular file or a new path, files can be made
 * there), then all of them together. Two outputs that land on the same file
 * (`--json F --history F`, a symlink to F) would overwrite each other, and
 * an output that lands on an input (`compare A B --json B`, `report RUN
 * --html RUN`) would destroy it: both are refused with one line naming
 * both and the file, so nothing is written.
 */
import { statSync } from "node:fs";
import { UserError } from "../contract/errors.js";
import { checkOutput, landingPath } from "./files.js";

export interface PlannedOutput {
  /** The flag ("--json"), or for a file the command writes by itself, a phrase naming it. */
  name: string;
  path: string;
  /** A file the command writes by itself (the state folder's last-run.json): not checked here, only compared. */
  implicit?: boolean;
  /** False for a file that is read back (a history), where "-" is a file name like any other. */
  stdoutOk?: boolean;
  /**
   * Replacing an input is its purpose: `--save-baseline main --compare
   * main` compares with the old baseline, then saves the new one; bench
   * `--compare` of the state folder's last-run.json is replaced by this run.
   */
  replacesInput?: boolean;
}

export interface PlannedInput {
  /** The flag ("--compare") or the operand ("OLD", "RUN"). */
  name: string;
  path: string;
}

function label(f: PlannedOutput | PlannedInput, input: boolean): string {
  if ("implicit" in f && f.implicit) return f.name;
  return input && !f.name.startsWith("--") ? `input ${f.name} (${f.path})` : `${f.name} ${f.path}`;
}

/**
 * Checks every output, then refuses two outputs landing on the same file and
 * an output landing on an input (compared by real path: links followed).
 * Standard streams ("-", /dev/stdout) are no files; humanOutput refuses two
 * outputs on stdout. An input that does not exist is left to its reader.
 */
export function checkOutputs(outputs: readonly PlannedOutput[], inputs: readonly PlannedInput[] = []): void {
  const landed: { out: PlannedOutput; at: string }[] = [];
  for (const out of outputs) {
    let at: string | null;
    if (out.implicit) at = landingPath(out.path);
    else {
      const target = checkOutput(out.path, out.name, out.stdoutOk ?? true);
      at = target === null ? null : landingPath(target.path);
    }
    if (at === null) continue;
    const twin = landed.find((l) => l.at === at);
    if (twin) throw new UserError(`${label(twin.out, false)} and ${label(out, false)} are the same file (${at}): give each output its own file`);
    landed.push({ out, at });
  }
  for (const input of inputs) {
    try {
      statSync(input.path);
    } catch {
      continue;
    }
    const at = landingPath(input.path);
    const hit = landed.find((l) => l.at === at && !l.out.replacesInput);
    if (hit) throw new UserError(`${label(hit.out, false)} and ${label(input, true)} are the same file (${at}): an output must not overwrite an input`);
  }
}
