/**
 * The CI gate behind --fail-on-regression: fail when any benchmark regressed,
 * in time (the decision rule) or in an exact counter (WASM instructions,
 * slots visited: a rise of the counter threshold or more), and say which and
 * by how much. `on` narrows it to one kind: exact counters do not move with
 * the machine's load, so `exact` is the gate that holds on a shared runner.
 */
import { formatCounterChanges } from "../stats/counter-changes.js";
import { printable } from "../util/printable.js";
import { formatCi, formatPct } from "./format.js";
import { machineWarning, verdictCounts } from "./compare.js";
import type { Comparison } from "../contract/comparison.js";

/** The gate's verdict: whether it failed, and the line saying why. */
export interface GateResult {
  failed: boolean;
  summary: string;
}

/** What --fail-on-regression acts on (--gate). */
export const GATE_ON = ["all", "exact", "time"] as const;
/** One of GATE_ON. */
export type GateOn = (typeof GATE_ON)[number];

/** Options of gate: removed benchmarks allowed, and what it acts on. */
export interface GateOptions {
  /** Benchmarks of the old run missing from the new one do not fail the gate (they are still listed). */
  allowRemoved?: boolean;
  /** What the gate acts on: time verdicts, exact counters, or both (default). */
  on?: GateOn;
}

/**
 * Fails on a regression (in time, in exact counters, or both per `on`), on
 * benchmarks that disappeared (a renamed or dropped benchmark would
 * otherwise escape the gate silently) unless allowed, and on a comparison in
 * which nothing was measured on both sides (an empty run passes nothing).
 */
export function gate(cmp: Comparison, opts: GateOptions = {}): GateResult {
  const on = opts.on ?? "all";
  const slower = on === "exact" ? [] : cmp.entries.filter((e) => e.verdict === "regressed");
  // Stored runs with too few processes per side: their time verdicts are shown, not gated.
  const time = cmp.timeAdvisory ? [] : slower;
  const exact = on === "time" ? [] : cmp.entries.filter((e) => e.counterVerdict === "regressed");
  const removed = cmp.entries.filter((e) => e.verdict === "removed");
  const compared = cmp.entries.filter((e) => e.verdict === "regressed" || e.verdict === "improved" || e.verdict === "unchanged" || e.verdict === "too noisy");
  const threshold = formatPct(cmp.options.threshold).slice(1);
  const counterThreshold = formatPct(cmp.counterThreshold).slice(1);
  const lines: string[] = [];
  if (time.length) {
    lines.push(
      `FAIL: ${time.length} of ${cmp.entries.length} benchmarks regressed in time by ${threshold} or more:`,
      ...time.map((e) => `  ${e.id}: ${e.change === null ? "" : formatPct(e.change)} ${e.ci ? formatCi(e.ci) : ""}`.trimEnd()),
    );
  }
  if (cmp.timeAdvisory && slower.length) {
    lines.push(
      `advisory: ${slower.length} of ${cmp.entries.length} benchmarks look slower by ${threshold} or more (${cmp.timeAdvisory}):`,
      ...slower.map((e) => `  ${e.id}: ${e.change === null ? "" : formatPct(e.change)} ${e.ci ? formatCi(e.ci) : ""}`.trimEnd()),
    );
  }
  if (exact.length) {
    lines.push(
      `FAIL: ${exact.length} of ${cmp.entries.length} benchmarks regressed in exact counters by ${counterThreshold} or more:`,
      ...exact.map((e) => `  ${e.id}: ${formatCounterChanges(e.counterChanges.filter((c) => c.verdict === "regressed"))}`),
    );
  }
  if (removed.length) {
    lines.push(
      `${opts.allowRemoved ? "note" : "FAIL"}: ${removed.length} benchmark(s) of the old run are missing from the new one${opts.allowRemoved ? " (--allow-removed)" : " (--allow-removed accepts this)"}:`,
      ...removed.map((e) => `  ${e.id}`),
    );
  }
  if (compared.length === 0) lines.push(`FAIL: no benchmark was measured in both runs: nothing was compared`);
  const failed = time.length > 0 || exact.length > 0 || (removed.length > 0 && !opts.allowRemoved) || compared.length === 0;
  if (!failed) {
    const what =
      on === "exact"
        ? `in exact counters by ${counterThreshold}`
        : on === "time"
          ? `in time by ${threshold}`
          : `in time by ${threshold} or in exact counters by ${counterThreshold}`;
    lines.unshift(`OK: no benchmark regressed ${what} or more (${verdictCounts(cmp)})`);
  }
  const below = cmp.entries.filter((e) => e.counterChanges.some((c) => c.verdict !== "regressed"));
  if (below.length && on !== "time") {
    lines.push(
      `exact counters changed below the ${counterThreshold} threshold, improved or on one side only in ${below.length} benchmark(s) (not a gate failure):`,
      ...below.map((e) => `  ${e.id}: ${formatCounterChanges(e.counterChanges.filter((c) => c.verdict !== "regressed"))}`),
    );
  }
  const warning = machineWarning(cmp);
  if (warning) lines.push(warning);
  return { failed, summary: printable(lines.join("\n")) };
}
