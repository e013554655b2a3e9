// The WASM core and the TypeScript model driven in lockstep (test/wasm-core.test.ts):
// a pair of processes, and the scenario steps run on either backend.
import assert from "node:assert/strict";
import { iocbAddress } from "../../src/scenario/run.js";
import { ctxpOf, pipeEndOf, protBits, timeoutOf, usigOf } from "../../src/contract/scenario.js";
import { submitCall } from "../../src/scenario/submit-call.js";
import { WasmProcess } from "../../src/core/wasm-backend.js";
import { AioProcess } from "../../src/model/aio.js";
import { BOGUS_ADDRESS, PAGE_SIZE } from "../../src/model/mm.js";
import { PROFILES } from "../../src/contract/profile.js";
import type { AioBackend, IoFd, ProcessConfig } from "../../src/contract/backend.js";
import type { AddrExpr, ProfileName, RepeatStep, Step } from "../../src/contract/scenario.js";
import { restTaken, untilHolds, type CallOutcome } from "../../src/scenario/repeat.js";
import { MAX_THREAD_NR, MAX_THREADS } from "../../assembly/abi/limits.js";

export const CONFIG: ProcessConfig = { cpus: 2, aio_max_nr: 65536, aio_nr: 0, zero_page: true };
const P = PAGE_SIZE;

/** A model process and a WASM process driven in lockstep. */
export class Pair {
  readonly model: AioProcess;
  readonly wasm: WasmProcess;

  constructor(
    readonly profile: ProfileName,
    config: ProcessConfig = CONFIG,
  ) {
    this.model = new AioProcess(PROFILES[profile], config);
    this.wasm = new WasmProcess(PROFILES[profile], config);
  }

  /** Runs `f` on both; the results must be deep-equal. Returns the model's. */
  call<T>(label: string, f: (b: AioBackend) => T): T {
    const expected = f(this.model);
    const actual = f(this.wasm);
    assert.deepStrictEqual(actual, expected, `${this.profile}: ${label}`);
    assert.equal(this.wasm.hookSlotsVisited, this.model.hookSlotsVisited, `${this.profile}: ${label}: hookSlotsVisited`);
    return expected;
  }

  setup(nr_events: number): number {
    const r = this.call(`io_setup(${nr_events})`, (b) => b.io_setup(nr_events, "zero"));
    assert.equal(r.errno, null);
    return r.ctx;
  }

  mmap(pages: number): number {
    return this.call(`mmap(${pages})`, (b) => b.mmap(pages)).addr;
  }

  /** Pages of the ring mapping at `ctx` (3 for 128 events, 2 in v3.11). */
  ringPages(ctx: number): number {
    const r = this.model.ring(ctx);
    assert.ok("pages" in r);
    return r.pages;
  }

  /** The page holding `addr` as user space sees it, on both: same bytes. */
  sameBytes(addr: number): void {
    assert.deepStrictEqual(this.wasm.pageBytes(addr), modelPageBytes(this.model, addr), `${this.profile}: bytes of page ${addr}`);
  }
}

function modelPageBytes(model: AioProcess, addr: number): Uint8Array | null {
  const at = model.mm.locate(Math.floor(addr / P) * P);
  if (!at) return null;
  return at.bytes ? at.bytes.slice(at.offset, at.offset + P) : new Uint8Array(P).fill(at.fill);
}

export const ringFile = (p: ProfileName) => PROFILES[p].ringFile;

// ---- a step runner for scenario documents and random programs ---------------

type Names = Map<string, number>;

function resolve(names: Names, e: AddrExpr): number | null {
  if (e === 0) return 0;
  if (e === "bogus") return BOGUS_ADDRESS;
  if (e === -1) return -1;
  const m = /^([^+]+)(?:\+(\d+)(b?))?$/.exec(e);
  if (!m) return null;
  const base = names.get(m[1]);
  if (base === undefined) return null;
  if (m[2] === undefined) return base;
  return m[3] ? base + Number(m[2]) : base + Number(m[2]) * P;
}

/**
 * A repeat on a backend: every iteration's raw results, so the pair compares
 * each one; a string result (an unbound name, a wait that would block) ends
 * the loop as the scenario error it would be.
 */
function runRepeat(b: AioBackend, names: Names, s: RepeatStep): unknown[][] {
  let rest = s.blocks ?? null;
  const iterations: unknown[][] = [];
  for (let met = false; iterations.length < s.times && !met; ) {
    const last = s.steps.map((c) => runStep(b, names, c, rest));
    iterations.push(last);
    if (last.some((r) => r === "unbound" || r === "would block" || r === "no blocks")) break;
    // A page's raw result is its kind, a string: it has neither ret nor errno.
    const outcomes = last.map((r) => (typeof r === "object" && r !== null ? r : {}) as CallOutcome);
    if (rest !== null) rest -= s.steps.reduce((n, c, k) => n + restTaken(c, outcomes[k]), 0);
    met = s.until !== undefined && untilHolds(s.until, outcomes, rest);
  }
  return iterations;
}

/** Runs one step on a backend (raw results, addresses included); "unbound" when a name is not bound. `rest`: a repeat's blocks left. */
function runStep(b: AioBackend, names: Names, s: Step, rest: number | null = null, i = -1): unknown {
  const at = (e: AddrExpr) => resolve(names, e);
  switch (s.op) {
    case "repeat":
      return runRepeat(b, names, s);
    case "io_setup": {
      const r = b.io_setup(s.nr_events, ctxpOf(s.ctxp));
      if (r.errno === null && s.name) names.set(s.name, r.ctx);
      return r;
    }
    case "mmap": {
      const fixed = s.at === undefined ? null : at(s.at);
      if (s.at !== undefined && fixed === null) return "unbound";
      const r = b.mmap(s.pages, fixed, s.noreplace === true, s.align ?? 0, s.shared === true, protBits(s.prot));
      if (r.errno === null) names.set(s.name, r.addr);
      return r;
    }
    case "io_destroy": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : b.io_destroy(ctx);
    }
    case "io_submit": {
      const ctx = at(s.ctx);
      if (ctx === null) return "unbound";
      const efd = s.resfd === undefined || s.resfd === "bad" || s.resfd === "file" ? (s.resfd ?? null) : names.get(eventfdKey(s.resfd));
      if (efd === undefined) return "unbound";
      const count = s.count === "rest" ? rest : s.count;
      const end = pipeEndOf(s.fd);
      const pipe = end ? names.get(pipeKey(end.pipe)) : undefined;
      if (end && pipe === undefined) return "unbound";
      const fd = end ? { pipe: pipe as number, write: end.write } : (s.fd as Exclude<IoFd, object> | undefined);
      return count === null ? "no blocks" : submitCall(b, s, ctx, efd, count, fd, i);
    }
    case "io_getevents": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : (b.io_getevents(ctx, s.min_nr, s.nr, timeoutOf(s.timeout_ns), s.events !== undefined) ?? "would block");
    }
    case "io_pgetevents": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : (b.io_pgetevents(ctx, s.min_nr, s.nr, timeoutOf(s.timeout_ns), s.events !== undefined, usigOf(s)) ?? "would block");
    }
    case "raise":
      return b.raise();
    case "ftruncate":
      return b.ftruncate(s.size);
    case "setrlimit_fsize":
      return b.setrlimit_fsize(s.bytes === "infinity" ? null : s.bytes);
    case "io_cancel": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : b.io_cancel(ctx, s.submit === undefined ? iocbAddress(s.iocb) : { submit: s.submit, block: s.block ?? 0 });
    }
    case "user_reap": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : b.user_reap(ctx, s.max);
    }
    case "ring": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : b.ring(ctx);
    }
    case "store_head": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : b.store_head(ctx, s.head);
    }
    case "store_event": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : b.store_event(ctx, s.slot, { data: s.data, res: s.res, res2: s.res2 ?? 0 });
    }
    case "ring_events": {
      const ctx = at(s.ctx);
      return ctx === null ? "unbound" : b.ring_events(ctx, s.slot, s.count);
    }
    case "munmap": {
      const addr = at(s.addr);
      return addr === null ? "unbound" : b.munmap(addr, s.pages);
    }
    case "mremap": {
      const addr = at(s.addr);
      const to = s.to === undefined ? null : at(s.to);
      if (addr === null || (s.to !== undefined && to === null)) return "unbound";
      const r = b.mremap(addr, s.old_pages, s.new_pages, to, s.maymove !== false, s.dontunmap === true);
      if (r.errno === null && s.name) names.set(s.name, r.addr);
      return r;
    }
    case "fork_mremap": {
      const addr = at(s.addr);
      const to = at(s.to);
      return addr === null || to === null ? "unbound" : b.inChild((child) => child.mremap(addr, s.pages, s.pages, to));
    }
    case "fork":
      return b.inChild((child) => runStep(child, names, s.call));
    case "fork_calls": {
      // The child's names: the parent's, and what it binds, which dies with it.
      const own: Names = new Map(names);
      return b.inChild((child) => s.calls.map((c) => runStep(child, own, c)));
    }
    case "page": {
      const addr = at(s.addr);
      return addr === null ? "unbound" : b.page(addr);
    }
    case "fill": {
      const addr = at(s.addr);
      return addr === null ? "unbound" : b.fill(addr, s.pages, s.value);
    }
    case "peek": {
      const addr = at(s.addr);
      return addr === null ? "unbound" : b.peek(addr, s.pages);
    }
    case "buf_fill":
      return b.buf_fill(s.offset ?? 0, s.bytes, s.value);
    case "buf_peek":
      return b.buf_peek(s.offset ?? 0, s.bytes);
    case "eventfd": {
      const r = b.eventfd(s.initval ?? 0, s.semaphore === true);
      if (r.errno === null) names.set(eventfdKey(s.name), r.efd);
      return r;
    }
    case "eventfd_read": {
      const efd = names.get(eventfdKey(s.fd));
      return efd === undefined ? "unbound" : b.eventfd_read(efd);
    }
    case "pipe": {
      const r = b.pipe();
      if (r.errno === null) names.set(pipeKey(s.name), r.pipe);
      return r;
    }
    case "pipe_write":
    case "pipe_read": {
      const p = names.get(pipeKey(s.pipe));
      if (p === undefined) return "unbound";
      return s.op === "pipe_write" ? b.pipe_write(p, s.bytes) : b.pipe_read(p, s.bytes);
    }
    // A thread's primitives, raw (src/scenario/threads.ts runs them): the context held, its tail, the waiter's reads.
    case "thread_getevents": {
      const ctx = at(s.ctx);
      if (ctx === null) return "unbound";
      const w = threadSlot(s.name);
      if (!b.watch_ctx(w, ctx)) return "none held";
      return { tail: b.watched_tail(w), avail: b.watched_avail(w), read: b.watched_read(w, s.min_nr ?? s.nr), watches: b.watches(w, ctx) };
    }
    case "thread_join": {
      const w = threadSlot(s.name);
      const tail = b.watched_tail(w);
      return tail === -1 ? { tail } : { tail, avail: b.watched_avail(w), read: b.watched_read(w, MAX_THREAD_NR) };
    }
  }
}

/** A thread name's watch slot: names spread over the slots, so several contexts are held at once. */
const threadSlot = (name: string) => [...name].reduce((h, c) => h + c.charCodeAt(0), 0) % MAX_THREADS;

/** A pipe's name among the addresses' and eventfds' (a key neither can be). */
const pipeKey = (name: string) => `|${name}`;

/** An eventfd's name among the addresses' (a key no address name can be). */
const eventfdKey = (name: string) => `#${name}`;

/**
 * Runs steps on both processes of a pair, comparing every result and, at the
 * end, the bytes of every bound page. `between`, when given, runs after each
 * step with the step's index and the names bound so far (address names only).
 */
export function runBoth(pair: Pair, steps: Step[], label: string, between?: (i: number, names: ReadonlyMap<string, number>) => void): void {
  const modelNames: Names = new Map();
  const wasmNames: Names = new Map();
  steps.forEach((s, i) => {
    const expected = runStep(pair.model, modelNames, s, null, i);
    const actual = runStep(pair.wasm, wasmNames, s, null, i);
    assert.deepStrictEqual(actual, expected, `${pair.profile}: ${label}: step ${i} ${JSON.stringify(s)}`);
    assert.equal(pair.wasm.hookSlotsVisited, pair.model.hookSlotsVisited, `${pair.profile}: ${label}: step ${i}: hookSlotsVisited`);
    between?.(i, new Map([...modelNames].filter(([name]) => !name.startsWith("#") && !name.startsWith("|"))));
  });
  assert.deepStrictEqual(wasmNames, modelNames);
  for (const [name, addr] of modelNames) if (!name.startsWith("#")) for (let k = 0; k < 4; k++) pair.sameBytes(addr + k * P);
}

// ---- tests ------------------------------------------------------------------------
