// The library: everything the CLI does, callable from TypeScript. The CLI
// (src/cli.ts, src/commands/) only parses flags and calls these. Every
// export carries a doc comment (test/exports.test.ts checks).
import { SUITES as ALL_SUITES } from "../bench/index.js";
import type * as contract from "./contract/suite.js";

// Scenarios on the wasm, model and kernel backends (docs/scenario-format.md).
export type {
  AddrExpr,
  BackendName,
  CallStep,
  Errno,
  OpName,
  ProfileName,
  RepeatStep,
  ResultsDoc,
  Scenario,
  Step,
  StepResult,
  Until,
  UntilCondition,
} from "./contract/scenario.js";
export type { AioBackend, ProcessConfig, SubmitOptions } from "./contract/backend.js";
export { parseScenario, readScenarioFile, runScenario, runOnAllBackends, processConfig, diffResults, formatDisagreements } from "./scenario/index.js";
export type { RunOptions as ScenarioRunOptions, AllBackends } from "./scenario/index.js";
export { PROFILES, PROFILE_NAMES } from "./contract/profile.js";
export type { Profile } from "./contract/profile.js";
export { UserError, ScenarioError } from "./contract/errors.js";

// Differential fuzzing: the two models against each other, or against the live kernel.
export { runFuzz } from "./scenario/fuzz.js";
export type { FuzzOptions, FuzzReport, Divergence } from "./scenario/fuzz.js";
export { runKernelFuzz } from "./fuzz/kernel-fuzz.js";
export type { KernelFuzzOptions, KernelFuzzReport } from "./fuzz/kernel-fuzz.js";

// The live kernel through build/probe, and guest kernels under QEMU.
export { kernelAvailability, runScenarioOnKernel, runKernelTiming, KERNEL_LOOPS } from "./kernel/probe.js";
export type { KernelAvailability, KernelLoop, KernelTiming, KernelTimingParams } from "./kernel/probe.js";
export { listKernels, fetchKernel } from "./kernel/guest-kernels.js";
export type { KernelListing } from "./kernel/guest-kernels.js";

// Lookup strategies.
export { STRATEGIES, strategy, strategiesFor } from "./strategies/registry.js";
export type { Question, StrategyDescriptor } from "./strategies/types.js";

// Benchmarks: suites, runs (docs/run-format.md), their tables and headlines.
/** Every benchmark suite, in the order `npm run bench` runs them (`bench --list` shows their benchmarks). */
export const SUITES: readonly Suite[] = ALL_SUITES;
/** A benchmark suite: its name, description, cases and the headline figures of its results. */
export type Suite = contract.Suite;
/** One benchmark of a suite: timed by the harness, timing itself, or not measurable here (with the reason). */
export type BenchCase = contract.BenchCase;
/** What a suite's cases are made for: quick or full selection, context counts, time budget. */
export type SuiteOptions = contract.SuiteOptions;
/** A headline figure of a run (a ratio against its target): met, missed, undecided, or shown for scale. */
export type Headline = contract.Headline;
export { runBench } from "./library/bench.js";
export type { BenchOptions } from "./library/bench.js";
export { BenchCaseError } from "./bench/runner.js";
export type { BenchRun } from "./bench/runner.js";
export type { ChartAxis, ChartPoint, ChartSeries, ReportTable, SuiteChart, SuiteReport, SuiteSection } from "./contract/suite-report.js";
export { RUN_SCHEMA_ID, runJsonSchema, runSchema } from "./contract/run-document.js";
export type { Run, RunResult } from "./contract/run-document.js";
export { parseRun, readRunFile } from "./bench/run-file.js";
export { renderRunTable } from "./report/table.js";

// Regression tracking: baselines, history, compare, the gate, ab.
export { benchHome, saveBaseline, loadBaseline, listBaselines } from "./bench/baseline.js";
export { appendHistory, readHistory } from "./bench/history.js";
export type { HistoryRecord } from "./contract/history-record.js";
export { historyTrends } from "./bench/trends.js";
export type { BenchmarkTrend } from "./bench/trends.js";
export { compareRuns, renderComparison } from "./report/compare.js";
export type { CompareOptions } from "./report/compare.js";
export { comparableRuns, previousRunLine, readPreviousRun } from "./report/previous-run.js";
export { comparisonSchema } from "./contract/comparison.js";
export type { Comparison } from "./contract/comparison.js";
export { readComparisonFile, validateComparison } from "./report/comparison-file.js";
export { gate, GATE_ON } from "./report/gate.js";
export type { GateOn, GateOptions, GateResult } from "./report/gate.js";
export { abRevisions, AB_BUDGET_MS } from "./library/ab.js";
export type { AbRevisionsOptions } from "./library/ab.js";
export type { AbResult } from "./report/ab.js";
export { selfcheck } from "./commands/selfcheck.js";
export type { TargetLine } from "./commands/selfcheck.js";

// Outputs (Markdown, JSON, CSV, HTML, BMF, gh-action): by name, from the one registry.
export { OUTPUTS } from "./report/outputs.js";
export type { Needs, OutputFormat, ReportInputs } from "./report/output-format.js";
export { outputNames, renderOutput, writeOutputs } from "./library/outputs.js";
export { renderHtml, writeHtmlReport } from "./report/html.js";
export { renderComparisonHtml, writeComparisonHtmlReport } from "./report/html-comparison.js";

// Volume: the shared ring across worker threads.
export { runSharedRing, SharedRingRunError } from "./pool/shared-ring-run.js";
export type { SharedRingRunOptions, SharedRingRunResult } from "./pool/shared-ring-run.js";
