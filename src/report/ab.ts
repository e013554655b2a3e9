/**
 * Interleaved A/B of two builds in one process (`ab`): every WASM benchmark
 * of both builds is loaded side by side and timed in alternating rounds
 * (A B, B A, B A, A B, ...), so a slow spell of a shared machine falls on
 * both sides of a round alike. Each round gives one ratio (B's median over
 * A's), each ABBA cycle (on fresh instances) the median of its four; the
 * verdict comes from those paired cycle ratios: a Wilcoxon signed-rank
 * test of their logarithms and a bootstrap interval of their median, with
 * a minimum effect (the threshold). Rounds are added until every
 * benchmark's interval clears the threshold or lies within half of it, or
 * the budget runs out (then "too noisy"). Instruction counts and the other
 * exact counters of both builds are compared exactly alongside.
 */
import { median } from "simple-statistics";
import type { WasmBuild } from "../core/wasm-build.js";
import { COMPARISON_SCHEMA_ID, sortEntries, type Comparison, type ComparisonEntry, type EntryVerdict } from "./compare.js";
import { countersVerdict, counterChanges, DEFAULT_COUNTER_THRESHOLD } from "../stats/counter-changes.js";
import { DEFAULT_DECISION } from "../stats/decision.js";
import { runProvenance } from "../bench/machine.js";
import { formatCi, formatP, formatPct } from "../util/format-change.js";
import { seedFromString } from "../util/prng.js";
import { calibrate, INSTRUCTIONS_COUNTER } from "../bench/runner.js";
import type { Run, RunResult } from "../bench/run-schema.js";
import { bootstrapMedian } from "../stats/bootstrap.js";
import { wilcoxonSignedRank } from "../stats/rank-tests.js";
import { summarize } from "../stats/summary.js";
import { caseId, type Suite, type SuiteOptions, type TimedCase } from "../bench/suite.js";

export interface AbOptions extends SuiteOptions {
  suites: readonly Suite[];
  filter: RegExp | null;
  base: WasmBuild;
  head: WasmBuild;
  /** Minimum relative change of time that matters (default 0.05). */
  threshold?: number;
  counterThreshold?: number;
  /** Wall-clock budget for the rounds, ms. */
  budgetMs: number;
  /** ABBA cycles before a benchmark may be decided (default 8). */
  minCycles?: number;
  signal?: AbortSignal;
  onRound?: (round: number, undecided: number, total: number, elapsedMs: number) => void;
}

export interface AbResult {
  comparison: Comparison;
  /** The head side as a run document (samples: one per round, ns/op), for BMF and gh-action exports. */
  headRun: Run;
  rounds: number;
  elapsedMs: number;
  /** Benchmarks still undecided when the budget ran out. */
  undecided: number;
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
const WARMUP_MS = 150;

interface Pair {
  id: string;
  suite: string;
  a: TimedCase;
  b: TimedCase;
  batch: number;
  ratios: number[];
  aValues: number[];
  bValues: number[];
  decided: boolean;
  notComparable: string | null;
}

function sideValue(c: TimedCase, batch: number): number {
  const xs: number[] = [];
  for (let i = 0; i < SAMPLES_PER_SIDE; i++) {
    const t0 = performance.now();
    c.run(batch);
    xs.push(((performance.now() - t0) * 1e6) / batch);
  }
  return median(xs);
}

/** Decided: a verdict whose interval clears the threshold, or an interval within half of it. */
function settled(p: Pair, t: number, minCycles: number): boolean {
  const v = pairedVerdict(p.ratios, t, minCycles, seedFromString(p.id));
  if (v.ci === null) return false;
  const [lo, hi] = v.ci;
  return (v.verdict === "regressed" && lo >= t) || (v.verdict === "improved" && hi <= -t) || (lo >= -t / 2 && hi <= t / 2);
}

interface PairVerdict {
  verdict: EntryVerdict;
  change: number | null;
  ci: [number, number] | null;
  p: number | null;
  reason: string;
}

/** The final verdict of a pair's cycle ratios (the decision rule of compare, on paired ratios). */
export function pairedVerdict(ratios: readonly number[], threshold: number, minCycles: number, seed: number, alpha = DEFAULT_DECISION.alpha): PairVerdict {
  if (ratios.length < minCycles)
    return { verdict: "too noisy", change: null, ci: null, p: null, reason: `too few cycles (${ratios.length}, need ${minCycles})` };
  const change = median([...ratios]) - 1;
  const b = bootstrapMedian(ratios, { seed, resamples: 2000 });
  const ci: [number, number] = [b.lower - 1, b.upper - 1];
  const { p } = wilcoxonSignedRank(ratios.map(Math.log));
  const t = threshold;
  const stats = `${ratios.length} ABBA cycles, p=${formatP(p)}, CI ${formatCi(ci)}`;
  const significant = p < alpha && (ci[0] > 0 || ci[1] < 0);
  if (significant && change >= t && ci[0] >= t / 2) return { verdict: "regressed", change, ci, p, reason: `${stats}; slower by >= ${formatPct(t)}` };
  if (significant && change <= -t && ci[1] <= -t / 2) return { verdict: "improved", change, ci, p, reason: `${stats}; faster by >= ${formatPct(t)}` };
  if (ci[0] > -t && ci[1] < t) return { verdict: "unchanged", change, ci, p, reason: `${stats}; within ${formatPct(t).slice(1)}` };
  return {
    verdict: "too noisy",
    change,
    ci,
    p,
    reason: `${stats}; the budget ran out before the interval cleared ${formatPct(t).slice(1)} or fell within half of it`,
  };
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

/**
 * New instances of both builds for the benchmarks still running: each ABBA
 * cycle runs on its own instances, so a placement that happens to favour
 * one instance (its memory's pages, its tables' addresses) is a different
 * draw each cycle and widens the interval instead of biasing it.
 */
async function freshInstances(opts: AbOptions, active: readonly Pair[], headFirst: boolean): Promise<void> {
  // Which side gets its memory first alternates too: allocation order can favour one.
  const b = headFirst ? await wasmCases(opts, opts.head) : null;
  const a = await wasmCases(opts, opts.base);
  const bb = b ?? (await wasmCases(opts, opts.head));
  for (const p of active) {
    const na = a.get(p.id)?.c,
      nb = bb.get(p.id)?.c;
    if (!na || !nb) continue;
    try {
      // First calls build the world (allocate its memory): outside the timing, in alternating order.
      if (headFirst) guard("head", () => sideValue(nb, p.batch));
      guard("base", () => sideValue(na, p.batch));
      if (!headFirst) guard("head", () => sideValue(nb, p.batch));
      p.a = na;
      p.b = nb;
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
  const c = p.b;
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

export async function runAb(opts: AbOptions): Promise<AbResult> {
  const t = opts.threshold ?? DEFAULT_DECISION.threshold;
  const counterThreshold = opts.counterThreshold ?? DEFAULT_COUNTER_THRESHOLD;
  const minCycles = opts.minCycles ?? 8;
  const started = new Date();
  const casesA = await wasmCases(opts, opts.base);
  const casesB = await wasmCases(opts, opts.head);
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
    pairs.push({ id, suite: a.suite, a: a.c, b: b.c, batch: 0, ratios: [], aValues: [], bValues: [], decided: false, notComparable: null });
  }
  // Calibrate and warm both sides (the engine tiers hot functions up in the first calls).
  for (const p of pairs) {
    try {
      p.batch = calibrate([p.a, p.b], SAMPLE_MS);
      let ta = 0,
        tb = 0;
      while (ta < WARMUP_MS || tb < WARMUP_MS) {
        const t0 = performance.now();
        guard("base", () => sideValue(p.a, p.batch));
        const t1 = performance.now();
        guard("head", () => sideValue(p.b, p.batch));
        ta += t1 - t0;
        tb += performance.now() - t1;
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
    opts.onRound?.(cycle * 4, active.length, live.length, elapsed);
    if (active.length === 0 || elapsed >= opts.budgetMs || opts.signal?.aborted) break;
    if (cycle > 0) await freshInstances(opts, active, cycle % 2 === 1);
    const cycleRatios = new Map<Pair, number[]>();
    for (let r = 0; r < 4; r++) {
      const aFirst = r === 0 || r === 3;
      for (const p of active) {
        if (p.decided) continue;
        try {
          let va: number, vb: number;
          if (aFirst) {
            va = sideValue(p.a, p.batch);
            vb = sideValue(p.b, p.batch);
          } else {
            vb = sideValue(p.b, p.batch);
            va = sideValue(p.a, p.batch);
          }
          p.aValues.push(va);
          p.bValues.push(vb);
          cycleRatios.set(p, [...(cycleRatios.get(p) ?? []), vb / va]);
        } catch (e) {
          p.notComparable = `failed mid-run: ${(e as Error).message.split("\n")[0]}`;
          p.decided = true;
        }
      }
    }
    for (const p of active) {
      const rs = cycleRatios.get(p);
      if (p.decided || !rs) continue;
      p.ratios.push(median(rs));
      if (p.ratios.length >= minCycles && settled(p, t, minCycles)) p.decided = true;
    }
    // Let Ctrl-C and timers through between cycles.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const headResults: RunResult[] = [];
  for (const p of pairs) {
    if (p.notComparable !== null) {
      entries.push({ id: p.id, ...empty, verdict: "not comparable", reason: p.notComparable });
      continue;
    }
    const exact = (c: TimedCase) => ({ ...c.counters?.(), ...(c.instructions ? { [INSTRUCTIONS_COUNTER]: c.instructions() } : {}) });
    const ca = exact(p.a),
      cb = exact(p.b);
    const changes = counterChanges(ca, cb, counterThreshold);
    const v = pairedVerdict(p.ratios, t, minCycles, seedFromString(p.id));
    entries.push({
      id: p.id,
      oldMedianNs: p.aValues.length ? median(p.aValues) : null,
      newMedianNs: p.bValues.length ? median(p.bValues) : null,
      oldN: p.aValues.length,
      newN: p.bValues.length,
      ...v,
      counterChanges: changes,
      counterVerdict: countersVerdict(changes),
      samples: { old: p.aValues, new: p.bValues },
      cycleRatios: p.ratios,
    });
    if (p.bValues.length >= 2) headResults.push(resultOf(p, p.bValues, cb));
  }
  const provenance = runProvenance(started);
  const summary = (label: string) => ({
    source: label,
    started: provenance.started,
    git: provenance.git,
    toolVersion: provenance.tool.version,
    machine: provenance.machine,
  });
  const elapsedMs = performance.now() - t0;
  const undecided = live.filter((p) => !p.decided).length;
  const comparison: Comparison = {
    schema: COMPARISON_SCHEMA_ID,
    kind: "ab",
    ab: { rounds: cycle * 4, elapsedMs, budgetMs: opts.budgetMs, minCycles, undecided },
    old: summary(`base ${opts.base.label}`),
    new: summary(`head ${opts.head.label}`),
    machineDifferences: [],
    options: { ...DEFAULT_DECISION, threshold: t, minSamples: minCycles },
    counterThreshold,
    entries: sortEntries(entries),
  };
  const headRun: Run = {
    ...provenance,
    config: {
      command: "ab",
      base: opts.base.label,
      head: opts.head.label,
      threshold: t,
      counter_threshold: counterThreshold,
      budget_ms: opts.budgetMs,
      rounds: cycle * 4,
      quick: opts.quick,
      full: opts.full,
      sizes: opts.sizes,
      filter: opts.filter?.source ?? null,
    },
    results: headResults,
  };
  return { comparison, headRun, rounds: cycle * 4, elapsedMs, undecided };
}
