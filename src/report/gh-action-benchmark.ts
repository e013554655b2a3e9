/**
 * github-action-benchmark "customSmallerIsBetter" input:
 * [{ name, unit, value, range?, extra }], one entry per gated metric of
 * each measured benchmark: its median time (name = the benchmark id, ns per
 * operation, with the 95% interval as the range) and each exact counter
 * (name "<id> <counter>", unit the counter's, no range: it is exact).
 * Unavailable results are left out: never a number.
 */
import { medianSummary } from "../bench/measure.js";
import type { Run } from "../contract/run-document.js";
import type { OutputFormat } from "./output-format.js";

export interface GhActionBenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  /** Half-width of the 95% interval of the median, as the action shows it: "± 12.3"; absent for exact counters. */
  range?: string;
  /** Sample count, interval and backend, shown in the chart tooltip. */
  extra: string;
}

const round = (x: number): number => Number(x.toPrecision(6));

/** "wasm_instructions_per_op" -> "wasm instructions/op". */
export function counterUnit(name: string): string {
  return name.replace(/_per_(op|restore)$/, "/$1").replace(/_/g, " ");
}

export function toGhActionBenchmark(run: Run): GhActionBenchmarkEntry[] {
  return run.results
    .filter((r) => !r.status)
    .flatMap((r) => {
      const m = medianSummary(r);
      const time: GhActionBenchmarkEntry = {
        name: r.id,
        unit: "ns/op",
        value: m.median,
        range: `± ${round(Math.max(m.upper - m.median, m.median - m.lower))}`,
        extra: [`n=${m.n} samples`, `95% CI [${round(m.lower)}, ${round(m.upper)}] ns`, `backend=${r.backend}`].join("; "),
      };
      const exact = Object.entries(r.counters).map(([name, value]) => ({
        name: `${r.id} ${name}`,
        unit: counterUnit(name),
        value,
        extra: `exact counter (gated at the counter threshold); backend=${r.backend}`,
      }));
      return [time, ...exact];
    });
}

export const ghAction: OutputFormat<"run"> = {
  flag: "gh-action",
  needs: "run",
  help: "write the run as github-action-benchmark customSmallerIsBetter JSON",
  render: ({ run }) => `${JSON.stringify(toGhActionBenchmark(run), null, 2)}\n`,
};
