// A run as CSV, one row per benchmark: identity, the median with its 95%
// interval, operations per sample, the ratio to the reference row, the
// fitted complexities and every counter (one column each).
import { medianSummary } from "../bench/measure.js";
import type { Complexity, Run, RunResult } from "../contract/run-document.js";
import type { OutputFormat } from "./output-format.js";

/** RFC 4180 field; a leading = + - @ is prefixed with ' so a spreadsheet shows it instead of evaluating it. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const bigO = (c: unknown) => (c ? (c as Complexity).big_o : null);

export function toCsv(run: Run): string {
  const counters = [...new Set(run.results.flatMap((r) => Object.keys(r.counters)))];
  const refs = new Map<string, RunResult>();
  const groupKey = (r: RunResult) => `${r.suite}|${(r.group as string | null | undefined) ?? ""}`;
  for (const r of run.results) if (r.reference === true && r.stats) refs.set(groupKey(r), r);
  const header = [
    "id",
    "suite",
    "case",
    "backend",
    "params",
    "median_ns",
    "ci95_low_ns",
    "ci95_high_ns",
    "samples",
    "ops_per_sample",
    "vs_ref",
    "fit_work",
    "fit_time",
    "unavailable",
    ...counters,
  ];
  const rows = run.results.map((r) => {
    const m = r.stats ? medianSummary(r) : null;
    const ref = refs.get(groupKey(r));
    return [
      r.id,
      r.suite,
      r.case,
      r.backend,
      Object.entries(r.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(" "),
      m?.median ?? null,
      m?.lower ?? null,
      m?.upper ?? null,
      r.samples.length,
      r.ops_per_sample ?? null,
      ref && r.stats ? r.stats.median / ref.stats!.median : null,
      bigO(r.counter_complexity),
      bigO(r.complexity),
      r.status?.unavailable ?? null,
      ...counters.map((c) => r.counters[c] ?? null),
    ]
      .map(csvField)
      .join(",");
  });
  return [header.join(","), ...rows].join("\n") + "\n";
}

export const csv: OutputFormat<"run"> = {
  flag: "csv",
  needs: "run",
  help: "write the run as CSV (median, 95% interval, counters, fits)",
  render: ({ run }) => toCsv(run),
};
