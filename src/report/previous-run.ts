/**
 * After `bench`, as criterion does: a few lines on how this run differs
 * from the previous one of the same machine and suites (the state folder's
 * last-run.json, read before this run replaces it). Advisory only: time
 * verdicts between stored single-process runs are not gated (compare.ts's
 * timeAdvisory says why), so the exit code never depends on them.
 */
import { fingerprintDifferences } from "../bench/machine.js";
import { readRunFile } from "../bench/run-file.js";
import type { ComparisonEntry } from "../contract/comparison.js";
import type { Run } from "../contract/run-document.js";
import { formatCounterChanges } from "../stats/counter-changes.js";
import { compareRuns, type CompareOptions } from "./compare.js";
import { formatPct } from "./format.js";

/** Benchmarks named per kind of change; the rest are counted. */
const NAMED = 3;

/** The run in `file`, or null when there is none or it cannot be read (then there is simply nothing to compare with). */
export function readPreviousRun(file: string): Run | null {
  try {
    return readRunFile(file);
  } catch {
    return null;
  }
}

/** Whether `previous` was made on this run's machine (same fingerprint), of the same suites, quick/full alike. */
export function comparableRuns(previous: Run, run: Run): boolean {
  const same = (key: string) => JSON.stringify(previous.config[key]) === JSON.stringify(run.config[key]);
  return fingerprintDifferences(previous.machine, run.machine).length === 0 && same("suites") && same("quick") && same("full");
}

function named(entries: readonly ComparisonEntry[], show: (e: ComparisonEntry) => string): string {
  const list = entries.slice(0, NAMED).map(show).join(", ");
  return entries.length > NAMED ? `${list} (+${entries.length - NAMED} more)` : list;
}

/**
 * The change summary, one line (the default run's output has to stay short):
 * counts, each kind of change naming at most NAMED of its benchmarks. Null
 * when no benchmark is in both runs.
 */
export function previousRunLine(previous: Run, run: Run, opts: Pick<CompareOptions, "threshold" | "counterThreshold"> = {}): string | null {
  const cmp = compareRuns(previous, run, { ...opts, oldSource: "previous run", newSource: "this run" });
  const both = cmp.entries.filter((e) => e.verdict !== "added" && e.verdict !== "removed");
  if (both.length === 0) return null;
  const of = (v: ComparisonEntry["verdict"]) => both.filter((e) => e.verdict === v);
  const change = (e: ComparisonEntry) => `${e.id} ${e.change === null ? "" : formatPct(e.change)}`.trim();
  const kinds: [string, ComparisonEntry[], ((e: ComparisonEntry) => string) | null][] = [
    ["slower", of("regressed"), change],
    ["faster", of("improved"), change],
    ["unchanged", of("unchanged"), null],
    ["too noisy", of("too noisy"), null],
    ["with exact counters changed", both.filter((e) => e.counterVerdict !== "unchanged"), (e) => `${e.id}: ${formatCounterChanges(e.counterChanges)}`],
  ];
  const counts = kinds
    .filter(([label, entries]) => entries.length > 0 || label === "slower" || label === "faster" || label === "unchanged")
    .map(([label, entries, show]) => `${entries.length} ${label}${show && entries.length ? ` (${named(entries, show)})` : ""}`);
  const when = previous.started.slice(0, 16).replace("T", " ");
  return `vs previous run (${when} UTC, same machine): ${counts.join(", ")}; advisory, exit code unaffected (--no-compare-previous: off)`;
}
