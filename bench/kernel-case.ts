// Kernel rows: a case measured by the probe's timing loops on the live
// kernel, or shown as unavailable with the reason when there is no probe
// or no AIO here.
import { kernelAvailability, runKernelTiming, type KernelLoop, type KernelTimingParams } from "../src/kernel/probe.js";
import type { BenchCase, Params } from "../src/contract/suite.js";

/** Operations per sample for a budget, given a rough cost per operation. */
export function iterationsFor(budgetMs: number, samples: number, nsPerOp: number): number {
  return Math.max(1, Math.floor((budgetMs * 1e6) / samples / nsPerOp));
}

/** Samples per probe timing loop. */
export const SAMPLES = 20;

export function kernelCase(
  name: string,
  params: Params,
  loop: KernelLoop,
  timing: KernelTimingParams,
  /** Rough ns per operation, to size the loop to the time budget. */
  nsPerOp: number,
  extra: { group?: string; reference?: boolean } = {},
): BenchCase {
  const avail = kernelAvailability();
  const base = { case: name, params, backend: "kernel", ...extra };
  if (!avail.available) return { ...base, kind: "unavailable", reason: avail.reason ?? "kernel backend unavailable" };
  return {
    ...base,
    kind: "measured",
    async measure(budgetMs) {
      const samples = SAMPLES;
      const iterations = iterationsFor(budgetMs, samples, nsPerOp);
      const t = await runKernelTiming(loop, { samples, iterations, ...timing });
      return { samples: t.samples, opsPerSample: iterations };
    },
  };
}
