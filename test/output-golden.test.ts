// Every output, rendered from fixed documents, is byte for byte what the
// files in test/fixtures/golden/ hold: they were written once by the code
// before the outputs moved into one registry (test/fixtures/README.md says
// how), so a change to any output's bytes shows here. The inputs carry their
// own dates and machines, so nothing depends on when or where this runs.
// The commands write through the registry now, so CSV and an ab file's
// Markdown, which had no command then, are checked through one too.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);
const GOLDEN = join(root, "test/fixtures/golden");
// Relative paths, run from the repository: the comparison names its sources as given.
const OLD = "test/fixtures/run-valid-old.json";
const NEW = "test/fixtures/run-valid.json";
const AB = "test/fixtures/ab-lookup-remap.json";
const RING = "test/fixtures/run-ring.json";

function cli(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(root, "dist/src/cli.js"), ...args], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, `${args.join(" ")}:\n${r.stdout}${r.stderr}`);
}

const golden = (name: string) => readFileSync(join(GOLDEN, name), "utf8");

function assertGolden(dir: string, name: string): void {
  assert.ok(readFileSync(join(dir, name), "utf8") === golden(name), `${name} differs from test/fixtures/golden/${name}`);
}

function outDir(): string {
  return mkdtempSync(join(tmpdir(), "aio-golden-"));
}

describe("outputs match their golden files", () => {
  it("compare writes every output of the registry: Markdown, comparison JSON, and CSV, BMF, gh-action of NEW", () => {
    const dir = outDir();
    const files: [string, string][] = [
      ["--markdown", "comparison.md"],
      ["--json", "comparison.json"],
      ["--csv", "run.csv"],
      ["--bmf", "run.bmf.json"],
      ["--gh-action", "run.gh-action.json"],
    ];
    cli("compare", OLD, NEW, ...files.flatMap(([flag, name]) => [flag, join(dir, name)]));
    for (const [, name] of files) assertGolden(dir, name);
  });

  it("report writes the same outputs of a run, its HTML page and (new since) its Markdown", () => {
    const dir = outDir();
    cli(
      "report",
      NEW,
      "--html",
      join(dir, "run.html"),
      "--csv",
      join(dir, "run.csv"),
      "--bmf",
      join(dir, "run.bmf.json"),
      "--gh-action",
      join(dir, "run.gh-action.json"),
      "--markdown",
      join(dir, "run.md"),
    );
    for (const name of ["run.html", "run.csv", "run.bmf.json", "run.gh-action.json", "run.md"]) assertGolden(dir, name);
  });

  it("report RUN --markdown ends with the headline targets bench showed, recomputed by the run's suites", () => {
    const dir = outDir();
    cli("report", RING, "--markdown", join(dir, "run-ring.md"));
    assertGolden(dir, "run-ring.md");
    const headlines = golden("run-ring.md").split("### Headlines\n")[1] ?? "";
    for (const mark of ["met", "MISSED", "undecided", "info"]) assert.match(headlines, new RegExp(`^\\| ${mark} \\| ring: `, "m"), mark);
    assert.match(headlines, /\\\[1\.44x, 1\.57x\\\]/, "the interval of the missed target");
  });

  it("the HTML page of two runs compared, and an ab file's page and Markdown", () => {
    const dir = outDir();
    cli("report", OLD, NEW, "--html", join(dir, "comparison-run.html"));
    cli("report", AB, "--html", join(dir, "ab.html"), "--markdown", join(dir, "ab.md"));
    for (const name of ["comparison-run.html", "ab.html", "ab.md"]) assertGolden(dir, name);
  });

  it("the HTML's counter-threshold sentence follows --counter-threshold", () => {
    const dir = outDir();
    cli("report", OLD, NEW, "--counter-threshold", "5", "--html", join(dir, "comparison-run-counter-5.html"));
    assertGolden(dir, "comparison-run-counter-5.html");
    assert.match(golden("comparison-run-counter-5.html"), /a change of 5\.0% or more is a verdict/);
    assert.match(golden("comparison-run.html"), /a change of 1\.0% or more is a verdict/);
  });
});
