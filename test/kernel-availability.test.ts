// Availability reporting of the kernel backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync, chmodSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../src/contract/errors.js";
import { kernelAvailability, runKernelTiming, runScenarioOnKernel } from "../src/kernel/probe.js";
import { defaultProbePath } from "../src/kernel/paths.js";
import { encodeScenario } from "../src/kernel/wire.js";
import type { Step } from "../src/contract/scenario.js";
import { withKernelLock } from "./kernel-lock.js";

const dir = mkdtempSync(join(tmpdir(), "kernel-avail-"));

test("no probe binary: unavailable, and the reason names the path", () => {
  const missing = join(dir, "no-such-probe");
  const a = kernelAvailability(missing);
  assert.equal(a.available, false);
  assert.match(a.reason ?? "", /no probe binary at .*no-such-probe \(run npm run build:probe; needs a C compiler\)/);
  // Installed as a package, the command that builds it is the package's rebuild.
  const installed = kernelAvailability(join(dir, "node_modules", "aio-ring-bench", "build", "probe"));
  assert.match(installed.reason ?? "", /\(run npm rebuild aio-ring-bench; needs a C compiler\)/);
});

test("a probe that gives no verdict: unavailable with a reason", () => {
  const fake = join(dir, "fake-probe");
  writeFileSync(fake, "#!/bin/sh\necho hello\n");
  chmodSync(fake, 0o755);
  const a = kernelAvailability(fake);
  assert.equal(a.available, false);
  assert.match(a.reason ?? "", /gave no verdict/);
});

test("a probe reporting io_setup ENOSYS: unavailable with the kernel's reason", () => {
  const fake = join(dir, "nosys-probe");
  writeFileSync(fake, `#!/bin/sh\necho '{"available":false,"kernel":"x","reason":"io_setup(1) failed with ENOSYS (kernel built without AIO)"}'\n`);
  chmodSync(fake, 0o755);
  assert.deepEqual(kernelAvailability(fake), { available: false, reason: "io_setup(1) failed with ENOSYS (kernel built without AIO)" });
});

test("running on an unavailable backend is a one-line UserError", async () => {
  const missing = join(dir, "still-missing");
  await assert.rejects(runScenarioOnKernel("t.json", { name: "t", steps: [] }, missing), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /^kernel backend unavailable: no probe binary/);
    return true;
  });
  await assert.rejects(runKernelTiming("ring", {}, missing), UserError);
});

const built = existsSync(defaultProbePath());
test("the built probe on this Linux kernel is available", { skip: built ? false : "build/probe not built (no C compiler?)" }, () => {
  const aioMax = Number(readFileSync("/proc/sys/fs/aio-max-nr", "utf8"));
  const aioNr = Number(readFileSync("/proc/sys/fs/aio-nr", "utf8"));
  const a = kernelAvailability();
  if (aioNr >= aioMax) assert.equal(a.available, false);
  else assert.deepEqual(a, { available: true, reason: null });
});

// The probe's watchdog bounds each step (its `seconds` plus the step's own
// timeout), not the whole scenario: a long scenario that keeps moving, such
// as thousands of io_destroy calls each waiting for an RCU grace period,
// runs to the end on the live kernel as it does on the models.
test("the probe's watchdog is per step: a scenario longer than it, whose steps each finish in time, completes", {
  skip: built && kernelAvailability().available ? false : "kernel backend unavailable",
}, async () => {
  const steps: Step[] = [];
  for (let i = 0; i < 50; i++) steps.push({ op: "io_setup", nr_events: 1, name: "A" }, { op: "io_destroy", ctx: "A" });
  // A 2 s wait with nothing in flight: longer than the 1 s watchdog, allowed as the step's own timeout.
  steps.push({ op: "io_setup", nr_events: 1, name: "B" }, { op: "io_getevents", ctx: "B", min_nr: 1, nr: 1, timeout_ns: 2e9 });
  const wire = encodeScenario("long.json", { name: "long", steps });
  const r = await withKernelLock(() => spawnSync(defaultProbePath(), ["scenarios", "seconds=1"], { input: wire.text, encoding: "utf8" }));
  const doc = JSON.parse(r.stdout) as { results?: { op: string; ret: number; data?: number[] }[]; probe_error?: string };
  assert.equal(doc.probe_error, undefined);
  assert.equal(doc.results?.length, steps.length);
  assert.deepEqual(doc.results?.at(-1), { step: steps.length - 1, op: "io_getevents", ret: 0, errno: null, data: [], res: [] });
});
