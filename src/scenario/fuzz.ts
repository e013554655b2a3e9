// Differential fuzzing: random call sequences run in lockstep on the TS model
// and the WASM core; any difference in any result is a divergence, reported
// with a scenario file that reproduces it.
import { MIN_THREAD_TIMEOUT_NS } from "../../assembly/abi/limits.js";
import { isDeepStrictEqual } from "node:util";
import { ScenarioError } from "../contract/errors.js";
import { AioProcess } from "../model/aio.js";
import { PROFILE_NAMES, PROFILES } from "../contract/profile.js";
import { WasmProcess } from "../core/wasm-backend.js";
import { Prng } from "../util/prng.js";
import { MAX_POLL_BLOCKS, PIPE_MAX_BYTES } from "../../assembly/abi/poll.js";
import { MAX_ALIGN_PAGES, MAX_MAPPING_PAGES } from "../../assembly/abi/limits.js";
import {
  randomCmd,
  randomBufStep,
  mapKind,
  randomEventfd,
  randomLoop,
  randomRange,
  countForRange,
  randomSignalArgs,
  withRandomFd,
  withRandomIoprio,
  withRandomIov,
  withRandomResfd,
  withRandomRwFlags,
} from "./random-args.js";
import type { AioBackend, ProcessConfig } from "../contract/backend.js";
import { Names, runStep } from "./run.js";
import {
  asChildCall,
  asChildStep,
  type AddrExpr,
  type ChildStep,
  type ProfileName,
  type Scenario,
  type Step,
  type StepOf,
  type StepResult,
} from "../contract/scenario.js";

/** A step on which the TS model and the WASM core answered differently, with a scenario that reproduces it. */
export interface Divergence {
  profile: ProfileName;
  step: number;
  model: StepResult | string;
  wasm: StepResult | string;
  /** A scenario document that replays the run up to and including the diverging step. */
  reproducer: Scenario;
}

/** What runFuzz did: operations and processes run, divergences found and the first few of them. */
export interface FuzzReport {
  seed: number;
  ops: number;
  processes: number;
  divergences: number;
  /** The first few divergences, in full. */
  examples: Divergence[];
}

/** The two backends run in lockstep: the oracle first. */
export type BackendPair = (profile: ProfileName, config: ProcessConfig) => [AioBackend, AioBackend];

const modelVsWasm: BackendPair = (profile, config) => [new AioProcess(PROFILES[profile], config), new WasmProcess(PROFILES[profile], config)];

/** `fuzz`'s default number of operations. */
export const DEFAULT_FUZZ_OPS = 100_000;
/** `fuzz`'s default seed. */
export const DEFAULT_FUZZ_SEED = 1;

/** Options of runFuzz: how many operations, the seed, and progress; each may be left out. */
export interface FuzzOptions {
  /** Operations in all (default DEFAULT_FUZZ_OPS, as `fuzz`). */
  ops?: number;
  /** The seed the run is a function of (default 1, as `fuzz`). */
  seed?: number;
  /** Which backends to compare (default: the TS model and the WASM core). */
  backends?: BackendPair;
  /** Steps before a fresh process (and profile) is started. */
  stepsPerProcess?: number;
  onProgress?: (opsDone: number) => void;
}

const CTX_NAMES = ["A", "B", "C", "D"];
const MAP_NAMES = ["X", "Y", "Z"];
const EVENTFD_NAMES = ["E", "F"];
/** Thread names: few, so joins find the threads started. */
const THREAD_NAMES = ["T", "U", "V"];
const PIPE_NAMES = ["P", "Q"];
const NR_EVENTS = [0, 1, 2, 8, 31, 100, 128, 200, 1000, 4096, 9_000_000, 2 ** 31 - 1];

function addr(rng: Prng, names: Names): AddrExpr {
  const bound = names.list();
  if (bound.length === 0 || rng.chance(0.05)) return rng.pick<AddrExpr>([0, "bogus", -1]);
  const base = rng.pick(bound);
  if (rng.chance(0.6)) return base;
  return rng.chance(0.1) ? `${base}+1b` : `${base}+${rng.int(0, 4)}`;
}

/**
 * A step on pipes and poll blocks (FINDINGS 53) that keeps the scenario
 * valid (src/scenario/pipe-poll.ts): a pipe not made yet, a write within
 * what a pipe may hold or a read of one made, a poll block on one of its
 * ends or on the test file, or io_cancel of a block of an earlier poll
 * step among `steps`.
 */
function randomPipeStep(rng: Prng, names: Names, steps: readonly Step[]): Step {
  const held = new Map<string, number>();
  let polls = 0;
  for (const s of steps) {
    if (s.op === "pipe") held.set(s.name, 0);
    if (s.op === "pipe_write") held.set(s.pipe, held.get(s.pipe)! + s.bytes);
    if (s.op === "pipe_read") held.set(s.pipe, Math.max(0, held.get(s.pipe)! - s.bytes));
    if (s.op === "io_submit" && s.cmd === "poll" && typeof s.count === "number") polls += Math.max(0, s.count);
  }
  const fresh = PIPE_NAMES.filter((n) => !held.has(n));
  const roll = rng.int(0, 9);
  if (held.size === 0 || (roll < 1 && fresh.length > 0))
    return fresh.length > 0 ? { op: "pipe", name: rng.pick(fresh) } : { op: "page", addr: addr(rng, names) };
  const pipe = rng.pick([...held.keys()]);
  const room = PIPE_MAX_BYTES - held.get(pipe)!;
  if (roll < 3) return { op: "pipe_write", pipe, bytes: rng.pick([0, 1, 3, 512, room].filter((n) => n <= room)) };
  if (roll < 4) return { op: "pipe_read", pipe, bytes: rng.pick([0, 1, 100, PIPE_MAX_BYTES]) };
  const submits = steps.flatMap((s, i) =>
    s.op === "io_submit" && s.cmd === "poll" && typeof s.count === "number" && s.count > 0 ? [{ i, count: s.count }] : [],
  );
  if (roll < 6 && submits.length > 0) {
    const { i, count } = rng.pick(submits);
    return { op: "io_cancel", ctx: addr(rng, names), submit: i, block: rng.int(0, count - 1) };
  }
  const count = Math.min(rng.pick([1, 1, 2, 5, 300]), MAX_POLL_BLOCKS - polls);
  if (count <= 0) return { op: "pipe_read", pipe, bytes: 1 };
  const fd = rng.chance(0.8) ? `${pipe}.${rng.pick(["read", "write"])}` : rng.pick(["bad", "rdonly", undefined]);
  const step = {
    op: "io_submit",
    ctx: addr(rng, names),
    count,
    cmd: "poll",
    data: rng.int(0, 1_000_000),
    events: rng.pick([1, 2, 4, 5, 64, 256, 0, 0xffff, 0x10000]),
    ...(fd === undefined ? {} : { fd }),
  } as StepOf<"io_submit">;
  const odd = rng.int(0, 19);
  if (odd === 0) return { ...step, nbytes: 1 };
  if (odd === 1) return { ...step, offset: 1 };
  return odd === 2 ? { ...step, rw_flags: 1 } : step;
}

/**
 * One random step over the names bound so far. `steps`: the run's steps so
 * far, which an io_cancel may name; null for a step inside a child or a
 * loop, which holds no pipe step or poll block (src/scenario/pipe-poll.ts).
 */
export function randomStep(rng: Prng, names: Names, steps: readonly Step[] | null = null): Step {
  const kind = rng.int(0, 99);
  if (kind < 12) {
    const step: Step = { op: "io_setup", nr_events: rng.pick(NR_EVENTS), name: rng.pick(CTX_NAMES) };
    return rng.chance(0.04) ? { ...step, ctxp: rng.pick(["nonzero", 0, "bogus"] as const) } : step;
  }
  if (kind < 14) return { op: "io_destroy", ctx: addr(rng, names) };
  if (kind < 16) {
    const k = rng.int(0, 2);
    if (k === 0) return { op: "raise" };
    return k === 1
      ? { op: "ftruncate", size: rng.pick([0, 1, 512, 16384, 20000]) }
      : { op: "setrlimit_fsize", bytes: rng.pick([0, 512, 16384, 20000, "infinity"] as const) };
  }
  if (kind < 17) {
    const iocb = rng.int(0, 9);
    return iocb < 8 ? { op: "io_cancel", ctx: addr(rng, names) } : { op: "io_cancel", ctx: addr(rng, names), iocb: iocb === 8 ? 0 : "bogus" };
  }
  if (kind < 35) {
    const range = randomRange(rng);
    const count = countForRange(range, rng.chance(0.03) ? -1 : rng.int(0, 300));
    const step: StepOf<"io_submit"> = {
      op: "io_submit",
      ctx: addr(rng, names),
      count,
      cmd: randomCmd(rng, 0.05),
      data: rng.int(0, 1_000_000),
      ...range,
    };
    const pointers = rng.int(0, 99);
    if (pointers < 2) return { ...step, iocbs: rng.pick([0, "bogus"] as const) };
    if (pointers < 5) {
      const k = rng.int(0, Math.max(0, count));
      return rng.chance(0.5) ? { ...step, null_entry: k } : { ...step, bogus_entry: k };
    }
    return withRandomIoprio(
      rng,
      0.1,
      withRandomResfd(rng, 0.12, withRandomIov(rng, 0.12, withRandomRwFlags(rng, 0.12, withRandomFd(rng, 0.12, step))), names.eventfdList()),
    );
  }
  if (kind < 47) {
    const nr = rng.int(-1, 400);
    const step: Step = { op: "io_getevents", ctx: addr(rng, names), min_nr: rng.int(-1, 6), nr, timeout_ns: rng.pick([0, 0, null, 1000, -1, "bogus"]) };
    const withEvents: Step = rng.chance(0.05) ? { ...step, events: rng.pick([0, "bogus"] as const) } : step;
    return rng.chance(0.25) ? { ...withEvents, op: "io_pgetevents", ...randomSignalArgs(rng) } : withEvents;
  }
  if (kind < 57) return { op: "user_reap", ctx: addr(rng, names), max: rng.int(0, 400) };
  if (kind < 60) return { op: "ring", ctx: addr(rng, names) };
  if (kind < 62) {
    // User space in a ring: a head (any u32), an event into a slot (some past the ring), or slots read.
    const ctx = addr(rng, names);
    const roll = rng.int(0, 2);
    if (roll === 0) return { op: "store_head", ctx, head: rng.pick([0, rng.int(0, 300), 2 ** 32 - 1]) };
    if (roll === 1) return { op: "store_event", ctx, slot: rng.int(0, 300), data: rng.int(0, 1000), res: rng.int(-30, 600), res2: rng.int(-2, 2) };
    return { op: "ring_events", ctx, slot: rng.int(0, 300), count: rng.int(0, 40) };
  }
  if (kind < 70) {
    // Now and then the most one call may map (mremap_test.c's 2 GiB PUD source: the models hold no memory per page),
    // and MAP_SHARED, read-only or PROT_NONE (FINDINGS 59: other merges, faulting fills and peeks).
    const step: Step = { op: "mmap", pages: rng.chance(0.03) ? MAX_MAPPING_PAGES : rng.int(0, 20), name: rng.pick(MAP_NAMES), ...mapKind(rng) };
    // MAP_FIXED over what is there now and then (never at 0 or "bogus": privilege decides there).
    // Now and then at an odd multiple of a power of two (mremap_test.c's aligned sources): the highest such free place.
    if (rng.chance(0.1)) return { ...step, align: rng.pick([2, 4, 16, 256, 512, MAX_ALIGN_PAGES]) };
    const at = addr(rng, names);
    if (!rng.chance(0.2) || at === 0 || at === "bogus") return step;
    return rng.chance(0.4) ? { ...step, at, noreplace: true } : { ...step, at };
  }
  if (kind < 75) return { op: "munmap", addr: addr(rng, names), pages: rng.int(0, 6) };
  if (kind < 87) {
    const old_pages = rng.int(1, 5);
    const new_pages = rng.chance(0.6) ? old_pages : rng.chance(0.03) ? MAX_MAPPING_PAGES : rng.int(0, 7);
    const step: Step = { op: "mremap", addr: addr(rng, names), old_pages, new_pages, name: rng.pick(MAP_NAMES) };
    const flags = { ...(rng.chance(0.1) ? { maymove: false as const } : {}), ...(rng.chance(0.15) ? { dontunmap: true as const } : {}) };
    return rng.chance(0.6) ? { ...step, ...flags, to: addr(rng, names) } : { ...step, ...flags };
  }
  // A thread (FINDINGS 56, 57), started under a free name of a few or joined: a second waiter on a context and a join that would wait forever are scenario errors both refuse.
  if (kind < 88 && steps !== null) {
    const live = new Set<string>();
    for (const t of steps)
      if (t.op === "thread_getevents") live.add(t.name);
      else if (t.op === "thread_join") live.delete(t.name);
    const free = THREAD_NAMES.filter((n) => !live.has(n));
    if (live.size > 0 && (free.length === 0 || rng.chance(0.5))) return { op: "thread_join", name: rng.pick([...live]) };
    const nr = rng.int(1, 5);
    return {
      op: "thread_getevents",
      name: rng.pick(free),
      ctx: addr(rng, names),
      ...(rng.chance(0.5) ? { min_nr: rng.int(1, nr) } : {}),
      nr,
      timeout_ns: rng.pick([null, null, MIN_THREAD_TIMEOUT_NS]),
    };
  }
  if (kind < 89) return { op: "fork_mremap", addr: addr(rng, names), pages: rng.int(1, 4), to: addr(rng, names) };
  // An eventfd's name may not be bound yet: both backends refuse the read alike.
  if (kind < 90) return rng.chance(0.7) ? { op: "eventfd_read", fd: rng.pick(EVENTFD_NAMES) } : randomEventfd(rng, rng.pick(EVENTFD_NAMES));
  if (kind < 92) {
    // A child's call: any step a child may make, drawn as the parent's are.
    for (;;) {
      const call = asChildCall(randomStep(rng, names));
      if (call) return { op: "fork", call };
    }
  }
  if (kind < 94) {
    // A fork_calls child: a few steps it may run, drawn alike, then its exit.
    const calls: ChildStep[] = [];
    for (let n = rng.int(1, 8); calls.length < n; ) {
      const c = asChildStep(randomStep(rng, names));
      if (c) calls.push(c);
    }
    return { op: "fork_calls", calls };
  }
  if (kind < 96 && steps !== null) return randomPipeStep(rng, names, steps);
  if (kind < 97) return { op: "page", addr: addr(rng, names) };
  // Page contents: what fill writes moves, forks and vanishes with the pages, and lookup_ioctx reads it as an id.
  if (kind < 98) return { op: "fill", addr: addr(rng, names), pages: rng.int(1, 6), value: rng.pick([0, 1, 0xa1, 0xff, rng.int(0, 255)]) };
  if (kind < 99 && rng.chance(0.5)) return { op: "peek", addr: addr(rng, names), pages: rng.int(1, 6) };
  // The I/O buffer's bytes: what reads copy in from the file and writes copy out to it.
  return randomBufStep(rng);
}

/** Runs a step, turning a scenario error into a comparable outcome. */
/** `s` with every mmap in it (a fork_calls child's, a loop body's) of anonymous memory rather than of the test file. */
function anonymousMaps<S extends Step>(s: S): S {
  if (s.op === "mmap" && s.file) {
    const { file: _file, file_page: _page, ...anonymous } = s;
    return anonymous as S;
  }
  if (s.op === "fork_calls") return { ...s, calls: s.calls.map(anonymousMaps) };
  if (s.op === "repeat") return { ...s, steps: s.steps.map(anonymousMaps) };
  return s;
}

function outcome(b: AioBackend, s: Step, i: number, names: Names): StepResult | string {
  try {
    return runStep(b, s, i, names, "fuzz");
  } catch (e) {
    if (e instanceof ScenarioError) return e.detail;
    throw e;
  }
}

/** Differential fuzzing of the TS model against the WASM core (`fuzz`): random call sequences in lockstep on every profile. */
export function runFuzz(options: FuzzOptions = {}): FuzzReport {
  const run = fuzzProcesses(options);
  for (let r = run.next(); ; r = run.next()) {
    if (r.done) return r.value;
    options.onProgress?.(r.value.ops);
  }
}

/** runFuzz one process at a time: the report so far after each (a caller may stop between them, as `fuzz` on Ctrl-C), the whole at the end. */
export function* fuzzProcesses(options: FuzzOptions = {}): Generator<FuzzReport, FuzzReport> {
  const opts = { ...options, ops: options.ops ?? DEFAULT_FUZZ_OPS, seed: options.seed ?? DEFAULT_FUZZ_SEED };
  const rng = new Prng(opts.seed);
  const perProcess = opts.stepsPerProcess ?? 300;
  const report: FuzzReport = { seed: opts.seed, ops: 0, processes: 0, divergences: 0, examples: [] };
  while (report.ops < opts.ops) {
    const profile = rng.pick(PROFILE_NAMES);
    const config: ProcessConfig = {
      cpus: rng.int(1, 4),
      aio_max_nr: rng.pick([65536, 65536, 4096, 300]),
      aio_nr: rng.pick([0, 0, 100]),
      zero_page: rng.pick([true, false]),
      // Now and then the test file on a tmpfs with no room past it, one page or twelve (FINDINGS 49).
      ...(rng.chance(0.3) ? { tmpfs_bytes: rng.pick([16384, 20480, 65536]) } : {}),
    };
    const [model, wasm] = (opts.backends ?? modelVsWasm)(profile, config);
    const modelNames = new Names("fuzz");
    const wasmNames = new Names("fuzz");
    const steps: Step[] = [];
    report.processes++;
    const n = Math.min(perProcess, opts.ops - report.ops);
    for (let i = 0; i < n; i++) {
      // Now and then a small loop of such steps.
      let step =
        (rng.chance(0.03)
          ? randomLoop(
              rng,
              () => randomStep(rng, modelNames),
              () => addr(rng, modelNames),
            )
          : null) ?? randomStep(rng, modelNames, steps);
      // On a tmpfs the test file takes no mapping (every backend refuses one): such a draw maps anonymous memory.
      if (config.tmpfs_bytes !== undefined) step = anonymousMaps(step);
      // Steps index the reproducer, which leaves out steps refused as scenario errors.
      const at = steps.length;
      const a = outcome(model, step, at, modelNames);
      const b = outcome(wasm, step, at, wasmNames);
      report.ops++;
      const same = isDeepStrictEqual(a, b);
      if (typeof a !== "string" || !same) steps.push(step);
      if (!same) {
        report.divergences++;
        if (report.examples.length < 5) {
          report.examples.push({
            profile,
            step: at,
            model: a,
            wasm: b,
            reproducer: { name: `fuzz-seed-${opts.seed}-process-${report.processes}`, profile, ...config, steps: [...steps] },
          });
        }
        break;
      }
    }
    yield report;
  }
  return report;
}
