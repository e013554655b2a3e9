// The shared ring (assembly/shared-ring/): its checks, first on one thread
// with deliberate faults (each check must be able to fail), then runs of a
// few million events across producer and reaper workers, which must deliver
// every event exactly once, in order per producer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIO_RING_MAGIC } from "../assembly/abi/ring.js";
import { PoolTaskError } from "../src/pool/errors.js";
import { ExactlyOnceError, SharedRing } from "../src/pool/shared-ring.js";
import { SharedRingRunError, ringSlotsFor, runSharedRing } from "../src/pool/shared-ring-run.js";

/** A ring on this thread; nothing here blocks because every event is produced before reaping. */
function ring(producers: number, total: number, nr = 127, batch = 16): SharedRing {
  return SharedRing.create({ nr, producers, reapers: 1, batch, total });
}

describe("shared ring on one thread", () => {
  it("lays out the kernel's header and moves head and tail as events go through", () => {
    const r = ring(1, 100);
    assert.deepEqual(r.header(), { id: 0, nr: 127, head: 0, tail: 0, magic: AIO_RING_MAGIC, compat_features: 1, incompat_features: 0, header_length: 32 });
    assert.equal(r.produce(0, 0, 100), 100);
    assert.equal(r.header().tail, 100);
    assert.equal(r.reap(0, 60), 60);
    assert.deepEqual([r.header().head, r.header().tail], [60, 100]);
    assert.equal(r.reap(0, 1000), 40);
    assert.deepEqual(r.delivered(), [100]);
    assert.equal(r.fault(), null);
  });

  it("wraps around the end of the ring", () => {
    const r = ring(1, 1000, 127, 50);
    for (let seq = 0; seq < 1000; seq += 100) {
      assert.equal(r.produce(0, seq, 100), 100);
      assert.equal(r.reap(0, 100), 100);
    }
    assert.deepEqual(r.delivered(), [1000]);
    assert.equal(r.header().tail, 1000 % 127);
    assert.equal(r.fault(), null);
  });

  const faults: [string, (r: SharedRing) => void, RegExp][] = [
    [
      "a skipped sequence number is a loss",
      (r) => {
        r.produce(0, 0, 10);
        r.produce(0, 11, 10);
      },
      /lost events: producer 0 expected seq 10, got 11/,
    ],
    [
      "a repeated sequence number is a duplicate",
      (r) => {
        r.produce(0, 0, 10);
        r.produce(0, 9, 10);
      },
      /duplicate or out of order: producer 0 expected seq 10, got 9/,
    ],
    [
      "events of one producer out of order are caught",
      (r) => {
        r.produce(1, 0, 5);
        r.produce(1, 6, 1);
        r.produce(1, 5, 1);
        r.produce(0, 0, 13);
      },
      /lost events: producer 1 expected seq 5, got 6/,
    ],
    [
      "an unknown producer id is caught",
      (r) => {
        r.produce(0, 0, 10);
        r.produce(7, 0, 10);
      },
      /unknown producer: producer 7/,
    ],
  ];
  for (const [name, produce, message] of faults) {
    it(name, () => {
      const r = ring(2, 20);
      produce(r);
      assert.equal(r.reap(0, 20), -1);
      const fault = r.fault();
      assert.ok(fault);
      assert.equal(r.progress().released, fault.position);
      assert.match(new ExactlyOnceError(fault).message, message);
    });
  }

  it("an event whose obj does not match its data is reported as torn", () => {
    const r = ring(1, 10);
    r.produce(0, 0, 10);
    new BigUint64Array(r.memory.buffer, r.ringOffset + 32 + 3 * 32 + 8, 1)[0] = 0n;
    assert.equal(r.reap(0, 10), -1);
    assert.equal(r.fault()?.kind, "torn event (obj != ~data)");
    assert.equal(r.fault()?.position, 3);
  });

  it("a ring with a bad magic is refused, as libaio refuses it", () => {
    const r = ring(1, 10);
    r.produce(0, 0, 10);
    new Uint32Array(r.memory.buffer, r.ringOffset + 16, 1)[0] = 0;
    assert.equal(r.reap(0, 10), -1);
    assert.equal(r.fault()?.kind, "bad ring header");
  });

  it("stop makes producers and reapers return -1 instead of waiting", () => {
    const r = ring(1, 1000);
    r.stop();
    assert.equal(r.produce(0, 0, 10), -1);
    assert.equal(r.reap(0, 10), -1);
    assert.equal(r.fault(), null);
  });
});

describe("shared ring across workers", () => {
  it("gets the kernel's ring geometry for nr_events (2 CPUs)", () => {
    assert.deepEqual([1, 128, 1000, 4096].map(ringSlotsFor), [127, 383, 2047, 8319]);
  });

  const runs: [string, Parameters<typeof runSharedRing>[0]][] = [
    ["3M events, 2 producers, 2 reapers", { events: 3_000_000, producers: 2, reapers: 2, chunk: 100_000 }],
    [
      "2M events, 3 producers, 2 reapers, a one-page ring and odd batches (wrap, full and empty all the time)",
      { events: 2_000_001, producers: 3, reapers: 2, nrEvents: 1, batch: 7, chunk: 50_000 },
    ],
  ];
  for (const [name, opts] of runs) {
    it(`delivers every event exactly once, in order per producer: ${name}`, async () => {
      const r = await runSharedRing(opts);
      assert.equal(r.verdict, "exactly-once");
      assert.equal(r.released, opts.events);
      assert.equal(r.published, opts.events);
      assert.equal(
        r.delivered.reduce((a, b) => a + b, 0),
        opts.events,
      );
      for (const n of r.delivered) assert.ok(Math.abs(n - opts.events / opts.producers) < 1);
    });
  }

  for (const [kind, message] of [
    ["skip-seq", /lost events: producer \d+ expected seq (\d+), got (\d+)/],
    ["repeat-seq", /duplicate or out of order: producer \d+ expected seq \d+, got \d+/],
  ] as const) {
    it(`fails loudly when a producer ${kind === "skip-seq" ? "skips" : "repeats"} a sequence number, keeping what was checked`, async () => {
      await assert.rejects(runSharedRing({ events: 2_000_000, producers: 2, reapers: 2, chunk: 50_000, inject: { kind, afterTasks: 2 } }), (e: unknown) => {
        assert.ok(e instanceof SharedRingRunError);
        assert.ok(e.cause instanceof ExactlyOnceError);
        assert.match(e.message, message);
        // Everything before the fault was checked and released; the fault's position is where it stopped.
        assert.equal(
          e.partial.delivered.reduce((a, b) => a + b, 0),
          e.partial.released,
        );
        assert.match(e.message, new RegExp(`ring position ${e.partial.released},`));
        assert.ok(e.partial.released < 2_000_000);
        return true;
      });
    });
  }

  it("a dying worker ends the run with the task named", async () => {
    await assert.rejects(
      runSharedRing({ events: 2_000_000, producers: 1, reapers: 1, chunk: 50_000, inject: { kind: "exit", afterTasks: 2 } }),
      (e: unknown) => {
        assert.ok(e instanceof SharedRingRunError);
        assert.ok(e.cause instanceof PoolTaskError);
        assert.equal(e.cause.task, "test-exit");
        return true;
      },
    );
  });
});
