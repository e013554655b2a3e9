/**
 * Reading a comparison document (src/contract/comparison.ts) back
 * (`report AB.json`): a file that fails its schema, or holds one benchmark
 * twice, is refused with one line naming it and the JSON path at fault.
 */
import { UserError } from "../contract/errors.js";
import { comparisonSchema, MAX_COMPARISON_BYTES, type Comparison } from "../contract/comparison.js";
import { describeIssues, parseJsonText } from "../util/json-input.js";
import { readInput } from "../util/files.js";

/** Validates a parsed comparison document; `sourceName` (the file) prefixes every error. */
export function validateComparison(data: unknown, sourceName: string): Comparison {
  const parsed = comparisonSchema.safeParse(data);
  if (!parsed.success) throw new UserError(describeIssues(sourceName, parsed.error));
  // Typed as the Comparison the tool writes: if the schema and the type drift apart, this stops compiling.
  const cmp: Comparison = parsed.data;
  const seen = new Set<string>();
  cmp.entries.forEach((e, i) => {
    if (seen.has(e.id)) throw new UserError(`${sourceName}: entries[${i}].id: duplicate benchmark id ${JSON.stringify(e.id)}`);
    seen.add(e.id);
    if (e.samples && e.samples.old.length > 0 !== e.samples.new.length > 0)
      throw new UserError(`${sourceName}: entries[${i}].samples: one side has values and the other none`);
  });
  return cmp;
}

/** Reads and validates a comparison file: a regular file only, bounded while reading. */
export function readComparisonFile(path: string): Comparison {
  return validateComparison(parseJsonText(readInput(path, MAX_COMPARISON_BYTES, "comparison file"), path), path);
}
