/** Number formatting shared by the terminal table, Markdown and history reports. */
import { formatPct } from "../util/percent.js";

/** A time in nanoseconds with a readable unit: "812 ns", "12.3 µs", "4.56 ms", "1.20 s". */
export function formatNs(ns: number): string {
  const [value, unit] = ns < 1e3 ? [ns, "ns"] : ns < 1e6 ? [ns / 1e3, "µs"] : ns < 1e9 ? [ns / 1e6, "ms"] : [ns / 1e9, "s"];
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${unit}`;
}

export { formatPct };

export function formatCi(ci: readonly [number, number]): string {
  return `[${formatPct(ci[0])}, ${formatPct(ci[1])}]`;
}

export function formatP(p: number): string {
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}
