// The report command end to end: bad input, whole outputs, and every chart drawn in headless Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { chromium } from "playwright-core";
import { writeHtmlReport } from "../src/report/html.js";
import { writeComparisonHtmlReport } from "../src/report/html-comparison.js";
import { compareRuns } from "../src/report/compare.js";
import { historyRecord } from "../src/bench/history.js";
import { run as reportCommand } from "../src/commands/report.js";
import { UserError } from "../src/contract/errors.js";
import { SUITES } from "../bench/index.js";
import { AB_FIXTURE, abFixture, compared, dataBlock, outDir, realSmallRun, root, smallHistory, smallRun } from "./helpers/report-fixtures.js";

test("report command: missing or corrupt input is a UserError; output written whole", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aio-report-"));
  try {
    const out = join(dir, "out", "report.html");
    const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && e.exitCode === 2 && re.test(e.message) && !e.message.includes("\n");
    await assert.rejects(reportCommand([join(dir, "nope.json"), "--html", out]), userError(/folder .*out does not exist/));
    mkdirSync(join(dir, "out"));
    await assert.rejects(reportCommand([join(dir, "nope.json"), "--html", out]), userError(/nope\.json: input file does not exist/));
    writeFileSync(join(dir, "bad.json"), '{"schema": ');
    await assert.rejects(reportCommand([join(dir, "bad.json"), "--html", out]), userError(/bad\.json: truncated JSON/));
    writeFileSync(join(dir, "other.json"), '{"schema": "something-else"}');
    await assert.rejects(
      reportCommand([join(dir, "other.json"), "--html", out]),
      userError(/other\.json: schema is "something-else", expected "aio-ring-bench\/run@1" \(a run\) or "aio-ring-bench\/comparison@1"/),
    );
    // A comparison file (ab --json): validated, reported on its own, refused beside a run or with run-only flags.
    const ab = JSON.parse(readFileSync(AB_FIXTURE, "utf8"));
    const bad = (name: string, edit: (doc: typeof ab) => void) => {
      const doc = JSON.parse(JSON.stringify(ab));
      edit(doc);
      writeFileSync(join(dir, name), JSON.stringify(doc));
      return join(dir, name);
    };
    await assert.rejects(
      reportCommand([bad("p.json", (d) => (d.entries[0].p = 2)), "--html", out]),
      userError(/p\.json: entries\[0\]\.p: must be a probability/),
    );
    await assert.rejects(
      reportCommand([bad("ratio.json", (d) => (d.entries[3].cycleRatios[1] = -1)), "--html", out]),
      userError(/ratio\.json: entries\[3\]\.cycleRatios\[1\]: must be a positive ratio/),
    );
    await assert.rejects(reportCommand([bad("kind.json", (d) => (d.kind = "<b>")), "--html", out]), userError(/kind\.json: kind: /));
    await assert.rejects(
      reportCommand([bad("long.json", (d) => (d.entries[0].id = "x".repeat(501))), "--html", out]),
      userError(/long\.json: entries\[0\]\.id: /),
    );
    await assert.rejects(
      reportCommand([bad("dup.json", (d) => (d.entries[1].id = d.entries[0].id)), "--html", out]),
      userError(/dup\.json: entries\[1\]\.id: duplicate benchmark id/),
    );
    await assert.rejects(reportCommand([join(dir, "other.json"), AB_FIXTURE, "--html", out]), userError(/other\.json: schema is/));
    // Through the CLI: one line on stderr naming the file, exit 2, nothing written.
    const cli = spawnSync(process.execPath, [join(root, "dist", "src", "cli.js"), "report", join(dir, "p.json"), "--html", out], { encoding: "utf8" });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /p\.json: entries\[0\]\.p: must be a probability/);
    assert.equal(cli.stderr.trim().split("\n").length, 1, cli.stderr);
    writeFileSync(join(dir, "run0.json"), JSON.stringify(smallRun()));
    await assert.rejects(
      reportCommand([join(dir, "run0.json"), AB_FIXTURE, "--html", out]),
      userError(/ab-lookup-remap\.json: a comparison file is reported on its own/),
    );
    await assert.rejects(reportCommand([AB_FIXTURE, "--history", join(dir, "h.jsonl"), "--html", out]), userError(/--history needs a run/));
    await assert.rejects(reportCommand([AB_FIXTURE, "--threshold", "2", "--html", out]), userError(/--threshold applies to comparing two runs/));
    await assert.rejects(reportCommand([join(dir, "bad.json"), "--bogus"]), userError(/bogus/));
    await assert.rejects(reportCommand([join(dir, "bad.json")]), userError(/an output is required: --html FILE/));
    assert.ok(!existsSync(out), "nothing written on failure");

    const run = smallRun();
    writeFileSync(join(dir, "run.json"), JSON.stringify(run));
    // A torn line in the middle is skipped with a warning, not fatal.
    const lines = smallHistory(run).map((h) => JSON.stringify(h));
    lines.splice(3, 0, lines[3]!.slice(0, 40));
    writeFileSync(join(dir, "history.jsonl"), `${lines.join("\n")}\n`);
    assert.equal(await reportCommand([join(dir, "run.json"), "--history", join(dir, "history.jsonl"), "--html", out]), 0);
    const html = readFileSync(out, "utf8");
    assert.ok(html.endsWith("</html>\n"));
    assert.ok(dataBlock(html).charts.some((c) => c.canvas.startsWith("chart-history-")));
    assert.deepEqual(readdirSync(join(dir, "out")), ["report.html"], "no temp file left behind");
    assert.equal(await reportCommand([AB_FIXTURE, "--html", out]), 0);
    assert.match(readFileSync(out, "utf8"), /<h1>aio-ring-bench A\/B comparison<\/h1>/);
    // compare --json writes the same document: its view has old and new, no ab rounds.
    writeFileSync(join(dir, "c.json"), JSON.stringify(compareRuns(smallRun(), smallRun())));
    assert.equal(await reportCommand([join(dir, "c.json"), "--html", out]), 0);
    const cmpHtml = readFileSync(out, "utf8");
    assert.match(cmpHtml, /<h1>aio-ring-bench comparison<\/h1>/);
    assert.match(cmpHtml, /<h2>Comparison: old vs new<\/h2>/);
    assert.ok(!/ab: \d+ rounds/.test(cmpHtml) && !cmpHtml.includes('id="chart-cmp-dist-ratios"'), "no ab rounds or cycle ratios");
    assert.ok(!cmpHtml.includes('id="chart-cmp-dist-samples"'), "a compare file has no samples to draw");
    assert.match(cmpHtml, /A compare result keeps no samples/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- in a real browser ----

interface EnsureResult {
  ok: boolean;
  path?: string;
  version?: string;
  installed?: boolean;
  reason?: string;
}

test("the report renders every chart in headless Chromium, offline and without errors", async (t) => {
  const { ensureChromium, CHROMIUM_PATH } = (await import(pathToFileURL(join(root, "scripts", "ensure-chromium.mjs")).href)) as {
    ensureChromium(o: { log(line: string): void }): EnsureResult;
    CHROMIUM_PATH: string;
  };
  const found = ensureChromium({ log: (line) => t.diagnostic(line) });
  if (!found.ok) {
    if (process.env.CI === "true") assert.fail(`Chromium is required in CI but unavailable: ${found.reason}`);
    t.skip(`Chromium unavailable: ${found.reason}`);
    return;
  }
  t.diagnostic(`${found.installed ? "installed" : "using"} ${found.version}`);

  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "report.html");
  // Two real runs: the first goes into the history the report draws trends from. The second
  // is 40% slower in-process: two runs of the same code on a busy machine
  // compare as unchanged, in grey bars too short to tell from an empty chart.
  const earlier = await realSmallRun();
  const run = await realSmallRun(0.4);
  writeHtmlReport(file, run, { history: [historyRecord(earlier)], suites: SUITES, ...compared(earlier, run) });
  // A real ab result, with a hostile benchmark id added: the page must show it as text.
  const abFile = join(outDir, "report-ab.html");
  const ab = abFixture();
  const evil = `lookup/<img src=x onerror="document.title='pwned'">/wasm/n=1`;
  ab.entries.push({ ...ab.entries[0]!, id: evil });
  writeComparisonHtmlReport(abFile, ab);

  const profile = mkdtempSync(join(tmpdir(), "aio-report-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const errors: string[] = [];
    const failed: string[] = [];
    const requests: string[] = [];
    context.on("request", (r) => requests.push(r.url()));
    context.on("requestfailed", (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));

    /** Loads a report and checks every chart drew and nothing overlaps or is cut at 1280 px; returns the charts. */
    const checkPage = async (path: string): Promise<string[]> => {
      const expectedCharts = dataBlock(readFileSync(path, "utf8")).charts.map((c) => c.canvas);
      await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
      await page.waitForSelector(`html[data-charts-rendered="${expectedCharts.length}"]`, { timeout: 20_000 });

      // Every chart drew data: a series is drawn in a saturated colour, while
      // axes, grid and text are grey, so count strongly coloured pixels.
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll("canvas")].map((c) => {
          const { data } = c.getContext("2d")!.getImageData(0, 0, c.width, c.height);
          let inked = 0;
          let coloured = 0;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
            if (a === 0) continue;
            inked++;
            if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
          }
          return { id: c.id, width: c.width, height: c.height, inked, coloured };
        }),
      );
      assert.deepEqual(
        drawn.map((d) => d.id),
        expectedCharts,
        "one canvas per chart spec",
      );
      for (const d of drawn) {
        assert.ok(d.width > 100 && d.height > 100, `${d.id} has a real size (${d.width}x${d.height})`);
        assert.ok(d.coloured > 50, `${d.id} shows data (${d.coloured} coloured of ${d.inked} drawn pixels)`);
      }
      // At 1280 px nothing overlaps or is cut: every canvas inside the viewport,
      // no horizontal scrolling, no table hiding columns behind a scrollbar,
      // no text box wider than the space it is given.
      const layout = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        const canvases = [...document.querySelectorAll("canvas")].map((c) => ({
          id: c.id,
          left: c.getBoundingClientRect().left,
          right: c.getBoundingClientRect().right,
        }));
        const scrolled = [...document.querySelectorAll(".table-wrap")]
          .filter((w) => w.scrollWidth > w.clientWidth + 1)
          .map((w) => w.querySelector("caption")?.textContent ?? "?");
        const clipped = [...document.querySelectorAll("h1, h2, h3, p, label, caption, th, td, select, input")]
          .filter((e) => (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") || e.getBoundingClientRect().right > vw + 1)
          .map((e) => `${e.tagName}: ${(e.textContent ?? "").slice(0, 60)}`);
        // Charts side by side (the distribution pair) must not overlap each other.
        const boxes = [...document.querySelectorAll("figure.chart")].map((f) => f.getBoundingClientRect());
        const overlaps = boxes.flatMap((a, i) =>
          boxes
            .slice(i + 1)
            .filter((b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            .map(() => i),
        );
        return { vw, pageWidth: document.documentElement.scrollWidth, canvases, scrolled, clipped, overlaps };
      });
      assert.equal(layout.vw, 1280);
      assert.ok(layout.pageWidth <= layout.vw, `page is ${layout.pageWidth} px wide in a ${layout.vw} px viewport`);
      for (const c of layout.canvases) assert.ok(c.left >= 0 && c.right <= layout.vw, `${c.id} spans ${c.left}..${c.right}`);
      assert.deepEqual(layout.scrolled, [], "tables that need a horizontal scrollbar at 1280 px");
      assert.deepEqual(layout.clipped, [], "text cut off or outside the viewport");
      assert.deepEqual(layout.overlaps, [], "charts overlapping each other");
      return expectedCharts;
    };

    /** Picks another benchmark in a distribution picker: the chart's heading and drawn points follow. */
    const pickAnother = async (prefix: string) => {
      const state = () =>
        page.evaluate((p) => {
          const canvas = document.getElementById(`chart-${p}-samples`)!;
          return {
            heading: canvas.closest("figure")!.querySelector("h3")!.textContent,
            picked: (document.getElementById(`${p}-pick`) as HTMLSelectElement).value,
          };
        }, prefix);
      const before = await state();
      assert.equal(before.heading, before.picked, "the chart shows the picked benchmark");
      await page.selectOption(`#${prefix}-pick`, { index: 1 });
      const after = await state();
      assert.notEqual(after.picked, before.picked);
      assert.equal(after.heading, after.picked);
    };

    const expectedCharts = await checkPage(file);
    for (const id of [
      "chart-remap",
      "chart-criu-restore",
      "chart-throughput",
      "chart-comparison",
      "chart-history-pick",
      "chart-cmp-dist-samples",
      "chart-run-dist-samples",
    ])
      assert.ok(expectedCharts.includes(id), `${id} is drawn`);
    // The picker swaps the history chart to another benchmark.
    const before = await page.evaluate(() => (document.getElementById("history-pick") as HTMLSelectElement).value);
    await page.selectOption("#history-pick", { index: 1 });
    const heading = await page.evaluate(() => document.getElementById("chart-history-pick")!.closest("figure")!.querySelector("h3")!.textContent);
    assert.notEqual(heading, before);
    await pickAnother("cmp-dist");
    await pickAnother("run-dist");

    const shot = join(outDir, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, "screenshot saved");
    t.diagnostic(`screenshot: ${shot}`);

    // The ab result's own page: change chart, both distributions, the table.
    assert.deepEqual(await checkPage(abFile), ["chart-comparison", "chart-cmp-dist-samples", "chart-cmp-dist-ratios"]);
    await pickAnother("cmp-dist");
    // A benchmark's name in the table picks it in the distribution charts.
    const target = ab.entries[5]!.id;
    await page.click(`a[data-pick="${target}"]`);
    assert.equal(
      await page.evaluate(() => document.getElementById("chart-cmp-dist-ratios")!.closest("figure")!.querySelector("h3")!.textContent),
      `${target}: change per ABBA cycle`,
    );
    // The hostile id is text in the table and the picker, never an element.
    assert.equal(await page.evaluate(() => document.querySelectorAll("img").length), 0);
    assert.notEqual(await page.title(), "pwned");
    assert.equal(await page.evaluate((id) => [...document.querySelectorAll("td.id")].filter((td) => td.textContent === id).length, evil), 1);
    const abShot = join(outDir, "report-ab.png");
    await page.screenshot({ path: abShot, fullPage: true });
    t.diagnostic(`screenshot: ${abShot}`);

    assert.deepEqual(errors, [], "no console errors");
    assert.deepEqual(failed, [], "no failed requests");
    assert.deepEqual(
      requests.filter((u) => !u.startsWith("file:")),
      [],
      "no request to anything but the files themselves",
    );
    assert.ok(requests.length >= 2, "the page loads themselves were observed");
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("report RUN --markdown is what bench --markdown wrote for that run, headlines included", () => {
  const dir = mkdtempSync(join(tmpdir(), "aio-report-md-"));
  try {
    const cli = join(root, "dist/src/cli.js");
    const env = { ...process.env, AIO_RING_BENCH_HOME: join(dir, "home") };
    // Two cases of a suite with headlines: one ratio with an interval, the others "not run (filtered out)".
    const bench = spawnSync(
      process.execPath,
      [
        cli,
        "bench",
        "--suite",
        "ring",
        "--quick",
        "--time",
        "30",
        "--filter",
        "/wasm-batch|ts-model/",
        "--json",
        join(dir, "run.json"),
        "--markdown",
        join(dir, "bench.md"),
      ],
      { encoding: "utf8", env },
    );
    assert.equal(bench.status, 0, bench.stderr);
    const report = spawnSync(process.execPath, [cli, "report", join(dir, "run.json"), "--markdown", "-"], { encoding: "utf8", env });
    assert.equal(report.status, 0, report.stderr);
    const written = readFileSync(join(dir, "bench.md"), "utf8");
    assert.match(written, /### Headlines[\s\S]*\| ring: TS model \/ WASM batch: [^|]*\\\[[^|]*\\\]/);
    assert.equal(report.stdout, written);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
