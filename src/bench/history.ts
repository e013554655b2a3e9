/**
 * The history file: JSON lines, one compact record per run (per benchmark:
 * median with interval, counters; plus git commit, start time and machine
 * fingerprint), read back tolerantly so that one bad line never loses the
 * rest.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../contract/errors.js";
import { readInput, withFileLock, writeOutput } from "../util/files.js";
import { depthProblem } from "../util/json-depth.js";
import { benchHome } from "./baseline.js";
import { medianSummary } from "./measure.js";
import { HISTORY_SCHEMA_ID, historyRecordSchema, type HistoryRecord } from "../contract/history-record.js";
import type { Run } from "../contract/run-document.js";
import { describeIssues } from "../util/json-input.js";

export const MAX_HISTORY_BYTES = 256 * 1024 * 1024;

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
  return readInput(file, MAX_HISTORY_BYTES, "history file");
}

/**
 * Appends `run` as one line. Done as read + write temp + rename under a
 * lock file rather than an O_APPEND write: a crash or full disk mid-write
 * then leaves the old file intact instead of a torn last line, and the
 * lock makes concurrent appends wait for each other instead of losing a
 * record. Existing bytes, including any corrupt lines, are kept as they
 * are. A run without results is refused: as a record it would only hide
 * that nothing was measured.
 */
export function appendHistory(file: string, run: Run): HistoryRecord {
  if (file === "-") throw new UserError("a history file is read and rewritten: - (standard output) cannot be one");
  if (run.results.length === 0) throw new UserError(`${file}: not appended: the run has no results`);
  const record = historyRecord(run);
  withFileLock(file, () => {
    const existing = existsSync(file) ? readBounded(file) : "";
    refuseNonHistory(file, existing);
    const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
    writeOutput(file, `${existing}${separator}${JSON.stringify(record)}\n`);
  });
  return record;
}

/**
 * Refuses to append to a file that is no history: a run file
 * (`--history last-run.json`) or any one JSON document over several lines,
 * or text of which no line is JSON, would get a record glued to its end.
 * A history with foreign or torn lines is still one (read tolerantly).
 */
function refuseNonHistory(file: string, text: string): void {
  if (text.trim() === "" || parseHistory(file, text).records.length > 0) return;
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const json = (t: string): { ok: boolean; value?: unknown } => {
    try {
      return { ok: true, value: JSON.parse(t) };
    } catch {
      return { ok: false };
    }
  };
  const whole = lines.length > 1 ? json(text) : { ok: false };
  let what: string | null = null;
  if (whole.ok) {
    const schema = (whole.value as { schema?: unknown } | null)?.schema;
    what = typeof schema === "string" ? `a ${JSON.stringify(schema).slice(0, 60)} file` : "one JSON document, not JSON lines";
  } else if (!lines.some((l) => json(l).ok)) what = "not JSON lines";
  if (what) throw new UserError(`${file}: not appended: it is ${what}, not a history`);
}

/** Checks before a run that `file` can take a history line: absent, empty or a history. */
export function checkHistoryFile(file: string): void {
  if (existsSync(file)) refuseNonHistory(file, readBounded(file));
}

export interface HistoryRead {
  records: HistoryRecord[];
  /** One per unusable line: "FILE:LINE: why". */
  warnings: string[];
}

/** Reads a history file; corrupt lines become warnings with their line number and are skipped. */
export function readHistory(file: string): HistoryRead {
  return parseHistory(file, readBounded(file));
}

function parseHistory(file: string, text: string): HistoryRead {
  const records: HistoryRecord[] = [];
  const warnings: string[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${file}:${i + 1}`;
    const tooDeep = depthProblem(line);
    if (tooDeep) {
      warnings.push(`${where}: ${tooDeep}; line skipped`);
      return;
    }
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
