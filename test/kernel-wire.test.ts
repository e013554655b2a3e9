// The scenario encoding the TS side sends to the probe (probe/probe.h header).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ScenarioError } from "../src/contract/errors.js";
import { encodeScenario } from "../src/kernel/wire.js";
import type { Scenario, Step } from "../src/contract/scenario.js";
import { MAX_COUNT, MAX_MAPPING_PAGES } from "../assembly/abi/limits.js";
import { parseScenario } from "../src/scenario/parse.js";

const enc = (steps: Step[]) => encodeScenario("w.json", { name: "w", steps } as Scenario);

test("names become indices in order of first mention; addresses carry pages or bytes", () => {
  const w = enc([
    { op: "io_setup", nr_events: 128, name: "A", ctxp: "nonzero" },
    { op: "mmap", pages: 16, name: "X" },
    { op: "mremap", addr: "A", old_pages: 3, new_pages: 3, to: "X+2", name: "B" },
    { op: "io_submit", ctx: "B+1b", count: -1, cmd: "bad", data: 7, fd: "bad" },
    { op: "io_getevents", ctx: 0, min_nr: 1, nr: 2, timeout_ns: null },
    { op: "io_getevents", ctx: "bogus", min_nr: 0, nr: -1, timeout_ns: -5 },
    { op: "mremap", addr: "X", old_pages: 1, new_pages: 2 },
    { op: "fork_mremap", addr: "A", pages: 3, to: "X" },
    { op: "fork", call: { op: "io_submit", ctx: "A", count: 2, cmd: "pwrite", data: 3, fd: "append" } },
    { op: "fork", call: { op: "mremap", addr: "A", old_pages: 3, new_pages: 3, to: "X" } },
    { op: "user_reap", ctx: "A", max: 4 },
    { op: "page", addr: "X+15" },
    { op: "io_cancel", ctx: "A" },
    { op: "io_cancel", ctx: "A", iocb: 0 },
    { op: "io_cancel", ctx: "bogus", iocb: "bogus" },
    { op: "io_setup", nr_events: 1, ctxp: 0 },
    { op: "io_setup", nr_events: 1, ctxp: "bogus" },
    { op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: "bogus", events: 0 },
    { op: "io_submit", ctx: "A", count: 3, cmd: "pread", data: 1, iocbs: "bogus" },
    { op: "io_submit", ctx: "A", count: 3, cmd: "pread", data: 1, null_entry: 2 },
    { op: "io_submit", ctx: "A", count: 4, cmd: "pread", data: 1, bogus_entry: 1 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 1, nbytes: 65536, offset: -512 },
    { op: "io_submit", ctx: "A", count: 2, cmd: "fsync", data: 1, fd: "rdonly" },
    { op: "io_submit", ctx: "A", count: 1, cmd: "fdsync", data: 1, nbytes: 512, offset: -1 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 1, rw_flags: 8 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 1, rw_flags: 2 ** 32 - 1 },
    { op: "io_submit", ctx: "A", count: 2, cmd: "preadv", data: 1, iov: [512, 0, 65536], offset: 100 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pwritev", data: 1, iov: [] },
    { op: "io_submit", ctx: "A", count: 1, cmd: "preadv", data: 1, iov: 0, fd: "wronly" },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pwritev", data: 1, iov: "bogus", rw_flags: 16 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "noop", data: 1 },
    { op: "io_destroy", ctx: -1 },
    { op: "mremap", addr: "X", old_pages: 1, new_pages: 2, maymove: false },
    { op: "mmap", pages: 2, name: "Y", at: "X+3" },
    { op: "mmap", pages: 1, name: "Z", at: "X+5", noreplace: true, shared: true },
    { op: "mmap", pages: 3, name: "Z", align: 512, prot: "none" },
    { op: "mmap", pages: 2, name: "Z", file: true, shared: true, prot: "w" },
    { op: "mmap", pages: 1, name: "Z", file: true, file_page: 3, prot: "r" },
    { op: "raise" },
    { op: "io_pgetevents", ctx: "A", min_nr: 1, nr: 4, timeout_ns: null },
    { op: "io_pgetevents", ctx: "A", min_nr: 0, nr: 4, timeout_ns: 0, usig: "bogus" },
    { op: "io_pgetevents", ctx: "A", min_nr: 0, nr: 4, timeout_ns: 5, sigsetsize: 3 },
    { op: "io_pgetevents", ctx: "A", min_nr: 0, nr: 4, timeout_ns: 0, sigmask: "unblock", events: "bogus" },
    { op: "io_pgetevents", ctx: "A", min_nr: 0, nr: 4, timeout_ns: 0, sigmask: "bogus", sigsetsize: 16 },
    { op: "eventfd", name: "E" },
    { op: "eventfd", name: "S", initval: 2 ** 32 - 1, semaphore: true },
    { op: "eventfd_read", fd: "S" },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 1, resfd: "E", ioprio: { class: 2, level: 7, hint: 1023 } },
    { op: "io_submit", ctx: "A", count: 1, cmd: "fsync", data: 1, resfd: "bad", ioprio: { class: 7, level: 0 }, aio_flags: 4 },
    { op: "fork", call: { op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 1, resfd: "file", aio_flags: 2 ** 32 - 4 } },
    { op: "store_head", ctx: "A", head: 2 ** 32 - 1 },
    { op: "store_event", ctx: "B", slot: 126, data: 2 ** 53 - 1, res: -22 },
    { op: "store_event", ctx: "A", slot: 0, data: 0, res: 1, res2: -(2 ** 53 - 1) },
    { op: "ring_events", ctx: "A+1", slot: 3, count: 0 },
    { op: "fill", addr: "X+2", pages: 3, value: 255 },
    { op: "peek", addr: "X+1b", pages: 4096 },
    { op: "buf_fill", bytes: 2 ** 30, value: 0x42 },
    { op: "buf_peek", offset: 2 ** 30 - 1, bytes: 1 },
  ]);
  assert.deepEqual(w.names, ["A", "X", "B", "Y", "Z", "E", "S"]);
  assert.equal(
    w.text,
    [
      "io_setup 128 0 1",
      "mmap 16 1 - replace 0 private rw -",
      "mremap N0+0+0 3 3 N1+2+0 2 maymove",
      "io_submit N2+0+1 -1 bad 7 bad ok - - 512 0 0 - -1 0 - 0",
      "io_getevents 0 1 2 null ok",
      "io_getevents bogus 0 -1 -5 ok",
      "mremap N1+0+0 1 2 - - maymove",
      "fork_mremap N0+0+0 3 N1+0+0",
      "fork io_submit N0+0+0 2 pwrite 3 append ok - - 512 0 0 - -1 0 - 0",
      "fork mremap N0+0+0 3 3 N1+0+0 - maymove",
      "user_reap N0+0+0 4",
      "page N1+15+0",
      "io_cancel N0+0+0 block",
      "io_cancel N0+0+0 0",
      "io_cancel bogus bogus",
      "io_setup 1 - null",
      "io_setup 1 - bogus",
      "io_getevents N0+0+0 0 1 bogus 0",
      "io_submit N0+0+0 3 pread 1 ok bogus - - 512 0 0 - -1 0 - 0",
      "io_submit N0+0+0 3 pread 1 ok ok 2 - 512 0 0 - -1 0 - 0",
      "io_submit N0+0+0 4 pread 1 ok ok - 1 512 0 0 - -1 0 - 0",
      "io_submit N0+0+0 1 pwrite 1 ok ok - - 65536 -512 0 - -1 0 - 0",
      "io_submit N0+0+0 2 fsync 1 rdonly ok - - 0 0 0 - -1 0 - 0",
      "io_submit N0+0+0 1 fdsync 1 ok ok - - 512 -1 0 - -1 0 - 0",
      "io_submit N0+0+0 1 pread 1 ok ok - - 512 0 8 - -1 0 - 0",
      "io_submit N0+0+0 1 pwrite 1 ok ok - - 512 0 4294967295 - -1 0 - 0",
      "io_submit N0+0+0 2 preadv 1 ok ok - - 0 100 0 - -1 0 v512,0,65536 0",
      "io_submit N0+0+0 1 pwritev 1 ok ok - - 0 0 0 - -1 0 v 0",
      "io_submit N0+0+0 1 preadv 1 wronly ok - - 0 0 0 - -1 0 null 0",
      "io_submit N0+0+0 1 pwritev 1 ok ok - - 0 0 16 - -1 0 bogus 0",
      "io_submit N0+0+0 1 noop 1 ok ok - - 512 0 0 - -1 0 - 0",
      "io_destroy -1",
      "mremap N1+0+0 1 2 - - 0",
      "mmap 2 3 N1+3+0 replace 0 private rw -",
      "mmap 1 4 N1+5+0 noreplace 0 shared rw -",
      "mmap 3 4 - replace 512 private none -",
      "mmap 2 4 - replace 0 shared w 0",
      "mmap 1 4 - replace 0 private r 3",
      "raise",
      "io_pgetevents N0+0+0 1 4 null ok nousig 8",
      "io_pgetevents N0+0+0 0 4 0 ok bogus 8",
      "io_pgetevents N0+0+0 0 4 5 ok null 3",
      "io_pgetevents N0+0+0 0 4 0 bogus unblock 8",
      "io_pgetevents N0+0+0 0 4 0 ok maskbogus 16",
      "eventfd 5 0 0",
      "eventfd 6 4294967295 semaphore",
      "eventfd_read 6",
      "io_submit N0+0+0 1 pread 1 ok ok - - 512 0 0 N5+0+0 24575 0 - 0",
      "io_submit N0+0+0 1 fsync 1 ok ok - - 0 0 0 bad 57344 4 - 0",
      "fork io_submit N0+0+0 1 pwrite 1 ok ok - - 512 0 0 file -1 4294967292 - 0",
      "store_head N0+0+0 4294967295",
      "store_event N2+0+0 126 9007199254740991 -22 0",
      "store_event N0+0+0 0 0 1 -9007199254740991",
      "ring_events N0+1+0 3 0",
      "fill N1+2+0 3 255",
      "peek N1+0+1 4096",
      "buf_fill 0 1073741824 66",
      "buf_peek 1073741823 1",
      "",
    ].join("\n"),
  );
});

test("a fork_calls step is its count, then each call on a line of its own; the child's names share the index table", () => {
  const w = enc([
    { op: "io_setup", nr_events: 8, name: "A" },
    { op: "eventfd", name: "E" },
    {
      op: "fork_calls",
      calls: [
        { op: "io_setup", nr_events: 1024, name: "C" },
        { op: "io_submit", ctx: "C", count: 2, cmd: "pwrite", data: 5, resfd: "E" },
        { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 1 },
        { op: "ftruncate", size: 0 },
        { op: "eventfd_read", fd: "E" },
        { op: "mmap", pages: 2, name: "M" },
      ],
    },
    { op: "ring", ctx: "A" },
  ]);
  assert.deepEqual(w.names, ["A", "E", "C", "M"]);
  assert.equal(
    w.text,
    [
      "io_setup 8 0 0",
      "eventfd 1 0 0",
      "fork_calls 6",
      "io_setup 1024 2 0",
      "io_submit N2+0+0 2 pwrite 5 ok ok - - 512 0 0 N1+0+0 -1 0 - 0",
      "io_submit N0+0+0 1 pread 1 ok ok - - 512 0 0 - -1 0 - 0",
      "ftruncate 0",
      "eventfd_read 1",
      "mmap 2 3 - replace 0 private rw -",
      "ring N0+0+0",
      "",
    ].join("\n"),
  );
});

test("a fork_calls step holds 1 to 64 calls of the ops a child may run, each field named calls.K.FIELD", () => {
  const call = { op: "ring", ctx: "A" } as const;
  const bad: [Step, string][] = [
    [{ op: "fork_calls", calls: [] }, "calls"],
    [{ op: "fork_calls", calls: Array(65).fill(call) }, "calls"],
    [{ op: "fork_calls", calls: [call, { op: "user_reap", ctx: "A", max: 1 }] } as unknown as Step, "calls.1.op"],
    [{ op: "fork_calls", calls: [{ op: "fork", call }] } as unknown as Step, "calls.0.op"],
    [{ op: "fork_calls", calls: [call, { op: "io_setup", nr_events: -1 }] }, "calls.1.nr_events"],
    [{ op: "fork_calls", calls: [call, { op: "store_head", ctx: "A", head: 2 ** 32 }] }, "calls.1.head"],
    [{ op: "fork_calls", calls: [{ op: "store_event", ctx: "A", slot: -1, data: 1, res: 1 }] }, "calls.0.slot"],
    [{ op: "fork_calls", calls: [{ op: "ring_events", ctx: "A", slot: 0, count: 2 ** 20 + 1 }] }, "calls.0.count"],
  ];
  for (const [step, field] of bad) {
    assert.throws(
      () => enc([step]),
      (e: unknown) => e instanceof ScenarioError && e.step === 0 && e.field === field,
      `${JSON.stringify(step).slice(0, 80)}: ${field}`,
    );
  }
  assert.doesNotThrow(() => enc([{ op: "fork_calls", calls: Array(64).fill(call) }]));
});

test("a scenario without the zero page says so on a first line; with it (or by default) nothing is added", () => {
  const steps: Step[] = [{ op: "mmap", pages: 1, name: "S" }];
  assert.equal(encodeScenario("w.json", { name: "w", zero_page: false, steps }).text, "zero_page 0\nmmap 1 0 - replace 0 private rw -\n");
  assert.equal(encodeScenario("w.json", { name: "w", zero_page: true, steps }).text, "mmap 1 0 - replace 0 private rw -\n");
  assert.equal(enc(steps).text, "mmap 1 0 - replace 0 private rw -\n");
});

test("a scenario's tmpfs goes on a line before the steps; a size the schema refuses is a ScenarioError on tmpfs_bytes", () => {
  const steps: Step[] = [{ op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 1, fd: "direct" }];
  assert.equal(
    encodeScenario("w.json", { name: "w", tmpfs_bytes: 65536, zero_page: false, steps }).text,
    "tmpfs 65536\nzero_page 0\nio_submit N0+0+0 1 pwrite 1 direct ok - - 512 0 0 - -1 0 - 0\n",
  );
  for (const bad of [4096, 65537, 2 ** 24 + 4096]) {
    const isSize = (e: unknown) => e instanceof ScenarioError && e.field === "tmpfs_bytes";
    assert.throws(() => encodeScenario("w.json", { name: "w", tmpfs_bytes: bad, steps }), isSize, String(bad));
    assert.throws(() => parseScenario(JSON.stringify({ name: "w", tmpfs_bytes: bad, steps }), "w.json"), isSize, String(bad));
  }
});

test("malformed steps are ScenarioErrors naming step and field", () => {
  const bad: [Step, string][] = [
    [{ op: "io_setup", nr_events: 1.5 } as Step, "nr_events"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "read", data: 0 } as unknown as Step, "cmd"],
    [{ op: "page", addr: "A B" }, "addr"],
    [{ op: "mmap", pages: 1, name: "bogus" }, "name"],
    [{ op: "mmap", pages: 1, name: "A", prot: "wx" } as unknown as Step, "prot"],
    [{ op: "mmap", pages: 1, name: "A", file_page: 1 }, "file_page"],
    [{ op: "mmap", pages: 1, name: "A", file: false } as unknown as Step, "file"],
    [{ op: "mmap", pages: 1, name: "A", shared: false } as unknown as Step, "shared"],
    [{ op: "io_getevents", ctx: "A", min_nr: 0, nr: 2_000_000, timeout_ns: 0 }, "nr"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, rw_flags: 2 ** 32 }, "rw_flags"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, rw_flags: -1 }, "rw_flags"],
    [{ op: "fork", call: { op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, rw_flags: 0.5 } }, "call.rw_flags"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, aio_flags: 1 }, "aio_flags"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, aio_flags: 2 }, "aio_flags"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, ioprio: { class: 8, level: 0 } }, "ioprio.class"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, ioprio: { class: 1, level: 8 } }, "ioprio.level"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, ioprio: { class: 1, level: 0, hint: 1024 } }, "ioprio.hint"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, resfd: "E F" }, "resfd"],
    [{ op: "eventfd", name: "file" }, "name"],
    [{ op: "eventfd", name: "E", initval: 2 ** 32 }, "initval"],
    [{ op: "eventfd", name: "E", semaphore: false } as unknown as Step, "semaphore"],
    // A vectored block's aio_nbytes is its segment count: iov says it, nbytes may not.
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "preadv", data: 0 }, "iov"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pwritev", data: 0, iov: [512], nbytes: 1 }, "nbytes"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, iov: [512] }, "iov"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "preadv", data: 0, iov: [2 ** 20 + 1] }, "iov.0"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "pread", data: 0, nbytes: 2 ** 30 + 1 }, "nbytes"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "preadv", data: 0, iov: Array<number>(2049).fill(0) }, "iov"],
    [{ op: "io_submit", ctx: "A", count: 1, cmd: "preadv", data: 0, iov: 1 } as unknown as Step, "iov"],
    [{ op: "fill", addr: "A", pages: 1, value: 256 }, "value"],
    [{ op: "fill", addr: "A", pages: 0, value: 1 }, "pages"],
    [{ op: "peek", addr: "A", pages: 4097 }, "pages"],
    [{ op: "peek", addr: "A" } as unknown as Step, "pages"],
    [{ op: "buf_fill", bytes: 1, value: 256 }, "value"],
    [{ op: "buf_fill", bytes: 0, value: 1 }, "bytes"],
    [{ op: "buf_peek", offset: 1, bytes: 2 ** 30 }, "bytes"],
    [{ op: "buf_peek", offset: 2 ** 30, bytes: 1 }, "offset"],
  ];
  for (const [step, field] of bad) {
    assert.throws(
      () => enc([step]),
      (e: unknown) => e instanceof ScenarioError && e.step === 0 && e.field === field,
      JSON.stringify(step),
    );
  }
});

test("the wire encoder accepts exactly what the scenario parser accepts (one schema)", () => {
  const cases: unknown[] = [
    { op: "mmap", pages: MAX_MAPPING_PAGES, name: "A" },
    { op: "mmap", pages: MAX_MAPPING_PAGES + 1, name: "A" },
    { op: "mremap", addr: "A", old_pages: MAX_COUNT, new_pages: MAX_MAPPING_PAGES },
    { op: "mremap", addr: "A", old_pages: MAX_COUNT, new_pages: MAX_MAPPING_PAGES + 1 },
    { op: "fork_mremap", addr: "A", pages: MAX_MAPPING_PAGES + 1, to: "B" },
    { op: "page", addr: "A+9999999" },
    { op: "page", addr: "A+10000000" },
    { op: "page", addr: "A+2b" },
    { op: "mremap", addr: "A", old_pages: 0, new_pages: 1 },
    { op: "mmap", pages: 1, name: "bogus" },
    { op: "io_setup", nr_events: 2 ** 32 - 1 },
    { op: "io_setup", nr_events: 2 ** 32 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 0, rw_flags: 2 ** 32 - 1 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 0, rw_flags: 2 ** 32 },
    // The scenario's summed-timeout limit (60 s) is checked apart from the step schema, by every backend.
    { op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: 60e9 },
    { op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: 1.5 },
  ];
  const verdicts: boolean[] = [];
  for (const step of cases) {
    const text = JSON.stringify({ name: "w", steps: [step] });
    const parsed = (() => {
      try {
        parseScenario(text, "w.json");
        return true;
      } catch (e) {
        assert.ok(e instanceof ScenarioError);
        return false;
      }
    })();
    const encoded = (() => {
      try {
        encodeScenario("w.json", JSON.parse(text) as Scenario);
        return true;
      } catch (e) {
        assert.ok(e instanceof ScenarioError);
        return false;
      }
    })();
    assert.equal(encoded, parsed, JSON.stringify(step));
    verdicts.push(parsed);
  }
  assert.deepEqual(verdicts, [true, false, true, false, false, true, false, false, false, false, true, false, true, false, true, false]);
});

test("pipes, poll blocks and io_cancel of a submitted block: pipe ends as pr/pw and the pipe's name index, events last, sSTEP:BLOCK", () => {
  const w = enc([
    { op: "io_setup", nr_events: 8, name: "A" },
    { op: "pipe", name: "P" },
    { op: "io_submit", ctx: "A", count: 2, cmd: "poll", data: 1, fd: "P.read", events: 65 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "poll", data: 3, fd: "P.write", events: 4 },
    { op: "io_submit", ctx: "A", count: 1, cmd: "poll", data: 4, events: 1 },
    { op: "pipe_write", pipe: "P", bytes: 3 },
    { op: "pipe_read", pipe: "P", bytes: 4096 },
    { op: "io_cancel", ctx: "A", submit: 2, block: 1 },
    { op: "io_cancel", ctx: "A", submit: 4 },
  ]);
  assert.deepEqual(w.names, ["A", "P"]);
  assert.equal(
    w.text,
    [
      "io_setup 8 0 0",
      "pipe 1",
      "io_submit N0+0+0 2 poll 1 pr1 ok - - 0 0 0 - -1 0 - 65",
      "io_submit N0+0+0 1 poll 3 pw1 ok - - 0 0 0 - -1 0 - 4",
      "io_submit N0+0+0 1 poll 4 ok ok - - 0 0 0 - -1 0 - 1",
      "pipe_write 1 3",
      "pipe_read 1 4096",
      "io_cancel N0+0+0 s2:1",
      "io_cancel N0+0+0 s4:0",
      "",
    ].join("\n"),
  );
});

test("thread_getevents: NAME ADDR MIN_NR NR TIMEOUT, min_nr nr when left out; thread_join NAME", () => {
  const w = enc([
    { op: "io_setup", nr_events: 8, name: "A" },
    { op: "thread_getevents", name: "T", ctx: "A", nr: 3, timeout_ns: null },
    { op: "thread_getevents", name: "U", ctx: "A+1", min_nr: 1, nr: 4, timeout_ns: 1e9 },
    { op: "thread_join", name: "U" },
  ]);
  assert.deepEqual(w.names, ["A", "T", "U"]);
  assert.equal(w.text, ["io_setup 8 0 0", "thread_getevents 1 N0+0+0 3 3 null", "thread_getevents 2 N0+1+0 1 4 1000000000", "thread_join 2", ""].join("\n"));
});

test("pipes and poll blocks the models do not follow are refused alike on every backend, the field named", () => {
  const refused = (steps: unknown[], field: string | null, detail: RegExp) =>
    assert.throws(
      () => parseScenario(JSON.stringify({ name: "p", steps }), "p.json"),
      (e: unknown) => e instanceof ScenarioError && e.field === field && detail.test(e.detail),
    );
  const setup = [
    { op: "io_setup", nr_events: 8, name: "A" },
    { op: "pipe", name: "P" },
  ];
  const poll = { op: "io_submit", ctx: "A", count: 1, cmd: "poll", data: 1, fd: "P.read", events: 1 };
  refused([...setup, { op: "pipe_write", pipe: "P", bytes: 4000 }, { op: "pipe_write", pipe: "P", bytes: 97 }], "bytes", /4097 bytes/);
  refused([...setup, { ...poll, fd: "Q.read" }], "fd", /not made/);
  refused([...setup, { ...poll, cmd: "pread", events: undefined }], "fd", /poll blocks only/);
  refused([...setup, { ...poll, resfd: "bad" }], "resfd", /no resfd/);
  refused([...setup, { op: "fork", call: poll }], "call.cmd", /top level/);
  refused([...setup, { op: "repeat", times: 2, steps: [poll] }], "steps.0.cmd", /top level/);
  refused([...setup, { op: "repeat", times: 2, steps: [{ op: "pipe_read", pipe: "P", bytes: 1 }] }], "steps.0.op", /no pipe_read/);
  refused([...setup, poll, { op: "io_cancel", ctx: "A", submit: 1 }], "submit", /no earlier io_submit/);
  refused([...setup, poll, { op: "io_cancel", ctx: "A", submit: 2, block: 1 }], "block", /has 1 blocks/);
  refused([...setup, { op: "io_cancel", ctx: "A", block: 1 }], "submit", /give submit/);
  refused([...setup, { op: "mmap", pages: 1, name: "P" }], null, /pipe step's name/);
  refused([...setup, { op: "pipe", name: "P" }], "name", /bound once/);
});

test("fill and peek: at most 262,144 pages a scenario, fork_calls children counted; never in a repeat", () => {
  const many = (n: number): Step[] => [
    { op: "mmap", pages: 1, name: "A" },
    ...Array.from({ length: n }, (): Step => ({ op: "fill", addr: "A", pages: 4096, value: 1 })),
  ];
  const refused = (steps: Step[], field: string) =>
    assert.throws(
      () => parseScenario(JSON.stringify({ name: "w", steps }), "w.json"),
      (e: unknown) => e instanceof ScenarioError && e.field === field,
      field,
    );
  parseScenario(JSON.stringify({ name: "w", steps: many(64) }), "w.json");
  refused(many(65), "pages");
  refused(
    [
      ...many(63),
      {
        op: "fork_calls",
        calls: [
          { op: "peek", addr: "A", pages: 4096 },
          { op: "peek", addr: "A", pages: 1 },
        ],
      },
    ],
    "calls.1.pages",
  );
  refused([{ op: "repeat", times: 2, steps: [{ op: "peek", addr: "A", pages: 1 }] } as unknown as Step], "steps.0.op");
});

test("buf_fill and buf_peek: at most 256 MiB of the I/O buffer a scenario, fork_calls children counted; never in a repeat", () => {
  const refused = (steps: Step[], field: string) =>
    assert.throws(
      () => parseScenario(JSON.stringify({ name: "w", steps }), "w.json"),
      (e: unknown) => e instanceof ScenarioError && e.field === field,
      field,
    );
  const quarter: Step = { op: "buf_fill", bytes: 2 ** 26, value: 1 };
  parseScenario(JSON.stringify({ name: "w", steps: [quarter, quarter, quarter, quarter] }), "w.json");
  refused([quarter, quarter, quarter, quarter, { op: "buf_peek", offset: 5, bytes: 1 }], "bytes");
  refused([quarter, quarter, quarter, { op: "fork_calls", calls: [quarter, { op: "buf_peek", bytes: 1 }] }], "calls.1.bytes");
  refused([{ op: "repeat", times: 2, steps: [{ op: "buf_peek", bytes: 1 }] } as unknown as Step], "steps.0.op");
});
