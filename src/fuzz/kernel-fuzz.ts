// Differential fuzzing against the live kernel: random programs (generate.ts)
// run on the kernel through the probe (probe-lanes.ts) and on both models as
// mainline with the cpus, aio_max_nr and aio_nr the kernel had; every first
// difference is grouped by what differs, confirmed by running the program
// again alone, and shrunk (shrink.ts) to a small program that still differs
// the same way.
import { readFileSync } from "node:fs";
import { WasmProcess } from "../core/wasm-backend.js";
import { AioProcess } from "../model/aio.js";
import { PROFILES } from "../profile.js";
import type { AioBackend, ProcessConfig } from "../scenario/backend.js";
import type { Scenario } from "../scenario/types.js";
import { possibleCpus } from "../util/possible-cpus.js";
import { Coverage } from "./coverage.js";
import { ProgramGenerator } from "./generate.js";
import { firstDifference, runOutcome, signature, type Difference, type Outcome } from "./outcome.js";
import { runOnKernel, type KernelRun, type LaneOptions } from "./probe-lanes.js";
import { unsafeReason } from "./safety.js";
import { shrink } from "./shrink.js";

/** A model to hold against the kernel: a name and a fresh process for a config. */
export interface ModelUnderTest {
  name: string;
  process(config: ProcessConfig): AioBackend;
}

const wasmCache = new Map<string, WasmProcess>();

/** The two models of the project, as mainline. */
export const PROJECT_MODELS: ModelUnderTest[] = [
  { name: "model", process: (c) => new AioProcess(PROFILES.mainline, c) },
  {
    name: "wasm",
    process: (c) => {
      const key = JSON.stringify(c);
      let w = wasmCache.get(key);
      if (w) w.reset();
      else wasmCache.set(key, (w = new WasmProcess(PROFILES.mainline, c)));
      return w;
    },
  },
];

export interface KernelFuzzOptions {
  scenarios: number;
  seed: number;
  lanes?: number;
  /** Programs per probe process. */
  batch?: number;
  /** Watchdog per program on the kernel, seconds. */
  seconds?: number;
  /** Kernel runs the shrinker may spend on one disagreement. */
  shrinkBudget?: number;
  /** At most this many distinct disagreements are shrunk (the rest are counted). */
  maxShrunk?: number;
  models?: ModelUnderTest[];
  onProgress?: (done: number, total: number, phase: string) => void;
}

export interface Finding {
  model: string;
  signature: string;
  /** Programs of the run that showed it. */
  programs: number;
  original: Scenario;
  /** Null when the difference did not come back on a second run alone (global aio-nr moved, say). */
  shrunk: Scenario | null;
  difference: Difference;
  kernelAnswer: KernelAnswer | null;
  tried: number;
}

export interface KernelAnswer {
  name: string;
  backend: "kernel";
  kernel: string;
  cpus: number;
  aio_max_nr: number;
  aio_nr: number;
  results: Outcome["results"];
  scenario_error: Outcome["scenarioError"];
}

export interface Crash {
  program: Scenario;
  message: string;
  step: number | null;
}

export interface KernelFuzzReport {
  seed: number;
  scenarios: number;
  steps: number;
  /** Wall time of generating and running every program (shrinking excluded). */
  seconds: number;
  shrinkSeconds: number;
  findings: Finding[];
  /** Distinct disagreements beyond maxShrunk, not shrunk. */
  unshrunk: number;
  crashes: Crash[];
  coverage: Coverage;
  kernel: string | null;
}

function readAioMaxNr(): number {
  try {
    const v = Number(readFileSync("/proc/sys/fs/aio-max-nr", "utf8").trim());
    return Number.isSafeInteger(v) && v > 0 ? v : 65536;
  } catch {
    return 65536;
  }
}

/** The first difference of one model from the kernel's run of a program, or null. */
function differenceFor(model: ModelUnderTest, program: Scenario, run: KernelRun & { kind: "ran" }): Difference | null {
  const outcome = runOutcome(model.process(run.config), program, program.name);
  return firstDifference(run.outcome, outcome);
}

function answerOf(program: Scenario, run: KernelRun & { kind: "ran" }): KernelAnswer {
  return { name: program.name, backend: "kernel", kernel: run.kernel, ...run.config, results: run.outcome.results, scenario_error: run.outcome.scenarioError };
}

export async function runKernelFuzz(opts: KernelFuzzOptions): Promise<KernelFuzzReport> {
  const models = opts.models ?? PROJECT_MODELS;
  const lanes: LaneOptions = { lanes: opts.lanes ?? 12, batch: opts.batch ?? 10, seconds: opts.seconds ?? 10 };
  const alone: LaneOptions = { ...lanes, lanes: 1 };
  const cpus = possibleCpus();
  const aioMaxNr = readAioMaxNr();
  // Programs that share the kernel must fit its aio-nr limit all together.
  const gen = new ProgramGenerator(opts.seed, { cpus, aio_max_nr: aioMaxNr, sharedEvents: Math.floor(aioMaxNr / (lanes.lanes + 1)) });
  const coverage = new Coverage();
  /** By signature: which models show it, the first program that did, how many did. */
  const groups = new Map<string, { models: ModelUnderTest[]; first: Scenario; exclusive: boolean; count: number }>();
  const crashes: Crash[] = [];
  let steps = 0;
  let kernel: string | null = null;

  const started = performance.now();
  let done = 0;
  /** Compares the models with the kernel's runs of these programs. */
  const evaluate = (programs: Scenario[], runs: KernelRun[], exclusive: boolean): void => {
    programs.forEach((program, i) => {
      const run = runs[i];
      steps += program.steps.length;
      if (run.kind === "crashed") {
        crashes.push({ program, message: run.message, step: run.step });
        return;
      }
      kernel ??= run.kernel;
      coverage.add(run.outcome.results);
      const seen = new Map<string, ModelUnderTest[]>();
      for (const model of models) {
        const d = differenceFor(model, program, run);
        if (d) seen.set(signature(d), [...(seen.get(signature(d)) ?? []), model]);
      }
      for (const [sig, who] of seen) {
        const g = groups.get(sig);
        if (g) {
          g.count++;
          for (const m of who) if (!g.models.includes(m)) g.models.push(m);
        } else groups.set(sig, { models: who, first: program, exclusive, count: 1 });
      }
    });
    done += programs.length;
    opts.onProgress?.(done, opts.scenarios, "run");
  };
  // Pipelined: the next chunk is generated, and the last one compared, while the kernel runs one.
  const CHUNK = 240;
  const exclusive: Scenario[] = [];
  const generate = (from: number): Scenario[] => {
    const shared: Scenario[] = [];
    for (let i = from; i < Math.min(from + CHUNK, opts.scenarios); i++) {
      const p = gen.next(`fuzz-${opts.seed}-${i}`);
      (p.exclusive ? exclusive : shared).push(p.scenario);
    }
    return shared;
  };
  let current = generate(0);
  let pending = runOnKernel(current, lanes);
  for (let from = CHUNK; ; from += CHUNK) {
    const next = from < opts.scenarios ? generate(from) : null;
    const runs = await pending;
    if (next) pending = runOnKernel(next, lanes);
    evaluate(current, runs, false);
    if (!next) break;
    current = next;
  }
  evaluate(exclusive, await runOnKernel(exclusive, alone), true);
  const seconds = (performance.now() - started) / 1000;

  const shrinkStarted = performance.now();
  const findings: Finding[] = [];
  const maxShrunk = opts.maxShrunk ?? 20;
  let index = 0;
  for (const [sig, g] of groups) {
    if (findings.length >= maxShrunk) break;
    opts.onProgress?.(index++, Math.min(groups.size, maxShrunk), "shrink");
    const model = g.models[0];
    const modelNames = g.models.map((m) => m.name).join(", ");
    const opt = g.exclusive ? alone : lanes;
    /** Kernel runs of candidates, then the model on each. */
    const differences = async (candidates: Scenario[]): Promise<(Difference | null)[]> => {
      const runs = await runOnKernel(candidates, opt);
      return candidates.map((c, i) => {
        const r = runs[i];
        return r.kind === "ran" ? differenceFor(model, c, r) : null;
      });
    };
    // Confirm alone first: a difference that does not come back is not shrunk.
    const [again] = await runOnKernel([g.first], alone);
    const confirmed = again.kind === "ran" ? differenceFor(model, g.first, again) : null;
    if (!confirmed || signature(confirmed) !== sig) {
      findings.push({ model: modelNames, signature: sig, programs: g.count, original: g.first, shrunk: null, difference: confirmed ?? { step: -1, op: "-", field: "-", kernel: null, model: null }, kernelAnswer: null, tried: 1 });
      continue;
    }
    const judge = async (cs: Scenario[]) => (await differences(cs)).map((d) => d !== null && signature(d) === sig);
    const cut = async (s: Scenario) => {
      const [d] = await differences([s]);
      return d ? d.step + 1 : s.steps.length;
    };
    const allowed = (c: Scenario) => unsafeReason(c, cpus, aioMaxNr) === null;
    const result = await shrink(g.first, judge, cut, { budget: opts.shrinkBudget ?? 1500, allowed });
    const shrunk = { ...result.scenario, name: `${g.first.name}-shrunk` };
    const [final] = await runOnKernel([shrunk], alone);
    const difference = final.kind === "ran" ? differenceFor(model, shrunk, final) : null;
    findings.push({
      model: modelNames,
      signature: sig,
      programs: g.count,
      original: g.first,
      shrunk,
      difference: difference ?? confirmed,
      kernelAnswer: final.kind === "ran" ? answerOf(shrunk, final) : null,
      tried: result.tried,
    });
  }
  return {
    seed: opts.seed,
    scenarios: opts.scenarios,
    steps,
    seconds,
    shrinkSeconds: (performance.now() - shrinkStarted) / 1000,
    findings,
    unshrunk: Math.max(0, groups.size - findings.length),
    crashes,
    coverage,
    kernel,
  };
}
