// Correctness of every registered lookup strategy on both backends, against
// a trivial reference model (maps and linear scans) of the ioctx table and
// the address space.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADDR_SLOTS, CEILING, FLOOR, PAGE, addrOfSlot, slotOfAddr } from "../src/strategies/context-set.js";
import { FOLD_SEED, Prng, fold } from "../src/util/prng.js";
import { DISTS, KERNEL_STRATEGY, STRATEGIES, createLookupWorld, type WorldEngine, type LookupWorld, type StrategyDescriptor } from "../src/strategies/index.js";

const BACKENDS: WorldEngine[] = ["wasm", "ts"];

/** What the kernel should hold: contexts by address and by file, the table, the mapped address slots. */
class Reference {
  readonly byId = new Map<number, number>();
  readonly byFile = new Map<number, number>();
  readonly addrOf = new Map<number, number>();
  readonly table: number[] = [];
  readonly mapped = new Set<number>();
  /** Every id and (file, last address) ever seen: stale ones must miss unless reused. */
  readonly seenIds = new Set<number>();
  readonly lastAddrOfFile = new Map<number, number>();

  lowestFreeAddrSlot(): number {
    let k = 0;
    while (this.mapped.has(k)) k++;
    return k;
  }

  /** io_setup's expected placement: highest free address, lowest free table slot, x4 growth. */
  create(w: LookupWorld, c: number): void {
    assert.ok(c >= 0, "io_setup failed");
    assert.ok(!this.addrOf.has(c), `handle ${c} handed out twice`);
    const k = this.lowestFreeAddrSlot();
    let slot = this.table.indexOf(-1);
    if (slot < 0) {
      slot = this.table.length;
      const nr = slot === 0 ? 4 : slot * 4;
      while (this.table.length < nr) this.table.push(-1);
    }
    assert.equal(w.userIdOf(c), addrOfSlot(k), "ring not at the highest free address");
    assert.equal(w.slotOf(c), slot, "not the lowest free slot");
    assert.equal(w.tableNr(), this.table.length, "table size");
    assert.ok(!this.byFile.has(w.fileOf(c)), "ring file shared by two live contexts");
    this.table[slot] = c;
    this.mapped.add(k);
    this.byId.set(addrOfSlot(k), c);
    this.byFile.set(w.fileOf(c), c);
    this.addrOf.set(c, addrOfSlot(k));
    this.seenIds.add(addrOfSlot(k));
    this.lastAddrOfFile.set(w.fileOf(c), addrOfSlot(k));
  }

  destroy(w: LookupWorld, id: number, rc: number): void {
    const c = this.byId.get(id);
    assert.equal(rc, c === undefined ? -1 : 0, `io_destroy(${id.toString(16)})`);
    if (c === undefined) return;
    this.table[this.table.indexOf(c)] = -1;
    this.mapped.delete(slotOfAddr(id));
    this.byId.delete(id);
    this.byFile.delete(w.fileOf(c));
    this.addrOf.delete(c);
  }

  move(addr: number, to: number | undefined, got: number): void {
    const from = slotOfAddr(addr);
    const dest = to === undefined ? this.lowestFreeAddrSlot() : slotOfAddr(to);
    const c = this.byId.get(addr);
    if (c === undefined || dest < 0 || this.mapped.has(dest)) {
      assert.equal(got, -1, `mremap(${addr.toString(16)}) should fail`);
      return;
    }
    const newAddr = addrOfSlot(dest);
    assert.equal(got, newAddr, `mremap(${addr.toString(16)})`);
    this.mapped.delete(from);
    this.mapped.add(dest);
    this.byId.delete(addr);
    this.byId.set(newAddr, c);
    this.addrOf.set(c, newAddr);
    this.seenIds.add(newAddr);
    for (const [file, ctx] of this.byFile) if (ctx === c) this.lastAddrOfFile.set(file, newAddr);
  }
}

/** Ids no context can own: unaligned, outside the mapping area, the ceiling itself. */
const BOGUS_IDS = [0, 1, PAGE, CEILING, CEILING + PAGE, CEILING - 1, FLOOR - PAGE, addrOfSlot(3) + 8, 2 ** 53 - 1];
/** A file id no world here hands out (FILE_CAP is 2^17). */
const BOGUS_FILE = 1 << 20;

function checkAgainst(w: LookupWorld, ref: Reference, what: string): void {
  assert.equal(w.liveCount(), ref.byId.size, `${what}: live count`);
  for (const [id, c] of ref.byId) {
    assert.equal(w.findById(id), c, `${what}: find by id ${id.toString(16)}`);
    assert.equal(w.findByFile(w.fileOf(c), id), c, `${what}: find by file of ctx ${c}`);
  }
  for (const id of ref.seenIds) assert.equal(w.findById(id), ref.byId.get(id) ?? -1, `${what}: old id ${id.toString(16)}`);
  for (const [file, addr] of ref.lastAddrOfFile) {
    if (!ref.byFile.has(file)) assert.equal(w.findByFile(file, addr), -1, `${what}: dead file ${file}`);
  }
  for (const id of BOGUS_IDS) assert.equal(w.findById(id), -1, `${what}: bogus id ${id}`);
  for (const id of ref.byId.keys()) assert.equal(w.findByFile(BOGUS_FILE, id), -1, `${what}: bogus file at a live ring`);
}

function populated(backend: WorldEngine, d: StrategyDescriptor, n: number, seed = 1): { w: LookupWorld; ref: Reference } {
  const w = createLookupWorld({ backend, n: 0, seed });
  w.select(d.name);
  const ref = new Reference();
  for (let i = 0; i < n; i++) ref.create(w, w.ioSetup());
  return { w, ref };
}

describe("strategy registry", () => {
  it("lists unique names, WASM ids in order, and both questions", () => {
    assert.deepEqual(
      STRATEGIES.map((s) => s.wasmId),
      STRATEGIES.map((_, i) => i),
    );
    assert.equal(new Set(STRATEGIES.map((s) => s.name)).size, STRATEGIES.length);
    for (const q of ["id", "file"] as const) {
      assert.ok(STRATEGIES.some((s) => s.question === q));
      assert.equal(STRATEGIES.find((s) => s.name === KERNEL_STRATEGY[q])?.question, q);
    }
  });
});

for (const backend of BACKENDS) {
  describe(`lookup world (${backend})`, () => {
    it("grows the table 4 -> 16 -> 64 and reuses the lowest free slot", () => {
      const w = createLookupWorld({ backend, n: 0, seed: 1 });
      const sizes: number[] = [];
      const ctxs: number[] = [];
      for (let i = 0; i < 17; i++) {
        ctxs.push(w.ioSetup());
        sizes.push(w.tableNr());
      }
      assert.deepEqual(sizes, [4, 4, 4, 4, ...Array(12).fill(16), 64]);
      assert.deepEqual(
        ctxs.map((c) => w.slotOf(c)),
        [...Array(17).keys()],
      );
      assert.equal(w.ioDestroy(w.userIdOf(ctxs[9])), 0);
      assert.equal(w.ioDestroy(w.userIdOf(ctxs[2])), 0);
      assert.equal(w.slotOf(w.ioSetup()), 2);
      assert.equal(w.slotOf(w.ioSetup()), 9);
      assert.equal(w.slotOf(w.ioSetup()), 17);
      assert.equal(w.tableNr(), 64, "the table never shrinks and grows only when full");
    });

    it("hands a destroyed ring's address to the next context (ids are reused)", () => {
      const w = createLookupWorld({ backend, n: 3, seed: 1 });
      const [a, b] = w.contexts();
      const idB = w.userIdOf(b);
      assert.equal(w.ioDestroy(idB), 0);
      assert.equal(w.ioDestroy(idB), -1, "a stale id misses");
      const c = w.ioSetup();
      assert.equal(w.userIdOf(c), idB);
      assert.equal(w.findById(idB), c, "the stale id now reaches the successor");
      assert.equal(w.findById(w.userIdOf(a)), a);
    });

    it("rejects a batch through a strategy of the other question", () => {
      const w = createLookupWorld({ backend, n: 4, seed: 1 });
      assert.throws(() => w.lookupBatch("remap-scan", "uniform", 8), TypeError);
      assert.throws(() => w.remapBatch("hash", 8), TypeError);
      assert.throws(() => w.lookupBatch("no-such-strategy", "uniform", 8), RangeError);
    });

    it("remap-scan visits slot index + 1 slots to a hit, nr to a miss", () => {
      const { w, ref } = populated(backend, STRATEGIES.find((s) => s.name === "remap-scan")!, 40);
      for (const id of [...ref.byId.keys()].slice(0, 12)) ref.destroy(w, id, w.ioDestroy(id));
      for (let i = 0; i < 5; i++) ref.create(w, w.ioSetup());
      for (const c of w.contexts()) {
        const before = w.visited().file;
        assert.equal(w.findByFile(w.fileOf(c), w.userIdOf(c)), c);
        assert.equal(w.visited().file - before, w.slotOf(c) + 1, `ctx in slot ${w.slotOf(c)}`);
      }
      const before = w.visited().file;
      assert.equal(w.findByFile(BOGUS_FILE, w.userIdOf(w.contexts()[0])), -1);
      assert.equal(w.visited().file - before, w.tableNr());
    });

    it("CRIU restore: the kernel's scan is quadratic, a back-pointer linear", () => {
      const w = createLookupWorld({ backend, n: 10, seed: 1 });
      const n = 300;
      assert.equal(w.criuRestore("remap-scan", n).visitedFile, (n * (n + 1)) / 2);
      assert.equal(w.liveCount(), n);
      for (const c of w.contexts()) assert.ok(w.userIdOf(c) < addrOfSlot(ADDR_SLOTS - n - 1), "ring at its dumped address");
      assert.equal(w.criuRestore("back-pointer", n).visitedFile, n);
      assert.equal(w.criuRestore("header-id", n).visitedFile, n);
    });

    for (const d of STRATEGIES) {
      describe(d.name, () => {
        it("finds every live context by id and by file; stale, moved and bogus keys miss", () => {
          const { w, ref } = populated(backend, d, 70);
          checkAgainst(w, ref, "after create");
          const ids = [...ref.byId.keys()];
          for (const id of ids.filter((_, i) => i % 7 === 3)) ref.destroy(w, id, w.ioDestroy(id));
          checkAgainst(w, ref, "after destroy");
          for (const id of ids.filter((x, i) => i % 5 === 1 && ref.byId.has(x))) ref.move(id, undefined, w.mremapRing(id));
          checkAgainst(w, ref, "after move");
          const c = w.contexts()[0];
          ref.move(w.userIdOf(c), addrOfSlot(ADDR_SLOTS - 1), w.mremapRing(w.userIdOf(c), addrOfSlot(ADDR_SLOTS - 1)));
          checkAgainst(w, ref, "after a fixed move");
        });

        it("survives seeded churn, checked against the reference after every op", () => {
          const { w, ref } = populated(backend, d, 20);
          const rng = new Prng(0xc0ffee + d.wasmId);
          for (let op = 0; op < 300; op++) {
            const live = [...ref.byId.keys()];
            const pick = live[rng.below(live.length)];
            switch (live.length === 0 ? 0 : rng.below(5)) {
              case 0:
                ref.create(w, w.ioSetup());
                break;
              case 1:
                ref.destroy(w, pick, w.ioDestroy(pick));
                break;
              case 2: {
                // A stale or bogus id: destroy must miss unless the address was reused.
                const seen = [...ref.seenIds];
                const id: number = rng.below(2) ? seen[rng.below(seen.length)] : BOGUS_IDS[rng.below(BOGUS_IDS.length)];
                ref.destroy(w, id, w.ioDestroy(id));
                break;
              }
              case 3:
                ref.move(pick, undefined, w.mremapRing(pick));
                break;
              default: {
                // Fixed target, sometimes onto a live ring (must fail and leave everything as it was).
                const to = rng.below(2) ? addrOfSlot(rng.below(80)) : live[rng.below(live.length)];
                ref.move(pick, to, w.mremapRing(pick, to));
              }
            }
            checkAgainst(w, ref, `${d.name} op ${op}`);
          }
        });

        it("keeps its claimed cost", () => {
          const n = 100;
          const w = createLookupWorld({ backend, n, seed: 3 });
          const log2 = Math.ceil(Math.log2(n + 1));
          if (d.question === "id") {
            const oldest = w.lookupBatch(d.name, "oldest", 50).visited / 50;
            const newest = w.lookupBatch(d.name, "newest", 50).visited / 50;
            const expected: Record<string, [number, number]> = {
              "list-walk": [n, 1],
              "table-header-id": [1, 1],
            };
            if (d.name in expected) assert.deepEqual([oldest, newest], expected[d.name]);
            const uniform = w.lookupBatch(d.name, "uniform", 1000).visited / 1000;
            const bound = d.complexity === "O(1)" ? 3 : d.complexity === "O(log N)" ? log2 : n;
            assert.ok(uniform >= 1 && uniform <= bound, `${uniform} slots per lookup, claimed ${d.complexity}`);
          } else {
            const oldest = w.remapBatch(d.name, 50, "oldest").visited / 50;
            if (d.name === "remap-scan") assert.equal(oldest, 1, "the oldest context sits in slot 0");
            const newest = w.remapBatch(d.name, 50, "newest").visited / 50;
            if (d.name === "remap-scan") assert.equal(newest, n);
            const uniform = w.remapBatch(d.name, 1000).visited / 1000;
            const bound = d.complexity === "O(1)" ? 3 : n;
            assert.ok(uniform >= 1 && uniform <= bound, `${uniform} slots per remap, claimed ${d.complexity}`);
          }
        });
      });
    }
  });
}

describe("WASM and TS agree bit for bit", () => {
  for (const d of STRATEGIES) {
    it(d.name, () => {
      const run = (backend: WorldEngine) => {
        const w = createLookupWorld({ backend, n: 150, seed: 42 });
        const out: unknown[] = [];
        for (const dist of DISTS) {
          out.push(d.question === "id" ? w.lookupBatch(d.name, dist, 777) : w.remapBatch(d.name, 777, dist));
        }
        out.push(
          w.churn(d.name, 4000, 9),
          w.visited(),
          w.contexts().map((c) => [c, w.userIdOf(c), w.fileOf(c), w.slotOf(c)]),
        );
        if (d.question === "id") out.push(w.lookupBatch(d.name, "zipf", 500));
        else out.push(w.remapBatch(d.name, 500, "zipf"));
        out.push(w.criuRestore(d.name, 200));
        return out;
      };
      const wasm = run("wasm");
      assert.deepEqual(wasm, run("ts"));
      assert.notEqual((wasm[0] as { checksum: number }).checksum, FOLD_SEED, "a batch folds its results");
    });
  }

  it("checksums the lookups' results: the FNV fold of ctx + 1 per target", () => {
    for (const backend of BACKENDS) {
      const w = createLookupWorld({ backend, n: 9, seed: 5 });
      const newest = w.contexts()[8];
      let h = FOLD_SEED;
      for (let i = 0; i < 4; i++) h = fold(h, newest + 1);
      assert.equal(w.lookupBatch("hash", "newest", 4).checksum, h, backend);
    }
  });
});
