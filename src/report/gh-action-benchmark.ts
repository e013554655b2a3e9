/**
 * github-action-benchmark "customSmallerIsBetter" input:
 * [{ name, unit, value, range, extra }], value the median in ns per
 * operation. Unavailable results are left out: never a number.
 */
import { medianSummary } from "../bench/measure.js";
import type { Run } from "../bench/run-schema.js";

export interface GhActionBenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  /** Half-width of the 95% interval of the median, as the action shows it: "± 12.3". */
  range: string;
  /** Sample count, interval, backend and counters, shown in the chart tooltip. */
  extra: string;
}

const round = (x: number): number => Number(x.toPrecision(6));

export function toGhActionBenchmark(run: Run): GhActionBenchmarkEntry[] {
  return run.results
    .filter((r) => !r.status)
    .map((r) => {
      const m = medianSummary(r);
      const counters = Object.entries(r.counters).map(([k, v]) => `${k}=${v}`).join(" ");
      return {
        name: r.id,
        unit: "ns/op",
        value: m.median,
        range: `± ${round(Math.max(m.upper - m.median, m.median - m.lower))}`,
        extra: [`n=${m.n} samples`, `95% CI [${round(m.lower)}, ${round(m.upper)}] ns`, `backend=${r.backend}`, ...(counters ? [counters] : [])].join("; "),
      };
    });
}
