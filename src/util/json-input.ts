/**
 * Reading JSON from input files: every input is hostile, so nesting is
 * bounded before parsing, a truncated file is told from a corrupt one, and a
 * schema failure becomes one line naming the file and the JSON path at fault.
 */
import type { z } from "zod";
import { UserError } from "../contract/errors.js";
import { depthProblem } from "./json-depth.js";

/** `results[3].stats.median` style path for messages. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out || "(top level)";
}

/** Turns a zod failure into one readable line naming the source and the path. */
export function describeIssues(sourceName: string, error: z.ZodError): string {
  const [first] = error.issues;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})` : "";
  return `${sourceName}: ${formatJsonPath(first.path)}: ${first.message}${more}`;
}

/**
 * Parses JSON text, naming the source on failure and telling a truncated
 * file from a corrupt one; input nested deeper than MAX_JSON_DEPTH is
 * refused before parsing.
 */
export function parseJsonText(text: string, sourceName: string): unknown {
  if (text.trim() === "") throw new UserError(`${sourceName}: file is empty`);
  const tooDeep = depthProblem(text);
  if (tooDeep) throw new UserError(`${sourceName}: ${tooDeep}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const detail = (e as Error).message;
    const kind = /end of (JSON )?input|Unterminated/i.test(detail) ? "truncated JSON" : "not valid JSON";
    throw new UserError(`${sourceName}: ${kind}: ${detail}`);
  }
}
