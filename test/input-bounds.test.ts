// Every JSON input is bounded in depth, and large inputs take linear time
// (issue 20, items 8 and 10): a run, comparison, history line or scenario
// nested thousands deep is one line naming the file, exit 2, never a stack
// trace; 100,000 benchmarks render a table, a history of one record with
// 100,000 ids prints. No time is asserted: a quadratic layout fails by
// never finishing within the test's generous timeout.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { UserError } from "../src/contract/errors.js";
import { MAX_RESULTS } from "../src/contract/run-document.js";
import { parseRun } from "../src/bench/run-file.js";
import { readHistory } from "../src/bench/history.js";
import { parseScenario } from "../src/scenario/parse.js";
import { renderTable } from "../src/report/text-table.js";
import { depthExceededAt, MAX_JSON_DEPTH } from "../src/util/json-depth.js";
import { REPO } from "./helpers.js";
import { syntheticRun } from "./helpers/synthetic.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const dir = mkdtempSync(join(tmpdir(), "aio-bounds-"));
const DEEP = 5000;
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
/** A valid run document with `value` as its config's one entry. */
const runWith = (value: string) => JSON.stringify({ ...syntheticRun([{ id: "lookup/a", samples: [1, 2, 3] }]), config: { x: "@" } }).replace('"@"', value);

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    cwd: dir,
    env: { ...process.env, AIO_RING_BENCH_HOME: join(dir, "home"), COLUMNS: "100" },
  });
}

describe("JSON depth", () => {
  it("counts arrays and objects, not brackets inside strings or after escaped quotes", () => {
    assert.equal(depthExceededAt(nested(MAX_JSON_DEPTH)), -1);
    assert.equal(depthExceededAt(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH);
    assert.equal(depthExceededAt(JSON.stringify({ a: "[[[[{{{{", b: ['\\"[[[['] }), 2), -1);
    assert.equal(depthExceededAt('{"a":{"b":[1]}}', 2), 10);
  });

  it("a run nested 5,000 deep is refused by parseRun: one line naming the file", () => {
    for (const value of [nested(DEEP), `${'{"a":'.repeat(DEEP)}1${"}".repeat(DEEP)}`]) {
      assert.throws(
        () => parseRun(runWith(value), "deep.json"),
        (e: unknown) => e instanceof UserError && /^deep\.json: nested more than 64 levels deep \(at position \d+\)$/.test(e.message),
      );
    }
    // The documents the tool writes are far shallower than the bound.
    assert.equal(parseRun(runWith(nested(10)), "ok.json").results.length, 1);
  });

  it("a scenario nested 5,000 deep is refused before its fields are read", () => {
    const text = JSON.stringify({ name: "x", profile: "v6.12", cpus: 2, steps: [] }).replace("[]", `[${nested(DEEP)}]`);
    assert.throws(
      () => parseScenario(text, "deep-scenario.json"),
      (e: unknown) => e instanceof UserError && /^deep-scenario\.json: nested more than 64 levels deep/.test(e.message),
    );
  });

  it("a history line nested 5,000 deep is skipped with a warning naming its line; the others count", () => {
    const file = join(dir, "deep.jsonl");
    writeFileSync(file, `${nested(DEEP)}\n`);
    const read = readHistory(file);
    assert.equal(read.records.length, 0);
    assert.deepEqual(read.warnings, [`${file}:1: nested more than 64 levels deep (at position 64); line skipped`]);
  });

  it("the CLI: report, compare, history --append and scenario exit 2 with one line, no stack trace", () => {
    writeFileSync(join(dir, "deep-run.json"), runWith(nested(DEEP)));
    writeFileSync(join(dir, "ok-run.json"), runWith("1"));
    writeFileSync(join(dir, "deep-scenario.json"), JSON.stringify({ name: "x", profile: "v6.12", cpus: 2, steps: "@" }).replace('"@"', nested(DEEP)));
    for (const args of [
      ["report", "deep-run.json", "--html", "out.html"],
      ["compare", "ok-run.json", "deep-run.json"],
      ["history", "--append", "deep-run.json", "--file", "h.jsonl"],
      ["scenario", "deep-scenario.json"],
    ]) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^aio-ring-bench: deep-(run|scenario)\.json: nested more than 64 levels deep \(at position \d+\)\n$/, args.join(" "));
    }
  });
});

describe("large inputs in linear time", () => {
  it(`a table of ${MAX_RESULTS} rows (the most a run may hold) is laid out, every line within the width`, { timeout: 120_000 }, () => {
    const rows = Array.from({ length: MAX_RESULTS }, (_, i) => [`lookup/list-walk/wasm/n=${i}/dist=uniform`, `${i} ns`, "unchanged"]);
    const t = renderTable([{ header: "benchmark", min: 24, cut: "key" }, { header: "median", align: "right" }, { header: "verdict" }], rows, 60);
    const lines = t.text.split("\n");
    assert.equal(lines.length, MAX_RESULTS + 1);
    assert.ok(lines.every((l) => [...l].length <= 60));
    assert.equal(new Set(lines.slice(1).map((l) => l.split("  ")[0])).size, MAX_RESULTS, "every id still tells its row apart");
  });

  it("history of one record with 100,000 ids prints them all", { timeout: 120_000 }, () => {
    const run = syntheticRun([]);
    const results: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) results[`lookup/list-walk/wasm/n=${i}/dist=uniform`] = { median: 10 + (i % 7), ci: [9, 12], n: 16, counters: {} };
    const record = { schema: "aio-ring-bench/history@1", started: run.started, git: run.git, tool: "0.1.0", machine: run.machine, results };
    writeFileSync(join(dir, "wide.jsonl"), `${JSON.stringify(record)}\n`);
    const r = cli("history", "--file", "wide.jsonl");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split("\n").length, 2 + 100_000);
  });
});
