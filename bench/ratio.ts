// Ratios between result rows for suite headlines: the figures the targets speak of.
import { meets, type Headline, type SuiteResult, type TargetOp } from "../src/bench/suite.js";
import { formatNs, formatRatio, formatSi } from "../src/report/format.js";

export function find(results: SuiteResult[], caseName: string, backend?: string, params: Record<string, string | number> = {}): SuiteResult | undefined {
  return results.find(
    (r) => r.case === caseName && (backend === undefined || r.backend === backend) && Object.entries(params).every(([k, v]) => r.params[k] === v),
  );
}

/** A target such as ">= 2.5x": `op bound`, shown with `unit` after the number. */
export interface Target {
  op: TargetOp;
  bound: number;
  unit?: string;
  /** Said after the target, e.g. "for O(1)". */
  note?: string;
}

export function targetText(t: Target): string {
  return `${t.op} ${t.bound >= 1000 ? formatSi(t.bound) : t.bound}${t.unit ?? ""}${t.note ? ` ${t.note}` : ""}`;
}

/** A figure checked against a target (no target: shown for scale). */
export function headline(text: string, value: number, target: Target | null): Headline {
  return target ? { text, target: targetText(target), met: meets(value, target.op, target.bound) } : { text };
}

/** "a / b: 3.20x (a vs b)" checked against a ratio target, or why one side is missing. */
export function ratioLine(label: string, a: SuiteResult | undefined, b: SuiteResult | undefined, target: Target | null): Headline {
  const t = target ? { target: targetText({ unit: "x", ...target }), met: null } : {};
  if (!a || !b) return { text: `${label}: not run (filtered out)`, ...t };
  if (a.median === null || b.median === null) return { text: `${label}: not measured (${a.unavailable ?? b.unavailable})`, ...t };
  const ratio = a.median / b.median;
  return headline(`${label}: ${formatRatio(ratio)} (${formatNs(a.median)} vs ${formatNs(b.median)})`, ratio, target && { unit: "x", ...target });
}
