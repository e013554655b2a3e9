// What `bench` does once its flags are parsed: list the cases, or check
// every input and output, measure with progress and Ctrl-C handling, then
// write and print the results.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { UserError } from "../contract/errors.js";
import { baselinePath, checkBaselineName, loadBaseline, saveBaseline, type LoadedRun } from "../bench/baseline.js";
import { appendHistory, checkHistoryFile, readHistory } from "../bench/history.js";
import type { HistoryRecord } from "../contract/history-record.js";
import { repeatedRun } from "../bench/repeat.js";
import { BenchCaseError, headlines, runBench, type BenchRun } from "../bench/runner.js";
import { ensureStateDir, lastRunFile } from "../bench/state.js";
import { caseId } from "../contract/suite.js";
import { compareRuns, renderComparison } from "../report/compare.js";
import { renderContext } from "../report/context.js";
import { gate } from "../report/gate.js";
import { renderHeadlines, targetCount } from "../report/headlines.js";
import { comparableRuns, previousRunLine, readPreviousRun } from "../report/previous-run.js";
import { renderRunTable } from "../report/table.js";
import { wrap } from "../report/text-table.js";
import { reportFlags, reportOutputs, writeReports } from "../report/write-reports.js";
import { humanOutput, isStdout, writeOutput } from "../util/files.js";
import { checkOutputs } from "../util/output-plan.js";
import { interruptOnSigint } from "../util/interrupt.js";
import { errorLine } from "../util/printable.js";
import { Progress } from "../util/progress.js";
import { writeStdout } from "../util/stdout.js";
import { colorEnabled, proseWidth, terminalWidth } from "../util/terminal.js";
import type { BenchFlags } from "./bench-flags.js";

export async function listCases(flags: BenchFlags): Promise<void> {
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
  const interrupt = interruptOnSigint("\ninterrupted: finishing the current benchmark, then writing what completed (Ctrl-C again to quit now)");
  try {
    return await runBench({
      ...flags.opts,
      suites: flags.suites,
      filter: flags.filter,
      injectSlowdown: flags.injectSlowdown,
      runs: flags.runs,
      warmup: flags.warmup,
      secondLook: flags.secondLook,
      signal: interrupt.signal,
      onCase: (done, total, id) => {
        progress.total = total;
        progress.update(done, `[${done + 1}/${total}] ${id}`);
      },
    });
  } finally {
    interrupt.dispose();
    progress.done();
  }
}

/** --repeat N: the selection run in N fresh processes, merged (progress per process on a TTY). */
async function repeatedBench(flags: BenchFlags): Promise<BenchRun> {
  const progress = new Progress("bench --repeat", flags.repeat);
  try {
    // The processes' own runs are parts of this one: none compares itself with the one before.
    // Nor does one take a second look: the processes' rounds are the repetition.
    const run = await repeatedRun([...flags.selectionArgs, "--no-compare-previous", "--no-second-look"], flags.repeat, (i) =>
      progress.update(i, `process ${i + 1}/${flags.repeat}`),
    );
    const summary = headlines(flags.suites, run.results);
    const failed = typeof run.config.failed === "string" ? new BenchCaseError("repeat", new Error(run.config.failed)) : null;
    return { run, summary, interrupted: run.config.interrupted === true, failure: failed };
  } finally {
    progress.done();
  }
}

/** A path below the working directory as a relative one (the last line has to fit the terminal). */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return isAbsolute(path) && rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
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
  if (flags.saveBaseline !== null) checkBaselineName(flags.saveBaseline);
  const baseline: LoadedRun | null = flags.compare ? loadBaseline(flags.compare) : null;
  ensureStateDir();
  if (flags.history === "-") throw new UserError("--history: a history file is read and rewritten: - (standard output) cannot be one");
  if (flags.saveBaseline !== null) ensureStateDir("baselines");
  checkOutputs(
    [
      { name: "the state folder's last-run.json", path: lastRunFile(), implicit: true, replacesInput: true },
      ...(flags.history === null ? [] : [{ name: "--history", path: flags.history, stdoutOk: false }]),
      ...(flags.saveBaseline === null ? [] : [{ name: "--save-baseline", path: baselinePath(flags.saveBaseline), replacesInput: true }]),
      ...(flags.json === null ? [] : [{ name: "--json", path: flags.json }]),
      ...reportOutputs(flags.outputs),
    ],
    baseline ? [{ name: "--compare", path: baseline.source }] : [],
  );
  // A corrupt history, or a file that is no history, must stop us before minutes of measuring; a new one is fine.
  if (flags.history !== null) checkHistoryFile(flags.history);
  if ((await countCases(flags)) === 0) {
    throw new UserError(
      `no benchmark matches${flags.filter ? ` --filter ${flags.filter.source}` : ""} in suite(s) ${flags.suites.map((s) => s.name).join(", ")} (see --list)`,
    );
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
      places.push(isStdout(path) ? "standard output" : path);
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
 * the run, baseline, history and exports, print the tables (sized to the
 * terminal; on stderr when an output goes to stdout), compare, gate. A
 * file that cannot be written after measuring is reported (one line) and
 * the rest still happens; the run JSON is kept somewhere and the last line
 * says where.
 */
export async function benchCommand(flags: BenchFlags, log?: (line: string) => void): Promise<number> {
  const human = humanOutput({ json: flags.json, ...reportFlags(flags.outputs) });
  const humanStream = human.stream;
  log ??= human.log;
  const baseline = await checkBenchInputs(flags);
  // Read before this run replaces it; an explicit --compare makes it redundant.
  const previous = flags.comparePrevious && !baseline ? readPreviousRun(lastRunFile()) : null;
  const started = performance.now();
  const result = flags.repeat > 1 ? await repeatedBench(flags) : await benchWithProgress(flags);
  const run = result.run;
  const failures: UserError[] = [];
  const fail = (e: UserError) => {
    failures.push(e);
    console.error(errorLine(e.message));
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
  const width = terminalWidth(humanStream);
  const prose = proseWidth(humanStream);
  const color = colorEnabled(humanStream);
  log(renderContext(run, width).join("\n"));
  log(renderRunTable(run, { width, color, proseWidth: prose }));
  if (result.summary.length) log(`\n${renderHeadlines(result.summary, { width: prose, color }).join("\n")}`);
  const vsPrevious =
    previous && !result.interrupted && result.failure === null && comparableRuns(previous, run)
      ? previousRunLine(previous, run, { threshold: flags.threshold, counterThreshold: flags.counterThreshold })
      : null;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const targets = result.summary.length ? `${targetCount(result.summary)}; ` : "";
  log(
    `\n${vsPrevious === null ? "" : `${wrap(vsPrevious, prose).join("\n")}\n`}${wrap(`${run.results.length} benchmarks in ${seconds} s${result.interrupted ? " (interrupted: partial run)" : ""}; ${targets}run JSON: ${shortPath(runFile)}; columns: bench --help`, prose).join("\n")}`,
  );
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
  const comparison = baseline
    ? compareRuns(baseline.run, run, {
        threshold: flags.threshold,
        counterThreshold: flags.counterThreshold,
        oldSource: baseline.source,
        newSource: "this run",
      })
    : null;
  if (comparison) log(`\n${renderComparison(comparison, { width, color })}`);
  // The trends of the HTML page: read only when an output is asked for; unreadable, the outputs go without them.
  let history: HistoryRecord[] | null = null;
  if (flags.outputs.length > 0 && flags.history && existsSync(flags.history)) {
    attempt(() => {
      history = readHistory(flags.history!).records;
    });
  }
  const inputs = { run, comparison, baseline: baseline?.run ?? null, history, headlines: result.summary, suites: flags.suites };
  for (const path of writeReports(flags.outputs, inputs, fail)) if (!isStdout(path)) log(`wrote ${path}`);
  if (failures.length) console.error(`aio-ring-bench: ${failures.length} output(s) could not be written; the run's results are in ${runFile}`);
  if (result.failure) {
    console.error(errorLine(`benchmark failed, run ended: ${result.failure.message} (what completed before it is in ${runFile})`));
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
