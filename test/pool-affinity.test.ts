// Pinning pool threads to CPUs (src/pool/affinity.ts): the CPU-list parser,
// a pinned pool whose threads really are bound (procfs says so, per thread),
// a refused CPU reported rather than ignored, and measureScaling timing one
// worker on each CPU of the two-worker pool, or saying why it could not.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { allowedCpus, parseCpuList } from "../src/pool/affinity.js";
import { WorkerPool } from "../src/pool/pool.js";
import { measureScaling } from "../src/pool/throughput.js";

const cpus = allowedCpus();
const canPin = cpus !== null && cpus.length >= 2 && !spawnSync("taskset", ["-V"]).error;
const skip = canPin ? false : "needs Linux procfs, taskset and 2 allowed CPUs";

describe("CPU lists", () => {
  it("parses the kernel's list format", () => {
    assert.deepEqual(parseCpuList("0"), [0]);
    assert.deepEqual(parseCpuList("0-3,8,10-11\n"), [0, 1, 2, 3, 8, 10, 11]);
    assert.deepEqual(parseCpuList("5,1-2,2"), [1, 2, 5]);
  });

  it("refuses what is not one", () => {
    for (const bad of ["", "a", "3-1", "1,,2", "-1", "0-999999", "1 2"]) assert.equal(parseCpuList(bad), null, JSON.stringify(bad));
  });

  it("reads this process's own list", { skip: cpus === null ? "no procfs" : false }, () => {
    assert.ok(cpus!.length >= 1 && cpus!.every((c) => Number.isInteger(c) && c >= 0));
  });
});

describe("pinned pools", { skip }, () => {
  it("binds each thread to its CPU, as procfs reports per thread", async () => {
    const want = cpus!.slice(0, 2);
    const pool = new WorkerPool({ workers: 2, cpus: want });
    try {
      await pool.warm();
      assert.deepEqual(pool.pinning(), { cpus: want });
      const seen = await Promise.all([1, 2].map(() => pool.run({ kind: "where" })));
      for (const w of seen) assert.deepEqual(w.cpus, [w.pinnedTo]);
      assert.deepEqual(allowedCpus(), cpus, "the main thread stays unpinned");
    } finally {
      await pool.close();
    }
  });

  it("reports a CPU the kernel refuses instead of running unpinned silently", async () => {
    const pool = new WorkerPool({ workers: 1, cpus: [4095] });
    try {
      await pool.warm();
      const p = pool.pinning();
      assert.ok(p && "error" in p && /taskset -p -c 4095 failed/.test(p.error), JSON.stringify(p));
    } finally {
      await pool.close();
    }
  });

  it("times one worker on each CPU of the two-worker pool, their mean rate per sample", async () => {
    const { results, pinNote } = await measureScaling({ workers: [1, 2], mix: "ring", budgetMs: 240, rounds: 4, seed: 1, pin: true });
    assert.equal(pinNote, null);
    const [one, two] = results;
    assert.deepEqual(one.cpus, cpus!.slice(0, 2));
    assert.deepEqual(two.cpus, cpus!.slice(0, 2));
    assert.equal(one.threads, 2, "one thread per CPU for the single worker");
    assert.equal(two.threads, 2);
    for (const r of results) {
      assert.equal(r.roundSizes?.length, 4);
      assert.equal(
        r.roundSizes!.reduce((a, b) => a + b, 0),
        r.samples.length,
      );
    }
  });

  it("runs unpinned and says why when taskset cannot run", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const { results, pinNote } = await measureScaling({ workers: [1], mix: "ring", budgetMs: 60, rounds: 2, seed: 1, pin: true });
      assert.match(pinNote ?? "", /taskset could not run \(ENOENT\)/);
      assert.equal(results[0].cpus, null);
      assert.ok(results[0].samples.length > 0);
    } finally {
      process.env.PATH = path;
    }
  });
});
