// Hostile runs (issue 13): bench keeps a measured run whatever fails after
// measuring, history under concurrent writers and full disks, meaningful
// gate input and the smaller cases. Mostly in-process; the CLI is spawned
// only where the process is the point (stdout). Cases that need root or
// mounts skip with why.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLI, dir, run, tinySuite, tmpfs, userError } from "./helpers/hostile.js";

const { withFileLock } = await import("../src/util/files.js");
const { lastRunFile } = await import("../src/bench/state.js");
const { appendHistory, readHistory } = await import("../src/bench/history.js");
const { checkBaselineName, saveBaseline } = await import("../src/bench/baseline.js");
const { parseRun } = await import("../src/bench/run-file.js");
const { resultBatches, MAX_BATCHES } = await import("../src/bench/measure.js");
const { compareRuns, renderComparison } = await import("../src/report/compare.js");
const { gate } = await import("../src/report/gate.js");
const { benchCommand } = await import("../src/commands/bench.js");
const { parseBenchFlags } = await import("../src/commands/bench-flags.js");
const historyCmd = await import("../src/commands/history.js");
const { runScenario } = await import("../src/scenario/index.js");
const { syntheticRun, watchedSuite } = await import("./helpers/synthetic.js");
const { REPO } = await import("./helpers.js");
type Scenario = import("../src/contract/scenario.js").Scenario;

describe("bench keeps a measured run", () => {
  it("every output path is checked before measuring", async () => {
    for (const argv of [
      ["--json", "/proc/x.json"],
      ["--html", dir],
      ["--bmf", "/dev/full"],
      ["--gh-action", "/dev/null"],
      ["--history", dir],
      ["--history", "-"],
    ]) {
      const flags = parseBenchFlags(["--quick", "--time", "5", ...argv], [tinySuite])!;
      const { suite, measured } = watchedSuite();
      await assert.rejects(
        benchCommand({ ...flags, suites: [suite] }, () => undefined),
        userError(/cannot|standard output/),
      );
      assert.equal(measured(), false, `${argv.join(" ")}: refused before measuring`);
    }
  });

  it("a full disk after measuring: the other outputs are written, the run JSON is kept and named, exit 2", async (t) => {
    const full = tmpfs("full-bench", "size=64k");
    if (typeof full !== "string") return t.skip(full.skip);
    const history = join(dir, "kept-history.jsonl");
    const flags = parseBenchFlags(
      [
        "--quick",
        "--time",
        "5",
        "--json",
        join(full, "run.json"),
        "--markdown",
        join(full, "cmp.md"),
        "--compare",
        lastRunFileFor(),
        "--history",
        history,
        "--html",
        join(full, "r.html"),
      ],
      [tinySuite],
    )!;
    writeFileSync(join(full, "filler"), Buffer.alloc(60_000));
    const lines: string[] = [];
    const code = await benchCommand(flags, (l) => lines.push(l));
    assert.equal(code, 2);
    assert.match(lines.join("\n"), /run JSON: .*last-run\.json/);
    assert.equal(readHistory(history).records.length, 1, "history appended though the disk of the others was full");
    assert.equal(parseRun(readFileSync(lastRunFile(), "utf8"), "last-run").results.length, 1);
  });

  it("an empty selection is refused up front; an empty run is neither saved nor appended", async () => {
    const flags = parseBenchFlags(["--quick", "--filter", "nothing-matches"], [tinySuite])!;
    await assert.rejects(
      benchCommand(flags, () => undefined),
      userError(/^no benchmark matches --filter nothing-matches/),
    );
    const empty = { ...run(), results: [] };
    assert.throws(() => appendHistory(join(dir, "never.jsonl"), empty), userError(/the run has no results/));
    assert.ok(!existsSync(join(dir, "never.jsonl")));
    assert.throws(() => saveBaseline("empty", empty), userError(/no results/));
  });
});

/** A saved run for --compare, made once. */
function lastRunFileFor(): string {
  const file = join(dir, "compare-with.json");
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(run("tiny/noop/host")));
  return file;
}

describe("history under concurrent writers", () => {
  it("parallel appending processes lose no record", async () => {
    const file = join(dir, "parallel.jsonl");
    // A large existing history widens the read-modify-write window.
    writeFileSync(file, `${JSON.stringify({ filler: "x".repeat(1 << 20) })}\n`);
    const runFile = join(dir, "one-run.json");
    writeFileSync(runFile, JSON.stringify(run()));
    const writers = 4,
      each = 5;
    const script = `const h = await import(${JSON.stringify(new URL("dist/src/bench/history.js", REPO).href)});
      const r = await import(${JSON.stringify(new URL("dist/src/bench/run-file.js", REPO).href)});
      const run = r.readRunFile(process.argv[1]);
      for (let i = 0; i < ${each}; i++) h.appendHistory(process.argv[2], run);`;
    const codes = await Promise.all(
      Array.from(
        { length: writers },
        () =>
          new Promise<number | null>((resolve) => {
            spawn(process.execPath, ["--input-type=module", "-e", script, runFile, file], { stdio: "inherit" }).on("close", resolve);
          }),
      ),
    );
    assert.deepEqual(codes, Array(writers).fill(0));
    const read = readHistory(file);
    assert.equal(read.records.length, writers * each);
    assert.equal(read.warnings.length, 1, "only the filler line");
    assert.ok(!existsSync(`${file}.lock`));
  });

  it("a full disk during an append: one line, no lock left behind, the next append goes through at once", (t) => {
    const full = tmpfs("full-history", "size=64k");
    if (typeof full !== "string") return t.skip(full.skip);
    const file = join(full, "history.jsonl");
    appendHistory(file, run());
    try {
      writeFileSync(join(full, "filler"), Buffer.alloc(1 << 20));
    } catch {
      // filled to the last block, which is the point
    }
    assert.throws(() => appendHistory(file, run()), userError(/no space left on device \(ENOSPC\)/));
    assert.ok(!existsSync(`${file}.lock`), "no lock file left");
    assert.equal(readHistory(file).records.length, 1, "the history is intact");
    spawnSync("rm", [join(full, "filler")]);
    const t0 = performance.now();
    appendHistory(file, run());
    assert.ok(performance.now() - t0 < 20_000, "not the 30 s lock wait");
    assert.equal(readHistory(file).records.length, 2);
  });

  it("an empty lock (its writer never wrote a pid) is stale after seconds, not ten minutes", () => {
    const file = join(dir, "empty-lock.jsonl");
    writeFileSync(`${file}.lock`, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    appendHistory(file, run());
    assert.equal(readHistory(file).records.length, 1);
    assert.ok(!existsSync(`${file}.lock`));
  });

  it("a run file (or any other file without a history record) is not appended to", async () => {
    const runFile = join(dir, "a-run.json");
    const text = `${JSON.stringify(run(), null, 1)}\n`;
    writeFileSync(runFile, text);
    assert.throws(() => appendHistory(runFile, run()), userError(/a-run\.json: not appended: it is a "aio-ring-bench\/run@1" file/));
    assert.equal(readFileSync(runFile, "utf8"), text, "the run file is untouched");
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "my notes\n");
    assert.throws(() => appendHistory(notes, run()), userError(/notes\.txt: not appended: it is not JSON lines, not a history$/));
    const flags = parseBenchFlags(["--quick", "--time", "5", "--history", runFile], [tinySuite])!;
    await assert.rejects(
      benchCommand(flags, () => undefined),
      userError(/not appended: it is a "aio-ring-bench\/run@1" file/),
    );
    assert.equal(readFileSync(runFile, "utf8"), text);
  });

  it("a stale lock (its process gone) is taken over", () => {
    const file = join(dir, "stale-lock.jsonl");
    writeFileSync(`${file}.lock`, "99999999\n");
    appendHistory(file, run());
    assert.equal(readHistory(file).records.length, 1);
    assert.ok(!existsSync(`${file}.lock`));
    let inside = false;
    withFileLock(file, () => (inside = existsSync(`${file}.lock`)));
    assert.ok(inside);
  });
});

describe("gate input", () => {
  it("removed benchmarks fail the gate unless allowed; nothing compared fails", () => {
    const both = syntheticRun([
      { id: "s/a", samples: Array(32).fill(100) },
      { id: "s/b", samples: Array(32).fill(100) },
    ]);
    const cmp = compareRuns(both, run("s/a"));
    assert.ok(gate(cmp).failed);
    assert.match(gate(cmp).summary, /FAIL: 1 benchmark\(s\) of the old run are missing from the new one.*\n {2}s\/b/);
    assert.ok(!gate(cmp, { allowRemoved: true }).failed);
    const nothing = compareRuns(both, { ...both, results: [] });
    assert.ok(gate(nothing, { allowRemoved: true }).failed);
    assert.match(gate(nothing, { allowRemoved: true }).summary, /nothing was compared/);
  });

  it("non-finite or absurd samples are refused at load time", () => {
    const r = run();
    for (const bad of [1e308, 4e12]) {
      const doc = { ...r, results: [{ ...r.results[0], samples: [...r.results[0].samples.slice(1), bad] }] };
      assert.throws(() => parseRun(JSON.stringify(doc), "absurd.json"), userError(/absurd\.json: results\[0\]\.samples\[31\]: .*\(one hour per operation\)/));
    }
    const counters = { ...r, results: [{ ...r.results[0], counters: { slots: 1e300 } }] };
    assert.throws(() => parseRun(JSON.stringify(counters), "c.json"), userError(/counters\.slots: must be within/));
  });

  it("duplicate suites and sizes are merged up front", () => {
    const flags = parseBenchFlags(["--suite", "tiny,tiny", "--sizes", "1,1,2"], [tinySuite])!;
    assert.equal(flags.suites.length, 1);
    assert.deepEqual(flags.opts.sizes, [1, 2]);
  });
});

describe("smaller cases", () => {
  it("a stdout write error is exit 2 with one line, not exit 0 with truncated output", () => {
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify({ name: "s", steps: [{ op: "io_setup", nr_events: 1, name: "A" }] }));
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${CLI}" scenario "${file}" > /dev/full`], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "aio-ring-bench: standard output: cannot write: no space left on device (ENOSPC); the output is incomplete\n");
  });

  it("terminal escape codes from input files are shown, not sent", () => {
    const evil = run("s/\x1b]0;pwned\x07\x1b[2J");
    const text = renderComparison(compareRuns(evil, evil));
    assert.doesNotMatch(text, /[\x1b\x07]/);
    assert.match(text, /\\x1b\]0;pwned\\x07/);
    assert.doesNotMatch(gate(compareRuns(evil, run("s/x"))).summary, /\x1b/);
    const file = join(dir, "evil-history.jsonl");
    appendHistory(file, evil);
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.join(" "));
    return historyCmd
      .run(["--file", file])
      .finally(() => (console.log = log))
      .then((code) => {
        assert.equal(code, 0);
        assert.doesNotMatch(printed.join("\n"), /[\x1b\x07]/);
        assert.match(printed.join("\n"), /\\x1b/);
      });
  });

  it("a baseline name ending in .json is refused (it could not be loaded by name)", () => {
    assert.throws(() => checkBaselineName("x.json"), userError(/give the name without "\.json" \("x"\)/));
  });

  it("empty file-name flags are refused, negative numbers reach the flag's own check", () => {
    for (const flag of ["--json", "--history", "--markdown", "--html", "--bmf"]) {
      assert.throws(() => parseBenchFlags([flag, ""], [tinySuite]), userError(new RegExp(`^${flag}: empty file name$`)));
    }
    assert.throws(() => parseBenchFlags(["--time", "-1"], [tinySuite]), userError(/^--time: expected an integer from 1 to 600000, got "-1"$/));
  });

  it("more than 256 names: refused by the models as by the probe", async () => {
    const scenario: Scenario = { name: "n", steps: Array.from({ length: 257 }, (_, i) => ({ op: "mmap" as const, pages: 1, name: `N${i}` })) };
    for (const backend of ["model", "wasm"] as const) await assert.rejects(runScenario("n.json", scenario, { backend }), /more than 256 distinct names/);
  });

  it("200k samples in one result are reduced to at most MAX_BATCHES batches (compare stays fast)", () => {
    const samples = Array.from({ length: 200_000 }, (_, i) => 100 + (i % 7));
    const r = syntheticRun([{ id: "s/big", samples }]).results[0];
    assert.equal(resultBatches(r).length, MAX_BATCHES);
    assert.equal(resultBatches({ ...r, round_sizes: Array(200_000).fill(1) }).length, MAX_BATCHES);
  });
});
