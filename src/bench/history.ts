/**
 * The history file: JSON lines, one compact record per run (per benchmark:
 * median with interval, counters; plus git commit, start time and machine
 * fingerprint), read back tolerantly so that one bad line never loses the
 * rest.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UserError } from "../contract/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { benchHome } from "./baseline.js";
import { medianSummary } from "./measure.js";
import { describeIssues, gitSchema, machineSchema, type Run } from "./run-schema.js";

export const HISTORY_SCHEMA_ID = "aio-ring-bench/history@1";
export const MAX_HISTORY_BYTES = 256 * 1024 * 1024;

const finite = z.number().refine(Number.isFinite, "must be a finite number");

const measuredSchema = z.object({
  /** Median, ns per operation. */
  median: finite,
  /** 95% interval of the median, ns per operation. */
  ci: z.tuple([finite, finite]),
  n: z.number().int().positive(),
  counters: z.record(z.string(), finite),
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
export type HistoryRecord = z.infer<typeof historyRecordSchema>;
export type HistoryMeasurement = z.infer<typeof measuredSchema>;

export function defaultHistoryFile(): string {
  return join(benchHome(), "history.jsonl");
}

export function historyRecord(run: Run): HistoryRecord {
  const results: HistoryRecord["results"] = {};
  for (const r of run.results) {
    if (r.status) {
      results[r.id] = { unavailable: r.status.unavailable };
      continue;
    }
    const m = medianSummary(r);
    results[r.id] = { median: m.median, ci: [m.lower, m.upper], n: m.n, counters: r.counters };
  }
  return { schema: HISTORY_SCHEMA_ID, started: run.started, git: run.git, tool: run.tool.version, machine: run.machine, results };
}

function readBounded(file: string): string {
  const size = statSync(file).size;
  if (size > MAX_HISTORY_BYTES) throw new UserError(`${file}: ${size} bytes is larger than the ${MAX_HISTORY_BYTES}-byte limit for a history file`);
  return readFileSync(file, "utf8");
}

/**
 * Appends `run` as one line. Done as read + write temp + rename
 * (writeFileAtomic) rather than an O_APPEND write: a crash or full disk
 * mid-write then leaves the old file intact instead of a torn last line,
 * and the cost (rewriting the file) is small next to a benchmark run. The
 * price is that two concurrent appends can lose one record, which is
 * acceptable because two benchmark runs at once would spoil each other's
 * timings anyway. Existing bytes, including any corrupt lines, are kept
 * as they are.
 */
export function appendHistory(file: string, run: Run): HistoryRecord {
  const record = historyRecord(run);
  const existing = existsSync(file) ? readBounded(file) : "";
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  writeFileAtomic(file, `${existing}${separator}${JSON.stringify(record)}\n`);
  return record;
}

export interface HistoryRead {
  records: HistoryRecord[];
  /** One per unusable line: "FILE:LINE: why". */
  warnings: string[];
}

/** Reads a history file; corrupt lines become warnings with their line number and are skipped. */
export function readHistory(file: string): HistoryRead {
  if (!existsSync(file)) throw new UserError(`${file}: history file does not exist`);
  const records: HistoryRecord[] = [];
  const warnings: string[] = [];
  readBounded(file)
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const where = `${file}:${i + 1}`;
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch (e) {
        warnings.push(`${where}: not valid JSON (${(e as Error).message}); line skipped`);
        return;
      }
      const parsed = historyRecordSchema.safeParse(data);
      if (parsed.success) records.push(parsed.data);
      else warnings.push(`${describeIssues(where, parsed.error)}; line skipped`);
    });
  return { records, warnings };
}
