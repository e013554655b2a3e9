// `aio-ring-bench report RUN.json [--history FILE] --html FILE`: renders a run
// (and optionally its history) as one self-contained HTML file.
import { UserError } from "../contract/errors.js";
import { type HistoryRecord, readHistory } from "../bench/history.js";
import { readRunFile } from "../bench/run-schema.js";
import { writeHtmlReport } from "../report/html.js";
import { checkOutput } from "../util/files.js";
import { printable } from "../util/printable.js";
import { parseCommandArgs, pathFlag } from "./args.js";

const USAGE = "usage: aio-ring-bench report RUN.json [--history FILE] --html FILE";

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    history: { type: "string" },
    html: { type: "string" },
  }, USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UserError(`expected one run file, got ${positionals.length} (${USAGE})`);
  const html = pathFlag("html", values.html);
  if (html === undefined) throw new UserError(`--html FILE is required (${USAGE})`);
  const historyFile = pathFlag("history", values.history);
  checkOutput(html, "--html");
  const doc = readRunFile(positionals[0]!);
  let history: HistoryRecord[] | undefined;
  if (historyFile !== undefined) {
    const read = readHistory(historyFile);
    // Bad lines are skipped, not fatal: one torn record must not hide the rest of the trend.
    for (const w of read.warnings) console.error(`aio-ring-bench: warning: ${printable(w, true)}`);
    history = read.records;
  }
  writeHtmlReport(html, doc, { history });
  if (html !== "-") console.log(`wrote ${html}`);
  return 0;
}
