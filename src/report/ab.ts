/**
 * Interleaved A/B of two builds in one process (`ab`): every WASM benchmark
 * of both builds, and of a second copy of the base (the control), is loaded
 * side by side and timed in rounds that visit the sides in every order, so
 * a slow spell of a shared machine, and whatever the side timed first
 * leaves behind for the next (the branch predictor's training on the same
 * targets, caches), falls on every side alike. Each cycle (on fresh
 * instances) gives one observation per pair: the mean over its rounds of
 * log(head / base), and of log(control / base). The verdict comes from
 * anytime-valid confidence sequences of their medians
 * (src/stats/sequential-ab.ts), so cycles may be added until each benchmark
 * decides without inflating false alarms, and the run's error level is
 * divided among its benchmarks (Bonferroni). A control that differs means
 * the machine is too noisy for that benchmark, never a verdict on the code.
 * Instruction counts and the other exact counters of both builds are
 * compared exactly alongside.
 */
import { median } from "simple-statistics";
import type { WasmBuild } from "../contract/wasm-build.js";
import { COMPARISON_SCHEMA_ID, type Comparison, type ComparisonEntry } from "../contract/comparison.js";
import { sortEntries } from "./compare.js";
import { countersVerdict, counterChanges, DEFAULT_COUNTER_THRESHOLD } from "../stats/counter-changes.js";
import { DEFAULT_DECISION } from "../stats/decision.js";
import { sequentialDecision, type SequentialDecision } from "../stats/sequential-ab.js";
import { runProvenance } from "../bench/machine.js";
import { calibrate, INSTRUCTIONS_COUNTER } from "../bench/runner.js";
import type { GitInfo, Run, RunResult } from "../contract/run-document.js";
import { summarize } from "../stats/summary.js";
import { caseId, type Suite, type SuiteOptions, type TimedCase } from "../contract/suite.js";

export interface AbOptions extends SuiteOptions {
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
  counterThreshold?: number;
  /** The run's error level, shared equally by its benchmarks (default 0.05). */
  alpha?: number;
  /** Wall-clock budget for the rounds, ms. */
  budgetMs: number;
  /** Cycles before a benchmark may be decided (default 8). */
  minCycles?: number;
  signal?: AbortSignal;
  onRound?: (round: number, undecided: number, total: number, elapsedMs: number) => void;
  /** The clock samples are timed with, ms (tests give a deterministic one). */
  clock?: () => number;
  /** Git commits of the two sides for the comparison's header (absent: this checkout's). */
  commits?: { base?: GitInfo; head?: GitInfo };
}

/** What an A/B gave: the comparison (one verdict per benchmark), the head build as a run, rounds, time, and what stayed undecided. */
export interface AbResult {
  comparison: Comparison;
  /** The head side as a run document (samples: one per round, ns/op), for BMF and gh-action exports. */
  headRun: Run;
  rounds: number;
  elapsedMs: number;
  /** Ids of the benchmarks still undecided when the run ended ("too noisy"). */
  undecided: string[];
  /** Ids of the benchmarks whose control pair differed: the machine, not the code. */
  controlDiffered: string[];
  interrupted: boolean;
}

/** Which module a suite's WASM cases run: their exports must match for the two builds to be comparable. */
const MODULE_OF_SUITE: Record<string, "core" | "lookup"> = { ring: "core", getevents: "core", lookup: "lookup", remap: "lookup", "criu-restore": "lookup" };

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

interface Pair {
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

async function wasmCases(opts: AbOptions, wasm: WasmBuild): Promise<Map<string, { suite: string; c: TimedCase }>> {
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

function exportDifference(base: WasmBuild, head: WasmBuild, module: "core" | "lookup"): string | null {
  const a = new Set(base.exportsOf(module));
  const b = new Set(head.exportsOf(module));
  const onlyA = [...a].filter((x) => !b.has(x));
  const onlyB = [...b].filter((x) => !a.has(x));
  if (!onlyA.length && !onlyB.length) return null;
  const list = (xs: string[]) => xs.slice(0, 4).join(", ") + (xs.length > 4 ? ` (+${xs.length - 4})` : "");
  return `${module}.wasm exports differ (${[onlyA.length ? `only in base: ${list(onlyA)}` : "", onlyB.length ? `only in head: ${list(onlyB)}` : ""].filter(Boolean).join("; ")})`;
}

/** The builds in side order: base, head, and the control when there is one. */
function buildsOf(opts: AbOptions): WasmBuild[] {
  return opts.control ? [opts.base, opts.head, opts.control] : [opts.base, opts.head];
}

/**
 * New instances of every build for the benchmarks still running: each cycle
 * runs on its own instances, so a placement that happens to favour one
 * instance (its memory's pages, its tables' addresses) is a different draw
 * each cycle and widens the interval instead of biasing it. Which side gets
 * its memory first rotates too: allocation order can favour one.
 */
async function freshInstances(opts: AbOptions, active: readonly Pair[], cycle: number, clock: () => number): Promise<void> {
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

function resultOf(p: Pair, values: number[], counters: Record<string, number>): RunResult {
  const [suite] = p.id.split("/");
  const c = p.sides[1];
  return {
    id: p.id,
    suite,
    case: c.case,
    params: c.params,
    backend: c.backend,
    unit: "ns/op",
    group: c.group ?? null,
    reference: c.reference ?? false,
    samples: values,
    stats: summarize(values),
    counters,
    complexity: null,
    round_sizes: values.map(() => 1),
  };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** One round of a pair: every side once, in `order`; null when a side failed (the pair is then not comparable). */
function timeRound(p: Pair, order: readonly number[], clock: () => number): number[] | null {
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

export async function runAb(opts: AbOptions): Promise<AbResult> {
  const t = opts.threshold ?? DEFAULT_DECISION.threshold;
  const counterThreshold = opts.counterThreshold ?? DEFAULT_COUNTER_THRESHOLD;
  const minCycles = opts.minCycles ?? 8;
  const runAlpha = opts.alpha ?? DEFAULT_RUN_ALPHA;
  const clock = opts.clock ?? (() => performance.now());
  const started = new Date();
  const casesA = await wasmCases(opts, opts.base);
  const casesB = await wasmCases(opts, opts.head);
  const casesC = opts.control ? await wasmCases(opts, opts.control) : null;
  const ids = [...new Set([...casesA.keys(), ...casesB.keys()])];
  const pairs: Pair[] = [];
  const entries: ComparisonEntry[] = [];
  const empty = {
    oldMedianNs: null,
    newMedianNs: null,
    oldN: 0,
    newN: 0,
    change: null,
    ci: null,
    p: null,
    counterChanges: [],
    counterVerdict: "unchanged" as const,
  };
  for (const id of ids) {
    const a = casesA.get(id),
      b = casesB.get(id);
    if (!a || !b) {
      entries.push({ id, ...empty, verdict: "not comparable", reason: `only in the ${a ? "base" : "head"} build's benchmarks` });
      continue;
    }
    const module = MODULE_OF_SUITE[a.suite];
    const diff = module
      ? exportDifference(opts.base, opts.head, module)
      : (exportDifference(opts.base, opts.head, "core") ?? exportDifference(opts.base, opts.head, "lookup"));
    if (diff) {
      entries.push({ id, ...empty, verdict: "not comparable", reason: diff });
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
      const spent = p.sides.map(() => 0);
      while (spent.some((x) => x < WARMUP_MS)) {
        p.sides.forEach((c, i) => {
          const t0 = clock();
          guard(SIDE_NAMES[i], () => sideValue(c, p.batch, clock));
          spent[i] += clock() - t0;
        });
      }
    } catch (e) {
      p.notComparable = `does not run: ${(e as Error).message}`;
    }
  }
  const live = pairs.filter((p) => p.notComparable === null);
  const t0 = performance.now();
  let cycle = 0;
  for (; ; cycle++) {
    const active = live.filter((p) => !p.decided);
    const elapsed = performance.now() - t0;
    opts.onRound?.(cycle * orders.length, active.length, live.length, elapsed);
    if (active.length === 0 || elapsed >= opts.budgetMs || opts.signal?.aborted) break;
    if (cycle > 0) await freshInstances(opts, active, cycle, clock);
    // Round by round over every pair, so the side timed first in a round follows another benchmark.
    const cycleRounds = new Map<Pair, number[][]>(active.map((p) => [p, []]));
    for (const order of orders) {
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
      if (p.decided || rounds.length < orders.length) continue;
      p.values.push(...rounds);
      // Log ratios average symmetrically: a side timed first that is f times slower gives f and 1/f, which cancel.
      p.logs.push(mean(rounds.map((v) => Math.log(v[1] / v[0]))));
      if (withControl) p.controlLogs.push(mean(rounds.map((v) => Math.log(v[2] / v[0]))));
      if (sequentialDecision(p.logs, withControl ? p.controlLogs : null, seqOpts, null).settled) p.decided = true;
    }
  }
  const interrupted = opts.signal?.aborted === true;
  const ended = interrupted ? "interrupted" : "budget";
  const headResults: RunResult[] = [];
  const undecided: string[] = [];
  const controlDiffered: string[] = [];
  for (const p of pairs) {
    if (p.notComparable !== null) {
      entries.push({ id: p.id, ...empty, verdict: "not comparable", reason: p.notComparable });
      continue;
    }
    const exact = (c: TimedCase) => ({ ...c.counters?.(), ...(c.instructions ? { [INSTRUCTIONS_COUNTER]: c.instructions() } : {}) });
    const ca = exact(p.sides[0]),
      cb = exact(p.sides[1]);
    const changes = counterChanges(ca, cb, counterThreshold);
    const d: SequentialDecision = sequentialDecision(p.logs, withControl ? p.controlLogs : null, seqOpts, p.decided ? null : ended);
    if (d.controlDiffers) controlDiffered.push(p.id);
    else if (!p.decided) undecided.push(p.id);
    const aValues = p.values.map((v) => v[0]),
      bValues = p.values.map((v) => v[1]);
    // Old is the base's median; new is old moved by the paired estimate, so the columns and the change agree.
    const oldMedianNs = aValues.length ? median(aValues) : null;
    entries.push({
      id: p.id,
      oldMedianNs,
      newMedianNs: oldMedianNs !== null && d.change !== null ? oldMedianNs * (1 + d.change) : null,
      oldN: aValues.length,
      newN: bValues.length,
      verdict: d.verdict,
      change: d.change,
      ci: d.ci,
      p: d.p,
      reason: d.reason,
      counterChanges: changes,
      counterVerdict: countersVerdict(changes),
      samples: { old: aValues, new: bValues },
      cycleRatios: p.logs.map(Math.exp),
      ...(withControl && d.control ? { control: { ...d.control, cycleRatios: p.controlLogs.map(Math.exp) } } : {}),
    });
    if (bValues.length >= 2) headResults.push(resultOf(p, bValues, cb));
  }
  const provenance = runProvenance(started);
  const summary = (label: string, git: GitInfo | undefined) => ({
    source: label,
    started: provenance.started,
    git: git ?? provenance.git,
    toolVersion: provenance.tool.version,
    machine: provenance.machine,
  });
  const elapsedMs = performance.now() - t0;
  const rounds = cycle * orders.length;
  const comparison: Comparison = {
    schema: COMPARISON_SCHEMA_ID,
    kind: "ab",
    ab: {
      rounds,
      elapsedMs,
      budgetMs: opts.budgetMs,
      minCycles,
      undecided: undecided.length,
      interrupted,
      alpha: runAlpha,
      controlDiffered: controlDiffered.length,
    },
    old: summary(`base ${opts.base.label}`, opts.commits?.base),
    new: summary(`head ${opts.head.label}`, opts.commits?.head),
    machineDifferences: [],
    options: { ...DEFAULT_DECISION, alpha, threshold: t, minSamples: minCycles },
    counterThreshold,
    entries: sortEntries(entries),
  };
  const headRun: Run = {
    ...provenance,
    config: {
      command: "ab",
      base: opts.base.label,
      head: opts.head.label,
      control: opts.control?.label ?? null,
      threshold: t,
      counter_threshold: counterThreshold,
      alpha: runAlpha,
      budget_ms: opts.budgetMs,
      rounds,
      interrupted,
      quick: opts.quick,
      full: opts.full,
      sizes: opts.sizes,
      filter: opts.filter?.source ?? null,
    },
    results: headResults,
  };
  return { comparison, headRun, rounds, elapsedMs, undecided, controlDiffered, interrupted };
}
