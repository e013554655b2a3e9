/**
 * The run document a bench run writes (schema "aio-ring-bench/run@1",
 * docs/run-format.md): its zod schemas, the types they define and its
 * bounds. Reading one from a file is src/bench/run-file.ts.
 */
import { z } from "zod";
import { BIG_O } from "./big-o.js";

/** The `schema` of every run document this version writes. */
export const RUN_SCHEMA_ID = "aio-ring-bench/run@1";

/** Bounds that keep a hostile or runaway file from exhausting memory. */
export const MAX_RUN_BYTES = 64 * 1024 * 1024;
export const MAX_RESULTS = 100_000;
export const MAX_SAMPLES = 1_000_000;
/**
 * Largest time per operation a run may carry: one hour, in ns. Beyond it a
 * value is absurd for these benchmarks, and values near the double range
 * (1e308) overflow the ratio and interval arithmetic of compare.
 */
export const MAX_TIME_NS = 3.6e12;
/** Counters are compared exactly: beyond 2^53 a double no longer holds every integer. */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

/** Samples are per-operation times; these units convert to nanoseconds. */
export const TIME_UNITS = { "ns/op": 1, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9 } as const;
export type TimeUnit = keyof typeof TIME_UNITS;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const nonNegative = finite.refine((x) => x >= 0, "must not be negative");
/** A counter value: finite and within +-2^53. */
export const counterValue = finite.refine((x) => Math.abs(x) <= MAX_COUNTER, `must be within +-${MAX_COUNTER}`);

export const machineSchema = z.looseObject({
  node: z.string(),
  v8: z.string(),
  cpu: z.string(),
  cores: z.number().int().positive(),
  kernel: z.string(),
  arch: z.string(),
  platform: z.string().optional(),
  /** Total memory in bytes. */
  memory_bytes: z.number().int().nonnegative().optional(),
});
export type Machine = z.infer<typeof machineSchema>;

export const statsSchema = z.object({
  mean: nonNegative,
  median: nonNegative,
  p99: nonNegative,
  min: nonNegative,
  max: nonNegative,
  sd: nonNegative,
  rme: nonNegative,
  n: z.number().int().positive(),
});

/**
 * A fitted complexity: value ~ intercept + coefficient * f(N). big_o is
 * "inconclusive" when several curves fit about as well (`candidates`).
 * Runs written before the fit had an intercept carry no `intercept`.
 */
export const complexitySchema = z.object({
  big_o: z.enum([...BIG_O, "inconclusive"]),
  coefficient: finite,
  intercept: finite.optional(),
  /** RMS of the relative residuals (older runs: RMS normalised by the mean). */
  rms: nonNegative,
  candidates: z.array(z.enum(BIG_O)).max(BIG_O.length).optional(),
});
export type Complexity = z.infer<typeof complexitySchema>;

/** The fit of a deterministic counter against N: the work's curve, which caches do not bend. */
export const counterComplexitySchema = complexitySchema.extend({ counter: z.string().min(1) });
export type CounterComplexity = z.infer<typeof counterComplexitySchema>;

/** Bounds the rounds a timed result was measured in (the runner uses 16). */
export const MAX_ROUNDS = 1000;

export const resultSchema = z
  .looseObject({
    id: z.string().min(1).max(500),
    suite: z.string(),
    case: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    backend: z.string(),
    unit: z.enum(Object.keys(TIME_UNITS) as [TimeUnit, ...TimeUnit[]]),
    samples: z.array(nonNegative).max(MAX_SAMPLES),
    /** null exactly when the result is unavailable: an unmeasured benchmark never carries numbers. */
    stats: statsSchema.nullable(),
    /** Exact cost counters, e.g. slots_visited_per_op, wasm_instructions_per_op: the same at any load; gated at the counter threshold. */
    counters: z.record(z.string(), counterValue),
    /** Load-dependent values reported beside the timing (ops/s, load average, efficiency): never gated. */
    measurements: z.record(z.string(), finite).optional(),
    complexity: complexitySchema.nullable(),
    /** Rows of a suite with the same group are shown as ratios to the group's reference row. */
    group: z.string().nullable().optional(),
    reference: z.boolean().optional(),
    /** Operations timed together in one sample (the batch size), where the runner knows it. */
    ops_per_sample: z.number().positive().optional(),
    /** Fit of the first counter vs N, next to `complexity` (time vs N); absent when not fitted. */
    counter_complexity: counterComplexitySchema.optional(),
    /** 2 when the benchmark ran its rounds a second time because a target it stands behind was undecided after the first. */
    looks: z.literal(2).optional(),
    /** Samples per round, in order, for results timed in interleaved rounds; they add up to the samples. */
    round_sizes: z.array(z.number().int().positive()).min(1).max(MAX_ROUNDS).optional(),
    /** Rows timing native code: the compiler, its --version line (null: not installed) and the flags. */
    build: z.object({ compiler: z.string().min(1).max(100), version: z.string().max(300).nullable(), flags: z.array(z.string().max(100)).max(16) }).optional(),
    /** Present when the benchmark could not be measured here (e.g. no kernel AIO). */
    status: z.object({ unavailable: z.string().min(1) }).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.status) {
      if (r.samples.length > 0) ctx.addIssue({ code: "custom", path: ["samples"], message: "must be empty for an unavailable result" });
      if (r.stats !== null) ctx.addIssue({ code: "custom", path: ["stats"], message: "must be null for an unavailable result" });
      return;
    }
    if (r.round_sizes && r.round_sizes.reduce((a, b) => a + b, 0) !== r.samples.length) {
      ctx.addIssue({
        code: "custom",
        path: ["round_sizes"],
        message: `add up to ${r.round_sizes.reduce((a, b) => a + b, 0)} but there are ${r.samples.length} samples`,
      });
    }
    if (r.samples.length === 0) ctx.addIssue({ code: "custom", path: ["samples"], message: "is empty (mark the result with status.unavailable instead)" });
    const limit = MAX_TIME_NS / TIME_UNITS[r.unit];
    const over = r.samples.findIndex((x) => x > limit);
    if (over >= 0)
      ctx.addIssue({
        code: "custom",
        path: ["samples", over],
        message: `${r.samples[over]} ${r.unit} is beyond the ${limit} ${r.unit} (one hour per operation) a sample may be`,
      });
    if (r.stats !== null) {
      for (const key of ["mean", "median", "p99", "min", "max", "sd"] as const) {
        if (r.stats[key] > limit)
          ctx.addIssue({
            code: "custom",
            path: ["stats", key],
            message: `${r.stats[key]} ${r.unit} is beyond the ${limit} ${r.unit} (one hour per operation) a time may be`,
          });
      }
    }
    if (r.stats === null) ctx.addIssue({ code: "custom", path: ["stats"], message: "is null for a measured result" });
    else if (r.stats.n !== r.samples.length) {
      ctx.addIssue({ code: "custom", path: ["stats", "n"], message: `is ${r.stats.n} but there are ${r.samples.length} samples` });
    }
  });
/** One benchmark's result in a run document: identity, samples in ns per operation, their statistics, counters, or why it was not measured. */
export type RunResult = z.infer<typeof resultSchema>;

export const gitSchema = z.object({ commit: z.string().regex(/^[0-9a-f]{7,64}$/, "must be a hex commit id"), dirty: z.boolean() });
export type GitInfo = z.infer<typeof gitSchema>;

/** The run document's zod schema (docs/run-format.md); runJsonSchema is its JSON Schema. */
export const runSchema = z
  .looseObject({
    schema: z.literal(RUN_SCHEMA_ID),
    tool: z.object({ name: z.string(), version: z.string() }),
    /** null when the run was not made from a git checkout. */
    git: gitSchema.nullable(),
    started: z.iso.datetime({ offset: true }),
    machine: machineSchema,
    config: z.record(z.string(), z.unknown()),
    /** What the machine was doing and what built the run (src/bench/context.ts); shown by the reports. */
    context: z
      .looseObject({
        cpu_mhz: z.number().nullable().optional(),
        cpu_max_mhz: z.number().nullable().optional(),
        governor: z.string().nullable().optional(),
        caches: z.array(z.object({ level: z.number(), type: z.string(), size: z.string() })).optional(),
        load_avg_start: z.array(z.number()).optional(),
        load_avg_end: z.array(z.number()).nullable().optional(),
        wasm: z.unknown().optional(),
        toolchain: z.record(z.string(), z.string().nullable()).optional(),
        ci: z.unknown().optional(),
      })
      .optional(),
    results: z.array(resultSchema).max(MAX_RESULTS),
  })
  .superRefine((run, ctx) => {
    const seen = new Set<string>();
    run.results.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: "custom", path: ["results", i, "id"], message: `duplicate benchmark id "${r.id}"` });
      seen.add(r.id);
    });
  });
/** A run document: tool, git, machine, configuration and every benchmark's result (docs/run-format.md). */
export type Run = z.infer<typeof runSchema>;

/** The run document's JSON Schema (draft 2020-12), generated from the zod definitions above. */
export function runJsonSchema(): Record<string, unknown> {
  return {
    title: `aio-ring-bench run document (schema "${RUN_SCHEMA_ID}")`,
    ...z.toJSONSchema(runSchema, { io: "input", unrepresentable: "any" }),
  };
}

/** Samples of a result in nanoseconds per operation. */
export function samplesInNs(result: RunResult): number[] {
  const factor = TIME_UNITS[result.unit];
  return factor === 1 ? result.samples : result.samples.map((s) => s * factor);
}
