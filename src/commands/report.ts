// `aio-ring-bench report RUN.json [--history FILE] --html FILE`: renders a run
// (and optionally its history) as one self-contained HTML file.
import { UserError } from "../contract/errors.js";
import { type HistoryRecord, readHistory } from "../bench/history.js";
import { readRunFile } from "../bench/run-schema.js";
import { writeHtmlReport } from "../report/html.js";
import { parseCommandArgs } from "./args.js";

const USAGE = "usage: aio-ring-bench report RUN.json [--history FILE] --html FILE";

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    history: { type: "string" },
    html: { type: "string" },
  }, USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UserError(`expected one run file, got ${positionals.length} (${USAGE})`);
  if (values.html === undefined) throw new UserError(`--html FILE is required (${USAGE})`);
  const doc = readRunFile(positionals[0]!);
  let history: HistoryRecord[] | undefined;
  if (values.history !== undefined) {
    const read = readHistory(values.history);
    // Bad lines are skipped, not fatal: one torn record must not hide the rest of the trend.
    for (const w of read.warnings) console.error(`aio-ring-bench: warning: ${w}`);
    history = read.records;
  }
  writeHtmlReport(values.html, doc, { history });
  console.log(`wrote ${values.html}`);
  return 0;
}
