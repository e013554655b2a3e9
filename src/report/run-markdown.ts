/**
 * One run as Markdown (bench --markdown without --compare, report RUN
 * --markdown): where it ran, a row per benchmark (median with its 95%
 * interval, samples, ratio to its group's reference, exact counters) and
 * the headline figures when the command has them. Strings from the run
 * file go through markdown.ts's codeSpan and proseText, as in the
 * comparison.
 */
import { medianSummary } from "../bench/measure.js";
import type { Run, RunResult } from "../contract/run-document.js";
import type { Headline } from "../contract/suite.js";
import { formatNs, formatRatio, formatSi } from "./format.js";
import { headlineMark } from "./headlines.js";
import { codeSpan, proseText } from "./markdown.js";

function row(r: RunResult, ref: RunResult | undefined): string {
  const counters = Object.entries(r.counters)
    .map(([name, value]) => `${codeSpan(name)} ${formatSi(value)}`)
    .join(", ");
  if (!r.stats) return `| ${codeSpan(r.id)} | – | – | – | – | not measured (${proseText(r.status?.unavailable ?? "no samples")}) |`;
  const m = medianSummary(r);
  const ratio = ref?.stats ? formatRatio(r.stats.median / ref.stats.median) : "–";
  return `| ${codeSpan(r.id)} | ${formatNs(m.median)} | [${formatNs(m.lower)}, ${formatNs(m.upper)}] | ${r.samples.length} | ${ratio} | ${counters || "–"} |`;
}

/** The run's Markdown; `headlines` (the suites' figures against their targets) are listed after the table. */
export function renderRunMarkdown(run: Run, headlines: readonly Headline[] = []): string {
  const refs = new Map<string, RunResult>();
  const groupKey = (r: RunResult) => `${r.suite}|${(r.group as string | null | undefined) ?? ""}`;
  for (const r of run.results) if (r.reference === true && r.stats) refs.set(groupKey(r), r);
  const commit = run.git ? `${run.git.commit.slice(0, 12)}${run.git.dirty ? " (dirty)" : ""}` : "no git";
  const lines = [
    "## Benchmark run",
    "",
    proseText(`${run.results.length} benchmarks; ${run.machine.cpu}, ${run.machine.cores} cores, Node ${run.machine.node}; ${commit}, ${run.started}`),
    "",
    "| Benchmark | Median | 95% CI | Samples | vs ref | Counters |",
    "|---|--:|--:|--:|--:|---|",
    ...run.results.map((r) => row(r, refs.get(groupKey(r)))),
    "",
  ];
  if (headlines.length) {
    lines.push("### Headlines", "", "| | Figure | Target |", "|---|---|---|");
    for (const h of headlines) lines.push(`| ${headlineMark(h)} | ${proseText(h.text)} | ${h.target === undefined ? "–" : proseText(h.target)} |`);
    lines.push("");
  }
  return lines.join("\n");
}
