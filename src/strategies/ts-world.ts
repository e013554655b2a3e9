/**
 * The TS backend: the kernel paths (io_setup, io_destroy, mremap + hook) and
 * the batch loops over the ContextSet and the strategies' ops tables. Same
 * decisions, same order, same counters as assembly/lookup/index.ts.
 */
import { ADDR_SLOTS, ContextSet, HEADER_WORDS, MAX_BATCH, MAX_CTX, ONE_PAGE_RING_SLOTS, PAGE, W_TAIL, addrOfSlot, slotOfAddr } from "./context-set.js";
import { FOLD_SEED, Prng, fold } from "../util/prng.js";
import { KERNEL_STRATEGY, strategy } from "./registry.js";
import type { FileLookupOps, IdLookupOps, LookupOps, StrategyDescriptor } from "./types.js";
import type { LookupEngine } from "./world.js";

const CREATE = 0;
const DESTROY = 1;

/** Fold value of an address: its page number's low 32 bits. */
function page(addr: number): number {
  return (addr / PAGE) >>> 0;
}

export class TsEngine implements LookupEngine {
  private readonly set = new ContextSet();
  private readonly ops = new Map<string, LookupOps>();
  private active: LookupOps;
  private readonly kernelId: IdLookupOps;
  private readonly kernelFile: FileLookupOps;
  private readonly idStream = new Float64Array(MAX_BATCH);
  private readonly ctxStream = new Int32Array(MAX_BATCH);

  constructor() {
    this.kernelId = this.opsFor(strategy(KERNEL_STRATEGY.id)) as IdLookupOps;
    this.kernelFile = this.opsFor(strategy(KERNEL_STRATEGY.file)) as FileLookupOps;
    this.active = this.kernelId;
  }

  private opsFor(d: StrategyDescriptor): LookupOps {
    let o = this.ops.get(d.name);
    if (!o) {
      o = d.create(this.set);
      this.ops.set(d.name, o);
    }
    return o;
  }

  private get idOps(): IdLookupOps {
    return this.active.question === "id" ? this.active : this.kernelId;
  }

  private get fileOps(): FileLookupOps {
    return this.active.question === "file" ? this.active : this.kernelFile;
  }

  private reset(): void {
    this.set.reset();
    this.active.build();
  }

  build(n: number): void {
    this.reset();
    for (let i = 0; i < n; i++) this.ioSetup();
  }

  select(d: StrategyDescriptor): void {
    this.active = this.opsFor(d);
    this.active.build();
  }

  ioSetup(): number {
    const c = this.set.create();
    if (c >= 0) this.active.insert(c);
    return c;
  }

  private lookupIoctx(userId: number): number {
    return this.idOps.findById(userId);
  }

  ioDestroy(userId: number): number {
    const c = this.lookupIoctx(userId);
    if (c < 0) return -1;
    this.active.remove(c);
    this.set.destroy(c);
    return 0;
  }

  private aioRingRemap(file: number, vmaStart: number): number {
    return this.fileOps.findByFile(file, vmaStart);
  }

  /** Move the ring mapping at address slot `from` to slot `to`, then run the hook. Returns its context or -1. */
  private moveRing(from: number, to: number): number {
    this.set.moveVma(from, to);
    const start = addrOfSlot(to);
    const c = this.aioRingRemap(this.set.vmaFile[to], start);
    if (c < 0) {
      this.set.moveVma(to, from); // mainline: EINVAL, move undone
      return -1;
    }
    const old = this.set.userId[c];
    this.set.setRingAddr(c, start);
    this.active.move(c, old);
    return c;
  }

  mremapRing(addr: number, to: number): number {
    const from = slotOfAddr(addr);
    if (from < 0 || !this.set.mapped.has(from)) return -1;
    const dest = to < 0 ? this.set.mapped.lowest() : slotOfAddr(to);
    if (dest < 0 || this.set.mapped.has(dest)) return -1;
    return this.moveRing(from, dest) >= 0 ? addrOfSlot(dest) : -1;
  }

  findById(userId: number): number {
    return this.lookupIoctx(userId);
  }

  findByFile(file: number, vmaStart: number): number {
    return this.aioRingRemap(file, vmaStart);
  }

  userIdOf(ctx: number): number {
    return this.set.userId[ctx];
  }

  fileOf(ctx: number): number {
    return this.set.ringFile[ctx];
  }

  slotOf(ctx: number): number {
    return this.set.id[ctx];
  }

  tableNr(): number {
    return this.set.tableNr;
  }

  liveCount(): number {
    return this.set.liveCount;
  }

  contexts(): number[] {
    return this.set.contexts();
  }

  visitedId(): number {
    return this.set.visitedId;
  }

  visitedFile(): number {
    return this.set.visitedFile;
  }

  genIdStream(dist: number, count: number, seed: number): void {
    const picks = this.set.pickStream(dist, count, seed);
    for (let i = 0; i < count; i++) this.idStream[i] = this.set.userId[picks[i]];
  }

  genCtxStream(dist: number, count: number, seed: number): void {
    this.ctxStream.set(this.set.pickStream(dist, count, seed).subarray(0, count));
  }

  lookupBatch(_d: StrategyDescriptor, count: number): number {
    const ops = this.idOps;
    const ids = this.idStream;
    let h = FOLD_SEED;
    for (let i = 0; i < count; i++) h = fold(h, ops.findById(ids[i]) + 1);
    return h;
  }

  /** Each move goes to the highest free address, as an mremap without a target would. */
  private moveOne(c: number): number {
    const to = this.set.mapped.lowest();
    const found = this.moveRing(slotOfAddr(this.set.mmapBase[c]), to);
    return fold(fold(FOLD_SEED, found + 1), found >= 0 ? page(addrOfSlot(to)) : 0);
  }

  remapBatch(_d: StrategyDescriptor, count: number): number {
    let h = FOLD_SEED;
    for (let i = 0; i < count; i++) h = fold(h, this.moveOne(this.ctxStream[i]));
    return h;
  }

  churn(_d: StrategyDescriptor, ops: number, seed: number): number {
    const rng = new Prng(seed);
    const set = this.set;
    let h = FOLD_SEED;
    for (let op = 0; op < ops; op++) {
      let kind = rng.below(3);
      if (set.liveCount === 0) kind = CREATE;
      else if (kind === CREATE && set.liveCount === MAX_CTX) kind = DESTROY;
      if (kind === CREATE) {
        const c = this.ioSetup();
        h = fold(fold(h, c + 1), page(set.userId[c]));
        continue;
      }
      const victim = set.live[rng.below(set.liveCount)];
      h = fold(h, kind === DESTROY ? this.ioDestroy(set.userId[victim]) + 1 : this.moveOne(victim));
    }
    return h;
  }

  criuRestore(d: StrategyDescriptor, n: number): number {
    this.set.reset();
    this.select(d);
    let h = FOLD_SEED;
    for (let i = 0; i < n; i++) {
      const c = this.ioSetup();
      const from = slotOfAddr(this.set.mmapBase[c]);
      // Fill: CRIU writes the dumped ring's events and indexes into the new mapping.
      this.set.headers[from * HEADER_WORDS + W_TAIL] = 1 + (i % (ONE_PAGE_RING_SLOTS - 1));
      const to = ADDR_SLOTS - 1 - i;
      h = fold(h, this.moveRing(from, to) + 1);
      h = fold(h, this.set.headers[to * HEADER_WORDS + W_TAIL]);
    }
    return h;
  }
}
