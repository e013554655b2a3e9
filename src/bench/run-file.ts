/** Reading a run document (src/contract/run-document.ts) from text or a file, with errors that name the file and the JSON path at fault. */
import { UserError } from "../contract/errors.js";
import { MAX_RUN_BYTES, RUN_SCHEMA_ID, runSchema, type Run } from "../contract/run-document.js";
import { readInput } from "../util/files.js";
import { describeIssues, parseJsonText } from "../util/json-input.js";

/** Validates a run document; `sourceName` (usually the file path) prefixes every error. */
export function parseRun(text: string, sourceName: string): Run {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_RUN_BYTES) throw new UserError(`${sourceName}: ${bytes} bytes is larger than the ${MAX_RUN_BYTES}-byte limit for a run file`);
  const data = parseJsonText(text, sourceName);
  if (typeof data === "object" && data !== null && "schema" in data && data.schema !== RUN_SCHEMA_ID) {
    throw new UserError(`${sourceName}: schema is ${JSON.stringify(data.schema)}, expected "${RUN_SCHEMA_ID}"`);
  }
  const parsed = runSchema.safeParse(data);
  if (!parsed.success) throw new UserError(describeIssues(sourceName, parsed.error));
  return parsed.data;
}

/** Reads and validates a run file: a regular file only, bounded while reading. */
export function readRunFile(path: string): Run {
  return parseRun(readInput(path, MAX_RUN_BYTES, "run file"), path);
}
