/** Number formatting shared by the terminal table, Markdown and history reports. */
import { formatCi, formatP, formatPct } from "../util/format-change.js";

/** A time in nanoseconds with a readable unit: "812 ns", "12.3 µs", "4.56 ms", "1.20 s". */
export function formatNs(ns: number): string {
  const [value, unit] = ns < 1e3 ? [ns, "ns"] : ns < 1e6 ? [ns / 1e3, "µs"] : ns < 1e9 ? [ns / 1e6, "ms"] : [ns / 1e9, "s"];
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${unit}`;
}

export { formatCi, formatP, formatPct };

const SI = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
] as const;

/**
 * A plain number with an SI suffix and three significant digits:
 * 32970 -> "33.0k", 206500000 -> "207M", 8.468 -> "8.47", 1 -> "1.00",
 * 0.98 -> "0.980". Never e-notation.
 */
export function formatSi(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  for (const [scale, suffix] of SI) {
    if (abs >= scale * 0.9995) return `${fixedDigits(value / scale, digits)}${suffix}`;
  }
  if (abs < 10 ** -(digits + 1)) return value.toExponential(digits - 1);
  return fixedDigits(value, digits);
}

/** `value` with `digits` significant digits in fixed notation (12.3, 0.00512), at most 999.5 in. */
function fixedDigits(value: number, digits: number): string {
  const abs = Math.abs(value);
  const magnitude = abs === 0 ? 0 : Math.floor(Math.log10(abs));
  let decimals = Math.max(0, digits - 1 - magnitude);
  // 9.996 with 3 digits rounds to 10.0: one decimal fewer.
  if (Number(abs.toFixed(decimals)) >= 10 ** (magnitude + 1)) decimals = Math.max(0, decimals - 1);
  return value.toFixed(decimals);
}

/** A ratio of two times: "1.00x", "16.2x", "248x", "2.83kx". */
export function formatRatio(ratio: number): string {
  return `${formatSi(ratio)}x`;
}
