/**
 * What an output is (--csv, --html, --markdown, ...): its flag, what it
 * needs to be made from and how it renders, in the shape of the lookup
 * strategies' operations table. The commands make their flags, help, path
 * checks and writes from the list in outputs.ts, so an output is declared
 * once, and every output renders from the one comparison its command made.
 */
import type { HistoryRecord } from "../contract/history-record.js";
import type { Comparison } from "../contract/comparison.js";
import type { Run } from "../contract/run-document.js";
import type { Headline, Suite } from "../contract/suite.js";

/** What a command hands every output it was asked for. */
export interface ReportInputs {
  /** The run: bench's, compare's NEW, ab's head build's; null for a comparison file given to `report`. */
  run: Run | null;
  /** Made once by the command (compareRuns, or ab's rounds), with its thresholds; null when nothing was compared. */
  comparison: Comparison | null;
  /** The comparison's old run when it is a stored run (bench --compare, compare, report OLD RUN): its samples draw distributions. */
  baseline: Run | null;
  /** The history's records (bench --history, report --history) for the trends. */
  history: HistoryRecord[] | null;
  /** The suites' headline figures (bench's run); absent where the command has no suites. */
  headlines?: readonly Headline[];
  /** The suites (the registry, bench/index.ts) the run's results are looked up in: each one's report hook draws its section of a page. */
  suites: readonly Suite[];
}

/** A run, a comparison, or either (an HTML page of whichever there is). */
export type Needs = "run" | "comparison" | "either";

type Given = { run: { run: Run }; comparison: { comparison: Comparison }; either: unknown };

/** An output of the registry: its flag, what it needs (a run, a comparison or either) and how it renders. */
export interface OutputFormat<N extends Needs = Needs> {
  /** The flag without dashes ("gh-action"); it takes a FILE ("-": standard output). */
  readonly flag: string;
  readonly needs: N;
  /** The flag's --help text; "\n" starts a continuation line. */
  readonly help: string;
  /** The file's whole text; called only when what the output needs is there. */
  render(inputs: ReportInputs & Given[N]): string;
}
