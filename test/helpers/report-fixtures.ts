import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DistItem } from "../../src/report/html-charts.js";
import { validateComparison } from "../../src/report/comparison-file.js";
import { compareRuns } from "../../src/report/compare.js";
import type { Comparison } from "../../src/contract/comparison.js";
import { parseRun } from "../../src/bench/run-file.js";
import type { Run, RunResult } from "../../src/contract/run-document.js";
import { HISTORY_SCHEMA_ID, type HistoryRecord } from "../../src/contract/history-record.js";
import { runBench } from "../../src/bench/runner.js";
import { caseId } from "../../src/contract/suite.js";
import { SUITES } from "../../bench/index.js";

export const root = fileURLToPath(new URL("../../../", import.meta.url));
/** A real ab result (test/fixtures/README.md says how it was made). */
export const AB_FIXTURE = join(root, "test", "fixtures", "ab-lookup-remap.json");

/** The HTML options of an old run compared with `run`, as the commands make them (the comparison made once). */
export const compared = (old: Run, run: Run) => ({ baseline: old, comparison: compareRuns(old, run, { oldSource: "old run", newSource: "this run" }) });
export const abFixture = (): Comparison => validateComparison(JSON.parse(readFileSync(AB_FIXTURE, "utf8")), AB_FIXTURE);
export const outDir = join(root, "build", "test-output");

// ---- the run under test ----

// Spread around 1 with median exactly 1, so fixture medians are exact.
export const SAMPLE_SPREAD = [0.97, 0.99, 1, 1, 1, 1, 1.02, 1.05];

export function result(
  suite: string,
  kase: string,
  params: Record<string, string | number>,
  backend: string,
  median: number,
  extra: Partial<RunResult> = {},
): RunResult {
  const samples = SAMPLE_SPREAD.map((f) => f * median);
  return {
    id: caseId(suite, { case: kase, params, backend }),
    suite,
    case: kase,
    params,
    backend,
    unit: "ns/op",
    samples,
    stats: { mean: median * 1.00125, median, p99: median * 1.05, min: median * 0.97, max: median * 1.05, sd: median * 0.024, rme: 1.7, n: samples.length },
    counters: {},
    complexity: null,
    ...extra,
  };
}

/**
 * A SYNTHETIC FIXTURE, not a measurement: made-up numbers in the shape of the
 * run schema, labelled as such in tool/config, for the unit tests that need
 * known numbers. The browser test uses realSmallRun().
 */
export function smallRun(): Run {
  const ns = [16, 256, 4096];
  const lookup: RunResult[] = [
    ...ns.map((n) =>
      result("lookup", "table-slot", { n, dist: "uniform" }, "wasm", 3, {
        complexity: { big_o: "O(1)", coefficient: 3, rms: 0.1 },
        counters: { slots_visited_per_op: 1 },
      }),
    ),
    ...ns.map((n) =>
      result("lookup", "list-walk", { n, dist: "uniform" }, "wasm", 0.5 * n, {
        complexity: { big_o: "O(N)", coefficient: 0.5, rms: 2 },
        counters: { slots_visited_per_op: n / 2 },
      }),
    ),
    ...ns.map((n) =>
      result("lookup", "binary-search", { n, dist: "uniform" }, "wasm", 2 * Math.log2(n), {
        complexity: { big_o: "O(log N)", coefficient: 2, rms: 0.3 },
        counters: { slots_visited_per_op: Math.log2(n) },
      }),
    ),
  ];
  const getevents: RunResult[] = [
    result("getevents", "zero-timeout", { timeout_ns: 0 }, "model", 40),
    result("getevents", "timer-path", { timeout_ns: 1 }, "model", 55),
    result("getevents", "zero-timeout", { timeout_ns: 0 }, "kernel", 300),
    result("getevents", "timer-path", { timeout_ns: 1 }, "kernel", 52000),
  ];
  const throughput = [1, 2, 4].map((workers) => result("throughput", "submit-reap", { workers }, "wasm", 900 / workers));
  const remap: RunResult[] = [
    ...ns.map((n) => result("remap", "remap-scan", { n, dist: "uniform" }, "wasm", 2 * n, { counters: { slots_visited_per_op: n / 2 } })),
    ...ns.map((n) => result("remap", "back-pointer", { n, dist: "uniform" }, "wasm", 40, { counters: { slots_visited_per_op: 1 } })),
    ...ns.map((n) => result("remap", "kernel-mremap", { n, dist: "newest" }, "kernel", 7000 + 5 * n)),
  ];
  const criu = [256, 1024, 4096].flatMap((n) => [
    result("criu-restore", "remap-scan", { n }, "wasm", (n * n) / 2, { counters: { slots_visited_per_restore: (n * (n + 1)) / 2 } }),
    result("criu-restore", "back-pointer", { n }, "wasm", 80 * n, { counters: { slots_visited_per_restore: n } }),
  ]);
  const run: Run = {
    schema: "aio-ring-bench/run@1",
    tool: { name: "aio-ring-bench", version: "0.1.0 (synthetic test fixture)" },
    git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false },
    started: "2025-11-25T12:00:00.000Z",
    machine: { node: "v20.20.2", v8: "11.3", cpu: "fixture CPU", cores: 2, kernel: "6.18.0", arch: "x64" },
    config: {
      suites: ["lookup", "getevents", "throughput", "remap", "criu-restore"],
      quick: true,
      fixture: "synthetic numbers for report tests, not a measurement",
    },
    results: [...lookup, ...getevents, ...throughput, ...remap, ...criu],
  };
  return parseRun(JSON.stringify(run), "smallRun()"); // the fixture itself must satisfy the schema
}

/**
 * A real, small bench run: lookup (two strategies, three sizes), getevents and a quick throughput run;
 * `injectSlowdown` makes its in-process benchmarks that much slower (the runner's selfcheck option).
 */
export async function realSmallRun(injectSlowdown = 0): Promise<Run> {
  const suites = SUITES.filter((x) => ["lookup", "remap", "getevents", "throughput"].includes(x.name));
  const filter = /^(lookup\/(list-walk|hash)\/wasm\/|remap\/(remap-scan|back-pointer|kernel-mremap)\/|getevents\/|throughput\/)/;
  const main = (await runBench({ suites, filter, quick: true, full: false, sizes: [16, 256, 4096], timeMs: 20, injectSlowdown })).run;
  // CRIU restore is quadratic for remap-scan: small N keep the test short.
  const criu = (
    await runBench({
      suites: SUITES.filter((x) => x.name === "criu-restore"),
      filter: /remap-scan|back-pointer/,
      quick: true,
      full: false,
      sizes: [16, 64, 256],
      timeMs: 20,
      injectSlowdown,
    })
  ).run;
  return { ...main, results: [...main.results, ...criu.results] };
}

// Run-to-run wobble of ±1% whose median over any 6 or 7 consecutive runs used below is exactly 1.
export const WOBBLE = [1, 1.005, 0.995, 1.01, 0.99, 1, 1, 1.005, 0.995, 1.01, 0.99, 1];

/** Twelve earlier daily runs; list-walk at n=4096 is 30% slower from the 7th on (2025-11-19, commit 6666666). */
export function smallHistory(run: Run): HistoryRecord[] {
  return WOBBLE.map((f, i) => ({
    schema: HISTORY_SCHEMA_ID,
    started: new Date(Date.UTC(2025, 10, 13 + i, 12)).toISOString(),
    git: { commit: i.toString(16).repeat(40), dirty: false },
    tool: "0.1.0 (synthetic test fixture)",
    machine: run.machine,
    results: Object.fromEntries(
      run.results.map((r) => {
        const base = r.stats!.median * (r.id === STEP_ID && i < 6 ? 1 / 1.3 : 1);
        return [r.id, { median: base * f, ci: [base * f * 0.99, base * f * 1.01], n: 8, counters: r.counters }];
      }),
    ),
  }));
}
export const STEP_ID = "lookup/list-walk/wasm/n=4096/dist=uniform";

export function dataBlock(html: string): { run: Run; charts: { canvas: string }[]; dists: Record<string, DistItem[]> } {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, "report has its JSON data block");
  return JSON.parse(m[1]!);
}

// ---- renderHtml ----
