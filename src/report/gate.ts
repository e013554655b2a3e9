/**
 * The CI gate behind --fail-on-regression: fail when any benchmark regressed,
 * in time (the decision rule) or in an exact counter (WASM instructions,
 * slots visited: a rise of the counter threshold or more), and say which and
 * by how much. `on` narrows it to one kind: exact counters do not move with
 * the machine's load, so `exact` is the gate that holds on a shared runner.
 */
import { formatCounterChanges } from "../bench/counters.js";
import { formatCi, formatPct } from "./format.js";
import { machineWarning, verdictCounts, type Comparison } from "./compare.js";

export interface GateResult {
  failed: boolean;
  summary: string;
}

export type GateOn = "all" | "exact" | "time";

export function gate(cmp: Comparison, on: GateOn = "all"): GateResult {
  const time = on === "exact" ? [] : cmp.entries.filter((e) => e.verdict === "regressed");
  const exact = on === "time" ? [] : cmp.entries.filter((e) => e.counterVerdict === "regressed");
  const lines: string[] = [];
  if (time.length) {
    lines.push(`FAIL: ${time.length} of ${cmp.entries.length} benchmarks regressed in time by ${formatPct(cmp.options.threshold).slice(1)} or more:`,
      ...time.map((e) => `  ${e.id}: ${e.change === null ? "" : formatPct(e.change)} ${e.ci ? formatCi(e.ci) : ""}`.trimEnd()));
  }
  if (exact.length) {
    lines.push(`FAIL: ${exact.length} of ${cmp.entries.length} benchmarks regressed in exact counters by ${formatPct(cmp.counterThreshold).slice(1)} or more:`,
      ...exact.map((e) => `  ${e.id}: ${formatCounterChanges(e.counterChanges.filter((c) => c.verdict === "regressed"))}`));
  }
  if (!time.length && !exact.length) {
    const what = on === "exact" ? "in exact counters" : on === "time" ? "in time" : "in time or exact counters";
    lines.push(`OK: no benchmark regressed ${what} (${verdictCounts(cmp)})`);
  }
  const below = cmp.entries.filter((e) => e.counterChanges.some((c) => c.verdict !== "regressed"));
  if (below.length && on !== "time") {
    lines.push(`exact counters changed below the ${formatPct(cmp.counterThreshold).slice(1)} threshold, improved or on one side only in ${below.length} benchmark(s):`,
      ...below.map((e) => `  ${e.id}: ${formatCounterChanges(e.counterChanges.filter((c) => c.verdict !== "regressed"))}`));
  }
  const warning = machineWarning(cmp);
  if (warning) lines.push(warning);
  return { failed: time.length + exact.length > 0, summary: lines.join("\n") };
}
