// Adding a suite with its own report section and chart is its file and one
// registry line: in a scratch copy of the sources, a throw-away suite whose
// report hook charts its results as dots is added exactly so and the
// TypeScript rebuilt; `report` then draws its section, chart and table from
// a stored run of it, with no change to the report's code. A suite the
// registry does not know (a run of another version) is in "All results" only.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Run } from "../src/contract/run-document.js";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);

function ok(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** run-valid.json's measured result, as results of `suite`. */
function runOf(suite: string): Run {
  const run = JSON.parse(readFileSync(join(root, "test/fixtures/run-valid.json"), "utf8")) as Run;
  const measured = run.results[0]!;
  run.config = { ...run.config, suites: [suite] };
  run.results = ["first", "second"].map((kase) => ({ ...measured, id: `${suite}/${kase}/wasm`, suite, case: kase, params: {} }));
  return run;
}

function dataCharts(html: string): { canvas: string; title: string }[] {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, "the page has its data block");
  return JSON.parse(m[1]!).charts;
}

describe("adding a suite with its own chart", () => {
  it("takes its file and its registry line, nothing in the report", { timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-suite-"));
    for (const part of ["src", "assembly", "bench", "package.json"]) cpSync(join(root, part), join(dir, part), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, "tsconfig.json"), readFileSync(join(root, "tsconfig.json"), "utf8").replace(/"include": \[[^\]]*\]/, '"include": ["src/**/*.ts"]'));

    // 1. The file.
    writeFileSync(
      join(dir, "bench/dots.ts"),
      `import type { Suite } from "../src/contract/suite.js";
import { isMeasured, medianInterval } from "../src/report/suite-charts.js";

export const dotsSuite: Suite = {
  name: "dots",
  description: "a throw-away suite with its own chart",
  async cases() {
    return [];
  },
  report: {
    title: "Dots: one per case",
    nav: "Dots",
    intro: "Each case's median as a dot.",
    section: (results) => ({
      chart: {
        title: "Dots <chart>",
        kind: "points",
        x: { title: "case" },
        y: { title: "median time per op (ns)" },
        series: [{ label: "wasm", points: results.filter(isMeasured).map((r) => ({ x: r.case, ...medianInterval(r) })) }],
      },
      tables: [{ caption: "Dots: cases", headers: ["case"], rows: results.map((r) => [r.case]) }],
    }),
  },
};
`,
    );
    // 2. The registry line.
    const registry = join(dir, "bench/index.ts");
    writeFileSync(
      registry,
      readFileSync(registry, "utf8")
        .replace(
          'import { criuRestoreSuite } from "./criu-restore.js";',
          'import { criuRestoreSuite } from "./criu-restore.js";\nimport { dotsSuite } from "./dots.js";',
        )
        .replace("throughputSuite];", "throughputSuite, dotsSuite];"),
    );

    ok(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], dir);
    const cli = join(dir, "dist/src/cli.js");

    writeFileSync(join(dir, "dots.json"), JSON.stringify(runOf("dots")));
    ok(process.execPath, [cli, "report", "dots.json", "--html", "dots.html"], dir);
    const html = readFileSync(join(dir, "dots.html"), "utf8");
    assert.match(html, /<li><a href="#suite-dots">Dots<\/a><\/li>/, "in the navigation");
    assert.match(html, /<section id="suite-dots">\n<h2>Dots: one per case<\/h2>\n<p class="intro">Each case&#39;s median as a dot\.<\/p>/);
    assert.match(html, /<h3>Dots &#60;chart&#62;<\/h3>/, "the chart's title, escaped");
    assert.match(html, /<caption>Dots: cases<\/caption>/, "its own table");
    const chart = dataCharts(html).find((c) => c.canvas === "chart-dots");
    assert.ok(chart, "its chart is drawn by the page");
    assert.equal(chart.title, "Dots <chart>");

    // A suite the registry does not know: no section, its results in "All results".
    writeFileSync(join(dir, "other.json"), JSON.stringify(runOf("other")));
    ok(process.execPath, [cli, "report", "other.json", "--html", "other.html"], dir);
    const other = readFileSync(join(dir, "other.html"), "utf8");
    assert.deepEqual(
      [...other.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]),
      ["machine", "all"],
    );
    assert.deepEqual(
      dataCharts(other).map((c) => c.canvas),
      ["chart-run-dist-samples"],
    );
    assert.match(other, /<td class="id">other\/<wbr>first\/<wbr>wasm<\/td>/);
  });
});
