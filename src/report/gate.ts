/** The CI gate behind --fail-on-regression: fail when any benchmark regressed, and say which and by how much. */
import { formatCounterChanges } from "../bench/counters.js";
import { printable } from "../util/printable.js";
import { formatCi, formatPct } from "./format.js";
import { machineWarning, verdictCounts, type Comparison } from "./compare.js";

export interface GateResult {
  failed: boolean;
  summary: string;
}

export interface GateOptions {
  /** Benchmarks of the old run missing from the new one do not fail the gate (they are still listed). */
  allowRemoved?: boolean;
}

/**
 * Fails on a regression, on benchmarks that disappeared (a renamed or
 * dropped benchmark would otherwise escape the gate silently) unless
 * allowed, and on a comparison in which nothing was measured on both sides
 * (an empty run passes nothing).
 */
export function gate(cmp: Comparison, opts: GateOptions = {}): GateResult {
  const regressed = cmp.entries.filter((e) => e.verdict === "regressed");
  const removed = cmp.entries.filter((e) => e.verdict === "removed");
  const compared = cmp.entries.filter((e) => e.verdict === "regressed" || e.verdict === "improved" || e.verdict === "unchanged" || e.verdict === "too noisy");
  const counters = cmp.entries.filter((e) => e.counterChanges.length > 0);
  const threshold = formatPct(cmp.options.threshold).slice(1);
  const lines: string[] = [];
  if (regressed.length) {
    lines.push(`FAIL: ${regressed.length} of ${cmp.entries.length} benchmarks regressed by ${threshold} or more:`,
      ...regressed.map((e) => `  ${e.id}: ${e.change === null ? "" : formatPct(e.change)} ${e.ci ? formatCi(e.ci) : ""}`.trimEnd()));
  }
  if (removed.length) {
    lines.push(`${opts.allowRemoved ? "note" : "FAIL"}: ${removed.length} benchmark(s) of the old run are missing from the new one${opts.allowRemoved ? " (--allow-removed)" : " (--allow-removed accepts this)"}:`,
      ...removed.map((e) => `  ${e.id}`));
  }
  if (compared.length === 0) lines.push(`FAIL: no benchmark was measured in both runs: nothing was compared`);
  const failed = regressed.length > 0 || (removed.length > 0 && !opts.allowRemoved) || compared.length === 0;
  if (!failed) lines.unshift(`OK: no benchmark regressed by ${threshold} or more (${verdictCounts(cmp)})`);
  if (counters.length) {
    lines.push(`counters changed in ${counters.length} benchmark(s) (not a gate failure):`,
      ...counters.map((e) => `  ${e.id}: ${formatCounterChanges(e.counterChanges)}`));
  }
  const warning = machineWarning(cmp);
  if (warning) lines.push(warning);
  return { failed, summary: printable(lines.join("\n")) };
}
