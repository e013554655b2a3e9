// The WASM core against the TypeScript model, its oracle: the same call
// sequences on both, for every profile, must give deep-equal results (raw
// addresses included: both place mappings the same way), and the same ring
// bytes. Run: node scripts/build-wasm.mjs && npx tsc -p tsconfig.json &&
// node --test dist/test/wasm-core.test.js
import { describe, test } from "node:test";
import { asChildCall, asChildStep, type ChildStep } from "../src/contract/scenario.js";
import { randomLoop } from "../src/scenario/random-args.js";
import { Prng } from "../src/util/prng.js";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { AIO_RING_MAGIC } from "../assembly/abi/ring.js";
import { IOCB_BYTES } from "../assembly/abi/codes.js";
import { WasmProcess } from "../src/core/wasm-backend.js";
import { errnoName, isErr } from "../src/core/errno.js";
import { BOGUS_ADDRESS, PAGE_SIZE } from "../src/model/mm.js";
import { PROFILES, PROFILE_NAMES } from "../src/contract/profile.js";
import type { AioBackend } from "../src/contract/backend.js";
import type { AddrExpr, Scenario, Step } from "../src/contract/scenario.js";
import { uniform } from "./helpers/synthetic.js";
import { FORK_MOVE_OF_RING } from "./helpers.js";
import { CONFIG, Pair, ringFile, runBoth } from "./helpers/wasm-pair.js";

const P = PAGE_SIZE;

describe("wasm core = model", () => {
  for (const profile of PROFILE_NAMES) {
    describe(profile, () => {
      test("ring geometry and header", () => {
        const pair = new Pair(profile);
        const doubled = PROFILES[profile].doubledGeometry;
        const expected: [number, number, number][] = doubled
          ? [
              [1, 127, 1],
              [128, 383, 3],
              [1000, 2047, 16],
            ]
          : [
              [1, 127, 1],
              [128, 255, 2],
              [1000, 1023, 8],
            ];
        for (const [nr_events, nr, pages] of expected) {
          const ctx = pair.setup(nr_events);
          const r = pair.call("ring", (b) => b.ring(ctx));
          assert.ok(r.errno === null && "nr" in r);
          assert.equal(r.nr, nr);
          assert.equal(r.pages, pages);
          assert.equal(r.magic, AIO_RING_MAGIC);
          assert.equal(r.idIsSetupAddress, PROFILES[profile].ringIdIsAddress);
          pair.sameBytes(ctx);
          pair.call("page", (b) => b.page(ctx));
        }
      });

      test("request slots: capacity from one CPU, then reaping makes room", () => {
        const capacities = PROFILES[profile].reqSlots === "percpu" ? [120, 376, 2040] : [126, 254, 1022];
        [1, 128, 1000].forEach((nr_events, i) => {
          const pair = new Pair(profile);
          const ctx = pair.setup(nr_events);
          let submitted = 0;
          for (;;) {
            const r = pair.call("io_submit", (b) => b.io_submit(ctx, 1, "pread", submitted));
            if (r.errno !== null) {
              assert.equal(r.errno, "EAGAIN");
              break;
            }
            submitted++;
          }
          assert.equal(submitted, capacities[i]);
          pair.sameBytes(ctx);
          // Reap some either way, then fill again: both sides must agree on every count.
          pair.call("user_reap", (b) => b.user_reap(ctx, 7));
          pair.call("io_getevents", (b) => b.io_getevents(ctx, 3, 5, 0));
          for (let k = 0; k < 20; k++) pair.call("io_submit", (b) => b.io_submit(ctx, 1, "pwrite", 1000 + k));
          pair.call("io_getevents", (b) => b.io_getevents(ctx, 0, 100000, null));
          pair.call("user_reap", (b) => b.user_reap(ctx, 100000));
          pair.call("ring", (b) => b.ring(ctx));
          for (let k = 0; k < 3; k++) pair.sameBytes(ctx + k * P);
        });
      });

      test("stored heads: slots credited at each completion from the header's head, events stored and read back", () => {
        const pair = new Pair(profile);
        const ctx = pair.setup(64);
        const fill = (data: number) => pair.call(`fill ${data}`, (b) => b.io_submit(ctx, 300, "pwrite", data));
        fill(1);
        pair.call("reap 5", (b) => b.io_getevents(ctx, 0, 5, 0));
        fill(1000);
        // Behind, past nr, 2^32-1, just ahead of the tail, at the tail: each changes what the next fill takes.
        for (const head of [0, 300, 2 ** 32 - 1, 100, 254, 7]) {
          pair.call(`store head ${head}`, (b) => b.store_head(ctx, head));
          fill(head);
          pair.call("ring", (b) => b.ring(ctx));
        }
        pair.call("store event", (b) => b.store_event(ctx, 3, { data: 77, res: -5, res2: -1 }));
        pair.call("read slots", (b) => b.ring_events(ctx, 0, 6));
        pair.call("head 3", (b) => b.store_head(ctx, 3));
        pair.call("reap the stored event", (b) => b.io_getevents(ctx, 0, 2, 0));
        pair.sameBytes(ctx);
      });

      test("submit runs: heads stored at, behind and ahead of the tail, counts across cache batches, the ring's end and EAGAIN", () => {
        // The WASM core takes and completes a run at once (Kioctx.take_and_complete), the model block by block:
        // a credited first block, a run landing the tail on the head, batches from the global counter, a take that fails.
        // 2 CPUs: batches of 15 from 126 slots; 9 and 63 CPUs: batches of 3 and 1, which the global count can equal.
        for (const cpus of [2, 9, 63]) {
          const pair = new Pair(profile, { ...CONFIG, cpus });
          const ctx = pair.setup(4);
          const rng = new Prng(0x51c + PROFILE_NAMES.indexOf(profile));
          for (let round = 0; round < 600; round++) {
            const r = pair.call("ring", (b) => b.ring(ctx));
            assert.ok(r.errno === null && "tail" in r);
            const { nr, tail } = r;
            const head = [tail, (tail + nr - 1) % nr, (tail + 1) % nr, (tail + 2) % nr, rng.below(nr)][rng.below(5)];
            if (rng.chance(0.7)) pair.call(`store head ${head}`, (b) => b.store_head(ctx, head));
            const count = [1, 2, 3, 14, 15, 16, 17, 31, 60, 126, 127][rng.below(11)];
            const poll = rng.chance(0.3);
            pair.call(`submit ${count}`, (b) => b.io_submit(ctx, count, poll ? "poll" : "pread", round, poll ? { events: 1 } : {}));
            const reap = rng.chance(0.3) ? rng.below(40) : -1;
            if (reap >= 0) pair.call(`io_getevents ${reap}`, (b) => b.io_getevents(ctx, 0, reap, 0));
          }
          pair.sameBytes(ctx);
        }
      });

      test("io_submit options: a field left out or undefined is its default, a given one is used", () => {
        const pair = new Pair(profile);
        const ctx = pair.setup(16);
        pair.call("undefined fields", (b) => b.io_submit(ctx, 1, "pwrite", 1, { fd: undefined, offset: undefined, nbytes: 100 }));
        pair.call("a closed fd", (b) => b.io_submit(ctx, 1, "pread", 2, { fd: "bad" }));
        pair.call("array unreadable at entry 1", (b) => b.io_submit(ctx, 3, "pread", 3, { faultAt: 1 }));
        const r = pair.call("reap", (b) => b.io_getevents(ctx, 0, 10, 0));
        assert.ok(r !== null);
        assert.deepEqual(r.data, [1, 3]);
        assert.deepEqual(r.res, [100, IOCB_BYTES]);
      });

      test("full move, destroy after the move", () => {
        const pair = new Pair(profile);
        const a = pair.setup(128);
        pair.call("io_submit", (b) => b.io_submit(a, 5, "pread", 10));
        const s = pair.mmap(16);
        const pages = pair.ringPages(a);
        const moved = pair.call("mremap A -> S", (b) => b.mremap(a, pages, pages, s));
        assert.equal(moved.errno, null);
        pair.call("submit at new address", (b) => b.io_submit(s, 2, "pread", 20));
        pair.call("submit at old address", (b) => b.io_submit(a, 2, "pread", 30));
        pair.call("user_reap at new address", (b) => b.user_reap(s, 100));
        pair.sameBytes(s);
        // A fresh mapping now covers the old base (v3.18: the stale id reaches slot 0 through its zero header).
        const x = pair.mmap(pages);
        assert.equal(x, a);
        pair.call("io_destroy old", (b) => b.io_destroy(a));
        pair.call("page old", (b) => b.page(a));
        pair.call("page new", (b) => b.page(s));
        pair.call("io_destroy new", (b) => b.io_destroy(s));
        pair.call("page new after destroy", (b) => b.page(s));
        if (profile === "v3.18") {
          // The seed's second bug: destroying the old id unmapped the unrelated mapping, the ring stays at S.
          assert.equal(pair.model.page(a), "none");
          assert.equal(pair.model.page(s), "aio");
        }
        if (profile === "mainline") assert.equal(pair.model.page(s), "none");
      });

      test("partial move, then destroy from the new base", () => {
        const pair = new Pair(profile);
        const s = pair.mmap(16);
        const a = pair.setup(128);
        const r = pair.call("mremap 2 of 3 pages", (b) => b.mremap(a, 2, 2, s + 4 * P));
        if (profile === "next") assert.equal(r.errno, "EINVAL");
        else assert.equal(r.errno, null);
        for (let k = 0; k < 8; k++) pair.call("page", (b) => b.page(s + k * P));
        pair.call("page A+2", (b) => b.page(a + 2 * P));
        pair.call("io_destroy", (b) => b.io_destroy(s + 4 * P));
        for (let k = 0; k < 8; k++) pair.call("page after destroy", (b) => b.page(s + k * P));
        pair.call("page A+2 after destroy", (b) => b.page(a + 2 * P));
        pair.sameBytes(a + 2 * P);
      });

      test("growing a ring: EFAULT from v3.19, a move in v3.18", () => {
        const pair = new Pair(profile);
        const a = pair.setup(128);
        const pages = pair.ringPages(a);
        const r = pair.call("grow in place or move", (b) => b.mremap(a, pages, pages + 2, null));
        if (PROFILES[profile].ringDontExpand) assert.equal(r.errno, "EFAULT");
        else assert.equal(r.errno, null);
        const at = r.errno === null ? r.addr : a;
        // Reading the grown tail faults: the ring file ends at 3 pages.
        pair.call("user_reap", (b) => b.user_reap(at, 10));
        pair.call("page past the file", (b) => b.page(at + (pages + 1) * P));
        pair.sameBytes(at + (pages + 1) * P);
        pair.call("ring", (b) => b.ring(at));
      });

      test("a forked child's moves and calls; the parent is unaffected", () => {
        const pair = new Pair(profile);
        const a = pair.setup(128);
        const s = pair.mmap(16);
        pair.call("io_submit", (b) => b.io_submit(a, 2, "pread", 1));
        const move = (addr: number, pages: number, to: number) => (b: AioBackend) => b.inChild((c) => c.mremap(addr, pages, pages, to));
        const r = pair.call("fork move of the ring", move(a, pair.ringPages(a), s));
        assert.equal(r.errno, FORK_MOVE_OF_RING[profile]);
        pair.call("partial fork move", move(a, 1, s + 8 * P));
        pair.call("anon fork move", move(s, 2, s + 4 * P));
        // The child has no context table: every call on the parent's context is EINVAL; a context of its own dies with it.
        const child = pair.call("child submit, reap, destroy, setup", (b) =>
          b.inChild((c) => [c.io_submit(a, 1, "pread", 5).errno, c.io_getevents(a, 0, 4, 0)?.errno, c.io_destroy(a).errno, c.io_setup(8, "zero").errno]),
        );
        assert.deepEqual(child, ["EINVAL", "EINVAL", "EINVAL", null]);
        pair.call("page S", (b) => b.page(s));
        pair.call("ring", (b) => b.ring(a));
        pair.call("io_getevents", (b) => b.io_getevents(a, 2, 2, null));
        pair.call("io_destroy", (b) => b.io_destroy(a));
      });

      test("one mremap over several VMAs (6.17+)", () => {
        const pair = new Pair(profile);
        const s = pair.mmap(16);
        const d = pair.mmap(16);
        const a = pair.setup(1);
        const b2 = pair.setup(1);
        pair.call("A -> S", (b) => b.mremap(a, 1, 1, s));
        pair.call("B -> S+2", (b) => b.mremap(b2, 1, 1, s + 2 * P));
        pair.call("hole at S+1", (b) => b.munmap(s + P, 1));
        const r = pair.call("S..S+3 -> D+4", (b) => b.mremap(s, 3, 3, d + 4 * P));
        if (PROFILES[profile].multiVmaMove) assert.equal(r.errno, null);
        else assert.equal(r.errno, "EFAULT");
        for (let k = 0; k < 8; k++) pair.call("page D", (b) => b.page(d + k * P));
        for (let k = 0; k < 4; k++) pair.call("page S", (b) => b.page(s + k * P));
        pair.call("submit T", (b) => b.io_submit(d + 4 * P, 1, "pread", 1));
        pair.call("submit T+2", (b) => b.io_submit(d + 6 * P, 1, "pread", 2));
        pair.call("range without VMA", (b) => b.mremap(s + 8 * P, 2, 2, d + 12 * P));
        pair.sameBytes(d + 4 * P);
        pair.sameBytes(d + 6 * P);
      });

      test("ioctx table growth x4, lowest free slot, stale ids", () => {
        const pair = new Pair(profile);
        const ctxs = Array.from({ length: 20 }, () => pair.setup(1));
        for (const i of [3, 7, 0]) pair.call("destroy", (b) => b.io_destroy(ctxs[i]));
        for (let i = 0; i < 4; i++) {
          const c = pair.setup(1);
          pair.call("ring", (b) => b.ring(c));
        }
        pair.call("destroy stale", (b) => b.io_destroy(ctxs[3]));
        for (const c of ctxs) pair.call("ring", (b) => b.ring(c));
        // The hook scans the grown table.
        const s = pair.mmap(4);
        pair.call("move the last", (b) => b.mremap(ctxs[19], 1, 1, s));
      });

      test("every scenario file", () => {
        const dir = new URL("../../test/scenarios/", import.meta.url);
        for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
          const doc = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as Scenario;
          const config = {
            cpus: doc.cpus ?? 2,
            aio_max_nr: doc.aio_max_nr ?? 65536,
            aio_nr: doc.aio_nr ?? 0,
            zero_page: doc.zero_page ?? true,
            tmpfs_bytes: doc.tmpfs_bytes,
          };
          runBoth(new Pair(profile, config), doc.steps, file);
        }
      });

      test("random call sequences", () => {
        const random = uniform(0x5eed + PROFILE_NAMES.indexOf(profile));
        const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
        const ctxNames = ["A", "B", "C"];
        const mapNames = ["S", "T"];
        const all = [...ctxNames, ...mapNames];
        const addr = (): AddrExpr => {
          if (random() < 0.04) return pick<AddrExpr>([0, "bogus"]);
          const base = pick(all);
          const r = random();
          return r < 0.6 ? base : r < 0.65 ? `${base}+1b` : `${base}+${int(0, 4)}`;
        };
        const step = (): Step => {
          const k = int(0, 99);
          if (k < 10)
            return {
              op: "io_setup",
              nr_events: pick([1, 1, 2, 60, 128, 200, 1000, 0, 2 ** 32 - 1, 5000]),
              name: pick(ctxNames),
              ...(random() < 0.03 ? { ctxp: "nonzero" as const } : {}),
            };
          if (k < 14) return { op: "io_destroy", ctx: addr() };
          if (k < 34) {
            const cmd = pick(["pread", "pwrite", "pread", "fsync", "fdsync", "bad", "noop", "preadv", "pwritev"] as const);
            // A vectored block's array: a few segments, none, one past UIO_MAXIOV, or one the kernel cannot read.
            const iov = () => pick([[512], [0], [], [100, 4096, 7], Array<number>(1025).fill(1), Array<number>(1024).fill(16), 0, "bogus"] as const);
            const vectored = cmd === "preadv" || cmd === "pwritev";
            return {
              op: "io_submit",
              ctx: addr(),
              count: pick([1, 1, 3, 17, 100, 300, -1, 0]),
              cmd,
              data: int(0, 2 ** 40),
              ...(random() < 0.15 ? { fd: pick(["bad", "rdonly", "wronly", "append", "direct"] as const) } : {}),
              ...(vectored ? { iov: iov() as number[] | 0 | "bogus" } : {}),
              ...(random() < 0.3
                ? { ...(vectored ? {} : { nbytes: pick([0, 1, 512, 4096, 65536]) }), offset: pick([0, 100, 16000, 16384, 20000, 2 ** 31, -1]) }
                : {}),
              // Every RWF_* bit some kernel knows, one none knows, the top bit, and the pairs the kernels order (FINDINGS 44).
              ...(random() < 0.2
                ? { rw_flags: pick([0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x80000000, 0x30, 0x38, 0x21, 0x11, 0x130, 0x80000030]) }
                : {}),
              // An eventfd (bound or not), a closed descriptor or the test file; a priority of every class, with a hint now and then (FINDINGS 46).
              ...(random() < 0.15 ? { resfd: pick(["E", "F", "E", "bad", "file"]) } : {}),
              ...(random() < 0.15 ? { ioprio: { class: int(0, 7), level: pick([0, 0, 3, 7]), ...(random() < 0.3 ? { hint: pick([1, 8, 1023]) } : {}) } } : {}),
              ...(random() < 0.03 ? { aio_flags: pick([4, 0x80000000]) } : {}),
            };
          }
          if (k < 44) {
            const nr = int(-1, 40);
            return { op: "io_getevents", ctx: addr(), min_nr: int(-1, nr + 1), nr, timeout_ns: pick([null, 0, 0, 1000, -1]) };
          }
          if (k < 48) {
            const nr = int(-1, 40);
            const sig =
              random() < 0.15
                ? { usig: pick([0, "bogus"] as const) }
                : { sigmask: pick([0, "unblock", "unblock", "block", "bogus"] as const), ...(random() < 0.1 ? { sigsetsize: pick([0, 4, 16]) } : {}) };
            return { op: "io_pgetevents", ctx: addr(), min_nr: int(-1, nr + 1), nr, timeout_ns: pick([null, 0, 0, 1000, -1]), ...sig };
          }
          if (k < 49) return { op: "raise" };
          if (k < 50)
            return random() < 0.6
              ? { op: "ftruncate", size: pick([0, 100, 16384, 20000]) }
              : { op: "setrlimit_fsize", bytes: pick([0, 512, 16384, 16500, "infinity"] as const) };
          if (k < 54) return { op: "user_reap", ctx: addr(), max: pick([1, 5, 50, 1000, 0, -1]) };
          if (k < 57) return { op: "ring", ctx: addr() };
          if (k < 60) {
            // User space in a ring: heads of any u32 decide later io_submit counts (FINDINGS 51).
            const r = int(0, 2);
            if (r === 0) return { op: "store_head", ctx: addr(), head: pick([0, 1, int(0, 300), 254, 2 ** 32 - 1]) };
            if (r === 1) return { op: "store_event", ctx: addr(), slot: int(0, 300), data: int(0, 999), res: int(-30, 600), res2: int(-1, 1) };
            return { op: "ring_events", ctx: addr(), slot: int(0, 300), count: int(0, 20) };
          }
          // Now and then MAP_SHARED, read-only or PROT_NONE (FINDINGS 59).
          if (k < 64)
            return {
              op: "mmap",
              pages: pick([1, 2, 4, 16, 0]),
              name: pick(mapNames),
              ...(random() < 0.3 ? { shared: true } : {}),
              ...(random() < 0.2 ? { prot: pick(["r", "none"] as const) } : {}),
            };
          // At the highest free odd multiple of a power of two (FINDINGS 55).
          if (k < 66) return { op: "mmap", pages: pick([1, 3, 600, 0]), name: pick(mapNames), align: pick([2, 8, 512, 2 ** 18]) };
          if (k < 71) return { op: "munmap", addr: addr(), pages: int(0, 5) };
          if (k < 86) {
            const old_pages = int(0, 4);
            const grow = random() < 0.2;
            return {
              op: "mremap",
              addr: addr(),
              old_pages,
              new_pages: grow ? old_pages + int(1, 3) : random() < 0.2 ? int(0, old_pages) : old_pages,
              ...(random() < 0.8 ? { to: addr() } : {}),
              ...(random() < 0.7 ? { name: pick(all) } : {}),
            };
          }
          if (k < 87) return { op: "fork_mremap", addr: addr(), pages: int(1, 4), to: addr() };
          if (k < 88)
            return random() < 0.7
              ? { op: "eventfd_read", fd: pick(["E", "F"]) }
              : {
                  op: "eventfd",
                  name: pick(["E", "F"]),
                  ...(random() < 0.3 ? { initval: pick([1, 2 ** 32 - 1]) } : {}),
                  ...(random() < 0.3 ? { semaphore: true as const } : {}),
                };
          if (k < 90) {
            // A forked child's call: any step a child may make.
            for (;;) {
              const call = asChildCall(step());
              if (call) return { op: "fork", call };
            }
          }
          if (k < 92) {
            // A fork_calls child: a few of the steps it may run, then its exit.
            const calls: ChildStep[] = [];
            for (let n = int(1, 8); calls.length < n; ) {
              const c = asChildStep(step());
              if (c) calls.push(c);
            }
            return { op: "fork_calls", calls };
          }
          if (k < 95) {
            // Pipes and poll blocks (FINDINGS 53): made, written (waking the read end's waiters), read, polled, and earlier poll blocks cancelled.
            const r = random();
            const pipe = pick(["P", "Q"]);
            if (r < 0.1) return { op: "pipe", name: pipe };
            if (r < 0.3) return { op: "pipe_write", pipe, bytes: pick([0, 1, 3, 4096]) };
            if (r < 0.4) return { op: "pipe_read", pipe, bytes: pick([0, 1, 100, 4096]) };
            if (r < 0.6 && polls.length > 0) return { op: "io_cancel", ctx: addr(), submit: pick(polls), block: int(0, 2) };
            polls.push(at);
            return {
              op: "io_submit",
              ctx: addr(),
              count: pick([1, 2, 3, 300]),
              cmd: "poll",
              data: int(0, 2 ** 40),
              events: pick([1, 2, 4, 5, 64, 256, 0, 0xffff, 0x10000]),
              ...(random() < 0.8 ? { fd: `${pipe}.${pick(["read", "write"] as const)}` as const } : {}),
              ...(random() < 0.1 ? { nbytes: 1 } : {}),
            };
          }
          if (k < 97) return { op: "page", addr: addr() };
          // The I/O buffer's bytes, where reads land and writes come from: filled and peeked around the blocks' ranges.
          return random() < 0.5
            ? { op: "buf_fill", offset: pick([0, 0, 1, 100, 4096]), bytes: pick([1, 100, 512, 4096, 65536]), value: pick([0, 1, 0x42, 0xff]) }
            : { op: "buf_peek", offset: pick([0, 0, 1, 100, 4096]), bytes: pick([100, 512, 4096, 70000]) };
        };
        // The index of the top-level step being drawn, and those that submitted poll blocks, for io_cancel to name.
        let at = 0;
        let polls: number[] = [];
        // Now and then a small bounded loop of such steps (the fuzzers' loops).
        const loopRng = new Prng(0x100b + PROFILE_NAMES.indexOf(profile));
        const loop = (): Step => randomLoop(loopRng, step, addr) ?? step();
        const batchRandom = uniform(0xba7c + PROFILE_NAMES.indexOf(profile));
        for (let run = 0; run < 20; run++) {
          const config = { cpus: pick([1, 2, 4]), aio_max_nr: pick([65536, 65536, 4096, 300]), aio_nr: pick([0, 0, 100]), zero_page: pick([true, false]) };
          // Every other run on a tmpfs with no room past the file, one page or twelve (FINDINGS 49).
          if (run % 2) Object.assign(config, { tmpfs_bytes: pick([16384, 20480, 65536]) });
          polls = [];
          const steps = Array.from({ length: 250 }, (_, i) => {
            at = i;
            return random() < 0.04 ? loop() : step();
          });
          const pair = new Pair(profile, config);
          const label = `random run ${run} ${JSON.stringify(config)}`;
          // Now and then a batch of zero-timeout reads (getevents_calls, which
          // keeps the id's translation and the table across its calls) against
          // as many io_getevents(ctx, 1, 1, 0) of the model, on whatever state
          // the steps left: moved, destroyed or forked rings, forged heads and ids.
          runBoth(pair, steps, label, (i, names) => {
            if (names.size === 0 || batchRandom() > 0.3) return;
            const bound = [...names.values()];
            const id = bound[Math.floor(batchRandom() * bound.length)] + [0, 0, 0, 8, P - 2][Math.floor(batchRandom() * 5)];
            const calls = 1 + Math.floor(batchRandom() * 4);
            let [reaped, errno]: [number, string | null] = [0, null];
            for (let c = 0; c < calls && errno === null; c++) {
              const m = pair.model.io_getevents(id, 1, 1, 0)!;
              [reaped, errno] = [reaped + m.ret, m.errno];
            }
            const r = pair.wasm.getEventsZeroTimeout(id, calls);
            assert.equal(isErr(r) ? errnoName(r) : r, errno ?? reaped, `${profile}: ${label}: after step ${i}: ${calls} calls at ${id}`);
          });
        }
      });

      test("batch exports agree with the syscalls", () => {
        const pair = new Pair(profile);
        const { model, wasm } = pair;
        const ctx = pair.setup(1000);
        let sum = 0n;
        for (let round = 0; round < 40; round++) {
          const n = 1 + ((round * 37) % 200);
          const data = round * 1000;
          const s = wasm.submitBatch(ctx, n, data);
          const m = model.io_submit(ctx, n, "pread", data);
          assert.equal(s < 0 ? -1 : s, m.ret);
          const r = wasm.reapBatch(ctx, n);
          const mr = model.user_reap(ctx, n);
          assert.equal(r < 0 ? -1 : r, mr.ret);
          for (const v of mr.data) sum += BigInt(v);
          assert.equal(wasm.checksum(), sum);
        }
        pair.sameBytes(ctx);
        wasm.submitBatch(ctx, 10, 7);
        model.io_submit(ctx, 10, "pread", 7);
        assert.equal(wasm.getEventsBatch(ctx, 4), model.io_getevents(ctx, 0, 4, 0)!.ret);
        let reaped = 0;
        for (let i = 0; i < 8; i++) reaped += model.io_getevents(ctx, 1, 1, 0)!.ret;
        assert.equal(wasm.getEventsZeroTimeout(ctx, 8), reaped);
        pair.call("ring after batches", (b) => b.ring(ctx));

        // lookup_batch: live ids, stale ids, ids that point nowhere.
        const others = [pair.setup(1), pair.setup(1)];
        pair.call("destroy", (b) => b.io_destroy(others[0]));
        const ids = [ctx, others[0], others[1], 0, BOGUS_ADDRESS, ctx + 1, ctx + P];
        const found = ids.filter((id) => model.lookup_ioctx(id) !== null).length;
        assert.equal(wasm.lookupBatch(Float64Array.from(ids)), found);
        assert.equal(wasm.lookupBatch(BigUint64Array.from(ids.map(BigInt))), found);

        // remap_batch: the ring to a spare range and back through the hook.
        const spare = pair.mmap(16);
        const before = wasm.hookSlotsVisited;
        const moves = wasm.remapBatch(ctx, spare, 5);
        const pages = pair.ringPages(ctx);
        let modelMoves = 0;
        for (let i = 0, from = ctx, to = spare; i < 5; i++, [from, to] = [to, from]) {
          if (model.mremap(from, pages, pages, to).errno !== null) break;
          modelMoves++;
        }
        assert.equal(moves, modelMoves);
        assert.equal(wasm.hookSlotsVisited, model.hookSlotsVisited);
        if (PROFILES[profile].remapHook !== "none") assert.ok(wasm.hookSlotsVisited > before);
        pair.call("page spare", (b) => b.page(spare));
        pair.call("page ctx", (b) => b.page(ctx));
      });

      test("getevents_calls answers as that many io_getevents calls, on every path", () => {
        for (const zero_page of [true, false]) {
          const pair = new Pair(profile, { ...CONFIG, zero_page });
          const { model, wasm } = pair;
          const [ctx, gone, anon] = [pair.setup(1), pair.setup(1), pair.mmap(2)];
          pair.call("destroy", (b) => b.io_destroy(gone));
          pair.call("submit", (b) => b.io_submit(ctx, 2, "pread", 5));
          // Events then none, a stale id, a fault, a u32 across two pages, anonymous memory: each twice (TLB cold, then warm).
          for (const id of [ctx, ctx, gone, gone, BOGUS_ADDRESS, anon + P - 2, anon + P - 2, anon + 8, anon + 8]) {
            let [reaped, errno]: [number, string | null] = [0, null];
            for (let i = 0; i < 3 && errno === null; i++) {
              const m = model.io_getevents(id, 1, 1, 0)!;
              [reaped, errno] = [reaped + m.ret, m.errno];
            }
            const r = wasm.getEventsZeroTimeout(id, 3);
            assert.equal(isErr(r) ? errnoName(r) : r, errno ?? reaped, `${profile}, zero_page ${zero_page}: id ${id}`);
          }
          pair.sameBytes(ctx);
        }
      });

      // getevents_calls keeps the id's translation and the table across the
      // calls of a batch: what changes between batches must still be seen.
      test("getevents_calls sees a forged head, a forged id, a moved ring and a destroyed context", () => {
        for (const zero_page of [true, false]) {
          const pair = new Pair(profile, { ...CONFIG, zero_page });
          const { model, wasm } = pair;
          const [ctx, other, anon] = [pair.setup(1), pair.setup(1), pair.mmap(2)];
          const pages = pair.ringPages(ctx);
          const spare = pair.mmap(pages);
          const header = model.ring(ctx);
          assert.ok("nr" in header);
          const calls = (id: number, label: string) => {
            let [reaped, errno]: [number, string | null] = [0, null];
            for (let i = 0; i < 4 && errno === null; i++) {
              const m = model.io_getevents(id, 1, 1, 0)!;
              [reaped, errno] = [reaped + m.ret, m.errno];
            }
            const r = wasm.getEventsZeroTimeout(id, 4);
            assert.equal(isErr(r) ? errnoName(r) : r, errno ?? reaped, `${profile}, zero_page ${zero_page}: ${label}`);
            if (errno === null) pair.sameBytes(id);
          };
          calls(ctx, "empty ring, TLB cold");
          calls(ctx, "empty ring, TLB warm");
          // Equal to the tail modulo nr only: the call stores it reduced.
          pair.call("head nr", (b) => b.store_head(ctx, header.nr));
          calls(ctx, "head forged to nr");
          // Ahead of the tail: the events from there to the end of the ring are read.
          pair.call("head nr - 2", (b) => b.store_head(ctx, header.nr - 2));
          calls(ctx, "head forged behind the tail");
          pair.call("submit", (b) => b.io_submit(ctx, 3, "pread", 9));
          calls(ctx, "three events");
          // An id past the table and one naming another context's slot.
          pair.call("fill ff", (b) => b.fill(anon, 1, 0xff));
          calls(anon, "id past the table");
          pair.call("fill 0", (b) => b.fill(anon, 1, 0));
          calls(anon, "id of another context's slot");
          pair.call("move", (b) => b.mremap(ctx, pages, pages, spare));
          calls(ctx, "the ring's old address");
          calls(spare, "the ring's new address");
          calls(other, "another context");
          pair.call("destroy", (b) => b.io_destroy(other));
          calls(other, "a destroyed context");
        }
      });

      test("ring_loop runs submit + reap inside WASM", () => {
        const wasm = new WasmProcess(PROFILES[profile], CONFIG);
        const ctx = wasm.io_setup(1000, "zero").ctx;
        const r = wasm.ringLoop(ctx, 10000, 256);
        // Single-counter slots (3.11) leak on user reap: the loop runs out.
        if (PROFILES[profile].reqSlots === "single") assert.equal(r, -11);
        else assert.equal(r, (10000 * 9999) / 2);
      });
    });
  }

  test("ring file only from 3.12: v3.11 rings are anonymous pages", () => {
    for (const profile of PROFILE_NAMES) {
      const pair = new Pair(profile);
      const ctx = pair.setup(1);
      assert.equal(pair.model.page(ctx), ringFile(profile) ? "aio" : "anon");
      pair.call("page", (b) => b.page(ctx));
    }
  });

  // The core caches page translations (assembly/mm.ts, a TLB); each read
  // below first fills it, then the map changes under it.
  test("no cached translation outlives a change of the map", () => {
    for (const profile of PROFILE_NAMES) {
      const pair = new Pair(profile);
      const a = pair.setup(128);
      const pages = pair.ringPages(a);
      const spare = pair.mmap(pages);
      const reap = (label: string, at: number) => pair.call(`${label}: user_reap`, (b) => b.user_reap(at, 8));
      const read = (label: string, at: number) => pair.call(`${label}: ring`, (b) => b.ring(at));
      pair.call("submit", (b) => b.io_submit(a, 4, "pread", 7));
      reap("before the move", a);
      read("before the move", a + P);
      pair.call("mremap to spare", (b) => b.mremap(a, pages, pages, spare));
      reap("old address after the move", a);
      read("old page after the move", a + P);
      reap("new address", spare);
      pair.call("munmap of the moved ring", (b) => b.munmap(spare, 1));
      reap("unmapped header page", spare);
      read("event page still mapped", spare + P);
      const c = pair.setup(1);
      reap("second ring", c);
      pair.call("io_destroy", (b) => b.io_destroy(c));
      reap("destroyed ring", c);
      read("destroyed ring", c);
      const d = pair.setup(1);
      reap("ring set up where the destroyed one was", d);
      read("ring set up where the destroyed one was", d);
      pair.sameBytes(d);
    }
  });

  // Pages fill wrote are read through the same cache (a shared page per byte value): each change of
  // their contents, a move carrying them, MREMAP_DONTUNMAP emptying them, must show in the next read.
  test("no cached translation outlives a change of page contents", () => {
    for (const profile of PROFILE_NAMES) {
      const pair = new Pair(profile);
      const s = pair.mmap(4);
      const t = pair.mmap(4);
      const read = (label: string, at: number) => pair.call(`${label}: ring`, (b) => b.ring(at));
      read("zero page", s);
      pair.call("fill", (b) => b.fill(s, 2, 5));
      read("filled", s);
      pair.call("fill again", (b) => b.fill(s, 1, 9));
      read("filled again", s);
      pair.call("move", (b) => b.mremap(s, 2, 2, t));
      read("moved away", s);
      read("moved here", t);
      pair.call("dontunmap back", (b) => b.mremap(t, 2, 2, s, true, true));
      read("left empty", t);
      read("back", s);
      pair.call("peek", (b) => b.peek(s, 4));
      pair.call("io_destroy of a filled id", (b) => b.io_destroy(s + P));
      pair.call("munmap", (b) => b.munmap(s, 2));
      read("unmapped", s);
      pair.call("mmap over it", (b) => b.mmap(2, s));
      read("fresh", s);
    }
  });

  // A shared page's bytes are its object's (FINDINGS 59): read through the cache after a child's fill, a
  // move, a growth past the object; a PROT_NONE or read-only page faults for the reads or writes it refuses.
  test("shared and protected pages read the same through the cache", () => {
    for (const profile of PROFILE_NAMES) {
      const pair = new Pair(profile);
      const read = (label: string, at: number) => pair.call(`${label}: ring`, (b) => b.ring(at));
      const s = pair.call("shared", (b) => b.mmap(2, null, false, 0, true)).addr;
      pair.call("fill", (b) => b.fill(s, 2, 7));
      read("filled", s);
      pair.call("child fill", (b) => b.inChild((c) => c.fill(s + P, 1, 9)));
      read("the child's bytes", s + P);
      assert.deepEqual(
        pair.call("peek", (b) => b.peek(s, 2)),
        [7, 9],
      );
      const t = pair.mmap(8);
      pair.call("move", (b) => b.mremap(s, 2, 4, t));
      read("moved", t + P);
      read("grown past the object", t + 2 * P);
      assert.equal(
        pair.call("fill past the object", (b) => b.fill(t, 4, 1)),
        2,
      );
      pair.call("io_destroy of a grown page's id", (b) => b.io_destroy(t + 3 * P));
      const n = pair.call("none", (b) => b.mmap(1, null, false, 0, false, 0)).addr;
      read("PROT_NONE", n);
      pair.call("io_destroy through PROT_NONE", (b) => b.io_destroy(n));
      const r = pair.call("read-only", (b) => b.mmap(1, null, false, 0, true, 1)).addr;
      read("read-only", r);
      assert.equal(
        pair.call("fill read-only", (b) => b.fill(r, 1, 3)),
        0,
      );
      assert.deepEqual(
        pair.call("peek read-only", (b) => b.peek(r, 1)),
        [0],
      );
    }
  });

  test("no cached translation of a child outlives it (the TLB holds the running process's only)", () => {
    for (const profile of PROFILE_NAMES) {
      const pair = new Pair(profile);
      const ctx = pair.setup(1);
      const reap = (label: string) => pair.call(label, (b) => b.user_reap(ctx, 1));
      reap("parent");
      // Anonymous memory over the ring in the child: its reads of that page come from the zero page.
      pair.call("child", (b) => b.inChild((c) => [c.mmap(1, ctx), c.user_reap(ctx, 1), c.io_getevents(ctx, 1, 1, 0)]));
      reap("parent after the child");
      pair.call("io_getevents", (b) => b.io_getevents(ctx, 1, 1, 0));
      assert.equal(pair.wasm.getEventsZeroTimeout(ctx, 2), 0);
    }
  });

  test("a read copies the file's bytes again whenever the file or the buffer changed since the same read", () => {
    // The WASM core skips the copy of a read that repeats the last one (the ring path's): each change must end that.
    const pair = new Pair("mainline");
    const ctx = pair.setup(64);
    const peek = (label: string) => (pair.call(`${label}: peek`, (b) => b.buf_peek(0, 1000)) as { runs: [number, number][] }).runs;
    const read = (label: string) => {
      pair.call(`${label}: read`, (b) => b.io_submit(ctx, 2, "pread", 1, { nbytes: 600, offset: 0 }));
      pair.call(`${label}: reap`, (b) => b.io_getevents(ctx, 0, 64, 0));
      return peek(label);
    };
    assert.deepEqual(read("zeros"), [[1000, 0]]);
    pair.call("write", (b) => [b.buf_fill(0, 100, 7), b.io_submit(ctx, 1, "pwrite", 2, { nbytes: 100, offset: 100 })]);
    assert.deepEqual(read("after a write"), [
      [100, 0],
      [100, 7],
      [800, 0],
    ]);
    pair.call("fill", (b) => b.buf_fill(0, 1000, 3));
    assert.deepEqual(read("after a fill"), [
      [100, 0],
      [100, 7],
      [400, 0],
      [400, 3],
    ]);
    // The child writes from its own copy of the buffer into the file both share.
    pair.call("child's write", (b) =>
      b.inChild((c) => [c.buf_fill(0, 100, 9), c.io_submit(c.io_setup(8, "zero").ctx, 1, "pwrite", 3, { nbytes: 100, offset: 0 })]),
    );
    assert.deepEqual(peek("the parent's buffer"), [
      [100, 0],
      [100, 7],
      [400, 0],
      [400, 3],
    ]);
    assert.deepEqual(read("after the child's write"), [
      [100, 9],
      [100, 7],
      [400, 0],
      [400, 3],
    ]);
    pair.call("shrink and grow back", (b) => [b.ftruncate(150), b.ftruncate(16384)]);
    assert.deepEqual(read("after a shrink"), [
      [100, 9],
      [50, 7],
      [450, 0],
      [400, 3],
    ]);
  });

  test("reset starts a fresh process", () => {
    const wasm = new WasmProcess(PROFILES.mainline, CONFIG);
    const first = wasm.io_setup(1, "zero").ctx;
    wasm.reset();
    assert.equal(wasm.page(first), "none");
    assert.equal(wasm.io_setup(1, "zero").ctx, first);
    assert.equal(wasm.checksum(), 0n);
  });
});
