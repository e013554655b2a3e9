import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Suite, TimedCase } from "../src/contract/suite.js";
import type { AbOptions } from "../src/report/ab.js";
import { buildCacheDir, buildRevision, resolveSource } from "../src/bench/wasm-source-build.js";
import { Interrupted, UserError } from "../src/contract/errors.js";
import { validateComparison } from "../src/report/comparison-file.js";
import { ptyUnavailable, runInPty } from "./helpers/pty.js";

const CLI = new URL("../src/cli.js", import.meta.url).pathname;

/**
 * Two identical "builds" on a deterministic clock, where (as the CPU's branch
 * predictor does with the lookup suite's fixed target stream) a benchmark
 * runs slowly until it has run a few times in a row, and the training
 * carries over to the other side of the same benchmark (same code, same
 * targets) but not across benchmarks. The side timed first in a round is
 * then several times slower: the cause of the sorted-array n=256 A/A false
 * alarm (+40-70% "regressed", old and new medians the other way).
 */
function trainedPredictorSuite(clock: { now: number }): { suite: Suite; perRoundSpread: () => number; calls: () => number } {
  let calls = 0;
  let last = "";
  let streak = 0;
  let lo = Infinity,
    hi = 0;
  const suite: Suite = {
    name: "fake",
    description: "identical sides with a shared, order-dependent warm-up",
    async cases() {
      return [1, 2].map(
        (n): TimedCase => ({
          kind: "timed",
          case: "trained",
          backend: "wasm",
          params: { n },
          maxBatch: 1024,
          run(k) {
            calls++;
            const key = `n=${n}`;
            streak = last === key ? streak + 1 : 0;
            last = key;
            const ns = k * (1 + 3 * Math.max(0, 1 - streak / 5));
            lo = Math.min(lo, ns / k);
            hi = Math.max(hi, ns / k);
            clock.now += ns / 1e6;
          },
        }),
      );
    },
  };
  return { suite, perRoundSpread: () => hi / lo, calls: () => calls };
}

/** ab of build/ against itself over the fake suite, on its deterministic clock. */
async function fakeAb(extra: Omit<Partial<AbOptions>, "control"> & { control: AbOptions["control"] | "build" }) {
  const { runAb } = await import("../src/report/ab.js");
  const { defaultWasmBuild } = await import("../src/core/wasm-build.js");
  const clock = { now: 0 };
  const { suite, perRoundSpread, calls } = trainedPredictorSuite(clock);
  const build = defaultWasmBuild();
  const { control, ...rest } = extra;
  const r = await runAb({
    quick: false,
    full: false,
    sizes: null,
    timeMs: 10,
    suites: [suite],
    filter: null,
    base: build,
    head: build,
    budgetMs: 60_000,
    clock: () => clock.now,
    ...rest,
    control: control === "build" ? build : control,
  });
  return { r, perRoundSpread, calls };
}

test("ab: a side timed first that runs slower (shared predictor training) gives no verdict on identical builds", async () => {
  for (const control of [null, "build"] as const) {
    const { r, perRoundSpread } = await fakeAb({ control });
    assert.ok(perRoundSpread() > 2, "the fake really is slower when timed first");
    assert.equal(r.comparison.entries.length, 2);
    for (const e of r.comparison.entries) {
      assert.equal(e.verdict, "unchanged", `${e.id}: ${e.reason}`);
      assert.ok(Math.abs(e.change!) < 1e-9, `${e.id}: change ${e.change}`);
      assert.ok(Math.abs(e.newMedianNs! / e.oldMedianNs! - 1 - e.change!) < 1e-12, "old, new and change come from one estimator");
    }
    assert.equal(r.controlDiffered.length, 0);
    assert.deepEqual(r.undecided, []);
  }
});

test("ab interrupted: the run says so (not that the budget ran out), and its JSON carries the flag", async () => {
  const { roundsLine } = await import("../src/commands/ab.js");
  const stop = new AbortController();
  const { r } = await fakeAb({
    control: "build",
    signal: stop.signal,
    onRound: (round) => {
      if (round >= 12) stop.abort();
    },
  });
  assert.equal(r.interrupted, true);
  assert.equal(r.comparison.ab?.interrupted, true);
  assert.equal(validateComparison(JSON.parse(JSON.stringify(r.comparison)), "ab.json").ab?.interrupted, true);
  assert.deepEqual(r.undecided.sort(), ["fake/trained/wasm/n=1", "fake/trained/wasm/n=2"]);
  const line = roundsLine(r);
  assert.match(line, /interrupted with 2 too noisy \(undecided\): fake\/trained\/wasm\/n=1, fake\/trained\/wasm\/n=2/);
  assert.doesNotMatch(line, /budget/);
  for (const e of r.comparison.entries) assert.match(e.reason, /interrupted/);
});

test("ab with runs (bench's --runs): exactly N rounds of every benchmark, one sample of every side each, the whole cycles deciding at the end", async () => {
  // 6 rounds a cycle with the control, 4 without; the decision would settle after 8 cycles, the fixed rounds run on.
  for (const [control, runs, cycles, verdict] of [
    ["build", 14, 2, "too noisy"],
    ["build", 62, 10, "unchanged"],
    [null, 10, 2, "too noisy"],
  ] as const) {
    const { r } = await fakeAb({ control, runs });
    const what = `control ${control}, runs ${runs}`;
    assert.equal(r.rounds, runs, what);
    assert.equal(r.runs, runs);
    assert.equal(r.comparison.ab?.rounds, runs);
    assert.equal(validateComparison(JSON.parse(JSON.stringify(r.comparison)), "ab.json").ab?.runs, runs, "the file says the rounds were fixed");
    assert.equal(r.headRun.config.runs, runs);
    assert.equal(r.comparison.entries.length, 2);
    for (const e of r.comparison.entries) {
      assert.equal(e.samples?.old.length, runs, `${what}: ${e.id} base samples`);
      assert.equal(e.samples?.new.length, runs, `${what}: ${e.id} head samples`);
      assert.equal(e.cycleRatios?.length, cycles, `${what}: ${e.id} cycles`);
      if (control && verdict === "unchanged") assert.equal(e.control?.cycleRatios?.length, cycles, `${what}: ${e.id} control cycles`);
      assert.equal(e.verdict, verdict, `${what}: ${e.reason}`);
      if (verdict === "too noisy") assert.match(e.reason, new RegExp(`too few cycles \\(${cycles}, need 8\\)`));
    }
    for (const res of r.headRun.results) assert.equal(res.samples.length, runs, `${what}: ${res.id} head run samples`);
    assert.deepEqual(r.undecided.length, verdict === "too noisy" ? 2 : 0);
  }
  const { roundsLine } = await import("../src/commands/ab.js");
  assert.match(roundsLine((await fakeAb({ control: "build", runs: 6 })).r), /^6 rounds in .*; the fixed rounds ended with 2 too noisy/);
});

test("ab with warmup (bench's --warmup): exactly N unrecorded batch calls of each side before the first round", async () => {
  const callsWith = async (warmup: number) => (await fakeAb({ control: "build", runs: 12, warmup })).calls();
  const none = await callsWith(0);
  // 2 benchmarks x 3 sides x 5 calls more, nothing else changed (the clock is deterministic, so is the calibration).
  assert.equal((await callsWith(5)) - none, 2 * 3 * 5);
  assert.equal((await callsWith(7)) - none, 2 * 3 * 7);
});

test("ab --runs and --warmup refuse what bench refuses, with bench's message, exit 2, before building", () => {
  const home = mkdtempSync(join(tmpdir(), "ab-runs-"));
  try {
    for (const [args, message] of [
      [["--runs", "1"], '--runs: expected an integer from 2 to 1000000, got "1"'],
      [["--runs", "many"], '--runs: expected an integer from 2 to 1000000, got "many"'],
      [["--warmup", "-1"], '--warmup: expected an integer from 0 to 1000000, got "-1"'],
      [["--runs", "48", "--budget", "5"], "--budget and --runs cannot be combined: --runs fixes the rounds, --budget bounds their time"],
    ] as const) {
      const r = spawnSync(process.execPath, [CLI, "ab", "--base", "HEAD", ...args], { encoding: "utf8", env: { ...process.env, AIO_RING_BENCH_HOME: home } });
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.stderr, `aio-ring-bench: ${message}\n`);
      assert.equal(r.stdout, "");
      if (!(args as readonly string[]).includes("--budget")) {
        const bench = spawnSync(process.execPath, [CLI, "bench", ...args], { encoding: "utf8", env: { ...process.env, AIO_RING_BENCH_HOME: home } });
        assert.equal(bench.stderr, r.stderr, `bench ${args.join(" ")}: the same message`);
      }
    }
    assert.ok(!existsSync(join(home, "wasm-builds")), "refused before building");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("ab: an unknown ref and a revision that does not build are one-line errors naming the ref; nothing half-written in the cache", async () => {
  const home = mkdtempSync(join(tmpdir(), "ab-home-"));
  process.env.AIO_RING_BENCH_HOME = home;
  assert.throws(
    () => resolveSource({ kind: "ref", ref: "no-such-ref-xyz" }),
    (e: unknown) => e instanceof UserError && /ref "no-such-ref-xyz": unknown or unreachable/.test(e.message),
  );
  assert.throws(
    () => resolveSource({ kind: "ref", ref: "--upload-pack=x" }),
    (e: unknown) => e instanceof UserError && /not a valid git ref/.test(e.message),
  );
  const repo = mkdtempSync(join(tmpdir(), "ab-repo-"));
  for (const spec of [{ kind: "worktree" } as const, { kind: "ref", ref: "HEAD" } as const])
    assert.throws(
      () => resolveSource(spec, repo),
      (e: unknown) => e instanceof UserError && /is an installed package, without the AssemblyScript sources .* run it in a clone/.test(e.message),
      `an installed package (no assembly/, no .git) refuses ${spec.kind} before any git or file walk`,
    );
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: repo, stdio: "pipe" });
  git("init", "-q");
  mkdirSync(join(repo, "assembly", "lookup"), { recursive: true });
  writeFileSync(join(repo, "assembly", "index.ts"), "export function f(): i32 { return undefined_name; }\n");
  writeFileSync(join(repo, "assembly", "lookup", "index.ts"), "export function g(): i32 { return 1; }\n");
  git("add", "-A");
  git("commit", "-qm", "broken");
  const src = resolveSource({ kind: "ref", ref: "HEAD" }, repo);
  await assert.rejects(
    buildRevision(src),
    (e: unknown) =>
      e instanceof UserError &&
      /^HEAD \([0-9a-f]{10}\): does not build \(module core, entry assembly\/index\.ts\): assembly\/index\.ts\(1,\d+\): ERROR .*undefined_name/.test(
        e.message,
      ) &&
      !e.message.includes("\n"),
  );
  assert.deepEqual(readdirSync(buildCacheDir()), [], "no temp directory or partial build left");
  // An error in a file the entry imports is named by that file, not the entry.
  writeFileSync(join(repo, "assembly", "index.ts"), 'export { h } from "./helper";\n');
  writeFileSync(join(repo, "assembly", "helper.ts"), "export function h(): i32 {\n  return other_name;\n}\n");
  git("add", "-A");
  git("commit", "-qm", "broken helper");
  await assert.rejects(buildRevision(resolveSource({ kind: "ref", ref: "HEAD" }, repo)), (e: unknown) =>
    /does not build \(module core, entry assembly\/index\.ts\): assembly\/helper\.ts\(2,\d+\): ERROR .*other_name/.test((e as Error).message),
  );
  // Ctrl-C while the compiler runs: it is killed at once, the build is Interrupted (exit 130), nothing is cached.
  const stop = new AbortController();
  const building = buildRevision(resolveSource({ kind: "worktree" }), [], () => setTimeout(() => stop.abort(), 300), stop.signal);
  await assert.rejects(building, (e: unknown) => e instanceof Interrupted && e.exitCode === 130 && /^interrupted: building working tree/.test(e.message));
  assert.deepEqual(readdirSync(buildCacheDir()), [], "no temp directory or partial build left after the interrupt");
  const r = spawnSync(process.execPath, [CLI, "ab", "--base", "no-such-ref-xyz"], { encoding: "utf8", env: { ...process.env, AIO_RING_BENCH_HOME: home } });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /ref "no-such-ref-xyz"/);
  assert.ok(!existsSync(join(home, "wasm-builds")) || readdirSync(join(home, "wasm-builds")).length === 0);
  delete process.env.AIO_RING_BENCH_HOME;
});

test("ab: benchmarks whose module exports differ between the builds are not comparable, with the reason", async () => {
  const { runAb } = await import("../src/report/ab.js");
  const { BUILD_DIR, wasmBuildFrom, defaultWasmBuild } = await import("../src/core/wasm-build.js");
  const { instrumentWasm } = await import("../src/core/instruction-count.js");
  const { lookupSuite } = await import("../bench/lookup.js");
  const { readFileSync } = await import("node:fs");
  // A head whose lookup module has one more export (the counter): same code, other interface.
  const head = wasmBuildFrom("head with another export", (name) =>
    name === "lookup" ? instrumentWasm(readFileSync(`${BUILD_DIR}lookup.wasm`)) : readFileSync(`${BUILD_DIR}${name}.wasm`),
  );
  const r = await runAb({
    quick: true,
    full: false,
    sizes: [1],
    timeMs: 10,
    suites: [lookupSuite],
    filter: /hash\/wasm/,
    base: defaultWasmBuild(),
    head,
    control: null,
    budgetMs: 1,
  });
  assert.equal(r.comparison.entries.length, 1);
  const [e] = r.comparison.entries;
  assert.equal(e.verdict, "not comparable");
  assert.match(e.reason, /lookup\.wasm exports differ \(only in head: __wasm_instructions:global\)/);
  assert.equal(r.headRun.results.length, 0);
});

test("ab --json - keeps stdout for the comparison JSON (the table goes to stderr); two outputs on stdout are refused before building; --runs, --warmup and the progress line end to end", (t) => {
  const home = mkdtempSync(join(tmpdir(), "ab-stdout-"));
  const env = { ...process.env, AIO_RING_BENCH_HOME: home, NO_COLOR: "1" };
  try {
    const two = spawnSync(process.execPath, [CLI, "ab", "--base", "HEAD", "--head", "HEAD", "--json", "-", "--markdown", "-"], { encoding: "utf8", env });
    assert.equal(two.status, 2);
    assert.equal(two.stderr.trim(), 'aio-ring-bench: only one output can go to standard output ("-", /dev/stdout), got --markdown and --json');
    assert.equal(two.stdout, "");
    assert.ok(!existsSync(join(home, "wasm-builds")), "refused before building");
    const argv = [
      "ab",
      "--base",
      "HEAD",
      "--head",
      "HEAD",
      "--suite",
      "lookup",
      "--filter",
      "hash/wasm",
      "--sizes",
      "1",
      "--quick",
      "--budget",
      "1",
      "--json",
      "-",
    ];
    const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: "utf8", env });
    assert.equal(r.status, 0, r.stderr);
    const cmp = validateComparison(JSON.parse(r.stdout), "stdout");
    assert.equal(cmp.kind, "ab");
    assert.deepEqual(
      cmp.entries.map((e) => e.id),
      ["lookup/hash/wasm/n=1/dist=uniform"],
    );
    assert.match(r.stderr, /^lookup\/hash\//m, "the table is on stderr");
    assert.match(r.stderr, /^\d+ rounds in /m);
    // The builds are cached now: --runs and --warmup through the command, the library and the rounds.
    const fixed = spawnSync(process.execPath, [CLI, ...argv.filter((a, i) => a !== "--budget" && argv[i - 1] !== "--budget"), "--runs", "7", "--warmup", "2"], {
      encoding: "utf8",
      env,
    });
    assert.equal(fixed.status, 0, fixed.stderr);
    const fixedCmp = validateComparison(JSON.parse(fixed.stdout), "stdout");
    assert.equal(fixedCmp.ab?.rounds, 7);
    assert.deepEqual(
      fixedCmp.entries.map((e) => [e.samples?.old.length, e.samples?.new.length]),
      [[7, 7]],
    );
    assert.match(fixed.stderr, /^7 rounds in .*the fixed rounds ended/m);
    // On a terminal the rounds show a progress line with the time left: in rounds of --runs, or in seconds of the budget
    // (a 0.01% threshold keeps identical builds undecided that long).
    const why = ptyUnavailable();
    if (why) return t.skip(why);
    const terminal: NodeJS.ProcessEnv = { ...env };
    delete terminal.CI;
    const selection = argv.slice(0, argv.indexOf("--budget"));
    for (const [extra, line] of [
      [["--runs", "1000000"], /ab: +\d+%, (\d+ s|\d+ min \d\d s|\d+ h \d\d min) left round \d+ of 1000000/],
      [["--budget", "600", "--threshold", "0.01"], /ab: +\d+%, (\d+ s|\d+ min \d\d s) left round \d+: 1\/1 undecided/],
    ] as const) {
      const tty = runInPty([process.execPath, CLI, ...selection, ...extra], { waitFor: line, presses: 1, limitSeconds: 90, env: terminal });
      assert.equal(tty.code, 130, tty.output);
      assert.match(tty.output, line);
    }
    // Piped, or on a terminal under CI=true: no progress line.
    const quiet = runInPty([process.execPath, CLI, ...selection, "--runs", "12"], {
      waitFor: /^$/,
      presses: 0,
      limitSeconds: 60,
      env: { ...terminal, CI: "true" },
    });
    assert.equal(quiet.code, 0, quiet.output);
    assert.doesNotMatch(quiet.output, /ab: +\d+%/);
    assert.doesNotMatch(fixed.stderr, /ab: +\d+%/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

/** Starts `ab` on a base nobody built yet, in a fresh state folder, and waits until its compiler runs. */
async function abWhileCompiling(home: string): Promise<import("node:child_process").ChildProcess> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [CLI, "ab", "--base", "HEAD~1", "--suite", "lookup", "--filter", "hash/wasm", "--sizes", "1", "--budget", "1"], {
    env: { ...process.env, AIO_RING_BENCH_HOME: home },
    stdio: "ignore",
  });
  for (let i = 0; i < 600 && compilers(home).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(compilers(home).length > 0, "the compiler started");
  return child;
}

/** Compiler processes (src/bench/asc-child.ts) building into `home`. */
function compilers(home: string): string[] {
  const r = spawnSync("pgrep", ["-f", `asc-child.js .*${home}`], { encoding: "utf8" });
  return r.stdout.trim().split("\n").filter(Boolean);
}

async function settle(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
}

test("ab stopped with Ctrl-C while compiling: exit 130 at once, no compiler and no temp folder left", (t) => {
  const why = ptyUnavailable();
  if (why) return t.skip(why);
  const home = mkdtempSync(join(tmpdir(), "ab-ctrlc-"));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, AIO_RING_BENCH_HOME: home };
    delete env.CI;
    const r = runInPty([process.execPath, CLI, "ab", "--base", "HEAD~1", "--suite", "lookup", "--filter", "hash/wasm", "--sizes", "1", "--budget", "1"], {
      waitFor: /ab: building HEAD~1/,
      presses: 1,
      limitSeconds: 120,
      env,
    });
    assert.equal(r.code, 130, r.output);
    assert.match(r.output, /interrupted: building HEAD~1/);
    assert.ok(r.afterCtrlC !== null && r.afterCtrlC < 5, `${r.afterCtrlC} s after Ctrl-C`);
    assert.deepEqual(compilers(home), []);
    assert.deepEqual(readdirSync(join(home, "wasm-builds")), []);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("ab killed while compiling: SIGTERM leaves no compiler and no temp folder; after SIGKILL the compiler ends itself and the next build sweeps its folder", async () => {
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    const home = mkdtempSync(join(tmpdir(), `ab-kill-${signal}-`));
    try {
      const ab = await abWhileCompiling(home);
      const exited = new Promise((r) => ab.on("exit", r));
      ab.kill(signal);
      await exited;
      assert.ok(await settle(() => compilers(home).length === 0), `${signal}: no compiler left running`);
      const left = readdirSync(join(home, "wasm-builds"));
      if (signal === "SIGTERM") assert.deepEqual(left, [], "SIGTERM: the temp folder is removed");
      else {
        assert.equal(left.length, 1);
        assert.match(left[0], /^\.tmp-\d+-/, "SIGKILL leaves the dead owner's temp folder");
        // A process of its own: the state folder is resolved once per process.
        const build = `const m = await import(${JSON.stringify(new URL("../src/bench/wasm-source-build.js", import.meta.url).href)});
          await m.buildRevision(m.resolveSource({ kind: "ref", ref: "HEAD~1" }));`;
        const next = spawnSync(process.execPath, ["--input-type=module", "-e", build], {
          env: { ...process.env, AIO_RING_BENCH_HOME: home },
          encoding: "utf8",
        });
        assert.equal(next.status, 0, next.stderr);
        const after = readdirSync(join(home, "wasm-builds"));
        assert.equal(after.length, 1, `only the finished build: ${after.join(", ")}`);
        assert.ok(!after[0].startsWith(".tmp-"), `left: ${after.join(", ")}`);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
});
