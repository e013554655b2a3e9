/**
 * Markdown for a pull-request comment: machine warning first, then the
 * verdict table with regressions on top; unchanged benchmarks folded away.
 */
import type { Comparison, ComparisonEntry } from "./compare.js";
import { alphaText, describeRun, machineWarning, verdictCounts } from "./compare.js";
import { formatCounterChanges } from "../stats/counter-changes.js";
import { formatCi, formatNs, formatPct } from "./format.js";

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

/** Escapes text for a table cell: pipes and newlines would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(entries: readonly ComparisonEntry[]): string[] {
  return [
    "| Benchmark | Old | New | Change | 95% CI | Verdict | Exact counters changed |",
    "|---|--:|--:|--:|--:|---|---|",
    ...entries.map(
      (e) =>
        `| ${[
          `\`${cell(e.id)}\``,
          e.oldMedianNs === null ? "–" : formatNs(e.oldMedianNs),
          e.newMedianNs === null ? "–" : formatNs(e.newMedianNs),
          e.change === null ? "–" : e.verdict === "regressed" || e.verdict === "improved" ? `**${formatPct(e.change)}**` : formatPct(e.change),
          e.ci === null ? "–" : formatCi(e.ci),
          e.verdict === "regressed" || e.verdict === "improved" || e.verdict === "unchanged" ? ICON[e.verdict] : `${ICON[e.verdict]} (${cell(e.reason)})`,
          cell(`${e.counterVerdict === "regressed" ? "🔴 " : e.counterVerdict === "improved" ? "🟢 " : ""}${formatCounterChanges(e.counterChanges)}`) || "–",
        ].join(" | ")} |`,
    ),
  ];
}

export function renderMarkdown(cmp: Comparison): string {
  const warning = machineWarning(cmp);
  const notable = cmp.entries.filter((e) => e.verdict !== "unchanged" || e.counterChanges.length > 0);
  const quiet = cmp.entries.filter((e) => e.verdict === "unchanged" && e.counterChanges.length === 0);
  const lines = ["## Benchmark comparison", ""];
  if (warning) lines.push(`> [!WARNING]`, `> ${cell(warning)}`, "");
  const noisy = cmp.ab?.controlDiffered ?? 0;
  if (noisy)
    lines.push(
      `> [!WARNING]`,
      `> The machine is too noisy: the base build differed from a second copy of itself on ${noisy} benchmark${noisy === 1 ? "" : "s"}; no verdict on the code there.`,
      "",
    );
  if (cmp.timeAdvisory) lines.push(`> [!NOTE]`, `> ${cell(cmp.timeAdvisory)}`, "");
  const how = cmp.kind === "ab" ? "new = old moved by the paired change; anytime-valid intervals" : "medians per operation";
  lines.push(`${verdictCounts(cmp) || "no benchmarks"} (threshold ${formatPct(cmp.options.threshold).slice(1)}, ${alphaText(cmp)}; ${how})`, "");
  if (notable.length) lines.push(...table(notable), "");
  if (quiet.length) {
    lines.push(`<details><summary>${quiet.length} unchanged</summary>`, "", ...table(quiet), "", "</details>", "");
  }
  lines.push(`<sub>old: ${cell(describeRun(cmp.old))}<br>new: ${cell(describeRun(cmp.new))}</sub>`, "");
  return lines.join("\n");
}
