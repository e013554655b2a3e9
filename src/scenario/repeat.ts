// A repeat step (docs/scenario-format.md, `repeat`): its body run up to
// `times` times, stopping early when its `until` holds after an iteration.
// One result says what the loop did: the iterations, whether `until` held,
// the blocks left, each body call's rets summed, and the last iteration's
// results. The model backends share this loop; probe/loop.c is the kernel's.
import { ScenarioError } from "../contract/errors.js";
import type { CallStep, CompareOp, Errno, OpName, RepeatStep, StepResult, Until, UntilCondition } from "../contract/scenario.js";

/** Runs one body call: `k` its index in the body, `rest` the loop's blocks not yet submitted (null without blocks). */
export type BodyCall = (s: CallStep, k: number, rest: number | null) => StepResult;

/** Ops whose result has no ret: their ret_total is null. */
const NO_RET: ReadonlySet<OpName> = new Set<OpName>(["ring", "page"]);

/** What an `until` reads of one body call: its ret and errno, and the res and res2 of the events it reaped. */
export interface CallOutcome {
  ret?: number;
  errno?: Errno;
  res?: readonly number[];
  res2?: readonly number[];
}

const COMPARE: Record<CompareOp, (a: number, b: number) => boolean> = {
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** Whether `until` (any one of a list) holds after an iteration whose body calls gave `last`, with `rest` blocks left. */
export function untilHolds(until: Until, last: readonly CallOutcome[], rest: number | null): boolean {
  return Array.isArray(until) ? until.some((u) => conditionHolds(u, last, rest)) : conditionHolds(until, last, rest);
}

function conditionHolds(u: UntilCondition, last: readonly CallOutcome[], rest: number | null): boolean {
  if ("rest" in u) return rest === u.rest;
  const r = last[u.step ?? last.length - 1];
  if ("errno" in u) return (r.errno ?? null) === u.errno;
  if ("ret" in u) return r.ret !== undefined && COMPARE[u.ret](r.ret, u.value);
  // An event the call did not reap holds no res: the condition is false, as a ret's is on a call without one.
  const [values, cmp] = "res" in u ? [r.res, u.res] : [r.res2, u.res2];
  const v = values?.[u.event ?? 0];
  return v !== undefined && COMPARE[cmp](v, u.value);
}

/** The blocks a "rest" io_submit took: its ret when it succeeded, else none. */
export function restTaken(s: CallStep, r: CallOutcome): number {
  return s.op === "io_submit" && s.count === "rest" && (r.errno ?? null) === null && r.ret !== undefined ? r.ret : 0;
}

/** Runs repeat step `i` of `file`; a scenario error in its body names the body step ("steps.K.FIELD") and the iteration. */
export function runRepeat(s: RepeatStep, i: number, file: string, call: BodyCall): StepResult {
  let rest = s.blocks ?? null;
  const totals: (number | null)[] = s.steps.map((b) => (NO_RET.has(b.op) ? null : 0));
  let last: StepResult[] = [];
  let iterations = 0;
  let met = false;
  while (iterations < s.times && !met) {
    last = s.steps.map((b, k) => {
      let r: StepResult;
      try {
        r = { ...call(b, k, rest), step: k };
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        throw new ScenarioError(file, i, `steps.${k}${e.field === null ? "" : `.${e.field}`}`, `${e.detail} (iteration ${iterations + 1})`);
      }
      if (rest !== null) rest -= restTaken(b, r);
      const total = totals[k];
      if (total !== null && r.errno === null && r.ret !== undefined) totals[k] = total + r.ret;
      return r;
    });
    iterations++;
    met = s.until !== undefined && untilHolds(s.until, last, rest);
  }
  return { step: i, op: "repeat", iterations, until_met: met, ...(rest === null ? {} : { rest }), ret_total: totals, last };
}
