// `aio-ring-bench bench`: the product's front door (`npm run bench`).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../contract/errors.js";
import { benchHome, checkBaselineName, loadBaseline, saveBaseline, type LoadedRun } from "../bench/baseline.js";
import { appendHistory, readHistory } from "../bench/history.js";
import { runBench, type BenchRun } from "../bench/runner.js";
import { caseId, type Suite, type SuiteOptions } from "../bench/suite.js";
import { compareRuns, renderComparison } from "../report/compare.js";
import { gate } from "../report/gate.js";
import { writeHtmlReport } from "../report/html.js";
import { renderRunTable } from "../report/table.js";
import { writeReports, type ReportFiles } from "../report/write-reports.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { Progress, progressEnabled } from "../util/progress.js";
import { intFlag, noPositionals, parseCommandArgs } from "./args.js";
import { parsePercentFlag } from "./percent-flag.js";

/** The last run's JSON, in the state folder. */
export function lastRunFile(): string {
  return join(benchHome(), "last-run.json");
}

const HELP = `usage: aio-ring-bench bench [options]      (npm run bench -- [options])

Measures the hot paths and the lookup strategies; prints a table per suite and
the headline ratios, and writes the run JSON to last-run.json in the state
folder ($AIO_RING_BENCH_HOME, default .aio-ring-bench/ in the current directory).

selection:
  --suite A,B        suites to run (default: all; see --list)
  --filter TEXT      only benchmarks whose id contains TEXT (or /REGEX/)
  --sizes N,N,...    context counts for lookup/remap/criu-restore (1..65536)
  --quick            small subset, short samples (under 15 s)
  --full             the whole matrix: every size 1..65536, every distribution,
                     WASM and TS strategy backends
  --time MS          time budget per benchmark in ms (default 250; quick 60; full 400)
  --list             list suites and benchmark ids, run nothing
output:
  --json FILE        also write the run JSON to FILE
  --html FILE        write a self-contained HTML report (with --history: trends too)
  --bmf FILE         write the run as Bencher Metric Format JSON
  --gh-action FILE   write the run as github-action-benchmark customSmallerIsBetter JSON
regression tracking:
  --save-baseline NAME   save this run as baseline NAME (baselines/ in the state folder)
  --compare NAME|FILE    compare this run with a baseline or a run JSON file
  --threshold PCT        smallest change that counts, in percent (default 5)
  --fail-on-regression   exit 1 when any benchmark regressed (needs --compare)
  --markdown FILE        write the comparison as Markdown (needs --compare)
  --history FILE         append this run to a JSON-lines history file
testing the harness itself:
  --inject-slowdown PCT  make every in-process benchmark PCT% slower by spinning
                         after each timed batch (for bench:selfcheck; never in real runs)
  -h, --help             this text

exit codes: 0 ok, 1 a benchmark failed or (with --fail-on-regression) regressed,
2 bad input, 130 interrupted (what completed is still written; a partial run is
neither saved as a baseline nor added to the history)`;

export interface BenchFlags {
  suites: Suite[];
  filter: RegExp | null;
  opts: SuiteOptions;
  json: string | null;
  list: boolean;
  html: string | null;
  reports: ReportFiles;
  saveBaseline: string | null;
  compare: string | null;
  threshold: number | undefined;
  failOnRegression: boolean;
  history: string | null;
  injectSlowdown: number;
}

function parseSizes(text: string): number[] {
  const sizes = text.split(",").map((s) => s.trim());
  return sizes.map((s) => {
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 65536) throw new UserError(`--sizes: "${s}" is not a context count from 1 to 65536`);
    return Number(s);
  });
}

function parseFilter(text: string): RegExp {
  const m = /^\/(.+)\/$/.exec(text);
  try {
    return m ? new RegExp(m[1]) : new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  } catch (e) {
    throw new UserError(`--filter: not a valid regular expression (${(e as Error).message})`);
  }
}

export function parseBenchFlags(argv: string[], all: readonly Suite[]): BenchFlags | null {
  const parsed = parseCommandArgs(argv, {
    suite: { type: "string" },
    filter: { type: "string" },
    sizes: { type: "string" },
    quick: { type: "boolean" },
    full: { type: "boolean" },
    time: { type: "string" },
    list: { type: "boolean" },
    json: { type: "string" },
    html: { type: "string" },
    bmf: { type: "string" },
    "gh-action": { type: "string" },
    markdown: { type: "string" },
    "save-baseline": { type: "string" },
    compare: { type: "string" },
    threshold: { type: "string" },
    "fail-on-regression": { type: "boolean" },
    history: { type: "string" },
    "inject-slowdown": { type: "string" },
  }, HELP);
  if (!parsed) return null;
  const { values, positionals } = parsed;
  noPositionals("bench", positionals);
  if (values.quick && values.full) throw new UserError("--quick and --full cannot be combined");
  let suites = [...all];
  if (values.suite !== undefined) {
    suites = (values.suite as string).split(",").map((name) => {
      const s = all.find((x) => x.name === name.trim());
      if (!s) throw new UserError(`--suite: unknown suite "${name}" (known: ${all.map((x) => x.name).join(", ")})`);
      return s;
    });
  }
  const timeMs = intFlag("time", values.time, values.quick ? 60 : values.full ? 400 : 250, 1, 600_000);
  const str = (v: unknown) => (v as string | undefined) ?? null;
  if (values["fail-on-regression"] && values.compare === undefined) throw new UserError("--fail-on-regression needs --compare NAME|FILE");
  if (values.markdown !== undefined && values.compare === undefined) throw new UserError("--markdown reports a comparison: it needs --compare NAME|FILE");
  if (values["save-baseline"] !== undefined) checkBaselineName(values["save-baseline"] as string);
  return {
    suites,
    filter: values.filter === undefined ? null : parseFilter(values.filter as string),
    opts: { quick: Boolean(values.quick), full: Boolean(values.full), sizes: values.sizes === undefined ? null : parseSizes(values.sizes as string), timeMs },
    json: str(values.json),
    list: Boolean(values.list),
    html: str(values.html),
    reports: { markdown: values.markdown as string | undefined, bmf: values.bmf as string | undefined, ghAction: values["gh-action"] as string | undefined },
    saveBaseline: str(values["save-baseline"]),
    compare: str(values.compare),
    threshold: values.threshold === undefined ? undefined : parsePercentFlag("--threshold", values.threshold as string),
    failOnRegression: Boolean(values["fail-on-regression"]),
    history: str(values.history),
    injectSlowdown: values["inject-slowdown"] === undefined ? 0 : parsePercentFlag("--inject-slowdown", values["inject-slowdown"] as string),
  };
}

async function listCases(flags: BenchFlags): Promise<void> {
  for (const s of flags.suites) {
    console.log(`${s.name}: ${s.description}`);
    for (const c of await s.cases(flags.opts)) {
      const id = caseId(s.name, c);
      if (!flags.filter || flags.filter.test(id)) console.log(`  ${id}${c.kind === "unavailable" ? `  (not measurable here: ${c.reason})` : ""}`);
    }
  }
}

/** Runs the selected suites with progress on a TTY and Ctrl-C stopping after the current benchmark. */
export async function benchWithProgress(flags: BenchFlags): Promise<BenchRun> {
  const progress = new Progress("bench", 1);
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    console.error("\ninterrupted: finishing the current benchmark, then writing what completed (Ctrl-C again to quit now)");
  };
  process.on("SIGINT", onSigint);
  try {
    return await runBench({
      ...flags.opts,
      suites: flags.suites,
      filter: flags.filter,
      injectSlowdown: flags.injectSlowdown,
      signal: abort.signal,
      onCase: (done, total, id) => {
        progress.total = total;
        progress.update(done, `[${done + 1}/${total}] ${id}`);
      },
    });
  } finally {
    process.off("SIGINT", onSigint);
    progress.done();
  }
}

/**
 * Everything `bench` does after measuring: write the run, baseline,
 * history and exports, print the table, compare, gate. Inputs that could
 * fail (the baseline to compare with) are read before measuring.
 */
export async function benchCommand(flags: BenchFlags, log: (line: string) => void = console.log): Promise<number> {
  const baseline: LoadedRun | null = flags.compare ? loadBaseline(flags.compare) : null;
  // A corrupt history must stop us before minutes of measuring, a new one is fine.
  if (flags.history && existsSync(flags.history)) readHistory(flags.history);
  const started = performance.now();
  const result = await benchWithProgress(flags);
  const run = result.run;
  const text = JSON.stringify(run, null, 1) + "\n";
  writeFileAtomic(lastRunFile(), text);
  if (flags.json) writeFileAtomic(flags.json, text);
  log(renderRunTable(run, progressEnabled(process.stdout)));
  if (result.summary.length) log(`\nheadlines:\n${result.summary.map((l) => `  ${l}`).join("\n")}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`\n${run.results.length} benchmarks in ${seconds} s${result.interrupted ? " (interrupted: partial run)" : ""}; run JSON: ${flags.json ?? lastRunFile()}`);
  // A partial run would become a misleading reference for every later comparison.
  const partial = result.interrupted || result.failure !== null;
  if (partial && (flags.saveBaseline || flags.history)) log("partial run: not saved as a baseline nor added to the history");
  if (!partial && flags.saveBaseline) log(`saved baseline "${flags.saveBaseline}": ${saveBaseline(flags.saveBaseline, run)}`);
  if (!partial && flags.history) {
    appendHistory(flags.history, run);
    log(`appended to history ${flags.history}`);
  }
  const comparison = baseline ? compareRuns(baseline.run, run, { threshold: flags.threshold, oldSource: baseline.source, newSource: "this run" }) : null;
  if (comparison) log(`\n${renderComparison(comparison)}`);
  for (const path of writeReports(flags.reports, run, comparison)) log(`wrote ${path}`);
  if (flags.html) {
    writeHtmlReport(flags.html, run, flags.history ? { history: readHistory(flags.history).records } : {});
    log(`wrote ${flags.html}`);
  }
  if (result.failure) {
    console.error(`aio-ring-bench: benchmark failed, run ended: ${result.failure.message} (what completed before it is in ${flags.json ?? lastRunFile()})`);
    return 1;
  }
  if (result.interrupted) return 130;
  if (comparison && flags.failOnRegression) {
    const verdict = gate(comparison);
    log(verdict.summary);
    if (verdict.failed) return 1;
  }
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const { SUITES } = await import("../../bench/index.js");
  const flags = parseBenchFlags(argv, SUITES);
  if (!flags) return 0;
  if (flags.list) {
    await listCases(flags);
    return 0;
  }
  return benchCommand(flags);
}
