// The probe's timing loops return sane per-operation samples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { UserError } from "../src/contract/errors.js";
import { kernelAvailability, runKernelTiming, type KernelLoop, type KernelTimingParams } from "../src/kernel/probe.js";

const avail = kernelAvailability();
const skip = avail.available ? false : `kernel backend unavailable: ${avail.reason}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases: [KernelLoop, KernelTimingParams, string][] = [
  ["getevents", { samples: 5, iterations: 1000 }, "ns/call"],
  ["syscall", { samples: 5, iterations: 1000 }, "ns/call"],
  ["submit-reap", { samples: 5, batch: 16, iterations: 1024 }, "ns/event"],
  ["churn", { samples: 2, iterations: 2 }, "ns/pair"],
  ["remap", { samples: 5, contexts: 8, iterations: 100 }, "ns/op"],
  ["ring", { samples: 5, batch: 32, nr: 127, iterations: 32 * 1000 }, "ns/event"],
];

for (const [loop, params, unit] of cases) {
  test(`timing loop ${loop} returns positive per-op samples`, { skip }, async () => {
    const t = await runKernelTiming(loop, params);
    assert.equal(t.loop, loop);
    assert.equal(t.unit, unit);
    assert.equal(t.samples.length, params.samples);
    assert.ok(t.iterations > 0 && t.iterations <= (params.iterations ?? Infinity));
    for (const s of t.samples) assert.ok(Number.isFinite(s) && s > 0, `sample ${s}`);
    // No kernel round trip takes less than a nanosecond; the C ring loop does
    // a few stores per event, so it cannot be below ~0.1 ns either.
    assert.ok(median(t.samples) > (loop === "ring" ? 0.1 : 10), `median ${median(t.samples)}`);
    assert.match(t.kernel, /^\d+\.\d+/);
  });
}

test("a 1 ns io_getevents timeout arms a timer: far slower than timeout 0", { skip }, async () => {
  const zero = await runKernelTiming("getevents", { samples: 5, iterations: 2000, timeout_ns: 0 });
  const one = await runKernelTiming("getevents", { samples: 5, iterations: 20, timeout_ns: 1 });
  assert.equal(zero.info.timeout_ns, 0);
  assert.equal(one.info.timeout_ns, 1);
  assert.ok(median(one.samples) > 10 * median(zero.samples), `${median(one.samples)} vs ${median(zero.samples)}`);
});

test("bad timing parameters are one-line UserErrors", { skip }, async () => {
  await assert.rejects(runKernelTiming("ring", { batch: 0 }), (e: unknown) => e instanceof UserError && /batch must be an integer in/.test(e.message));
  await assert.rejects(runKernelTiming("ring", { nr: 1.5 }), (e: unknown) => e instanceof UserError && /nr must be an integer/.test(e.message));
  await assert.rejects(runKernelTiming("nope" as KernelLoop), (e: unknown) => e instanceof UserError && /unknown kernel timing loop/.test(e.message));
});

test("a zero-timeout io_getevents costs at least about a null system call (it enters the kernel)", { skip }, async () => {
  // Alternated, and the fastest sample of each: the two loops share a busy machine.
  const nul: number[] = [];
  const zero: number[] = [];
  for (let round = 0; round < 3; round++) {
    nul.push(...(await runKernelTiming("syscall", { samples: 5, iterations: 2000 })).samples);
    zero.push(...(await runKernelTiming("getevents", { samples: 5, iterations: 2000, timeout_ns: 0 })).samples);
  }
  assert.ok(Math.min(...zero) > Math.min(...nul) / 2, `${Math.min(...zero)} vs ${Math.min(...nul)}`);
});
