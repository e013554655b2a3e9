/**
 * The lookup world the benchmarks and tests drive: one API, two backends
 * (WASM hot loops in build/lookup.wasm, or the TS twins). One strategy is
 * active at a time and keeps its index; the other question is answered by
 * the kernel's own index-free mechanism (KERNEL_STRATEGY), so only the
 * active strategy's upkeep and finds cost anything beyond the kernel's.
 */
import { MAX_BATCH, MAX_CTX } from "./context-set.js";
import { DISTS, type Dist } from "./prng.js";
import { strategy } from "./registry.js";
import type { Question, StrategyDescriptor } from "./types.js";

export type WorldEngine = "wasm" | "ts";

export interface LookupWorldOptions {
  backend: WorldEngine;
  /** Contexts created up front (ctx i gets slot i and the i-th highest address). */
  n: number;
  /** Seeds the target streams; the same seed gives the same streams on both backends. */
  seed: number;
  /** WASM backend only: the compiled lookup module (default build/lookup.wasm). */
  module?: WebAssembly.Module;
}

export interface BatchResult {
  /** FNV-1a over the results, identical across backends for the same inputs. */
  checksum: number;
  /** Slots/nodes visited by the named strategy during the call. */
  visited: number;
}

export interface CriuResult {
  checksum: number;
  visitedId: number;
  visitedFile: number;
}

export interface LookupWorld {
  readonly backend: WorldEngine;
  readonly seed: number;
  /** The active strategy's name. */
  readonly strategy: string;
  /** Make name the active strategy: its index is built from the live contexts. */
  select(name: string): void;

  /** io_setup: a new context (handle), or -1 at MAX_CTX live contexts. */
  ioSetup(): number;
  /** io_destroy(ctx_id): 0, or -1 when lookup_ioctx finds nothing (EINVAL). */
  ioDestroy(userId: number): number;
  /**
   * mremap of the ring mapping at addr to `to` (must be unmapped; default: the
   * highest free address), then the remap hook. Returns the new address, or -1
   * (nothing mapped at addr, `to` taken, or the hook found no context: move undone).
   */
  mremapRing(addr: number, to?: number): number;
  /** lookup_ioctx(userId) by the active id strategy (or the kernel's): a handle or -1. */
  findById(userId: number): number;
  /** The hook's search by the active file strategy (or the kernel's): a handle or -1. */
  findByFile(file: number, vmaStart: number): number;

  userIdOf(ctx: number): number;
  fileOf(ctx: number): number;
  slotOf(ctx: number): number;
  tableNr(): number;
  liveCount(): number;
  /** Live handles, oldest first. */
  contexts(): number[];
  /** Cumulative cost counters since the last reset (build / criuRestore). */
  visited(): { id: number; file: number };
  /** The WASM instance's raw exports (null on the TS backend): a counted instance's counter is there. */
  wasmExports(): WebAssembly.Exports | null;

  /** `batch` lookups of live ids drawn by dist, by an id strategy (selected if needed). */
  lookupBatch(name: string, dist: Dist, batch: number): BatchResult;
  /** `batch` ring moves (contexts drawn by dist) through a file strategy's hook. */
  remapBatch(name: string, batch: number, dist?: Dist): BatchResult;
  /** `ops` random creates / destroys / moves in a seeded order, with name active. */
  churn(name: string, ops: number, seed: number): BatchResult;
  /**
   * CRIU restore into a fresh mm: n contexts, each created, its ring filled,
   * then moved to its dumped (fixed) address. Leaves the world holding them.
   */
  criuRestore(name: string, n: number): CriuResult;
}

/** The world's operations a backend provides as they are (the facade only validates arguments). */
type WorldQueries = Pick<
  LookupWorld,
  "ioSetup" | "ioDestroy" | "findById" | "findByFile" | "userIdOf" | "fileOf" | "slotOf" | "tableNr" | "liveCount" | "contexts"
>;

/** Engine primitives the shared facade is built on; arguments are validated already. */
export interface LookupEngine extends WorldQueries {
  /** The WASM instance's exports; absent on the TS engine. */
  readonly exports?: WebAssembly.Exports;
  build(n: number): void;
  select(d: StrategyDescriptor): void;
  /** to < 0: the highest free address. */
  mremapRing(addr: number, to: number): number;
  visitedId(): number;
  visitedFile(): number;
  /** Fill the backend's id stream (current user ids) / ctx stream (handles). */
  genIdStream(dist: number, count: number, seed: number): void;
  genCtxStream(dist: number, count: number, seed: number): void;
  lookupBatch(d: StrategyDescriptor, count: number): number;
  remapBatch(d: StrategyDescriptor, count: number): number;
  churn(d: StrategyDescriptor, ops: number, seed: number): number;
  criuRestore(d: StrategyDescriptor, n: number): number;
}

function checkInt(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new RangeError(`${what} must be an integer in [${lo}, ${hi}], got ${v}`);
}

/** Addresses are integers below 2^53 here (x86-64 user space ends at 2^47): exact as numbers. */
function checkAddr(what: string, v: number): void {
  checkInt(what, v, 0, Number.MAX_SAFE_INTEGER);
}

function distIndex(dist: Dist): number {
  const i = DISTS.indexOf(dist);
  if (i < 0) throw new RangeError(`unknown distribution "${dist}" (known: ${DISTS.join(", ")})`);
  return i;
}

/** Stream seeds: one per (world seed, stream kind, dist), so cached streams are reproducible. */
function streamSeed(seed: number, kind: number, dist: number): number {
  return (seed ^ Math.imul(kind * 4 + dist + 1, 0x9e3779b9)) >>> 0;
}

export class LookupWorldImpl implements LookupWorld {
  private active: StrategyDescriptor;
  // Streams are regenerated only when what they hold changed: ids go stale on
  // any create/destroy/move, handles only on create/destroy.
  private members = 0;
  private moves = 0;
  private idStreamKey = "";
  private ctxStreamKey = "";

  constructor(
    readonly backend: WorldEngine,
    readonly seed: number,
    n: number,
    private readonly impl: LookupEngine,
  ) {
    checkInt("n", n, 0, MAX_CTX);
    checkInt("seed", seed, 0, 0xffffffff);
    this.active = strategy("table-header-id");
    impl.build(n);
  }

  get strategy(): string {
    return this.active.name;
  }

  select(name: string): void {
    this.use(strategy(name));
  }

  private use(d: StrategyDescriptor): void {
    if (d === this.active) return;
    this.impl.select(d);
    this.active = d;
  }

  private need(name: string, q: Question): StrategyDescriptor {
    const d = strategy(name);
    if (d.question !== q) throw new TypeError(`strategy "${name}" answers the ${d.question} question, not ${q}`);
    this.use(d);
    return d;
  }

  ioSetup(): number {
    this.members++;
    return this.impl.ioSetup();
  }

  ioDestroy(userId: number): number {
    checkAddr("userId", userId);
    this.members++;
    return this.impl.ioDestroy(userId);
  }

  mremapRing(addr: number, to = -1): number {
    checkAddr("addr", addr);
    if (to !== -1) checkAddr("to", to);
    this.moves++;
    return this.impl.mremapRing(addr, to);
  }

  findById(userId: number): number {
    checkAddr("userId", userId);
    return this.impl.findById(userId);
  }

  findByFile(file: number, vmaStart: number): number {
    checkInt("file", file, 0, 0x7fffffff);
    checkAddr("vmaStart", vmaStart);
    return this.impl.findByFile(file, vmaStart);
  }

  userIdOf(ctx: number): number {
    return this.impl.userIdOf(ctx);
  }

  fileOf(ctx: number): number {
    return this.impl.fileOf(ctx);
  }

  slotOf(ctx: number): number {
    return this.impl.slotOf(ctx);
  }

  tableNr(): number {
    return this.impl.tableNr();
  }

  liveCount(): number {
    return this.impl.liveCount();
  }

  contexts(): number[] {
    return this.impl.contexts();
  }

  visited(): { id: number; file: number } {
    return { id: this.impl.visitedId(), file: this.impl.visitedFile() };
  }

  wasmExports(): WebAssembly.Exports | null {
    return this.impl.exports ?? null;
  }

  private checkBatch(batch: number): void {
    checkInt("batch", batch, 1, MAX_BATCH);
    if (this.impl.liveCount() === 0) throw new RangeError("no live contexts to draw targets from");
  }

  lookupBatch(name: string, dist: Dist, batch: number): BatchResult {
    const d = this.need(name, "id");
    const di = distIndex(dist);
    this.checkBatch(batch);
    const key = `${di}/${batch}/${this.members}/${this.moves}`;
    if (key !== this.idStreamKey) {
      this.impl.genIdStream(di, batch, streamSeed(this.seed, 0, di));
      this.idStreamKey = key;
    }
    const before = this.impl.visitedId();
    const checksum = this.impl.lookupBatch(d, batch);
    return { checksum, visited: this.impl.visitedId() - before };
  }

  remapBatch(name: string, batch: number, dist: Dist = "uniform"): BatchResult {
    const d = this.need(name, "file");
    const di = distIndex(dist);
    this.checkBatch(batch);
    const key = `${di}/${batch}/${this.members}`;
    if (key !== this.ctxStreamKey) {
      this.impl.genCtxStream(di, batch, streamSeed(this.seed, 1, di));
      this.ctxStreamKey = key;
    }
    this.moves++;
    const before = this.impl.visitedFile();
    const checksum = this.impl.remapBatch(d, batch);
    return { checksum, visited: this.impl.visitedFile() - before };
  }

  churn(name: string, ops: number, seed: number): BatchResult {
    const d = strategy(name);
    checkInt("ops", ops, 0, 0x7fffffff);
    checkInt("seed", seed, 0, 0xffffffff);
    this.use(d);
    this.members++;
    this.moves++;
    const counter = d.question === "id" ? () => this.impl.visitedId() : () => this.impl.visitedFile();
    const before = counter();
    const checksum = this.impl.churn(d, ops, seed);
    return { checksum, visited: counter() - before };
  }

  criuRestore(name: string, n: number): CriuResult {
    const d = strategy(name);
    // Dumped addresses are the lowest n address slots: n <= MAX_CTX keeps them clear of new rings.
    checkInt("n", n, 0, MAX_CTX);
    this.members++;
    this.moves++;
    const checksum = this.impl.criuRestore(d, n);
    this.active = d;
    return { checksum, visitedId: this.impl.visitedId(), visitedFile: this.impl.visitedFile() };
  }
}
