/** `aio-ring-bench compare OLD NEW`: compare two runs (OLD may be a baseline name), print a table, write exports, gate. */
import { loadBaseline } from "../bench/baseline.js";
import { compareRuns, renderComparison } from "../report/compare.js";
import { gate } from "../report/gate.js";
import { checkReportPaths, writeReports, type ReportFiles } from "../report/write-reports.js";
import { UserError } from "../contract/errors.js";
import { parseCommandArgs, pathFlag } from "./args.js";
import { parseGateFlag, parsePercentFlag } from "./percent-flag.js";

const USAGE = `usage: aio-ring-bench compare OLD NEW [options]

  OLD, NEW               run JSON files (schema aio-ring-bench/run@1); either may
                         be the name of a saved baseline
  --threshold PCT        smallest time change that counts, in percent (default 5)
  --counter-threshold PCT  smallest change of an exact counter (WASM instructions,
                         slots visited) that counts, in percent (default 1)
  --fail-on-regression   exit 1 when any benchmark regressed, one of OLD's is missing
                         from NEW, or nothing was measured in both
  --allow-removed        with --fail-on-regression: missing benchmarks do not fail
  --gate all|exact|time  what --fail-on-regression acts on (default all; exact
                         counters do not move with the machine's load)
  --markdown FILE        write a Markdown summary (for a PR comment)
  --bmf FILE             write NEW as Bencher Metric Format JSON
  --gh-action FILE       write NEW as github-action-benchmark customSmallerIsBetter JSON
  --json FILE            write the comparison as JSON
  -h, --help             show this help`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    threshold: { type: "string" },
    "counter-threshold": { type: "string" },
    gate: { type: "string" },
    "fail-on-regression": { type: "boolean" },
    "allow-removed": { type: "boolean" },
    markdown: { type: "string" },
    bmf: { type: "string" },
    "gh-action": { type: "string" },
    json: { type: "string" },
  }, USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UserError(`compare: expected OLD and NEW, got ${positionals.length} argument(s)\n${USAGE}`);
  const threshold = values.threshold === undefined ? undefined : parsePercentFlag("--threshold", values.threshold);
  const counterThreshold = values["counter-threshold"] === undefined ? undefined : parsePercentFlag("--counter-threshold", values["counter-threshold"]);
  const gateOn = parseGateFlag(values.gate);
  if (values["allow-removed"] && !values["fail-on-regression"]) throw new UserError("--allow-removed only changes --fail-on-regression: give both");
  const files: ReportFiles = {
    markdown: pathFlag("markdown", values.markdown), bmf: pathFlag("bmf", values.bmf),
    ghAction: pathFlag("gh-action", values["gh-action"]), json: pathFlag("json", values.json),
  };
  checkReportPaths(files);
  const older = loadBaseline(positionals[0]);
  const newer = loadBaseline(positionals[1]);
  const cmp = compareRuns(older.run, newer.run, { threshold, counterThreshold, oldSource: older.source, newSource: newer.source });
  console.log(renderComparison(cmp));
  for (const path of writeReports(files, newer.run, cmp)) {
    if (path !== "-") console.log(`wrote ${path}`);
  }
  if (!values["fail-on-regression"]) return 0;
  const result = gate(cmp, { allowRemoved: Boolean(values["allow-removed"]), on: gateOn });
  console.log(result.summary);
  return result.failed ? 1 : 0;
}
