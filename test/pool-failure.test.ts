// Failure behaviour of pool runs, driven by the test-only task kinds
// ("test-throw", "test-exit": src/pool/tasks.ts) and injections
// (src/pool/inject.ts): a throwing or dying worker ends the run with an
// error naming the task, and what completed before it is kept.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PoolTaskError } from "../src/pool/errors.js";
import { WorkerPool } from "../src/pool/pool.js";
import { measureThroughput } from "../src/pool/throughput.js";
import { BATCH } from "../src/pool/workload.js";

describe("pool failures", () => {
  it("a task that throws rejects with an error naming the task and the worker's message", async () => {
    const pool = new WorkerPool({ workers: 1 });
    try {
      await assert.rejects(pool.run({ kind: "test-throw" }), (e: unknown) => {
        assert.ok(e instanceof PoolTaskError);
        assert.equal(e.task, "test-throw");
        assert.match(e.message, /^pool task test-throw failed: test-throw: this task fails on purpose$/);
        return true;
      });
    } finally {
      await pool.close();
    }
  });

  it("a worker that dies (process.exit in the thread) rejects its task; the pool replaces the thread", async () => {
    const pool = new WorkerPool({ workers: 1 });
    try {
      await assert.rejects(pool.run({ kind: "test-exit" }), (e: unknown) => {
        assert.ok(e instanceof PoolTaskError);
        assert.equal(e.task, "test-exit");
        assert.match(e.message, /worker exited with code: 3/);
        return true;
      });
      const r = await pool.run({ kind: "work", mix: "ring", ops: BATCH, seed: 1 });
      assert.equal(r.ops, BATCH);
    } finally {
      await pool.close();
    }
  });

  for (const kind of ["throw", "exit"] as const) {
    it(`a throughput run whose worker fails (${kind}) ends with that task named and the completed results kept`, async () => {
      await assert.rejects(measureThroughput({ workers: 2, mix: "ring", budgetMs: 60_000, seed: 1, inject: { kind, afterTasks: 3 } }), (e: unknown) => {
        assert.ok(e instanceof PoolTaskError);
        assert.equal(e.task, kind === "throw" ? "test-throw" : "test-exit");
        assert.ok(e.completed.length >= 3, `${e.completed.length} completed`);
        return true;
      });
    });
  }
});
