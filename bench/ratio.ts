// Ratios between result rows for suite headlines: the figures the targets speak of.
import type { SuiteResult } from "../src/bench/suite.js";

export function find(results: SuiteResult[], caseName: string, backend?: string, params: Record<string, string | number> = {}): SuiteResult | undefined {
  return results.find(
    (r) => r.case === caseName && (backend === undefined || r.backend === backend) && Object.entries(params).every(([k, v]) => r.params[k] === v),
  );
}

/** "a / b = 3.20x" or the reason one side was not measured. */
export function ratioLine(label: string, a: SuiteResult | undefined, b: SuiteResult | undefined, target: string): string {
  if (!a || !b) return `${label}: not run (filtered out)`;
  if (a.median === null || b.median === null) return `${label}: not measured (${a.unavailable ?? b.unavailable})`;
  return `${label}: ${(a.median / b.median).toFixed(2)}x (${fmtNs(a.median)} vs ${fmtNs(b.median)}; target ${target})`;
}

export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(ns < 10 ? 2 : 1)} ns`;
}
