// The terminal table of a bench run, one per suite, sized to the terminal:
// rows grouped by case so each case's scaling over N reads top to bottom;
// parameters that do not vary in the suite move to its title line; the
// median with the 95% interval of the median; the ratio to the reference
// row; the first counters; the complexity fits under the table.
import { medianSummary } from "../bench/measure.js";
import type { Complexity, Run, RunResult } from "../contract/run-document.js";
import { formatNs, formatRatio, formatSi } from "./format.js";
import { renderTable, wrap, type Cell, type Column } from "./text-table.js";

/** Counter columns shown at most; the rest are in the run JSON. */
const MAX_COUNTERS = 3;

export interface TableOptions {
  width: number;
  color: boolean;
  /** Where the fit lines wrap (default: width). */
  proseWidth?: number;
}

/** Short header for a counter: nodes_visited_per_op -> "nodes/op". */
export function counterHeader(name: string): string {
  return name
    .replace(/_visited/, "")
    .replace(/_per_/g, "/")
    .replace(/_/g, " ");
}

export function formatComplexity(c: Complexity | null | undefined, candidates = true): string {
  if (!c) return "-";
  if (c.big_o !== "inconclusive") return c.big_o;
  if (!candidates) return "inconclusive";
  // The two best-fitting curves; the run JSON lists every one that tied.
  const names = (c.candidates ?? []).map((o) => o.slice(2, -1));
  return `inconclusive (${names.slice(0, 2).join(", ")}${names.length > 2 ? ", …" : ""})`;
}

const groupKey = (r: RunResult) => `${r.suite}|${r.group ?? ""}`;

function references(results: RunResult[]): Map<string, RunResult> {
  const refs = new Map<string, RunResult>();
  for (const r of results) if (r.reference === true && r.stats) refs.set(groupKey(r), r);
  return refs;
}

const paramText = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/** Rows of one suite grouped by (case, backend), in order of first appearance. */
function grouped(results: RunResult[]): RunResult[] {
  const order: string[] = [];
  const byKey = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.case}|${r.backend}`;
    if (!byKey.has(key)) {
      byKey.set(key, []);
      order.push(key);
    }
    byKey.get(key)!.push(r);
  }
  return order.flatMap((k) => byKey.get(k)!);
}

function suiteTable(suite: string, results: RunResult[], refs: Map<string, RunResult>, opts: TableOptions): string[] {
  const rows = grouped(results);
  const paramNames = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const varies = (values: unknown[]) => new Set(values.map(paramText)).size > 1;
  const varying = paramNames.filter((p) => varies(rows.map((r) => r.params[p])));
  const fixed = paramNames.filter((p) => !varying.includes(p)).map((p) => `${p}=${paramText(rows[0].params[p])}`);
  const backends = [...new Set(rows.map((r) => r.backend))];
  // Exact counters first, then load-dependent measurements (ops/s ...): both are shown, both are in the run JSON.
  const shownValues = (r: RunResult): Record<string, number> => ({ ...r.counters, ...(r.measurements as Record<string, number> | undefined) });
  const counterNames = [...new Set(rows.flatMap((r) => Object.keys(shownValues(r))))];
  const shownCounters = counterNames.slice(0, MAX_COUNTERS);
  const hasRatio = rows.some((r) => refs.has(groupKey(r)));

  // The first column's header is the suite's name: one header line per suite.
  const columns: Column[] = [{ header: suite, min: 16 }];
  if (backends.length > 1) columns.push({ header: "backend", min: 4 });
  for (const p of varying) columns.push({ header: p, align: rows.every((r) => typeof r.params[p] === "number") ? "right" : "left", min: 4 });
  const measureAt = columns.length;
  columns.push({ header: "median", align: "right" }, { header: "±95%", align: "right", drop: 3 });
  if (hasRatio) columns.push({ header: "vs ref", align: "right", drop: 2 });
  // Counters are left out whole (last first) rather than shown with a cut header.
  for (const [i, c] of shownCounters.entries()) columns.push({ header: counterHeader(c), align: "right", drop: 6 + i, early: i > 0 });

  const body: Cell[][] = [];
  let previousCase = "";
  for (const r of rows) {
    const caseKey = `${r.case}|${r.backend}`;
    const continued = caseKey === previousCase;
    const row: Cell[] = [continued ? "" : r.case];
    previousCase = caseKey;
    if (backends.length > 1) row.push(continued ? "" : r.backend);
    for (const p of varying) row.push(paramText(r.params[p]));
    if (r.status || !r.stats) {
      row[measureAt] = { span: `not measured: ${r.status?.unavailable ?? "no samples"}` };
      body.push(row);
      continue;
    }
    const m = medianSummary(r);
    const half = Math.max(m.median - m.lower, m.upper - m.median);
    row.push(formatNs(r.stats.median), m.median > 0 ? `${formatSi((100 * half) / m.median, 2)}%` : "-");
    if (hasRatio) {
      const ref = refs.get(groupKey(r));
      row.push(ref === undefined ? "" : ref === r ? "ref" : formatRatio(r.stats.median / ref.stats!.median));
    }
    const values = shownValues(r);
    for (const c of shownCounters) row.push(values[c] === undefined ? "" : formatSi(values[c]));
    body.push(row);
  }
  const table = renderTable(columns, body, opts.width, opts.color);
  // The reference row says "ref" in its own column, so the notes need not name it.
  const notes = [...fixed];
  if (backends.length === 1) notes.unshift(`backend ${backends[0]}`);
  if (counterNames.length > shownCounters.length) notes.push(`${counterNames.length - shownCounters.length} more counters in the run JSON`);
  if (table.hidden.length) notes.push(`hidden to fit ${opts.width} columns: ${table.hidden.join(", ")}`);
  // The notes follow the header line when they fit there, else they get their own line above it.
  const [header, ...lines] = table.text.split("\n");
  const noteText = notes.length ? `(${notes.join("; ")})` : "";
  const head = !noteText
    ? [header]
    : [...header].length + 3 + [...noteText].length <= opts.width
      ? [`${header}   ${noteText}`]
      : [...wrap(noteText, opts.width, " "), header];
  return [...head, ...lines, ...fitLines(rows, opts.proseWidth ?? opts.width)];
}

/**
 * The fitted complexity per case, wrapped: the work counter's fit, then
 * [time ...] where the time fit differs; cases with the same fits share one
 * entry ("back-pointer, header-id O(1) [time O(log N)]").
 */
function fitLines(rows: RunResult[], maxWidth: number): string[] {
  const groups = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.case}|${r.backend}|${paramText(r.params.dist)}`;
    if (seen.has(key) || (!r.complexity && !r.counter_complexity)) continue;
    seen.add(key);
    const work = r.counter_complexity as Complexity | undefined;
    // Beside a work fit, an inconclusive time fit is one word (its candidates are in the run JSON).
    const time = formatComplexity(r.complexity, !work);
    const backend = rows.some((x) => x.case === r.case && x.backend !== r.backend) ? `/${r.backend}` : "";
    const dist = rows.some((x) => x.case === r.case && paramText(x.params.dist) !== paramText(r.params.dist)) ? `@${paramText(r.params.dist)}` : "";
    const workText = work ? formatComplexity(work) : null;
    const fit = workText === null ? `[time ${time}]` : workText === time ? workText : `${workText} [time ${time}]`;
    groups.set(fit, [...(groups.get(fit) ?? []), `${r.case}${backend}${dist}`]);
  }
  const parts = [...groups].map(([fit, cases]) => `${cases.join(", ")} ${fit}`);
  return parts.length ? wrap(`fit: ${parts.join("; ")}`, maxWidth, "     ") : [];
}

/** A run as the tables `bench` prints, one per suite, fitted to `opts.width`. */
export function renderRunTable(run: Run, opts: TableOptions): string {
  const refs = references(run.results);
  const out: string[] = [];
  for (const suite of new Set(run.results.map((r) => r.suite))) {
    out.push(
      suiteTable(
        suite,
        run.results.filter((x) => x.suite === suite),
        refs,
        opts,
      ).join("\n"),
    );
  }
  return out.join("\n\n");
}
