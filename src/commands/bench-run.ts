// What `bench` does once its flags are parsed: list the cases, or measure
// with progress and Ctrl-C handling, then write and print the results.
import { existsSync } from "node:fs";
import { checkBaselineName, loadBaseline, saveBaseline, type LoadedRun } from "../bench/baseline.js";
import { appendHistory, readHistory } from "../bench/history.js";
import { runBench, type BenchRun } from "../bench/runner.js";
import { caseId } from "../bench/suite.js";
import { compareRuns, renderComparison } from "../report/compare.js";
import { renderContext } from "../report/context.js";
import { toCsv } from "../report/csv.js";
import { gate } from "../report/gate.js";
import { renderHeadlines, targetCount } from "../report/headlines.js";
import { writeHtmlReport } from "../report/html.js";
import { renderRunTable } from "../report/table.js";
import { wrap } from "../report/text-table.js";
import { writeReports } from "../report/write-reports.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { STDOUT, writeOutput } from "../util/output.js";
import { Progress } from "../util/progress.js";
import { colorEnabled, terminalWidth } from "../util/terminal.js";
import { LAST_RUN_FILE, type BenchFlags } from "./bench.js";

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
export async function benchCommand(flags: BenchFlags, log?: (line: string) => void): Promise<number> {
  // With an output on standard output ("-"), the tables go to standard error.
  const toStdout = [flags.json, flags.csv, flags.html, flags.reports.bmf, flags.reports.ghAction, flags.reports.markdown].includes(STDOUT);
  const humanStream = toStdout ? process.stderr : process.stdout;
  log ??= (line: string) => void humanStream.write(`${line}\n`);
  if (flags.saveBaseline) checkBaselineName(flags.saveBaseline);
  const baseline: LoadedRun | null = flags.compare ? loadBaseline(flags.compare) : null;
  // A corrupt history must stop us before minutes of measuring, a new one is fine.
  if (flags.history && existsSync(flags.history)) readHistory(flags.history);
  const started = performance.now();
  const result = await benchWithProgress(flags);
  const run = result.run;
  const text = JSON.stringify(run, null, 1) + "\n";
  writeFileAtomic(LAST_RUN_FILE, text);
  if (flags.json) writeOutput(flags.json, text);
  if (flags.csv) writeOutput(flags.csv, toCsv(run));
  const width = terminalWidth(humanStream);
  const color = colorEnabled(humanStream);
  log(renderContext(run, width).join("\n"));
  log(renderRunTable(run, { width, color }));
  if (result.summary.length) log(`\n${renderHeadlines(result.summary, { width, color }).join("\n")}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const targets = result.summary.length ? `${targetCount(result.summary)}; ` : "";
  log(`\n${wrap(`${run.results.length} benchmarks in ${seconds} s${result.interrupted ? " (interrupted: partial run)" : ""}; ${targets}run JSON: ${flags.json && flags.json !== STDOUT ? flags.json : LAST_RUN_FILE}; columns: bench --help`, width).join("\n")}`);
  // A partial run would become a misleading reference for every later comparison.
  const partial = result.interrupted || result.failure !== null;
  if (partial && (flags.saveBaseline || flags.history)) log("partial run: not saved as a baseline nor added to the history");
  if (!partial && flags.saveBaseline) log(`saved baseline "${flags.saveBaseline}": ${saveBaseline(flags.saveBaseline, run)}`);
  if (!partial && flags.history) {
    appendHistory(flags.history, run);
    log(`appended to history ${flags.history}`);
  }
  const comparison = baseline ? compareRuns(baseline.run, run, { threshold: flags.threshold, oldSource: baseline.source, newSource: "this run" }) : null;
  if (comparison) log(`\n${renderComparison(comparison, { width, color })}`);
  for (const path of writeReports(flags.reports, run, comparison)) if (path !== STDOUT) log(`wrote ${path}`);
  if (flags.html) {
    writeHtmlReport(flags.html, run, { ...(flags.history ? { history: readHistory(flags.history).records } : {}), ...(comparison ? { baseline: baseline!.run, threshold: flags.threshold } : {}) });
    if (flags.html !== STDOUT) log(`wrote ${flags.html}`);
  }
  if (result.failure) {
    console.error(`aio-ring-bench: benchmark failed, run ended: ${result.failure.message} (what completed before it is in ${flags.json ?? LAST_RUN_FILE})`);
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

