// Availability reporting of the kernel backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync, chmodSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../src/contract/errors.js";
import { kernelAvailability, runKernelTiming, runScenarioOnKernel } from "../src/kernel/probe.js";
import { defaultProbePath } from "../src/kernel/paths.js";

const dir = mkdtempSync(join(tmpdir(), "kernel-avail-"));

test("no probe binary: unavailable, and the reason names the path", () => {
  const missing = join(dir, "no-such-probe");
  const a = kernelAvailability(missing);
  assert.equal(a.available, false);
  assert.match(a.reason ?? "", /no probe binary at .*no-such-probe/);
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
