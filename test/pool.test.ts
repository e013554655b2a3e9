// The worker pool in independent mode: real threads, the core instantiated
// in each, tasks that describe work, adaptive task sizes. No speed is
// asserted here (machines are noisy); the throughput suite measures speed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { threadId } from "node:worker_threads";
import { PoolTaskError } from "../src/pool/errors.js";
import { WorkerPool } from "../src/pool/pool.js";
import { TaskSizer } from "../src/pool/task-sizer.js";
import { MIXES } from "../src/pool/tasks.js";
import { measureScaling, measureThroughput } from "../src/pool/throughput.js";
import { BATCH } from "../src/pool/workload.js";

describe("worker pool", () => {
  let pool: WorkerPool;
  before(async () => {
    pool = new WorkerPool({ workers: 2 });
    await pool.warm();
  });
  after(() => pool.close());

  it("runs tasks on worker threads, not the main thread, and on both workers at once", async () => {
    const ops = BATCH * 2000;
    const rs = await Promise.all([1, 2].map((seed) => pool.run({ kind: "work", mix: "ring", ops, seed })));
    for (const r of rs) assert.notEqual(r.thread, threadId);
    assert.equal(new Set(rs.map((r) => r.thread)).size, 2);
  });

  for (const mix of MIXES) {
    it(`does every operation of a ${mix} task on the worker's own WASM core`, async () => {
      const r = await pool.run({ kind: "work", mix, ops: BATCH * 40, seed: 7 });
      assert.equal(r.ops, BATCH * 40);
      assert.ok(r.busyNs > 0);
    });
  }

  it("rejects a task whose size is not a whole number of batches, naming the task", async () => {
    await assert.rejects(pool.run({ kind: "work", mix: "ring", ops: BATCH + 1, seed: 3 }), (e: unknown) => {
      assert.ok(e instanceof PoolTaskError);
      assert.equal(e.task, `work(mix=ring, ops=${BATCH + 1}, seed=3)`);
      assert.match(e.message, new RegExp(`positive multiple of ${BATCH}, got ${BATCH + 1}$`));
      return true;
    });
  });

  it("measures an empty round trip", async () => {
    const rtt = await pool.roundTripNs(5);
    assert.ok(Number.isFinite(rtt) && rtt > 0);
  });
});

describe("task sizer", () => {
  it("starts at one quantum, then sizes tasks so the overhead is the target share", () => {
    const s = new TaskSizer({ overheadNs: 50_000, quantum: 256, targetPct: 1, maxTaskNs: 1e9 });
    assert.equal(s.next(), 256);
    s.observe(256 * 100, 256 * 100 * 10); // 10 ns/op
    const ops = s.next();
    assert.equal(ops % 256, 0);
    // 50 µs overhead at 1% -> 5 ms of work -> 500k ops at 10 ns/op, rounded up to a quantum.
    assert.equal(ops, Math.ceil(500_000 / 256) * 256);
    assert.ok((100 * 50_000) / (ops * 10) <= 1);
  });

  it("follows a change in per-op cost", () => {
    const s = new TaskSizer({ overheadNs: 50_000, quantum: 256, maxTaskNs: 1e9 });
    s.observe(1000, 10_000);
    const fast = s.next();
    for (let i = 0; i < 20; i++) s.observe(1000, 100_000);
    assert.ok(s.next() < fast / 5, `${s.next()} vs ${fast}`);
  });

  it("never exceeds the longest task allowed", () => {
    const s = new TaskSizer({ overheadNs: 1e6, quantum: 256, maxTaskNs: 2e6 });
    s.observe(256, 256); // 1 ns/op
    assert.equal(s.next(), Math.ceil(2e6 / 256) * 256);
  });
});

describe("independent-mode throughput", () => {
  it("keeps every worker busy and reports per-op samples from the measured tasks", async () => {
    const r = await measureThroughput({ workers: 2, mix: "mixed", budgetMs: 150, seed: 1 });
    assert.equal(r.threads, 2);
    assert.ok(r.tasks >= 2 && r.ops > 0);
    assert.equal(r.ops % BATCH, 0);
    assert.ok(r.samples.length >= 1 && r.samples.every((x) => Number.isFinite(x) && x > 0));
    assert.ok(Math.abs(r.opsPerSecPerWorker * 2 - r.opsPerSec) < 1e-6 * r.opsPerSec);
    assert.equal(r.overheadPct, (100 * r.roundTripNs) / r.meanTaskNs);
    assert.equal(r.interrupted, false);
  });

  it("times several worker counts in interleaved rounds, one window per count per round", async () => {
    const { results: rs, pinNote } = await measureScaling({ workers: [1, 2], mix: "ring", budgetMs: 240, rounds: 4, seed: 1 });
    assert.equal(pinNote, null);
    assert.deepEqual(
      rs.map((r) => r.workers),
      [1, 2],
    );
    for (const r of rs) {
      assert.equal(r.threads, r.workers);
      assert.equal(r.cpus, null);
      assert.equal(r.roundSizes?.length, 4, "one round size per window");
      assert.equal(
        r.roundSizes!.reduce((a, b) => a + b, 0),
        r.samples.length,
      );
      assert.ok(r.samples.every((x) => Number.isFinite(x) && x > 0));
    }
  });

  it("stops launching tasks when aborted and returns what completed", async () => {
    const abort = new AbortController();
    abort.abort();
    const r = await measureThroughput({ workers: 1, mix: "ring", budgetMs: 60_000, seed: 1, signal: abort.signal });
    assert.equal(r.interrupted, true);
    assert.equal(r.tasks, 0);
  });
});
