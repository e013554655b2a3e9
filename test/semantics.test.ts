// One test (at least) per rule and numbered consequence of
// docs/semantics.md, on both model backends and on each
// profile where the rule differs: setup, lookup, submit, reaping, pointers,
// io_cancel (semantics-memory.test.ts: signals, mappings, moves).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScenarioError } from "../src/contract/errors.js";
import { PROFILE_NAMES, PROFILES } from "../src/contract/profile.js";
import type { Step } from "../src/contract/scenario.js";
import { BACKENDS, runOn, times } from "./helpers.js";
import { errnos, last, MAGIC, page, ring, setup, submit, TABLE_PROFILES } from "./helpers/semantics-steps.js";

for (const backend of BACKENDS) {
  describe(`${backend}: io_setup`, () => {
    it("geometry with 2 CPUs: 1 -> 127 slots / 1 page, 128 -> 383 / 3, 1000 -> 2047 / 16", async () => {
      for (const profile of TABLE_PROFILES) {
        const rs = await runOn(backend, profile, [setup(1, "A"), ring("A"), setup(128, "B"), ring("B"), setup(1000, "C"), ring("C")]);
        assert.deepEqual([rs[1].nr, rs[1].pages, rs[3].nr, rs[3].pages, rs[5].nr, rs[5].pages], [127, 1, 383, 3, 2047, 16], profile);
      }
    });

    it("v3.11 geometry has no doubling and no per-CPU floor: 128 -> 255 / 2 pages", async () => {
      const rs = await runOn(backend, "v3.11", [setup(128), ring("A")]);
      assert.equal(rs[1].nr, 255);
      assert.equal(rs[1].pages, 2);
    });

    it("the per-CPU floor follows cpus: 1 event with 16 CPUs needs 128 slots -> 2 pages", async () => {
      const rs = await runOn(backend, "mainline", [setup(1), ring("A")], { cpus: 16 });
      assert.deepEqual([rs[1].nr, rs[1].pages], [255, 2]);
    });

    it("writes the ring header: magic, compat 1, incompat 0, header_length 32, empty", async () => {
      for (const profile of PROFILE_NAMES) {
        const r = (await runOn(backend, profile, [setup(10), ring("A")]))[1];
        assert.deepEqual([r.magic, r.compat_features, r.incompat_features, r.header_length, r.head, r.tail], [MAGIC, 1, 0, 32, 0, 0], profile);
      }
    });

    it("header id is the table slot (3.12+) or the ring address (v3.11)", async () => {
      const rs = await runOn(backend, "mainline", [setup(1, "A"), setup(1, "B"), ring("A"), ring("B")]);
      assert.deepEqual([rs[2].id, rs[3].id], [0, 1]);
      const old = await runOn(backend, "v3.11", [setup(1, "A"), ring("A")]);
      assert.equal(old[1].id, "addr");
    });

    it("argument checks in order: non-zero ctxp, 0 events -> EINVAL; too many -> EINVAL; over aio_max_nr -> EAGAIN", async () => {
      const rs = await runOn(backend, "mainline", [
        { op: "io_setup", nr_events: 1, ctxp: "nonzero" },
        setup(0),
        setup(4_194_305), // doubled, above 0x10000000 / 32
        setup(65_537),
        setup(65_536),
      ]);
      assert.deepEqual(errnos(rs), ["EINVAL", "EINVAL", "EINVAL", "EAGAIN", null]);
    });

    it("mainline charges the original nr against aio_max_nr; io_destroy gives it back", async () => {
      const rs = await runOn(backend, "mainline", [...times(100, setup(1)), setup(1), { op: "io_destroy", ctx: "A" }, setup(1)], { aio_max_nr: 100 });
      assert.deepEqual(errnos(rs.slice(98)), [null, null, "EAGAIN", null, null]);
    });

    it("v3.18/v3.19 charge the doubled size against aio_max_nr * 2", async () => {
      for (const profile of ["v3.18", "v3.19"] as const) {
        // 1 event with 2 CPUs charges 16 of a 200 limit: 12 fit, the 13th does not.
        const rs = await runOn(backend, profile, times(13, setup(1)), { aio_max_nr: 100 });
        assert.deepEqual(errnos(rs).slice(11), [null, "EAGAIN"], profile);
      }
    });

    it("aio_nr held by other processes counts against the limit", async () => {
      const rs = await runOn(backend, "mainline", [setup(100), setup(36)], { aio_nr: 65_500 });
      assert.deepEqual(errnos(rs), ["EAGAIN", null]);
    });

    it("ioctx table: lowest free slot, grows x4 past 4 and 16, old entries keep their slots", async () => {
      const names = Array.from({ length: 17 }, (_, i) => `C${i}`);
      const steps: Step[] = [...names.map((n) => setup(1, n)), { op: "io_destroy", ctx: "C2" }, setup(1, "N"), ...names.map(ring), ring("N")];
      const rs = await runOn(backend, "mainline", steps);
      const ids = rs.slice(19).map((r) => r.id);
      assert.deepEqual(ids.slice(0, 2), [0, 1]);
      assert.equal(rs[19 + 2].id, 2, "N took C2's slot and, top-down, its address too");
      assert.deepEqual(ids.slice(3, 17), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
      assert.equal(last(rs).id, 2, "the new context takes the freed slot 2");
    });
  });

  describe(`${backend}: lookup`, () => {
    it("ids are addresses and get reused: a stale id destroys the successor", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(1, "A"),
        { op: "io_destroy", ctx: "A" },
        setup(1, "B"),
        { op: "io_destroy", ctx: "A" },
        { op: "io_destroy", ctx: "B" },
      ]);
      assert.deepEqual(errnos(rs), [null, null, null, null, "EINVAL"]);
    });

    it("unknown, bogus and unaligned ids -> EINVAL", async () => {
      for (const profile of PROFILE_NAMES) {
        const rs = await runOn(backend, profile, [setup(1), submit("bogus", 1), submit("A+1b", 1), { op: "io_destroy", ctx: 0 }]);
        assert.deepEqual(errnos(rs), [null, "EINVAL", "EINVAL", "EINVAL"], profile);
      }
    });

    it("a zero header found at a context's address is slot 0 (table lookup reads user memory)", async () => {
      // Slot 0 owner A moved away without a hook (v3.18); a zero page now at A's address finds A again.
      const rs = await runOn(backend, "v3.18", [
        setup(1),
        { op: "mmap", pages: 4, name: "X" },
        { op: "mremap", addr: "A", old_pages: 1, new_pages: 1, to: "X" },
        { op: "mmap", pages: 2, name: "Y" },
        { op: "mremap", addr: "Y", old_pages: 1, new_pages: 1, to: "A" },
        submit("A", 1),
      ]);
      assert.deepEqual(errnos(rs), [null, null, null, null, null, null]);
      assert.equal(last(rs).ret, 1);
    });

    it("v3.11 walks the list: no user memory read, a moved ring is still found at its old id", async () => {
      const rs = await runOn(backend, "v3.11", [
        setup(1),
        { op: "mmap", pages: 4, name: "X" },
        { op: "mremap", addr: "A", old_pages: 1, new_pages: 1, to: "X" },
        submit("A", 2),
        { op: "user_reap", ctx: "X", max: 5 },
      ]);
      assert.equal(rs[3].ret, 2);
      assert.deepEqual(rs[4].data, [1, 2]);
    });
  });

  describe(`${backend}: io_submit and request slots`, () => {
    it("measured: with both a bad opcode and a bad fd the fd is checked first (EBADF)", async () => {
      const rs = await runOn(backend, "mainline", [setup(8), { op: "io_submit", ctx: "A", count: 1, cmd: "bad", data: 1, fd: "bad" }]);
      assert.equal(rs[1].errno, "EBADF");
    });

    it("argument checks: negative count, unknown ctx, bad opcode -> EINVAL; bad fd -> EBADF; 0 -> 0", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        submit("A", -1),
        submit("bogus", 1),
        { op: "io_submit", ctx: "A", count: 1, cmd: "bad", data: 1 },
        { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 1, fd: "bad" },
        submit("A", 0),
      ]);
      assert.deepEqual(errnos(rs), [null, "EINVAL", "EINVAL", "EINVAL", "EBADF", null]);
      assert.equal(last(rs).ret, 0);
    });

    it("fsync and fdsync take no range and ignore the open mode: res 0; any nbytes or offset EINVAL; a bad fd EBADF first (FINDINGS 43)", async () => {
      const sync = (cmd: "fsync" | "fdsync", data: number, extra: Partial<Extract<Step, { op: "io_submit" }>> = {}): Step => ({
        op: "io_submit",
        ctx: "A",
        count: 2,
        cmd,
        data,
        ...extra,
      });
      for (const profile of ["mainline", "v6.1", "v6.12"] as const) {
        const rs = await runOn(backend, profile, [
          setup(8),
          sync("fsync", 1),
          sync("fdsync", 3, { fd: "rdonly" }),
          sync("fsync", 5, { fd: "append" }),
          sync("fsync", 7, { nbytes: 1 }),
          sync("fdsync", 7, { offset: 512 }),
          sync("fsync", 7, { offset: -1 }),
          sync("fdsync", 7, { fd: "bad", nbytes: 1, offset: -1 }),
          { op: "io_getevents", ctx: "A", min_nr: 0, nr: 10, timeout_ns: 0 },
        ]);
        assert.deepEqual(errnos(rs), [null, null, null, null, "EINVAL", "EINVAL", "EINVAL", "EBADF", null], profile);
        assert.deepEqual(
          [last(rs).data, last(rs).res],
          [
            [1, 2, 3, 4, 5, 6],
            [0, 0, 0, 0, 0, 0],
          ],
          profile,
        );
      }
    });

    it("the 3.x generations have no aio fsync for a regular file (added for every file in 4.18): EINVAL after the fd lookup, no event written", async () => {
      for (const profile of ["v3.11", "v3.18", "v3.19"] as const) {
        const rs = await runOn(backend, profile, [
          setup(1),
          { op: "io_submit", ctx: "A", count: 1, cmd: "fsync", data: 1 },
          { op: "io_submit", ctx: "A", count: 1, cmd: "fdsync", data: 1, fd: "rdonly" },
          { op: "io_submit", ctx: "A", count: 1, cmd: "fdsync", data: 1, fd: "bad" },
          ring("A"),
        ]);
        assert.deepEqual(errnos(rs).slice(0, 4), [null, "EINVAL", "EINVAL", "EBADF"], profile);
        assert.equal(last(rs).tail, 0, profile);
      }
    });

    it("a refused control block gives its slot back", async () => {
      const rs = await runOn(backend, "mainline", [setup(1), ...times(10, { op: "io_submit", ctx: "A", count: 1, cmd: "bad", data: 1 }), submit("A", 200)]);
      assert.equal(last(rs).ret, 120);
    });

    it("capacity from one CPU with nothing reaped: 120 / 376 / 2040, then EAGAIN", async () => {
      for (const profile of TABLE_PROFILES) {
        for (const [nr, cap] of [
          [1, 120],
          [128, 376],
          [1000, 2040],
        ]) {
          const rs = await runOn(backend, profile, [setup(nr), ...times(cap, submit("A", 1)), submit("A", 1)]);
          assert.equal(rs.filter((r) => r.ret === 1).length, cap, `${profile} nr_events ${nr}`);
          assert.equal(last(rs).errno, "EAGAIN");
        }
      }
    });

    it("a batch larger than the capacity submits what fits and returns the count", async () => {
      const rs = await runOn(backend, "mainline", [setup(1), submit("A", 500), submit("A", 1)]);
      assert.deepEqual([rs[1].ret, rs[1].errno, rs[2].errno], [120, null, "EAGAIN"]);
    });

    it("v3.11: one counter of nr - 1", async () => {
      const rs = await runOn(backend, "v3.11", [setup(128), submit("A", 1000), submit("A", 1)]);
      assert.deepEqual([rs[1].ret, rs[2].errno], [254, "EAGAIN"]);
    });

    it("reaping k events either way makes room for exactly k more (3.12+)", async () => {
      for (const profile of TABLE_PROFILES) {
        for (const k of [1, 7, 15, 16, 40, 120]) {
          const viaSyscall = await runOn(backend, profile, [
            setup(1),
            submit("A", 120),
            { op: "io_getevents", ctx: "A", min_nr: 0, nr: k, timeout_ns: 0 },
            submit("A", 500),
          ]);
          const viaUser = await runOn(backend, profile, [setup(1), submit("A", 120), { op: "user_reap", ctx: "A", max: k }, submit("A", 500)]);
          assert.equal(last(viaSyscall).ret, k, `${profile} io_getevents k=${k}`);
          assert.equal(last(viaUser).ret, k, `${profile} user_reap k=${k}`);
        }
      }
    });

    it("v3.11: user-space reaping leaks the slots; io_getevents frees them", async () => {
      const rs = await runOn(backend, "v3.11", [
        setup(1),
        submit("A", 500),
        { op: "user_reap", ctx: "A", max: 5 },
        submit("A", 5),
        submit("A", 1),
        { op: "io_getevents", ctx: "A", min_nr: 0, nr: 5, timeout_ns: 0 },
        submit("A", 10),
      ]);
      assert.equal(rs[1].ret, 126, "127 slots, one counter of nr - 1");
      assert.deepEqual([rs[3].errno, rs[4].errno, rs[6].ret], ["EAGAIN", "EAGAIN", 5]);
    });

    it("completions land at the tail with the control block's user data, wrapping around the ring", async () => {
      const steps: Step[] = [setup(1)];
      for (let round = 0; round < 3; round++)
        steps.push(submit("A", 100, round * 1000), { op: "io_getevents", ctx: "A", min_nr: 100, nr: 100, timeout_ns: null });
      steps.push(ring("A"));
      const rs = await runOn(backend, "mainline", steps);
      assert.deepEqual(
        rs[6].data,
        Array.from({ length: 100 }, (_, i) => 2000 + i),
      );
      assert.deepEqual([last(rs).head, last(rs).tail], [300 % 127, 300 % 127]);
    });
  });

  describe(`${backend}: reaping`, () => {
    it("io_getevents argument checks -> EINVAL (min_nr > nr, min_nr < 0, nr < 0, unknown ctx)", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(1),
        submit("A", 3),
        { op: "io_getevents", ctx: "A", min_nr: 2, nr: 1, timeout_ns: 0 },
        { op: "io_getevents", ctx: "A", min_nr: -1, nr: 1, timeout_ns: 0 },
        { op: "io_getevents", ctx: "A", min_nr: -1, nr: -1, timeout_ns: 0 },
        { op: "io_getevents", ctx: "bogus", min_nr: 0, nr: 1, timeout_ns: 0 },
      ]);
      assert.deepEqual(errnos(rs).slice(2), ["EINVAL", "EINVAL", "EINVAL", "EINVAL"]);
    });

    it("measured: a negative timeout is not checked; it never expires, so with enough events it returns them", async () => {
      const rs = await runOn(backend, "mainline", [setup(1), submit("A", 3, 9), { op: "io_getevents", ctx: "A", min_nr: 2, nr: 5, timeout_ns: -1 }]);
      assert.deepEqual([rs[2].ret, rs[2].errno, rs[2].data], [3, null, [9, 10, 11]]);
      await assert.rejects(
        runOn(backend, "mainline", [setup(1), { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: -1 }]),
        (e: unknown) => e instanceof ScenarioError && e.step === 1,
      );
    });

    it("timeout 0 returns what is there at once, possibly nothing; a timeout returns without waiting for more", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(1),
        { op: "io_getevents", ctx: "A", min_nr: 1, nr: 5, timeout_ns: 0 },
        submit("A", 2, 50),
        { op: "io_getevents", ctx: "A", min_nr: 5, nr: 5, timeout_ns: 1000 },
      ]);
      assert.deepEqual([rs[1].ret, rs[1].data], [0, []]);
      assert.deepEqual([rs[3].ret, rs[3].data], [2, [50, 51]]);
    });

    it("no timeout with too few events would block forever: a scenario error naming the step", async () => {
      await assert.rejects(
        runOn(backend, "mainline", [setup(1), submit("A", 1), { op: "io_getevents", ctx: "A", min_nr: 2, nr: 2, timeout_ns: null }]),
        (e: unknown) => e instanceof ScenarioError && e.step === 2 && e.field === "min_nr",
      );
    });

    it("user-space reap copies head..tail in order and stores the new head", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(1),
        submit("A", 5, 10),
        { op: "user_reap", ctx: "A", max: 3 },
        ring("A"),
        { op: "user_reap", ctx: "A", max: 10 },
      ]);
      assert.deepEqual(rs[2].data, [10, 11, 12]);
      assert.deepEqual([rs[3].head, rs[3].tail], [3, 5]);
      assert.deepEqual(rs[4].data, [13, 14]);
    });

    it("user-space reap checks the magic (EINVAL) and faults on unmapped memory (EFAULT)", async () => {
      const rs = await runOn(backend, "mainline", [
        { op: "mmap", pages: 1, name: "X" },
        { op: "user_reap", ctx: "X", max: 1 },
        { op: "user_reap", ctx: "bogus", max: 1 },
      ]);
      assert.deepEqual(errnos(rs).slice(1), ["EINVAL", "EFAULT"]);
    });
  });

  describe(`${backend}: pointers the kernel cannot use (FINDINGS 36)`, () => {
    for (const profile of PROFILE_NAMES)
      it(`${profile}: io_setup's ctxp and io_getevents's timeout fault first; the events buffer only with an event to copy`, async () => {
        const rs = await runOn(backend, profile, [
          { op: "io_setup", nr_events: 0, name: "X", ctxp: 0 },
          { op: "io_setup", nr_events: 1, name: "X", ctxp: "bogus" },
          setup(4),
          { op: "io_getevents", ctx: "bogus", min_nr: 9, nr: 1, timeout_ns: "bogus" },
          { op: "io_getevents", ctx: "A", min_nr: 0, nr: 4, timeout_ns: 0, events: 0 },
          submit("A", 2, 7),
          { op: "io_getevents", ctx: "A", min_nr: 3, nr: 4, timeout_ns: null, events: "bogus" },
          { op: "io_getevents", ctx: "A", min_nr: 0, nr: 0, timeout_ns: 0, events: 0 },
          { op: "io_getevents", ctx: "A", min_nr: 0, nr: 4, timeout_ns: 0 },
        ]);
        assert.deepEqual(errnos(rs), ["EFAULT", "EFAULT", null, "EFAULT", null, null, "EFAULT", null, null]);
        assert.deepEqual(last(rs).data, [7, 8], "the failed copy left both events in the ring");
      });

    for (const profile of PROFILE_NAMES)
      it(`${profile}: io_submit reads each iocb entry before anything else about it; a NULL entry K submits K`, async () => {
        const rs = await runOn(backend, profile, [
          setup(8),
          { op: "io_submit", ctx: "A", count: 2, cmd: "bad", data: 1, fd: "bad", iocbs: 0 },
          { op: "io_submit", ctx: "A", count: 0, cmd: "pread", data: 1, iocbs: "bogus" },
          { op: "io_submit", ctx: "bogus", count: 2, cmd: "pread", data: 1, iocbs: 0 },
          { op: "io_submit", ctx: "A", count: 3, cmd: "bad", data: 1, null_entry: 0 },
          { op: "io_submit", ctx: "A", count: 3, cmd: "pread", data: 5, null_entry: 2 },
          { op: "io_getevents", ctx: "A", min_nr: 0, nr: 8, timeout_ns: 0 },
        ]);
        assert.deepEqual(
          rs.map((r) => [r.ret, r.errno]),
          [
            [0, null],
            [-1, "EFAULT"],
            [0, null],
            [-1, "EINVAL"],
            [-1, "EFAULT"],
            [2, null],
            [2, null],
          ],
        );
        assert.deepEqual(last(rs).data, [5, 6]);
      });

    it("each event's res is the bytes moved: reads stop at the file's end, writes grow it, a negative offset is EINVAL (FINDINGS 39)", async () => {
      const io = (cmd: "pread" | "pwrite", data: number, nbytes: number, offset: number): Step => ({
        op: "io_submit",
        ctx: "A",
        count: 1,
        cmd,
        data,
        nbytes,
        offset,
      });
      const rs = await runOn(backend, "mainline", [
        setup(16),
        io("pread", 1, 512, 16_284),
        io("pread", 2, 512, 16_384),
        io("pread", 3, 0, 0),
        io("pread", 4, 512, -1),
        io("pwrite", 5, 512, 16_484),
        io("pwrite", 6, 0, 1_000_000),
        io("pread", 7, 65_536, 0),
        { op: "io_getevents", ctx: "A", min_nr: 0, nr: 16, timeout_ns: 0 },
      ]);
      assert.equal(rs[4].errno, "EINVAL");
      assert.deepEqual(last(rs).data, [1, 2, 3, 5, 6, 7]);
      assert.deepEqual(last(rs).res, [100, 0, 0, 512, 0, 16_996]);
    });

    it("an entry pointing to an unmapped block stops io_submit as a NULL one does; the first bad entry wins", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        { op: "io_submit", ctx: "A", count: 3, cmd: "bad", data: 1, fd: "bad", bogus_entry: 0 },
        { op: "io_submit", ctx: "bogus", count: 3, cmd: "pread", data: 1, bogus_entry: 0 },
        { op: "io_submit", ctx: "A", count: 4, cmd: "pread", data: 10, bogus_entry: 2 },
        { op: "io_submit", ctx: "A", count: 4, cmd: "pread", data: 20, bogus_entry: 3, null_entry: 1 },
        { op: "io_getevents", ctx: "A", min_nr: 0, nr: 8, timeout_ns: 0 },
      ]);
      assert.deepEqual(errnos(rs), [null, "EFAULT", "EINVAL", null, null, null]);
      assert.deepEqual(last(rs).data, [10, 11, 20]);
    });
  });

  describe(`${backend}: a context id of all ones`, () => {
    for (const profile of PROFILE_NAMES)
      it(`${profile}: -1 is no context and no page: lookups EINVAL, header reads EFAULT, unaligned for munmap and mremap`, async () => {
        const rs = await runOn(backend, profile, [
          setup(1),
          { op: "io_destroy", ctx: -1 },
          { op: "io_submit", ctx: -1, count: 1, cmd: "pread", data: 1 },
          { op: "io_getevents", ctx: -1, min_nr: 0, nr: 1, timeout_ns: 0 },
          { op: "user_reap", ctx: -1, max: 1 },
          { op: "ring", ctx: -1 },
          { op: "munmap", addr: -1, pages: 1 },
          { op: "mremap", addr: "A", old_pages: 1, new_pages: 1, to: -1 },
          { op: "page", addr: -1 },
        ]);
        assert.deepEqual(errnos(rs).slice(0, 8), [null, "EINVAL", "EINVAL", "EINVAL", "EFAULT", "EFAULT", "EINVAL", "EINVAL"]);
        assert.equal(last(rs).kind, "none");
      });
  });

  describe(`${backend}: mremap without MREMAP_MAYMOVE`, () => {
    for (const profile of PROFILE_NAMES)
      it(`${profile}: flags 0 grows in place or says ENOMEM, a VM_DONTEXPAND ring EFAULT; FIXED without MAYMOVE is EINVAL first`, async () => {
        const rs = await runOn(backend, profile, [
          { op: "mmap", pages: 8, name: "S" },
          { op: "munmap", addr: "S+4", pages: 1 },
          { op: "mremap", addr: "S", old_pages: 2, new_pages: 3, maymove: false },
          { op: "mremap", addr: "S+2", old_pages: 2, new_pages: 3, maymove: false },
          { op: "mremap", addr: "bogus", old_pages: 1, new_pages: 1, to: "S+20", maymove: false },
          setup(1),
          { op: "mremap", addr: "A", old_pages: 1, new_pages: 2, maymove: false },
          ring("S"),
        ]);
        // A ring that may grow (no VM_DONTEXPAND) has no room in place here.
        const ringGrowth = PROFILES[profile].ringDontExpand ? "EFAULT" : "ENOMEM";
        assert.deepEqual(errnos(rs), [null, null, "ENOMEM", null, "EINVAL", null, ringGrowth, null]);
        assert.equal(last(rs).pages, 8, "the growth filled the hole and joined the rest");
      });
  });

  describe(`${backend}: mmap with MAP_FIXED`, () => {
    for (const profile of PROFILE_NAMES)
      it(`${profile}: replaces what is there and merges; unaligned or empty EINVAL; -1 EPERM`, async () => {
        const rs = await runOn(backend, profile, [
          { op: "mmap", pages: 16, name: "S" },
          { op: "munmap", addr: "S+4", pages: 4 },
          { op: "mmap", pages: 3, name: "U", at: "S+4" },
          ring("S"),
          { op: "mmap", pages: 2, name: "V", at: "S+1b" },
          { op: "mmap", pages: 0, name: "V", at: "S+2" },
          { op: "mmap", pages: 1, name: "V", at: -1 },
          { op: "mmap", pages: 8, name: "W", at: "S+2" },
          page("S+9"),
          ring("S"),
        ]);
        assert.deepEqual(errnos(rs), [null, null, null, null, "EINVAL", "EINVAL", "EPERM", null, null, null]);
        assert.deepEqual([rs[3].pages, rs[8].kind, last(rs).pages], [7, "anon", 16], "[0,7), then [2,10) over the hole at 7: one VMA again");
      });
  });

  describe(`${backend}: io_cancel`, () => {
    for (const profile of PROFILE_NAMES)
      it(`${profile}: nothing can be cancelled (EINVAL); a block it cannot read is EFAULT whatever the context`, async () => {
        const rs = await runOn(backend, profile, [
          setup(1),
          { op: "io_cancel", ctx: "A" },
          submit("A", 1),
          { op: "io_cancel", ctx: "A" },
          { op: "io_cancel", ctx: "A", iocb: 0 },
          { op: "io_cancel", ctx: "bogus", iocb: "bogus" },
          { op: "io_cancel", ctx: 0 },
          { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: 0 },
        ]);
        assert.deepEqual(errnos(rs), [null, "EINVAL", null, "EINVAL", "EFAULT", "EFAULT", "EINVAL", null]);
        assert.deepEqual(last(rs).data, [1], "the cancel left the event in the ring");
      });

    it("the block's key is read before the ring id: without the zero page only a call that gets to the lookup faults memory in (FINDINGS 36)", async () => {
      const moved = (cancel: Step): Step[] => [
        { op: "mmap", pages: 8, name: "S" },
        cancel,
        { op: "munmap", addr: "S+4", pages: 1 },
        { op: "mremap", addr: "S+6", old_pages: 1, new_pages: 1, to: "S+4" },
        ring("S"),
      ];
      const efault = await runOn(backend, "mainline", moved({ op: "io_cancel", ctx: "S+1", iocb: "bogus" }), { zero_page: false });
      const looked = await runOn(backend, "mainline", moved({ op: "io_cancel", ctx: "S+1" }), { zero_page: false });
      assert.deepEqual([efault[1].errno, efault[4].pages], ["EFAULT", 6], "untouched: the moved page takes its new offset and joins both sides");
      assert.deepEqual([looked[1].errno, looked[4].pages], ["EINVAL", 4], "faulted: the moved page keeps its offset");
    });
  });

  describe(`${backend}: poll blocks (FINDINGS 53)`, () => {
    const poll = (data: number, events: number, fd?: string, extra: object = {}): Step =>
      ({ op: "io_submit", ctx: "A", count: 1, cmd: "poll", data, events, ...(fd === undefined ? {} : { fd }), ...extra }) as Step;
    const reap: Step = { op: "io_getevents", ctx: "A", min_nr: 0, nr: 16, timeout_ns: 0 };
    const pipe: Step = { op: "pipe", name: "P" };

    it("ready at submit: res is the ready mask within events | POLLERR | POLLHUP, written inside io_submit", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        pipe,
        poll(1, 5, "P.write"),
        poll(2, 0xffff, "P.write"),
        poll(3, 255),
        poll(4, 4, "rdonly"),
        reap,
      ]);
      assert.deepEqual(
        [last(rs).data, last(rs).res],
        [
          [1, 2, 3, 4],
          [4, 0x104, 0x45, 4],
        ],
      );
    });

    it("a pending block completes inside the write that wakes it, res 65 whatever it asked, newest first; others stay", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        pipe,
        poll(1, 1, "P.read"),
        poll(2, 64, "P.read"),
        poll(3, 4, "P.read"),
        poll(4, 2, "P.read"),
        poll(5, 1, "P.write"),
        reap,
        { op: "pipe_write", pipe: "P", bytes: 0 },
        reap,
        { op: "pipe_write", pipe: "P", bytes: 1 },
        reap,
        { op: "pipe_read", pipe: "P", bytes: 4096 },
        { op: "pipe_read", pipe: "P", bytes: 1 },
      ]);
      assert.deepEqual([rs[7].ret, rs[9].ret], [0, 0], "nothing before a write of a byte");
      assert.deepEqual(
        [rs[11].data, rs[11].res],
        [
          [2, 1],
          [65, 65],
        ],
      );
      assert.deepEqual([rs[12].ret, rs[13].errno], [1, "EAGAIN"]);
    });

    it("EBADF for a closed fd first, EINVAL for aio_buf past 16 bits, nbytes, offset or rw_flags, and for the test file ready for none of the events", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        pipe,
        poll(1, 0x10000, "bad"),
        poll(2, 0x10000, "P.read"),
        poll(3, 1, "P.read", { nbytes: 1 }),
        poll(4, 1, "P.read", { offset: 1 }),
        poll(5, 1, "P.read", { rw_flags: 1 }),
        poll(6, 2),
        poll(7, 0),
      ]);
      assert.deepEqual(errnos(rs).slice(2), ["EBADF", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "EINVAL"]);
    });

    for (const profile of PROFILE_NAMES)
      it(`${profile}: ${PROFILES[profile].syncOps ? "poll blocks are taken" : "no aio poll before 4.18: EINVAL"}`, async () => {
        const rs = await runOn(backend, profile, [setup(8), pipe, poll(1, 1, "P.read")]);
        assert.equal(last(rs).errno, PROFILES[profile].syncOps ? null : "EINVAL");
      });

    it("io_cancel of a pending block: EINPROGRESS and res 0; EINVAL again, in another context, and for a read; the slot held until reaped", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(1),
        setup(1, "B"),
        pipe,
        poll(1, 1, "P.read"),
        submit("B", 1),
        { op: "io_cancel", ctx: "B", submit: 3 },
        { op: "io_cancel", ctx: "B", submit: 4 },
        { op: "io_cancel", ctx: "A", submit: 3 },
        { op: "io_cancel", ctx: "A", submit: 3 },
        reap,
      ]);
      assert.deepEqual(errnos(rs).slice(5, 9), ["EINVAL", "EINVAL", "EINPROGRESS", "EINVAL"]);
      assert.deepEqual([last(rs).data, last(rs).res], [[1], [0]]);
    });

    it("io_destroy drops its context's pending blocks: a later write completes nothing elsewhere", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        setup(8, "B"),
        pipe,
        poll(1, 1, "P.read"),
        { ...poll(2, 1, "P.read"), ctx: "B" } as Step,
        { op: "io_destroy", ctx: "A" },
        { op: "pipe_write", pipe: "P", bytes: 1 },
        { op: "io_getevents", ctx: "B", min_nr: 0, nr: 8, timeout_ns: 0 },
      ]);
      assert.deepEqual([last(rs).data, last(rs).res], [[2], [65]]);
    });
  });
}
