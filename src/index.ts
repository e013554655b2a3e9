// The library: everything the CLI does, callable from TypeScript. The CLI
// (src/cli.ts, src/commands/) only parses flags and calls these.

// Scenarios on the wasm, model and kernel backends (docs/scenario-format.md).
export type { AddrExpr, BackendName, Errno, OpName, ProfileName, ResultsDoc, Scenario, Step, StepResult } from "./contract/scenario.js";
export type { AioBackend, ProcessConfig } from "./contract/backend.js";
export { parseScenario, readScenarioFile, runScenario, runOnAllBackends, processConfig, diffResults, formatDisagreements } from "./scenario/index.js";
export type { RunOptions as ScenarioRunOptions, AllBackends } from "./scenario/index.js";
export { runFuzz } from "./scenario/fuzz.js";
export type { FuzzOptions, FuzzReport, Divergence } from "./scenario/fuzz.js";
export { PROFILES, PROFILE_NAMES } from "./contract/profile.js";
export type { Profile } from "./contract/profile.js";
export { UserError, ScenarioError } from "./contract/errors.js";

// The live kernel through build/probe.
export { kernelAvailability, runScenarioOnKernel, runKernelTiming, KERNEL_LOOPS } from "./kernel/probe.js";
export type { KernelAvailability, KernelLoop, KernelTiming, KernelTimingParams } from "./kernel/probe.js";

// Lookup strategies.
export { STRATEGIES, strategy, strategiesFor } from "./strategies/registry.js";
export type { Question, StrategyDescriptor } from "./strategies/types.js";

// Benchmarks, run documents (docs/run-format.md) and regression tracking.
export { SUITES } from "../bench/index.js";
export { runBench, BenchCaseError } from "./bench/runner.js";
export type { RunOptions as BenchRunOptions, BenchRun } from "./bench/runner.js";
export type { BenchCase, Suite, SuiteOptions } from "./contract/suite.js";
export type { ChartAxis, ChartPoint, ChartSeries, ReportTable, SuiteChart, SuiteReport, SuiteSection } from "./contract/suite-report.js";
export { RUN_SCHEMA_ID, runJsonSchema, runSchema } from "./contract/run-document.js";
export type { Run, RunResult } from "./contract/run-document.js";
export { parseRun, readRunFile } from "./bench/run-file.js";
export { benchHome, saveBaseline, loadBaseline, listBaselines } from "./bench/baseline.js";
export { appendHistory, readHistory } from "./bench/history.js";
export type { HistoryRecord } from "./contract/history-record.js";
export { historyTrends } from "./bench/trends.js";
export type { BenchmarkTrend } from "./bench/trends.js";
export { compareRuns, renderComparison } from "./report/compare.js";
export type { CompareOptions } from "./report/compare.js";
export { comparisonSchema } from "./contract/comparison.js";
export type { Comparison } from "./contract/comparison.js";
export { readComparisonFile, validateComparison } from "./report/comparison-file.js";
export { renderRunTable } from "./report/table.js";
export { OUTPUTS } from "./report/outputs.js";
export type { Needs, OutputFormat, ReportInputs } from "./report/output-format.js";
export { renderHtml, writeHtmlReport } from "./report/html.js";
export { renderComparisonHtml, writeComparisonHtmlReport } from "./report/html-comparison.js";
export {
  fitLegend,
  fitTable,
  groupSeries,
  isMeasured,
  lineChart,
  lineSeries,
  medianInterval,
  opsPerSecondY,
  scalingSection,
  timeY,
} from "./report/suite-charts.js";

// Volume: the shared ring across worker threads.
export { runSharedRing, SharedRingRunError } from "./pool/shared-ring-run.js";
export type { SharedRingRunOptions, SharedRingRunResult } from "./pool/shared-ring-run.js";
