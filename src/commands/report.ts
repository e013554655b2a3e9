// `aio-ring-bench report RUN.json [--history FILE] --html FILE`: renders a run
// (and optionally its history) as one self-contained HTML file; given a
// comparison file (`ab --json`, `compare --json`) instead, its comparison view.
// Every other output of the registry is written the same way.
import { UserError } from "../contract/errors.js";
import { readHistory } from "../bench/history.js";
import type { HistoryRecord } from "../contract/history-record.js";
import { MAX_RUN_BYTES, RUN_SCHEMA_ID, type Run } from "../contract/run-document.js";
import { parseJsonText } from "../util/json-input.js";
import { parseRun } from "../bench/run-file.js";
import { COMPARISON_SCHEMA_ID, type Comparison } from "../contract/comparison.js";
import { compareRuns } from "../report/compare.js";
import { validateComparison } from "../report/comparison-file.js";
import type { ReportInputs } from "../report/output-format.js";
import { OUTPUTS } from "../report/outputs.js";
import { checkNeeds, reportFlags, reportOutputs, writeReports } from "../report/write-reports.js";
import { parseCommand, type CommandSpec } from "./args.js";
import { pathFlag, percentFlag } from "./flag-values.js";
import { outputFlags, requestedOutputs } from "./output-flags.js";
import { humanOutput, readInput, isStdout } from "../util/files.js";
import { checkOutputs } from "../util/output-plan.js";
import { printable } from "../util/printable.js";

export const spec: CommandSpec = {
  name: "report",
  usage: "aio-ring-bench report [OLD.json] RUN.json --html FILE [--history FILE]\n       aio-ring-bench report AB.json --html FILE",
  description: `Writes one self-contained HTML file (no network access) from a run: a section
for each suite of the run that brings one, its chart with the 95% interval of
every median (lookup and remap per strategy vs N, with the kernel's mremap on
the same axes; criu-restore per restore vs N; io_getevents per case; throughput
as ops/s vs workers beside ideal scaling), the run context, every result, and
a picker showing any benchmark's distribution of samples. Given OLD.json
before it, it adds the comparison of OLD with RUN (old vs new per
benchmark, coloured by verdict, with both distributions); given a history
file, the trends, with a picker to find one benchmark among hundreds.

Given a comparison file instead of a run (AB.json: the JSON output of ab or
compare, told apart from a run by its "schema" field), it writes that
comparison's view on its own: the verdicts, changes and intervals, exact
counter changes, and for an ab result its rounds, each build's per-round
values and the change per ABBA cycle. The other outputs (--csv, --markdown,
...) are written from the same documents: a run's are RUN's. At least one
output is required. A FILE of "-" is standard output.`,
  flags: [
    ...outputFlags(OUTPUTS),
    { name: "history", type: "string", arg: "FILE", help: "history file (JSON lines) for the trends (runs only)" },
    {
      name: "threshold",
      type: "string",
      arg: "PCT",
      help: "smallest change that counts when comparing OLD and RUN,\nin percent (default 5; a comparison file keeps its own)",
    },
    {
      name: "counter-threshold",
      type: "string",
      arg: "PCT",
      help: "smallest exact-counter change that counts when comparing\nOLD and RUN, in percent (default 1)",
    },
  ],
  exitCodes: `0 written, 2 bad input (a missing or invalid run, comparison or history
file, a comparison file beside another file or with --history or
--threshold, no --html)`,
};

type Input = { kind: "run"; run: Run } | { kind: "comparison"; comparison: Comparison };

/** A run or a comparison document, told apart by its schema field; anything else is refused by name. */
function readReportInput(path: string): Input {
  const text = readInput(path, MAX_RUN_BYTES, "input file");
  const data = parseJsonText(text, path);
  const schema = typeof data === "object" && data !== null && "schema" in data ? data.schema : undefined;
  if (schema === COMPARISON_SCHEMA_ID) return { kind: "comparison", comparison: validateComparison(data, path) };
  if (schema !== undefined && schema !== RUN_SCHEMA_ID)
    throw new UserError(
      `${path}: schema is ${printable(JSON.stringify(schema).slice(0, 80), true)}, expected "${RUN_SCHEMA_ID}" (a run) or "${COMPARISON_SCHEMA_ID}" (ab --json, compare --json)`,
    );
  return { kind: "run", run: parseRun(text, path) };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length < 1 || positionals.length > 2)
    throw new UserError(`report: expected [OLD.json] RUN.json or AB.json, got ${positionals.length} files (see --help)`);
  const outputs = requestedOutputs(values, OUTPUTS);
  if (outputs.length === 0) throw new UserError("report: an output is required: --html FILE, or another (see --help)");
  const historyFile = pathFlag("history", values.history);
  checkOutputs(reportOutputs(outputs), [
    ...positionals.map((path, i) => ({ name: positionals.length === 2 && i === 0 ? "OLD" : "RUN", path })),
    ...(historyFile === undefined ? [] : [{ name: "--history", path: historyFile }]),
  ]);
  const { log } = humanOutput(reportFlags(outputs));
  const threshold = percentFlag("threshold", values.threshold);
  const counterThreshold = percentFlag("counter-threshold", values["counter-threshold"]);
  const inputs = positionals.map((p) => ({ path: p, input: readReportInput(p) }));
  const cmp = inputs.find((i) => i.input.kind === "comparison");
  // The suites' report hooks draw their sections; the registry is loaded only here, once the flags parse.
  const { SUITES } = await import("../../bench/index.js");
  let reportInputs: ReportInputs;
  if (cmp) {
    const name = printable(cmp.path, true);
    if (inputs.length > 1) throw new UserError(`${name}: a comparison file is reported on its own (report ${name} --html FILE), not beside another file`);
    if (historyFile !== undefined) throw new UserError(`${name}: --history needs a run; a comparison file has no trends`);
    if (threshold !== undefined || counterThreshold !== undefined)
      throw new UserError(
        `${name}: --${threshold !== undefined ? "threshold" : "counter-threshold"} applies to comparing two runs; a comparison file keeps the verdicts it was made with`,
      );
    checkNeeds(outputs, { run: `${name} is a comparison file` });
    reportInputs = { run: null, comparison: (cmp.input as Extract<Input, { kind: "comparison" }>).comparison, baseline: null, history: null, suites: SUITES };
  } else {
    const runs = inputs.map((i) => (i.input as Extract<Input, { kind: "run" }>).run);
    const run = runs[runs.length - 1]!;
    const baseline = runs.length === 2 ? runs[0]! : null;
    checkNeeds(outputs, baseline ? {} : { comparison: "OLD.json before RUN.json" });
    let history: HistoryRecord[] | null = null;
    if (historyFile !== undefined) {
      const read = readHistory(historyFile);
      // Bad lines are skipped, not fatal: one torn record must not hide the rest of the trend.
      for (const w of read.warnings) console.error(`aio-ring-bench: warning: ${printable(w, true)}`);
      history = read.records;
    }
    const comparison = baseline && compareRuns(baseline, run, { threshold, counterThreshold, oldSource: "old run", newSource: "this run" });
    reportInputs = { run, comparison, baseline, history, suites: SUITES };
  }
  for (const path of writeReports(outputs, reportInputs)) if (!isStdout(path)) log(`wrote ${path}`);
  return 0;
}
