// The progress line: on a terminal it shows the percentage and, once two
// seconds of rate are known, the time left; piped or with CI=true it writes
// nothing at all.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, Progress } from "../src/util/progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 200, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

function withCi<T>(value: string | undefined, fn: () => T): T {
  const saved = process.env.CI;
  if (value === undefined) delete process.env.CI;
  else process.env.CI = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  }
}

describe("progress", () => {
  it("on a terminal: the percentage, then the time left at the rate so far", () => {
    const { writes, stream: tty } = stream(true);
    let now = 0;
    withCi(undefined, () => {
      const p = new Progress("bench", 100, tty, () => now);
      p.update(0, "first");
      now = 1000;
      p.update(10, "too early for an estimate");
      now = 20_000;
      p.update(25, "[26/100] ring/wasm-batch");
      now = 200_000;
      p.update(50);
      p.update(100);
      p.done();
    });
    assert.deepEqual(writes, [
      "\r\x1b[Kbench:   0% first",
      "\r\x1b[Kbench:  10% too early for an estimate",
      "\r\x1b[Kbench:  25%, 1 min 00 s left [26/100] ring/wasm-batch",
      "\r\x1b[Kbench:  50%, 3 min 20 s left ",
      "\r\x1b[Kbench: 100% ",
      "\r\x1b[K",
    ]);
  });

  it("a new phase (fuzz's shrinking after its programs) estimates from its own rate, not the last phase's", () => {
    const { writes, stream: tty } = stream(true);
    let now = 0;
    withCi(undefined, () => {
      const p = new Progress("fuzz --against kernel", 300, tty, () => now);
      p.update(0, "run");
      now = 60_000;
      p.update(300, "run");
      p.restart(5);
      now = 61_000;
      p.update(0, "shrink 1/5");
      now = 63_000;
      p.update(1, "shrink 2/5");
      p.done();
    });
    assert.deepEqual(writes, [
      "\r\x1b[Kfuzz --against kernel:   0% run",
      "\r\x1b[Kfuzz --against kernel: 100% run",
      "\r\x1b[Kfuzz --against kernel:   0% shrink 1/5",
      // 2 s for the first of 5 since the phase began: 8 s left (the whole run's 63 s would say 4 min 12 s).
      "\r\x1b[Kfuzz --against kernel:  20%, 8 s left shrink 2/5",
      "\r\x1b[K",
    ]);
  });

  it("piped or in CI: nothing", () => {
    for (const [isTTY, ci] of [
      [false, undefined],
      [true, "true"],
    ] as const) {
      const { writes, stream: s } = stream(isTTY);
      withCi(ci, () => {
        const p = new Progress("fuzz", 10, s, () => 5000);
        p.update(5, "x");
        p.done();
      });
      assert.deepEqual(writes, [], `isTTY ${isTTY}, CI ${ci}`);
    }
  });

  it("durations read as a person would say them", () => {
    assert.deepEqual([formatDuration(4.4), formatDuration(59.6), formatDuration(185), formatDuration(3725)], ["4 s", "1 min 00 s", "3 min 05 s", "1 h 02 min"]);
  });
});
