// Hostile scenarios (issue 13): the shared scenario limits, refused alike on
// every backend, and the probe dying with the CLI on a signal. Cases that
// need the kernel backend skip with why.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLI, dir, home, PROBE } from "./helpers/hostile.js";

const { ScenarioError } = await import("../src/contract/errors.js");
const { runScenario } = await import("../src/scenario/index.js");
const { MAX_NAMES } = await import("../src/scenario/limits.js");
const { kernelAvailability } = await import("../src/kernel/probe.js");
type Scenario = import("../src/contract/scenario.js").Scenario;

describe("scenario limits, the same on every backend", () => {
  const rings: Scenario = {
    name: "huge",
    cpus: 1,
    aio_max_nr: 2 ** 32 - 1,
    steps: Array.from({ length: 17 }, (_, i) => ({ op: "io_setup" as const, nr_events: 4_000_000, name: `A${i}` })),
  };
  const bigResult: Scenario = {
    name: "big-result",
    steps: [
      { op: "io_setup", nr_events: 16384, name: "C" },
      ...Array.from({ length: 1300 }, (_, i) => [
        { op: "io_submit" as const, ctx: "C", count: 16000, cmd: "pread" as const, data: i * 16000 },
        { op: "io_getevents" as const, ctx: "C", min_nr: 0, nr: 16000, timeout_ns: 0 },
      ]).flat(),
    ],
  };
  const names: Scenario = { name: "names", steps: Array.from({ length: MAX_NAMES + 1 }, (_, i) => ({ op: "mmap" as const, pages: 1, name: `M${i}` })) };
  // nr_events of 2^31 and more: the unsigned doubling wraps to a ring as large as any.
  const wrapped: Scenario = { ...rings, steps: rings.steps.map((s) => ({ ...s, nr_events: 2 ** 31 + 4_000_000 })) };
  // The live kernel really waits a timeout out (2^53-1 ns is 104 days); the models answer at once.
  const waits: Scenario = {
    name: "waits",
    steps: [
      { op: "io_setup", nr_events: 1, name: "W" },
      { op: "io_getevents", ctx: "W", min_nr: 1, nr: 1, timeout_ns: 40e9 },
      { op: "io_getevents", ctx: "W", min_nr: 1, nr: 1, timeout_ns: 2 ** 53 - 1 },
    ],
  };
  // Appended blocks are new data the live kernel stores: 1,025 blocks of 64 KiB pass 64 MiB; a read-write fd rewrites one range, so it has no such bound.
  const appends: Scenario = {
    name: "appends",
    steps: [
      { op: "io_setup", nr_events: 2048, name: "F" },
      { op: "io_submit", ctx: "F", count: 1024, cmd: "pwrite", data: 0, nbytes: 65536 },
      { op: "io_submit", ctx: "F", count: 1024, cmd: "pwrite", data: 0, nbytes: 65536, fd: "append" },
      { op: "io_submit", ctx: "F", count: 1, cmd: "pread", data: 0, nbytes: 65536, fd: "append" },
      { op: "io_submit", ctx: "F", count: 1, cmd: "pwrite", data: 0, nbytes: 65536, fd: "append" },
    ],
  };
  // Every eventfd step opens a descriptor the probe keeps; and an eventfd's name is no address, nor an address's name an eventfd.
  const eventfds: Scenario = { name: "eventfds", steps: Array.from({ length: 65 }, () => ({ op: "eventfd" as const, name: "E" })) };
  const eventfdAsAddress: Scenario = {
    name: "eventfd-as-address",
    steps: [
      { op: "eventfd", name: "E" },
      { op: "io_submit", ctx: "E", count: 1, cmd: "pread", data: 0 },
    ],
  };
  const addressAsEventfd: Scenario = {
    name: "address-as-eventfd",
    steps: [
      { op: "io_setup", nr_events: 1, name: "A" },
      { op: "fork", call: { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, resfd: "A" } },
    ],
  };
  // A fork_calls child's calls are steps of their own: the step limit counts them, and their fields are named calls.K.FIELD.
  const childCalls: Scenario = {
    name: "child-calls",
    steps: Array.from({ length: 157 }, () => ({ op: "fork_calls" as const, calls: Array.from({ length: 64 }, () => ({ op: "ring" as const, ctx: "bogus" })) })),
  };
  const childEventfd: Scenario = {
    name: "child-eventfd",
    steps: [
      { op: "io_setup", nr_events: 1, name: "A" },
      {
        op: "fork_calls",
        calls: [
          { op: "ring", ctx: "A" },
          { op: "eventfd_read", fd: "A" },
        ],
      },
    ],
  };
  // Vectored appends count their segments' sum; every array's segments sit in one pool of the probe's (2^19), the fork's child's too.
  const segments: Scenario = {
    name: "segments",
    steps: [
      { op: "io_setup", nr_events: 2048, name: "V" },
      { op: "io_submit", ctx: "V", count: 1, cmd: "pwritev", data: 0, iov: Array<number>(1024).fill(65536), fd: "append" },
      { op: "io_submit", ctx: "V", count: 1, cmd: "pwritev", data: 0, iov: [1], fd: "append" },
    ],
  };
  // Reads and writes count at count x nbytes, a repeat's body its times over: the live kernel copies every byte.
  const moved: Scenario = {
    name: "moved",
    steps: [
      { op: "io_setup", nr_events: 64, name: "M" },
      { op: "io_submit", ctx: "M", count: 8192, cmd: "pread", data: 0, nbytes: 2 ** 20 },
      { op: "repeat", times: 1025, steps: [{ op: "io_submit", ctx: "M", count: 8, cmd: "pwrite", data: 0, nbytes: 2 ** 20 }] },
    ],
  };
  const pool: Scenario = {
    name: "pool",
    steps: [
      ...Array.from({ length: 256 }, () => ({
        op: "io_submit" as const,
        ctx: "bogus",
        count: 1,
        cmd: "preadv" as const,
        data: 0,
        iov: Array<number>(2048).fill(0),
      })),
      { op: "fork", call: { op: "io_submit", ctx: "bogus", count: 1, cmd: "preadv", data: 0, iov: [0] } },
    ],
  };
  const cases = [
    [eventfds, /step 64: field "op": more than 64 eventfd steps/],
    [eventfdAsAddress, /step 1: "E" is an eventfd step's name, not an address/],
    [addressAsEventfd, /step 1: field "call.resfd": "A" is no eventfd step's name/],
    [childCalls, /field "steps": more than 10000 steps, counting a repeat's body steps and each fork_calls step's calls/],
    [childEventfd, /step 1: field "calls.1.fd": "A" is no eventfd step's name/],
    [segments, /step 2: field "count": the append-mode writes so far may add up to 65 MiB/],
    [moved, /step 2: field "steps.0.count": the reads and writes so far may move up to 16392 MiB, more than the 16384 MiB a scenario may move/],
    [pool, /step 256: field "call.iov": the iovec arrays so far hold 524289 segments, more than the 524288 a scenario may hold/],
    [appends, /step 4: field "count": the append-mode writes so far may add up to 65 MiB to the test file, more than the 64 MiB a scenario may write/],
    [waits, /step 2: field "timeout_ns": the io_getevents timeouts so far add up to 9007239\.3 s, more than the 60 s a scenario may wait/],
    [wrapped, /step 4: field "nr_events"/],
    [rings, /step 4: field "nr_events": .* more than the 1024 MiB a scenario may model/],
    [bigResult, /field "steps": the results may carry up to 20800000 events/],
    [names, /step 256: field "name": more than 256 distinct names/],
  ] as const;

  for (const backend of ["wasm", "model", "kernel"] as const) {
    it(`${backend}: refused before running, one line`, async () => {
      for (const [scenario, re] of cases) {
        await assert.rejects(
          runScenario("s.json", scenario, { backend }),
          (e: unknown) => e instanceof ScenarioError && re.test(e.message) && !e.message.includes("\n"),
        );
      }
    });
  }

  it("the CLI: exit 2, one line, no stack trace", () => {
    const file = join(dir, "huge-rings.json");
    writeFileSync(file, JSON.stringify(rings));
    const r = spawnSync(process.execPath, [CLI, "scenario", file, "--backend", "wasm"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^aio-ring-bench: .*huge-rings\.json: step 4: field "nr_events": .*\n$/);
  });
});

describe("the probe dies with the CLI", () => {
  const avail = kernelAvailability();
  /** Pids of running build/probe processes whose first argument is `mode` (zombies are dead). */
  const probes = (mode?: string): number[] =>
    readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .flatMap((p) => {
        try {
          if (readlinkSync(`/proc/${p}/exe`) !== PROBE) return [];
          if (mode !== undefined && readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[1] !== mode) return [];
          return readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].startsWith("Z") ? [] : [Number(p)];
        } catch {
          return [];
        }
      });
  const until = async (cond: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (cond()) return true;
    return cond();
  };

  /**
   * Starts the CLI, waits until it runs the probe in `mode` (and the probe's
   * own scenario child, if any), sends `signal`, and expects none of them
   * running 1 s later.
   */
  async function killMidway(args: string[], mode: string, signal: NodeJS.Signals): Promise<void> {
    const before = new Set(probes());
    const cli = spawn(process.execPath, [CLI, ...args], { stdio: "ignore", env: { ...process.env, AIO_RING_BENCH_HOME: home } });
    const exited = new Promise((r) => cli.on("close", r));
    const mine = () => probes(mode).filter((p) => !before.has(p));
    const what = `${mode} ${signal}`;
    assert.ok(await until(() => mine().length > 0, 20_000), `${what}: the probe started`);
    await new Promise((r) => setTimeout(r, 300));
    const started = mine();
    assert.ok(started.length > 0, `${what}: the probe is still running before the signal`);
    cli.kill(signal);
    await exited;
    assert.ok(await until(() => started.every((p) => !probes().includes(p)), 1000), `${what}: probes ${started.join(", ")} still running 1 s after ${signal}`);
  }

  it("SIGINT or SIGKILL during a scenario blocked in the kernel", async (t) => {
    if (!avail.available) return t.skip(`kernel backend unavailable: ${avail.reason}`);
    const file = join(dir, "blocks.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "blocks",
        steps: [
          { op: "io_setup", nr_events: 1, name: "A" },
          { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: 30e9 },
        ],
      }),
    );
    await killMidway(["scenario", file, "--backend", "kernel"], "scenario", "SIGINT");
    await killMidway(["scenario", file, "--backend", "kernel"], "scenario", "SIGKILL");
  });

  it("SIGTERM during a kernel timing loop", async (t) => {
    if (!avail.available) return t.skip(`kernel backend unavailable: ${avail.reason}`);
    await killMidway(["bench", "--suite", "getevents", "--filter", "kernel-timeout-1ns", "--time", "30000"], "time", "SIGTERM");
  });
});
