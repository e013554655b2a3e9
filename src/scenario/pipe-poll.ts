// Pipes and poll blocks (FINDINGS 53), checked over the whole scenario
// before any backend runs, so every backend (and the probe) refuses what the
// models do not follow the same way: a pipe's name is a descriptor, never an
// address or an eventfd; pipes, poll blocks and io_cancel of a submitted
// block live at the top level only (a child or a loop body would need the
// wake-ups of another process or of each iteration); a pipe holds at most
// PIPE_MAX_BYTES. What a pipe holds needs no model: a write takes all it is
// given and a read takes what is there, so it is known from the steps alone.
import { MAX_PIPES, MAX_POLL_BLOCKS, PIPE_MAX_BYTES } from "../../assembly/abi/poll.js";
import { ScenarioError } from "../contract/errors.js";
import { pipeEndOf, type CallStep, type Scenario, type Step } from "../contract/scenario.js";

/** The names a step uses as addresses or eventfds (a pipe's name may be neither). */
function otherNames(s: Step): string[] {
  const out: string[] = [];
  for (const field of ["ctx", "addr", "to", "at", "resfd"] as const) {
    const v = (s as Record<string, unknown>)[field];
    if (typeof v === "string") out.push(v.replace(/\+.*$/, ""));
  }
  if ((s.op === "io_setup" || s.op === "mmap" || s.op === "mremap" || s.op === "eventfd") && s.name !== undefined) out.push(s.name);
  if (s.op === "eventfd_read") out.push(s.fd);
  return out;
}

/** A step inside a step: a fork's call, a fork_calls step's calls, a repeat's body. */
function innerCalls(s: Step): { c: CallStep; prefix: string }[] {
  if (s.op === "fork") return [{ c: s.call as CallStep, prefix: "call." }];
  if (s.op === "fork_calls") return s.calls.map((c, k) => ({ c: c as CallStep, prefix: `calls.${k}.` }));
  if (s.op === "repeat") return s.steps.map((c, k) => ({ c, prefix: `steps.${k}.` }));
  return [];
}

export function checkPipesAndPolls(file: string, scenario: Scenario): void {
  const fail = (step: number, field: string | null, msg: string): never => {
    throw new ScenarioError(file, step, field, msg);
  };
  const pipeNames = new Set(scenario.steps.flatMap((s) => (s.op === "pipe" ? [s.name] : [])));
  const held = new Map<string, number>();
  let pollBlocks = 0;
  scenario.steps.forEach((s, i) => {
    for (const { c, prefix } of innerCalls(s)) {
      if (c.op === "io_submit" && c.cmd === "poll")
        fail(i, `${prefix}cmd`, "a poll block is submitted at the top level only: its wake-ups in a child or a loop are not modelled (FINDINGS 53)");
      if (c.op === "io_cancel" && c.submit !== undefined) fail(i, `${prefix}submit`, "io_cancel of a submitted block is a top-level step");
      for (const n of otherNames(c)) if (pipeNames.has(n)) fail(i, null, `"${n}" is a pipe step's name, not an address or an eventfd`);
    }
    for (const n of otherNames(s)) if (pipeNames.has(n)) fail(i, null, `"${n}" is a pipe step's name, not an address or an eventfd`);
    const bound = (name: string, field: string): void => {
      if (!held.has(name)) fail(i, field, `pipe "${name}" is not made by any earlier pipe step`);
    };
    switch (s.op) {
      case "pipe":
        if (held.has(s.name)) fail(i, "name", `pipe "${s.name}" is made already (a pipe's name is bound once)`);
        if (held.size === MAX_PIPES) fail(i, "op", `more than ${MAX_PIPES} pipe steps (the limit every backend shares)`);
        held.set(s.name, 0);
        break;
      case "pipe_write": {
        bound(s.pipe, "pipe");
        const now = held.get(s.pipe)! + s.bytes;
        if (now > PIPE_MAX_BYTES)
          fail(i, "bytes", `the pipe would hold ${now} bytes, more than the ${PIPE_MAX_BYTES} every backend follows (a pipe's page buffers are not modelled)`);
        held.set(s.pipe, now);
        break;
      }
      case "pipe_read":
        bound(s.pipe, "pipe");
        held.set(s.pipe, Math.max(0, held.get(s.pipe)! - s.bytes));
        break;
      case "io_submit": {
        const end = pipeEndOf(s.fd);
        if (end) bound(end.pipe, "fd");
        if (s.cmd !== "poll") break;
        if (s.resfd !== undefined) fail(i, "resfd", "a poll block takes no resfd: the probe signals its own eventfd to see when the block completes");
        if (s.count === "rest") break;
        pollBlocks += Math.max(0, s.count);
        if (pollBlocks > MAX_POLL_BLOCKS) fail(i, "count", `more than ${MAX_POLL_BLOCKS} poll blocks in the scenario (the limit every backend shares)`);
        break;
      }
      case "io_cancel": {
        if (s.submit === undefined) break;
        const target = s.submit < i ? scenario.steps[s.submit] : undefined;
        if (target?.op !== "io_submit") fail(i, "submit", `step ${s.submit} is no earlier io_submit step`);
        const count = (target as { count: number }).count;
        if ((s.block ?? 0) >= count) fail(i, "block", `io_submit step ${s.submit} has ${Math.max(0, count)} blocks`);
        break;
      }
    }
  });
}
