// The two kernel-state worlds agree: the compact lookup world the strategy
// benchmarks run on (src/strategies and assembly/lookup) and the full model
// (src/model, whose WASM port the fuzzer holds to it) give every context the
// same ioctx_table slot, and the kernel's remap hook (remap-scan) visits the
// same number of slots for every ring move, over the same seeded sequences of
// io_setup, io_destroy and ring moves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROFILES } from "../src/contract/profile.js";
import { AioProcess } from "../src/model/aio.js";
import { createLookupWorld, type WorldEngine } from "../src/strategies/index.js";
import { Prng } from "../src/util/prng.js";

/** Every context as the pair of its handle in the lookup world and its id (ring address) in the model. */
interface Pair {
  handle: number;
  addr: number;
}

function check(backend: WorldEngine, seed: number, ops: number): { visited: number; tableNr: number } {
  const world = createLookupWorld({ backend, n: 0, seed });
  world.select("remap-scan");
  // nr_events 1 on 2 CPUs: a one-page ring, as every ring of the lookup world.
  const model = new AioProcess(PROFILES.mainline, { cpus: 2, aio_max_nr: 65536, aio_nr: 0, zero_page: true });
  const rng = new Prng(seed);
  const live: Pair[] = [];
  const slotOf = (p: Pair) => {
    const h = model.ring(p.addr);
    assert.ok("id" in h, "the model's ring header is readable");
    return h.id;
  };
  for (let op = 0; op < ops; op++) {
    // Half creates, a quarter destroys, a quarter moves: the table grows through several sizes.
    const kind = live.length === 0 ? 0 : [0, 0, 1, 2][rng.below(4)];
    const what = `seed ${seed}, op ${op}`;
    if (kind === 0) {
      const handle = world.ioSetup();
      const r = model.io_setup(1, "zero");
      assert.ok(handle >= 0 && r.errno === null, `${what}: io_setup`);
      live.push({ handle, addr: r.ctx });
    } else if (kind === 1) {
      const [p] = live.splice(rng.below(live.length), 1);
      assert.equal(world.ioDestroy(world.userIdOf(p.handle)), 0, `${what}: io_destroy in the lookup world`);
      assert.equal(model.io_destroy(p.addr).errno, null, `${what}: io_destroy in the model`);
    } else {
      const p = live[rng.below(live.length)];
      const before = { world: world.visited().file, model: model.hookSlotsVisited };
      assert.ok(world.mremapRing(world.userIdOf(p.handle)) >= 0, `${what}: move in the lookup world`);
      const spare = model.mmap(1);
      const moved = model.mremap(p.addr, 1, 1, spare.addr);
      assert.equal(moved.errno, null, `${what}: move in the model`);
      p.addr = moved.addr;
      assert.equal(world.visited().file - before.world, model.hookSlotsVisited - before.model, `${what}: slots the remap hook visited`);
    }
    for (const p of live) assert.equal(world.slotOf(p.handle), slotOf(p), `${what}: table slot of a live context`);
    assert.equal(world.tableNr(), model.ioctx_table?.nr ?? 0, `${what}: table size`);
  }
  return { visited: model.hookSlotsVisited, tableNr: world.tableNr() };
}

describe("lookup world vs full model", () => {
  for (const backend of ["ts", "wasm"] as const) {
    it(`same table slots and remap-scan cost over create/destroy/move sequences (${backend} lookup world)`, () => {
      for (const seed of [1, 2]) {
        const { visited, tableNr } = check(backend, seed, 400);
        // Not vacuous: the hook scanned, and the table grew past its first sizes.
        assert.ok(visited > 100 && tableNr >= 64, `seed ${seed}: ${visited} slots visited, table of ${tableNr}`);
      }
    });
  }
});
