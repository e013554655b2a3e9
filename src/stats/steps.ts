/**
 * Step changes in a series of per-run medians (oldest first): the shared
 * decision rule applied to the runs before vs after each point, one step kept
 * per run of adjacent candidates. `history` and the HTML report both mark the
 * steps this finds.
 */
import { median } from "simple-statistics";
import { seedFromString } from "../util/prng.js";
import { decide } from "./decision.js";
import type { DecisionOptions } from "../contract/comparison.js";
import { mannWhitneyU } from "./rank-tests.js";

/**
 * Fewest runs on each side of a step. With 3 after and >= 5 before, the
 * Mann-Whitney test can reach p < 0.05, so a step is flagged 3 runs after it
 * happened; fewer runs cannot separate a step from one noisy run.
 */
export const MIN_STEP_SIDE = 3;

/** Runs compared on each side of a candidate step, at most. */
export const DEFAULT_STEP_WINDOW = 8;

export interface Step {
  /** Index in the series of the first run after the step. */
  at: number;
  verdict: "regressed" | "improved";
  /** Median of the window before and after. */
  before: number;
  after: number;
  change: number;
  ci: [number, number];
  p: number;
}

/**
 * The steps of `series`. `key` names the series: with the candidate's index
 * it seeds each bootstrap, so the same series always gives the same steps.
 * `opts.minSamples` should be MIN_STEP_SIDE; `window` (runs on each side, at
 * most) must be an integer >= MIN_STEP_SIDE.
 */
export function detectSteps(series: readonly number[], key: string, opts: DecisionOptions, window: number = DEFAULT_STEP_WINDOW): Step[] {
  if (!Number.isInteger(window) || window < MIN_STEP_SIDE) throw new RangeError(`window must be an integer >= ${MIN_STEP_SIDE}, got ${window}`);
  const candidates: Step[] = [];
  for (let i = MIN_STEP_SIDE; i + MIN_STEP_SIDE <= series.length; i++) {
    const before = series.slice(Math.max(0, i - window), i);
    const after = series.slice(i, i + window);
    // Cheap screen first: decide() flags a step only if both hold, and its bootstrap is the costly part.
    const rough = median(after) / median(before) - 1;
    if (Math.abs(rough) < opts.threshold || mannWhitneyU(before, after).p >= opts.alpha) continue;
    const d = decide(before, after, opts, seedFromString(`${key}@${i}`));
    if ((d.verdict !== "regressed" && d.verdict !== "improved") || d.change === null || d.ci === null || d.p === null) continue;
    candidates.push({ at: i, verdict: d.verdict, before: median(before), after: median(after), change: d.change, ci: d.ci, p: d.p });
  }
  // One step makes its neighbours significant too: keep the strongest (smallest p,
  // then largest change) of each run of adjacent candidates with the same verdict.
  const steps: Step[] = [];
  let group: Step[] = [];
  const flush = (): void => {
    if (group.length) steps.push(group.reduce((best, c) => (c.p < best.p || (c.p === best.p && Math.abs(c.change) > Math.abs(best.change)) ? c : best)));
    group = [];
  };
  for (const c of candidates) {
    const prev = group[group.length - 1];
    if (prev && (c.at !== prev.at + 1 || c.verdict !== prev.verdict)) flush();
    group.push(c);
  }
  flush();
  return steps;
}
