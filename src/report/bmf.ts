/**
 * Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format/):
 * { "<benchmark id>": { "latency": { value, lower_value, upper_value } } },
 * values in nanoseconds. Unavailable results are left out: never a number.
 */
import { medianSummary } from "../bench/measure.js";
import type { Run } from "../bench/run-schema.js";

export interface BmfMetric {
  value: number;
  lower_value: number;
  upper_value: number;
}

export type Bmf = Record<string, { latency: BmfMetric }>;

/** Latency of every measured result: median with its 95% interval, ns per operation. */
export function toBmf(run: Run): Bmf {
  const out: Bmf = {};
  for (const r of run.results) {
    if (r.status) continue;
    const m = medianSummary(r);
    out[r.id] = { latency: { value: m.median, lower_value: m.lower, upper_value: m.upper } };
  }
  return out;
}
