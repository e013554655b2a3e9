/** A relative change as a signed percentage: 0.1234 -> "+12.3%". */
export function formatPct(fraction: number): string {
  return `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)}%`;
}
