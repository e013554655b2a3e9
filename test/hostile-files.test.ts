// Hostile files, signals and devices (issue 13): every output path kind,
// every input kind, file-system errors, the state folder, stale temp
// files, history under concurrent writers, shared scenario limits, the
// probe dying with the CLI, meaningful gate input and the smaller cases.
// Mostly in-process; the CLI is spawned only where the process is the
// point (stdout, signals). Cases that need root or mounts skip with why.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const dir = mkdtempSync(join(tmpdir(), "aio-hostile-"));
const home = join(dir, "home");
process.env.AIO_RING_BENCH_HOME = home;

const { UserError, ScenarioError } = await import("../src/contract/errors.js");
const { checkOutput, readInput, writeOutput, cleanStaleTemps, withFileLock } = await import("../src/util/files.js");
const { ensureStateDir, lastRunFile, projectFolder, stateDir } = await import("../src/bench/state.js");
const { appendHistory, readHistory } = await import("../src/bench/history.js");
const { checkBaselineName, saveBaseline } = await import("../src/bench/baseline.js");
const { parseRun, readRunFile } = await import("../src/bench/run-file.js");
const { resultBatches, MAX_BATCHES } = await import("../src/bench/measure.js");
const { compareRuns, renderComparison } = await import("../src/report/compare.js");
const { gate } = await import("../src/report/gate.js");
const { benchCommand } = await import("../src/commands/bench.js");
const { parseBenchFlags } = await import("../src/commands/bench-flags.js");
const compareCmd = await import("../src/commands/compare.js");
const historyCmd = await import("../src/commands/history.js");
const { runScenario, readScenarioFile } = await import("../src/scenario/index.js");
const { MAX_NAMES } = await import("../src/scenario/limits.js");
const { kernelAvailability } = await import("../src/kernel/probe.js");
const { syntheticRun, watchedSuite } = await import("./helpers/synthetic.js");
const { REPO } = await import("./helpers.js");
type Suite = import("../src/contract/suite.js").Suite;
type Scenario = import("../src/contract/scenario.js").Scenario;

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const PROBE = fileURLToPath(new URL("build/probe", REPO));
const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync("umount", ["-l", m]);
});

const userError = (re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
  assert.doesNotMatch(e.message, /\n/, "one line");
  assert.match(e.message, re);
  return true;
};

/** A tmpfs of `size` mounted at a fresh folder, or the reason it cannot be. */
function tmpfs(name: string, options: string): string | { skip: string } {
  if (!isRoot) return { skip: "needs root to mount a tmpfs" };
  const at = join(dir, name);
  mkdirSync(at);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at], { encoding: "utf8" });
  if (r.status !== 0) return { skip: `mount -t tmpfs not permitted here: ${(r.stderr || r.error?.message || "").trim()}` };
  mounts.push(at);
  return at;
}

/** mknod a copy of a character device, or the reason it cannot be. */
function mknod(name: string, major: number, minor: number): string | { skip: string } {
  if (!isRoot) return { skip: "mknod needs root" };
  const at = join(dir, name);
  const r = spawnSync("mknod", [at, "c", String(major), String(minor)], { encoding: "utf8" });
  return r.status === 0 ? at : { skip: `mknod not permitted here: ${r.stderr.trim()}` };
}

function fifo(name: string): string {
  const at = join(dir, name);
  execFileSync("mkfifo", [at]);
  return at;
}

const run = (id = "s/a", level = 100) => syntheticRun([{ id, samples: Array.from({ length: 32 }, (_, i) => level + (i % 5)) }]);

/** A suite of one cheap timed case: bench end to end in a fraction of a second. */
const tinySuite: Suite = {
  name: "tiny",
  description: "one cheap timed case",
  async cases() {
    return [{ kind: "timed", case: "noop", backend: "host", params: {}, run: (n: number) => void n }];
  },
};

describe("output paths", () => {
  it("devices (also mknod copies), FIFOs and directories are refused before anything is written", (t) => {
    const nullCopy = mknod("null-copy", 1, 3);
    const targets = ["/dev/null", "/dev/full", fifo("out-fifo"), dir];
    if (typeof nullCopy === "string") targets.push(nullCopy);
    else t.diagnostic(`mknod copy skipped: ${nullCopy.skip}`);
    for (const path of targets) {
      assert.throws(() => checkOutput(path, "--json"), userError(/^--json .*: cannot write: a (device|FIFO|directory), not a regular file/));
      assert.throws(() => writeOutput(path, "x"), userError(/cannot write: a (device|FIFO|directory)/));
    }
    assert.ok(statSync("/dev/null").isCharacterDevice(), "/dev/null is still a device");
    if (typeof nullCopy === "string") assert.ok(statSync(nullCopy).isCharacterDevice());
  });

  it("a symlink's target is written and the link stays; an existing file keeps its mode", () => {
    const target = join(dir, "target.json");
    const link = join(dir, "link.json");
    writeFileSync(target, "old");
    chmodSync(target, 0o640);
    symlinkSync("target.json", link);
    writeOutput(link, "new");
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), "target.json");
    assert.equal(readFileSync(target, "utf8"), "new");
    assert.equal(statSync(target).mode & 0o777, 0o640);
    const dangling = join(dir, "dangling.json");
    symlinkSync("made-by-link.json", dangling);
    writeOutput(dangling, "via link");
    assert.equal(readFileSync(join(dir, "made-by-link.json"), "utf8"), "via link");
  });

  it("ENOENT, ENOTDIR and a /proc path are one line naming the path and the reason", () => {
    assert.throws(() => checkOutput("/proc/x.json", "--json"), userError(/^--json \/proc\/x\.json: cannot write: \/proc is on \/proc, a kernel file system/));
    assert.throws(() => checkOutput("/proc/self/status", "--json"), userError(/^--json \/proc\/self\/status: cannot write: .* a kernel file system/));
    assert.throws(() => writeOutput("/proc/self/status", "x"), userError(/a kernel file system/));
    assert.throws(() => checkOutput(join(dir, "no-such-folder", "x.json")), userError(/cannot write: folder .*no-such-folder does not exist/));
    const file = join(dir, "plain");
    writeFileSync(file, "");
    assert.throws(() => checkOutput(join(file, "child.json")), userError(/cannot write: .*\(ENOTDIR\)/));
    assert.throws(() => checkOutput("", "--markdown"), userError(/^--markdown: empty file name$/));
  });

  it("a read-only file system: EROFS, nothing written", (t) => {
    const ro = tmpfs("ro", "ro,size=64k");
    if (typeof ro !== "string") return t.skip(ro.skip);
    assert.throws(() => checkOutput(join(ro, "x.json"), "--html"), userError(/^--html .*x\.json: cannot write: read-only file system \(EROFS\)$/));
    assert.throws(() => writeOutput(join(ro, "x.json"), "x"), userError(/EROFS/));
  });

  it("a directory without write permission: EACCES", (t) => {
    if (isRoot) return t.skip("root passes permission checks (the read-only mount case covers refusal as root)");
    const locked = join(dir, "locked");
    mkdirSync(locked, 0o555);
    assert.throws(() => checkOutput(join(locked, "x.json"), "--bmf"), userError(/^--bmf .*: cannot write: permission denied \(EACCES\)$/));
  });

  it("a full disk: ENOSPC, the old file intact, no temp file left", (t) => {
    const full = tmpfs("full", "size=64k");
    if (typeof full !== "string") return t.skip(full.skip);
    const file = join(full, "kept.json");
    writeFileSync(file, "old");
    assert.throws(() => writeOutput(file, "x".repeat(200_000)), userError(/kept\.json: cannot write: no space left on device \(ENOSPC\)/));
    assert.equal(readFileSync(file, "utf8"), "old");
    assert.deepEqual(readdirSync(full), ["kept.json"]);
  });

  it("compare refuses a bad export path before reading its inputs (exit 2 via UserError)", async () => {
    const a = join(dir, "cmp-a.json");
    writeFileSync(a, JSON.stringify(run()));
    await assert.rejects(compareCmd.run([a, a, "--markdown", "/dev/full"]), userError(/^--markdown \/dev\/full: cannot write: a device/));
    await assert.rejects(compareCmd.run([a, a, "--json", ""]), userError(/^--json: empty file name$/));
  });
});

describe("input files", () => {
  it("devices, FIFOs and directories are refused without reading or blocking", (t) => {
    const zeroCopy = mknod("zero-copy", 1, 5);
    const inputs = ["/dev/zero", fifo("in-fifo"), dir];
    if (typeof zeroCopy === "string") inputs.push(zeroCopy);
    else t.diagnostic(`mknod copy skipped: ${zeroCopy.skip}`);
    for (const path of inputs) {
      assert.throws(() => readInput(path, 1 << 20, "run file"), userError(/cannot read run file: a (device|FIFO|directory), not a regular file/));
      assert.throws(() => readScenarioFile(path), userError(/not a regular file/));
      assert.throws(() => readHistory(path), userError(/not a regular file/));
    }
  });

  it("the size bound holds while reading, whatever stat says (a /proc file reports size 0)", () => {
    assert.equal(statSync("/proc/self/smaps").size, 0);
    assert.throws(() => readInput("/proc/self/smaps", 100, "history file"), userError(/larger than the 100-byte limit/));
  });

  it("a missing file says so", () => {
    assert.throws(() => readRunFile(join(dir, "absent.json")), userError(/absent\.json: run file does not exist$/));
  });
});

describe("state folder", () => {
  it("is $AIO_RING_BENCH_HOME or the project folder, never the cwd nor inside node_modules", () => {
    assert.equal(stateDir(), home);
    assert.equal(lastRunFile(), join(home, "last-run.json"));
    assert.equal(projectFolder("/p/node_modules/aio-ring-bench/"), "/p");
    assert.equal(projectFolder("/p/node_modules/@x/y/node_modules/aio-ring-bench"), "/p");
    assert.equal(projectFolder("/src/aio-ring-bench/"), "/src/aio-ring-bench/");
    const env = { ...process.env };
    delete env.AIO_RING_BENCH_HOME;
    const script = `import(${JSON.stringify(new URL("dist/src/bench/state.js", REPO).href)}).then((m) => console.log(m.stateDir()))`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: "/", env, encoding: "utf8" }).trim();
    assert.equal(out, join(fileURLToPath(REPO), ".aio-ring-bench"));
  });

  it("a non-directory or read-only home is one line naming it, before measuring", async (t) => {
    const flags = parseBenchFlags(["--quick"], [tinySuite])!;
    const file = join(dir, "home-file");
    writeFileSync(file, "");
    for (const [bad, re] of [
      [file, /ENOTDIR/],
      ...(() => {
        const ro = tmpfs("ro-home", "ro,size=64k");
        if (typeof ro === "string") return [[ro, /EROFS/]] as const;
        t.diagnostic(`read-only home skipped: ${ro.skip}`);
        return [];
      })(),
    ] as [string, RegExp][]) {
      const script = `process.env.AIO_RING_BENCH_HOME = ${JSON.stringify(bad)};
        import(${JSON.stringify(new URL("dist/src/bench/state.js", REPO).href)}).then((m) => m.ensureStateDir()).catch((e) => { console.error(e.message); process.exit(e.exitCode ?? 1); })`;
      const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      assert.equal(r.status, 2, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `^state folder ${bad.replace(/[/.]/g, "\\$&")} \\(\\$AIO_RING_BENCH_HOME\\): cannot create files in .*: .*${re.source}.*; set AIO_RING_BENCH_HOME to a writable folder\\n$`,
        ),
      );
    }
    assert.ok(flags);
  });

  it("temp files of a killed run are removed by the next run; a live writer's are kept", () => {
    mkdirSync(home, { recursive: true });
    const dead = join(home, ".last-run.json.99999999.0badc0de.tmp");
    const live = join(home, `.last-run.json.${process.pid}.0badc0de.tmp`);
    writeFileSync(dead, "torn");
    writeFileSync(live, "mine");
    ensureStateDir();
    assert.ok(!existsSync(dead), "the dead writer's temp file is gone");
    assert.ok(existsSync(live), "a live writer's temp file stays");
    // Beside a user's output too.
    const out = join(dir, "beside.json");
    const stale = join(dir, ".beside.json.99999999.1234abcd.tmp");
    writeFileSync(stale, "torn");
    writeOutput(out, "x");
    assert.ok(!existsSync(stale));
    assert.deepEqual(cleanStaleTemps(home), []);
  });
});

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

describe("scenario limits, the same on every backend", () => {
  const rings: Scenario = {
    name: "huge",
    cpus: 1,
    aio_max_nr: 2 ** 32 - 1,
    steps: Array.from({ length: 17 }, (_, i) => ({ op: "io_setup" as const, nr_events: 4_000_000, name: `A${i}` })),
  };
  const bigResult: Scenario = {
    name: "big-result",
    steps: [
      { op: "io_setup", nr_events: 16384, name: "C" },
      ...Array.from({ length: 1300 }, (_, i) => [
        { op: "io_submit" as const, ctx: "C", count: 16000, cmd: "pread" as const, data: i * 16000 },
        { op: "io_getevents" as const, ctx: "C", min_nr: 0, nr: 16000, timeout_ns: 0 },
      ]).flat(),
    ],
  };
  const names: Scenario = { name: "names", steps: Array.from({ length: MAX_NAMES + 1 }, (_, i) => ({ op: "mmap" as const, pages: 1, name: `M${i}` })) };
  // nr_events of 2^31 and more: the unsigned doubling wraps to a ring as large as any.
  const wrapped: Scenario = { ...rings, steps: rings.steps.map((s) => ({ ...s, nr_events: 2 ** 31 + 4_000_000 })) };
  // The live kernel really waits a timeout out (2^53-1 ns is 104 days); the models answer at once.
  const waits: Scenario = {
    name: "waits",
    steps: [
      { op: "io_setup", nr_events: 1, name: "W" },
      { op: "io_getevents", ctx: "W", min_nr: 1, nr: 1, timeout_ns: 40e9 },
      { op: "io_getevents", ctx: "W", min_nr: 1, nr: 1, timeout_ns: 2 ** 53 - 1 },
    ],
  };
  // Appended blocks are new data the live kernel stores: 1,025 blocks of 64 KiB pass 64 MiB; a read-write fd rewrites one range, so it has no such bound.
  const appends: Scenario = {
    name: "appends",
    steps: [
      { op: "io_setup", nr_events: 2048, name: "F" },
      { op: "io_submit", ctx: "F", count: 1024, cmd: "pwrite", data: 0, nbytes: 65536 },
      { op: "io_submit", ctx: "F", count: 1024, cmd: "pwrite", data: 0, nbytes: 65536, fd: "append" },
      { op: "io_submit", ctx: "F", count: 1, cmd: "pread", data: 0, nbytes: 65536, fd: "append" },
      { op: "io_submit", ctx: "F", count: 1, cmd: "pwrite", data: 0, nbytes: 65536, fd: "append" },
    ],
  };
  const cases = [
    [appends, /step 4: field "count": the append-mode writes so far may add up to 65 MiB to the test file, more than the 64 MiB a scenario may write/],
    [waits, /step 2: field "timeout_ns": the io_getevents timeouts so far add up to 9007239\.3 s, more than the 60 s a scenario may wait/],
    [wrapped, /step 4: field "nr_events"/],
    [rings, /step 4: field "nr_events": .* more than the 1024 MiB a scenario may model/],
    [bigResult, /field "steps": the results may carry up to 20800000 events/],
    [names, /step 256: field "name": more than 256 distinct names/],
  ] as const;

  for (const backend of ["wasm", "model", "kernel"] as const) {
    it(`${backend}: refused before running, one line`, async () => {
      for (const [scenario, re] of cases) {
        await assert.rejects(
          runScenario("s.json", scenario, { backend }),
          (e: unknown) => e instanceof ScenarioError && re.test(e.message) && !e.message.includes("\n"),
        );
      }
    });
  }

  it("the CLI: exit 2, one line, no stack trace", () => {
    const file = join(dir, "huge-rings.json");
    writeFileSync(file, JSON.stringify(rings));
    const r = spawnSync(process.execPath, [CLI, "scenario", file, "--backend", "wasm"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^aio-ring-bench: .*huge-rings\.json: step 4: field "nr_events": .*\n$/);
  });
});

describe("the probe dies with the CLI", () => {
  const avail = kernelAvailability();
  /** Pids of running build/probe processes whose first argument is `mode` (zombies are dead). */
  const probes = (mode?: string): number[] =>
    readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .flatMap((p) => {
        try {
          if (readlinkSync(`/proc/${p}/exe`) !== PROBE) return [];
          if (mode !== undefined && readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[1] !== mode) return [];
          return readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].startsWith("Z") ? [] : [Number(p)];
        } catch {
          return [];
        }
      });
  const until = async (cond: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (cond()) return true;
    return cond();
  };

  /**
   * Starts the CLI, waits until it runs the probe in `mode` (and the probe's
   * own scenario child, if any), sends `signal`, and expects none of them
   * running 1 s later.
   */
  async function killMidway(args: string[], mode: string, signal: NodeJS.Signals): Promise<void> {
    const before = new Set(probes());
    const cli = spawn(process.execPath, [CLI, ...args], { stdio: "ignore", env: { ...process.env, AIO_RING_BENCH_HOME: home } });
    const exited = new Promise((r) => cli.on("close", r));
    const mine = () => probes(mode).filter((p) => !before.has(p));
    const what = `${mode} ${signal}`;
    assert.ok(await until(() => mine().length > 0, 20_000), `${what}: the probe started`);
    await new Promise((r) => setTimeout(r, 300));
    const started = mine();
    assert.ok(started.length > 0, `${what}: the probe is still running before the signal`);
    cli.kill(signal);
    await exited;
    assert.ok(await until(() => started.every((p) => !probes().includes(p)), 1000), `${what}: probes ${started.join(", ")} still running 1 s after ${signal}`);
  }

  it("SIGINT or SIGKILL during a scenario blocked in the kernel", async (t) => {
    if (!avail.available) return t.skip(`kernel backend unavailable: ${avail.reason}`);
    const file = join(dir, "blocks.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "blocks",
        steps: [
          { op: "io_setup", nr_events: 1, name: "A" },
          { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: 30e9 },
        ],
      }),
    );
    await killMidway(["scenario", file, "--backend", "kernel"], "scenario", "SIGINT");
    await killMidway(["scenario", file, "--backend", "kernel"], "scenario", "SIGKILL");
  });

  it("SIGTERM during a kernel timing loop", async (t) => {
    if (!avail.available) return t.skip(`kernel backend unavailable: ${avail.reason}`);
    await killMidway(["bench", "--suite", "getevents", "--filter", "kernel-timeout-1ns", "--time", "30000"], "time", "SIGTERM");
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
