// Guest kernels under QEMU: the initramfs image, bad kernel names, and (where
// QEMU runs and the 6.1 kernel is fetched: `aio-ring-bench kernels fetch
// 6.1`, as .ci/run does) a real guest: recorded answers, a guest killed under
// a program, a short seeded fuzz against its profile, the matrix view, and no
// QEMU left behind when the CLI is stopped.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { runKernelFuzz } from "../src/fuzz/kernel-fuzz.js";
import { parseAnswerLine } from "../src/kernel/answer.js";
import { Guest, GuestLane } from "../src/kernel/guest.js";
import { fetchedKernels, guestAvailability, initramfs, resolveKernel, staticProbePath } from "../src/kernel/guest-kernels.js";
import { cpioNewc, isStaticElf } from "../src/kernel/initramfs.js";
import { defaultProbePath } from "../src/kernel/paths.js";
import { readScenarioFile } from "../src/scenario/index.js";
import { openKernel } from "../src/scenario/kernels.js";
import { runMatrix } from "../src/scenario/matrix.js";
import { REPO } from "./helpers.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const scenarios = fileURLToPath(new URL("test/scenarios/", REPO));
const recorded = fileURLToPath(new URL("test/recorded/", REPO));

/** The entries of a newc archive: name, mode, device numbers, data. */
function readNewc(buf: Buffer): { name: string; mode: number; major: number; minor: number; size: number }[] {
  const out = [];
  let at = 0;
  for (;;) {
    assert.equal(buf.toString("latin1", at, at + 6), "070701", `magic at ${at}`);
    const field = (i: number) => Number.parseInt(buf.toString("latin1", at + 6 + i * 8, at + 14 + i * 8), 16);
    const [mode, size, major, minor, namesize] = [field(1), field(6), field(9), field(10), field(11)];
    const name = buf.toString("latin1", at + 110, at + 110 + namesize - 1);
    at += 110 + namesize;
    at += (4 - (at % 4)) % 4;
    at += size;
    at += (4 - (at % 4)) % 4;
    if (name === "TRAILER!!!") return out;
    out.push({ name, mode, major, minor, size });
  }
}

describe("guest initramfs", () => {
  it("is a newc archive with the device nodes init needs, padded as the kernel reads it", () => {
    const entries = readNewc(
      cpioNewc([
        { name: "dev", mode: 0o040755 },
        { name: "dev/console", mode: 0o020600, dev: [5, 1] },
        { name: "init", mode: 0o100755, data: Buffer.from("abc") },
      ]),
    );
    assert.deepEqual(
      entries.map((e) => [e.name, e.mode, e.major, e.minor, e.size]),
      [
        ["dev", 0o040755, 0, 0, 0],
        ["dev/console", 0o020600, 5, 1, 0],
        ["init", 0o100755, 0, 0, 3],
      ],
    );
  });

  it("tells a static executable from a dynamic one", { skip: existsSync(staticProbePath()) ? false : `no ${staticProbePath()} (no static C library)` }, () => {
    assert.equal(isStaticElf(readFileSync(staticProbePath())), true);
    assert.equal(isStaticElf(readFileSync(defaultProbePath())), false);
    assert.equal(isStaticElf(Buffer.from("#!/bin/sh\n")), false);
  });
});

describe("bad kernel names: one line naming the kernel, exit 2", () => {
  const cases: [string[], RegExp][] = [
    [["--backend", "kernel", "--kernel", "foo"], /^aio-ring-bench: kernel foo: unknown kernel name/],
    [["--backend", "kernel", "--kernel", "./no/such/vmlinuz"], /kernel \.\/no\/such\/vmlinuz: (no such kernel image file|guest kernels unavailable)/],
    [["--backend", "wasm", "--kernel", "6.1"], /--kernel is for --backend kernel or all/],
    [["--backend", "kernel", "--kernel", "host", "--json"], /--json is for the matrix view/],
  ];
  for (const [args, re] of cases)
    it(args.join(" "), () => {
      const r = spawnSync(process.execPath, [CLI, "scenario", `${scenarios}lts-hole-start-overlap.json`, ...args], { encoding: "utf8" });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    });
});

const avail = guestAvailability();
const has61 = fetchedKernels().some((k) => k.package.startsWith("linux-image-6.1.0-"));
const live = {
  skip: !avail.available ? `guest kernels unavailable: ${avail.reason}` : has61 ? false : "no 6.1 kernel fetched (aio-ring-bench kernels fetch 6.1)",
};
const LTS = readdirSync(scenarios).filter((f) => f.startsWith("lts-"));

describe("a 6.1 guest under QEMU", { timeout: 600_000 }, () => {
  it("a kernel that is not one does not boot: one line naming it, exit 2", {
    skip: avail.available ? false : `guest kernels unavailable: ${avail.reason}`,
  }, () => {
    const r = spawnSync(
      process.execPath,
      [CLI, "scenario", `${scenarios}lts-hole-start-overlap.json`, "--backend", "kernel", "--kernel", `${scenarios}lts-hole-start-overlap.json`],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /kernel \S+lts-hole-start-overlap\.json: the guest did not boot/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  });

  it("a guest that panics at boot: the error names the panic, not only the console's last line", live, async () => {
    const k = await resolveKernel("6.1");
    // An initramfs with no init: the kernel finds nothing to run and panics.
    const dir = mkdtempSync(join(tmpdir(), "aio-no-init-"));
    const image = join(dir, "no-init.cpio.gz");
    writeFileSync(
      image,
      gzipSync(
        cpioNewc([
          { name: "dev", mode: 0o040755 },
          { name: "dev/console", mode: 0o020600, dev: [5, 1] },
        ]),
      ),
    );
    const g = new Guest({ name: "6.1", vmlinuz: k.vmlinuz, initramfs: image, cpus: 1, seconds: 10, bootSeconds: 300 });
    await assert.rejects(g.booted, (e: unknown) => {
      assert.match(String(e), /the guest did not boot: .*console: .*Kernel panic - not syncing: .* \.\.\. /);
      return true;
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers the LTS scenarios as recorded; a guest killed under a program crashes only that program, the next runs on a fresh guest", live, async (t) => {
    const k = await resolveKernel("6.1");
    const lane = new GuestLane({ name: "6.1", vmlinuz: k.vmlinuz, initramfs: initramfs(), cpus: 2, seconds: 10 }, (why) => assert.fail(why));
    try {
      const started = performance.now();
      for (const f of LTS) {
        const truth = JSON.parse(readFileSync(`${recorded}6.1/${f}`, "utf8"));
        const run = await lane.run(readScenarioFile(scenarios + f));
        if (f === LTS[0]) t.diagnostic(`boot to first answer: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        assert.equal(run.kind, "ran", f);
        if (run.kind === "ran") assert.deepEqual(run.outcome.results, truth.results, f);
      }
      const first = lane.current;
      const slow = readScenarioFile(scenarios + LTS[0]);
      const crashed = lane.run({ ...slow, steps: [...slow.steps, ...Array.from({ length: 200 }, () => ({ op: "page" as const, addr: "X" }))] });
      process.kill(first.pid as number, "SIGKILL");
      assert.equal((await crashed).kind, "crashed");
      const again = await lane.run(readScenarioFile(scenarios + LTS[0]));
      assert.equal(again.kind, "ran");
      assert.notEqual(lane.current, first);
    } finally {
      await lane.close();
    }
  });

  it("a short seeded fuzz finds the guest and v6.1 in agreement", live, async (t) => {
    const k = await resolveKernel("6.1");
    const report = await runKernelFuzz({ scenarios: 30, seed: 3, lanes: 1, guest: { kernel: k, cpus: 2 } });
    t.diagnostic(`${report.scenarios} scenarios on ${report.kernel} in ${report.seconds.toFixed(1)} s`);
    assert.match(report.kernel ?? "", /^6\.1\./);
    assert.deepEqual(
      report.findings.map((f) => f.signature),
      [],
    );
    assert.deepEqual(report.crashes, []);
  });

  it("the matrix view names the first step where 6.1 parts from 6.18 (recorded), for every difference class", live, async () => {
    const k = await openKernel("6.1");
    try {
      for (const f of LTS) {
        const m = await runMatrix(f, readScenarioFile(scenarios + f), [k], { models: true });
        assert.deepEqual(
          m.models?.map((c) => c.firstDifference),
          [null, null],
          f,
        );
        const host = JSON.parse(readFileSync(recorded + f, "utf8"));
        const first = host.results.findIndex((r: unknown, i: number) => JSON.stringify(r) !== JSON.stringify(readGuest(f).results[i]));
        assert.ok(first >= 0, f);
        assert.equal(m.rows[first].answers[0] !== null, true);
      }
    } finally {
      await k.close();
    }
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const)
    it(`${signal} to the CLI leaves no QEMU behind`, live, async () => {
      const cli = spawn(process.execPath, [CLI, "scenario", ...LTS.map((f) => scenarios + f), "--backend", "kernel", "--kernel", "6.1"], { stdio: "ignore" });
      const qemu = await childQemu(cli.pid as number);
      assert.ok(qemu !== null, "no QEMU started");
      const exited = new Promise((r) => cli.once("exit", r));
      cli.kill(signal);
      await exited;
      for (let i = 0; i < 50 && alive(qemu as number); i++) await sleep(100);
      assert.equal(alive(qemu as number), false, `QEMU ${qemu} still running after ${signal}`);
    });
});

function readGuest(f: string): { results: unknown[] } {
  return JSON.parse(readFileSync(`${recorded}6.1/${f}`, "utf8"));
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \([^)]*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Waits for a qemu process whose parent is `pid` (setpriv execs QEMU in place). */
async function childQemu(pid: number): Promise<number | null> {
  for (let i = 0; i < 300; i++) {
    for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const m = /^(\d+) \((.*)\) \S+ (\d+)/.exec(stat);
        if (m && Number(m[3]) === pid && m[2].startsWith("qemu")) return Number(m[1]);
      } catch {
        // gone
      }
    }
    await sleep(100);
  }
  return null;
}

describe("a probe answer line's scenario error", () => {
  const line = (se: Record<string, unknown>) =>
    JSON.stringify({ kernel: "k", cpus: 1, aio_max_nr: 65536, aio_nr: 0, zero_page: true, results: [], scenario_error: se });
  it("is an unbound name only when the probe gave the name's index; otherwise it carries the probe's message", () => {
    const unbound = parseAnswerLine(line({ step: 0, field: "addr", name_index: 1, message: "name is not bound" }));
    const other = parseAnswerLine(line({ step: 0, field: "addr", message: "a read fault on read-only private memory cannot be emulated" }));
    assert.ok(unbound.kind === "ran" && other.kind === "ran");
    assert.equal(unbound.scenarioUnboundName, true);
    assert.equal(other.scenarioUnboundName, undefined);
    assert.equal(other.scenarioMessage, "a read fault on read-only private memory cannot be emulated");
    assert.deepEqual(other.outcome.scenarioError, { step: 0, field: "addr" });
  });
});
