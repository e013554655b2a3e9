// Threads (thread_getevents, thread_join; FINDINGS 56, 57): what every backend
// refuses alike, and the refusals the parser makes before any runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ScenarioError } from "../src/contract/errors.js";
import type { Scenario, Step } from "../src/contract/scenario.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/index.js";
import { SECOND_WAITER } from "../src/scenario/threads.js";
import { kernelAvailability } from "../src/kernel/probe.js";
import { withKernelLock } from "./kernel-lock.js";

const avail = kernelAvailability();
const BACKENDS = ["model", "wasm", ...(avail.available ? ["kernel" as const] : [])] as const;

const setup: Step[] = [{ op: "io_setup", nr_events: 8, name: "A" }];

/** The ScenarioError `steps` give on `backend` (the kernel's under the lock other kernel tests take). */
async function refusal(backend: (typeof BACKENDS)[number], steps: Step[]): Promise<ScenarioError> {
  const scenario: Scenario = { name: "threads", cpus: 2, steps };
  const run = () => runScenario("threads.json", scenario, { backend });
  const err = await (backend === "kernel" ? withKernelLock(run) : run()).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ScenarioError, `${backend}: expected a scenario error, got ${String(err)}`);
  return err;
}

for (const backend of BACKENDS) {
  test(`${backend}: a second waiting thread on a context is refused at its step, field ctx`, async () => {
    const e = await refusal(backend, [
      ...setup,
      { op: "thread_getevents", name: "T", ctx: "A", nr: 1, timeout_ns: null },
      { op: "thread_getevents", name: "U", ctx: "A", min_nr: 1, nr: 2, timeout_ns: null },
    ]);
    assert.deepEqual([e.step, e.field], [2, "ctx"]);
    assert.equal(e.detail, SECOND_WAITER);
  });

  test(`${backend}: the context is the one a waiter holds, wherever its ring moved: refused at the new address, field ctx`, async () => {
    const e = await refusal(backend, [
      ...setup,
      { op: "io_setup", nr_events: 8, name: "B" },
      { op: "mmap", pages: 4, name: "M" },
      { op: "thread_getevents", name: "T", ctx: "A", nr: 1, timeout_ns: null },
      { op: "thread_getevents", name: "U", ctx: "B", nr: 1, timeout_ns: null },
      { op: "mremap", addr: "A", old_pages: 1, new_pages: 1, to: "M+2" },
      // The old address names no context now: this thread returns EINVAL at once.
      { op: "thread_getevents", name: "V", ctx: "A", nr: 1, timeout_ns: null },
      { op: "thread_getevents", name: "W", ctx: "M+2", nr: 1, timeout_ns: null },
    ]);
    assert.deepEqual([e.step, e.field], [7, "ctx"]);
    assert.equal(e.detail, SECOND_WAITER);
  });

  test(`${backend}: a join of a thread with no timeout that nothing woke is refused, field name`, async () => {
    const e = await refusal(backend, [
      ...setup,
      { op: "thread_getevents", name: "T", ctx: "A", nr: 2, timeout_ns: null },
      { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 1 },
      { op: "thread_join", name: "T" },
    ]);
    assert.deepEqual([e.step, e.field], [3, "name"]);
    assert.match(e.detail, /wait forever/);
  });

  test(`${backend}: once the first thread returned, a second may wait`, async () => {
    const scenario: Scenario = {
      name: "threads",
      cpus: 2,
      steps: [
        ...setup,
        { op: "thread_getevents", name: "T", ctx: "A", nr: 1, timeout_ns: null },
        { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 7 },
        { op: "thread_getevents", name: "U", ctx: "bogus", nr: 1, timeout_ns: null },
        { op: "thread_join", name: "U" },
        { op: "thread_join", name: "T" },
      ],
    };
    const run = () => runScenario("threads.json", scenario, { backend });
    const doc = await (backend === "kernel" ? withKernelLock(run) : run());
    assert.deepEqual(doc.results.slice(3), [
      { step: 3, op: "thread_getevents", blocked: 0 },
      { step: 4, op: "thread_join", ret: -1, errno: "EINVAL", data: [], res: [] },
      { step: 5, op: "thread_join", ret: 1, errno: null, data: [7], res: [512] },
    ]);
  });
}

/** The parser's refusal of `steps`: step and field. */
function parseRefusal(steps: unknown[]): [number | null, string | null, string] {
  try {
    parseScenario(JSON.stringify({ name: "threads", steps }), "threads.json");
  } catch (e) {
    assert.ok(e instanceof ScenarioError);
    return [e.step, e.field, e.detail];
  }
  assert.fail("parsed");
}

test("the parser refuses thread steps that cannot run as written, naming step and field", () => {
  const start = (name: string, extra: object = {}) => ({ op: "thread_getevents", name, ctx: "A", nr: 1, timeout_ns: null, ...extra });
  assert.deepEqual(parseRefusal([...setup, start("T", { timeout_ns: 0 })]).slice(0, 2), [1, "timeout_ns"]);
  assert.match(parseRefusal([...setup, start("T", { timeout_ns: 2e10 })])[2], /at most 10 s/);
  assert.deepEqual(parseRefusal([...setup, start("T", { nr: 65 })]).slice(0, 2), [1, "nr"]);
  assert.deepEqual(parseRefusal([...setup, start("T", { min_nr: 2 })]).slice(0, 2), [1, "min_nr"]);
  assert.deepEqual(parseRefusal([...setup, start("T", { min_nr: 0 })]).slice(0, 2), [1, "min_nr"]);
  assert.deepEqual(parseRefusal([...setup, { op: "thread_join", name: "T" }]).slice(0, 2), [1, "name"]);
  assert.deepEqual(parseRefusal([...setup, start("T"), start("T")]).slice(0, 2), [2, "name"]);
  const nine = Array.from({ length: 9 }, (_, k) => start(`T${k}`));
  assert.deepEqual(parseRefusal([...setup, ...nine]).slice(0, 2), [9, "op"]);
  assert.deepEqual(parseRefusal([...setup, { op: "repeat", times: 2, steps: [start("T")] }]).slice(0, 2), [1, "steps.0.op"]);
  assert.deepEqual(parseRefusal([...setup, { op: "fork_calls", calls: [start("T")] }])[0], 1);
});
