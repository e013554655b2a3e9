/**
 * Exact counters (WASM instructions, slots or nodes visited per operation)
 * are the same on every run of the same code at any load, so they need no
 * statistics: a change beyond a small threshold (default 1%) is a verdict,
 * which the gate acts on like a timing regression. Every counter is a cost:
 * larger is worse. Load-dependent values (ops/s, load average, efficiency)
 * are not counters; suites report them as measurements.
 */
import type { CounterChange } from "../contract/comparison.js";
import { formatPct } from "../util/format-change.js";

/** Relative change of an exact counter that counts as a regression or improvement. */
export const DEFAULT_COUNTER_THRESHOLD = 0.01;

function verdictOf(old: number | null, neu: number | null, threshold: number): Pick<CounterChange, "change" | "verdict"> {
  if (old === null || neu === null) return { change: null, verdict: "changed" };
  if (old === 0) return { change: null, verdict: neu > 0 ? "regressed" : "improved" };
  const change = neu / old - 1;
  return { change, verdict: change >= threshold ? "regressed" : change <= -threshold ? "improved" : "changed" };
}

/** Every counter whose value differs, including counters present on one side only. */
export function counterChanges(
  oldCounters: Record<string, number>,
  newCounters: Record<string, number>,
  threshold = DEFAULT_COUNTER_THRESHOLD,
): CounterChange[] {
  if (!(threshold > 0 && threshold < 1)) throw new RangeError(`counter threshold must be in (0, 1), got ${threshold}`);
  const names = [...new Set([...Object.keys(oldCounters), ...Object.keys(newCounters)])].sort();
  return names
    .map((name) => ({ name, old: oldCounters[name] ?? null, new: newCounters[name] ?? null }))
    .filter((c) => c.old !== c.new)
    .map((c) => ({ ...c, ...verdictOf(c.old, c.new, threshold) }));
}

/** The worst verdict among a benchmark's counter changes. */
export function countersVerdict(changes: readonly CounterChange[]): "regressed" | "improved" | "unchanged" {
  if (changes.some((c) => c.verdict === "regressed")) return "regressed";
  return changes.some((c) => c.verdict === "improved") ? "improved" : "unchanged";
}

const num = (x: number | null): string => (x === null ? "absent" : String(x));

export function formatCounterChanges(changes: readonly CounterChange[]): string {
  return changes
    .map(
      (c) =>
        `${c.name} ${num(c.old)} -> ${num(c.new)}${c.change === null ? "" : ` (${formatPct(c.change)}${c.verdict === "changed" ? "" : `, ${c.verdict}`})`}`,
    )
    .join(", ");
}
