/** `aio-ring-bench history`: per-benchmark trends, step changes and counter changes over the history file. */
import { median } from "simple-statistics";
import { readRunFile } from "../bench/run-file.js";
import { appendHistory, defaultHistoryFile, readHistory } from "../bench/history.js";
import { ensureStateDir } from "../bench/state.js";
import { historyTrends, type BenchmarkTrend } from "../bench/trends.js";
import { formatCounterChanges } from "../stats/counter-changes.js";
import { formatNs, formatPct } from "../report/format.js";
import { checkOutputs } from "../util/output-plan.js";
import { printable } from "../util/printable.js";
import { noPositionals, parseCommand, type CommandSpec } from "./args.js";
import { pathFlag, percentFlag } from "./flag-values.js";
import { renderTable, type Column } from "../report/text-table.js";
import { colorEnabled, terminalWidth } from "../util/terminal.js";

export const spec: CommandSpec = {
  name: "history",
  usage: "aio-ring-bench history [options]",
  description: `Per-benchmark trends over a history file (JSON lines, one run each): the
median of the earliest and of the most recent runs, the change between them,
step changes between consecutive runs and exact counter changes.`,
  flags: [
    {
      name: "file",
      type: "string",
      arg: "FILE",
      help: "history file (default $AIO_RING_BENCH_HOME/history.jsonl,\nhome defaulting to .aio-ring-bench/ at the project root)",
    },
    { name: "append", type: "string", arg: "RUN.json", help: "append this run to the history first" },
    { name: "threshold", type: "string", arg: "PCT", help: "smallest step that counts, in percent (default 5)" },
    {
      name: "counter-threshold",
      type: "string",
      arg: "PCT",
      help: "smallest exact-counter change marked as a regression\nor improvement, in percent (default 1)",
    },
    { name: "json", type: "boolean", help: "print the trends as JSON instead of a table" },
  ],
  exitCodes: "0 ok, 2 bad input (a missing or unreadable history or run file)",
  notes: `columns: runs = runs holding the benchmark; early = median of its first up to 3
runs' medians; recent = the same of its last up to 3; change = recent / early - 1;
steps = step changes between runs (verdict, change, run number, commit).`,
};

const short = (commit: string | null): string => (commit ? commit.slice(0, 10) : "no git");

function renderTrends(trends: readonly BenchmarkTrend[], opts: { width: number; color: boolean }): string {
  const columns: Column[] = [
    { header: "benchmark", min: 24, cut: "key" },
    { header: "runs", align: "right" },
    { header: "early", align: "right" },
    { header: "recent", align: "right" },
    { header: "change", align: "right" },
    { header: "steps", min: 12, drop: 2 },
    { header: "counter changes", min: 16, drop: 3 },
  ];
  const rows = trends.map((t) => {
    const k = Math.min(3, Math.floor(t.points.length / 2));
    const mid = (ps: typeof t.points) => (ps.length ? formatNs(median(ps.map((p) => p.median))) : "-");
    // Ids come from the history file: no raw control characters reach the terminal.
    return [
      printable(t.id, true),
      String(t.points.length),
      k ? mid(t.points.slice(0, k)) : "-",
      k ? mid(t.points.slice(-k)) : "-",
      t.change === null ? "-" : formatPct(t.change),
      t.steps
        .map((s) => `${s.verdict} ${formatPct(s.change)} at run ${s.record + 1} (${short(s.commit)})${s.machineChanged ? " [machine changed]" : ""}`)
        .join("; ") || "-",
      printable(t.counterSteps.map((c) => `run ${c.record + 1} (${short(c.commit)}): ${formatCounterChanges(c.changes)}`).join("; "), true) || "-",
    ];
  });
  const table = renderTable(columns, rows, opts.width, opts.color);
  return table.hidden.length ? `${table.text}\n(hidden to fit ${opts.width} columns: ${table.hidden.join(", ")}; see --json)` : table.text;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("history", positionals);
  const threshold = percentFlag("threshold", values.threshold);
  const given = pathFlag("file", values.file);
  const file = given ?? defaultHistoryFile();
  const append = pathFlag("append", values.append);
  if (append !== undefined) {
    if (given === undefined) ensureStateDir();
    checkOutputs([{ name: "--file", path: file, stdoutOk: false }], [{ name: "--append", path: append }]);
    appendHistory(file, readRunFile(append));
    console.error(`appended ${append} to ${file}`);
  }
  const { records, warnings } = readHistory(file);
  for (const w of warnings) console.error(`warning: ${printable(w, true)}`);
  const counterThreshold = percentFlag("counter-threshold", values["counter-threshold"]);
  const trends = historyTrends(records, { threshold, counterThreshold });
  if (values.json) console.log(JSON.stringify({ file, runs: records.length, warnings, trends }, null, 2));
  else {
    console.log(`${file}: ${records.length} runs`);
    console.log(renderTrends(trends, { width: terminalWidth(), color: colorEnabled() }));
  }
  return 0;
}
