// The headline figures under the bench tables: one line each, marked met or
// missed against its target (or "info" for a figure shown for scale).
import type { Headline } from "../bench/suite.js";
import { paint } from "../util/terminal.js";
import { wrap } from "./text-table.js";

const MARK_WIDTH = 7;

export function headlineMark(h: Headline): string {
  if (h.target === undefined) return "info";
  return h.met === true ? "met" : h.met === false ? "MISSED" : "n/a";
}

export function renderHeadlines(lines: readonly Headline[], opts: { width: number; color: boolean }): string[] {
  const out: string[] = [];
  for (const h of lines) {
    const mark = headlineMark(h);
    const text = h.target === undefined ? h.text : `${h.text}; target ${h.target}`;
    const [first, ...rest] = wrap(text, opts.width - MARK_WIDTH, "  ");
    const style = mark === "met" ? "green" : mark === "MISSED" ? "red" : "dim";
    out.push(`${paint(style, mark.padEnd(MARK_WIDTH), opts.color)}${first}`, ...rest.map((r) => `${" ".repeat(MARK_WIDTH)}${r}`));
  }
  return out;
}

/** "12 of 15 targets met" for the last line of a run. */
export function targetCount(lines: readonly Headline[]): string {
  const targets = lines.filter((h) => h.target !== undefined);
  const met = targets.filter((h) => h.met === true).length;
  const unmeasured = targets.filter((h) => h.met === null || h.met === undefined).length;
  return `${met} of ${targets.length} targets met${unmeasured ? ` (${unmeasured} not measured)` : ""}`;
}
