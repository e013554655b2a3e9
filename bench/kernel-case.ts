// Kernel rows: a case measured by the probe's timing loops on the live
// kernel, or shown as unavailable with the reason when there is no probe
// or no AIO here.
import { kernelAvailability, runKernelTiming, type KernelLoop, type KernelTimingParams } from "../src/kernel/probe.js";
import type { BenchCase, MeasuredSamples, Params, RoundsCase } from "../src/contract/suite.js";

/** Operations per sample for a budget, given a rough cost per operation. */
export function iterationsFor(budgetMs: number, samples: number, nsPerOp: number): number {
  return Math.max(1, Math.floor((budgetMs * 1e6) / samples / nsPerOp));
}

/** Samples per round of a probe timing loop: one probe process per round gives this many. */
const ROUND_SAMPLES = 4;
/** Samples of a probe timing loop measured once. */
const ONCE_SAMPLES = 20;

/** `samples` samples of a probe timing loop sized to take about `budgetMs` in all. */
function probeTiming(loop: KernelLoop, timing: KernelTimingParams, nsPerOp: number, samples: number, probe?: string) {
  return async (budgetMs: number): Promise<MeasuredSamples> => {
    const iterations = iterationsFor(budgetMs, samples, nsPerOp);
    const t = await runKernelTiming(loop, { samples, iterations, ...timing }, probe);
    return { samples: t.samples, opsPerSample: t.iterations };
  };
}

/**
 * One probe timing loop per round of the runner: `ROUND_SAMPLES` samples of
 * the same size every round, interleaved with the suite's WASM cases, so a
 * ratio between this row and theirs pairs moments, not whole runs.
 */
export function probeRound(loop: KernelLoop, timing: KernelTimingParams, nsPerOp: number, probe?: string): RoundsCase["round"] {
  return probeTiming(loop, timing, nsPerOp, ROUND_SAMPLES, probe);
}

export function kernelCase(
  name: string,
  params: Params,
  loop: KernelLoop,
  timing: KernelTimingParams,
  /** Rough ns per operation, to size the loop to the time budget. */
  nsPerOp: number,
  extra: { group?: string; reference?: boolean } = {},
  /**
   * Measured once instead of per round: for loops whose setup in each probe
   * process (thousands of contexts) would cost more than a round's budget.
   */
  once = false,
): BenchCase {
  const avail = kernelAvailability();
  const base = { case: name, params, backend: "kernel", ...extra };
  if (!avail.available) return { ...base, kind: "unavailable", reason: avail.reason ?? "kernel backend unavailable" };
  return once
    ? { ...base, kind: "measured", measure: probeTiming(loop, timing, nsPerOp, ONCE_SAMPLES) }
    : { ...base, kind: "rounds", round: probeRound(loop, timing, nsPerOp) };
}
