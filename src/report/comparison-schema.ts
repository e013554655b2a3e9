/**
 * The comparison document `compare --json` and `ab --json` write (schema
 * "aio-ring-bench/comparison@1", docs/run-format.md), validated when read
 * back (`report AB.json`): every input file is hostile, so sizes, counts,
 * strings and numbers are bounded and a file that fails is refused with one
 * line naming it and the JSON path at fault.
 */
import { z } from "zod";
import { UserError } from "../contract/errors.js";
import { FINGERPRINT_FIELDS } from "../bench/machine.js";
import { counterValue, describeIssues, gitSchema, machineSchema, MAX_RESULTS, MAX_RUN_BYTES, MAX_TIME_NS, parseJsonText } from "../bench/run-schema.js";
import { readInput } from "../util/files.js";
import { COMPARISON_SCHEMA_ID, type Comparison } from "./compare.js";

/** A comparison file is at most as large as a run file. */
export const MAX_COMPARISON_BYTES = MAX_RUN_BYTES;
/** Per-round values kept per side of an ab entry (a 60 s budget gives a few hundred). */
export const MAX_AB_ROUNDS = 100_000;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const timeNs = finite.refine((x) => x >= 0 && x <= MAX_TIME_NS, `must be a time in ns between 0 and ${MAX_TIME_NS}`);
/** A relative change: a time can at most vanish (-1); growth is bounded by the time bound. */
const change = finite.refine((x) => x >= -1 && x <= MAX_TIME_NS, "must be a relative change of at least -1");
const fraction = finite.refine((x) => x > 0 && x < 1, "must be between 0 and 1");
const ratio = finite.refine((x) => x > 0 && x <= MAX_TIME_NS, "must be a positive ratio");
const text = (max: number) => z.string().max(max);

const summarySchema = z.object({
  source: text(1000),
  started: text(100),
  git: gitSchema.nullable(),
  toolVersion: text(200),
  machine: machineSchema,
});

const counterChangeSchema = z.object({
  name: text(200),
  old: counterValue.nullable(),
  new: counterValue.nullable(),
  change: finite.nullable(),
  verdict: z.enum(["regressed", "improved", "changed"]),
});

const entrySchema = z.object({
  id: z.string().min(1).max(500),
  verdict: z.enum(["improved", "regressed", "unchanged", "too noisy", "added", "removed", "unavailable", "not comparable"]),
  oldMedianNs: timeNs.nullable(),
  newMedianNs: timeNs.nullable(),
  oldN: z.number().int().nonnegative(),
  newN: z.number().int().nonnegative(),
  change: change.nullable(),
  ci: z.tuple([change, change]).nullable(),
  p: finite.refine((x) => x >= 0 && x <= 1, "must be a probability").nullable(),
  reason: text(2000),
  counterChanges: z.array(counterChangeSchema).max(1000),
  counterVerdict: z.enum(["regressed", "improved", "unchanged"]),
  samples: z.object({ old: z.array(timeNs).max(MAX_AB_ROUNDS), new: z.array(timeNs).max(MAX_AB_ROUNDS) }).optional(),
  cycleRatios: z.array(ratio).max(MAX_AB_ROUNDS).optional(),
  control: z.object({ change, ci: z.tuple([change, change]).nullable(), cycleRatios: z.array(ratio).max(MAX_AB_ROUNDS) }).optional(),
});

export const comparisonSchema = z.object({
  schema: z.literal(COMPARISON_SCHEMA_ID),
  kind: z.enum(["compare", "ab"]).optional(),
  ab: z
    .object({
      rounds: z.number().int().nonnegative(),
      elapsedMs: finite.refine((x) => x >= 0, "must not be negative"),
      budgetMs: finite.refine((x) => x >= 0, "must not be negative"),
      minCycles: z.number().int().positive(),
      undecided: z.number().int().nonnegative(),
      interrupted: z.boolean().optional(),
      alpha: fraction.optional(),
      controlDiffered: z.number().int().nonnegative().optional(),
    })
    .optional(),
  old: summarySchema,
  new: summarySchema,
  machineDifferences: z.array(z.object({ field: z.enum(FINGERPRINT_FIELDS), old: z.unknown(), new: z.unknown() })).max(FINGERPRINT_FIELDS.length),
  options: z.object({
    threshold: fraction,
    alpha: fraction,
    confidence: fraction,
    resamples: z.number().int().positive(),
    minSamples: z.number().int().positive(),
  }),
  counterThreshold: finite.refine((x) => x >= 0 && x < 1, "must be between 0 and 1"),
  entries: z.array(entrySchema).max(MAX_RESULTS),
  timeAdvisory: text(1000).optional(),
});

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
