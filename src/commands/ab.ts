// `aio-ring-bench ab --base REF [--head REF]`: interleaved A/B of two builds in one process.
import type { AbResult } from "../report/ab.js";
import { UserError } from "../contract/errors.js";
import { renderComparison } from "../report/compare.js";
import { GATE_ON, gate } from "../report/gate.js";
import { OUTPUTS } from "../report/outputs.js";
import { reportFlags, reportOutputs, writeReports } from "../report/write-reports.js";
import { humanOutput, isStdout } from "../util/files.js";
import { checkOutputs } from "../util/output-plan.js";
import { interruptOnSigint } from "../util/interrupt.js";
import { Progress } from "../util/progress.js";
import { colorEnabled, terminalWidth } from "../util/terminal.js";
import { noPositionals, parseCommand, type CommandSpec } from "./args.js";
import { choiceFlag, intFlag, percentFlag } from "./flag-values.js";
import { outputFlags, requestedOutputs } from "./output-flags.js";
import { parseBenchFlags } from "./bench-flags.js";

export const spec: CommandSpec = {
  name: "ab",
  usage: "aio-ring-bench ab [--base REF] [--head REF] [options]",
  description: `Builds the WASM modules (core, lookup) of two revisions and times every WASM
benchmark of both, and of a second copy of the base (the control), in one
process, in rounds that visit the three in every order, until each
benchmark's anytime-valid interval of the median head/base ratio clears the
threshold or lies within half of it, or the budget runs out ("too noisy");
with --runs, for exactly N rounds, the verdict taken at the end.
A control that differs from the base says the machine is too noisy for
that benchmark. WASM instruction counts and the other exact counters of
both are compared exactly. Both sides are compiled from git (head: the working tree's files)
with this checkout's assemblyscript and options, and cached by source tree
under $AIO_RING_BENCH_HOME/wasm-builds/. Outputs of the run are the head
build's; --html is the comparison's own page, as report draws --json's file.`,
  flags: [
    {
      name: "base",
      type: "string",
      arg: "REF",
      help: "the old side (default: the merge-base of HEAD with main,\nmaster or origin/HEAD if that is not HEAD, else HEAD~1)",
    },
    { name: "head", type: "string", arg: "REF", help: "the new side (default: the working tree)" },
    { name: "suite", type: "string", arg: "A,B", help: "suites, as for bench (only WASM benchmarks are compared)" },
    { name: "filter", type: "string", arg: "TEXT", help: "only benchmarks whose id contains TEXT (or /REGEX/), as for bench" },
    { name: "sizes", type: "string", arg: "N,N,...", help: "context counts, as for bench" },
    { name: "quick", type: "boolean", help: "the quick selection, as for bench" },
    { name: "full", type: "boolean", help: "the full matrix, as for bench" },
    { name: "threshold", type: "string", arg: "PCT", help: "smallest time change that counts (default 5)" },
    { name: "counter-threshold", type: "string", arg: "PCT", help: "smallest exact-counter change that counts (default 1)" },
    { name: "budget", type: "string", arg: "S", help: "seconds of rounds at most (default 60)" },
    {
      name: "runs",
      type: "string",
      arg: "N",
      help: "exactly N rounds per benchmark (2..1000000), each one sample\nof every side, instead of rounds until decided or --budget\n(a verdict needs 8 whole cycles of 6 rounds: N >= 48)",
    },
    {
      name: "warmup",
      type: "string",
      arg: "N",
      help: "N unrecorded batch calls of each side before the first round\n(0..1000000), instead of 40 ms each, as bench --warmup",
    },
    { name: "fail-on-regression", type: "boolean", help: "exit 1 when a benchmark regressed" },
    { name: "gate", type: "string", arg: "all|exact|time", help: "what --fail-on-regression acts on (default all)" },
    ...outputFlags(OUTPUTS),
  ],
  exitCodes: `0 ok, 1 regression (with --fail-on-regression), 2 bad input (an
unknown ref, a revision that does not build), 130 interrupted`,
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("ab", positionals);
  // Loaded once --help is answered: the library's ab loads every suite.
  const [{ SUITES }, { AB_BUDGET_MS, abRevisions }] = await Promise.all([import("../../bench/index.js"), import("../library/ab.js")]);
  // Bench's parser checks the selection and --runs/--warmup, so both commands refuse the same values alike.
  const selection = (["suite", "filter", "sizes", "runs", "warmup"] as const).flatMap((k) => (values[k] === undefined ? [] : [`--${k}`, String(values[k])]));
  const flags = parseBenchFlags([...selection, ...(values.quick ? ["--quick"] : []), ...(values.full ? ["--full"] : [])], SUITES)!;
  const threshold = percentFlag("threshold", values.threshold);
  const counterThreshold = percentFlag("counter-threshold", values["counter-threshold"]);
  const budgetS = intFlag("budget", values.budget, AB_BUDGET_MS / 1000, 1, 86_400);
  if (flags.runs !== null && values.budget !== undefined)
    throw new UserError("--budget and --runs cannot be combined: --runs fixes the rounds, --budget bounds their time");
  const gateOn = choiceFlag("gate", values.gate, GATE_ON, "all");
  const files = requestedOutputs(values, OUTPUTS);
  checkOutputs(reportOutputs(files));
  // The table and progress lines leave stdout to an output written there.
  const { stream: human, log } = humanOutput(reportFlags(files));
  // Progress in rounds of the fixed --runs, else in seconds of the budget.
  const progress = new Progress("ab", flags.runs ?? budgetS);
  const interrupt = interruptOnSigint();
  let result: AbResult;
  try {
    result = await abRevisions({
      ...flags.opts,
      suites: flags.suites,
      filter: flags.filter,
      runs: flags.runs,
      warmup: flags.warmup,
      ...(values.base === undefined ? {} : { base: values.base as string }),
      ...(values.head === undefined ? {} : { head: values.head as string }),
      threshold,
      counterThreshold,
      budgetMs: budgetS * 1000,
      signal: interrupt.signal,
      onStatus: (line) => {
        progress.done();
        console.error(`ab: ${line}`);
      },
      onRound: (round, undecided, total, elapsed) =>
        progress.update(
          flags.runs === null ? Math.min(budgetS, elapsed / 1000) : round,
          flags.runs === null ? `round ${round + 1}: ${undecided}/${total} undecided` : `round ${round + 1} of ${flags.runs}`,
        ),
    });
  } finally {
    interrupt.dispose();
    progress.done();
  }
  if (result.comparison.entries.length === 0) throw new UserError("ab: no WASM benchmark matches the selection");
  log(renderComparison(result.comparison, { width: terminalWidth(human), color: colorEnabled(human) }));
  log(roundsLine(result));
  for (const path of writeReports(files, { run: result.headRun, comparison: result.comparison, baseline: null, history: null, suites: SUITES }))
    if (!isStdout(path)) log(`wrote ${path}`);
  if (interrupt.signal.aborted) return 130;
  if (!values["fail-on-regression"]) return 0;
  const verdict = gate(result.comparison, { on: gateOn });
  log(verdict.summary);
  return verdict.failed ? 1 : 0;
}

/** The line under the table: how long, and which benchmarks stayed undecided and why. */
export function roundsLine(r: Pick<AbResult, "rounds" | "runs" | "elapsedMs" | "undecided" | "controlDiffered" | "interrupted">): string {
  const list = (ids: readonly string[]) => ids.slice(0, 6).join(", ") + (ids.length > 6 ? ` (+${ids.length - 6})` : "");
  const parts = [`${r.rounds} rounds in ${(r.elapsedMs / 1000).toFixed(1)} s`];
  if (r.interrupted) parts.push(`interrupted${r.undecided.length ? ` with ${r.undecided.length} too noisy (undecided): ${list(r.undecided)}` : ""}`);
  else if (r.undecided.length)
    parts.push(`${r.runs === null ? "budget ran out" : "the fixed rounds ended"} with ${r.undecided.length} too noisy (undecided): ${list(r.undecided)}`);
  if (r.controlDiffered.length)
    parts.push(
      `the machine is too noisy: the base build differed from itself on ${r.controlDiffered.length} benchmark${r.controlDiffered.length === 1 ? "" : "s"} (${list(r.controlDiffered)}), so no verdict on the code there`,
    );
  return parts.join("; ");
}
