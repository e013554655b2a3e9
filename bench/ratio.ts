// Ratios between result rows for suite headlines: the figures the targets speak of.
import type { SuiteResult } from "../src/bench/suite.js";
import { formatNs } from "../src/report/format.js";

export function find(results: SuiteResult[], caseName: string, backend?: string, params: Record<string, string | number> = {}): SuiteResult | undefined {
  return results.find(
    (r) => r.case === caseName && (backend === undefined || r.backend === backend) && Object.entries(params).every(([k, v]) => r.params[k] === v),
  );
}

/** "a / b = 3.20x" or the reason one side was not measured. */
export function ratioLine(label: string, a: SuiteResult | undefined, b: SuiteResult | undefined, target: string): string {
  if (!a || !b) return `${label}: not run (filtered out)`;
  if (a.median === null || b.median === null) return `${label}: not measured (${a.unavailable ?? b.unavailable})`;
  return `${label}: ${(a.median / b.median).toFixed(2)}x (${formatNs(a.median)} vs ${formatNs(b.median)}; target ${target})`;
}


/** Per WASM strategy (uniform targets): fastest..slowest median across sizes, the spread, the fitted complexity. */
export function flatnessLines(suite: string, results: SuiteResult[]): string[] {
  const byStrategy = new Map<string, SuiteResult[]>();
  for (const r of results) {
    if (r.median === null || r.backend !== "wasm" || r.params.dist !== "uniform") continue;
    byStrategy.set(r.case, [...(byStrategy.get(r.case) ?? []), r]);
  }
  return [...byStrategy].map(([name, rs]) => {
    const medians = rs.map((r) => r.median!);
    const lo = Math.min(...medians);
    const hi = Math.max(...medians);
    return `${suite}: ${name}: ${formatNs(lo)}..${formatNs(hi)} per op over N=${rs[0].params.n}..${rs[rs.length - 1].params.n}, spread ${(hi / lo).toFixed(2)}x, fitted ${rs[0].complexity ?? "n/a (fewer than 3 sizes)"} by time, ${rs[0].counterComplexity ?? "n/a"} by work counted`;
  });
}
