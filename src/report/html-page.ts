// The HTML report's page and its building blocks: the document (CSP, style,
// data block, chart.js and the page script inlined), sections, tables, cells
// and chart figures. Every string from a run goes through escapeHtml here, or
// into the JSON block through scriptJson.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ChartSpec, DistItem } from "./html-charts.js";
import { paramText } from "./suite-charts.js";

/** Text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON safe inside a <script> element: `<`, `>` and `&` become \u escapes, so
 * no `</script>` or `<!--` can end or confuse the element; U+2028/9 are
 * escaped for old JS parsers. JSON.parse restores them unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Refuses a script that could not be inlined verbatim in a <script> element. */
function inlinable(name: string, src: string): string {
  if (/<\/script|<!--/i.test(src)) throw new Error(`${name} contains </script or <!--; it cannot be inlined in a <script> element`);
  return src;
}

let chartJsSource: string | undefined;

/** The chart.js UMD bundle, read once. */
function chartJs(): string {
  // The package's exports map hides dist/chart.umd.js; find it beside the resolvable entry.
  chartJsSource ??= inlinable("chart.umd.js", readFileSync(join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.js"), "utf8"));
  return chartJsSource;
}

let pageScriptSource: string | undefined;

/**
 * The page's own script: page-script.ts, compiled beside this module by the
 * build. It is an ES module only for its type imports, so what tsc adds for
 * that (`export {};`) and the source map comment are dropped; a classic
 * <script> cannot hold an import or export.
 */
function pageScript(): string {
  if (pageScriptSource === undefined) {
    const src = readFileSync(new URL("./page-script.js", import.meta.url), "utf8")
      .replace(/^export \{\};\n/m, "")
      .replace(/^\/\/# sourceMappingURL=.*\n?/m, "");
    if (/^\s*(import|export)\b/m.test(src)) throw new Error("page-script.js imports or exports at run time; the page inlines it as a classic script");
    pageScriptSource = inlinable("page-script.js", src);
  }
  return pageScriptSource;
}

export function cell(text: string, cls = ""): string {
  return cls ? `<td class="${cls}">${escapeHtml(text)}</td>` : `<td>${escapeHtml(text)}</td>`;
}

/** A benchmark id that breaks only after a "/", never inside a name or number. */
export function idHtml(id: string): string {
  return id.split("/").map(escapeHtml).join("/<wbr>");
}

/** `numeric` names the columns whose header is right-aligned like their numbers. */
export function table(caption: string, headers: readonly string[], rows: string[][], numeric: readonly string[]): string {
  const head = headers.map((h) => `<th scope="col"${numeric.includes(h) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export function chartBlock(spec: ChartSpec, tall = true): string {
  return `<figure class="chart">
<h3>${escapeHtml(spec.title)}</h3>
<div class="canvas-box${tall ? "" : " small"}"><canvas id="${escapeHtml(spec.canvas)}" role="img" aria-label="${escapeHtml(spec.title)}"></canvas></div>
</figure>`;
}

export function section(id: string, title: string, intro: string, body: string): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${escapeHtml(title)}</h2>\n${intro ? `<p class="intro">${escapeHtml(intro)}</p>\n` : ""}${body}\n</section>`;
}

export interface Page {
  title: string;
  heading: string;
  meta: string[];
  nav: [string, string][];
  sections: string[];
  /** Inlined as JSON for the page script: `charts` and `dists` drive it. */
  data: { charts: ChartSpec[]; dists: Record<string, DistItem[]> } & Record<string, unknown>;
}

/** The document around the sections: CSP, style, header and navigation, the data block, chart.js and the page script. */
export function page(p: Page): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(p.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(p.heading)}</h1>
${p.meta.map((m) => `<p class="meta">${escapeHtml(m)}</p>`).join("\n")}
<nav aria-label="sections"><ul>
${p.nav.map(([id, text]) => `<li><a href="#${escapeHtml(id)}">${escapeHtml(text)}</a></li>`).join("")}
</ul></nav>
</header>
${p.sections.filter((s) => s !== "").join("\n")}
</main>
<script type="application/json" id="report-data">${scriptJson(p.data)}</script>
<script>${chartJs()}</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-alt: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 16px 0 8px; }
.meta, .intro, .note { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
a { color: #0969da; }
figure.chart { margin: 8px 0 16px; }
.canvas-box { position: relative; height: 380px; }
.canvas-box.small { height: 280px; }
.trends { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 8px 24px; }
.trend { min-width: 0; border-top: 1px solid var(--line); }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 0.875rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
/* Narrow padding: the widest table (All results) fits 1280 px with ids and numbers unbroken. */
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--bg-alt); }
tbody th { font-weight: 500; white-space: nowrap; }
td { overflow-wrap: break-word; }
/* Long free text (machine fields, sources) may break anywhere. */
.wrap { overflow-wrap: anywhere; }
.unit { white-space: nowrap; }
.nowrap { white-space: nowrap; }
/* Benchmark ids break only after a "/" (idHtml), counters only between entries or after a name's "=": never inside a name or a number; a table too wide for the page scrolls. */
td.id { min-width: 12em; }
td.verdict { min-width: 8em; }
td.counters { min-width: 14em; }
.reason { font-size: 0.8rem; font-weight: 400; color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
/* An interval may break at its dash, a header between words, never inside a number. */
.num.ci, thead th.num { white-space: normal; }
.unavailable { color: #9a6700; font-style: italic; }
.regression { color: #cf222e; font-weight: 600; }
.improvement { color: #1a7f37; font-weight: 600; }
.noisy { color: #9a6700; }
.warning { padding: 8px 12px; border-left: 4px solid #cf222e; background: #fff5f5; }
.summary { font-weight: 600; }
.dist { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 8px 24px; }
.dist > figure { min-width: 0; }
.picker { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 8px 0; }
.picker select { max-width: 100%; }
.no-data { padding: 12px 16px; background: var(--bg-alt); border: 1px dashed var(--line); color: var(--muted); }
details summary { cursor: pointer; color: var(--muted); font-size: 0.875rem; }
`;

/** A machine, context or config value as text: a list of plain values joined, anything else as JSON. */
export function valueText(v: unknown): string {
  if (Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null)) return v.map(paramText).join(", ");
  return paramText(v);
}
