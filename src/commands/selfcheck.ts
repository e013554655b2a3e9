// `aio-ring-bench selfcheck` (npm run bench:selfcheck): proves the
// regression statistics on real measurements of this machine. Each round
// runs a real suite three times: a baseline, an unchanged rerun (A/A: any
// verdict other than unchanged/too noisy is a false alarm) and a rerun with
// a 10% slowdown injected (anything but "regressed" is a miss).
import { runBench } from "../bench/runner.js";
import { compareRuns } from "../report/compare.js";
import { Progress } from "../util/progress.js";
import { intFlag, noPositionals, parseCommand, type CommandSpec } from "./args.js";
import { parsePercentFlag } from "./percent-flag.js";

export const spec: CommandSpec = {
  name: "selfcheck",
  usage: "aio-ring-bench selfcheck [options]      (npm run bench:selfcheck -- [options])",
  description: `Runs the lookup suite (WASM, uniform targets) as baseline, A/A rerun and a rerun
with an injected slowdown, N rounds, and prints the detection rate and the A/A
false-alarm rate of \`compare\`.`,
  flags: [
    { name: "rounds", type: "string", arg: "N", help: "rounds (default 3)" },
    { name: "slowdown", type: "string", arg: "PCT", help: "injected slowdown in percent (default 10)" },
    { name: "time", type: "string", arg: "MS", help: "time budget per benchmark (default 150)" },
  ],
  exitCodes: "0 detection >= 95% and false alarms <= 5%, 1 otherwise, 2 bad input",
};

export interface SelfcheckResult {
  trials: number;
  detected: number;
  falseAlarms: number;
  aaTrials: number;
  /** Verdicts of the slowdown trials, by verdict. */
  slowVerdicts: Record<string, number>;
}

export async function selfcheck(rounds: number, slowdown: number, timeMs: number, onRun: (i: number) => void = () => {}): Promise<SelfcheckResult> {
  const { lookupSuite } = await import("../../bench/lookup.js");
  const opts = { suites: [lookupSuite], filter: /\/wasm\//, quick: false, full: false, sizes: [1, 256, 4096], timeMs };
  const out: SelfcheckResult = { trials: 0, detected: 0, falseAlarms: 0, aaTrials: 0, slowVerdicts: {} };
  for (let round = 0; round < rounds; round++) {
    onRun(round * 3);
    const base = (await runBench(opts)).run;
    onRun(round * 3 + 1);
    const same = (await runBench(opts)).run;
    onRun(round * 3 + 2);
    const slow = (await runBench({ ...opts, injectSlowdown: slowdown })).run;
    for (const e of compareRuns(base, same).entries) {
      out.aaTrials++;
      if (e.verdict === "regressed" || e.verdict === "improved") out.falseAlarms++;
    }
    for (const e of compareRuns(base, slow).entries) {
      out.trials++;
      out.slowVerdicts[e.verdict] = (out.slowVerdicts[e.verdict] ?? 0) + 1;
      if (e.verdict === "regressed") out.detected++;
    }
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("selfcheck", positionals);
  const rounds = intFlag("rounds", values.rounds, 3, 1, 100);
  const timeMs = intFlag("time", values.time, 150, 1, 10_000);
  const slowdown = values.slowdown === undefined ? 0.1 : parsePercentFlag("--slowdown", values.slowdown as string);
  const progress = new Progress("selfcheck", rounds * 3);
  const r = await selfcheck(rounds, slowdown, timeMs, (i) => progress.update(i, `run ${i + 1}/${rounds * 3}`));
  progress.done();
  const detection = r.detected / r.trials;
  const falseAlarm = r.falseAlarms / r.aaTrials;
  console.log(`selfcheck: ${(slowdown * 100).toFixed(0)}% slowdown detected in ${r.detected}/${r.trials} trials (${(detection * 100).toFixed(1)}%, target >= 95%; verdicts: ${Object.entries(r.slowVerdicts).map(([v, n]) => `${n} ${v}`).join(", ")})`);
  console.log(`selfcheck: A/A false alarms ${r.falseAlarms}/${r.aaTrials} benchmarks (${(falseAlarm * 100).toFixed(1)}%, target <= 5%)`);
  return detection >= 0.95 && falseAlarm <= 0.05 ? 0 : 1;
}
