import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UserError } from "../src/contract/errors.js";
import { baselinePath, checkBaselineName, listBaselines, loadBaseline, saveBaseline } from "../src/bench/baseline.js";
import { syntheticRun } from "./helpers/synthetic.js";

const home = mkdtempSync(join(tmpdir(), "arb-baseline-"));
process.env.AIO_RING_BENCH_HOME = home;

test("bad baseline names are UserErrors", () => {
  for (const bad of ["", "..", "../x", "a/b", "a\\b", ".hidden", "a..b", "x".repeat(65), "sp ace", "nul\0"]) {
    assert.throws(
      () => checkBaselineName(bad),
      (e: unknown) => e instanceof UserError && /bad baseline name/.test(e.message),
      bad,
    );
  }
  for (const good of ["main", "v0.1.0", "pr-12_b", "x".repeat(64)]) checkBaselineName(good);
});

test("save then load by name and by file; the run keeps machine, tool version and commit", () => {
  const run = syntheticRun([{ id: "a/b", samples: [1, 2, 3], counters: { c: 1 } }]);
  const path = saveBaseline("main", run);
  assert.equal(path, join(home, "baselines", "main.json"));
  assert.equal(baselinePath("main"), path);
  const byName = loadBaseline("main");
  assert.deepEqual(byName.run, run);
  assert.equal(byName.source, path);
  assert.equal(byName.run.machine.cpu, "Test CPU");
  assert.equal(byName.run.git?.commit, run.git?.commit);
  assert.deepEqual(loadBaseline(path).run, run);
  saveBaseline("main", run);
  assert.deepEqual(readdirSync(join(home, "baselines")), ["main.json"], "no temp files left behind");
  assert.deepEqual(listBaselines(), ["main"]);
});

test("unknown baseline names and broken baseline files are UserErrors", () => {
  assert.throws(
    () => loadBaseline("nope"),
    (e: unknown) => e instanceof UserError && /no baseline named "nope" .*\(saved: main\)/.test(e.message),
  );
  assert.throws(
    () => loadBaseline("../etc/passwd"),
    (e: unknown) => e instanceof UserError && /does not exist/.test(e.message),
  );
  writeFileSync(join(home, "baselines", "broken.json"), '{"schema":');
  assert.throws(
    () => loadBaseline("broken"),
    (e: unknown) => e instanceof UserError && /broken\.json: truncated JSON/.test(e.message),
  );
});
