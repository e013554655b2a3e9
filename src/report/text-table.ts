/**
 * Compact terminal tables sized to a width: one header line, no rules, two
 * spaces between columns (as mitata and Google Benchmark print), laid out
 * here in one pass over the rows (cli-table3's layout was quadratic in the
 * rows: minutes for a 20,000-row comparison). A column wider
 * than the space truncates down to its `min` (with "…"), and when that is not
 * enough the most droppable columns are left out and named, so the caller
 * can say what was hidden.
 */
import { paint } from "../util/terminal.js";
import { shortenKeys } from "./key-column.js";

export { cutMiddle } from "./key-column.js";

export interface Column {
  header: string;
  align?: "left" | "right";
  /** Narrowest width it may be truncated to (default: never truncated). */
  min?: number;
  /** Columns with a higher rank are dropped first when truncation is not enough; 0 never. */
  drop?: number;
  /** Left out before any column is truncated (extra detail), rather than after. */
  early?: boolean;
  /**
   * Where truncation cuts: the end (default), or "key" for a column of ids
   * that tell rows apart: shortened by segments, never to two alike
   * (key-column.ts), never narrower than that allows.
   */
  cut?: "end" | "key";
}

/** A cell: text, or text spanning the rest of the row (a "not measured" reason). */
export type Cell = string | { span: string };

export interface Rendered {
  text: string;
  /** Headers of the columns left out to fit the width. */
  hidden: string[];
}

const GAP = 2;

/** Display width of plain text (the tables hold no wide characters). */
const width = (s: string): number => [...s].length;

/** `text` cut at the end to `max` characters with "…". */
const fit = (text: string, max: number): string => (width(text) <= max ? text : `${[...text].slice(0, Math.max(0, max - 1)).join("")}…`);

export function renderTable(columns: readonly Column[], rows: readonly Cell[][], maxWidth: number, color = false): Rendered {
  let keep = columns.map((_, i) => i);
  // A loop, not Math.max(...rows): 100,000 arguments overflow the stack.
  const natural = columns.map((c, i) => {
    let w = width(c.header);
    for (const r of rows) if (typeof r[i] === "string") w = Math.max(w, width(r[i] as string));
    return w;
  });
  const total = (idx: number[], w: number[]) => idx.reduce((s, i) => s + w[i], 0) + GAP * (idx.length - 1);
  // A key column goes no narrower than its narrowest unambiguous form.
  const keyCells = columns.map((c, i) => (c.cut === "key" ? rows.map((r) => (typeof r[i] === "string" ? (r[i] as string) : "")) : null));
  const floor = columns.map((c, i) => {
    const keys = keyCells[i];
    if (c.min === undefined || keys === null) return c.min;
    return Math.min(natural[i], Math.max(c.min, ...shortenKeys(keys, c.min).map(width)));
  });
  let widths = [...natural];
  // Extra detail goes before anything is cut short.
  while (total(keep, natural) > maxWidth) {
    const early = keep.filter((i) => columns[i].early && (columns[i].drop ?? 0) > 0);
    if (early.length === 0) break;
    const victim = early.reduce((a, b) => ((columns[b].drop ?? 0) >= (columns[a].drop ?? 0) ? b : a));
    keep = keep.filter((i) => i !== victim);
  }
  for (;;) {
    widths = [...natural];
    // Truncate the widest truncatable column first, one character at a time in bulk.
    let over = total(keep, widths) - maxWidth;
    while (over > 0) {
      const candidates = keep.filter((i) => floor[i] !== undefined && widths[i] > floor[i]!);
      if (candidates.length === 0) break;
      const widest = candidates.reduce((a, b) => (widths[b] > widths[a] ? b : a));
      const next = Math.max(...candidates.filter((i) => i !== widest).map((i) => widths[i]), floor[widest]!);
      const cut = Math.min(over, Math.max(1, widths[widest] - next));
      widths[widest] -= cut;
      over -= cut;
    }
    if (over <= 0) break;
    const droppable = keep.filter((i) => (columns[i].drop ?? 0) > 0);
    if (droppable.length === 0) break;
    const victim = droppable.reduce((a, b) => ((columns[b].drop ?? 0) >= (columns[a].drop ?? 0) ? b : a));
    keep = keep.filter((i) => i !== victim);
  }
  const line = (cells: string[], upTo: number): string =>
    cells
      .slice(0, upTo)
      .map((c, k) => {
        const i = keep[k];
        const text = fit(c, widths[i]);
        const pad = " ".repeat(widths[i] - width(text));
        return columns[i].align === "right" ? pad + text : text + pad;
      })
      .join(" ".repeat(GAP));
  const header = keep.map((i) => columns[i].header);
  const lines = [
    keep
      .map((i, k) => {
        const text = fit(header[k], widths[i]);
        const pad = " ".repeat(widths[i] - width(text));
        const bold = paint("bold", text, color);
        return columns[i].align === "right" ? pad + bold : bold + pad;
      })
      .join(" ".repeat(GAP))
      .trimEnd(),
  ];
  const shortKeys = keyCells.map((keys, i) => (keys === null ? null : shortenKeys(keys, widths[i])));
  for (const [r, row] of rows.entries()) {
    const spanAt = row.findIndex((c) => c !== undefined && typeof c !== "string");
    const cells = keep.map((i) => shortKeys[i]?.[r] ?? (typeof row[i] === "string" ? (row[i] as string) : ""));
    const spanK = spanAt < 0 ? -1 : keep.findIndex((i) => i >= spanAt);
    if (spanK < 0) {
      lines.push(line(cells, keep.length).trimEnd());
      continue;
    }
    // A spanning cell runs from its column to the table's width limit, not the columns' end.
    const prefix = spanK === 0 ? "" : line(cells, spanK) + " ".repeat(GAP);
    const span = (row[spanAt] as { span: string }).span;
    const room = Math.max(0, maxWidth - width(prefix));
    lines.push(`${prefix}${width(span) > room ? `${[...span].slice(0, room - 1).join("")}…` : span}`);
  }
  const text = keep.length === 0 ? "" : lines.join("\n");
  return { text, hidden: columns.filter((_, i) => !keep.includes(i)).map((c) => c.header) };
}

/** Words of `text` wrapped to `maxWidth`, continuation lines indented by `indent`. */
export function wrap(text: string, maxWidth: number, indent = "  "): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && width(line) + 1 + width(word) > maxWidth) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
