/** `aio-ring-bench history`: per-benchmark trends, step changes and counter changes over the history file. */
import Table from "cli-table3";
import { readRunFile } from "../bench/run-schema.js";
import { appendHistory, defaultHistoryFile, readHistory } from "../bench/history.js";
import { historyTrends, type BenchmarkTrend } from "../bench/trends.js";
import { formatCounterChanges } from "../bench/counters.js";
import { formatNs, formatPct } from "../report/format.js";
import { printable } from "../util/printable.js";
import { noPositionals, parseCommandArgs, pathFlag } from "./args.js";
import { parsePercentFlag } from "./percent-flag.js";

const USAGE = `usage: aio-ring-bench history [options]

  --file FILE        history file (JSON lines; default $AIO_RING_BENCH_HOME/history.jsonl,
                     home defaulting to .aio-ring-bench/ at the project root)
  --append RUN.json  append this run to the history first
  --threshold PCT    smallest step that counts, in percent (default 5)
  --counter-threshold PCT  smallest exact-counter change marked as a regression
                     or improvement, in percent (default 1)
  --json             print the trends as JSON instead of a table
  -h, --help         show this help`;

const short = (commit: string | null): string => (commit ? commit.slice(0, 10) : "no git");

function renderTrends(trends: readonly BenchmarkTrend[]): string {
  const table = new Table({ head: ["benchmark", "runs", "first", "latest", "drift", "step changes", "counter changes"], style: { head: [], border: [] } });
  for (const t of trends) {
    const first = t.points[0], latest = t.points[t.points.length - 1];
    table.push([
      t.id,
      String(t.points.length),
      first ? formatNs(first.median) : "-",
      latest ? formatNs(latest.median) : "-",
      t.change === null ? "-" : formatPct(t.change),
      t.steps.map((s) => `${s.verdict} ${formatPct(s.change)} at run ${s.record + 1} (${short(s.commit)})${s.machineChanged ? " [machine changed]" : ""}`).join("\n") || "-",
      t.counterSteps.map((c) => `run ${c.record + 1} (${short(c.commit)}): ${formatCounterChanges(c.changes)}`).join("\n") || "-",
    ]);
  }
  // Ids come from the history file: no raw control characters reach the terminal.
  return printable(table.toString());
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    file: { type: "string" },
    append: { type: "string" },
    threshold: { type: "string" },
    "counter-threshold": { type: "string" },
    json: { type: "boolean" },
  }, USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("history", positionals);
  const threshold = values.threshold === undefined ? undefined : parsePercentFlag("--threshold", values.threshold);
  const file = pathFlag("file", values.file) ?? defaultHistoryFile();
  const append = pathFlag("append", values.append);
  if (append !== undefined) {
    appendHistory(file, readRunFile(append));
    console.error(`appended ${append} to ${file}`);
  }
  const { records, warnings } = readHistory(file);
  for (const w of warnings) console.error(`warning: ${printable(w, true)}`);
  const counterThreshold = values["counter-threshold"] === undefined ? undefined : parsePercentFlag("--counter-threshold", values["counter-threshold"]);
  const trends = historyTrends(records, { threshold, counterThreshold });
  if (values.json) console.log(JSON.stringify({ file, runs: records.length, warnings, trends }, null, 2));
  else {
    console.log(`${file}: ${records.length} runs`);
    console.log(renderTrends(trends));
  }
  return 0;
}
