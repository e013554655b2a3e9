// The test file on a tmpfs (a scenario's tmpfs_bytes): both models give the
// page accounting measured on 6.18 with a tiny C program (FINDINGS 49), and
// agree with each other call for call; fd "direct" is refused as a scenario
// error where the profile has no O_DIRECT on shmem.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AioBackend } from "../src/contract/backend.js";
import { ScenarioError } from "../src/contract/errors.js";
import { Names, runStep } from "../src/scenario/run.js";
import { AioProcess } from "../src/model/aio.js";
import { PROFILES } from "../src/contract/profile.js";
import { CONFIG, Pair } from "./helpers/wasm-pair.js";

/** One block written or read, reaped at once: its res. */
function io(b: AioBackend, ctx: number, cmd: "pread" | "pwrite", nbytes: number, offset: number): number {
  assert.equal(b.io_submit(ctx, 1, cmd, 0, { nbytes, offset }).ret, 1);
  return b.io_getevents(ctx, 1, 1, null)!.res[0];
}

describe("a 64 KiB tmpfs (16 pages, the 16 KiB file holding 4)", () => {
  it("allocates a page at a time, holes and reads free, ftruncate frees past the end", () => {
    const pair = new Pair("mainline", { ...CONFIG, tmpfs_bytes: 65536 });
    const ctx = pair.setup(8);
    const res = (cmd: "pread" | "pwrite", nbytes: number, offset: number) => pair.call(`${cmd} ${nbytes} at ${offset}`, (b) => io(b, ctx, cmd, nbytes, offset));
    assert.equal(res("pwrite", 512, 16384), 512); // page 4: 5 pages
    assert.equal(res("pwrite", 512, 1 << 20), 512); // page 256, past a hole: 6
    assert.equal(res("pread", 512, 500000), 512); // a hole reads, allocating nothing
    // Pages 7 to 16 fit, page 17 does not: the write stops at its start.
    assert.equal(res("pwrite", 65536, 30000), 17 * 4096 - 30000);
    assert.equal(res("pwrite", 512, 200000), -28); // no page at all: -ENOSPC
    assert.equal(res("pwrite", 0, 300000), 0);
    pair.call("grow", (b) => b.ftruncate(10 << 20)); // allocates nothing
    pair.call("shrink", (b) => b.ftruncate(20000)); // pages 0-4 stay
    assert.equal(res("pwrite", 4096, 20000), 4096); // page 4 is there, page 5 new: 6 pages
    pair.call("shrink to one page", (b) => b.ftruncate(100));
    assert.equal(res("pwrite", 65536, 4096), 15 * 4096); // pages 1 to 15
    assert.equal(res("pread", 65536, 0), 16 * 4096);
  });

  it("an appending batch runs out block by block", () => {
    const pair = new Pair("v6.1", { ...CONFIG, tmpfs_bytes: 32768 });
    const ctx = pair.setup(16);
    pair.call("7 blocks of 3000 appended, 4 pages free", (b) => b.io_submit(ctx, 7, "pwrite", 0, { fd: "append", nbytes: 3000 }));
    // Five fit in the 8 pages (to 31384), the sixth stops at 32768, the seventh gets no page.
    assert.deepEqual(
      pair.call("reap", (b) => b.io_getevents(ctx, 7, 7, null)!.res),
      [3000, 3000, 3000, 3000, 3000, 32768 - 31384, -28],
    );
  });
});

describe('fd "direct"', () => {
  const step = { op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 1, fd: "direct" } as const;
  for (const [profile, opens] of [
    ["mainline", true],
    ["v6.12", true],
    ["v6.1", false],
  ] as const)
    it(`${profile}: ${opens ? "answers as the read-write descriptor" : "cannot run as written (open is EINVAL before 6.6)"}`, () => {
      const b = new AioProcess(PROFILES[profile], CONFIG);
      const names = new Names("t");
      runStep(b, { op: "io_setup", nr_events: 4, name: "A" }, 0, names, "t");
      if (opens) assert.deepEqual(runStep(b, step, 1, names, "t"), { step: 1, op: "io_submit", ret: 1, errno: null });
      else
        assert.throws(
          () => runStep(b, step, 1, names, "t"),
          (e) => e instanceof ScenarioError && e.field === "fd",
        );
    });
});
