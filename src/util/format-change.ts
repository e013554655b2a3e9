/**
 * How a measured change reads everywhere (verdict reasons, tables, reports):
 * the relative change as a signed percentage, its interval, and the p-value
 * of the test behind it.
 */

/** A relative change as a signed percentage: 0.1234 -> "+12.3%". */
export function formatPct(fraction: number): string {
  return `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)}%`;
}

/** An interval of relative changes: "[-1.2%, +3.4%]". */
export function formatCi(ci: readonly [number, number]): string {
  return `[${formatPct(ci[0])}, ${formatPct(ci[1])}]`;
}

/** A p-value with three decimals, "<0.001" below that. */
export function formatP(p: number): string {
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}
