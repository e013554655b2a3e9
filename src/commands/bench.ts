// `aio-ring-bench bench`: the product's front door (`npm run bench`).
import { UserError } from "../errors.js";
import { runBench, type BenchRun } from "../bench/runner.js";
import type { Suite, SuiteOptions } from "../bench/suite.js";
import { renderRunTable } from "../report/table.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { Progress, progressEnabled } from "../util/progress.js";
import { parseCommandArgs } from "./args.js";

export const LAST_RUN_FILE = ".aio-ring-bench/last-run.json";

const HELP = `usage: aio-ring-bench bench [options]      (npm run bench -- [options])

Measures the hot paths and the lookup strategies; prints a table per suite and
the headline ratios, and writes the run JSON to ${LAST_RUN_FILE}.

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
  -h, --help         this text

exit codes: 0 ok, 2 bad input, 130 interrupted (what completed is still written)`;

export interface BenchFlags {
  suites: Suite[];
  filter: RegExp | null;
  opts: SuiteOptions;
  json: string | null;
  list: boolean;
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

export async function parseBenchFlags(argv: string[], all: readonly Suite[]): Promise<BenchFlags | null> {
  const { values, positionals } = parseCommandArgs(argv, {
    suite: { type: "string" },
    filter: { type: "string" },
    sizes: { type: "string" },
    quick: { type: "boolean" },
    full: { type: "boolean" },
    time: { type: "string" },
    list: { type: "boolean" },
    json: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return null;
  }
  if (positionals.length) throw new UserError(`bench: unexpected argument "${positionals[0]}" (see --help)`);
  if (values.quick && values.full) throw new UserError("--quick and --full cannot be combined");
  let suites = [...all];
  if (values.suite !== undefined) {
    suites = (values.suite as string).split(",").map((name) => {
      const s = all.find((x) => x.name === name.trim());
      if (!s) throw new UserError(`--suite: unknown suite "${name}" (known: ${all.map((x) => x.name).join(", ")})`);
      return s;
    });
  }
  let timeMs = values.quick ? 60 : values.full ? 400 : 250;
  if (values.time !== undefined) {
    const t = values.time as string;
    if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 600_000) throw new UserError(`--time: expected milliseconds from 1 to 600000, got "${t}"`);
    timeMs = Number(t);
  }
  return {
    suites,
    filter: values.filter === undefined ? null : parseFilter(values.filter as string),
    opts: { quick: Boolean(values.quick), full: Boolean(values.full), sizes: values.sizes === undefined ? null : parseSizes(values.sizes as string), timeMs },
    json: (values.json as string | undefined) ?? null,
    list: Boolean(values.list),
  };
}

async function listCases(flags: BenchFlags): Promise<void> {
  const { caseId } = await import("../bench/suite.js");
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

export async function run(argv: string[]): Promise<number> {
  const { SUITES } = await import("../../bench/index.js");
  const flags = await parseBenchFlags(argv, SUITES);
  if (!flags) return 0;
  if (flags.list) {
    await listCases(flags);
    return 0;
  }
  const started = performance.now();
  const result = await benchWithProgress(flags);
  const text = JSON.stringify(result.run, null, 1) + "\n";
  writeFileAtomic(LAST_RUN_FILE, text);
  if (flags.json) writeFileAtomic(flags.json, text);
  console.log(renderRunTable(result.run, progressEnabled(process.stdout)));
  if (result.summary.length) console.log(`\nheadlines:\n${result.summary.map((l) => `  ${l}`).join("\n")}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${result.run.results.length} benchmarks in ${seconds} s; run JSON: ${flags.json ?? LAST_RUN_FILE}`);
  return result.interrupted ? 130 : 0;
}
