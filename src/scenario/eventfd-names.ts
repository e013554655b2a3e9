// Eventfd names and address names live apart: a name an eventfd step binds
// is a descriptor, never an address, and io_submit's resfd and
// eventfd_read's fd name eventfds only. Checked over the whole scenario
// before any backend runs, so every backend (and the probe, which keeps one
// table of names) refuses a mix-up the same way.
import { MAX_EVENTFDS } from "../../assembly/abi/limits.js";
import { ScenarioError } from "../contract/errors.js";
import type { Scenario, Step } from "../contract/scenario.js";

/** The names a step uses or binds as addresses. */
function addressNames(s: Step): string[] {
  const out: string[] = [];
  for (const field of ["name", "ctx", "addr", "to", "at"] as const) {
    const v = (s as Record<string, unknown>)[field];
    if (typeof v === "string" && v !== "bogus") out.push(v.replace(/\+.*$/, ""));
  }
  return out;
}

export function checkEventfdNames(file: string, scenario: Scenario): void {
  const eventfds = new Set<string>();
  let opened = 0;
  scenario.steps.forEach((s, i) => {
    if (s.op !== "eventfd") return;
    eventfds.add(s.name);
    if (++opened > MAX_EVENTFDS) throw new ScenarioError(file, i, "op", `more than ${MAX_EVENTFDS} eventfd steps (the limit every backend shares)`);
  });
  // A fork's call, each of a fork_calls step's calls and a repeat's body
  // steps, as steps of their own named within their step: "call.FIELD",
  // "calls.K.FIELD", "steps.K.FIELD".
  const calls = scenario.steps.flatMap((step, i): { s: Step; i: number; prefix: string }[] =>
    step.op === "fork"
      ? [{ s: step.call as Step, i, prefix: "call." }]
      : step.op === "fork_calls"
        ? step.calls.map((s, k) => ({ s: s as Step, i, prefix: `calls.${k}.` }))
        : step.op === "repeat"
          ? step.steps.map((s, k) => ({ s, i, prefix: `steps.${k}.` }))
          : [{ s: step, i, prefix: "" }],
  );
  calls.forEach(({ s, i, prefix }) => {
    if (s.op === "eventfd" || s.op === "repeat") return;
    for (const n of addressNames(s)) if (eventfds.has(n)) throw new ScenarioError(file, i, null, `"${n}" is an eventfd step's name, not an address`);
    const efd = s.op === "eventfd_read" ? { field: "fd", v: s.fd } : s.op === "io_submit" ? { field: "resfd", v: s.resfd } : null;
    if (!efd || efd.v === undefined || efd.v === "bad" || efd.v === "file") return;
    if (!eventfds.has(efd.v)) throw new ScenarioError(file, i, prefix + efd.field, `"${efd.v}" is no eventfd step's name`);
  });
}
