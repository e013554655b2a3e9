import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { COUNTER_EXPORT, countInstructions, instrumentWasm } from "../src/core/instruction-count.js";
import { WasmProcess } from "../src/core/wasm-backend.js";
import { BUILD_DIR, defaultWasmBuild } from "../src/core/wasm-build.js";
import { PROFILES } from "../src/contract/profile.js";
import { createLookupWorld } from "../src/strategies/index.js";

const section = (id: number, bytes: number[]) => [id, bytes.length, ...bytes];
const body = (bytes: number[]) => [bytes.length, ...bytes];
const name = (s: string) => [s.length, ...Buffer.from(s)];

/**
 * A hand-assembled module whose counts can be checked by hand:
 * sum(n) = n + (n-1) + ... + 1 in a block/loop with br_if and br;
 * pick(x) = x ? 1 : 2 + 3 with if/else; twice(x) = pick(x) + pick(x).
 */
const HAND = Uint8Array.from([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]),
  ...section(3, [0x03, 0x00, 0x00, 0x00]),
  ...section(7, [0x03, ...name("sum"), 0x00, 0x00, ...name("pick"), 0x00, 0x01, ...name("twice"), 0x00, 0x02]),
  ...section(10, [
    0x03,
    ...body([
      0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x01, 0x20, 0x00, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21,
      0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b,
    ]),
    ...body([0x00, 0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02, 0x41, 0x03, 0x6a, 0x0b, 0x0b]),
    ...body([0x00, 0x20, 0x00, 0x10, 0x01, 0x20, 0x00, 0x10, 0x01, 0x6a, 0x0b]),
  ]),
]);

type Hand = { sum(n: number): number; pick(x: number): number; twice(x: number): number };

test("instruction counts are exact on hand-checkable functions (end/else not counted, the callee counts its own)", () => {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(instrumentWasm(HAND))).exports;
  const f = exports as unknown as Hand;
  // sum: block, loop; per turn local.get, i32.eqz, br_if + 8 + br; the last turn's 3; local.get.
  for (const n of [0, 1, 5, 1000]) {
    let result = 0;
    assert.equal(
      countInstructions(exports, () => {
        result = f.sum(n);
      }),
      12 * n + 6,
      `sum(${n})`,
    );
    assert.equal(result, (n * (n + 1)) / 2);
  }
  assert.equal(
    countInstructions(exports, () => f.pick(1)),
    3,
    "local.get, if, i32.const",
  );
  assert.equal(
    countInstructions(exports, () => f.pick(0)),
    5,
    "local.get, if, i32.const, i32.const, i32.add",
  );
  assert.equal(
    countInstructions(exports, () => f.twice(1)),
    5 + 3 + 3,
  );
  assert.equal(f.twice(0), 10);
});

test("the counted module is the timed one plus a counter: same results, timed bytes untouched", () => {
  for (const file of ["core.wasm", "lookup.wasm"]) {
    const bytes = readFileSync(`${BUILD_DIR}${file}`);
    const before = createHash("sha256").update(bytes).digest("hex");
    const counted = instrumentWasm(bytes);
    assert.equal(createHash("sha256").update(bytes).digest("hex"), before, `${file}: the input is not modified`);
    assert.equal(
      createHash("sha256")
        .update(readFileSync(`${BUILD_DIR}${file}`))
        .digest("hex"),
      before,
      `${file} on disk is unchanged`,
    );
    const plain = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => `${e.name}:${e.kind}`);
    const withCounter = WebAssembly.Module.exports(new WebAssembly.Module(counted)).map((e) => `${e.name}:${e.kind}`);
    assert.deepEqual(withCounter, [...plain, `${COUNTER_EXPORT}:global`]);
  }
  const build = defaultWasmBuild();
  const timed = createLookupWorld({ backend: "wasm", n: 300, seed: 9, module: build.lookup });
  const counted = createLookupWorld({ backend: "wasm", n: 300, seed: 9, module: build.countedLookup });
  for (const name of ["hash", "sorted-array", "list-walk"]) {
    assert.deepEqual(counted.lookupBatch(name, "zipf", 500), timed.lookupBatch(name, "zipf", 500), name);
  }
  assert.deepEqual(counted.remapBatch("file-hash", 200), timed.remapBatch("file-hash", 200));
  assert.deepEqual(counted.criuRestore("back-pointer", 100), timed.criuRestore("back-pointer", 100));
  const config = { cpus: 2, aio_max_nr: 65536, aio_nr: 0, zero_page: true };
  const a = new WasmProcess(PROFILES.mainline, config, build.core);
  const b = new WasmProcess(PROFILES.mainline, config, build.countedCore);
  const ca = a.io_setup(100, "zero").ctx,
    cb = b.io_setup(100, "zero").ctx;
  assert.equal(b.ringLoop(cb, 5000, 64), a.ringLoop(ca, 5000, 64));
  assert.equal(b.checksum(), a.checksum());
});

test("instruction counts of the same build and inputs are identical on every run", () => {
  const build = defaultWasmBuild();
  const count = () => {
    const w = createLookupWorld({ backend: "wasm", n: 1000, seed: 3, module: build.countedLookup });
    w.lookupBatch("sorted-array", "uniform", 256);
    const lookups = countInstructions(w.wasmExports()!, () => w.lookupBatch("sorted-array", "uniform", 256));
    const moves = countInstructions(w.wasmExports()!, () => w.remapBatch("remap-scan", 64));
    const p = new WasmProcess(PROFILES.mainline, { cpus: 2, aio_max_nr: 65536, aio_nr: 0, zero_page: true }, build.countedCore);
    const ctx = p.io_setup(1, "zero").ctx;
    const getevents = countInstructions(p.exports, () => p.getEventsZeroTimeout(ctx, 100));
    return [lookups, moves, getevents];
  };
  const first = count();
  assert.ok(
    first.every((n) => n > 0),
    JSON.stringify(first),
  );
  for (let i = 0; i < 3; i++) assert.deepEqual(count(), first);
});
