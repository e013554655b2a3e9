// Every output, rendered from fixed documents, is byte for byte what the
// files in test/fixtures/golden/ hold: they were written once by the code
// before the outputs moved into one registry (test/fixtures/README.md says
// how), so a change to any output's bytes shows here. The inputs carry their
// own dates and machines, so nothing depends on when or where this runs.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { toCsv } from "../src/report/csv.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { parseRun } from "../src/bench/run-schema.js";
import { validateComparison } from "../src/report/comparison-schema.js";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);
const GOLDEN = join(root, "test/fixtures/golden");
// Relative paths, run from the repository: the comparison names its sources as given.
const OLD = "test/fixtures/run-valid-old.json";
const NEW = "test/fixtures/run-valid.json";
const AB = "test/fixtures/ab-lookup-remap.json";

function cli(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(root, "dist/src/cli.js"), ...args], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, `${args.join(" ")}:\n${r.stdout}${r.stderr}`);
}

const golden = (name: string) => readFileSync(join(GOLDEN, name), "utf8");

function assertGolden(dir: string, name: string): void {
  assert.ok(readFileSync(join(dir, name), "utf8") === golden(name), `${name} differs from test/fixtures/golden/${name}`);
}

describe("outputs match their golden files", () => {
  it("compare's exports: Markdown, comparison JSON, BMF and gh-action of NEW", () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-golden-"));
    const names = ["comparison.md", "comparison.json", "run.bmf.json", "run.gh-action.json"];
    cli(
      "compare",
      OLD,
      NEW,
      "--markdown",
      join(dir, names[0]),
      "--json",
      join(dir, names[1]),
      "--bmf",
      join(dir, names[2]),
      "--gh-action",
      join(dir, names[3]),
    );
    for (const name of names) assertGolden(dir, name);
  });

  it("the HTML reports: a run, two runs compared, an ab file", () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-golden-"));
    cli("report", NEW, "--html", join(dir, "run.html"));
    cli("report", OLD, NEW, "--html", join(dir, "comparison-run.html"));
    cli("report", AB, "--html", join(dir, "ab.html"));
    for (const name of ["run.html", "comparison-run.html", "ab.html"]) assertGolden(dir, name);
  });

  it("the HTML's counter-threshold sentence follows --counter-threshold", () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-golden-"));
    cli("report", OLD, NEW, "--counter-threshold", "5", "--html", join(dir, "comparison-run-counter-5.html"));
    assertGolden(dir, "comparison-run-counter-5.html");
    assert.match(golden("comparison-run-counter-5.html"), /a change of 5\.0% or more is a verdict/);
    assert.match(golden("comparison-run.html"), /a change of 1\.0% or more is a verdict/);
  });

  it("CSV of a run and Markdown of an ab file", () => {
    assert.equal(toCsv(parseRun(readFileSync(join(root, NEW), "utf8"), NEW)), golden("run.csv"));
    assert.equal(renderMarkdown(validateComparison(JSON.parse(readFileSync(join(root, AB), "utf8")), AB)), golden("ab.md"));
  });
});
