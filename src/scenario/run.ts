// Runs a scenario on an in-process backend (model or wasm): binds names to
// addresses, resolves address expressions, and turns each call into the
// result fields of docs/scenario-format.md. Results never carry raw addresses.
import { ScenarioError } from "../contract/errors.js";
import { BOGUS_ADDRESS, PAGE_SIZE } from "../model/mm.js";
import { IOCB_ADDR } from "../../assembly/abi/iocb.js";
import type { AioBackend, IoFd, ProcessConfig, Resfd } from "../contract/backend.js";
import {
  ctxpOf,
  pipeEndOf,
  protBits,
  timeoutOf,
  usigOf,
  type AddrExpr,
  type BackendName,
  type ChildCall,
  type ProfileName,
  type ResultsDoc,
  type Scenario,
  type Step,
  type StepOf,
  type StepResult,
} from "../contract/scenario.js";
import { MAX_RESULT_EVENTS } from "./limits.js";
import { submitCall } from "./submit-call.js";
import { runRepeat } from "./repeat.js";
import { PROFILES } from "../contract/profile.js";
import { Threads } from "./threads.js";

export class Names {
  private readonly bound = new Map<string, number>();
  /** Eventfd steps' names, to the backend's eventfd ids (checkScenarioLimits keeps them apart from address names). */
  private readonly eventfds = new Map<string, number>();
  /** Pipe steps' names, to the backend's pipe ids (checkPipesAndPolls keeps them apart from the others). */
  private readonly pipes = new Map<string, number>();

  /** The process's threads (top-level steps only: a child runs none). */
  readonly threads: Threads;

  constructor(private readonly file: string) {
    this.threads = new Threads(file);
  }

  /** A forked child's names: the parent's, which it may use, and any it binds, which die with it. */
  fork(): Names {
    const child = new Names(this.file);
    for (const [k, v] of this.bound) child.bound.set(k, v);
    for (const [k, v] of this.eventfds) child.eventfds.set(k, v);
    return child;
  }

  /** Names bound so far (the fuzzer draws addresses from them). */
  list(): string[] {
    return [...this.bound.keys()];
  }

  /** Eventfd names bound so far (the fuzzers draw resfd from them). */
  eventfdList(): string[] {
    return [...this.eventfds.keys()];
  }

  /** The address a name is bound to, if it is. */
  addressOf(name: string): number | undefined {
    return this.bound.get(name);
  }

  bind(name: string | undefined, addr: number): void {
    if (name !== undefined) this.bound.set(name, addr);
  }

  bindEventfd(name: string, efd: number): void {
    this.eventfds.set(name, efd);
  }

  bindPipe(name: string, pipe: number): void {
    this.pipes.set(name, pipe);
  }

  /** Pipe names bound so far (the fuzzer draws poll fds from them). */
  pipeList(): string[] {
    return [...this.pipes.keys()];
  }

  /** The pipe id `name` is bound to. */
  pipe(name: string, step: number, field: string): number {
    const p = this.pipes.get(name);
    if (p === undefined) throw new ScenarioError(this.file, step, field, `pipe "${name}" is not made by any earlier pipe step`);
    return p;
  }

  /** io_submit's fd as a backend takes it: a pipe end, a word for the test file, or undefined for it read-write. */
  fd(fd: StepOf<"io_submit">["fd"], step: number): IoFd | undefined {
    const end = pipeEndOf(fd);
    return end ? { pipe: this.pipe(end.pipe, step, "fd"), write: end.write } : (fd as Exclude<IoFd, object> | undefined);
  }

  /** The eventfd id `name` is bound to. */
  eventfd(name: string, step: number, field: string): number {
    const efd = this.eventfds.get(name);
    if (efd === undefined) throw new ScenarioError(this.file, step, field, `eventfd "${name}" is not bound by any earlier eventfd step`);
    return efd;
  }

  /** io_submit's resfd as a backend takes it: an eventfd's id, "bad", "file", or null for no IOCB_FLAG_RESFD. */
  resfd(resfd: string | undefined, step: number): Resfd {
    if (resfd === undefined) return null;
    return resfd === "bad" || resfd === "file" ? resfd : this.eventfd(resfd, step, "resfd");
  }

  resolve(expr: AddrExpr, step: number, field: string): number {
    if (expr === 0) return 0;
    if (expr === "bogus") return BOGUS_ADDRESS;
    // All ones: the models need no more than an address no VMA holds and no page boundary starts (it crosses to the WASM core as i64 -1).
    if (expr === -1) return -1;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\+(\d+|1b))?$/.exec(expr)!;
    const base = this.bound.get(m[1]);
    if (base === undefined) throw new ScenarioError(this.file, step, field, `name "${m[1]}" is not bound by any earlier successful step`);
    if (m[2] === undefined) return base;
    return m[2] === "1b" ? base + 1 : base + Number(m[2]) * PAGE_SIZE;
  }
}

/** io_cancel's control block: the first one io_submit uses (its aio_key 0 is KIOCB_KEY), or NULL, or an unmapped address. */
export function iocbAddress(iocb: 0 | "bogus" | undefined): number {
  return iocb === undefined ? IOCB_ADDR : iocb === 0 ? 0 : BOGUS_ADDRESS;
}

/**
 * Runs one step; throws ScenarioError for a step that cannot run as written.
 * `rest`: inside a repeat with blocks, those not yet submitted (an io_submit's count "rest").
 */
export function runStep(b: AioBackend, s: Step, i: number, names: Names, file: string, rest: number | null = null): StepResult {
  const r = runCall(b, s, i, names, file, rest);
  // A thread the call woke reads what it needs before the next call, as the probe waits for it to.
  names.threads.settle(b);
  return r;
}

/** runStep without the settling of threads: a forked child's call, which no thread of the parent sees. */
function runCall(b: AioBackend, s: Step, i: number, names: Names, file: string, rest: number | null): StepResult {
  const at = (expr: AddrExpr, field: string) => names.resolve(expr, i, field);
  // Each result starts with its step and op, written out: spreading one shared
  // { step, op } object into every result took V8's slow clone path and cost a
  // 4,000,000-call loop (libaio 11.t) 22 of its 25 s in the model.
  switch (s.op) {
    case "repeat":
      return runRepeat(s, i, file, (call, _k, left) => runStep(b, call, i, names, file, left));
    case "io_setup": {
      const r = b.io_setup(s.nr_events, ctxpOf(s.ctxp));
      if (r.errno === null) names.bind(s.name, r.ctx);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno };
    }
    case "io_destroy": {
      const ctx = at(s.ctx, "ctx");
      names.threads.beforeDestroy(b, ctx);
      return { step: i, op: s.op, ...b.io_destroy(ctx) };
    }
    case "io_submit": {
      if (s.fd === "direct" && !b.profile.directOpen)
        throw new ScenarioError(file, i, "fd", `${b.profile.name} cannot open the test file with O_DIRECT (EINVAL: shmem takes it from 6.6)`);
      const count = s.count === "rest" ? rest : s.count;
      if (count === null) throw new ScenarioError(file, i, "count", 'count "rest" is for an io_submit in the body of a repeat with blocks');
      return { step: i, op: s.op, ...submitCall(b, s, at(s.ctx, "ctx"), names.resfd(s.resfd, i), count, names.fd(s.fd, i), i) };
    }
    case "io_getevents": {
      const r = b.io_getevents(at(s.ctx, "ctx"), s.min_nr, s.nr, timeoutOf(s.timeout_ns), s.events !== undefined);
      if (r === null) throw new ScenarioError(file, i, "min_nr", "would block forever: no timeout and fewer than min_nr events in the ring");
      return { step: i, op: s.op, ret: r.ret, errno: r.errno, data: r.data, res: r.res };
    }
    case "io_pgetevents": {
      const r = b.io_pgetevents(at(s.ctx, "ctx"), s.min_nr, s.nr, timeoutOf(s.timeout_ns), s.events !== undefined, usigOf(s));
      if (r === null) throw new ScenarioError(file, i, "min_nr", "would block forever: no timeout, fewer than min_nr events in the ring and no signal let in");
      return { step: i, op: s.op, ret: r.ret, errno: r.errno, data: r.data, res: r.res, delivered: r.delivered };
    }
    case "raise":
      return { step: i, op: s.op, ...b.raise() };
    case "ftruncate":
      return { step: i, op: s.op, ...b.ftruncate(s.size) };
    case "setrlimit_fsize":
      return { step: i, op: s.op, ...b.setrlimit_fsize(s.bytes === "infinity" ? null : s.bytes) };
    case "io_cancel":
      return { step: i, op: s.op, ...b.io_cancel(at(s.ctx, "ctx"), s.submit === undefined ? iocbAddress(s.iocb) : { submit: s.submit, block: s.block ?? 0 }) };
    case "user_reap": {
      const r = b.user_reap(at(s.ctx, "ctx"), s.max);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno, data: r.data };
    }
    case "store_head":
      return { step: i, op: s.op, ...b.store_head(at(s.ctx, "ctx"), s.head) };
    case "store_event":
      return { step: i, op: s.op, ...b.store_event(at(s.ctx, "ctx"), s.slot, { data: s.data, res: s.res, res2: s.res2 ?? 0 }) };
    case "ring_events": {
      const r = b.ring_events(at(s.ctx, "ctx"), s.slot, s.count);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno, data: r.data, res: r.res, res2: r.res2 };
    }
    case "ring": {
      const r = b.ring(at(s.ctx, "ctx"));
      if (r.errno !== null || !("nr" in r)) return { step: i, op: s.op, errno: r.errno };
      const { idIsSetupAddress, ...fields } = r;
      return { step: i, op: s.op, ...fields, id: idIsSetupAddress ? "addr" : fields.id };
    }
    case "mmap": {
      if (s.noreplace && !b.profile.mapFixedNoreplace)
        throw new ScenarioError(
          file,
          i,
          "noreplace",
          `${b.profile.name} predates MAP_FIXED_NOREPLACE (4.17): it takes the address as a hint, which the models do not model`,
        );
      const r = b.mmap(
        s.pages,
        s.at === undefined ? null : at(s.at, "at"),
        s.noreplace === true,
        s.align ?? 0,
        s.shared === true,
        protBits(s.prot),
        s.file ? (s.file_page ?? 0) : -1,
      );
      if (r.errno === null) names.bind(s.name, r.addr);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno };
    }
    case "munmap":
      return { step: i, op: s.op, ...b.munmap(at(s.addr, "addr"), s.pages) };
    case "mremap": {
      const addr = at(s.addr, "addr");
      const to = s.to === undefined ? null : at(s.to, "to");
      const r = b.mremap(addr, s.old_pages, s.new_pages, to, s.maymove !== false, s.dontunmap === true);
      if (r.errno === null) names.bind(s.name, r.addr);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno };
    }
    case "fork_mremap": {
      const [addr, to] = [at(s.addr, "addr"), at(s.to, "to")];
      const r = b.inChild((child) => child.mremap(addr, s.pages, s.pages, to));
      return { step: i, op: s.op, ret: r.ret, errno: r.errno };
    }
    case "fork": {
      // The child's step binds no name (the schema allows none), so the parent's names stay as they were.
      const { step: _, op: call, ...r } = b.inChild((child) => runCall(child, s.call, i, names, file, null));
      return { step: i, op: s.op, call: call as ChildCall["op"], ...r };
    }
    case "fork_calls": {
      const own = names.fork();
      const results = b.inChild((child) => s.calls.map((c, k) => ({ ...runChildStep(child, c, i, k, own, file), step: k })));
      return { step: i, op: s.op, results };
    }
    case "page":
      return { step: i, op: s.op, kind: b.page(at(s.addr, "addr")) };
    case "fill":
      return { step: i, op: s.op, ret: b.fill(at(s.addr, "addr"), s.pages, s.value) };
    case "peek":
      return { step: i, op: s.op, bytes: b.peek(at(s.addr, "addr"), s.pages) };
    case "buf_fill":
      return { step: i, op: s.op, ...b.buf_fill(s.offset ?? 0, s.bytes, s.value) };
    case "buf_peek": {
      const r = b.buf_peek(s.offset ?? 0, s.bytes);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno, runs: r.runs };
    }
    case "eventfd": {
      const r = b.eventfd(s.initval ?? 0, s.semaphore === true);
      if (r.errno === null) names.bindEventfd(s.name, r.efd);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno };
    }
    case "eventfd_read":
      return { step: i, op: s.op, ...b.eventfd_read(names.eventfd(s.fd, i, "fd")) };
    case "pipe": {
      const r = b.pipe();
      if (r.errno === null) names.bindPipe(s.name, r.pipe);
      return { step: i, op: s.op, ret: r.ret, errno: r.errno };
    }
    case "pipe_write":
      return { step: i, op: s.op, ...b.pipe_write(names.pipe(s.pipe, i, "pipe"), s.bytes) };
    case "pipe_read":
      return { step: i, op: s.op, ...b.pipe_read(names.pipe(s.pipe, i, "pipe"), s.bytes) };
    case "thread_getevents":
      return names.threads.start(b, i, s.name, at(s.ctx, "ctx"), s.min_nr ?? s.nr, s.nr, s.timeout_ns);
    case "thread_join":
      return names.threads.join(b, i, s.name);
  }
}

/** Call `k` of fork_calls step `i`: a scenario error in it names the field "calls.K.FIELD", as the schema does. */
function runChildStep(child: AioBackend, c: Step, i: number, k: number, names: Names, file: string): StepResult {
  try {
    return runCall(child, c, i, names, file, null);
  } catch (e) {
    if (e instanceof ScenarioError && e.step === i) throw new ScenarioError(file, i, `calls.${k}${e.field === null ? "" : `.${e.field}`}`, e.detail);
    throw e;
  }
}

export interface RunMeta extends ProcessConfig {
  backend: BackendName;
  profile: ProfileName;
}

/** Runs every step in order on `backend`; a scenario error stops the run. */
export function runSteps(file: string, scenario: Scenario, backend: AioBackend, meta: RunMeta): ResultsDoc {
  const names = new Names(file);
  let events = 0;
  const results = scenario.steps.map((s, i) => {
    const r = runStep(backend, s, i, names, file);
    // checkScenarioLimits bounds this up front; a backend returning an event twice must still not overflow the document.
    events += [r, ...(r.last ?? []), ...(r.results ?? [])].reduce((n, x) => n + (x.data?.length ?? 0), 0);
    if (events > MAX_RESULT_EVENTS)
      throw new ScenarioError(file, i, null, `the results carry more than ${MAX_RESULT_EVENTS} events (the limit every backend shares)`);
    return r;
  });
  return {
    name: scenario.name,
    backend: meta.backend,
    profile: meta.profile,
    measured_on: PROFILES[meta.profile].measuredOn,
    kernel: null,
    cpus: meta.cpus,
    aio_max_nr: meta.aio_max_nr,
    aio_nr: meta.aio_nr,
    zero_page: meta.zero_page,
    ...(meta.tmpfs_bytes === undefined ? {} : { tmpfs_bytes: meta.tmpfs_bytes }),
    results,
  };
}
