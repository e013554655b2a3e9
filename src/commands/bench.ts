// `aio-ring-bench bench`: the product's front door (`npm run bench`).
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../contract/errors.js";
import { baselinePath, checkBaselineName, loadBaseline, saveBaseline, type LoadedRun } from "../bench/baseline.js";
import { appendHistory, readHistory } from "../bench/history.js";
import { repeatedRun } from "../bench/repeat.js";
import { BenchCaseError, runBench, suiteResults, type BenchRun } from "../bench/runner.js";
import { ensureStateDir, lastRunFile } from "../bench/state.js";
import { caseId, type Suite, type SuiteOptions } from "../bench/suite.js";
import { compareRuns, renderComparison } from "../report/compare.js";
import { gate } from "../report/gate.js";
import { writeHtmlReport } from "../report/html.js";
import { renderRunTable } from "../report/table.js";
import { checkReportPaths, writeReports, type ReportFiles } from "../report/write-reports.js";
import { checkOutput, writeOutput } from "../util/files.js";
import { Progress, progressEnabled } from "../util/progress.js";
import { writeStdout } from "../util/stdout.js";
import { intFlag, noPositionals, parseCommandArgs, pathFlag } from "./args.js";
import { parseGateFlag, parsePercentFlag } from "./percent-flag.js";
import type { GateOn } from "../report/gate.js";

/** Where the run JSON goes, for the help text (state.ts resolves the folder). */
const LAST_RUN_FILE = ".aio-ring-bench/last-run.json";

const HELP = `usage: aio-ring-bench bench [options]      (npm run bench -- [options])

Measures the hot paths and the lookup strategies; prints a table per suite and
the headline ratios, and writes the run JSON to ${LAST_RUN_FILE} in the
project folder (or last-run.json in $AIO_RING_BENCH_HOME).

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
  --save-baseline NAME   save this run as baseline NAME (.aio-ring-bench/baselines/,
                         or $AIO_RING_BENCH_HOME/baselines/)
  --compare NAME|FILE    compare this run with a baseline or a run JSON file
  --threshold PCT        smallest time change that counts, in percent (default 5)
  --counter-threshold PCT  smallest change of an exact counter (WASM instructions,
                         slots visited) that counts, in percent (default 1)
  --fail-on-regression   exit 1 when any benchmark regressed, or one of the baseline's
                         is missing, or nothing was compared (needs --compare)
  --gate all|exact|time  what --fail-on-regression acts on (default all)
  --allow-removed        with --fail-on-regression: missing benchmarks do not fail
  --markdown FILE        write the comparison as Markdown (needs --compare)
  --history FILE         append this run to a JSON-lines history file
  --repeat N             run the suites in N fresh processes and merge their
                         samples, so variance between processes enters the
                         intervals (default 1)
testing the harness itself:
  --inject-slowdown PCT  make every in-process benchmark PCT% slower by spinning
                         after each timed batch (a wall-clock spin that instruction
                         counts do not see; bench:selfcheck uses real code instead)
  -h, --help             this text

Every output path is checked before measuring. A file that cannot be written
after measuring is reported and the others are still written; the last line
says where the run JSON is.

exit codes: 0 ok, 1 a benchmark failed or (with --fail-on-regression) regressed,
2 bad input or an output file could not be written, 130 interrupted (what
completed is still written; a partial run is neither saved as a baseline nor
added to the history)`;

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
  counterThreshold: number | undefined;
  gateOn: GateOn;
  repeat: number;
  /** The selection flags as given, for the fresh processes of --repeat. */
  selectionArgs: string[];
  failOnRegression: boolean;
  allowRemoved: boolean;
  history: string | null;
  injectSlowdown: number;
}

/** Sizes in the order given, each once: a repeated size would repeat benchmark ids. */
function parseSizes(text: string): number[] {
  const sizes = text.split(",").map((s) => s.trim());
  return [...new Set(sizes.map((s) => {
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 65536) throw new UserError(`--sizes: "${s}" is not a context count from 1 to 65536`);
    return Number(s);
  }))];
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
    "counter-threshold": { type: "string" },
    gate: { type: "string" },
    repeat: { type: "string" },
    "fail-on-regression": { type: "boolean" },
    "allow-removed": { type: "boolean" },
    history: { type: "string" },
    "inject-slowdown": { type: "string" },
  }, HELP);
  if (!parsed) return null;
  const { values, positionals } = parsed;
  noPositionals("bench", positionals);
  if (values.quick && values.full) throw new UserError("--quick and --full cannot be combined");
  let suites = [...all];
  if (values.suite !== undefined) {
    // Each suite once, in the order given: a repeated suite would repeat benchmark ids.
    suites = [...new Set((values.suite as string).split(",").map((name) => {
      const s = all.find((x) => x.name === name.trim());
      if (!s) throw new UserError(`--suite: unknown suite "${name}" (known: ${all.map((x) => x.name).join(", ")})`);
      return s;
    }))];
  }
  const timeMs = intFlag("time", values.time, values.quick ? 60 : values.full ? 400 : 250, 1, 600_000);
  const path = (flag: "json" | "html" | "compare" | "history") => pathFlag(flag, values[flag]) ?? null;
  // An empty file name is the first thing wrong with it, whatever else the flag needs.
  for (const flag of ["json", "html", "bmf", "gh-action", "markdown", "history", "compare"] as const) pathFlag(flag, values[flag]);
  if (values["allow-removed"] && !values["fail-on-regression"]) throw new UserError("--allow-removed only changes --fail-on-regression: give both");
  if (values["fail-on-regression"] && values.compare === undefined) throw new UserError("--fail-on-regression needs --compare NAME|FILE");
  if (values.markdown !== undefined && values.compare === undefined) throw new UserError("--markdown reports a comparison: it needs --compare NAME|FILE");
  if (values["save-baseline"] !== undefined) checkBaselineName(values["save-baseline"] as string);
  return {
    suites,
    filter: values.filter === undefined ? null : parseFilter(values.filter as string),
    opts: { quick: Boolean(values.quick), full: Boolean(values.full), sizes: values.sizes === undefined ? null : parseSizes(values.sizes as string), timeMs },
    json: path("json"),
    list: Boolean(values.list),
    html: path("html"),
    reports: { markdown: pathFlag("markdown", values.markdown), bmf: pathFlag("bmf", values.bmf), ghAction: pathFlag("gh-action", values["gh-action"]) },
    saveBaseline: (values["save-baseline"] as string | undefined) ?? null,
    compare: path("compare"),
    threshold: values.threshold === undefined ? undefined : parsePercentFlag("--threshold", values.threshold as string),
    counterThreshold: values["counter-threshold"] === undefined ? undefined : parsePercentFlag("--counter-threshold", values["counter-threshold"] as string),
    gateOn: parseGateFlag(values.gate as string | undefined),
    repeat: intFlag("repeat", values.repeat, 1, 1, 100),
    selectionArgs: (["suite", "filter", "sizes", "time", "inject-slowdown"] as const)
      .flatMap((k) => (values[k] === undefined ? [] : [`--${k}`, String(values[k])]))
      .concat(values.quick ? ["--quick"] : [], values.full ? ["--full"] : []),
    failOnRegression: Boolean(values["fail-on-regression"]),
    allowRemoved: Boolean(values["allow-removed"]),
    history: path("history"),
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

/** --repeat N: the selection run in N fresh processes, merged (progress per process on a TTY). */
async function repeatedBench(flags: BenchFlags): Promise<BenchRun> {
  const progress = new Progress("bench --repeat", flags.repeat);
  try {
    const run = await repeatedRun(flags.selectionArgs, flags.repeat, (i) => progress.update(i, `process ${i + 1}/${flags.repeat}`));
    const summary = flags.suites.flatMap((s) => s.summary?.(suiteResults(run.results.filter((r) => r.suite === s.name))) ?? []);
    const failed = typeof run.config.failed === "string" ? new BenchCaseError("repeat", new Error(run.config.failed)) : null;
    return { run, summary, interrupted: run.config.interrupted === true, failure: failed };
  } finally {
    progress.done();
  }
}

/** How many benchmarks the selection holds (what --list would print). */
async function countCases(flags: BenchFlags): Promise<number> {
  let n = 0;
  for (const s of flags.suites) for (const c of await s.cases(flags.opts)) if (!flags.filter || flags.filter.test(caseId(s.name, c))) n++;
  return n;
}

/**
 * Everything that could refuse the run, checked before measuring so that a
 * bad path or input costs nothing: the baseline to compare with, the
 * history, every output path, the state folder, an empty selection.
 */
export async function checkBenchInputs(flags: BenchFlags): Promise<LoadedRun | null> {
  const baseline: LoadedRun | null = flags.compare ? loadBaseline(flags.compare) : null;
  ensureStateDir();
  if (flags.history !== null) {
    if (flags.history === "-") throw new UserError("--history: a history file is read and rewritten: - (standard output) cannot be one");
    checkOutput(flags.history, "--history", false);
    // A corrupt history must stop us before minutes of measuring, a new one is fine.
    if (existsSync(flags.history)) readHistory(flags.history);
  }
  if (flags.saveBaseline !== null) {
    ensureStateDir("baselines");
    checkOutput(baselinePath(flags.saveBaseline), "--save-baseline");
  }
  if (flags.json !== null) checkOutput(flags.json, "--json");
  if (flags.html !== null) checkOutput(flags.html, "--html");
  checkReportPaths(flags.reports);
  if ((await countCases(flags)) === 0) {
    throw new UserError(`no benchmark matches${flags.filter ? ` --filter ${flags.filter.source}` : ""} in suite(s) ${flags.suites.map((s) => s.name).join(", ")} (see --list)`);
  }
  return baseline;
}

/**
 * Writes the run JSON to the state folder and --json. When neither can be
 * written, to a file in the temp folder, and as a last resort to stdout: a
 * measured run is never lost. Returns where it went.
 */
function keepRun(flags: BenchFlags, text: string, fail: (e: UserError) => void): string {
  const places: string[] = [];
  const tryWrite = (path: string, flag?: string) => {
    try {
      writeOutput(path, text, flag);
      places.push(path === "-" ? "standard output" : path);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      fail(e);
    }
  };
  tryWrite(lastRunFile());
  if (flags.json !== null) tryWrite(flags.json, "--json");
  if (places.length === 0) tryWrite(join(tmpdir(), `aio-ring-bench-run-${process.pid}-${Date.now()}.json`));
  if (places.length > 0) return places.join(" and ");
  console.error("aio-ring-bench: the run JSON could not be written to any file; it follows on standard output");
  writeStdout(text);
  return "standard output";
}

/**
 * Everything `bench` does: check inputs and outputs, measure, then write
 * the run, baseline, history and exports, print the table, compare, gate.
 * A file that cannot be written after measuring is reported (one line) and
 * the rest still happens; the run JSON is kept somewhere and the last line
 * says where.
 */
export async function benchCommand(flags: BenchFlags, log: (line: string) => void = console.log): Promise<number> {
  const baseline = await checkBenchInputs(flags);
  const started = performance.now();
  const result = flags.repeat > 1 ? await repeatedBench(flags) : await benchWithProgress(flags);
  const run = result.run;
  const failures: UserError[] = [];
  const fail = (e: UserError) => {
    failures.push(e);
    console.error(`aio-ring-bench: ${e.message}`);
  };
  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      fail(e);
    }
  };
  const runFile = keepRun(flags, JSON.stringify(run, null, 1) + "\n", fail);
  log(renderRunTable(run, progressEnabled(process.stdout)));
  if (result.summary.length) log(`\nheadlines:\n${result.summary.map((l) => `  ${l}`).join("\n")}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`\n${run.results.length} benchmarks in ${seconds} s${result.interrupted ? " (interrupted: partial run)" : ""}; run JSON: ${runFile}`);
  // A partial run would become a misleading reference for every later comparison; an empty one means nothing.
  const partial = result.interrupted || result.failure !== null;
  const keep = !partial && run.results.length > 0;
  if (!keep && (flags.saveBaseline || flags.history)) log(`${partial ? "partial" : "empty"} run: not saved as a baseline nor added to the history`);
  if (keep && flags.saveBaseline) attempt(() => log(`saved baseline "${flags.saveBaseline}": ${saveBaseline(flags.saveBaseline!, run)}`));
  if (keep && flags.history) {
    attempt(() => {
      appendHistory(flags.history!, run);
      log(`appended to history ${flags.history}`);
    });
  }
  const comparison = baseline ? compareRuns(baseline.run, run, { threshold: flags.threshold, counterThreshold: flags.counterThreshold, oldSource: baseline.source, newSource: "this run" }) : null;
  if (comparison) log(`\n${renderComparison(comparison)}`);
  for (const path of writeReports(flags.reports, run, comparison, fail)) log(`wrote ${path}`);
  if (flags.html) {
    attempt(() => {
      writeHtmlReport(flags.html!, run, flags.history && existsSync(flags.history) ? { history: readHistory(flags.history).records } : {});
      log(`wrote ${flags.html}`);
    });
  }
  if (failures.length) console.error(`aio-ring-bench: ${failures.length} output(s) could not be written; the run's results are in ${runFile}`);
  if (result.failure) {
    console.error(`aio-ring-bench: benchmark failed, run ended: ${result.failure.message} (what completed before it is in ${runFile})`);
    return 1;
  }
  if (result.interrupted) return 130;
  let code = failures.length ? 2 : 0;
  if (comparison && flags.failOnRegression) {
    const verdict = gate(comparison, { allowRemoved: flags.allowRemoved, on: flags.gateOn });
    log(verdict.summary);
    if (verdict.failed) code = code || 1;
  }
  return code;
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
