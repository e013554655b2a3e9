/**
 * One line of the history file (schema "aio-ring-bench/history@1"): a run
 * in brief, per benchmark its median with interval and its counters, plus
 * git commit, start time and machine fingerprint. Its zod schema and the
 * types it defines; src/bench/history.ts writes and reads the file.
 */
import { z } from "zod";
import { counterValue, gitSchema, machineSchema, MAX_TIME_NS } from "./run-document.js";

export const HISTORY_SCHEMA_ID = "aio-ring-bench/history@1";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const time = finite.refine((x) => x >= 0 && x <= MAX_TIME_NS, `must be a time from 0 to ${MAX_TIME_NS} ns (one hour)`);

const measuredSchema = z.object({
  /** Median, ns per operation. */
  median: time,
  /** 95% interval of the median, ns per operation. */
  ci: z.tuple([time, time]),
  n: z.number().int().positive(),
  counters: z.record(z.string(), counterValue),
});
const unavailableSchema = z.object({ unavailable: z.string() });

export const historyRecordSchema = z.object({
  schema: z.literal(HISTORY_SCHEMA_ID),
  started: z.string(),
  git: gitSchema.nullable(),
  tool: z.string(),
  machine: machineSchema,
  results: z.record(z.string(), z.union([measuredSchema, unavailableSchema])),
});
/** One line of a history file: a run reduced to each benchmark's median with its interval and counters. */
export type HistoryRecord = z.infer<typeof historyRecordSchema>;
