/**
 * `ab` for the library: two revisions of this checkout (git refs, or the
 * working tree) built and timed against each other in one process, as the
 * `ab` command does; the command only parses flags and prints.
 */
import { buildRevision, defaultBase, resolveSource, type ResolvedSource, type SourceSpec } from "../bench/wasm-source-build.js";
import { runAb, type AbOptions, type AbResult } from "../report/ab.js";
import { benchRunOptions, type BenchOptions } from "./bench.js";

/** Options of {@link abRevisions}; each may be left out. */
export interface AbRevisionsOptions
  extends Pick<BenchOptions, "suites" | "filter" | "quick" | "full" | "sizes" | "timeMs" | "runs" | "warmup">,
    Partial<Pick<AbOptions, "threshold" | "counterThreshold" | "alpha" | "minCycles" | "signal" | "onRound">> {
  /** The old side, a git ref (default: the merge-base of HEAD with main, master or origin/HEAD, else HEAD~1). */
  base?: string;
  /** The new side, a git ref (default: the working tree's files). */
  head?: string;
  /**
   * Wall-clock budget of the rounds in ms (default 60 s). With `runs`
   * (exactly that many rounds per benchmark, each one sample of every side,
   * as bench's runs) the budget is not used; `warmup` is each side's
   * unrecorded batch calls before the first round, as bench's.
   */
  budgetMs?: number;
  /** Told what is built (each build is cached under the state folder afterwards), and which base was chosen by default. */
  onStatus?: (line: string) => void;
}

/** The default budget of the rounds, ms. */
export const AB_BUDGET_MS = 60_000;

/**
 * Builds the WASM modules of both revisions (and a second copy of the
 * base, the control) and times every WASM benchmark of the selection in
 * interleaved rounds until each is decided or the budget runs out (or,
 * with `runs`, for exactly that many rounds).
 * Resolves both refs before building either, so a bad ref fails at once.
 */
export async function abRevisions(options: AbRevisionsOptions = {}): Promise<AbResult> {
  const { base: baseRef, head: headRef, onStatus, budgetMs, suites, filter, quick, full, sizes, timeMs, runs, warmup, ...rest } = options;
  const selection = benchRunOptions({ suites, filter, quick, full, sizes, timeMs, runs, warmup });
  let baseSpec: SourceSpec;
  if (baseRef !== undefined) baseSpec = { kind: "ref", ref: baseRef };
  else {
    const d = defaultBase();
    onStatus?.(`base is ${d.why}`);
    baseSpec = { kind: "ref", ref: d.ref };
  }
  const headSpec: SourceSpec = headRef === undefined ? { kind: "worktree" } : { kind: "ref", ref: headRef };
  const baseSrc = resolveSource(baseSpec);
  const headSrc = resolveSource(headSpec);
  const onBuild = (what: string) => onStatus?.(`building ${what} (cached afterwards)`);
  const base = await buildRevision(baseSrc, [], onBuild, rest.signal);
  const head = await buildRevision(headSrc, [], onBuild, rest.signal);
  // The control: the base's modules compiled a second time, as the head's are.
  const control = await buildRevision(baseSrc, [], onBuild, rest.signal);
  onStatus?.(`base ${base.label}, head ${head.label}, control: a second copy of the base`);
  const commitOf = (s: ResolvedSource) => (s.commit === null ? undefined : { commit: s.commit, dirty: false });
  return runAb({
    ...rest,
    ...selection,
    base,
    head,
    control,
    commits: { base: commitOf(baseSrc), head: commitOf(headSrc) },
    budgetMs: budgetMs ?? AB_BUDGET_MS,
  });
}
