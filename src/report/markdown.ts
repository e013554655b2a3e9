/**
 * Markdown for a pull-request comment: machine warning first, then the
 * verdict table with regressions on top; unchanged benchmarks folded away.
 * The --markdown output itself is markdown-output.ts.
 */
import type { Comparison, ComparisonEntry } from "../contract/comparison.js";
import { alphaText, describeRun, machineWarning, verdictCounts } from "./compare.js";
import { formatCounterChanges } from "../stats/counter-changes.js";
import { formatCi, formatNs, formatPct } from "./format.js";
import { printable } from "../util/printable.js";

const ICON: Record<ComparisonEntry["verdict"], string> = {
  regressed: "🔴 regressed",
  improved: "🟢 improved",
  "too noisy": "⚪ too noisy",
  unavailable: "⚫ unavailable",
  removed: "➖ removed",
  added: "➕ added",
  "not comparable": "⛔ not comparable",
  unchanged: "unchanged",
};

/**
 * Ids, sources, reasons, counter and machine names come from input files,
 * so they are hostile in a PR comment: nothing in them may become an image,
 * a link, a mention, emphasis or raw HTML, nor break the table row.
 */

/**
 * `text` as a code span showing it verbatim: the fence is one backtick
 * longer than any backtick run inside (CommonMark), padded with a space
 * (stripped again by the renderer) when the text starts or ends with a
 * backtick or space. Control characters are shown as \xNN, pipes escaped
 * for the table (GFM unescapes them inside code too).
 */
export function codeSpan(text: string): string {
  const body = printable(text, true).replace(/\|/g, "\\|");
  const longest = (body.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0);
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * `text` as inert Markdown prose on one line: control characters shown as
 * \xNN, the punctuation that opens Markdown backslash-escaped (no link or
 * image without "[", no emphasis, code, raw HTML, entity or table cell
 * break), and a word joiner (U+2060)
 * after "@", in "://" and "www." so GitHub neither mentions anyone nor
 * links a URL (it does both on rendered text, after escapes are gone).
 */
export function proseText(text: string): string {
  return printable(text, true)
    .replace(/[\\`*_[\]<|~&]/g, "\\$&")
    .replace(/@/g, "@\u2060")
    .replace(/:\/\//g, ":\u2060//")
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}\u2060.`);
}

function table(entries: readonly ComparisonEntry[]): string[] {
  return [
    "| Benchmark | Old | New | Change | 95% CI | Verdict | Exact counters changed |",
    "|---|--:|--:|--:|--:|---|---|",
    ...entries.map(
      (e) =>
        `| ${[
          codeSpan(e.id),
          e.oldMedianNs === null ? "–" : formatNs(e.oldMedianNs),
          e.newMedianNs === null ? "–" : formatNs(e.newMedianNs),
          e.change === null ? "–" : e.verdict === "regressed" || e.verdict === "improved" ? `**${formatPct(e.change)}**` : formatPct(e.change),
          e.ci === null ? "–" : formatCi(e.ci),
          e.verdict === "regressed" || e.verdict === "improved" || e.verdict === "unchanged" ? ICON[e.verdict] : `${ICON[e.verdict]} (${proseText(e.reason)})`,
          `${e.counterVerdict === "regressed" ? "🔴 " : e.counterVerdict === "improved" ? "🟢 " : ""}${proseText(formatCounterChanges(e.counterChanges))}` ||
            "–",
        ].join(" | ")} |`,
    ),
  ];
}

export function renderMarkdown(cmp: Comparison): string {
  const warning = machineWarning(cmp);
  const notable = cmp.entries.filter((e) => e.verdict !== "unchanged" || e.counterChanges.length > 0);
  const quiet = cmp.entries.filter((e) => e.verdict === "unchanged" && e.counterChanges.length === 0);
  const lines = ["## Benchmark comparison", ""];
  if (warning) lines.push(`> [!WARNING]`, `> ${proseText(warning)}`, "");
  const noisy = cmp.ab?.controlDiffered ?? 0;
  if (noisy)
    lines.push(
      `> [!WARNING]`,
      `> The machine is too noisy: the base build differed from a second copy of itself on ${noisy} benchmark${noisy === 1 ? "" : "s"}; no verdict on the code there.`,
      "",
    );
  if (cmp.timeAdvisory) lines.push(`> [!NOTE]`, `> ${proseText(cmp.timeAdvisory)}`, "");
  const how = cmp.kind === "ab" ? "new = old moved by the paired change; anytime-valid intervals" : "medians per operation";
  lines.push(`${verdictCounts(cmp) || "no benchmarks"} (threshold ${formatPct(cmp.options.threshold).slice(1)}, ${alphaText(cmp)}; ${how})`, "");
  if (notable.length) lines.push(...table(notable), "");
  if (quiet.length) {
    lines.push(`<details><summary>${quiet.length} unchanged</summary>`, "", ...table(quiet), "", "</details>", "");
  }
  lines.push(`<sub>old: ${proseText(describeRun(cmp.old))}<br>new: ${proseText(describeRun(cmp.new))}</sub>`, "");
  return lines.join("\n");
}
