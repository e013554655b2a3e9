// The headline figures under the bench tables: one line each, marked met,
// missed or undecided (its interval straddles the target's line) against its
// target, or "info" for a figure shown for scale.
import type { Headline } from "../contract/suite.js";
import { paint } from "../util/terminal.js";
import { wrap } from "./text-table.js";

const MARK_WIDTH = 10;

export function headlineMark(h: Headline): string {
  if (h.target === undefined) return "info";
  if (h.undecided) return "undecided";
  return h.met === true ? "met" : h.met === false ? "MISSED" : "n/a";
}

export function renderHeadlines(lines: readonly Headline[], opts: { width: number; color: boolean }): string[] {
  const out: string[] = [];
  for (const h of lines) {
    const mark = headlineMark(h);
    const text = h.target === undefined ? h.text : `${h.text}; target ${h.target}`;
    const [first, ...rest] = wrap(text, opts.width - MARK_WIDTH, "  ");
    const style = mark === "met" ? "green" : mark === "MISSED" ? "red" : mark === "undecided" ? "yellow" : "dim";
    out.push(`${paint(style, mark.padEnd(MARK_WIDTH), opts.color)}${first}`, ...rest.map((r) => `${" ".repeat(MARK_WIDTH)}${r}`));
  }
  return out;
}

/** "12 of 15 targets met (2 undecided)" for the last line of a run. */
export function targetCount(lines: readonly Headline[]): string {
  const targets = lines.filter((h) => h.target !== undefined);
  const met = targets.filter((h) => h.met === true).length;
  const undecided = targets.filter((h) => h.undecided).length;
  const unmeasured = targets.filter((h) => !h.undecided && (h.met === null || h.met === undefined)).length;
  const again = targets.filter((h) => h.looks !== undefined && h.looks > 1).length;
  const notes = [
    undecided ? `${undecided} undecided: the interval straddles the target` : "",
    unmeasured ? `${unmeasured} not measured` : "",
    again ? `${again} judged on a second look` : "",
  ].filter(Boolean);
  return `${met} of ${targets.length} targets met${notes.length ? ` (${notes.join("; ")})` : ""}`;
}
