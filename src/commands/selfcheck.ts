// `aio-ring-bench selfcheck` (npm run bench:selfcheck): proves the three
// regression methods on real measurements of this machine, optionally with
// a noisy neighbour (--noise) running the whole time. The slowdowns are real
// code: a build of the core and lookup module with AIO_EXTRA_WORK steps of a
// dependent multiply-add chain per operation (assembly/extra-work.ts), seen
// by the clock and by the instruction counts alike. One slowed build serves
// every trial: a calibration A/B measures how much slower it makes each
// benchmark, and the trials use the benchmarks whose slowdown is nearest
// the sizes under test.
import { sampleRankCorrelation } from "simple-statistics";
import { runAb, type AbOptions, type AbResult } from "../report/ab.js";
import { counterChanges, countersVerdict } from "../stats/counter-changes.js";
import { startNoise, type Noise } from "../bench/noise.js";
import { INSTRUCTIONS_COUNTER, runBench } from "../bench/runner.js";
import { caseId, type Suite, type TimedCase } from "../contract/suite.js";
import { buildRevision, resolveSource } from "../bench/wasm-source-build.js";
import { BUILD_DIR, defaultWasmBuild, wasmBuildInDir } from "../core/wasm-build.js";
import type { WasmBuild } from "../contract/wasm-build.js";
import { compareRuns } from "../report/compare.js";
import { noPositionals, parseCommand, type CommandSpec } from "./args.js";
import { intFlag } from "./flag-values.js";
import { parseBenchFlags } from "./bench-flags.js";
import { gate } from "../report/gate.js";
import { Progress } from "../util/progress.js";
import { interruptOnSigint } from "../util/interrupt.js";

export const spec: CommandSpec = {
  name: "selfcheck",
  usage: "aio-ring-bench selfcheck [--noise] [--trials N] [--aa-runs N] [--extra-work K]",
  description: `Measures, on this machine, how well each regression method tells a real
slowdown from none, and prints one line per target:
  - exact WASM instruction counts: A/A differences (target 0) and a build
    adding ~2% instructions per operation caught at the default 1% threshold;
  - ab (interleaved A/B, with its control): ~10% slowdowns on 4 benchmarks
    at the default 5% threshold, ~5% slowdowns on 4 others at a 2%
    threshold, and A/A runs of the whole ab gate over the lookup and remap
    suites as a CI runs it (run-level false alarms);
  - compare of two stored runs, under the same conditions, for comparison;
  - the rank correlation of instructions/op and ns/op over the WASM benchmarks.`,
  flags: [
    { name: "noise", type: "boolean", help: "run a noisy neighbour (busy/idle threads on every core) throughout" },
    { name: "trials", type: "string", arg: "N", help: "trials per target (default 6; each A/B trial times 4 benchmarks)" },
    { name: "aa-runs", type: "string", arg: "N", help: "A/A runs of the whole ab gate over lookup and remap (default 4,\n~1.5 min each)" },
    { name: "extra-work", type: "string", arg: "K", help: "chain steps per operation of the slowed build (default 1)" },
  ],
  exitCodes: "0 every target met, 1 a target missed, 2 bad input",
};

/** Benchmarks the time trials may use: the WASM lookups and remap moves, where K steps cost a few percent of the fast ones. */
const CANDIDATES = /^(lookup|remap)\/[^/]+\/wasm\//;
const CANDIDATE_SIZES = [1, 16, 256, 4096];
/** Calibrated slowdowns a detection target may use: near 10% for the default threshold, near 5% for --threshold 2. */
const WINDOW_10: [number, number] = [0.075, 0.15];
const WINDOW_5: [number, number] = [0.04, 0.075];
/** Sizes for the instruction trial: the slowed build adds a fixed count per operation, ~2% of some of these. */
const COUNT_SIZES = [16, 64, 256, 4096];
/** Benchmarks per detection target: a slowdown must be caught on several, not one lucky case. */
const DETECT_BENCHMARKS = 4;

/** One line of the selfcheck's report and whether its target was met. */
export interface TargetLine {
  text: string;
  met: boolean;
  /** Ctrl-C cut the check short: its text counts the trials that ran, and it is not judged. */
  interrupted?: true;
}

interface Suites {
  lookup: Suite;
  remap: Suite;
  all: readonly Suite[];
}

async function suites(): Promise<Suites> {
  const { SUITES } = await import("../../bench/index.js");
  const { lookupSuite } = await import("../../bench/lookup.js");
  const { remapSuite } = await import("../../bench/remap.js");
  return { lookup: lookupSuite, remap: remapSuite, all: SUITES };
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

/** Instructions per operation of every WASM case of `suites` on `build`, each from fresh counted instances. */
async function instructionCounts(list: readonly Suite[], build: WasmBuild, filter: RegExp | null, sizes: number[] | null = null): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of list) {
    for (const c of await s.cases({ quick: true, full: false, sizes, timeMs: 60, wasm: build })) {
      const id = caseId(s.name, c);
      if (c.kind !== "timed" || c.backend !== "wasm" || !(c as TimedCase).instructions || (filter && !filter.test(id))) continue;
      out.set(id, (c as TimedCase).instructions!());
    }
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("selfcheck", positionals);
  const trials = intFlag("trials", values.trials, 6, 1, 1000);
  const aaRuns = intFlag("aa-runs", values["aa-runs"], 4, 1, 1000);
  const extra = intFlag("extra-work", values["extra-work"], 1, 1, 1_000_000);
  const started = performance.now();
  const say = (line: string) => console.error(`selfcheck [${((performance.now() - started) / 1000).toFixed(0)} s]: ${line}`);
  let noise: Noise | null = null;
  if (values.noise) {
    noise = startNoise();
    say("noisy neighbour started (one busy/idle thread per core, random duty cycle every 200-500 ms)");
  }
  const interrupt = interruptOnSigint("\ninterrupted: finishing the current trial, then printing what was measured (Ctrl-C again to quit now)");
  try {
    const lines = await selfcheck(trials, aaRuns, extra, say, interrupt.signal);
    const stopped = interrupt.signal.aborted;
    for (const l of lines) console.log(`selfcheck: ${l.text}${l.interrupted ? "  [interrupted]" : l.met ? "" : "  [MISSED]"}`);
    console.log(
      `selfcheck: ${((performance.now() - started) / 1000).toFixed(0)} s${values.noise ? " with the noisy neighbour on" : ""}${stopped ? "; interrupted: the checks not listed were not run" : ""}`,
    );
    if (stopped) return 130;
    return lines.every((l) => l.met) ? 0 : 1;
  } finally {
    interrupt.dispose();
    noise?.stop();
  }
}

/** The A/B budgets, ms: the calibration, one trial at each slowdown, one A/A run of the gate. */
const BUDGET = { calibration: 40_000, detect10: 30_000, detect5: 40_000, aa: 60_000 };

/** The regression statistics' detection and false-alarm rates measured here (`selfcheck`): `trials` per check, `aaRuns` A/A runs of the gate, a build slowed by `extra` units of work; `tell` hears each stage. */
export async function selfcheck(trials: number, aaRuns: number, extra: number, tell: (line: string) => void, signal?: AbortSignal): Promise<TargetLine[]> {
  // The A/B runs take nearly all the time: progress and time left count in their budgets' seconds.
  const progress = new Progress("selfcheck", (BUDGET.calibration + trials * (BUDGET.detect10 + BUDGET.detect5) + aaRuns * BUDGET.aa) / 1000);
  let spent = 0;
  const say = (line: string) => {
    progress.done();
    tell(line);
  };
  const ab = async (opts: AbOptions): Promise<AbResult> => {
    try {
      return await runAb({
        ...opts,
        signal,
        onRound: (_round, undecided, total, elapsed) =>
          progress.update(spent + Math.min(elapsed, opts.budgetMs) / 1000, `A/B: ${undecided}/${total} undecided`),
      });
    } finally {
      spent += opts.budgetMs / 1000;
    }
  };
  try {
    return await checks(
      trials,
      aaRuns,
      extra,
      say,
      ab,
      (skippedMs) => {
        spent += skippedMs / 1000;
      },
      () => signal?.aborted === true,
      signal,
    );
  } finally {
    progress.done();
  }
}

async function checks(
  trials: number,
  aaRuns: number,
  extra: number,
  say: (line: string) => void,
  ab: (opts: AbOptions) => Promise<AbResult>,
  skip: (budgetMs: number) => void,
  stopped: () => boolean,
  signal?: AbortSignal,
): Promise<TargetLine[]> {
  const s = await suites();
  const base = defaultWasmBuild();
  say(`building the slowed variant (AIO_EXTRA_WORK=${extra}; cached afterwards)`);
  const slow = await buildRevision(resolveSource({ kind: "worktree" }), ["--use", `AIO_EXTRA_WORK=${extra}`], (what) => say(`compiling ${what}`), signal);
  const lines: TargetLine[] = [];
  // After Ctrl-C: a check cut short says how far it got; the checks after it are not run.
  const cut = (line: TargetLine, done: number, of: number): TargetLine =>
    stopped() && done < of ? { text: `${line.text} (interrupted after ${done} of ${of})`, met: false, interrupted: true } : line;
  const quick = { quick: false, full: false, sizes: CANDIDATE_SIZES, timeMs: 60 };

  // 1. Exact instruction counts: A/A over every WASM benchmark, and the slowed build.
  say("counting instructions");
  let aaDiffs = 0,
    aaTotal = 0;
  const first = await instructionCounts(s.all, base, null);
  let aaTrials = 0;
  for (; aaTrials < trials && !stopped(); aaTrials++) {
    const again = await instructionCounts(s.all, aaTrials % 2 ? base : secondLoad(), null);
    for (const [id, n] of first) {
      aaTotal++;
      if (again.get(id) !== n) aaDiffs++;
    }
  }
  lines.push(
    cut(
      { text: `instruction counts A/A: ${aaDiffs} differences in ${aaTotal} benchmark counts over ${aaTrials} trials (target 0)`, met: aaDiffs === 0 },
      aaTrials,
      trials,
    ),
  );
  if (stopped()) return lines;
  const plain = await instructionCounts([s.lookup, s.remap], base, /\/wasm\//, COUNT_SIZES);
  const slowCounts = await instructionCounts([s.lookup, s.remap], slow, /\/wasm\//, COUNT_SIZES);
  const rises = [...slowCounts]
    .map(([id, n]) => ({ id, rise: n / plain.get(id)! - 1 }))
    .filter((r) => r.rise >= 0.02)
    .sort((a, b) => a.rise - b.rise);
  const two = rises.slice(0, 3);
  let caught = 0,
    countTrials = 0,
    slowTrials = 0;
  for (; slowTrials < trials && !stopped(); slowTrials++) {
    const again = await instructionCounts([s.lookup, s.remap], slow, new RegExp(two.map((r) => `^${r.id}$`).join("|") || "^$"), COUNT_SIZES);
    for (const { id } of two) {
      countTrials++;
      if (countersVerdict(counterChanges({ [INSTRUCTIONS_COUNTER]: plain.get(id)! }, { [INSTRUCTIONS_COUNTER]: again.get(id)! })) === "regressed") caught++;
    }
  }
  lines.push(
    cut(
      {
        text: `instruction counts: slowed build (${two.map((r) => `${r.id.split("/").slice(0, 4).join("/")} +${pct(r.rise, 2)}`).join(", ") || "no benchmark rose 2%"}) caught at the 1% threshold in ${caught}/${countTrials} trials (target 100%)`,
        met: countTrials > 0 && caught === countTrials,
      },
      slowTrials,
      trials,
    ),
  );
  if (stopped()) return lines;

  // 2. Rank correlation of instructions/op vs ns/op over the WASM benchmarks of a quick run.
  say("timing the WASM benchmarks for the rank correlation");
  const corrRun =
    // The suites that run a WASM module in this process: the pool's rows carry no instruction counts.
    (await runBench({ suites: s.all.filter((x) => x.wasmModule !== undefined), filter: /\/wasm\//, quick: true, full: false, sizes: null, timeMs: 40 })).run;
  const pairs = corrRun.results.filter((r) => r.stats && typeof r.counters[INSTRUCTIONS_COUNTER] === "number");
  const rho =
    pairs.length >= 3
      ? sampleRankCorrelation(
          pairs.map((r) => r.counters[INSTRUCTIONS_COUNTER]),
          pairs.map((r) => r.stats!.median),
        )
      : NaN;
  if (stopped()) return lines;
  lines.push({ text: `instructions/op vs ns/op: Spearman rank correlation ${rho.toFixed(3)} over ${pairs.length} WASM benchmarks (informational)`, met: true });

  // 3. Calibration: how much slower the slowed build makes each candidate, by a long A/B.
  say("calibrating the slowed build's time effect per benchmark (A/B)");
  const cal = await ab({
    ...quick,
    suites: [s.lookup, s.remap],
    filter: CANDIDATES,
    base,
    head: slow,
    control: null,
    budgetMs: BUDGET.calibration,
    threshold: 0.01,
    minCycles: 16,
  });
  if (stopped()) return lines;
  const effects = cal.comparison.entries.filter((e) => e.change !== null).map((e) => ({ id: e.id, change: e.change! }));
  // The benchmarks nearest the target whose slowdown lies in its window.
  const nearest = (target: number, [lo, hi]: [number, number]) =>
    effects
      .filter((e) => e.change >= lo && e.change <= hi)
      .sort((a, b) => Math.abs(a.change - target) - Math.abs(b.change - target))
      .slice(0, DETECT_BENCHMARKS);
  const set10 = nearest(0.1, WINDOW_10);
  const set5 = nearest(0.05, WINDOW_5);
  // Under heavy load no slowdown may clear the noise in the calibration's budget: a measured fact, not a crash.
  if (!effects.length)
    lines.push({
      text: `calibration: no benchmark's slowdown was measured in a ${cal.comparison.entries.length}-benchmark A/B of 40 s (all too noisy): the detection trials below were not run`,
      met: false,
    });
  const describe = (set: typeof set10) => set.map((e) => `${e.id.split("/").slice(1, 4).join("/")} +${pct(e.change)}`).join(", ");
  say(`calibrated: for 10%: ${describe(set10)}; for 5%: ${describe(set5)}`);
  const exactAny = (ids: readonly string[]) => new RegExp(ids.map((id) => `^${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`).join("|"));

  // 4. A/B detection: each trial is one ab over the set, with its control, as a CI would run it.
  const abTrials = async (set: typeof set10, threshold: number, budgetMs: number) => {
    let detected = 0,
      total = 0,
      worst = 0;
    const verdicts: Record<string, number> = {};
    let ran = 0;
    for (; ran < trials; ran++) {
      const t0 = performance.now();
      const r = await ab({
        ...quick,
        suites: [s.lookup, s.remap],
        filter: exactAny(set.map((e) => e.id)),
        base,
        head: slow,
        control: secondLoad(),
        budgetMs,
        threshold,
      });
      if (r.interrupted) break;
      worst = Math.max(worst, performance.now() - t0);
      for (const e of r.comparison.entries) {
        total++;
        verdicts[e.verdict] = (verdicts[e.verdict] ?? 0) + 1;
        if (e.verdict === "regressed") detected++;
      }
    }
    return { detected, total, verdicts, worst, ran };
  };
  const detectLine = (label: string, set: typeof set10, d: Awaited<ReturnType<typeof abTrials>>) => ({
    text: `ab: ${label} (${set.length} benchmarks${set.length < DETECT_BENCHMARKS ? ` of the ${DETECT_BENCHMARKS} wanted: too few calibrated in the window` : ""}: ${describe(set)}) detected in ${d.detected}/${d.total} benchmark trials (${pct(d.detected / Math.max(1, d.total))}; target >= 95%; ${verdictCounts(d.verdicts)}longest trial ${(d.worst / 1000).toFixed(1)} s)`,
    met: set.length >= DETECT_BENCHMARKS && d.total > 0 && d.detected / d.total >= 0.95,
  });
  const detect = async (label: string, set: typeof set10, threshold: number, budgetMs: number) => {
    if (!set.length) {
      skip(trials * budgetMs);
      return { text: `ab: ${label}: not run, no benchmark calibrated in the window`, met: false };
    }
    say(`A/B trials: ${label}`);
    const d = await abTrials(set, threshold, budgetMs);
    return cut(detectLine(label, set, d), d.ran, trials);
  };
  lines.push(await detect("~10% slowdowns at the 5% threshold", set10, 0.05, BUDGET.detect10));
  if (stopped()) return lines;
  lines.push(await detect("~5% slowdowns at --threshold 2", set5, 0.02, BUDGET.detect5));
  if (stopped()) return lines;

  // 5. A/A runs of the whole gate a CI runs: ab --suite lookup,remap --fail-on-regression (run-level false alarms).
  say(`A/A runs of ab --suite lookup,remap (${aaRuns} runs)`);
  const gateFlags = parseBenchFlags(["--suite", "lookup,remap"], s.all)!;
  let failing = 0,
    aaWorst = 0,
    aaBench = 0,
    tooNoisy = 0,
    noisyMachine = 0;
  const alarmsById = new Map<string, number>();
  let aaDone = 0;
  for (; aaDone < aaRuns; aaDone++) {
    const t0 = performance.now();
    const r = await ab({
      ...gateFlags.opts,
      suites: gateFlags.suites,
      filter: /\/wasm\//,
      base,
      head: secondLoad(),
      control: secondLoad(),
      budgetMs: BUDGET.aa,
    });
    if (r.interrupted) break;
    aaWorst = Math.max(aaWorst, performance.now() - t0);
    if (gate(r.comparison, { on: "all" }).failed) failing++;
    if (r.controlDiffered.length) noisyMachine++;
    for (const e of r.comparison.entries) {
      aaBench++;
      if (e.verdict === "too noisy") tooNoisy++;
      if (e.verdict === "regressed" || e.verdict === "improved") alarmsById.set(e.id, (alarmsById.get(e.id) ?? 0) + 1);
    }
    say(
      `A/A run ${aaDone + 1}/${aaRuns}: ${gate(r.comparison, { on: "all" }).failed ? "FAILED" : "passed"} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const repeated = [...alarmsById].filter(([, n]) => n > 1);
  const alarmText = [...alarmsById].map(([id, n]) => `${id} x${n}`).join(", ");
  lines.push(
    cut(
      {
        text: `ab --suite lookup,remap --fail-on-regression, A/A: ${failing}/${aaDone} runs failed (target <= 1 in 40, no benchmark failing repeatedly${alarmText ? `; false alarms: ${alarmText}` : ""}); ${tooNoisy}/${aaBench} benchmark verdicts too noisy, ${noisyMachine} runs said the machine was too noisy; longest run ${(aaWorst / 1000).toFixed(1)} s (target <= 90 s)`,
        met: failing / aaRuns <= 1 / 40 && repeated.length === 0 && aaWorst <= 90_000,
      },
      aaDone,
      aaRuns,
    ),
  );
  if (stopped()) return lines;

  // 6. Stored-baseline compare under the same conditions, for comparison.
  const storedCompare = async (stored: { id: string; change: number }): Promise<TargetLine> => {
    say("stored-run compare trials");
    let sDetected = 0,
      sTrials = 0,
      sAlarms = 0,
      sAa = 0;
    const runOf = async (wasm: WasmBuild) =>
      (await runBench({ suites: [s.lookup, s.remap], filter: exactAny([stored.id]), quick: false, full: false, sizes: CANDIDATE_SIZES, timeMs: 150, wasm }))
        .run;
    const rounds = Math.max(2, Math.ceil(trials / 2));
    let i = 0;
    for (; i < rounds && !stopped(); i++) {
      const a = await runOf(base);
      const same = await runOf(secondLoad());
      const slowed = await runOf(slow);
      for (const e of compareRuns(a, same).entries) {
        sAa++;
        if (e.verdict === "regressed" || e.verdict === "improved") sAlarms++;
      }
      for (const e of compareRuns(a, slowed).entries) {
        sTrials++;
        if (e.verdict === "regressed") sDetected++;
      }
    }
    return cut(
      {
        text: `compare of stored runs (for comparison): the ${pct(stored.change)} slowdown (${stored.id}) detected in ${sDetected}/${sTrials} trials, A/A false alarms ${sAlarms}/${sAa} (informational)`,
        met: true,
      },
      i,
      rounds,
    );
  };
  const stored = set10[0] ?? effects.slice().sort((a, b) => Math.abs(a.change - 0.1) - Math.abs(b.change - 0.1))[0];
  if (stored) lines.push(await storedCompare(stored));
  return lines;
}

/** "4 regressed, 1 too noisy; ", or nothing when no trial ran (Ctrl-C before the first). */
function verdictCounts(verdicts: Record<string, number>): string {
  const counts = Object.entries(verdicts).map(([v, n]) => `${n} ${v}`);
  return counts.length ? `${counts.join(", ")}; ` : "";
}

/** A second load of build/ (its own compiled modules): an A/A pair is two loads, as an A/B pair is. */
function secondLoad(): WasmBuild {
  return wasmBuildInDir(BUILD_DIR, "build/ (second load)");
}
