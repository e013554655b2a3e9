// Outputs checked together before anything is written (issue 20, items 7
// and 14, and the small cases around them): two outputs on one file, an
// output on an input or on the state folder's own files, a typo'd output
// folder for every output flag of every command, one-line errors with
// control characters shown, duplicate keys in a scenario, a baseline named
// like a folder. In-process, except where the printed line is the point.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const dir = mkdtempSync(join(tmpdir(), "aio-outputs-"));
const home = join(dir, "home");
process.env.AIO_RING_BENCH_HOME = home;

const { UserError } = await import("../src/contract/errors.js");
const { checkOutputs } = await import("../src/util/output-plan.js");
const { benchCommand } = await import("../src/commands/bench.js");
const { parseBenchFlags } = await import("../src/commands/bench-flags.js");
const { ensureStateDir, lastRunFile } = await import("../src/bench/state.js");
const { loadBaseline, saveBaseline } = await import("../src/bench/baseline.js");
const { parseScenario } = await import("../src/scenario/index.js");
const { findDuplicateKey } = await import("../src/util/json-duplicates.js");
const { printable } = await import("../src/util/printable.js");
const { syntheticRun, watchedSuite } = await import("./helpers/synthetic.js");
const { REPO } = await import("./helpers.js");

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const FIXTURE = fileURLToPath(new URL("test/fixtures/run-valid.json", REPO));
const command = async (name: string) => (await import(`../src/commands/${name}.js`)) as { run(argv: string[]): Promise<number> };

const userError = (re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
  assert.equal(e.exitCode, 2);
  assert.match(e.message, re);
  assert.doesNotMatch(e.message, /\n/);
  return true;
};

/** A copy of the valid run fixture at `name` in the test folder. */
function runFile(name: string): string {
  const path = join(dir, name);
  copyFileSync(FIXTURE, path);
  return path;
}

/** A bench selection of one case that records whether it was measured. */
function benchFlags(argv: string[]) {
  const { suite, measured } = watchedSuite();
  return { flags: parseBenchFlags(["--quick", "--time", "5", ...argv], [suite])!, measured };
}

async function benchRefused(argv: string[], re: RegExp): Promise<void> {
  const { flags, measured } = benchFlags(argv);
  await assert.rejects(
    benchCommand(flags, () => undefined),
    userError(re),
  );
  assert.equal(measured(), false, `${argv.join(" ")}: refused before measuring`);
}

describe("outputs that collide are refused up front (item 7)", () => {
  it("two output flags naming one file, also through a symlink or another spelling", async () => {
    const f = join(dir, "same.json");
    await benchRefused(
      ["--json", f, "--history", f],
      /^--history .*same\.json and --json .*same\.json are the same file \(.*same\.json\): give each output its own file$/,
    );
    await benchRefused(["--json", f, "--html", f], /^--json .* and --html .* are the same file/);
    await benchRefused(["--csv", f, "--bmf", `${dir}/./sub/../same.json`], /^--csv .* and --bmf .*sub\/\.\.\/same\.json are the same file \(.*\/same\.json\)/);
    const link = join(dir, "link.json");
    symlinkSync(f, link);
    await benchRefused(["--gh-action", f, "--json", link], /^--json .*link\.json and --gh-action .*same\.json are the same file \(.*\/same\.json\)/);
    assert.ok(!existsSync(f), "nothing written");
    const compare = await command("compare");
    const a = runFile("a.json");
    await assert.rejects(compare.run([a, a, "--markdown", f, "--bmf", link]), userError(/^--markdown .* and --bmf .*link\.json are the same file/));
    assert.ok(!existsSync(f), "nothing written");
  });

  it("an output that is also an input: compare A B --json B, report RUN --html RUN, bench --compare F --json F", async () => {
    const a = runFile("in-a.json");
    const b = runFile("in-b.json");
    const before = readFileSync(b, "utf8");
    const compare = await command("compare");
    await assert.rejects(
      compare.run([a, b, "--json", b]),
      userError(/^--json .*in-b\.json and input NEW \(.*in-b\.json\) are the same file \(.*\): an output must not overwrite an input$/),
    );
    await assert.rejects(compare.run([a, b, "--markdown", a]), userError(/and input OLD \(.*in-a\.json\) are the same file/));
    const report = await command("report");
    await assert.rejects(report.run([b, "--html", b]), userError(/^--html .* and input RUN \(.*\) are the same file/));
    await assert.rejects(report.run([a, b, "--html", a]), userError(/and input OLD \(.*in-a\.json\)/));
    assert.equal(readFileSync(b, "utf8"), before);
    await benchRefused(["--compare", b, "--json", b], /^--json .* and --compare .*in-b\.json are the same file/);
    const history = await command("history");
    await assert.rejects(history.run(["--append", a, "--file", a]), userError(/^--file .* and --append .* are the same file/));
    assert.equal(readFileSync(b, "utf8"), before);
  });

  it("an output onto the state folder's own files: last-run.json, stress-last.json, a saved baseline", async () => {
    ensureStateDir();
    writeFileSync(lastRunFile(), "kept\n");
    await benchRefused(["--csv", lastRunFile()], /^the state folder's last-run\.json and --csv .* are the same file \(.*last-run\.json\)/);
    await benchRefused(["--json", join(home, ".", "last-run.json")], /^the state folder's last-run\.json and --json /);
    assert.equal(readFileSync(lastRunFile(), "utf8"), "kept\n");
    await benchRefused(["--save-baseline", "main", "--json", join(home, "baselines", "main.json")], /^--save-baseline .* and --json .* are the same file/);
    const stress = await command("stress");
    await assert.rejects(
      stress.run(["--events", "10", "--json", join(home, "stress-last.json")]),
      userError(/^the state folder's stress-last\.json and --json .* are the same file/),
    );
  });

  it("replacing an input is allowed where that is the output's purpose, and distinct files pass", () => {
    const input = runFile("ratchet.json");
    // --save-baseline main --compare main, and --compare of last-run.json: compared first, then replaced.
    checkOutputs([{ name: "--save-baseline", path: input, replacesInput: true }], [{ name: "--compare", path: input }]);
    checkOutputs([{ name: "the state folder's last-run.json", path: input, implicit: true, replacesInput: true }], [{ name: "--compare", path: input }]);
    checkOutputs(
      [
        { name: "--json", path: join(dir, "one.json") },
        { name: "--csv", path: join(dir, "two.csv") },
        { name: "--markdown", path: "-" },
      ],
      [{ name: "OLD", path: join(dir, "absent.json") }],
    );
  });
});

describe("a typo'd output folder is refused, never created (item 14)", () => {
  const missing = join(dir, "typo", "sub");
  const refused = userError(/cannot (write|create folder): folder .*typo(\/sub)? does not exist \(create it first\)$/);
  const assertNotMade = () => assert.ok(!existsSync(join(dir, "typo")), "the folder was not created");

  it("every output flag of bench, compare, report, ab, stress, history and fuzz", async () => {
    const run = runFile("typo-run.json");
    for (const flag of ["--json", "--csv", "--html", "--bmf", "--gh-action", "--history"]) await benchRefused([flag, join(missing, "x")], /does not exist/);
    await benchRefused(["--compare", run, "--markdown", join(missing, "x")], /does not exist/);
    const calls: [string, string[]][] = [
      ...["--json", "--markdown", "--bmf", "--gh-action"].map((flag): [string, string[]] => ["compare", [run, run, flag, join(missing, "x")]]),
      ["report", [run, "--html", join(missing, "x.html")]],
      ...["--json", "--markdown", "--bmf", "--gh-action"].map((flag): [string, string[]] => ["ab", [flag, join(missing, "x")]]),
      ["stress", ["--events", "10", "--json", join(missing, "x.json")]],
      ["history", ["--append", run, "--file", join(missing, "h.jsonl")]],
      ["fuzz", ["--out", join(missing, "out")]],
    ];
    for (const [name, argv] of calls) {
      await assert.rejects((await command(name)).run(argv), refused, `${name} ${argv.join(" ")}`);
      assertNotMade();
    }
  });
});

describe("smaller cases (issue 20, low)", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: dir, env: { ...process.env, AIO_RING_BENCH_HOME: home } });

  it("errors are one line: JSON parse snippets and newlines in file or field names are shown escaped", () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{"schema": "aio-ring-bench/run@1",\n "results": [1,\n 2,, 3]}\n');
    const named = join(dir, "we\nird\x1b[31m.json");
    const field = join(dir, "field.json");
    const doc = JSON.parse(readFileSync(FIXTURE, "utf8"));
    doc.machine["bad\nkey\x1b]0;t\x07"] = 1;
    writeFileSync(field, JSON.stringify(doc));
    const scenario = join(dir, "broken-scenario.json");
    writeFileSync(scenario, '{"name": "s",\n "steps": [\n}');
    for (const args of [
      ["compare", broken, FIXTURE],
      ["compare", named, FIXTURE],
      ["report", broken, "--html", join(dir, "r.html")],
      ["scenario", scenario],
    ]) {
      const r = cli(args);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.split("\n").length, 2, `one line: ${JSON.stringify(r.stderr)}`);
      assert.doesNotMatch(r.stderr, /[\x00-\x09\x0b-\x1f\x7f]/);
    }
    assert.match(cli(["compare", broken, FIXTURE]).stderr, /not valid JSON: .*\[1,\\x0a 2,, 3\]\}\\x0a/);
    assert.match(cli(["compare", named, FIXTURE]).stderr, /we\\x0aird\\x1b\[31m\.json: run file does not exist$/m);
    // A key the schema does not know is refused or ignored; either way nothing of it reaches the terminal raw.
    const f = cli(["compare", field, FIXTURE]);
    assert.doesNotMatch(f.stderr + f.stdout, /[\x07\x1b]|bad\nkey/);
  });

  it("control characters, Unicode line separators and bidi overrides are shown escaped", () => {
    assert.equal(printable("a\x1b[2J\u202egnp.exe\u2028b\tc", true), "a\\x1b[2J\\u202egnp.exe\\u2028b\\x09c");
    assert.equal(printable("line\nnext\ttab"), "line\nnext\ttab");
  });

  it("a key given twice in a scenario is refused, naming the key and where", () => {
    const parse = (text: string) => () => parseScenario(text, "s.json");
    assert.throws(parse('{"name": "s", "cpus": 2, "cpus": 3, "steps": []}'), userError(/^s\.json: field "cpus": given twice/));
    assert.throws(
      parse('{"name": "s", "steps": [{"op": "io_setup", "nr_events": 1, "name": "A"}, {"op": "mmap", "pages": 1, "name": "B", "name": "C"}]}'),
      userError(/^s\.json: step 1: field "name": given twice/),
    );
    // Equal after unescaping is the same key; equal keys in different objects are not a repeat.
    assert.deepEqual(findDuplicateKey('{"a": {"x\\\\": 1, "x\\u005c": 2}}'), { path: ["a"], key: "x\\" });
    assert.equal(findDuplicateKey('{"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}, {"k": "\\"}{,"}]}'), null);
    assert.deepEqual(findDuplicateKey('[{"k": 1}, {"k": [1, {"z": 1, "z": 2}]}]'), { path: [1, "k", 1], key: "z" });
  });

  it("a count past 2^53 is refused against its own limit, not the safe-integer one", () => {
    const setup = (n: string) => () => parseScenario(`{"name": "s", "steps": [{"op": "io_setup", "nr_events": ${n}}]}`, "s.json");
    assert.throws(setup("9007199254740993"), userError(/field "nr_events": Too big: expected number to be <=4294967295$/));
    assert.throws(setup("4294967296"), userError(/<=4294967295$/));
    assert.throws(setup("1.5"), userError(/field "nr_events": Invalid input: expected int/));
  });

  it("--json /proc/self/status names /proc, not ENOENT", async () => {
    await benchRefused(["--json", "/proc/self/status"], /^--json \/proc\/self\/status: cannot write: .* is on \/proc, a kernel file system/);
  });

  it("a baseline named like a folder in the current directory is the baseline, not the folder", () => {
    const cwd = process.cwd();
    const here = join(dir, "cwd");
    mkdirSync(join(here, "main"), { recursive: true });
    mkdirSync(join(here, "nightly"), { recursive: true });
    saveBaseline("main", syntheticRun([{ id: "s/x", samples: [1, 2, 3] }]));
    process.chdir(here);
    try {
      assert.equal(loadBaseline("main").source, join(home, "baselines", "main.json"));
      assert.throws(() => loadBaseline("nightly"), userError(/^no baseline named "nightly" .*\(nightly here is a folder, not a run file\)$/));
    } finally {
      process.chdir(cwd);
    }
    assert.ok(readdirSync(join(here, "main")).length === 0);
  });
});
