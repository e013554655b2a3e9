// Ratios between result rows for suite headlines: the figures the targets speak of.
import { meets, targetConfidence, type Headline, type SuiteResult, type TargetOp } from "../src/contract/suite.js";
import { formatNs, formatRatio, formatSi } from "../src/report/format.js";
import { median } from "simple-statistics";
import { bootstrapPairedRatioOfMedians, bootstrapRatioOfMedians } from "../src/stats/bootstrap.js";
import { seedFromString } from "../src/util/prng.js";

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

/**
 * A target judged on an interval: met when the whole interval meets it,
 * missed when none of it does, undecided when it straddles the line.
 */
export function intervalHeadline(text: string, interval: [number, number], target: Target): Headline {
  const lo = meets(interval[0], target.op, target.bound),
    hi = meets(interval[1], target.op, target.bound);
  const base = { text, target: targetText(target), interval };
  return lo === hi ? { ...base, met: lo } : { ...base, met: null, undecided: true };
}

/** Rounds a result needs for the interval of a ratio. */
const MIN_ROUNDS = 6;

/**
 * "a / b: 3.20x [3.05x, 3.31x] (a vs b)" checked against a ratio target (the
 * interval: a bootstrap of the two results' per-round medians, drawn in
 * pairs when both were timed in the same interleaved rounds, at
 * targetConfidence of their looks), or why one side is missing.
 */
export function ratioLine(label: string, a: SuiteResult | undefined, b: SuiteResult | undefined, target: Target | null): Headline {
  const t = target ? { target: targetText({ unit: "x", ...target }), met: null } : {};
  if (!a || !b) return { text: `${label}: not run (filtered out)`, ...t };
  if (a.median === null || b.median === null) return { text: `${label}: not measured (${a.unavailable ?? b.unavailable})`, ...t };
  if (a.roundMedians.length < MIN_ROUNDS || b.roundMedians.length < MIN_ROUNDS) {
    const ratio = a.median / b.median;
    return headline(`${label}: ${formatRatio(ratio)} (${formatNs(a.median)} vs ${formatNs(b.median)})`, ratio, target && { unit: "x", ...target });
  }
  // The figure and its interval from one estimator: the medians of the per-round medians.
  const [ma, mb] = [median(a.roundMedians), median(b.roundMedians)];
  const ratio = ma / mb;
  // Rounds taken side by side are resampled as pairs: a spell that slowed both sides of a round moves both medians, not the ratio.
  const paired = a.byRound && b.byRound && a.roundMedians.length === b.roundMedians.length;
  const looks = Math.max(a.looks, b.looks);
  const iv = (paired ? bootstrapPairedRatioOfMedians : bootstrapRatioOfMedians)(b.roundMedians, a.roundMedians, {
    seed: seedFromString(label),
    resamples: 2000,
    confidence: targetConfidence(looks),
  });
  const interval: [number, number] = [iv.lower, iv.upper];
  const again = looks > 1 ? `; 2 looks, ${targetConfidence(looks) * 100}%` : "";
  const text = `${label}: ${formatRatio(ratio)} [${formatRatio(iv.lower)}, ${formatRatio(iv.upper)}] (${formatNs(ma)} vs ${formatNs(mb)}${again})`;
  const from = { cases: [a.id, b.id], ...(looks > 1 ? { looks } : {}) };
  return { ...(target ? intervalHeadline(text, interval, { unit: "x", ...target }) : { text, interval }), ...from };
}
