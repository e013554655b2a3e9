/** The CI gate behind --fail-on-regression: fail when any benchmark regressed, and say which and by how much. */
import { formatCounterChanges } from "../bench/counters.js";
import { formatCi, formatPct } from "./format.js";
import { machineWarning, verdictCounts, type Comparison } from "./compare.js";

export interface GateResult {
  failed: boolean;
  summary: string;
}

export function gate(cmp: Comparison): GateResult {
  const regressed = cmp.entries.filter((e) => e.verdict === "regressed");
  const counters = cmp.entries.filter((e) => e.counterChanges.length > 0);
  const lines = regressed.length
    ? [`FAIL: ${regressed.length} of ${cmp.entries.length} benchmarks regressed by ${formatPct(cmp.options.threshold).slice(1)} or more:`,
       ...regressed.map((e) => `  ${e.id}: ${e.change === null ? "" : formatPct(e.change)} ${e.ci ? formatCi(e.ci) : ""}`.trimEnd())]
    : [`OK: no benchmark regressed by ${formatPct(cmp.options.threshold).slice(1)} or more (${verdictCounts(cmp)})`];
  if (counters.length) {
    lines.push(`counters changed in ${counters.length} benchmark(s) (not a gate failure):`,
      ...counters.map((e) => `  ${e.id}: ${formatCounterChanges(e.counterChanges)}`));
  }
  const warning = machineWarning(cmp);
  if (warning) lines.push(warning);
  return { failed: regressed.length > 0, summary: lines.join("\n") };
}
