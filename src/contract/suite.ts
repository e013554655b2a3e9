// What a benchmark suite is: a named list of cases built for a run's
// options. A case either runs `n` operations in-process (timed by the
// runner on tinybench) or measures itself elsewhere (the kernel probe, the
// worker pool) and hands back per-operation samples.

import type { NativeBuild } from "./native-build.js";
import type { SuiteReport } from "./suite-report.js";
import type { WasmBuild, WasmModuleName } from "./wasm-build.js";
export type Params = Record<string, string | number>;

export interface MeasuredSamples {
  /** Per-operation times in ns, in the order they were taken. */
  samples: number[];
  /** Exact cost counters per operation (the same at any load). */
  counters?: Record<string, number>;
  /** Operations timed together in one sample (the run JSON's ops_per_sample). */
  opsPerSample?: number;
  /**
   * Samples per round, in order, when the case timed itself in rounds
   * interleaved with other cases of its suite (the run JSON's round_sizes).
   */
  roundSizes?: number[];
  /** Load-dependent values (ops/s, load average): reported, never gated. */
  measurements?: Record<string, number>;
}

interface CaseBase {
  case: string;
  params: Params;
  backend: string;
  /** Rows with the same group are compared to the group's reference row. */
  group?: string;
  reference?: boolean;
  /** Rows timing native code: how it was built (the run JSON's `build`). */
  build?: NativeBuild;
}

export interface TimedCase extends CaseBase {
  kind: "timed";
  /** Runs `n` operations. Must not allocate per operation if it is a hot path. */
  run(n: number): void;
  /** Deterministic cost counters per operation, read after the timed runs. */
  counters?(): Record<string, number>;
  /**
   * WASM cases: WASM instructions executed per operation, counted on a
   * counted instance of the same build given the same inputs, outside the
   * timed loop (exact: the same build gives the same count at any load).
   */
  instructions?(): number;
  /**
   * One operation's time in ms, estimated without running one (a smaller
   * size scaled by the case's known complexity): lets --quick decline an
   * operation of seconds, which it could not interrupt once started.
   */
  estimateMs?(): number;
  /** Upper bound for the calibrated batch. */
  maxBatch?: number;
  /** run(n) works in units of this many operations: batches are multiples of it. */
  granularity?: number;
}

export interface SelfMeasuredCase extends CaseBase {
  kind: "measured";
  measure(budgetMs: number): Promise<MeasuredSamples>;
}

/**
 * A case that times itself in rounds (a probe binary, a worker pool): the
 * runner calls `round` once per round, interleaved with the suite's timed
 * cases, so its round k and theirs are taken moments apart.
 */
export interface RoundsCase extends CaseBase {
  kind: "rounds";
  /** One round's samples, taking about `budgetMs`; the same `budgetMs` every round. */
  round(budgetMs: number): Promise<MeasuredSamples>;
}

export interface UnavailableCase extends CaseBase {
  kind: "unavailable";
  reason: string;
}

export type BenchCase = TimedCase | SelfMeasuredCase | RoundsCase | UnavailableCase;

export interface SuiteOptions {
  quick: boolean;
  full: boolean;
  /** Context counts to use instead of the suite's own (--sizes). */
  sizes: number[] | null;
  /** Time budget per case in ms. */
  timeMs: number;
  /** The WASM modules WASM cases run (default: this package's build/); `ab` passes each side's. */
  wasm?: WasmBuild;
}

export interface Suite {
  name: string;
  description: string;
  /**
   * The WASM module its WASM cases run: `ab` compares two builds of a suite
   * only when that module's exports match (absent: both modules must).
   */
  wasmModule?: WasmModuleName;
  cases(opts: SuiteOptions): Promise<BenchCase[]>;
  /** Headline figures (ratios against targets) from this suite's results. */
  summary?(results: SuiteResult[]): Headline[];
  /** Its section of the HTML report (a chart and tables); without one its results are in the report's "All results" only. */
  report?: SuiteReport;
}

/** Comparison operators a target can use. */
export type TargetOp = ">=" | "<=" | "<" | ">";

/** One headline figure, marked met / missed against its target. */
export interface Headline {
  /** What was measured and its value, e.g. "ring: TS model / WASM batch: 248x (1.20 µs vs 4.82 ns)". */
  text: string;
  /** The target as shown, e.g. ">= 2.5x"; absent for a figure shown for scale. */
  target?: string;
  /** true met, false missed, null not measured; absent when there is no target. */
  met?: boolean | null;
  /** Interval of the figure at targetConfidence; when it straddles the target's line the target is undecided (met is then null). */
  interval?: [number, number];
  undecided?: boolean;
  /** Ids of the results the figure comes from: the cases a second look runs again. */
  cases?: string[];
  /** 2 when those cases had a second look (the run's rounds twice over). */
  looks?: number;
}

/**
 * The confidence of a target's interval: 95%, and 97.5% once its cases had
 * a second look, so that over both looks a target is wrongly met (or wrongly
 * missed) with a chance of at most 2.5% + 1.25% (Bonferroni over the looks).
 */
export function targetConfidence(looks: number): number {
  return looks > 1 ? 0.975 : 0.95;
}

/** Whether `value` meets `op bound`. */
export function meets(value: number, op: TargetOp, bound: number): boolean {
  return op === ">=" ? value >= bound : op === "<=" ? value <= bound : op === "<" ? value < bound : value > bound;
}

/** A result as suites see it in `summary`: enough to compute ratios. */
export interface SuiteResult {
  id: string;
  case: string;
  backend: string;
  params: Params;
  median: number | null;
  /** The median of each round (the observations the intervals come from); empty when not measured. */
  roundMedians: number[];
  /**
   * True when roundMedians are medians of rounds in which the suite's cases
   * took turns (the runner's rounds, or the throughput suite's windows per
   * worker count), so round k of two such results of one suite were taken
   * moments apart and a ratio's interval can pair them; false for medians of
   * consecutive samples of a case measured on its own.
   */
  byRound: boolean;
  counters: Record<string, number>;
  measurements: Record<string, number>;
  unavailable: string | null;
  /** How the row's native code was built, for rows that time native code. */
  build?: NativeBuild;
  /** Looks the runner took: 2 when a target it stands behind was undecided and it ran again. */
  looks: number;
  /** Fitted big-O of the series this result belongs to (time per op), if fitted. */
  complexity: string | null;
  /** The same fit of the series' first counter (the work, without cache effects). */
  counterComplexity: string | null;
}

export function caseId(suite: string, c: CaseBase): string {
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${v}`);
  return [suite, c.case, c.backend, ...params].join("/");
}
