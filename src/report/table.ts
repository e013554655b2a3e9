// The terminal table of a bench run: per suite, median per op with its
// spread, the ratio to the group's reference row, counters and fitted
// complexity. Plain text when not on a TTY (no colour codes in logs).
import Table from "cli-table3";
import type { Run, RunResult } from "../bench/run-schema.js";
import { formatNs } from "./format.js";

/** The first few counters (all of them are in the run JSON). */
function fmtCounters(c: Record<string, number>): string {
  const entries = Object.entries(c);
  const shown = entries
    .slice(0, 3)
    .map(([k, v]) => `${k.replace(/_per_(op|restore)$/, "/$1").replace(/_/g, " ")} ${Number.isInteger(v) ? v : v.toPrecision(4)}`);
  return entries.length > 3 ? `${shown.join(", ")} (+${entries.length - 3} in JSON)` : shown.join(", ");
}

const groupKey = (r: RunResult) => `${r.suite}|${r.group ?? ""}`;

/** Ratio of each row's median to its group's reference row ("1.00x" for the reference itself). */
function ratios(results: RunResult[]): Map<string, string> {
  const refs = new Map<string, number>();
  for (const r of results) if (r.reference === true && r.stats) refs.set(groupKey(r), r.stats.median);
  const out = new Map<string, string>();
  for (const r of results) {
    const ref = refs.get(groupKey(r));
    if (ref !== undefined && r.stats) out.set(r.id, `${(r.stats.median / ref).toFixed(2)}x`);
  }
  return out;
}

export function renderRunTable(run: Run, color: boolean): string {
  const ratio = ratios(run.results);
  const out: string[] = [];
  for (const suite of new Set(run.results.map((r) => r.suite))) {
    const table = new Table({
      head: ["case", "backend", "params", "median/op", "±rme", "vs ref", "counters", "fit"],
      style: color ? { head: ["cyan"] } : { head: [], border: [] },
    });
    for (const r of run.results.filter((x) => x.suite === suite)) {
      const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(" ");
      if (r.status) {
        table.push([r.case, r.backend, params, { colSpan: 5, content: `not measured: ${r.status.unavailable}` }]);
        continue;
      }
      const s = r.stats!;
      table.push([r.case, r.backend, params, formatNs(s.median), `${s.rme.toFixed(1)}%`, ratio.get(r.id) ?? "", fmtCounters({ ...r.counters, ...(r.measurements as Record<string, number> | undefined) }), r.complexity?.big_o ?? ""]);
    }
    out.push(`${suite}\n${table.toString()}`);
  }
  return out.join("\n\n");
}
