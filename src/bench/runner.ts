// Runs suites into a run document (docs/run-format.md). Timed cases run on
// tinybench (warmup, time budget, minimum iterations); each sample is one
// call of a calibrated batch, well above timer resolution, divided by the
// batch size, so samples are per-operation times comparable across batches.
import { Bench } from "tinybench";
import { fitComplexity } from "../stats/complexity.js";
import { finishContext, startContext } from "./context.js";
import { gitInfo, machineInfo, toolInfo } from "./machine.js";
import { RUN_SCHEMA_ID, type Complexity, type Run, type RunResult } from "../contract/run-document.js";
import { summarize } from "../stats/summary.js";
import { resultBatches, roundMedians } from "./measure.js";
import { mergeResult } from "./repeat.js";
import { secondLookIds } from "./second-look.js";
import { UserError } from "../contract/errors.js";
import { yieldToEventLoop } from "../util/sleep.js";
import {
  caseId,
  type BenchCase,
  type Headline,
  type MeasuredSamples,
  type Suite,
  type SuiteOptions,
  type SuiteResult,
  type TimedCase,
} from "../contract/suite.js";

export interface RunOptions extends SuiteOptions {
  suites: Suite[];
  /** Only cases whose id matches. */
  filter: RegExp | null;
  signal?: AbortSignal;
  /** Test-only: inflate every timed batch by this fraction (bench:selfcheck). */
  injectSlowdown?: number;
  onCase?: (done: number, total: number, id: string) => void;
  config?: Record<string, unknown>;
  /** --runs: exactly this many samples per timed case, over min(ROUNDS, runs) rounds, instead of a time budget. */
  runs?: number | null;
  /** --warmup: this many unrecorded batch calls before a timed case's first round, instead of a fifth of its budget. */
  warmup?: number | null;
  /** Run the cases behind targets left undecided once more (second-look.ts); not with --quick or --runs. */
  secondLook?: boolean;
}

/** How a round samples: for `timeMs` (at least MIN_SAMPLES), or exactly `count` samples; warm-up by time or by `warmup` calls. */
interface RoundPlan {
  timeMs: number;
  count: number | null;
  warmup: number | null;
}

/** The counter every WASM case carries: exact WASM instructions per operation (src/core/instruction-count.ts). */
export const INSTRUCTIONS_COUNTER = "wasm_instructions_per_op";

/** Samples per round: enough for a round's median, few enough for the budget. */
const MIN_SAMPLES = 4;
/**
 * Rounds per timed case. A round is compare's unit of replication: its
 * median is one observation, taken at another moment than the others.
 */
export const ROUNDS = 16;

/**
 * Doubles the batch until one call of the first case takes at least
 * `targetMs`. Batches are powers of two (times its granularity), so runs on
 * the same machine mostly land on the same batch and their samples stay
 * comparable. Any other cases (ab's other build of the same benchmark) run
 * each batch too, so both sides are warmed alike.
 */
export function calibrate([c, ...others]: [TimedCase, ...TimedCase[]], targetMs: number, maxOpMs = Infinity): number {
  const unit = c.granularity ?? 1;
  const max = c.maxBatch ?? 1 << 26;
  if (Number.isFinite(maxOpMs) && c.estimateMs) {
    const estimate = c.estimateMs();
    if (estimate > maxOpMs) throw new TooSlowForBudget(estimate, maxOpMs, true);
  }
  // The first call may build the case's world lazily: keep it out of the calibration.
  const t0 = performance.now();
  c.run(unit);
  const first = performance.now() - t0;
  if (first > maxOpMs) throw new TooSlowForBudget(first / unit, maxOpMs);
  for (const o of others) o.run(unit);
  let n = unit;
  for (;;) {
    const t0 = performance.now();
    c.run(n);
    const dt = performance.now() - t0;
    for (const o of others) o.run(n);
    if (dt >= targetMs || n * 2 > max) return n;
    n *= 2;
  }
}

/**
 * --quick promises a short run at any size: a case whose single operation
 * takes longer than this is reported unavailable instead of timed (a
 * quadratic case at a large --sizes can take seconds per operation, and a
 * timed case needs tens of them).
 */
export const QUICK_MAX_OP_MS = 250;
/** --quick stops starting new rounds after this long (every case has its first round by then). */
export const QUICK_RUN_MS = 10_000;

/** A case's first operation took longer than the run allows per operation. */
export class TooSlowForBudget extends Error {
  constructor(
    readonly opMs: number,
    readonly maxOpMs: number,
    readonly estimated = false,
  ) {
    const took = opMs >= 1000 ? `${(opMs / 1000).toFixed(1)} s` : `${Math.round(opMs)} ms`;
    super(
      `one operation ${estimated ? `would take about ${took} (estimated from a smaller size)` : `takes ${took}`}, more than the ${maxOpMs} ms --quick allows per operation (run without --quick, or with smaller --sizes)`,
    );
    this.name = "TooSlowForBudget";
  }
}

/** Spins until `ms` have passed since `t0`: the selfcheck's injected slowdown. */
function spinUntil(t0: number, ms: number): void {
  while (performance.now() - t0 < ms);
}

/**
 * One round of timed samples of `batch` operations on tinybench: the first
 * round warms up, later rounds only add samples.
 */
async function timeRound(c: TimedCase, batch: number, plan: RoundPlan, slowdown: number, warmup: boolean): Promise<number[]> {
  const samples: number[] = [];
  let recording = false;
  // tinybench samples while under its time or under its iterations: a time of 0 makes the count exact.
  const bench = new Bench({
    time: plan.count === null ? plan.timeMs : 0,
    iterations: plan.count ?? MIN_SAMPLES,
    warmup: warmup && plan.warmup !== 0,
    warmupTime: plan.warmup === null ? plan.timeMs / 5 : 0,
    warmupIterations: plan.warmup ?? 4,
  });
  bench.add(
    c.case,
    () => {
      const t0 = performance.now();
      c.run(batch);
      if (slowdown > 0) spinUntil(t0, (performance.now() - t0) * (1 + slowdown));
      const dt = performance.now() - t0;
      if (recording) samples.push((dt * 1e6) / batch);
      return { overriddenDuration: dt };
    },
    {
      // Said, not detected: tinybench detects it by calling the case once more per round.
      async: false,
      beforeAll: (mode) => {
        recording = mode === "run";
      },
    },
  );
  await bench.run();
  const task = bench.tasks[0];
  if (task.result.state === "errored") throw task.result.error;
  return samples;
}

/** Fields every result of a case carries; `group` and `reference` drive the ratio column. */
function identity(suite: string, c: BenchCase) {
  return {
    id: caseId(suite, c),
    suite,
    case: c.case,
    params: c.params,
    backend: c.backend,
    unit: "ns/op" as const,
    group: c.group ?? null,
    reference: c.reference ?? false,
    ...(c.build ? { build: c.build } : {}),
  };
}

function unavailable(suite: string, c: BenchCase, reason: string): RunResult {
  return { ...identity(suite, c), samples: [], stats: null, counters: {}, complexity: null, status: { unavailable: reason } };
}

function measured(suite: string, c: BenchCase, samples: number[], counters: Record<string, number>, measurements?: Record<string, number>): RunResult {
  if (samples.length < 2) return unavailable(suite, c, "fewer than two samples were taken");
  return { ...identity(suite, c), samples, stats: summarize(samples), counters, ...(measurements ? { measurements } : {}), complexity: null };
}

/** The result of a case that timed itself, once or round by round, with its ops per sample and round sizes when it gave them. */
function selfMeasured(suite: string, c: BenchCase, m: MeasuredSamples): RunResult {
  const r = measured(suite, c, m.samples, m.counters ?? {}, m.measurements);
  if (r.status) return r;
  return { ...r, ...(m.opsPerSample === undefined ? {} : { ops_per_sample: m.opsPerSample }), ...(m.roundSizes ? { round_sizes: m.roundSizes } : {}) };
}

/**
 * A case that measures itself (the kernel probe, the worker pool), once.
 * What this machine cannot do (a UserError: no AIO, a limit) makes the row
 * unavailable; anything else (a worker that threw or died) ends the run.
 */
async function measureOnce(suite: string, c: BenchCase, timeMs: number): Promise<RunResult> {
  if (c.kind === "unavailable") return unavailable(suite, c, c.reason);
  if (c.kind === "timed" || c.kind === "rounds") throw new TypeError(`${c.kind} cases run in rounds`);
  try {
    return selfMeasured(suite, c, await c.measure(timeMs));
  } catch (e) {
    if (e instanceof UserError) return unavailable(suite, c, e.message.split("\n")[0]);
    throw new BenchCaseError(caseId(suite, c), e);
  }
}

/** A benchmark failed (not: could not be measured here); the run ends with what completed. */
export class BenchCaseError extends Error {
  constructor(
    readonly id: string,
    readonly cause: unknown,
  ) {
    super(`${id}: ${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}`);
    this.name = "BenchCaseError";
  }
}

/**
 * Fits every series that differs only in `n` (3 sizes or more): the first
 * counter (the work done, which caches do not bend) as `counter_complexity`,
 * and the median time as `complexity`.
 */
function attachComplexity(results: RunResult[]): void {
  const series = new Map<string, RunResult[]>();
  for (const r of results) {
    if (typeof r.params.n !== "number" || r.stats === null) continue;
    const key = r.id.replace(/\/n=\d+/, "");
    series.set(key, [...(series.get(key) ?? []), r]);
  }
  for (const rs of series.values()) {
    if (new Set(rs.map((r) => r.params.n)).size < 3) continue;
    const fit: Complexity | null = fitComplexity(rs.map((r) => ({ n: r.params.n as number, value: r.stats!.median })));
    const counter = Object.keys(rs[0].counters)[0];
    const usable = counter !== undefined && rs.every((r) => Number.isFinite(r.counters[counter])) && rs.some((r) => r.counters[counter] > 0);
    const work = usable ? fitComplexity(rs.map((r) => ({ n: r.params.n as number, value: r.counters[counter] }))) : null;
    for (const r of rs) {
      r.complexity = fit;
      if (work) r.counter_complexity = { counter, ...work };
    }
  }
}

export function suiteResults(results: RunResult[]): SuiteResult[] {
  return results.map((r) => suiteResult(r, r.stats ? roundMedians(r) : null));
}

function suiteResult(r: RunResult, rounds: number[] | null): SuiteResult {
  return {
    id: r.id,
    case: r.case,
    backend: r.backend,
    params: r.params as SuiteResult["params"],
    median: r.stats?.median ?? null,
    roundMedians: rounds ?? (r.stats ? resultBatches(r) : []),
    byRound: rounds !== null,
    counters: r.counters,
    measurements: (r.measurements as Record<string, number> | undefined) ?? {},
    unavailable: r.status?.unavailable ?? null,
    ...(r.build ? { build: r.build } : {}),
    looks: r.looks ?? 1,
    complexity: r.complexity?.big_o ?? null,
    counterComplexity: r.counter_complexity?.big_o ?? null,
  };
}

/** The headline figures of each suite that has them, from its results in `results`. */
export function headlines(suites: readonly Suite[], results: RunResult[]): Headline[] {
  return suites.flatMap((s) => s.summary?.(suiteResults(results.filter((r) => r.suite === s.name))) ?? []);
}

/** What runBench returns: the run document, its headline figures, and whether it was cut short. */
export interface BenchRun {
  run: Run;
  /** The benchmark whose failure ended the run early; `run` holds what completed before it. */
  failure: BenchCaseError | null;
  /** Headline figures per suite (ratios against the targets). */
  summary: Headline[];
  /** True when the run was stopped early (Ctrl-C): `run` holds what completed. */
  interrupted: boolean;
}

export async function runBench(opts: RunOptions): Promise<BenchRun> {
  const started = new Date().toISOString();
  const context = startContext();
  const planned: { suite: Suite; c: BenchCase }[] = [];
  for (const suite of opts.suites) {
    for (const c of await suite.cases(opts)) {
      if (!opts.filter || opts.filter.test(caseId(suite.name, c))) planned.push({ suite, c });
    }
  }
  // Timed cases run in rounds, interleaved: each one's samples then come from
  // several moments of the run, so a shared machine's slow spell is spread
  // over every case instead of falling on a few, and compare can see how much
  // a case varies between rounds.
  const runs = opts.runs ?? null;
  const rounds = runs === null ? ROUNDS : Math.min(ROUNDS, runs);
  const batches = new Map<number, number>();
  const samples = new Map<number, number[]>();
  const roundSizes = new Map<number, number[]>();
  const once = new Map<number, RunResult>();
  const slowdown = opts.injectSlowdown ?? 0;
  let interrupted = false as boolean;
  // Set inside step and runLook, which the compiler's narrowing does not follow.
  let failure = null as BenchCaseError | null;
  const steps = rounds * planned.length;
  // Cases given up on, with the reason: too slow for the budget, or (rounds cases) not measurable here.
  const gaveUp = new Map<number, string>();
  const roundsExtra = new Map<number, Pick<MeasuredSamples, "counters" | "measurements" | "opsPerSample">>();
  // An exact --runs outranks --quick's time limit.
  const deadline = opts.quick && runs === null ? performance.now() + QUICK_RUN_MS : Number.POSITIVE_INFINITY;
  let roundsRun = 0;
  const record = (i: number, got: number[]) => {
    if (!samples.has(i)) {
      samples.set(i, []);
      roundSizes.set(i, []);
    }
    samples.get(i)!.push(...got);
    roundSizes.get(i)!.push(got.length);
  };
  /**
   * Round `round` of `rounds` of case `i`: false when the run must stop (a
   * case failed). `first`: the case's first round of this look (it warms up);
   * a case that measures itself once is measured once per look, its looks merged.
   */
  const step = async (i: number, round: number, first: boolean): Promise<boolean> => {
    const { suite, c } = planned[i];
    if (c.kind === "rounds") {
      try {
        const m = await c.round(opts.timeMs / rounds);
        if (m.samples.length === 0) throw new UserError("a round gave no samples");
        if (!roundsExtra.has(i)) roundsExtra.set(i, { counters: m.counters, measurements: m.measurements, opsPerSample: m.opsPerSample });
        record(i, m.samples);
      } catch (e) {
        if (!(e instanceof UserError)) {
          failure = new BenchCaseError(caseId(suite.name, c), e);
          return false;
        }
        gaveUp.set(i, e.message.split("\n")[0]);
      }
      return true;
    }
    if (c.kind !== "timed") {
      if (!first) return true;
      try {
        const r = await measureOnce(suite.name, c, opts.timeMs);
        const before = once.get(i);
        // A second look that could not measure leaves the first.
        once.set(i, !before || before.status ? r : r.status ? before : mergeResult([before, r]));
      } catch (e) {
        if (!(e instanceof BenchCaseError)) throw e;
        failure = e;
        return false;
      }
      return true;
    }
    // ~300 samples per budget, each still 100 µs or more: far above the clock's resolution.
    if (!batches.has(i)) {
      try {
        batches.set(i, calibrate([c], Math.max(0.1, opts.timeMs / 300), opts.quick ? QUICK_MAX_OP_MS : Number.POSITIVE_INFINITY));
      } catch (e) {
        if (!(e instanceof TooSlowForBudget)) throw e;
        gaveUp.set(i, e.message);
        return true;
      }
    }
    const count = runs === null ? null : Math.floor(runs / rounds) + (round < runs % rounds ? 1 : 0);
    record(i, await timeRound(c, batches.get(i)!, { timeMs: opts.timeMs / rounds, count, warmup: opts.warmup ?? null }, slowdown, first));
    return true;
  };
  /** The rounds of one look at the cases `look` (planned indices), interleaved; false when the run stopped. */
  const runLook = async (look: readonly number[], onStep: (round: number, k: number) => void): Promise<boolean> => {
    for (let round = 0; round < rounds; round++) {
      // --quick's promise: later rounds only add samples, so they are what gives way.
      if (round > 0 && performance.now() > deadline) break;
      roundsRun = Math.max(roundsRun, round + 1);
      for (const [k, i] of look.entries()) {
        const c = planned[i].c;
        if (gaveUp.has(i)) continue;
        if (c.kind !== "timed" && c.kind !== "rounds" && round > 0) continue;
        // Timed cases run synchronously: without this turn of the event loop a
        // SIGINT handler never runs and Ctrl-C would wait for the whole run.
        await yieldToEventLoop();
        if (opts.signal?.aborted) {
          interrupted = true;
          return false;
        }
        onStep(round, k);
        if (!(await step(i, round, round === 0))) return false;
      }
    }
    return true;
  };
  const collect = (again: ReadonlySet<number>): RunResult[] => {
    const results: RunResult[] = [];
    for (const [i, { suite, c }] of planned.entries()) {
      const reason = gaveUp.get(i);
      let r: RunResult | undefined;
      if (reason !== undefined) r = unavailable(suite.name, c, reason);
      else if (c.kind === "rounds") {
        if (samples.has(i)) r = selfMeasured(suite.name, c, { ...roundsExtra.get(i), samples: samples.get(i)!, roundSizes: roundSizes.get(i)! });
      } else if (c.kind !== "timed") r = once.get(i);
      else if (samples.has(i)) {
        const counters = { ...c.counters?.(), ...(c.instructions ? { [INSTRUCTIONS_COUNTER]: c.instructions() } : {}) };
        r = { ...measured(suite.name, c, samples.get(i)!, counters), round_sizes: roundSizes.get(i)!, ops_per_sample: batches.get(i)! };
      }
      if (r) results.push(again.has(i) && !r.status ? { ...r, looks: 2 } : r);
    }
    return results;
  };
  const all = [...planned.keys()];
  // Cases that ran a round of the second look (fewer than it planned when Ctrl-C stopped it).
  const again = new Set<number>();
  if (
    (await runLook(all, (round, i) => opts.onCase?.(round * planned.length + i, steps, caseId(planned[i].suite.name, planned[i].c)))) &&
    opts.secondLook &&
    runs === null &&
    !opts.quick
  ) {
    // Targets left undecided get a second look: their cases run the same rounds again (README, headlines).
    const ids = secondLookIds(headlines(opts.suites, collect(again)));
    const look = all.filter((i) => ids.has(caseId(planned[i].suite.name, planned[i].c)));
    if (look.length)
      await runLook(look, (round, k) => {
        again.add(look[k]);
        opts.onCase?.(round * look.length + k, rounds * look.length, `second look: ${caseId(planned[look[k]].suite.name, planned[look[k]].c)}`);
      });
  }
  const results = collect(again);
  attachComplexity(results);
  const summary = headlines(opts.suites, results);
  const run: Run = {
    schema: RUN_SCHEMA_ID,
    tool: toolInfo(),
    git: gitInfo(),
    started,
    machine: machineInfo(),
    context: { ...finishContext(context) },
    config: {
      suites: opts.suites.map((s) => s.name),
      quick: opts.quick,
      full: opts.full,
      sizes: opts.sizes,
      time_ms: opts.timeMs,
      rounds: roundsRun,
      filter: opts.filter?.source ?? null,
      interrupted,
      failed: failure?.message ?? null,
      inject_slowdown: opts.injectSlowdown ?? 0,
      ...(runs === null ? {} : { runs }),
      ...(opts.warmup == null ? {} : { warmup: opts.warmup }),
      ...opts.config,
    },
    results,
  };
  return { run, summary, interrupted, failure };
}
