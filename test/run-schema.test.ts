import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { UserError } from "../src/contract/errors.js";
import { readFileSync } from "node:fs";
import { MAX_RUN_BYTES, runJsonSchema } from "../src/contract/run-document.js";
import { parseRun, readRunFile } from "../src/bench/run-file.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

function userError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UserError && e.exitCode === 2 && pattern.test(e.message));
}

test("a valid run, including an unavailable result, parses", () => {
  const run = readRunFile(fixture("run-valid.json"));
  assert.equal(run.results.length, 2);
  assert.equal(run.results[0].counters.slots_visited_per_op, 2048.5);
  assert.deepEqual(run.results[1].status, { unavailable: "io_setup returned ENOSYS" });
  assert.equal(run.results[1].stats, null);
});

test("bad run files are UserErrors naming the file and what is wrong", () => {
  userError(() => readRunFile(fixture("missing.json")), /missing\.json: run file does not exist/);
  userError(() => readRunFile(fixture("run-corrupt.json")), /run-corrupt\.json: not valid JSON/);
  userError(() => readRunFile(fixture("run-truncated.json")), /run-truncated\.json: truncated JSON/);
  userError(() => readRunFile(fixture("run-wrong-schema.json")), /run-wrong-schema\.json: schema is "aio-ring-bench\/run@2", expected "aio-ring-bench\/run@1"/);
  userError(() => readRunFile(fixture("run-bad-field.json")), /run-bad-field\.json: results\[0\]\.stats\.median: .*number/);
  userError(() => readRunFile(fixture("run-unavailable-with-samples.json")), /results\[1\]\.samples: must be empty for an unavailable result/);
  userError(() => readRunFile(fixture("")), /not a regular file/);
  userError(() => parseRun("", "empty.json"), /empty\.json: file is empty/);
});

test("structural rules: stats.n matches samples, ids are unique, sizes are bounded", () => {
  const valid = JSON.parse(JSON.stringify(readRunFile(fixture("run-valid.json"))));
  const withN = structuredClone(valid);
  withN.results[0].stats.n = 5;
  userError(() => parseRun(JSON.stringify(withN), "n.json"), /n\.json: results\[0\]\.stats\.n: is 5 but there are 4 samples/);
  const dup = structuredClone(valid);
  dup.results[1].id = dup.results[0].id;
  userError(() => parseRun(JSON.stringify(dup), "dup.json"), /dup\.json: results\[1\]\.id: duplicate benchmark id/);
  const measuredEmpty = structuredClone(valid);
  measuredEmpty.results[0].samples = [];
  measuredEmpty.results[0].stats.n = 0;
  userError(() => parseRun(JSON.stringify(measuredEmpty), "e.json"), /e\.json: results\[0\]\.(samples|stats\.n)/);
  userError(() => parseRun(" ".repeat(MAX_RUN_BYTES + 1), "big.json"), /big\.json: \d+ bytes is larger than the 67108864-byte limit/);
});

test("round sizes must add up to the samples", () => {
  const run = JSON.parse(readFileSync(fixture("run-valid.json"), "utf8"));
  run.results[0].round_sizes = [1, 1];
  userError(() => parseRun(JSON.stringify(run), "rounds.json"), /rounds\.json: results\[0\]\.round_sizes: add up to 2 but there are \d+ samples/);
  run.results[0].round_sizes = [run.results[0].samples.length];
  assert.deepEqual(parseRun(JSON.stringify(run), "rounds.json").results[0].round_sizes, [run.results[0].samples.length]);
});

test("docs/run-schema.json is the JSON Schema generated from the zod definitions (regenerate: aio-ring-bench schema run)", () => {
  const kept = JSON.parse(readFileSync(fileURLToPath(new URL("../../docs/run-schema.json", import.meta.url)), "utf8"));
  assert.deepEqual(kept, runJsonSchema());
  const result = (runJsonSchema() as { properties: { results: { items: { properties: Record<string, unknown> } } } }).properties.results.items.properties;
  for (const field of ["round_sizes", "counter_complexity", "status", "counters"]) assert.ok(field in result, field);
});
