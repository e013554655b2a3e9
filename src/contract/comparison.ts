/**
 * The comparison document `compare --json` and `ab --json` write (schema
 * "aio-ring-bench/comparison@1", docs/run-format.md): its types, the parts
 * they are made of (verdicts, decision options, counter changes, machine
 * differences) and its zod schema, which validates one read back: every
 * input file is hostile, so sizes, counts, strings and numbers are bounded.
 * Reading one from a file is src/report/comparison-file.ts.
 */
import { z } from "zod";
import { counterValue, gitSchema, machineSchema, MAX_RESULTS, MAX_RUN_BYTES, MAX_TIME_NS, type GitInfo, type Machine } from "./run-document.js";

/** A time verdict of the one decision rule (src/stats/decision.ts). */
export type Verdict = "improved" | "regressed" | "unchanged" | "too noisy";

export interface DecisionOptions {
  /** Minimum relative change of the median that matters (0.05 = 5%). */
  threshold: number;
  /** Significance level of the Mann-Whitney U test. */
  alpha: number;
  /** Confidence level of the bootstrap interval of the change. */
  confidence: number;
  /** Bootstrap resamples. */
  resamples: number;
  /** Fewer values than this on either side: "too noisy" (too few samples). */
  minSamples: number;
}

export type CounterVerdict = "regressed" | "improved" | "changed";

export interface CounterChange {
  name: string;
  /** null: the counter is absent on that side. */
  old: number | null;
  new: number | null;
  /** new / old - 1; null when a side is absent or old is 0. */
  change: number | null;
  /** regressed / improved: beyond the threshold; changed: within it, or present on one side only. */
  verdict: CounterVerdict;
}

/** Fields of the fingerprint that make timings incomparable when they differ. */
export const FINGERPRINT_FIELDS = ["cpu", "cores", "arch", "platform", "kernel", "node", "v8", "memory_bytes"] as const;

export interface FingerprintDifference {
  field: (typeof FINGERPRINT_FIELDS)[number];
  old: unknown;
  new: unknown;
}

export const COMPARISON_SCHEMA_ID = "aio-ring-bench/comparison@1";

export type EntryVerdict = Verdict | "added" | "removed" | "unavailable" | "not comparable";

export interface ComparisonEntry {
  id: string;
  verdict: EntryVerdict;
  /** Median of the raw samples, ns per operation; null when that side has no measurement. */
  oldMedianNs: number | null;
  newMedianNs: number | null;
  oldN: number;
  newN: number;
  /** Ratio of medians of batch medians minus 1 (0.1 = 10% slower). */
  change: number | null;
  ci: [number, number] | null;
  p: number | null;
  reason: string;
  /** Counters that differ (exactly) between the runs. */
  counterChanges: CounterChange[];
  /** Verdict of the exact counters: regressed when any grew by the counter threshold or more. */
  counterVerdict: "regressed" | "improved" | "unchanged";
  /** ab only: each side's per-round values in ns per op, in order (each the median of its round's samples). */
  samples?: { old: number[]; new: number[] };
  /** ab only: the B/A ratio of each ABBA cycle, in order: the observations its verdict comes from. */
  cycleRatios?: number[];
  /** ab only: the control pair (a second copy of the base against the base), timed in the same rounds. */
  control?: { change: number; ci: [number, number] | null; cycleRatios: number[] };
}

/** How an `ab` comparison was run (absent from a comparison of stored runs). */
export interface AbRunInfo {
  /** Rounds timed (four per ABBA cycle). */
  rounds: number;
  elapsedMs: number;
  budgetMs: number;
  /** The fixed rounds per benchmark of `ab --runs` (the budget then unused); absent when the rounds ran until decided or out of budget. */
  runs?: number;
  /** ABBA cycles before a benchmark may be decided. */
  minCycles: number;
  /** Benchmarks still undecided when the run ended. */
  undecided: number;
  /** The run was stopped by Ctrl-C (or SIGTERM) before every benchmark decided. */
  interrupted?: boolean;
  /** The run's error level, divided equally among the benchmarks (Bonferroni). */
  alpha?: number;
  /** Benchmarks whose control pair differed: the machine was too noisy for them. */
  controlDiffered?: number;
}

export interface RunSummary {
  source: string;
  started: string;
  git: GitInfo | null;
  toolVersion: string;
  machine: Machine;
}

/** Two runs (or an ab's two builds) compared benchmark by benchmark: a verdict each, with change, interval and counter changes. */
export interface Comparison {
  schema: typeof COMPARISON_SCHEMA_ID;
  /** What made it: two stored runs (`compare`) or an interleaved A/B (`ab`); absent in files written before it was added. */
  kind?: "compare" | "ab";
  ab?: AbRunInfo;
  old: RunSummary;
  new: RunSummary;
  /** Empty when both runs were made on machines with the same fingerprint. */
  machineDifferences: FingerprintDifference[];
  options: DecisionOptions;
  /** Relative change of an exact counter that is a verdict (0.01 = 1%). */
  counterThreshold: number;
  /** Regressions first, then improvements, undecided, unavailable, removed, added, unchanged. */
  entries: ComparisonEntry[];
  /** Stored runs with too few processes per side: why their time verdicts are advisory (not gated). */
  timeAdvisory?: string;
}

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

/** The comparison document's zod schema (compare --json, ab --json). */
export const comparisonSchema = z.object({
  schema: z.literal(COMPARISON_SCHEMA_ID),
  kind: z.enum(["compare", "ab"]).optional(),
  ab: z
    .object({
      rounds: z.number().int().nonnegative(),
      elapsedMs: finite.refine((x) => x >= 0, "must not be negative"),
      budgetMs: finite.refine((x) => x >= 0, "must not be negative"),
      runs: z.number().int().positive().optional(),
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
