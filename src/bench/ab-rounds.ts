/**
 * The measurement engine of `ab` (interleaved A/B of two builds in one
 * process): every WASM benchmark of both builds, and of a second copy of
 * the base (the control), is loaded side by side and timed in rounds that
 * visit the sides in every order, so a slow spell of a shared machine, and
 * whatever the side timed first leaves behind for the next (the branch
 * predictor's training on the same targets, caches), falls on every side
 * alike. Each cycle (on fresh instances) gives one observation per pair:
 * the mean over its rounds of log(head / base), and of log(control / base).
 * Cycles are added until each benchmark's anytime-valid decision
 * (src/stats/sequential-ab.ts) settles or the budget ends, or (`runs`, as
 * bench --runs) until every benchmark has exactly that many rounds; the
 * run's error level is divided among its benchmarks (Bonferroni). src/report/ab.ts turns
 * the measurement into a comparison.
 */
import { median } from "simple-statistics";
import type { WasmBuild, WasmModuleName } from "../contract/wasm-build.js";
import { DEFAULT_DECISION } from "../stats/decision.js";
import { sequentialDecision } from "../stats/sequential-ab.js";
import { calibrate, type RunOptions } from "./runner.js";
import { caseId, type Suite, type SuiteOptions, type TimedCase } from "../contract/suite.js";

export interface AbRoundsOptions extends SuiteOptions, Pick<RunOptions, "runs" | "warmup"> {
  suites: readonly Suite[];
  filter: RegExp | null;
  base: WasmBuild;
  head: WasmBuild;
  /**
   * A second, separately compiled copy of the base build: the control pair
   * (control vs base) is timed in the same rounds; null runs without one.
   */
  control: WasmBuild | null;
  /** Minimum relative change of time that matters (default 0.05). */
  threshold?: number;
  /** The run's error level, shared equally by its benchmarks (default 0.05). */
  alpha?: number;
  /** Wall-clock budget for the rounds, ms; not used with `runs`. */
  budgetMs: number;
  /** Cycles before a benchmark may be decided (default 8). */
  minCycles?: number;
  signal?: AbortSignal;
  onRound?: (round: number, undecided: number, total: number, elapsedMs: number) => void;
  /** The clock samples are timed with, ms (tests give a deterministic one). */
  clock?: () => number;
}

/** What the rounds of an `ab` run gave, before any verdict is written up. */
export interface AbMeasurement {
  started: Date;
  pairs: AbPair[];
  /** Benchmarks not timed: in one build only, or builds whose exports differ. */
  skipped: { id: string; reason: string }[];
  threshold: number;
  /** The run's error level, and each benchmark's share of it. */
  runAlpha: number;
  alpha: number;
  minCycles: number;
  withControl: boolean;
  rounds: number;
  /** The fixed rounds per benchmark (`runs`), or null when they ran until decided or out of budget. */
  runs: number | null;
  elapsedMs: number;
  interrupted: boolean;
}

/** Samples per side per round; the round's value is their median. */
const SAMPLES_PER_SIDE = 3;
/** Target time of one sample, ms: long enough for the clock, short enough that a round is a moment. */
const SAMPLE_MS = 0.25;
/**
 * Warm-up per side before the first round, ms: the engine compiles WASM with
 * a baseline compiler first and swaps in optimised code for hot functions a
 * little later, on a background thread that a loaded machine delays; a round
 * timed across that switch on one side only would be a false difference.
 */
const WARMUP_MS = 40;
/** The run's error level when not given: at most this chance of any false verdict in a run. */
export const DEFAULT_RUN_ALPHA = 0.05;

/** Side orders within a cycle: with a control, all six orders of three; without, A B, B A, B A, A B. */
const ORDERS_3: readonly (readonly number[])[] = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 2, 0],
  [0, 2, 1],
  [2, 0, 1],
  [1, 0, 2],
];
const ORDERS_2: readonly (readonly number[])[] = [
  [0, 1],
  [1, 0],
  [1, 0],
  [0, 1],
];

/** One benchmark measured on every side, with what its cycles gave. */
export interface AbPair {
  id: string;
  suite: string;
  /** base, head and (with a control) the base's second copy. */
  sides: TimedCase[];
  batch: number;
  /** Per cycle: mean log(head / base), mean log(control / base). */
  logs: number[];
  controlLogs: number[];
  /** Per round: each side's value, ns/op. */
  values: number[][];
  decided: boolean;
  notComparable: string | null;
}

const SIDE_NAMES = ["base", "head", "control"];

/**
 * One side's value in a round: an untimed lead-in call first (what ran
 * before, the other side or another benchmark, trained the CPU's predictors
 * and caches on something else), then the median of a few timed samples.
 */
function sideValue(c: TimedCase, batch: number, clock: () => number): number {
  c.run(batch);
  const xs: number[] = [];
  for (let i = 0; i < SAMPLES_PER_SIDE; i++) {
    const t0 = clock();
    c.run(batch);
    xs.push(((clock() - t0) * 1e6) / batch);
  }
  return median(xs);
}

async function wasmCases(opts: AbRoundsOptions, wasm: WasmBuild): Promise<Map<string, { suite: string; c: TimedCase }>> {
  const out = new Map<string, { suite: string; c: TimedCase }>();
  for (const suite of opts.suites) {
    for (const c of await suite.cases({ quick: opts.quick, full: opts.full, sizes: opts.sizes, timeMs: opts.timeMs, wasm })) {
      const id = caseId(suite.name, c);
      if (c.kind !== "timed" || c.backend !== "wasm" || (opts.filter && !opts.filter.test(id))) continue;
      out.set(id, { suite: suite.name, c });
    }
  }
  return out;
}

function exportDifference(base: WasmBuild, head: WasmBuild, module: WasmModuleName): string | null {
  const a = new Set(base.exportsOf(module));
  const b = new Set(head.exportsOf(module));
  const onlyA = [...a].filter((x) => !b.has(x));
  const onlyB = [...b].filter((x) => !a.has(x));
  if (!onlyA.length && !onlyB.length) return null;
  const list = (xs: string[]) => xs.slice(0, 4).join(", ") + (xs.length > 4 ? ` (+${xs.length - 4})` : "");
  return `${module}.wasm exports differ (${[onlyA.length ? `only in base: ${list(onlyA)}` : "", onlyB.length ? `only in head: ${list(onlyB)}` : ""].filter(Boolean).join("; ")})`;
}

/** The builds in side order: base, head, and the control when there is one. */
function buildsOf(opts: AbRoundsOptions): WasmBuild[] {
  return opts.control ? [opts.base, opts.head, opts.control] : [opts.base, opts.head];
}

/**
 * New instances of every build for the benchmarks still running: each cycle
 * runs on its own instances, so a placement that happens to favour one
 * instance (its memory's pages, its tables' addresses) is a different draw
 * each cycle and widens the interval instead of biasing it. Which side gets
 * its memory first rotates too: allocation order can favour one.
 */
async function freshInstances(opts: AbRoundsOptions, active: readonly AbPair[], cycle: number, clock: () => number): Promise<void> {
  const builds = buildsOf(opts);
  const order = builds.map((_, i) => (i + cycle) % builds.length);
  const made: Map<string, { suite: string; c: TimedCase }>[] = [];
  for (const i of order) made[i] = await wasmCases(opts, builds[i]);
  for (const p of active) {
    const next = made.map((m) => m.get(p.id)?.c);
    if (next.some((c) => !c)) continue;
    try {
      // First calls build the world (allocate its memory): outside the timing, in rotating order.
      for (const i of order) guard(SIDE_NAMES[i], () => sideValue(next[i]!, p.batch, clock));
      p.sides = next as TimedCase[];
    } catch (e) {
      p.notComparable = `failed mid-run: ${(e as Error).message}`;
      p.decided = true;
    }
  }
}

function guard<T>(side: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`${side}: ${(e as Error).message.split("\n")[0]}`);
  }
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** One round of a pair: every side once, in `order`; null when a side failed (the pair is then not comparable). */
function timeRound(p: AbPair, order: readonly number[], clock: () => number): number[] | null {
  const v: number[] = [];
  try {
    for (const i of order) v[i] = guard(SIDE_NAMES[i], () => sideValue(p.sides[i], p.batch, clock));
  } catch (e) {
    p.notComparable = `failed mid-run: ${(e as Error).message.split("\n")[0]}`;
    p.decided = true;
    return null;
  }
  return v;
}

/** The default warm-up: every side in turn until each has run WARMUP_MS. */
function warmByTime(p: AbPair, clock: () => number): void {
  const spent = p.sides.map(() => 0);
  while (spent.some((x) => x < WARMUP_MS)) {
    p.sides.forEach((c, i) => {
      const t0 = clock();
      guard(SIDE_NAMES[i], () => sideValue(c, p.batch, clock));
      spent[i] += clock() - t0;
    });
  }
}

/** `warmup` unrecorded batch calls of each side (as bench --warmup), the sides taking turns. */
function warmByCalls(p: AbPair, warmup: number): void {
  for (let k = 0; k < warmup; k++) for (const [i, c] of p.sides.entries()) guard(SIDE_NAMES[i], () => c.run(p.batch));
}

export async function measureAb(opts: AbRoundsOptions): Promise<AbMeasurement> {
  const t = opts.threshold ?? DEFAULT_DECISION.threshold;
  const minCycles = opts.minCycles ?? 8;
  const runAlpha = opts.alpha ?? DEFAULT_RUN_ALPHA;
  const clock = opts.clock ?? (() => performance.now());
  const started = new Date();
  const casesA = await wasmCases(opts, opts.base);
  const casesB = await wasmCases(opts, opts.head);
  const casesC = opts.control ? await wasmCases(opts, opts.control) : null;
  const ids = [...new Set([...casesA.keys(), ...casesB.keys()])];
  const pairs: AbPair[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const id of ids) {
    const a = casesA.get(id),
      b = casesB.get(id);
    if (!a || !b) {
      skipped.push({ id, reason: `only in the ${a ? "base" : "head"} build's benchmarks` });
      continue;
    }
    const module = opts.suites.find((s) => s.name === a.suite)?.wasmModule;
    const diff = module
      ? exportDifference(opts.base, opts.head, module)
      : (exportDifference(opts.base, opts.head, "core") ?? exportDifference(opts.base, opts.head, "lookup"));
    if (diff) {
      skipped.push({ id, reason: diff });
      continue;
    }
    const c = casesC?.get(id)?.c;
    const sides = c ? [a.c, b.c, c] : [a.c, b.c];
    pairs.push({ id, suite: a.suite, sides, batch: 0, logs: [], controlLogs: [], values: [], decided: false, notComparable: null });
  }
  // Bonferroni: each benchmark's intervals at the run's level over the number of benchmarks.
  const alpha = runAlpha / Math.max(1, pairs.length);
  const seqOpts = { threshold: t, alpha, minCycles };
  const withControl = opts.control !== null;
  const orders = withControl ? ORDERS_3 : ORDERS_2;
  // Calibrate and warm every side (the engine tiers hot functions up in the first calls).
  for (const p of pairs) {
    try {
      p.batch = calibrate(p.sides as [TimedCase, ...TimedCase[]], SAMPLE_MS);
      if (opts.warmup != null) warmByCalls(p, opts.warmup);
      else warmByTime(p, clock);
    } catch (e) {
      p.notComparable = `does not run: ${(e as Error).message}`;
    }
  }
  const live = pairs.filter((p) => p.notComparable === null);
  const runs = opts.runs ?? null;
  const t0 = performance.now();
  let cycle = 0;
  for (; ; cycle++) {
    const active = live.filter((p) => !p.decided);
    const elapsed = performance.now() - t0;
    const done = cycle * orders.length;
    opts.onRound?.(done, active.length, live.length, elapsed);
    if (active.length === 0 || (runs === null ? elapsed >= opts.budgetMs : done >= runs) || opts.signal?.aborted) break;
    if (cycle > 0) await freshInstances(opts, active, cycle, clock);
    // With runs, the last cycle may be cut short: its rounds are samples, and no cycle of the decision.
    const cycleOrders = runs === null ? orders : orders.slice(0, runs - done);
    // Round by round over every pair, so the side timed first in a round follows another benchmark.
    const cycleRounds = new Map<AbPair, number[][]>(active.map((p) => [p, []]));
    for (const order of cycleOrders) {
      for (const p of active) {
        if (p.decided) continue;
        const v = timeRound(p, order, clock);
        if (v) cycleRounds.get(p)!.push(v);
      }
      // Let Ctrl-C and timers through between rounds; an interrupted cycle is dropped whole.
      await new Promise((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) break;
    }
    for (const p of active) {
      const rounds = cycleRounds.get(p)!;
      if (p.decided || rounds.length < cycleOrders.length) continue;
      p.values.push(...rounds);
      if (rounds.length < orders.length) continue;
      // Log ratios average symmetrically: a side timed first that is f times slower gives f and 1/f, which cancel.
      p.logs.push(mean(rounds.map((v) => Math.log(v[1] / v[0]))));
      if (withControl) p.controlLogs.push(mean(rounds.map((v) => Math.log(v[2] / v[0]))));
      // A fixed number of rounds runs out whatever the decision; the verdict is then taken once, at the end.
      if (runs === null && sequentialDecision(p.logs, withControl ? p.controlLogs : null, seqOpts, null).settled) p.decided = true;
    }
  }
  return {
    started,
    pairs,
    skipped,
    threshold: t,
    runAlpha,
    alpha,
    minCycles,
    withControl,
    rounds: runs === null ? cycle * orders.length : Math.min(runs, cycle * orders.length),
    runs,
    elapsedMs: performance.now() - t0,
    interrupted: opts.signal?.aborted === true,
  };
}
