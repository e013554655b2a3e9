// Where two results documents disagree, step by step and field by field.
import { isDeepStrictEqual } from "node:util";
import type { ResultsDoc, StepResult } from "../contract/scenario.js";

export interface Disagreement {
  step: number;
  op: string;
  field: string;
  a: unknown;
  b: unknown;
}

/** Where two results documents of one scenario disagree, step by step and field by field. */
export function diffResults(a: ResultsDoc, b: ResultsDoc): Disagreement[] {
  const out: Disagreement[] = [];
  const steps = Math.max(a.results.length, b.results.length);
  for (let i = 0; i < steps; i++) {
    const ra: Partial<StepResult> = a.results[i] ?? {};
    const rb: Partial<StepResult> = b.results[i] ?? {};
    const fields = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const f of fields) {
      const va = (ra as Record<string, unknown>)[f];
      const vb = (rb as Record<string, unknown>)[f];
      if (!isDeepStrictEqual(va, vb)) out.push({ step: i, op: String(ra.op ?? rb.op), field: f, a: va, b: vb });
    }
  }
  return out;
}

/** Disagreements as text, one line each, the two sides named `aName` and `bName`. */
export function formatDisagreements(aName: string, bName: string, d: Disagreement[]): string {
  return d.map((x) => `  step ${x.step} (${x.op}) ${x.field}: ${aName}=${JSON.stringify(x.a)} ${bName}=${JSON.stringify(x.b)}`).join("\n");
}
