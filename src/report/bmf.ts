/**
 * Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format/):
 * { "<benchmark id>": { "<measure>": { value, lower_value?, upper_value? } } },
 * one measure per metric: `latency` (median ns per operation with its 95%
 * interval), one per exact counter under the counter's name (WASM
 * instructions, slots or nodes visited per operation: a single exact value),
 * and `throughput` (operations per second) where a suite measured it.
 * Unavailable results are left out: never a number.
 */
import { medianSummary } from "../bench/measure.js";
import type { Run } from "../contract/run-document.js";
import type { OutputFormat } from "./output-format.js";

export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

export type Bmf = Record<string, Record<string, BmfMetric>>;

/** The measurement a suite reports as throughput (ops/s of the whole pool). */
export const THROUGHPUT_MEASUREMENT = "ops_per_s_total";

export function toBmf(run: Run): Bmf {
  const out: Bmf = {};
  for (const r of run.results) {
    if (r.status) continue;
    const m = medianSummary(r);
    const metrics: Record<string, BmfMetric> = { latency: { value: m.median, lower_value: m.lower, upper_value: m.upper } };
    for (const [name, value] of Object.entries(r.counters)) metrics[name] = { value };
    const throughput = (r.measurements as Record<string, number> | undefined)?.[THROUGHPUT_MEASUREMENT];
    if (typeof throughput === "number") metrics.throughput = { value: throughput };
    out[r.id] = metrics;
  }
  return out;
}

export const bmf: OutputFormat<"run"> = {
  flag: "bmf",
  needs: "run",
  help: "write the run as Bencher Metric Format JSON",
  render: ({ run }) => `${JSON.stringify(toBmf(run), null, 2)}\n`,
};
