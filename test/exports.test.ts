// The exporters' contents, and the library's export surface: which names
// it exports, a doc comment on every one, options with defaults, every
// output by name through the registry.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as library from "../src/index.js";
import { benchRunOptions } from "../src/library/bench.js";
import { toBmf } from "../src/report/bmf.js";
import { compareRuns } from "../src/report/compare.js";
import { toGhActionBenchmark } from "../src/report/gh-action-benchmark.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { renderRunMarkdown } from "../src/report/run-markdown.js";
import { noisyRun, SHARED_MACHINE, syntheticRun, uniform } from "./helpers/synthetic.js";
import { REPO } from "./helpers.js";

const random = uniform(11);
const quiet = { ...SHARED_MACHINE, burstEnter: 0, spikeProb: 0, runSigma: 0, sigma: 0.01, n: 64 };
const old = syntheticRun([
  { id: "lookup/flat", samples: noisyRun(random, 1000, quiet), counters: { slots: 4 } },
  { id: "lookup/slow|pipe", samples: noisyRun(random, 1000, quiet) },
  { id: "lookup/kernel", samples: noisyRun(random, 1000, quiet) },
]);
const neu = syntheticRun([
  { id: "lookup/flat", samples: noisyRun(random, 1000, quiet), counters: { slots: 5 } },
  { id: "lookup/slow|pipe", samples: noisyRun(random, 1300, quiet) },
  { id: "lookup/kernel", samples: [1, 2] },
]);
// Samples in µs convert to ns; the unavailable result must not appear as a number.
neu.results[0] = { ...neu.results[0], unit: "us/op", samples: neu.results[0].samples.map((s) => s / 1000) };
Object.assign(neu.results[2], { samples: [], stats: null, status: { unavailable: "no kernel AIO" } });

test("BMF: one measure per metric: latency in ns with its interval, each exact counter, throughput; unavailable left out", () => {
  const bmf = toBmf(neu);
  assert.deepEqual(Object.keys(bmf), ["lookup/flat", "lookup/slow|pipe"]);
  assert.deepEqual(Object.keys(bmf["lookup/flat"]), ["latency", "slots"]);
  assert.deepEqual(bmf["lookup/flat"].slots, { value: 5 });
  assert.deepEqual(Object.keys(bmf["lookup/slow|pipe"]), ["latency"]);
  for (const metric of Object.values(bmf)) {
    assert.deepEqual(Object.keys(metric.latency), ["value", "lower_value", "upper_value"]);
    assert.ok(metric.latency.lower_value! <= metric.latency.value && metric.latency.value <= metric.latency.upper_value!);
  }
  const pool = syntheticRun([{ id: "throughput/pool-ring", samples: [2, 3, 2, 3] }]);
  Object.assign(pool.results[0], { measurements: { ops_per_s_total: 4e8, load_avg_1m: 0.5 } });
  assert.deepEqual(Object.keys(toBmf(pool)["throughput/pool-ring"]), ["latency", "throughput"]);
  assert.deepEqual(toBmf(pool)["throughput/pool-ring"].throughput, { value: 4e8 });
  assert.ok(Math.abs(bmf["lookup/flat"].latency.value - 1000) < 20, "µs samples are reported in ns");
  assert.ok(Math.abs(bmf["lookup/slow|pipe"].latency.value - 1300) < 30);
});

test("github-action-benchmark: an entry per gated metric (time with its range, each exact counter) for customSmallerIsBetter", () => {
  const entries = toGhActionBenchmark(neu);
  assert.deepEqual(
    entries.map((e) => [e.name, e.unit]),
    [
      ["lookup/flat", "ns/op"],
      ["lookup/flat slots", "slots"],
      ["lookup/slow|pipe", "ns/op"],
    ],
  );
  for (const e of entries.filter((x) => x.unit === "ns/op")) {
    assert.deepEqual(Object.keys(e), ["name", "unit", "value", "range", "extra"]);
    assert.equal(typeof e.value, "number");
    assert.match(e.range!, /^± \d+(\.\d+)?(e[+-]\d+)?$/);
  }
  assert.match(entries[0].extra, /n=64 samples; 95% CI \[[\d.]+, [\d.]+\] ns; backend=wasm/);
  assert.deepEqual(Object.keys(entries[1]), ["name", "unit", "value", "extra"]);
  assert.equal(entries[1].value, 5);
  const wasm = syntheticRun([{ id: "lookup/hash", samples: [2, 3, 2, 3], counters: { wasm_instructions_per_op: 104.5 } }]);
  assert.equal(toGhActionBenchmark(wasm)[1].unit, "wasm instructions/op");
});

test("Markdown: regressions first, machine warning, escaped cells, unchanged folded", () => {
  const md = renderMarkdown(compareRuns(old, { ...neu, machine: { ...neu.machine, cpu: "Other" } }));
  assert.match(md, /^## Benchmark comparison\n\n> \[!WARNING\]\n> WARNING: the runs were made on different machines \(cpu: Test CPU -> Other\)/);
  const rows = md.split("\n").filter((l) => l.startsWith("| `"));
  // An exact-counter regression sorts first, then time regressions.
  assert.match(rows[0], /^\| `lookup\/flat`/);
  // Medians of 64 samples with 1% noise around 1000 and 1300 ns: within a percent of those, each with its unit.
  assert.match(rows[1], /^\| `lookup\/slow\\\|pipe` \| (99\d ns|1\.0\d µs) \| 1\.(29|30|31) µs \| \*\*\+(29|30|31)\.\d%\*\* \| \[.*\] \| 🔴 regressed \|/);
  assert.match(md, /⚫ unavailable \(not measured \(new: no kernel AIO\)\)/);
  assert.match(md, /🔴 slots 4 -> 5 \(\+25\.0%, regressed\)/);
  const plain = renderMarkdown(compareRuns(old, old));
  assert.match(plain, /<details><summary>3 unchanged<\/summary>/);
  assert.doesNotMatch(plain, /WARNING/);
});

test("Markdown: ids and names from files cannot escape their code span or cell, nor reach the terminal raw (issue 20)", () => {
  const hostile = [
    "x` ![i](http://e/i.png) @octocat <img src=x onerror=alert(1)> `y",
    "``a```b",
    "`lead",
    "a\x1b[31mred\x1b]0;title\x07b\x9b1m",
    "two\nlines|pipe",
  ];
  const run = syntheticRun(
    hostile.map((id) => ({ id, samples: [1, 2, 3], counters: { "c @someone <b>![x](y)": 1 } })),
    { cpu: "@team ![x](https://e/x.png) <script>\x1b[2J www.e.com" },
  );
  const md = renderMarkdown(compareRuns(syntheticRun(hostile.map((id) => ({ id, samples: [1, 2, 3], counters: { "c @someone <b>![x](y)": 2 } }))), run));
  // Nothing from the files reaches the output raw: no control character, no tag, no image, no live mention or URL.
  assert.doesNotMatch(md, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  const codeSpans = new Map<string, string>();
  for (const line of md.split("\n").filter((l) => l.startsWith("| `"))) {
    // The first cell is one code span: an opening fence, the text, a closing fence of the same length.
    const m = /^\| (`+)( ?)(.*?)\2\1 \| /.exec(line);
    assert.ok(m, line);
    const [, fence, , body] = m;
    assert.ok(!body.includes(fence), `a backtick run as long as the fence ends the span early: ${line}`);
    codeSpans.set(body, fence);
  }
  assert.equal(codeSpans.get("x` ![i](http://e/i.png) @octocat <img src=x onerror=alert(1)> `y"), "``");
  assert.equal(codeSpans.get("``a```b"), "````");
  assert.equal(codeSpans.get("`lead"), "``");
  assert.ok(codeSpans.has("a\\x1b[31mred\\x1b]0;title\\x07b\\x9b1m"));
  assert.ok(codeSpans.has("two\\x0alines\\|pipe"));
  // Prose outside code: escaped punctuation, and a word joiner breaks mentions and links.
  const outside = md.replace(/^\| `+.*?`+ \| /gm, "");
  assert.doesNotMatch(outside, /(?<!\\)<(img|script|b>)|!\[/);
  assert.doesNotMatch(outside, /@(team|someone)|https:\/\/|www\.e/);
  assert.match(outside, /@\u2060team !\\\[x\\\]\(https:\u2060\/\/e\/x\.png\) \\<script>\\\\x1b\\\[2J www\u2060\.e\.com/);
  assert.match(outside, /c @\u2060someone \\<b>!\\\[x\\\]\(y\) 2 -> 1/);
});

test("Markdown of a run: a row per benchmark (median, interval, ratio to the reference, counters), unavailable rows say why, headlines after", () => {
  const run = syntheticRun([
    { id: "ring/wasm", samples: noisyRun(random, 1000, quiet), counters: { wasm_instructions_per_op: 104.5 } },
    { id: "ring/model`|x", samples: noisyRun(random, 4000, quiet) },
    { id: "ring/kernel", samples: [1, 2] },
  ]);
  Object.assign(run.results[0], { reference: true, group: "g" });
  Object.assign(run.results[1], { group: "g" });
  Object.assign(run.results[2], { samples: [], stats: null, status: { unavailable: "no <b>AIO</b> @here" } });
  const md = renderRunMarkdown(run, [{ text: "ring: model / wasm: 4.00x", target: ">= 2.5x", met: true }, { text: "shown for scale" }]);
  const rows = md.split("\n").filter((l) => l.startsWith("| `"));
  assert.equal(rows.length, 3);
  assert.match(rows[0], /^\| `ring\/wasm` \| (99\d ns|1\.0\d µs) \| \[.* \| 64 \| 1\.00x \| `wasm_instructions_per_op` 105 \|$/);
  assert.match(rows[1], /^\| ``ring\/model`\\\|x`` \| [34]\.\d\d µs \| .* \| 64 \| (3\.9\d|4\.0\d)x \| – \|$/);
  assert.match(rows[2], /not measured \(no \\<b>AIO\\<\/b> @\u2060here\) \|$/);
  assert.match(
    md,
    /### Headlines\n\n\| \| Figure \| Target \|\n\|---\|---\|---\|\n\| met \| ring: model \/ wasm: 4\.00x \| >= 2\.5x \|\n\| info \| shown for scale \| – \|/,
  );
  assert.doesNotMatch(renderRunMarkdown(run), /Headlines/, "no headlines, no section");
});

test("the library exports what the CLI does: scenarios, fuzzing, bench, compare, the gate, ab, selfcheck, stress, every output", () => {
  assert.deepEqual(Object.keys(library).sort(), [
    "AB_BUDGET_MS",
    "BenchCaseError",
    "GATE_ON",
    "KERNEL_LOOPS",
    "OUTPUTS",
    "PROFILES",
    "PROFILE_NAMES",
    "RUN_SCHEMA_ID",
    "STRATEGIES",
    "SUITES",
    "ScenarioError",
    "SharedRingRunError",
    "UserError",
    "abRevisions",
    "appendHistory",
    "benchHome",
    "comparableRuns",
    "compareRuns",
    "comparisonSchema",
    "diffResults",
    "fetchKernel",
    "formatDisagreements",
    "gate",
    "historyTrends",
    "kernelAvailability",
    "listBaselines",
    "listKernels",
    "loadBaseline",
    "outputNames",
    "parseRun",
    "parseScenario",
    "previousRunLine",
    "processConfig",
    "readComparisonFile",
    "readHistory",
    "readPreviousRun",
    "readRunFile",
    "readScenarioFile",
    "renderComparison",
    "renderComparisonHtml",
    "renderHtml",
    "renderOutput",
    "renderRunTable",
    "runBench",
    "runFuzz",
    "runJsonSchema",
    "runKernelFuzz",
    "runKernelTiming",
    "runOnAllBackends",
    "runScenario",
    "runScenarioOnKernel",
    "runSchema",
    "runSharedRing",
    "saveBaseline",
    "selfcheck",
    "strategiesFor",
    "strategy",
    "validateComparison",
    "writeComparisonHtmlReport",
    "writeHtmlReport",
    "writeOutputs",
  ]);
});

test("every export of the library, types included, carries a doc comment", () => {
  const entry = fileURLToPath(new URL("src/index.ts", REPO));
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
  const undocumented = exports
    .map((sym) => (sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym))
    .filter((sym) => ts.displayPartsToString(sym.getDocumentationComment(checker)).trim() === "")
    .map((sym) => sym.name);
  assert.ok(exports.length > 100, `${exports.length} exports`);
  assert.deepEqual(undocumented, []);
});

test("runBench's options have the CLI's defaults, and suites can be named", () => {
  const all = benchRunOptions({});
  assert.deepEqual(
    all.suites.map((s) => s.name),
    library.SUITES.map((s) => s.name),
  );
  assert.deepEqual([all.filter, all.quick, all.full, all.sizes, all.timeMs], [null, false, false, null, 250]);
  assert.equal(benchRunOptions({ quick: true }).timeMs, 60);
  assert.equal(benchRunOptions({ full: true }).timeMs, 400);
  const some = benchRunOptions({ suites: ["ring", "lookup"], filter: "hash/wasm", timeMs: 10 });
  assert.deepEqual(
    some.suites.map((s) => s.name),
    ["ring", "lookup"],
  );
  assert.ok(some.filter?.test("lookup/hash/wasm/n=1") && !some.filter.test("lookup/hash-wasm"));
  assert.equal(some.timeMs, 10);
  assert.throws(() => benchRunOptions({ suites: ["nope"] }), /unknown suite "nope" \(known: ring, /);
});

test("runBench({ suites: [NAME] }) runs that suite by name", async () => {
  const { run } = await library.runBench({ suites: ["lookup"], filter: "/hash\\/wasm\\/n=1\\//", quick: true, timeMs: 5, sizes: [1] });
  assert.deepEqual(
    run.results.map((r) => r.id),
    ["lookup/hash/wasm/n=1/dist=uniform"],
  );
});

test("every output of the registry, by name: rendered as the commands render it, refused without what it needs", () => {
  assert.deepEqual(library.outputNames(), ["markdown", "json", "csv", "html", "bmf", "gh-action"]);
  const comparison = compareRuns(old, neu);
  for (const name of library.outputNames()) assert.ok(library.renderOutput(name, { run: neu, comparison }).length > 0, name);
  assert.equal(library.renderOutput("markdown", { comparison }), renderMarkdown(comparison));
  assert.equal(library.renderOutput("markdown", { run: neu }), renderRunMarkdown(neu));
  assert.throws(() => library.renderOutput("csv", { comparison }), /output "csv" needs a run/);
  assert.throws(() => library.renderOutput("json", { run: neu }), /output "json" needs a comparison/);
  assert.throws(() => library.renderOutput("pdf", { run: neu }), /unknown output "pdf" \(outputs: markdown, json, csv, html, bmf, gh-action\)/);
  const dir = mkdtempSync(join(tmpdir(), "aio-library-"));
  const files = { csv: join(dir, "run.csv"), bmf: join(dir, "run.bmf.json") };
  assert.deepEqual(library.writeOutputs(files, { run: neu }), [files.csv, files.bmf]);
  assert.equal(readFileSync(files.csv, "utf8"), library.renderOutput("csv", { run: neu }));
});

test("the gate is callable: an exact-counter regression fails it", () => {
  const verdict = library.gate(compareRuns(old, neu), { on: "exact" });
  assert.equal(verdict.failed, true);
  assert.match(verdict.summary, /regress/i);
});

test("scenario runs and fuzzing take the CLI's defaults: the WASM backend, seed 1", async () => {
  const path = fileURLToPath(new URL("examples/scenarios/user-reap-basic.json", REPO));
  const scenario = library.readScenarioFile(path);
  const doc = await library.runScenario(path, scenario);
  assert.equal(doc.backend, "wasm");
  assert.deepEqual(doc, await library.runScenario(path, scenario, { backend: "wasm" }));
  const fuzz = library.runFuzz({ ops: 300 });
  assert.equal(fuzz.seed, 1);
  assert.deepEqual(fuzz, library.runFuzz({ ops: 300, seed: 1 }));
});
