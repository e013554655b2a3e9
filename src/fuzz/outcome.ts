// What one backend made of one program: the results of the steps it ran and,
// if a step could not run as written, that scenario error. Kernel and models
// are compared on this, step by step, field by field.
import { isDeepStrictEqual } from "node:util";
import { runOutcome, type Outcome } from "../scenario/outcome.js";
import type { StepResult } from "../contract/scenario.js";

export { runOutcome, type Outcome };

/** One difference: the first step where two outcomes part, and the first field there. */
export interface Difference {
  step: number;
  op: string;
  field: string;
  kernel: unknown;
  model: unknown;
}

/** Field order of a step result, so "the first field" is stable: the call's outcome before what follows from it. */
const FIELD_ORDER = ["ret", "errno", "data", "kind", "id", "nr", "head", "tail", "magic", "compat_features", "incompat_features", "header_length", "pages"];

/** The first field where two step results part; a fork_calls child's results are looked into ("results.K.FIELD"). */
function firstField(k: StepResult, m: StepResult): { field: string; kernel: unknown; model: unknown } | null {
  if (isDeepStrictEqual(k, m)) return null;
  const fields = [...new Set([...FIELD_ORDER, ...Object.keys(k), ...Object.keys(m)])];
  for (const f of fields) {
    const kv = (k as unknown as Record<string, unknown>)[f];
    const mv = (m as unknown as Record<string, unknown>)[f];
    if (isDeepStrictEqual(kv, mv)) continue;
    if (f === "results" && k.results && m.results && k.results.length === m.results.length)
      for (const [j, kr] of k.results.entries()) {
        const d = firstField(kr, m.results[j]);
        if (d) return { ...d, field: `results.${j}.${d.field}` };
      }
    return { field: f, kernel: kv, model: mv };
  }
  return null;
}

/** The first difference between the kernel's outcome and a model's, or null when they agree. */
export function firstDifference(kernel: Outcome, model: Outcome): Difference | null {
  const steps = Math.max(kernel.results.length, model.results.length);
  for (let i = 0; i < steps; i++) {
    const k = kernel.results[i];
    const m = model.results[i];
    if (k === undefined || m === undefined) {
      const errorOf = (o: Outcome) => (o.scenarioError?.step === i ? `scenario error on ${o.scenarioError.field ?? "the step"}` : "not run");
      return { step: i, op: (k ?? m)!.op, field: "scenario_error", kernel: k ? "ran" : errorOf(kernel), model: m ? "ran" : errorOf(model) };
    }
    const d = firstField(k, m);
    if (d) return { step: i, op: k.op, ...d };
  }
  const ke = kernel.scenarioError;
  const me = model.scenarioError;
  if (!isDeepStrictEqual(ke, me)) {
    const step = (ke ?? me)!.step;
    const describe = (e: Outcome["scenarioError"]) => (e === null ? "none" : `step ${e.step} field ${e.field ?? "-"}`);
    return { step, op: "scenario_error", field: "scenario_error", kernel: describe(ke), model: describe(me) };
  }
  return null;
}

/** A difference without its step number: what "disagrees the same way" means while shrinking. */
export function signature(d: Difference): string {
  return `${d.op}.${d.field}: kernel=${JSON.stringify(d.kernel)} model=${JSON.stringify(d.model)}`;
}

export function formatDifference(d: Difference, modelName = "model"): string {
  return `step ${d.step} ${d.op} ${d.field}: kernel=${JSON.stringify(d.kernel)} ${modelName}=${JSON.stringify(d.model)}`;
}
