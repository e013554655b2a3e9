// The bench command and runner: flags, run JSON, ratios, unavailable rows,
// baselines and the injected slowdown the selfcheck relies on.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseRun } from "../src/bench/run-file.js";
import { resultSchema, runSchema } from "../src/contract/run-document.js";
import { QUICK_MAX_OP_MS, runBench } from "../src/bench/runner.js";
import type { BenchCase, Suite } from "../src/contract/suite.js";
import { UserError } from "../src/contract/errors.js";
import { compareRuns } from "../src/report/compare.js";
import { REPO } from "./helpers.js";
import { ptyUnavailable, runInPty } from "./helpers/pty.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const dir = mkdtempSync(join(tmpdir(), "aio-bench-"));
const env = { ...process.env, AIO_RING_BENCH_HOME: join(dir, "home") };

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, "bench", ...args], { encoding: "utf8", cwd: dir, env });
}

/** A suite whose cost is known: `spin` busy-loops for `ns` per operation. */
function spinSuite(ns: number): Suite {
  const spin = (n: number) => {
    const until = performance.now() + (n * ns) / 1e6;
    while (performance.now() < until);
  };
  return {
    name: "spin",
    description: "busy loop of known cost",
    async cases(): Promise<BenchCase[]> {
      return [
        { kind: "timed", case: "fast", backend: "host", params: { n: 1 }, reference: true, run: spin },
        { kind: "timed", case: "slow", backend: "host", params: { n: 2 }, run: (n) => spin(2 * n) },
        { kind: "unavailable", case: "elsewhere", backend: "kernel", params: {}, reason: "no such machine here" },
      ];
    },
  };
}

describe("bench runner", () => {
  it("samples are per-operation times; unavailable cases carry a reason and no numbers", async () => {
    const { run } = await runBench({ suites: [spinSuite(1000)], filter: null, quick: true, full: false, sizes: null, timeMs: 40 });
    parseRun(JSON.stringify(run), "run");
    const [fast, slow, elsewhere] = run.results;
    assert.ok(fast.stats && slow.stats);
    assert.ok(fast.stats.median > 900 && fast.stats.median < 3000, `fast median ${fast.stats.median} ns for a 1000 ns spin`);
    assert.ok(slow.stats.median > 1.5 * fast.stats.median, "twice the work shows as about twice the time");
    assert.ok(fast.samples.length >= 12);
    assert.deepEqual([elsewhere.samples, elsewhere.stats, elsewhere.status], [[], null, { unavailable: "no such machine here" }]);
  });

  it("a benchmark that fails ends the run, keeping what completed; one that cannot run here is a row saying why", async () => {
    const suite: Suite = {
      name: "failing",
      description: "a good case, one that cannot run here, one whose worker dies, and one never reached",
      async cases(): Promise<BenchCase[]> {
        return [
          { kind: "measured", case: "good", backend: "pool", params: {}, measure: async () => ({ samples: [1, 2, 3] }) },
          {
            kind: "measured",
            case: "no-aio",
            backend: "kernel",
            params: {},
            measure: async () => {
              throw new UserError("kernel backend unavailable: no AIO");
            },
          },
          {
            kind: "measured",
            case: "dies",
            backend: "pool",
            params: {},
            measure: async () => {
              throw new Error("worker 2 exited with code 1 in task ring#7");
            },
          },
          { kind: "measured", case: "after", backend: "pool", params: {}, measure: async () => ({ samples: [1, 2] }) },
        ];
      },
    };
    const r = await runBench({ suites: [suite], filter: null, quick: true, full: false, sizes: null, timeMs: 10 });
    assert.match(r.failure?.message ?? "", /^failing\/dies\/pool: worker 2 exited with code 1 in task ring#7$/);
    assert.deepEqual(
      r.run.results.map((x) => [x.case, x.status?.unavailable ?? "measured"]),
      [
        ["good", "measured"],
        ["no-aio", "kernel backend unavailable: no AIO"],
      ],
    );
    parseRun(JSON.stringify(r.run), "partial run");
  });

  it("a rounds case is called once per round between the timed cases, its rounds aligned with theirs and paired in ratios", async () => {
    const calls: string[] = [];
    const suite: Suite = {
      name: "interleaved",
      description: "a timed case beside a case that times itself in rounds, one that cannot run here, and one that fails",
      async cases(): Promise<BenchCase[]> {
        return [
          {
            kind: "timed",
            case: "wasm",
            backend: "wasm",
            params: {},
            run: () => {
              if (calls.at(-1) !== "wasm") calls.push("wasm");
            },
          },
          {
            kind: "rounds",
            case: "native",
            backend: "native",
            params: {},
            round: async (budgetMs) => {
              calls.push("native");
              return { samples: [budgetMs, budgetMs, budgetMs], opsPerSample: 7 };
            },
          },
          {
            kind: "rounds",
            case: "no-probe",
            backend: "native",
            params: {},
            round: async () => {
              throw new UserError("no probe binary here");
            },
          },
        ];
      },
    };
    const r = await runBench({ suites: [suite], filter: null, quick: false, full: false, sizes: null, timeMs: 16 });
    assert.equal(r.failure, null);
    const [wasm, native, noProbe] = r.run.results;
    assert.equal(r.run.config.rounds, 16);
    assert.deepEqual(calls, Array.from({ length: 16 }, () => ["wasm", "native"]).flat(), "one round of each, taking turns");
    assert.deepEqual(native.round_sizes, Array(16).fill(3));
    assert.equal(native.ops_per_sample, 7);
    assert.equal(native.samples.length, 48);
    assert.equal(wasm.round_sizes?.length, 16);
    assert.deepEqual(noProbe.status, { unavailable: "no probe binary here" });
    parseRun(JSON.stringify(r.run), "interleaved run");

    const died: Suite = {
      name: "died",
      description: "a rounds case whose probe crashes",
      async cases(): Promise<BenchCase[]> {
        return [
          {
            kind: "rounds",
            case: "crash",
            backend: "native",
            params: {},
            round: async () => {
              throw new Error("probe killed by SIGSEGV");
            },
          },
        ];
      },
    };
    const d = await runBench({ suites: [died], filter: null, quick: true, full: false, sizes: null, timeMs: 10 });
    assert.match(d.failure?.message ?? "", /^died\/crash\/native: probe killed by SIGSEGV$/);
  });

  it("--quick keeps its promise at any size: a case whose one operation outruns the per-operation cap is a row saying so, run once", async () => {
    let calls = 0;
    const slowMs = QUICK_MAX_OP_MS + 100;
    const suite: Suite = {
      name: "huge",
      description: "one operation longer than --quick allows",
      async cases(): Promise<BenchCase[]> {
        return [
          {
            kind: "timed",
            case: "quadratic",
            backend: "host",
            params: { n: 65536 },
            run: (n) => {
              calls += n;
              const until = performance.now() + n * slowMs;
              while (performance.now() < until);
            },
          },
        ];
      },
    };
    const quick = await runBench({ suites: [suite], filter: null, quick: true, full: false, sizes: null, timeMs: 60 });
    assert.equal(calls, 1, "one operation, then no more");
    assert.match(quick.run.results[0].status?.unavailable ?? "", /^one operation takes \d+ ms, more than the 250 ms --quick allows per operation/);
    parseRun(JSON.stringify(quick.run), "quick run");
  });

  it("--quick declines an operation its estimate says is too long without starting one (it could not be interrupted)", async () => {
    let calls = 0;
    const count = (n: number) => {
      calls += n;
    };
    const suite: Suite = {
      name: "huge",
      description: "an estimate longer than --quick allows",
      async cases(): Promise<BenchCase[]> {
        return [
          { kind: "timed", case: "estimated", backend: "host", params: { n: 65536 }, estimateMs: () => 8300, run: count },
          { kind: "timed", case: "small", backend: "host", params: { n: 1 }, estimateMs: () => 0.001, run: count },
        ];
      },
    };
    const quick = await runBench({ suites: [suite], filter: null, quick: true, full: false, sizes: null, timeMs: 60 });
    assert.match(
      quick.run.results[0].status?.unavailable ?? "",
      /^one operation would take about 8\.3 s \(estimated from a smaller size\), more than the 250 ms/,
    );
    assert.ok(quick.run.results[1].stats !== null, "a case within its estimate is timed");
    assert.ok(calls > 0);
    // Without --quick nothing is declined: the estimate is not consulted.
    const full = await runBench({ suites: [suite], filter: /estimated/, quick: false, full: false, sizes: null, timeMs: 60 });
    assert.ok(full.run.results[0].stats !== null);
  });

  it("the criu-restore estimate scales by the strategy's complexity: remap-scan at n=65536 is declined by --quick", async () => {
    const { criuRestoreSuite } = await import("../bench/criu-restore.js");
    const cases = await criuRestoreSuite.cases({ quick: true, full: false, sizes: [65536], timeMs: 60 });
    const scan = cases.find((c) => c.case === "remap-scan" && c.kind === "timed");
    const back = cases.find((c) => c.case === "back-pointer" && c.kind === "timed");
    assert.ok(scan?.kind === "timed" && back?.kind === "timed");
    // The scan's restore is quadratic (n moves x n slots), the back-pointer's linear: 64x apart at 64x the size of the estimate's base.
    assert.ok(scan.estimateMs!() > 20 * back.estimateMs!(), "the scan is estimated far slower");
  });

  it("--runs N takes exactly N samples per timed case over min(16, N) rounds; --warmup N makes N unrecorded calls first", async () => {
    let calls = 0;
    const counted: Suite = {
      name: "counted",
      description: "counts its calls",
      async cases(): Promise<BenchCase[]> {
        // maxBatch 1: calibration is two calls (the world's first, then one batch of 1).
        return [{ kind: "timed", case: "count", backend: "host", params: {}, maxBatch: 1, run: () => void calls++ }];
      },
    };
    const opts = { suites: [counted], filter: null, quick: false, full: false, sizes: null, timeMs: 200 };
    for (const [runs, warmup, rounds] of [
      [40, 3, 16],
      [5, 0, 5],
    ]) {
      calls = 0;
      const { run } = await runBench({ ...opts, runs, warmup });
      assert.equal(run.results[0].samples.length, runs);
      assert.equal(run.results[0].round_sizes?.length, rounds);
      assert.equal(calls, 2 + warmup + runs, "calibration, warm-up, samples: nothing else");
      assert.deepEqual([run.config.runs, run.config.warmup, run.config.rounds], [runs, warmup, rounds]);
    }
    const { run } = await runBench({ ...opts, suites: [spinSuite(1000)], timeMs: 20 });
    assert.ok(!("runs" in run.config) && !("warmup" in run.config), "a run by time records neither");
  });

  it("an injected slowdown is seen by compare as a regression", async () => {
    const opts = { suites: [spinSuite(2000)], filter: /fast/, quick: true, full: false, sizes: null, timeMs: 60 };
    const base = (await runBench(opts)).run;
    const slow = (await runBench({ ...opts, injectSlowdown: 0.3 })).run;
    const entry = compareRuns(base, slow).entries.find((e) => e.id === base.results[0].id)!;
    assert.equal(entry.verdict, "regressed");
  });

  it("fits complexity over three or more sizes", async () => {
    const { lookupSuite } = await import("../bench/lookup.js");
    const { run } = await runBench({ suites: [lookupSuite], filter: /list-walk\/wasm/, quick: true, full: false, sizes: [16, 256, 4096], timeMs: 30 });
    assert.equal(run.results.length, 3);
    // The work counter is deterministic: its fit is exact. Three noisy times may honestly tie with N log N.
    for (const r of run.results) assert.equal((r.counter_complexity as { big_o: string }).big_o, "O(N)", r.id);
    // The time fit is made (on a loaded machine its verdict is whatever the noise allows, so only its presence is checked).
    for (const r of run.results) assert.equal(typeof r.complexity?.big_o, "string", JSON.stringify(r.complexity));
    const visited = run.results.map((r) => r.counters.nodes_visited_per_op);
    assert.ok(visited[0] < visited[1] && visited[1] < visited[2], `list walk visits grow with N: ${visited}`);
    // The run schema declares every field a result carries, so nothing is read back through a cast.
    const declared = new Set(Object.keys(resultSchema.shape));
    for (const r of run.results) for (const key of Object.keys(r)) assert.ok(declared.has(key), `${r.id}: field "${key}" is not in the run schema`);
    assert.equal(run.results[0].counter_complexity?.big_o, "O(N)");
    assert.equal(
      run.results[0].round_sizes?.reduce((a, b) => a + b, 0),
      run.results[0].samples.length,
    );
    for (const key of Object.keys(run)) assert.ok(key in runSchema.shape, `run field "${key}" is not in the run schema`);
  });
});

describe("bench CLI", () => {
  const bad: [string[], RegExp][] = [
    [["--suite", "nope"], /--suite: unknown suite "nope"/],
    [["--sizes", "0"], /--sizes: expected integers from 1 to 65536, separated by commas, got "0"/],
    [["--sizes", "1,x"], /--sizes: expected integers .*, got "x"/],
    [["--quick", "--full"], /cannot be combined/],
    [["--time", "-3"], /--time/],
    [["--runs", "1"], /--runs: expected an integer from 2 to 1000000, got "1"/],
    [["--runs", "many"], /--runs: expected an integer from 2 to 1000000, got "many"/],
    [["--warmup", "-1"], /--warmup: expected an integer from 0 to 1000000, got "-1"/],
    [["--filter", "/(/"], /--filter: not a valid regular expression/],
    [["--fail-on-regression"], /needs --compare/],
    [["--save-baseline", "../evil"], /baseline/i],
    [["--compare", "absent-baseline"], /absent-baseline/],
    [["--threshold", "500", "--compare", "x.json"], /--threshold/],
    [["--frobnicate"], /frobnicate/],
    [["extra"], /unexpected argument "extra"/],
    [["--json", "-", "--csv", "-"], /only one output can go to standard output \("-", \/dev\/stdout\), got --json and --csv/],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(" ")}: one-line error, exit 2, nothing written`, () => {
      const r = cli(...args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.ok(!existsSync(join(dir, "home", "last-run.json")), "no run was made");
    });
  }

  it("--list names benchmark ids from the registry without running anything", () => {
    const r = cli("--list", "--suite", "lookup,remap", "--quick");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /lookup\/hash\/wasm\/n=256\/dist=uniform/);
    assert.match(r.stdout, /remap\/remap-scan\/wasm\/n=4096\/dist=uniform/);
    assert.doesNotMatch(r.stdout, /median/);
  });

  it("runs, writes the run JSON, saves a baseline and compares against it", () => {
    const json = join(dir, "run.json");
    const first = cli(
      "--suite",
      "lookup",
      "--sizes",
      "1,16",
      "--filter",
      "hash/wasm",
      "--time",
      "20",
      "--json",
      json,
      "--save-baseline",
      "b1",
      "--bmf",
      join(dir, "bmf.json"),
      "--markdown",
      join(dir, "run.md"),
    );
    assert.equal(first.status, 0, first.stderr);
    const md = readFileSync(join(dir, "run.md"), "utf8");
    assert.match(md, /^## Benchmark run\n/, "without --compare, --markdown is the run's");
    assert.equal(md.split("\n").filter((l) => l.startsWith("| `lookup/hash/wasm/")).length, 2);
    assert.match(first.stdout, /^hash {2,}1 /m);
    assert.match(first.stdout, /^lookup +n +median +±95%/m);
    const run = parseRun(readFileSync(json, "utf8"), json);
    assert.equal(run.results.length, 2);
    assert.deepEqual(readdirSync(join(dir, "home", "baselines")), ["b1.json"]);
    assert.ok(JSON.parse(readFileSync(join(dir, "bmf.json"), "utf8"))[run.results[0].id].latency.value > 0);
    const second = cli(
      "--suite",
      "lookup",
      "--sizes",
      "1,16",
      "--filter",
      "hash/wasm",
      "--time",
      "20",
      "--compare",
      "b1",
      "--history",
      join(dir, "h.jsonl"),
      "--markdown",
      join(dir, "cmp.md"),
    );
    assert.equal(second.status, 0, second.stderr);
    assert.match(readFileSync(join(dir, "cmp.md"), "utf8"), /^## Benchmark comparison\n/, "with --compare, --markdown is the comparison's");
    assert.match(second.stdout, /improved|regressed|unchanged|too noisy/);
    assert.equal(readFileSync(join(dir, "h.jsonl"), "utf8").trim().split("\n").length, 1);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
    );
  });
  it("compares with the previous run of the same machine and suites, advisory; --no-compare-previous and --compare turn it off", () => {
    const home = { ...env, AIO_RING_BENCH_HOME: join(dir, "home-previous") };
    const bench = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, "bench", "--suite", "lookup", "--sizes", "1", "--filter", "hash/wasm", "--runs", "8", ...args], {
        encoding: "utf8",
        cwd: dir,
        env: home,
      });
    const first = bench();
    assert.equal(first.status, 0, first.stderr);
    assert.doesNotMatch(first.stdout, /vs previous run/, "nothing before the first run");
    const second = bench();
    assert.equal(second.status, 0, second.stderr);
    assert.match(
      second.stdout,
      // Each count names up to three benchmarks when it has any: which ones is the machine's business.
      /^vs previous run \(\d{4}-\d\d-\d\d \d\d:\d\d UTC, same machine\): \d+ slower( \([^)]*\))?, \d+ faster( \([^)]*\))?, \d+ unchanged.*; advisory, exit code unaffected/m,
    );
    assert.doesNotMatch(bench("--no-compare-previous").stdout, /vs previous run/);
    const compared = bench("--compare", join(dir, "home-previous", "last-run.json"));
    assert.equal(compared.status, 0, compared.stderr);
    assert.doesNotMatch(compared.stdout, /vs previous run/, "--compare is the comparison asked for");
    assert.doesNotMatch(bench("--suite", "remap", "--filter", "remap-scan/wasm").stdout, /vs previous run/, "other suites");
    assert.doesNotMatch(bench("--suite", "lookup", "--quick").stdout, /vs previous run/, "the previous run was of other suites");
  });

  it("--json - puts only the run JSON on stdout; the tables go to stderr, fitted to COLUMNS; --csv has a row per benchmark", () => {
    const csv = join(dir, "run.csv");
    const r = spawnSync(
      process.execPath,
      [CLI, "bench", "--suite", "lookup", "--sizes", "1,16,256", "--filter", "wasm", "--time", "10", "--json", "-", "--csv", csv],
      {
        encoding: "utf8",
        cwd: dir,
        env: { ...env, COLUMNS: "60", NO_COLOR: "1" },
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const run = parseRun(r.stdout, "stdout");
    assert.equal(run.results.length, 12);
    assert.ok(!existsSync(join(dir, "-")), "no file named -");
    const lines = r.stderr.trimEnd().split("\n");
    assert.ok(
      lines.every((l) => [...l].length <= 60),
      lines.filter((l) => [...l].length > 60).join("\n"),
    );
    assert.match(r.stderr, /^fit: list-walk O\(N\)/m);
    assert.doesNotMatch(r.stderr, /\x1b\[/);
    const rows = readFileSync(csv, "utf8").trimEnd().split("\n");
    assert.equal(rows.length, 13);
    assert.match(rows[0], /^id,suite,case,backend,params,median_ns,ci95_low_ns,ci95_high_ns,/);
    assert.ok(typeof (run.results[0] as { ops_per_sample?: unknown }).ops_per_sample === "number");
    assert.ok(Array.isArray((run.context as { caches?: unknown }).caches));
  });

  it("in a real terminal the progress line shows the time left, once two seconds give a rate", (t) => {
    const why = ptyUnavailable();
    if (why) return t.skip(why);
    const terminal: NodeJS.ProcessEnv = { ...env };
    delete terminal.CI;
    const args = [CLI, "bench", "--suite", "lookup", "--sizes", "1,16,256", "--time", "5000", "--no-compare-previous"];
    const r = runInPty([process.execPath, ...args], {
      waitFor: /bench: +\d+%, (\d+ s|\d+ min \d\d s|\d+ h \d\d min) left \[\d+\/\d+\]/,
      presses: 1,
      limitSeconds: 60,
      env: terminal,
      cwd: dir,
    });
    assert.equal(r.code, 130, r.output);
    assert.match(r.output, /bench: +\d+% \[1\/\d+\]/, "no estimate before there is a rate");
  });

  it("Ctrl-C in a real terminal stops the run within seconds: exit 130, the JSON says interrupted, no history line", (t) => {
    const why = ptyUnavailable();
    if (why) return t.skip(why);
    const history = join(dir, "ctrl-c-history.jsonl");
    const json = join(dir, "ctrl-c.json");
    // 12 benchmarks of 5 s each: a run that ignored Ctrl-C would go on for a minute.
    const args = [CLI, "bench", "--suite", "lookup", "--sizes", "1,16,256", "--time", "5000", "--history", history, "--json", json];
    // A user at a terminal, not a CI job: progress (which the test waits for) is off under CI=true.
    const terminal: NodeJS.ProcessEnv = { ...env };
    delete terminal.CI;
    for (const presses of [1, 3]) {
      const r = runInPty([process.execPath, ...args], { waitFor: /\[2\/\d+\]/, presses, limitSeconds: 120, env: terminal, cwd: dir });
      assert.equal(r.code, 130, r.output);
      assert.ok(r.afterCtrlC !== null && r.afterCtrlC < 15, `${presses} Ctrl-C: exit ${r.afterCtrlC} s after the first`);
      assert.ok(!existsSync(history), "a partial run is not added to the history");
      if (presses === 1) {
        assert.match(r.output, /interrupted: partial run/);
        assert.equal(parseRun(readFileSync(json, "utf8"), json).config.interrupted, true);
      }
    }
  });
});
