// Scenarios the kernel backend must refuse rather than run: each gives a
// ScenarioError naming the step and field, and no results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ScenarioError } from "../src/contract/errors.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { spawnProbe } from "../src/kernel/exec.js";
import { machineLimitNote } from "../src/kernel/machine-state.js";
import { defaultProbePath } from "../src/kernel/paths.js";
import { encodeScenario } from "../src/kernel/wire.js";
import { parseScenario } from "../src/scenario/parse.js";
import { kernelAvailability, runScenarioOnKernel } from "../src/kernel/probe.js";
import type { ResultsDoc, Scenario, Step, StepResult } from "../src/contract/scenario.js";
import { REPO } from "./helpers.js";
import { withKernelLock } from "./kernel-lock.js";

const avail = kernelAvailability();
const skip = avail.available ? false : `kernel backend unavailable: ${avail.reason}`;

/** A probe in the background whose scenario holds `nr` events' worth of aio-nr for `ns`: another process on the machine. */
function holdContexts(nr: number, ns: number) {
  const holder = spawnProbe(defaultProbePath(), ["scenario"]);
  const holding: Scenario = {
    name: "holder",
    steps: [
      { op: "io_setup", nr_events: nr, name: "H" },
      { op: "io_getevents", ctx: "H", min_nr: 1, nr: 1, timeout_ns: ns },
    ],
  };
  holder.stdin.end(encodeScenario("holder", holding).text);
  return holder;
}

/**
 * Whether the holder's scenario process (the probe's child) has set up its
 * context: a ring mapping in its maps. aio-nr alone cannot tell, since other
 * tests' contexts come and go meanwhile.
 */
function holding(pid: number | undefined): boolean {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean);
    return children.some((c) => readFileSync(`/proc/${c}/maps`, "utf8").includes("[aio]"));
  } catch {
    return false;
  }
}

const aioNr = () => Number(readFileSync("/proc/sys/fs/aio-nr", "utf8"));
const run = (steps: Step[]) => runScenarioOnKernel("t.json", { name: "t", steps } as Scenario);

async function rejects(steps: Step[], step: number | null, field: string | null, pattern: RegExp): Promise<void> {
  await assert.rejects(run(steps), (e: unknown) => {
    assert.ok(e instanceof ScenarioError, `expected ScenarioError, got ${String(e)}`);
    assert.equal(e.step, step);
    assert.equal(e.field, field);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

test("io_getevents with no timeout and too few events is a scenario error", { skip }, async () => {
  await rejects(
    [
      { op: "io_setup", nr_events: 1, name: "A" },
      { op: "io_submit", ctx: "A", count: 2, cmd: "pread", data: 1 },
      { op: "io_getevents", ctx: "A", min_nr: 3, nr: 5, timeout_ns: null },
    ],
    2,
    "min_nr",
    /block forever: 2 event\(s\) ready, min_nr 3/,
  );
});

test("the same call with enough events runs", { skip }, async () => {
  const doc = await run([
    { op: "io_setup", nr_events: 1, name: "A" },
    { op: "io_submit", ctx: "A", count: 3, cmd: "pread", data: 1 },
    { op: "io_getevents", ctx: "A", min_nr: 3, nr: 5, timeout_ns: null },
  ]);
  assert.deepEqual(doc.results[2], { step: 2, op: "io_getevents", ret: 3, errno: null, data: [1, 2, 3], res: [512, 512, 512] });
});

test("a negative timeout with too few events blocks on the kernel: scenario error", { skip }, async () => {
  await rejects(
    [
      { op: "io_setup", nr_events: 1, name: "A" },
      { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: -1 },
    ],
    1,
    "min_nr",
    /negative timeout/,
  );
});

test("a context found through a non-header page is still checked for blocking", { skip }, async () => {
  // After moving only the last ring page, the context answers there (FINDINGS 4);
  // its first bytes are no header, so the check must ask the kernel, not the memory.
  await rejects(
    [
      { op: "mmap", pages: 16, name: "S" },
      { op: "mmap", pages: 8, name: "T" },
      { op: "io_setup", nr_events: 128, name: "A" },
      { op: "mremap", addr: "A", old_pages: 3, new_pages: 3, to: "S", name: "A" },
      { op: "mremap", addr: "S+2", old_pages: 1, new_pages: 1, to: "T+1" },
      { op: "io_getevents", ctx: "T+1", min_nr: 1, nr: 1, timeout_ns: null },
    ],
    5,
    "min_nr",
    /0 event\(s\) ready/,
  );
});

test("a name left unbound by a failed step is a scenario error naming it", { skip }, async () => {
  await rejects(
    [
      { op: "io_setup", nr_events: 0, name: "A" },
      { op: "ring", ctx: "A" },
    ],
    1,
    "ctx",
    /name "A" is not bound/,
  );
});

test("an unknown op is refused before the probe runs", async () => {
  await rejects([{ op: "no_such_op", ctx: "A" } as unknown as Step], 0, "op", /unknown op "no_such_op"/);
});

test("a step that unmaps the probe's own memory is reported at that step", { skip }, async () => {
  // Mappings are placed top-down, so the 4 GiB above a fresh mapping hold
  // the C library the probe is running: the munmap cannot return.
  await rejects(
    [
      { op: "mmap", pages: 1, name: "X" },
      { op: "munmap", addr: "X", pages: 1 << 20 },
      { op: "ring", ctx: "X" },
    ],
    1,
    null,
    /killed by SIGSEGV/,
  );
});

// aio-nr is the machine's: a scenario assuming another limit state (here a
// larger aio-max-nr) meets the kernel's EAGAIN, and the error says whose it is.
// B asks for more than this machine's aio-max-nr (but less than the scenario
// assumes): EAGAIN however many contexts other processes open or close meanwhile.
const fillsTheLimit = (): Step[] => [
  { op: "io_setup", nr_events: 1, name: "A" },
  { op: "io_setup", nr_events: Number(readFileSync("/proc/sys/fs/aio-max-nr", "utf8")) + 1, name: "B" },
  { op: "io_destroy", ctx: "B" },
];
const machineState =
  /io_setup failed with EAGAIN \(steps? [\d, ]*1\) while this machine's aio-nr was \d+ of aio-max-nr \d+.*, not the 0 of 1000000 the scenario assumes/;

test("an unbound name after an EAGAIN from the machine's limit state says it is the machine's state", { skip }, () =>
  withKernelLock(async () => {
    await assert.rejects(runScenarioOnKernel("t.json", { name: "t", aio_max_nr: 1_000_000, steps: fillsTheLimit() }), (e: unknown) => {
      assert.ok(e instanceof ScenarioError);
      assert.equal(e.step, 2);
      assert.match(e.message, /name "B" is not bound by any earlier successful step; /);
      assert.match(e.message, machineState);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    });
  }),
);

test("scenario --backend kernel: an EAGAIN under another limit state is noted on standard error, results unchanged", { skip }, () =>
  withKernelLock(async () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-limit-"));
    const file = join(dir, "limit.json");
    writeFileSync(file, JSON.stringify({ name: "limit", aio_max_nr: 1_000_000, steps: fillsTheLimit().slice(0, 2) }));
    const r = spawnSync(process.execPath, [fileURLToPath(new URL("dist/src/cli.js", REPO)), "scenario", file, "--backend", "kernel"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as ResultsDoc).results[1].errno, "EAGAIN");
    assert.match(r.stderr, /^aio-ring-bench: note: .*limit\.json: /);
    assert.match(r.stderr, machineState);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  }),
);

test("machineLimitNote: only when the state differs and an io_setup met EAGAIN", () => {
  const eagain: StepResult[] = [
    { step: 0, op: "io_setup", ret: 0, errno: null },
    { step: 3, op: "io_setup", ret: -1, errno: "EAGAIN" },
  ];
  const scenario = { name: "n", steps: [] } as Scenario;
  assert.equal(machineLimitNote(scenario, { aio_nr: 0, aio_max_nr: 65536 }, eagain), null);
  assert.equal(machineLimitNote(scenario, { aio_nr: 500, aio_max_nr: 65536 }, eagain.slice(0, 1)), null);
  assert.equal(machineLimitNote({ ...scenario, aio_nr: 500 }, { aio_nr: 500, aio_max_nr: 65536 }, eagain), null);
  const note = machineLimitNote(scenario, { aio_nr: 500, aio_max_nr: 65536 }, eagain);
  assert.match(note ?? "", /\(step 3\) while this machine's aio-nr was 500 of aio-max-nr 65536 \(other processes hold AIO contexts\), not the 0 of 65536/);
  assert.match(note ?? "", /state "aio_nr": 500 in the scenario/);
  // The state as assumed, but aio-nr moved under the run: said too, and nothing without an EAGAIN.
  const moved = machineLimitNote(scenario, { aio_nr: 0, aio_max_nr: 65536, aio_nr_moved: 2 }, eagain);
  assert.match(moved ?? "", /\(step 3\) and other processes set up or freed AIO contexts while it ran \(aio-nr moved during 2 of its steps\)/);
  assert.equal(machineLimitNote(scenario, { aio_nr: 0, aio_max_nr: 65536, aio_nr_moved: 2 }, eagain.slice(0, 1)), null);
});

test("a context another process sets up during a run: the answer counts the steps that saw aio-nr move", { skip }, () =>
  withKernelLock(async () => {
    const run: Scenario = {
      name: "waits",
      steps: [
        { op: "io_setup", nr_events: 1, name: "A" },
        { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: 5e9 },
        { op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: 0 },
      ],
    };
    const answer = runScenarioOnKernel("waits", run);
    let holder: ReturnType<typeof holdContexts> | undefined;
    try {
      // Well inside the run's 5 s wait, another process takes 1000 more.
      await sleep(1000);
      holder = holdContexts(1000, 20e9);
      const doc = await answer;
      assert.deepEqual(
        doc.results.map((r) => r.errno),
        [null, null, null],
      );
      assert.ok((doc.aio_nr_moved ?? 0) >= 1, `aio_nr_moved ${doc.aio_nr_moved} (holder holding: ${holding(holder.pid)}, aio-nr ${aioNr()})`);
    } finally {
      holder?.kill("SIGKILL");
    }
  }),
);

test("another process holding AIO contexts: the scenario error names the machine's state", { skip }, () =>
  withKernelLock(async () => {
    // A real second process: a probe whose scenario holds a context while it waits out a timeout.
    const holder = holdContexts(1000, 20e9);
    try {
      for (let i = 0; i < 400 && !holding(holder.pid); i++) await sleep(25);
      assert.ok(holding(holder.pid), `the holder set up no context (aio-nr ${aioNr()})`);
      const file = fileURLToPath(new URL("test/scenarios/limit-accounting-fill.json", REPO));
      await assert.rejects(runScenarioOnKernel(file, parseScenario(readFileSync(file, "utf8"), file)), (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.match(e.message, /name "[AB]" is not bound by any earlier successful step; io_setup failed with EAGAIN \(steps? [\d, ]+\)/);
        // Other tests may open or close contexts meanwhile: the figure named includes at least the holder's share.
        const named = /aio-nr was (\d+) of aio-max-nr \d+ \(other processes hold AIO contexts\), not the 0 of 65536/.exec(e.message);
        assert.ok(named !== null && Number(named[1]) >= 1000, e.message);
        assert.ok(!e.message.includes("\n"), "one line");
        return true;
      });
    } finally {
      holder.kill("SIGKILL");
    }
  }),
);
