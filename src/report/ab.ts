/**
 * `ab` written up: the rounds measured by src/bench/ab-rounds.ts become a
 * comparison (the verdict of each benchmark from its cycles, by the
 * anytime-valid rule of src/stats/sequential-ab.ts, beside its exact
 * counters) and a run document of the head side. A control that differs
 * means the machine is too noisy for that benchmark, never a verdict on the
 * code.
 */
import { median } from "simple-statistics";
import { COMPARISON_SCHEMA_ID, type Comparison, type ComparisonEntry } from "../contract/comparison.js";
import { sortEntries } from "./compare.js";
import { countersVerdict, counterChanges, DEFAULT_COUNTER_THRESHOLD } from "../stats/counter-changes.js";
import { DEFAULT_DECISION } from "../stats/decision.js";
import { sequentialDecision, type SequentialDecision } from "../stats/sequential-ab.js";
import { runProvenance } from "../bench/machine.js";
import { INSTRUCTIONS_COUNTER } from "../bench/runner.js";
import { measureAb, type AbPair, type AbRoundsOptions } from "../bench/ab-rounds.js";
import type { GitInfo, Run, RunResult } from "../contract/run-document.js";
import { summarize } from "../stats/summary.js";
import type { TimedCase } from "../contract/suite.js";

export interface AbOptions extends AbRoundsOptions {
  counterThreshold?: number;
  /** Git commits of the two sides for the comparison's header (absent: this checkout's). */
  commits?: { base?: GitInfo; head?: GitInfo };
}

/** What an A/B gave: the comparison (one verdict per benchmark), the head build as a run, rounds, time, and what stayed undecided. */
export interface AbResult {
  comparison: Comparison;
  /** The head side as a run document (samples: one per round, ns/op), for BMF and gh-action exports. */
  headRun: Run;
  rounds: number;
  /** The fixed rounds per benchmark (runs), or null when they ran until decided or out of budget. */
  runs: number | null;
  elapsedMs: number;
  /** Ids of the benchmarks still undecided when the run ended ("too noisy"). */
  undecided: string[];
  /** Ids of the benchmarks whose control pair differed: the machine, not the code. */
  controlDiffered: string[];
  interrupted: boolean;
}

function resultOf(p: AbPair, values: number[], counters: Record<string, number>): RunResult {
  const [suite] = p.id.split("/");
  const c = p.sides[1];
  return {
    id: p.id,
    suite,
    case: c.case,
    params: c.params,
    backend: c.backend,
    unit: "ns/op",
    group: c.group ?? null,
    reference: c.reference ?? false,
    samples: values,
    stats: summarize(values),
    counters,
    complexity: null,
    round_sizes: values.map(() => 1),
  };
}

export async function runAb(opts: AbOptions): Promise<AbResult> {
  const m = await measureAb(opts);
  const { pairs, withControl, interrupted, rounds, runs, elapsedMs, minCycles, runAlpha, alpha } = m;
  const t = m.threshold;
  const counterThreshold = opts.counterThreshold ?? DEFAULT_COUNTER_THRESHOLD;
  const seqOpts = { threshold: t, alpha, minCycles };
  const empty = {
    oldMedianNs: null,
    newMedianNs: null,
    oldN: 0,
    newN: 0,
    change: null,
    ci: null,
    p: null,
    counterChanges: [],
    counterVerdict: "unchanged" as const,
  };
  const entries: ComparisonEntry[] = m.skipped.map(({ id, reason }) => ({ id, ...empty, verdict: "not comparable", reason }));
  const ended = interrupted ? "interrupted" : runs === null ? "budget" : "runs";
  const headResults: RunResult[] = [];
  const undecided: string[] = [];
  const controlDiffered: string[] = [];
  for (const p of pairs) {
    if (p.notComparable !== null) {
      entries.push({ id: p.id, ...empty, verdict: "not comparable", reason: p.notComparable });
      continue;
    }
    const exact = (c: TimedCase) => ({ ...c.counters?.(), ...(c.instructions ? { [INSTRUCTIONS_COUNTER]: c.instructions() } : {}) });
    const ca = exact(p.sides[0]),
      cb = exact(p.sides[1]);
    const changes = counterChanges(ca, cb, counterThreshold);
    const d: SequentialDecision = sequentialDecision(p.logs, withControl ? p.controlLogs : null, seqOpts, p.decided ? null : ended);
    if (d.controlDiffers) controlDiffered.push(p.id);
    else if (!p.decided && !d.settled) undecided.push(p.id);
    const aValues = p.values.map((v) => v[0]),
      bValues = p.values.map((v) => v[1]);
    // Old is the base's median; new is old moved by the paired estimate, so the columns and the change agree.
    const oldMedianNs = aValues.length ? median(aValues) : null;
    entries.push({
      id: p.id,
      oldMedianNs,
      newMedianNs: oldMedianNs !== null && d.change !== null ? oldMedianNs * (1 + d.change) : null,
      oldN: aValues.length,
      newN: bValues.length,
      verdict: d.verdict,
      change: d.change,
      ci: d.ci,
      p: d.p,
      reason: d.reason,
      counterChanges: changes,
      counterVerdict: countersVerdict(changes),
      samples: { old: aValues, new: bValues },
      cycleRatios: p.logs.map(Math.exp),
      ...(withControl && d.control ? { control: { ...d.control, cycleRatios: p.controlLogs.map(Math.exp) } } : {}),
    });
    if (bValues.length >= 2) headResults.push(resultOf(p, bValues, cb));
  }
  const provenance = runProvenance(m.started);
  const summary = (label: string, git: GitInfo | undefined) => ({
    source: label,
    started: provenance.started,
    git: git ?? provenance.git,
    toolVersion: provenance.tool.version,
    machine: provenance.machine,
  });
  const comparison: Comparison = {
    schema: COMPARISON_SCHEMA_ID,
    kind: "ab",
    ab: {
      rounds,
      elapsedMs,
      budgetMs: opts.budgetMs,
      ...(runs === null ? {} : { runs }),
      minCycles,
      undecided: undecided.length,
      interrupted,
      alpha: runAlpha,
      controlDiffered: controlDiffered.length,
    },
    old: summary(`base ${opts.base.label}`, opts.commits?.base),
    new: summary(`head ${opts.head.label}`, opts.commits?.head),
    machineDifferences: [],
    options: { ...DEFAULT_DECISION, alpha, threshold: t, minSamples: minCycles },
    counterThreshold,
    entries: sortEntries(entries),
  };
  const headRun: Run = {
    ...provenance,
    config: {
      command: "ab",
      base: opts.base.label,
      head: opts.head.label,
      control: opts.control?.label ?? null,
      threshold: t,
      counter_threshold: counterThreshold,
      alpha: runAlpha,
      budget_ms: opts.budgetMs,
      rounds,
      ...(runs === null ? {} : { runs }),
      ...(opts.warmup == null ? {} : { warmup: opts.warmup }),
      interrupted,
      quick: opts.quick,
      full: opts.full,
      sizes: opts.sizes,
      filter: opts.filter?.source ?? null,
    },
    results: headResults,
  };
  return { comparison, headRun, rounds, runs, elapsedMs, undecided, controlDiffered, interrupted };
}
