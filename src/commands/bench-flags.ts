// The flag table of `bench` and its parsing, light enough for --help to
// answer at once; bench.ts runs the command, bench-run.ts measures and
// reports. Apart from both, so that neither imports the other.
import { UserError } from "../contract/errors.js";
import type { Suite, SuiteOptions } from "../contract/suite.js";
import { COLUMN_HELP } from "../report/column-help.js";
import { OUTPUTS } from "../report/outputs.js";
import { checkNeeds, type RequestedOutput } from "../report/write-reports.js";
import { parseCommand, noPositionals, type CommandSpec } from "./args.js";
import { choiceFlag, intFlag, intListFlag, pathFlag, percentFlag } from "./flag-values.js";
import { outputFlags, requestedOutputs } from "./output-flags.js";
import { GATE_ON, type GateOn } from "../report/gate.js";
import { defaultTimeMs, parseFilter, selectSuites } from "../bench/selection.js";

/** Where the run JSON goes, for the help text (state.ts resolves the folder). */
const LAST_RUN_FILE = ".aio-ring-bench/last-run.json";

/** Every output but the comparison JSON: bench's --json is the run document itself, kept beside last-run.json. */
const BENCH_OUTPUTS = OUTPUTS.filter((o) => o.flag !== "json");

export const spec: CommandSpec = {
  name: "bench",
  usage: "aio-ring-bench bench [options]      (npm run bench -- [options])",
  description: `Measures the hot paths and the lookup strategies; prints a table per suite and
the headline figures, each marked met or missed against its target, and writes
the run JSON to ${LAST_RUN_FILE} in the project folder (or last-run.json in
$AIO_RING_BENCH_HOME). Tables fit the terminal (or $COLUMNS);
colour follows NO_COLOR / FORCE_COLOR. A FILE of "-" is standard output (the
tables then go to standard error).`,
  flags: [
    { section: "selection", name: "suite", type: "string", arg: "A,B", help: "suites to run (default: all; see --list)" },
    { section: "selection", name: "filter", type: "string", arg: "TEXT", help: "only benchmarks whose id contains TEXT (or /REGEX/)" },
    { section: "selection", name: "sizes", type: "string", arg: "N,N,...", help: "context counts for lookup/remap/criu-restore (1..65536)" },
    { section: "selection", name: "quick", type: "boolean", help: "small subset, short samples (under 15 s)" },
    { section: "selection", name: "full", type: "boolean", help: "the whole matrix: every size 1..65536, every distribution,\nWASM and TS strategy backends" },
    { section: "selection", name: "time", type: "string", arg: "MS", help: "time budget per benchmark in ms (default 250; quick 60; full 400)" },
    {
      section: "selection",
      name: "runs",
      type: "string",
      arg: "N",
      help: "exactly N samples per timed benchmark (2..1000000), spread\nover min(16, N) rounds, instead of the --time budget; one\nsample is one call of a calibrated batch. Cases that time\nthemselves (kernel, worker pool) keep --time",
    },
    {
      section: "selection",
      name: "warmup",
      type: "string",
      arg: "N",
      help: "N unrecorded batch calls before a benchmark's first round\n(0..1000000), instead of a fifth of its --time budget",
    },
    {
      section: "selection",
      name: "no-second-look",
      type: "boolean",
      help: "judge every target on the run's rounds alone (by default the\nbenchmarks behind a target left undecided run their rounds\nonce more, and it is judged on both looks at 97.5%)",
    },
    { section: "selection", name: "list", type: "boolean", help: "list suites and benchmark ids, run nothing (no build needed)" },
    { section: "output", name: "json", type: "string", arg: "FILE", help: "also write the run JSON to FILE" },
    ...outputFlags(BENCH_OUTPUTS, "output", (o) => (o.needs === "comparison" ? "\n(needs --compare)" : "")),
    {
      section: "regression tracking",
      name: "save-baseline",
      type: "string",
      arg: "NAME",
      help: "save this run as baseline NAME (.aio-ring-bench/baselines/,\nor $AIO_RING_BENCH_HOME/baselines/)",
    },
    { section: "regression tracking", name: "compare", type: "string", arg: "NAME|FILE", help: "compare this run with a baseline or a run JSON file" },
    { section: "regression tracking", name: "threshold", type: "string", arg: "PCT", help: "smallest time change that counts, in percent (default 5)" },
    {
      section: "regression tracking",
      name: "counter-threshold",
      type: "string",
      arg: "PCT",
      help: "smallest change of an exact counter (WASM instructions,\nslots visited) that counts, in percent (default 1)",
    },
    { section: "regression tracking", name: "gate", type: "string", arg: "all|exact|time", help: "what --fail-on-regression acts on (default all)" },
    {
      section: "regression tracking",
      name: "repeat",
      type: "string",
      arg: "N",
      help: "run the suites in N fresh processes and merge their\nsamples, so variance between processes enters the\nintervals (default 1)",
    },
    {
      section: "regression tracking",
      name: "fail-on-regression",
      type: "boolean",
      help: "exit 1 when any benchmark regressed, or one of the baseline's\nis missing, or nothing was compared (needs --compare)",
    },
    { section: "regression tracking", name: "allow-removed", type: "boolean", help: "with --fail-on-regression: missing benchmarks do not fail" },
    { section: "regression tracking", name: "history", type: "string", arg: "FILE", help: "append this run to a JSON-lines history file" },
    {
      section: "regression tracking",
      name: "no-compare-previous",
      type: "boolean",
      help: 'no "vs previous run" line (by default, without --compare, a\nrun is compared with the previous run of the same machine\nand suites, advisory only: the exit code does not change)',
    },
    {
      section: "testing the harness itself",
      name: "inject-slowdown",
      type: "string",
      arg: "PCT",
      help: "make every in-process benchmark PCT% slower by spinning\nafter each timed batch (a wall-clock spin that instruction\ncounts do not see; bench:selfcheck uses real code instead)",
    },
  ],
  exitCodes: `0 ok, 1 a benchmark failed or (with --fail-on-regression) regressed,
2 bad input or an output file could not be written, 130 interrupted (what
completed is still written; a partial run is neither saved as a baseline nor
added to the history)`,
  notes: `Every output path is checked before measuring: its folder must exist, and two
outputs on one file, or an output on an input, are refused. A file that cannot be written
after measuring is reported and the others are still written; the last line
says where the run JSON is.

${COLUMN_HELP}

headlines: "met" / "MISSED" against the target after the figure, "undecided"
when its 95% interval straddles the target's line (after a second look, see
--no-second-look); "info" is a figure shown for scale; "n/a" could not be
measured here.`,
};

export interface BenchFlags {
  suites: Suite[];
  filter: RegExp | null;
  opts: SuiteOptions;
  /** The run JSON's second place (its first is the state folder's last-run.json). */
  json: string | null;
  list: boolean;
  /** The outputs asked for, from the output registry. */
  outputs: RequestedOutput[];
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
  /** Run the benchmarks behind undecided targets once more (not with --no-second-look, --quick or --runs). */
  secondLook: boolean;
  /** Compare with the previous run of this machine and suites (not with --no-compare-previous). */
  comparePrevious: boolean;
  injectSlowdown: number;
  /** --runs: samples per timed benchmark, or null for the --time budget. */
  runs: number | null;
  /** --warmup: warm-up calls per timed benchmark, or null for the time-based warm-up. */
  warmup: number | null;
}

export function parseBenchFlags(argv: string[], all: readonly Suite[]): BenchFlags | null {
  const parsed = parseCommand(spec, argv);
  return parsed && benchFlags(parsed, all);
}

export function benchFlags({ values, positionals }: NonNullable<ReturnType<typeof parseCommand>>, all: readonly Suite[]): BenchFlags {
  noPositionals("bench", positionals);
  if (values.quick && values.full) throw new UserError("--quick and --full cannot be combined");
  const suites = values.suite === undefined ? [...all] : selectSuites((values.suite as string).split(","), all);
  const timeMs = intFlag("time", values.time, defaultTimeMs({ quick: Boolean(values.quick), full: Boolean(values.full) }), 1, 600_000);
  const path = (flag: "json" | "compare" | "history") => pathFlag(flag, values[flag]) ?? null;
  // An empty file name is the first thing wrong with it, whatever else the flag needs.
  for (const flag of ["json", "history", "compare"] as const) pathFlag(flag, values[flag]);
  const outputs = requestedOutputs(values, BENCH_OUTPUTS);
  if (values["allow-removed"] && !values["fail-on-regression"]) throw new UserError("--allow-removed only changes --fail-on-regression: give both");
  if (values["fail-on-regression"] && values.compare === undefined) throw new UserError("--fail-on-regression needs --compare NAME|FILE");
  checkNeeds(outputs, values.compare === undefined ? { comparison: "--compare NAME|FILE" } : {});
  return {
    suites,
    filter: values.filter === undefined ? null : parseFilter(values.filter as string),
    opts: {
      quick: Boolean(values.quick),
      full: Boolean(values.full), // Each size once, in the order given: a repeated size would repeat benchmark ids.
      sizes: intListFlag("sizes", values.sizes, 1, 65536),
      timeMs,
    },
    json: path("json"),
    list: Boolean(values.list),
    outputs,
    saveBaseline: (values["save-baseline"] as string | undefined) ?? null,
    compare: path("compare"),
    threshold: percentFlag("threshold", values.threshold),
    counterThreshold: percentFlag("counter-threshold", values["counter-threshold"]),
    gateOn: choiceFlag("gate", values.gate, GATE_ON, "all"),
    repeat: intFlag("repeat", values.repeat, 1, 1, 100),
    selectionArgs: (["suite", "filter", "sizes", "time", "runs", "warmup", "inject-slowdown"] as const)
      .flatMap((k) => (values[k] === undefined ? [] : [`--${k}`, String(values[k])]))
      .concat(values.quick ? ["--quick"] : [], values.full ? ["--full"] : []),
    failOnRegression: Boolean(values["fail-on-regression"]),
    allowRemoved: Boolean(values["allow-removed"]),
    history: path("history"),
    comparePrevious: !values["no-compare-previous"],
    secondLook: !values["no-second-look"],
    injectSlowdown: percentFlag("inject-slowdown", values["inject-slowdown"]) ?? 0,
    runs: values.runs === undefined ? null : intFlag("runs", values.runs, 0, 2, 1_000_000),
    warmup: values.warmup === undefined ? null : intFlag("warmup", values.warmup, 0, 0, 1_000_000),
  };
}
