/** `aio-ring-bench compare OLD NEW`: compare two runs (OLD may be a baseline name), print a table, write exports, gate. */
import { loadBaseline, runSource } from "../bench/baseline.js";
import { compareRuns, renderComparison } from "../report/compare.js";
import { GATE_ON, gate } from "../report/gate.js";
import { OUTPUTS } from "../report/outputs.js";
import { reportFlags, reportOutputs, writeReports } from "../report/write-reports.js";
import { UserError } from "../contract/errors.js";
import { parseCommand, type CommandSpec } from "./args.js";
import { choiceFlag, percentFlag } from "./flag-values.js";
import { outputFlags, requestedOutputs } from "./output-flags.js";
import { humanOutput, isStdout } from "../util/files.js";
import { checkOutputs } from "../util/output-plan.js";
import { colorEnabled, terminalWidth } from "../util/terminal.js";

export const spec: CommandSpec = {
  name: "compare",
  usage: "aio-ring-bench compare OLD NEW [options]",
  description: `Compares two runs benchmark by benchmark: OLD and NEW are run JSON files
(schema aio-ring-bench/run@1) or names of saved baselines. Prints one row per
benchmark (old and new median per operation, change, its 95% interval, p,
verdict, counters that changed), sized to the terminal. Outputs of the run
are NEW's. A FILE of "-" is standard output (the table then goes to
standard error).`,
  flags: [
    { name: "threshold", type: "string", arg: "PCT", help: "smallest time change that counts, in percent (default 5)" },
    {
      name: "counter-threshold",
      type: "string",
      arg: "PCT",
      help: "smallest change of an exact counter (WASM instructions,\nslots visited) that counts, in percent (default 1)",
    },
    {
      name: "fail-on-regression",
      type: "boolean",
      help: "exit 1 when any benchmark regressed, one of OLD's is missing\nfrom NEW, or nothing was measured in both",
    },
    { name: "allow-removed", type: "boolean", help: "with --fail-on-regression: missing benchmarks do not fail" },
    {
      name: "gate",
      type: "string",
      arg: "all|exact|time",
      help: "what --fail-on-regression acts on (default all; exact\ncounters do not move with the machine's load)",
    },
    ...outputFlags(OUTPUTS),
  ],
  exitCodes:
    "0 compared (and, with --fail-on-regression, nothing regressed), 1 the gate\nfailed (with --fail-on-regression), 2 bad input (a missing or invalid run file)",
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UserError(`compare: expected OLD and NEW, got ${positionals.length} argument(s) (see --help)`);
  const threshold = percentFlag("threshold", values.threshold);
  const counterThreshold = percentFlag("counter-threshold", values["counter-threshold"]);
  const gateOn = choiceFlag("gate", values.gate, GATE_ON, "all");
  if (values["allow-removed"] && !values["fail-on-regression"]) throw new UserError("--allow-removed only changes --fail-on-regression: give both");
  const files = requestedOutputs(values, OUTPUTS);
  checkOutputs(reportOutputs(files), [
    { name: "OLD", path: runSource(positionals[0]).path },
    { name: "NEW", path: runSource(positionals[1]).path },
  ]);
  const { stream: human, log } = humanOutput(reportFlags(files));
  const older = loadBaseline(positionals[0]);
  const newer = loadBaseline(positionals[1]);
  const cmp = compareRuns(older.run, newer.run, { threshold, counterThreshold, oldSource: older.source, newSource: newer.source });
  log(renderComparison(cmp, { width: terminalWidth(human), color: colorEnabled(human) }));
  const suites = files.length ? (await import("../../bench/index.js")).SUITES : [];
  for (const path of writeReports(files, { run: newer.run, comparison: cmp, baseline: older.run, history: null, suites }))
    if (!isStdout(path)) log(`wrote ${path}`);
  if (!values["fail-on-regression"]) return 0;
  const result = gate(cmp, { allowRemoved: Boolean(values["allow-removed"]), on: gateOn });
  log(result.summary);
  return result.failed ? 1 : 0;
}
