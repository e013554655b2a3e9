/**
 * Compact terminal tables sized to a width: one header line, no rules, two
 * spaces between columns (as mitata and Google Benchmark print). cli-table3
 * draws the cells; this module decides the column widths: a column wider
 * than the space truncates down to its `min` (with "…"), and when that is not
 * enough the most droppable columns are left out and named, so the caller
 * can say what was hidden.
 */
import Table from "cli-table3";
import { paint } from "../util/terminal.js";

export interface Column {
  header: string;
  align?: "left" | "right";
  /** Narrowest width it may be truncated to (default: never truncated). */
  min?: number;
  /** Columns with a higher rank are dropped first when truncation is not enough; 0 never. */
  drop?: number;
  /** Left out before any column is truncated (extra detail), rather than after. */
  early?: boolean;
  /** Where truncation cuts: the end (default) or the middle (ids, whose ends both matter). */
  cut?: "end" | "middle";
}

/** `text` cut to `max` characters with "…" in the middle. */
export function cutMiddle(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${chars.slice(0, head).join("")}…${chars.slice(chars.length - (max - 1 - head)).join("")}`;
}

/** A cell: text, or text spanning the rest of the row (a "not measured" reason). */
export type Cell = string | { span: string };

export interface Rendered {
  text: string;
  /** Headers of the columns left out to fit the width. */
  hidden: string[];
}

const CHARS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};
const GAP = 2;

/** Display width of plain text (the tables hold no wide characters). */
const width = (s: string): number => [...s].length;

export function renderTable(columns: readonly Column[], rows: readonly Cell[][], maxWidth: number, color = false): Rendered {
  let keep = columns.map((_, i) => i);
  const natural = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => (typeof r[i] === "string" ? width(r[i] as string) : 0))));
  const total = (idx: number[], w: number[]) => idx.reduce((s, i) => s + w[i], 0) + GAP * (idx.length - 1);
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
      const candidates = keep.filter((i) => columns[i].min !== undefined && widths[i] > columns[i].min!);
      if (candidates.length === 0) break;
      const widest = candidates.reduce((a, b) => (widths[b] > widths[a] ? b : a));
      const next = Math.max(...candidates.filter((i) => i !== widest).map((i) => widths[i]), columns[widest].min!);
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
  const table = new Table({
    head: keep.map((i) => paint("bold", columns[i].header, color)),
    chars: CHARS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
    colWidths: keep.map((i) => widths[i]),
    colAligns: keep.map((i) => columns[i].align ?? "left"),
    wordWrap: false,
  });
  // A spanning cell runs from its column to the table's width limit, not the columns' end.
  const spans: { offset: number; text: string }[] = [];
  for (const row of rows) {
    const cells: Table.Cell[] = [];
    const spanAt = row.findIndex((c) => c !== undefined && typeof c !== "string");
    for (const [k, i] of keep.entries()) {
      if (spanAt >= 0 && i >= spanAt) {
        spans[table.length + 1] = { offset: keep.slice(0, k).reduce((sum, j) => sum + widths[j] + GAP, 0), text: (row[spanAt] as { span: string }).span };
        cells.push({ colSpan: keep.length - k, content: "", hAlign: "left" });
        break;
      }
      const text = (row[i] as string | undefined) ?? "";
      cells.push(columns[i].cut === "middle" ? cutMiddle(text, widths[i]) : text);
    }
    table.push(cells);
  }
  const text = table
    .toString()
    .split("\n")
    .map((line, i) => {
      const span = spans[i];
      if (!span) return line.trimEnd();
      const room = Math.max(0, maxWidth - span.offset);
      return `${[...line].slice(0, span.offset).join("")}${[...span.text].length > room ? `${[...span.text].slice(0, room - 1).join("")}…` : span.text}`;
    })
    .join("\n");
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
