// The repeat step (docs/scenario-format.md, Loops): its schema, its bounds,
// its wire lines, and what it answers on both models and the live kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { ScenarioError } from "../src/contract/errors.js";
import { encodeScenario } from "../src/kernel/wire.js";
import { defaultProbePath } from "../src/kernel/paths.js";
import { kernelAvailability, runScenarioOnKernel } from "../src/kernel/probe.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/index.js";
import type { Scenario, Step, StepOf, StepResult } from "../src/contract/scenario.js";
import { withKernelLock } from "./kernel-lock.js";

const avail = kernelAvailability();
const parse = (steps: unknown[]) => parseScenario(JSON.stringify({ name: "loop", cpus: 2, steps }), "loop.json");
const submit = (count: number | "rest", data = 1): StepOf<"io_submit"> => ({ op: "io_submit", ctx: "A", count, cmd: "pwrite", data, nbytes: 1 });

/** The results on both models, which must agree. */
async function onModels(steps: unknown[]): Promise<StepResult[]> {
  const scenario = parse(steps);
  const model = await runScenario("loop.json", scenario, { backend: "model" });
  const wasm = await runScenario("loop.json", scenario, { backend: "wasm" });
  assert.deepEqual(wasm.results, model.results);
  return model.results;
}

/** The scenario error both models stop with: its step and field. */
interface Refusal {
  step: number | null;
  field: string | null;
  detail: string;
}

async function errorOnModels(steps: unknown[]): Promise<Refusal> {
  const scenario = parse(steps);
  const errors: Refusal[] = [];
  for (const backend of ["model", "wasm"] as const) {
    const e = await runScenario("loop.json", scenario, { backend }).then(
      () => null,
      (x: unknown) => x,
    );
    assert.ok(e instanceof ScenarioError, `${backend}: ${String(e)}`);
    errors.push({ step: e.step, field: e.field, detail: e.detail });
  }
  assert.deepEqual(errors[1], errors[0]);
  return errors[0];
}

test("a loop stops when until holds and says so: iterations, until_met, rets summed, the last iteration's results", async () => {
  const r = await onModels([
    { op: "io_setup", nr_events: 8, name: "A" },
    { op: "repeat", times: 10, until: { step: 0, errno: "EAGAIN" }, steps: [submit(40), { op: "ring", ctx: "A" }] },
    { op: "repeat", times: 3, steps: [{ op: "user_reap", ctx: "A", max: 50 }] },
  ]);
  // 126 request slots, taken 15 at a time by the per-CPU batches: three submits of 40, then none is left for a fourth.
  assert.deepEqual([r[1].iterations, r[1].until_met, r[1].ret_total, r[1].rest], [4, true, [120, null], undefined]);
  assert.deepEqual(
    r[1].last?.map((x) => [x.step, x.op, x.errno]),
    [
      [0, "io_submit", "EAGAIN"],
      [1, "ring", null],
    ],
  );
  assert.equal(r[1].last?.[1].tail, 120);
  // No until: all its times, each reaping what is there.
  assert.deepEqual([r[2].iterations, r[2].until_met, r[2].ret_total, r[2].last?.[0].ret], [3, false, [120], 20]);
});

test('blocks: count "rest" asks for what is left, and until rest 0 stops once all are in', async () => {
  const r = await onModels([
    { op: "io_setup", nr_events: 1, name: "A" },
    { op: "repeat", times: 10, blocks: 130, until: { rest: 0 }, steps: [submit("rest"), submit("rest", 1000), { op: "user_reap", ctx: "A", max: 1000 }] },
    { op: "repeat", times: 2, blocks: 5, steps: [submit("rest"), { op: "user_reap", ctx: "A", max: 10 }] },
  ]);
  // 126 request slots taken 15 at a time by the per-CPU batches: 120 first, the full ring refuses the second submit, then 10.
  assert.deepEqual([r[1].iterations, r[1].until_met, r[1].rest, r[1].ret_total], [2, true, 0, [130, 0, 130]]);
  assert.deepEqual(
    r[1].last?.map((x) => x.ret),
    [10, 0, 10],
  );
  // No until: it runs its times, the second iteration's submit asking for 0 blocks.
  assert.deepEqual([r[2].iterations, r[2].until_met, r[2].rest, r[2].last?.[0].ret], [2, false, 0, 0]);
});

test("until on an errno, default the body's last call; a name bound in the body holds its last successful binding", async () => {
  const r = await onModels([
    { op: "repeat", times: 100, until: { errno: "EAGAIN" }, steps: [{ op: "io_setup", nr_events: 16384, name: "B" }] },
    { op: "io_destroy", ctx: "B" },
    { op: "io_setup", nr_events: 16384 },
    { op: "io_setup", nr_events: 16384 },
  ]);
  assert.deepEqual([r[0].iterations, r[0].until_met, r[0].ret_total, r[0].last?.[0].errno], [5, true, [0], "EAGAIN"]);
  // B is the fourth context (the fifth call failed and bound nothing): destroying it frees room for one more.
  assert.deepEqual(
    r.slice(1).map((x) => x.errno),
    [null, null, "EAGAIN"],
  );
});

test("a scenario error in a body names the repeat step and steps.K.FIELD, and the iteration", async () => {
  const e = await errorOnModels([
    { op: "io_setup", nr_events: 8, name: "A" },
    { op: "repeat", times: 3, steps: [submit(1), { op: "io_getevents", ctx: "A", min_nr: 2, nr: 8, timeout_ns: null }] },
  ]);
  assert.deepEqual([e.step, e.field], [1, "steps.1.min_nr"]);
  assert.match(e.detail, /iteration 1\)$/);
  const unbound = await errorOnModels([{ op: "repeat", times: 2, steps: [{ op: "ring", ctx: "Q" }] }]);
  assert.deepEqual([unbound.step, unbound.field], [0, "steps.0.ctx"]);
});

test("the schema refuses loops it cannot run: nesting, fork, eventfd, rest without blocks, until out of the body", () => {
  const loop = (fields: Record<string, unknown>) => ({ op: "repeat", times: 2, steps: [submit(1)], ...fields });
  const bad: [unknown, string][] = [
    [loop({ times: 0 }), "times"],
    [loop({ times: 1_000_001 }), "times"],
    [loop({ steps: [] }), "steps"],
    [loop({ steps: Array(17).fill(submit(1)) }), "steps"],
    [loop({ steps: [loop({})] }), "steps.0.op"],
    [loop({ steps: [{ op: "eventfd", name: "E" }] }), "steps.0.op"],
    [loop({ steps: [{ op: "fork", call: { op: "ring", ctx: "A" } }] }), "steps.0.op"],
    [loop({ steps: [{ op: "nope" }] }), "steps.0.op"],
    [loop({ steps: [submit("rest")] }), "blocks"],
    [loop({ blocks: 4 }), "blocks"],
    [loop({ until: { rest: 0 } }), "until.rest"],
    [loop({ until: { step: 1, errno: null } }), "until.step"],
    [loop({ until: { errno: "EWHAT" } }), "until"],
    [loop({ steps: [{ op: "ring", ctx: "A" }], until: { ret: "==", value: 0 } }), "until.ret"],
    [loop({ steps: [{ op: "page", addr: "A" }], until: { errno: null } }), "until.errno"],
    [loop({ until: { ret: "=<", value: 0 } }), "until"],
    // A reaped event's res or res2: only of a reap (res2 of ring_events alone), each of a list's conditions named by its index.
    [loop({ until: { res: "!=", value: 256 } }), "until.res"],
    [loop({ steps: [{ op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: null }], until: { res2: "!=", value: 0 } }), "until.res2"],
    [
      loop({
        until: [
          { ret: "!=", value: 1 },
          { step: 0, res: "==", value: 0 },
        ],
      }),
      "until.1.res",
    ],
    [
      loop({
        until: [
          { ret: "!=", value: 1 },
          { step: 2, errno: null },
        ],
      }),
      "until.1.step",
    ],
    [loop({ until: [{ ret: "!=", value: 1 }, { rest: 0 }] }), "until.1.rest"],
    [loop({ until: [] }), "until"],
    [loop({ until: Array(5).fill({ ret: "!=", value: 1 }) }), "until"],
    [loop({ steps: [{ op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: null }], until: { event: -1, res: "==", value: 0 } }), "until.event"],
    [loop({ steps: [{ ...submit(1), bogus: 1 }] }), "steps.0.bogus"],
    [submit("rest"), "count"],
    [{ op: "fork", call: submit("rest") }, "call.count"],
  ];
  for (const [step, field] of bad)
    assert.throws(
      () => parse([{ op: "io_setup", nr_events: 8, name: "A" }, step]),
      (e: unknown) => e instanceof ScenarioError && e.step === 1 && e.field === field,
      JSON.stringify(step),
    );
});

test("the limits count a body its times over: calls, mapping calls, ring memory and timeouts", () => {
  const refused = (steps: unknown[], pattern: RegExp) =>
    assert.throws(
      () => parse(steps),
      (e: unknown) => e instanceof ScenarioError && pattern.test(e.detail),
    );
  refused(
    [
      { op: "repeat", times: 1_000_000, steps: [{ op: "raise" }, { op: "raise" }] },
      { op: "repeat", times: 1_000_000, steps: [{ op: "raise" }, { op: "raise" }, { op: "raise" }] },
    ],
    /more than 4100000 calls/,
  );
  refused([{ op: "repeat", times: 40_001, steps: [{ op: "mmap", pages: 1, name: "X" }] }], /vm\.max_map_count/);
  refused([{ op: "repeat", times: 300, steps: [{ op: "io_setup", nr_events: 65536 }] }], /of rings/);
  refused([{ op: "repeat", times: 61, steps: [{ op: "io_getevents", ctx: 0, min_nr: 0, nr: 1, timeout_ns: 1e9 }] }], /timeouts/);
  // Within them: only the last iteration's events are in the results.
  parse([{ op: "repeat", times: 1_000_000, steps: [{ op: "raise" }] }]);
  parse([{ op: "repeat", times: 40_000, steps: [{ op: "mmap", pages: 1, name: "X" }] }]);
  // libaio's 11.t: two loops of a million round trips, 4,000,002 calls with its ftruncate and io_setup.
  const roundTrips = { op: "repeat", times: 1_000_000, steps: [submit(1), { op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: null }] };
  parse([{ op: "ftruncate", size: 0 }, { op: "io_setup", nr_events: 1024, name: "A" }, roundTrips, roundTrips]);
});

test("a repeat on the wire: its line, then its body's", () => {
  const w = encodeScenario(
    "w.json",
    parse([
      { op: "io_setup", nr_events: 8, name: "A" },
      { op: "repeat", times: 7, blocks: 20, until: { rest: 0 }, steps: [submit("rest"), { op: "user_reap", ctx: "A", max: 4 }] },
      { op: "repeat", times: 2, until: { step: 0, errno: "EAGAIN" }, steps: [submit(1), { op: "ring", ctx: "A" }] },
      { op: "repeat", times: 3, until: { ret: "<=", value: -1 }, steps: [submit(1)] },
      { op: "repeat", times: 1, until: { errno: null }, steps: [submit(1)] },
      {
        op: "repeat",
        times: 4,
        until: [
          { step: 0, ret: "!=", value: 1 },
          { res: "!=", value: 256 },
          { event: 2, res2: ">", value: -5 },
        ],
        steps: [submit(1), { op: "ring_events", ctx: "A", slot: 0, count: 3 }],
      },
    ]) as Scenario,
  );
  assert.equal(
    w.text,
    [
      "io_setup 8 0 0",
      "repeat 7 20 2 rest",
      "io_submit N0+0+0 rest pwrite 1 ok ok - - 1 0 0 - -1 0 - 0",
      "user_reap N0+0+0 4",
      "repeat 2 - 2 0:errno:EAGAIN",
      "io_submit N0+0+0 1 pwrite 1 ok ok - - 1 0 0 - -1 0 - 0",
      "ring N0+0+0",
      "repeat 3 - 1 -1:ret:le:-1",
      "io_submit N0+0+0 1 pwrite 1 ok ok - - 1 0 0 - -1 0 - 0",
      "repeat 1 - 1 -1:errno:null",
      "io_submit N0+0+0 1 pwrite 1 ok ok - - 1 0 0 - -1 0 - 0",
      "repeat 4 - 2 0:ret:ne:1,-1:res:0:ne:256,-1:res2:2:gt:-5",
      "io_submit N0+0+0 1 pwrite 1 ok ok - - 1 0 0 - -1 0 - 0",
      "ring_events N0+0+0 0 3",
      "",
    ].join("\n"),
  );
});

test("the probe refuses a loop the encoder would never send", { skip: avail.available ? false : `kernel backend unavailable: ${avail.reason}` }, () => {
  const refused: [string, RegExp][] = [
    ["repeat 2 - 2 -\nraise\n", /body ends after 1 of 2 lines/],
    ["repeat 2 - 1 -\nrepeat 2 - 1 -\nraise\n", /calls only/],
    ["repeat 2 - 1 -\neventfd 0 0 0\n", /calls only/],
    ["repeat 0 - 1 -\nraise\n", /bad repeat/],
    ["repeat 2 - 17 -\nraise\n", /bad repeat/],
    ["repeat 2 - 1 1:errno:null\nraise\n", /until reads a call the body does not have/],
    ["repeat 2 - 1 0:ret:xx:1\nraise\n", /bad until/],
    ["repeat 2 5 1 -\nraise\n", /go together/],
    ["repeat 2 - 1 rest\nraise\n", /go together/],
    ["io_setup 8 0 0\nio_submit N0+0+0 rest pwrite 1 ok ok - - 1 0 0 - -1 0 - 0\n", /outside a repeat/],
    ["repeat 1000000 - 5 -\nraise\nraise\nraise\nraise\nraise\n", /more than 4100000 calls/],
    ["repeat 2 - 1 0:res:ne:1\nraise\n", /bad until/],
    ["repeat 2 - 1 0:res:-1:ne:1\nraise\n", /bad until/],
    ["repeat 2 - 1 0:res2:0:ne\nraise\n", /bad number|bad until/],
    ["repeat 2 - 1 0:ret:ne:1,1:res:0:eq:0\nraise\n", /until reads a call the body does not have/],
    ["repeat 2 - 1 0:ret:ne:1,0:ret:ne:1,0:ret:ne:1,0:ret:ne:1,0:ret:ne:1\nraise\n", /more than 4 until conditions/],
  ];
  for (const [wire, pattern] of refused) {
    const r = spawnSync(defaultProbePath(), ["scenario"], { input: wire, encoding: "utf8" });
    assert.equal(r.status, 1, wire);
    assert.match(JSON.parse(r.stdout).probe_error, pattern, wire);
  }
});

test("the live kernel runs a loop as the models do", { skip: avail.available ? false : `kernel backend unavailable: ${avail.reason}` }, () =>
  withKernelLock(async () => {
    const steps: Step[] = [
      { op: "io_setup", nr_events: 1, name: "A" },
      {
        op: "repeat",
        times: 10,
        blocks: 300,
        until: { rest: 0 },
        steps: [
          { ...submit("rest"), cmd: "pread" },
          { op: "io_getevents", ctx: "A", min_nr: 0, nr: 200, timeout_ns: null },
        ],
      },
      { op: "repeat", times: 4, until: { step: 0, ret: "!=", value: 1 }, steps: [submit(1), { op: "user_reap", ctx: "A", max: 5 }, { op: "ring", ctx: "A" }] },
      { op: "repeat", times: 2, steps: [{ op: "ring", ctx: "Q" }] },
    ];
    const scenario = { name: "loop", cpus: 2, steps } as Scenario;
    const kernel = await runScenarioOnKernel("loop.json", scenario).then(
      () => null,
      (e: unknown) => e,
    );
    // The unbound name stops both at the same step and field; what ran before agrees.
    assert.ok(kernel instanceof ScenarioError);
    assert.deepEqual([kernel.step, kernel.field], [3, "steps.0.ctx"]);
    const ran = { ...scenario, steps: steps.slice(0, 3) };
    const got = await runScenarioOnKernel("loop.json", ran);
    const model = await runScenario("loop.json", ran, {
      backend: "model",
      config: { cpus: got.cpus, aio_max_nr: got.aio_max_nr, aio_nr: got.aio_nr, zero_page: got.zero_page },
    });
    assert.deepEqual(got.results, model.results);
    assert.equal(got.results[1].until_met, true);
  }),
);

test(
  "until reads a reaped event's res and res2, any condition of a list stopping the loop, on the live kernel as on the models",
  { skip: avail.available ? false : `kernel backend unavailable: ${avail.reason}` },
  () =>
    withKernelLock(async () => {
      const reap = { op: "io_getevents", ctx: "A", min_nr: 0, nr: 2, timeout_ns: null } as const;
      const roundTrip = [{ ...submit(1), fd: "append", nbytes: 256 }, reap];
      const steps = [
        { op: "ftruncate", size: 0 },
        { op: "setrlimit_fsize", bytes: 1024 },
        { op: "io_setup", nr_events: 8, name: "A" },
        // 11.t's checks: the fifth append is past RLIMIT_FSIZE, its event's res -EFBIG (FINDINGS 45).
        {
          op: "repeat",
          times: 100,
          until: [
            { step: 0, ret: "!=", value: 1 },
            { step: 1, ret: "!=", value: 1 },
            { step: 1, res: "!=", value: 256 },
          ],
          steps: roundTrip,
        },
        // An event not reaped holds no res: event 1 of a one-event reap never stops the loop.
        { op: "repeat", times: 3, until: { step: 1, event: 1, res: "!=", value: 12345 }, steps: roundTrip },
        // Two blocks per round, the second event read: -EFBIG from the start.
        { op: "repeat", times: 3, until: { event: 1, res: "==", value: -27 }, steps: [{ ...submit(2), fd: "append", nbytes: 256 }, reap] },
        // res2 of events the scenario stored in the ring, read back by ring_events; a failed reap (no such context) holds none.
        { op: "store_event", ctx: "A", slot: 5, data: 9, res: 7, res2: -3 },
        { op: "repeat", times: 4, until: [{ event: 1, res2: "<", value: 0 }], steps: [{ op: "ring_events", ctx: "A", slot: 4, count: 2 }] },
        { op: "repeat", times: 2, until: { res: ">=", value: -100000 }, steps: [{ op: "io_getevents", ctx: 0, min_nr: 0, nr: 1, timeout_ns: null }] },
      ];
      const scenario = parse(steps) as Scenario;
      const got = await runScenarioOnKernel("loop.json", scenario);
      const config = { cpus: got.cpus, aio_max_nr: got.aio_max_nr, aio_nr: got.aio_nr, zero_page: got.zero_page };
      for (const backend of ["model", "wasm"] as const)
        assert.deepEqual(got.results, (await runScenario("loop.json", scenario, { backend, config })).results, backend);
      const loops = got.results.filter((r) => r.op === "repeat").map((r) => [r.iterations, r.until_met]);
      assert.deepEqual(loops, [
        [5, true],
        [3, false],
        [1, true],
        [1, true],
        [2, false],
      ]);
      assert.deepEqual(got.results[3].last?.[1].res, [-27]);
    }),
);
