// docs/semantics.md, continued from semantics.test.ts: io_pgetevents,
// MAP_FIXED_NOREPLACE, io_destroy and munmap, mremap, and anonymous memory
// without the zero page, on both model backends and each profile where the
// rule differs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScenarioError } from "../src/contract/errors.js";
import { PROFILE_NAMES } from "../src/contract/profile.js";
import type { Step, StepResult } from "../src/contract/scenario.js";
import { BACKENDS, FORK_MOVE_OF_RING, runOn } from "./helpers.js";
import { errnos, HOOK_PROFILES, last, page, ring, setup, submit } from "./helpers/semantics-steps.js";

for (const backend of BACKENDS) {
  describe(`${backend}: io_pgetevents`, () => {
    const pget = (extra: Partial<Extract<Step, { op: "io_pgetevents" }>> = {}): Step => ({
      op: "io_pgetevents",
      ctx: "A",
      min_nr: 0,
      nr: 8,
      timeout_ns: 0,
      ...extra,
    });
    const delivered = (rs: StepResult[]) => rs.filter((r) => r.op === "io_pgetevents").map((r) => r.delivered);

    it("the 3.x generations have no io_pgetevents (added in 4.18): ENOSYS before any argument is read", async () => {
      for (const profile of ["v3.11", "v3.18", "v3.19"] as const) {
        const rs = await runOn(backend, profile, [setup(1), { op: "raise" }, pget({ usig: "bogus" }), pget({ sigmask: "unblock" })]);
        assert.deepEqual(errnos(rs), [null, null, "ENOSYS", "ENOSYS"], profile);
        assert.deepEqual(delivered(rs), [0, 0], profile);
      }
    });

    it("reads the timeout, the usig struct, the mask's size, then the mask, all before the context (FINDINGS 37)", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        submit("A", 2),
        pget({ ctx: 0, timeout_ns: "bogus", sigmask: "bogus", sigsetsize: 3 }),
        pget({ ctx: 0, usig: "bogus" }),
        pget({ ctx: "A", sigmask: "bogus", sigsetsize: 4 }),
        pget({ sigmask: "bogus" }),
        pget({ ctx: "bogus", sigmask: 0, sigsetsize: 0 }),
        pget({ usig: 0 }),
      ]);
      assert.deepEqual(errnos(rs), [null, null, "EFAULT", "EFAULT", "EINVAL", "EFAULT", "EINVAL", null]);
      assert.deepEqual(last(rs).data, [1, 2], "the refused calls left both events in the ring");
    });

    it("a raised SIGUSR1 waits, blocked, until a mask lets it in; then nothing read is EINTR, and the handler runs whatever the result", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(8),
        { op: "raise" },
        pget(),
        pget({ sigmask: "block" }),
        { op: "io_getevents", ctx: "A", min_nr: 0, nr: 8, timeout_ns: 0 },
        pget({ sigmask: "unblock" }),
        pget({ sigmask: "unblock" }),
        submit("A", 1, 9),
        { op: "raise" },
        pget({ min_nr: 5, nr: 2, sigmask: "unblock" }),
        { op: "raise" },
        pget({ sigmask: "unblock" }),
      ]);
      assert.deepEqual(errnos(rs), [null, null, null, null, null, "EINTR", null, null, null, "EINVAL", null, null]);
      assert.deepEqual(delivered(rs), [0, 0, 1, 0, 1, 1]);
      assert.deepEqual(last(rs).data, [9], "events read are returned, not EINTR");
    });

    it("a signal let in ends a wait that could never end: no timeout and too few events is EINTR, not a blocked scenario", async () => {
      const rs = await runOn(backend, "mainline", [setup(8), { op: "raise" }, pget({ min_nr: 1, timeout_ns: null, sigmask: "unblock" })]);
      assert.deepEqual([last(rs).errno, last(rs).delivered], ["EINTR", 1]);
      await assert.rejects(runOn(backend, "mainline", [setup(8), pget({ min_nr: 1, timeout_ns: null, sigmask: "unblock" })]), ScenarioError);
    });
  });

  describe(`${backend}: mmap MAP_FIXED_NOREPLACE`, () => {
    const noreplace = (at: string | -1, pages = 1, name = "O"): Step => ({ op: "mmap", pages, name, at, noreplace: true });

    it("maps a hole exactly; EEXIST over any mapped page, a ring's too, after the address checks (FINDINGS 38)", async () => {
      const rs = await runOn(backend, "mainline", [
        { op: "mmap", pages: 8, name: "M" },
        { op: "munmap", addr: "M+4", pages: 2 },
        noreplace("M+4", 2, "N"),
        noreplace("M+3", 2),
        noreplace("N+1b", 2),
        noreplace(-1),
        setup(128),
        noreplace("A+2"),
        ring("A"),
      ]);
      assert.deepEqual(errnos(rs), [null, null, null, "EEXIST", "EINVAL", "EPERM", null, "EEXIST", null]);
      assert.equal(last(rs).pages, 3, "the ring is whole");
    });

    it("the 3.x profiles predate it (4.17): the runner refuses the step rather than guess at the hint an old kernel makes of it", async () => {
      for (const profile of ["v3.11", "v3.18", "v3.19"] as const)
        await assert.rejects(runOn(backend, profile, [{ op: "mmap", pages: 2, name: "M" }, noreplace("M")]), /predates MAP_FIXED_NOREPLACE/, profile);
    });
  });

  describe(`${backend}: mmap align`, () => {
    it("maps at the highest free odd multiple of align pages: the next lands 2 * align lower, and pages mapped between merge them (FINDINGS 55)", async () => {
      const rs = await runOn(backend, "mainline", [
        { op: "mmap", pages: 2, name: "A", align: 512 },
        // Above A: free up to the ceiling (the probe's fence), 512 pages up: A is the top odd multiple, not an even one.
        { op: "mmap", pages: 2, name: "U", at: "A+510", noreplace: true },
        { op: "mmap", pages: 1, name: "V", at: "A+512", noreplace: true },
        { op: "mmap", pages: 2, name: "B", align: 512 },
        { op: "mmap", pages: 1022, name: "C", at: "B+2", noreplace: true },
        { op: "mmap", pages: 1, name: "W", at: "B+1024", noreplace: true },
        { op: "mremap", addr: "B", old_pages: 1026, new_pages: 1026, maymove: false },
        // The highest free odd multiple of 2 pages: A + 506 (A + 508 is a multiple of 4), below U at A + 510.
        { op: "mmap", pages: 1, name: "D", align: 2 },
        { op: "mmap", pages: 3, name: "E", at: "D+1", noreplace: true },
        { op: "mmap", pages: 1, name: "F", at: "D+4", noreplace: true },
        { op: "mmap", pages: 0, name: "Z", align: 4 },
      ]);
      assert.deepEqual(errnos(rs), [null, null, "EEXIST", null, null, "EEXIST", null, null, null, "EEXIST", "EINVAL"]);
    });
  });

  describe(`${backend}: io_destroy and munmap`, () => {
    it("io_destroy unmaps exactly the ring; a second destroy -> EINVAL", async () => {
      const rs = await runOn(backend, "mainline", [
        { op: "mmap", pages: 8, name: "X" },
        setup(128),
        { op: "mremap", addr: "A", old_pages: 3, new_pages: 3, to: "X+1", name: "R" },
        { op: "io_destroy", ctx: "R" },
        page("X"),
        page("X+1"),
        page("X+3"),
        page("X+4"),
        { op: "io_destroy", ctx: "R" },
      ]);
      assert.deepEqual(
        rs.slice(4, 8).map((r) => r.kind),
        ["anon", "none", "none", "anon"],
      );
      assert.equal(last(rs).errno, "EINVAL");
    });

    it("munmap: unaligned -> EINVAL, empty range -> 0; unmapping a ring keeps its context (and its charge)", async () => {
      const rs = await runOn(
        backend,
        "mainline",
        [
          setup(128),
          { op: "munmap", addr: "A+1b", pages: 1 },
          { op: "munmap", addr: "bogus", pages: 1 },
          { op: "munmap", addr: "A", pages: 3 },
          page("A"),
          submit("A", 1),
          setup(1, "B"),
        ],
        { aio_max_nr: 128 },
      );
      assert.deepEqual(errnos(rs), [null, "EINVAL", null, null, null, "EINVAL", "EAGAIN"]);
      assert.equal(rs[4].kind, "none");
    });
  });

  describe(`${backend}: mremap`, () => {
    const spare: Step = { op: "mmap", pages: 16, name: "X" };

    it("argument checks: unaligned, new size 0, overlapping target -> EINVAL; unmapped -> EFAULT", async () => {
      const rs = await runOn(backend, "mainline", [
        spare,
        { op: "mremap", addr: "X+1b", old_pages: 1, new_pages: 1 },
        { op: "mremap", addr: "X", old_pages: 1, new_pages: 0 },
        { op: "mremap", addr: "X", old_pages: 4, new_pages: 4, to: "X+2" },
        { op: "mremap", addr: "bogus", old_pages: 1, new_pages: 1 },
      ]);
      assert.deepEqual(errnos(rs).slice(1), ["EINVAL", "EINVAL", "EINVAL", "EFAULT"]);
    });

    it("shrink unmaps the tail in place; same size without a target changes nothing", async () => {
      const rs = await runOn(backend, "mainline", [
        spare,
        { op: "mremap", addr: "X", old_pages: 16, new_pages: 10 },
        page("X+9"),
        page("X+10"),
        { op: "mremap", addr: "X", old_pages: 10, new_pages: 10, name: "Y" },
        page("Y+9"),
      ]);
      assert.deepEqual([rs[2].kind, rs[3].kind, rs[5].kind], ["anon", "none", "anon"]);
    });

    it("consequence 1 (v3.18): a moved ring is unusable; io_destroy at the old id unmaps an unrelated mapping, the ring stays", async () => {
      const rs = await runOn(backend, "v3.18", [
        setup(128),
        spare,
        { op: "mremap", addr: "A", old_pages: 3, new_pages: 3, to: "X", name: "B" },
        submit("B", 1),
        { op: "mmap", pages: 4, name: "Z" },
        { op: "mremap", addr: "Z", old_pages: 3, new_pages: 3, to: "A" },
        page("A"),
        { op: "io_destroy", ctx: "A" },
        page("A"),
        page("X"),
      ]);
      assert.deepEqual(errnos(rs).slice(0, 8), [null, null, null, "EINVAL", null, null, null, null]);
      assert.deepEqual([rs[6].kind, rs[8].kind, rs[9].kind], ["anon", "none", "aio"]);
    });

    it("consequence 2 (v3.19+): after a full move the new address works, the old one is EINVAL, io_destroy unmaps exactly the ring", async () => {
      for (const profile of HOOK_PROFILES) {
        const rs = await runOn(backend, profile, [
          setup(128),
          spare,
          submit("A", 4, 7),
          { op: "mremap", addr: "A", old_pages: 3, new_pages: 3, to: "X+2", name: "B" },
          submit("A", 1),
          { op: "user_reap", ctx: "B", max: 10 },
          submit("B", 1),
          { op: "io_destroy", ctx: "B" },
          page("X+1"),
          page("X+2"),
          page("X+4"),
          page("X+5"),
        ]);
        assert.deepEqual(errnos(rs).slice(0, 8), [null, null, null, null, "EINVAL", null, null, null], profile);
        assert.deepEqual(rs[5].data, [7, 8, 9, 10]);
        assert.deepEqual(
          rs.slice(8).map((r) => r.kind),
          ["anon", "none", "none", "anon"],
          profile,
        );
      }
    });

    it("consequence 3: a partial move (2 of 3 pages) succeeds; io_destroy clobbers a neighbour and leaves the third page", async () => {
      for (const profile of ["v3.19", "mainline"] as const) {
        const rs = await runOn(backend, profile, [
          setup(128),
          spare,
          { op: "mremap", addr: "A", old_pages: 2, new_pages: 2, to: "X", name: "B" },
          { op: "io_destroy", ctx: "B" },
          page("X+2"),
          page("A+2"),
          page("X+3"),
        ]);
        assert.deepEqual(errnos(rs).slice(0, 4), [null, null, null, null], profile);
        assert.deepEqual(
          rs.slice(4).map((r) => r.kind),
          ["none", "aio", "anon"],
          profile,
        );
      }
    });

    it("next: a ring move must cover the whole ring -> EINVAL", async () => {
      const rs = await runOn(backend, "next", [setup(128), spare, { op: "mremap", addr: "A", old_pages: 2, new_pages: 2, to: "X" }, page("A+1")]);
      assert.deepEqual([rs[2].errno, rs[3].kind], ["EINVAL", "aio"]);
    });

    it("consequence 4: growing a ring -> EFAULT from v3.19; succeeds in v3.18", async () => {
      for (const profile of PROFILE_NAMES) {
        const grows = profile === "v3.11" || profile === "v3.18";
        const rs = await runOn(backend, profile, [
          setup(1),
          { op: "mremap", addr: "A", old_pages: 1, new_pages: 3, name: "B" },
          ...(grows ? [page("B+2")] : []),
        ]);
        assert.equal(rs[1].errno, grows ? null : "EFAULT", profile);
        if (grows) assert.equal(rs[2].kind, profile === "v3.11" ? "anon" : "aio", profile);
      }
    });

    it("consequence 5: a forked child moving an inherited ring: mainline EINVAL, v3.19 OOPS, v3.18 succeeds, next EFAULT; the parent is unaffected", async () => {
      for (const profile of PROFILE_NAMES) {
        const rs = await runOn(backend, profile, [setup(1), spare, { op: "fork_mremap", addr: "A", pages: 1, to: "X" }, submit("A", 2), page("A"), page("X")]);
        assert.equal(rs[2].errno, FORK_MOVE_OF_RING[profile], profile);
        assert.deepEqual([rs[3].ret, rs[4].kind, rs[5].kind], [2, profile === "v3.11" ? "anon" : "aio", "anon"], profile);
      }
    });

    it("a fork_calls child (FINDINGS 48): its contexts count against aio-nr and leave it at exit; the file and eventfds are shared, its names are its own", async () => {
      for (const profile of PROFILE_NAMES) {
        const rs = await runOn(
          backend,
          profile,
          [
            setup(8, "A"),
            { op: "eventfd", name: "E" },
            {
              op: "fork_calls",
              calls: [
                { op: "io_setup", nr_events: 300, name: "C" },
                { op: "io_setup", nr_events: 100, name: "D" },
                { op: "io_setup", nr_events: 8, name: "A" },
                { op: "io_submit", ctx: "C", count: 2, cmd: "pwrite", data: 5, offset: 16384, resfd: "E" },
                { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 6 },
                { op: "ftruncate", size: 16900 },
              ],
            },
            { op: "io_setup", nr_events: 392, name: "B" },
            { op: "eventfd_read", fd: "E" },
            { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 7, nbytes: 4096, offset: 16384 },
            { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: null },
          ],
          { aio_max_nr: 400 },
        );
        const child = rs[2].results!;
        // 8 + 300 held, then 100 more is past 400; the child's own A is a second context of 8 events.
        assert.deepEqual(
          child.map((r) => r.errno),
          [null, "EAGAIN", null, null, null, null],
          profile,
        );
        assert.equal(child[4].ret, 1, `${profile}: the child's A is its own context`);
        // The child held 308 at exit: the parent's 8 + 392 fits only once they are gone.
        assert.equal(rs[3].errno, null, profile);
        assert.deepEqual([rs[4].value, rs[6].res], [2, [516]], profile);
      }
    });

    it("mainline: one mremap moves two adjacent rings, each hooked; older profiles need one VMA (EFAULT)", async () => {
      for (const profile of PROFILE_NAMES) {
        const rs = await runOn(backend, profile, [
          setup(1, "A"),
          setup(1, "B"),
          spare,
          { op: "mmap", pages: 16, name: "Y" },
          { op: "mremap", addr: "A", old_pages: 1, new_pages: 1, to: "X" },
          { op: "mremap", addr: "B", old_pages: 1, new_pages: 1, to: "X+1", name: "B2" },
          { op: "mremap", addr: "X", old_pages: 2, new_pages: 2, to: "Y+4" },
          submit("Y+4", 1),
          submit("Y+5", 1),
        ]);
        const multi = profile === "mainline" || profile === "next";
        assert.equal(rs[6].errno, multi ? null : "EFAULT", profile);
        if (multi) assert.deepEqual([rs[7].ret, rs[8].ret], [1, 1], profile);
      }
    });

    it("measured: a multi-VMA move over ring, hole, ring moves both rings; the hole's target keeps its pages", async () => {
      const rs = await runOn(backend, "mainline", [
        setup(1, "A"),
        setup(1, "B"),
        spare,
        { op: "mmap", pages: 16, name: "Y" },
        { op: "mremap", addr: "A", old_pages: 1, new_pages: 1, to: "X" },
        { op: "mremap", addr: "B", old_pages: 1, new_pages: 1, to: "X+2" },
        { op: "munmap", addr: "X+1", pages: 1 },
        { op: "mremap", addr: "X", old_pages: 3, new_pages: 3, to: "Y+4" },
        submit("Y+4", 1),
        submit("Y+6", 1),
        page("Y+5"),
        page("X+1"),
      ]);
      assert.deepEqual([rs[7].errno, rs[8].ret, rs[9].ret, rs[10].kind, rs[11].kind], [null, 1, 1, "anon", "none"]);
    });

    it("mainline: the hook refuses a ring it cannot find, and the move is undone", async () => {
      // After io_destroy the ring file has no context, but a third page of a partial move is left mapped.
      const steps: Step[] = [
        setup(128),
        spare,
        { op: "mremap", addr: "A", old_pages: 2, new_pages: 2, to: "X" },
        { op: "io_destroy", ctx: "X" },
        { op: "mremap", addr: "A+2", old_pages: 1, new_pages: 1, to: "X+8" },
        page("A+2"),
        page("X+8"),
      ];
      const rs = await runOn(backend, "mainline", steps);
      assert.deepEqual([rs[4].errno, rs[5].kind], ["EINVAL", "aio"]);
      const old = await runOn(backend, "v3.19", steps);
      assert.deepEqual([old[4].errno, old[5].kind, old[6].kind], [null, "none", "aio"], "v3.19's void hook lets it move");
    });

    it("measured: a MREMAP_DONTUNMAP piece beside its source merges with both sides on 6.18, the other side on 6.12, nothing on 6.1 (FINDINGS 54)", async () => {
      // A VMA boundary at page B is EFAULT for a 2-page growth from B-1 without MREMAP_MAYMOVE; inside one VMA it is ENOMEM.
      const across = (b: string): Step => ({ op: "mremap", addr: b, old_pages: 2, new_pages: 3, maymove: false });
      const steps: Step[] = [
        { op: "mmap", pages: 40, name: "R" },
        { op: "munmap", addr: "R", pages: 40 },
        // The source S on the left, another VMA on the right of where its pages 4-5 land.
        { op: "mmap", pages: 8, name: "S", at: "R" },
        { op: "mmap", pages: 4, name: "Q", at: "R+10" },
        { op: "mremap", addr: "S+4", old_pages: 2, new_pages: 2, to: "R+8", dontunmap: true },
        across("R+7"),
        across("R+9"),
        // Between two VMAs, its source far away: merges with both everywhere.
        { op: "mmap", pages: 2, name: "L", at: "R+20" },
        { op: "mmap", pages: 4, name: "N", at: "R+24" },
        { op: "mmap", pages: 2, name: "F", at: "R+34" },
        { op: "mremap", addr: "F", old_pages: 2, new_pages: 2, to: "R+22", dontunmap: true },
        across("R+21"),
        across("R+23"),
      ];
      const boundaries = (rs: StepResult[]) => [5, 6, 11, 12].map((i) => rs[i].errno);
      for (const [profile, want] of [
        ["mainline", ["ENOMEM", "ENOMEM"]],
        ["v6.12", ["EFAULT", "ENOMEM"]],
        ["v6.1", ["EFAULT", "EFAULT"]],
      ] as const) {
        const rs = await runOn(backend, profile, steps);
        assert.deepEqual(boundaries(rs), [...want, "ENOMEM", "ENOMEM"], profile);
      }
    });
  });
}

for (const backend of BACKENDS) {
  describe(`${backend}: anonymous memory without the zero page (FINDINGS 33)`, () => {
    const arena: Step = { op: "mmap", pages: 16, name: "S" };
    // lookup_ioctx reads the ring id at the context address: here, one page of the arena.
    const lookup = (ctx: string): Step => ({ op: "io_getevents", ctx, min_nr: 0, nr: 1, timeout_ns: 0 });
    const pagesAt = (rs: StepResult[], from: number) => rs.slice(from).map((r) => r.pages ?? r.kind);
    // The measured C reproduction: touch page 1, unmap pages 4-5, move pages 8-9 to 4.
    const reproduction: Step[] = [
      arena,
      lookup("S+1"),
      { op: "munmap", addr: "S+4", pages: 2 },
      { op: "mremap", addr: "S+8", old_pages: 2, new_pages: 2, to: "S+4" },
      ring("S"),
      ring("S+4"),
      ring("S+6"),
      page("S+8"),
      ring("S+10"),
    ];

    it("relocation only without an anon_vma: a faulted piece keeps its offset and merges with neither neighbour", async () => {
      const rs = await runOn(backend, "mainline", reproduction, { zero_page: false });
      assert.equal(rs[1].errno, "EINVAL");
      assert.deepEqual(pagesAt(rs, 4), [4, 2, 2, "none", 6]);
    });

    it("zero_page true (the default) is unchanged: the read maps the zero page, the moved piece merges into [0, 8)", async () => {
      const byDefault = await runOn(backend, "mainline", reproduction);
      assert.deepEqual(pagesAt(byDefault, 4), [8, 8, 8, "none", 6]);
      assert.deepEqual(await runOn(backend, "mainline", reproduction, { zero_page: true }), byDefault);
      const untouched = reproduction.filter((s) => s.op !== "io_getevents");
      assert.deepEqual(pagesAt(await runOn(backend, "mainline", untouched, { zero_page: false }), 3), [8, 8, 8, "none", 6]);
    });

    it("v3.11's list lookup reads no user memory, so nothing is faulted", async () => {
      const v311 = await runOn(backend, "v3.11", reproduction, { zero_page: false });
      assert.deepEqual(v311, await runOn(backend, "v3.11", reproduction, { zero_page: true }));
    });

    it("a split keeps one anon_vma: a mapping in the hole merges both pieces back", async () => {
      const rs = await runOn(
        backend,
        "mainline",
        [arena, lookup("S+1"), { op: "munmap", addr: "S+8", pages: 1 }, ring("S"), { op: "mmap", pages: 1, name: "T" }, page("S+8"), ring("S")],
        { zero_page: false },
      );
      assert.deepEqual([rs[3].pages, rs[5].kind, rs[6].pages], [8, "anon", 16]);
    });

    it("separately faulted neighbours do not merge: a mapping between them joins the left one only", async () => {
      // Two neighbours faulted one by one, then a mapping in the hole between them.
      const faulted = [
        { op: "mmap", pages: 8, name: "S" },
        { op: "munmap", addr: "S+4", pages: 1 },
        lookup("S+1"),
        lookup("S+5"),
        { op: "mmap", pages: 1, name: "T" },
      ] as const;
      const rs = await runOn(backend, "mainline", [...faulted, page("S+4"), ring("S"), ring("S+5")], { zero_page: false });
      assert.deepEqual(pagesAt(rs, 5), ["anon", 5, 3]);
      const zero = await runOn(backend, "mainline", [...faulted, ring("S")]);
      assert.equal(zero[5].pages, 8, "with the zero page all three merge");
    });

    it("a move merges with its own source before the old range is cut: the rest of the source shares the anon_vma (FINDINGS 35)", async () => {
      // The measured C reproduction: [2,3) faulted, page 7 of [4,32) moved to 3, then page 12 (of what is left) to 7.
      const setUp: Step[] = [
        { op: "mmap", pages: 32, name: "S" },
        { op: "munmap", addr: "S+1", pages: 1 },
        { op: "munmap", addr: "S+3", pages: 1 },
        lookup("S+2"),
        { op: "munmap", addr: "S+20", pages: 1 },
        { op: "mremap", addr: "S+7", old_pages: 1, new_pages: 1, to: "S+3" },
      ];
      const sourceRest: Step = { op: "mremap", addr: "S+12", old_pages: 1, new_pages: 1, to: "S+7" };
      const rs = await runOn(backend, "mainline", [...setUp, ring("S+2"), ring("S+8"), sourceRest, ring("S+2"), ring("S+7"), ring("S+8")], {
        zero_page: false,
      });
      assert.deepEqual(pagesAt(rs, 6), [5, 12, undefined, 5, 1, 4], "what is left of the source keeps its offsets when moved: no merge");
      // A piece of a sibling VMA the move never touched still takes its new offset and merges.
      const sibling: Step = { op: "mremap", addr: "S+25", old_pages: 1, new_pages: 1, to: "S+7" };
      const other = await runOn(backend, "mainline", [...setUp, sibling, ring("S+2")], { zero_page: false });
      assert.equal(other[7].pages, 18, "[2,7), the piece and [8,20) are one VMA");
      const zero = await runOn(backend, "mainline", [...setUp, sourceRest, ring("S+2")]);
      assert.equal(zero[7].pages, 10, "with the zero page nothing has an anon_vma: the moved page joins [2,7) and [8,12)");
    });
  });
}
