// `aio-ring-bench report RUN.json [--history FILE] --html FILE`: renders a run
// (and optionally its history) as one self-contained HTML file.
import { UserError } from "../contract/errors.js";
import { type HistoryRecord, readHistory } from "../bench/history.js";
import { readRunFile } from "../bench/run-schema.js";
import { writeHtmlReport } from "../report/html.js";
import { parseCommand, type CommandSpec } from "./args.js";
import { pathFlag, percentFlag } from "./flag-values.js";
import { STDOUT, checkOutput } from "../util/files.js";
import { printable } from "../util/printable.js";

export const spec: CommandSpec = {
  name: "report",
  usage: "aio-ring-bench report [OLD.json] RUN.json --html FILE [--history FILE]",
  description: `Writes one self-contained HTML file (no network access) from a run: a chart
per suite with the 95% interval of every median (lookup and remap per strategy
vs N, with the kernel's mremap on the same axes; criu-restore per restore vs N;
throughput as ops/s vs workers beside ideal scaling), the run context and every
result. Given OLD.json before it, it adds the comparison of OLD with RUN (old vs new
per benchmark, coloured by verdict); given a history file, the trends, with a
picker to find one benchmark among hundreds. A FILE of "-" is standard output.`,
  flags: [
    { name: "html", type: "string", arg: "FILE", help: "the HTML file to write (required)" },
    { name: "history", type: "string", arg: "FILE", help: "history file (JSON lines) for the trends section" },
    { name: "threshold", type: "string", arg: "PCT", help: "smallest change that counts in the comparison, in percent\n(default 5)" },
  ],
  exitCodes: "0 written, 2 bad input (a missing or invalid run or history file, no --html)",
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length < 1 || positionals.length > 2)
    throw new UserError(`report: expected [OLD.json] RUN.json, got ${positionals.length} files (see --help)`);
  const html = pathFlag("html", values.html);
  if (html === undefined) throw new UserError("report: --html FILE is required (see --help)");
  const historyFile = pathFlag("history", values.history);
  checkOutput(html, "--html");
  const threshold = percentFlag("threshold", values.threshold);
  const baseline = positionals.length === 2 ? readRunFile(positionals[0]) : undefined;
  const doc = readRunFile(positionals[positionals.length - 1]);
  let history: HistoryRecord[] | undefined;
  if (historyFile !== undefined) {
    const read = readHistory(historyFile);
    // Bad lines are skipped, not fatal: one torn record must not hide the rest of the trend.
    for (const w of read.warnings) console.error(`aio-ring-bench: warning: ${printable(w, true)}`);
    history = read.records;
  }
  writeHtmlReport(html, doc, { history, baseline, threshold });
  if (html !== STDOUT) console.log(`wrote ${html}`);
  return 0;
}
