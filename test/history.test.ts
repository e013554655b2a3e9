import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { appendHistory, readHistory } from "../src/bench/history.js";
import type { HistoryRecord } from "../src/contract/history-record.js";
import { historyTrends } from "../src/bench/trends.js";
import { UserError } from "../src/contract/errors.js";
import { gaussian, syntheticRun, uniform } from "./helpers/synthetic.js";

const dir = mkdtempSync(join(tmpdir(), "arb-history-"));

function runAt(level: number, random: () => number, started: string, counters: Record<string, number> = { slots: 10 }, cpu = "Test CPU") {
  const run = syntheticRun([{ id: "lookup/scan", samples: Array.from({ length: 32 }, () => level * (1 + 0.01 * gaussian(random))), counters }], { cpu });
  return { ...run, started };
}

test("append writes one compact JSON line per run, atomically (no temp files)", () => {
  const file = join(dir, "append.jsonl");
  const random = uniform(1);
  appendHistory(file, runAt(100, random, "2025-01-01T00:00:00.000Z"));
  appendHistory(file, runAt(101, random, "2025-01-02T00:00:00.000Z"));
  const lines = readFileSync(file, "utf8").split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "");
  const rec = JSON.parse(lines[1]) as HistoryRecord;
  assert.equal(rec.schema, "aio-ring-bench/history@1");
  assert.equal(rec.started, "2025-01-02T00:00:00.000Z");
  const m = rec.results["lookup/scan"];
  assert.ok("median" in m && m.ci[0] <= m.median && m.median <= m.ci[1] && Math.abs(m.median - 101) < 1);
  assert.deepEqual(readdirSync(dir), ["append.jsonl"]);
});

test("a corrupt line in the middle is reported with its line number; the rest is used", () => {
  const file = join(dir, "corrupt.jsonl");
  const random = uniform(2);
  appendHistory(file, runAt(100, random, "2025-01-01T00:00:00.000Z"));
  writeFileSync(file, `${readFileSync(file, "utf8")}{"schema":"aio-ring-bench/history@1","started":\n{"schema":"other"}\n`);
  appendHistory(file, runAt(100, random, "2025-01-04T00:00:00.000Z"));
  const { records, warnings } = readHistory(file);
  assert.equal(records.length, 2);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /corrupt\.jsonl:2: not valid JSON/);
  assert.match(warnings[1], /corrupt\.jsonl:3: schema: /);
  assert.throws(
    () => readHistory(join(dir, "none.jsonl")),
    (e: unknown) => e instanceof UserError && /does not exist/.test(e.message),
  );
});

test("trends flag a 10% step at the right run, a counter change exactly, and nothing in a flat series", () => {
  const file = join(dir, "trend.jsonl");
  const random = uniform(3);
  for (let i = 0; i < 20; i++) {
    const day = String(i + 1).padStart(2, "0");
    appendHistory(
      file,
      runAt(i < 12 ? 100 : 110, random, `2025-01-${day}T00:00:00.000Z`, { slots: i < 15 ? 10 : 12 }, i < 12 ? "Test CPU" : i < 16 ? "Test CPU" : "Other CPU"),
    );
  }
  const [trend] = historyTrends(readHistory(file).records);
  assert.equal(trend.points.length, 20);
  assert.equal(trend.steps.length, 1, JSON.stringify(trend.steps));
  const [step] = trend.steps;
  assert.equal(step.record, 12);
  assert.equal(step.verdict, "regressed");
  assert.ok(step.change > 0.08 && step.change < 0.12);
  assert.equal(step.machineChanged, false);
  assert.ok(trend.change !== null && trend.change > 0.08);
  assert.deepEqual(
    trend.counterSteps.map((c) => [c.record, c.changes]),
    [[15, [{ name: "slots", old: 10, new: 12, change: 0.19999999999999996, verdict: "regressed" }]]],
  );

  const flat = join(dir, "flat.jsonl");
  for (let i = 0; i < 20; i++) appendHistory(flat, runAt(100, random, `2025-02-${String(i + 1).padStart(2, "0")}T00:00:00.000Z`));
  const [quiet] = historyTrends(readHistory(flat).records);
  assert.deepEqual(quiet.steps, []);
  assert.deepEqual(quiet.counterSteps, []);
});

test("a step where the machine changed is marked as such; a step 3 runs ago is already flagged", () => {
  const file = join(dir, "machine.jsonl");
  const random = uniform(4);
  for (let i = 0; i < 11; i++) {
    appendHistory(
      file,
      runAt(i < 8 ? 100 : 90, random, `2025-03-${String(i + 1).padStart(2, "0")}T00:00:00.000Z`, { slots: 10 }, i < 8 ? "Test CPU" : "Fast CPU"),
    );
  }
  const [trend] = historyTrends(readHistory(file).records);
  assert.equal(trend.steps.length, 1);
  assert.equal(trend.steps[0].record, 8);
  assert.equal(trend.steps[0].verdict, "improved");
  assert.equal(trend.steps[0].machineChanged, true);
});
