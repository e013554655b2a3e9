// Differential fuzzing against the live kernel: random programs (generate.ts)
// run on the kernel through the probe (probe-lanes.ts) and on both models as
// mainline with the cpus, aio_max_nr, aio_nr and zero_page the kernel had; every first
// difference is grouped by what differs, confirmed by running the program
// again alone, and shrunk (shrink.ts) to a small program that still differs
// the same way.
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { WasmProcess } from "../core/wasm-backend.js";
import { UserError } from "../contract/errors.js";
import { AioProcess } from "../model/aio.js";
import { PROFILES, profileForRelease, type Profile } from "../contract/profile.js";
import type { GuestKernel } from "../kernel/guest-kernels.js";
import type { AioBackend, ProcessConfig } from "../contract/backend.js";
import type { Scenario } from "../contract/scenario.js";
import { possibleCpus } from "../util/possible-cpus.js";
import { MIN_TMPFS_BYTES } from "../../assembly/abi/limits.js";
import { Piscina } from "piscina";
import { Coverage, type CoverageCounts } from "./coverage.js";
import { ProgramGenerator, type GenerateOptions, type GeneratedProgram } from "./generate.js";
import { firstDifference, runOutcome, signature, type Difference, type Outcome } from "./outcome.js";
import { KernelLanes, runOnKernel, type KernelRun, type LaneOptions } from "./probe-lanes.js";
import { unsafeReason } from "./safety.js";
import { shrink } from "./shrink.js";

/** A model to hold against the kernel: a name and a fresh process for a config. */
export interface ModelUnderTest {
  name: string;
  process(config: ProcessConfig): AioBackend;
}

/** One core per profile, reset for each program: an instance per config (aio-nr differs from program to program) would pile up WASM memories. */
const wasmCache = new Map<string, WasmProcess>();

/** The two models of the project, as `profile`. */
export function projectModels(profile: Profile): ModelUnderTest[] {
  return [
    { name: "model", process: (c) => new AioProcess(profile, c) },
    {
      name: "wasm",
      process: (c) => {
        let w = wasmCache.get(profile.name);
        if (w) w.reset(c);
        else {
          w = new WasmProcess(profile, c);
          wasmCache.set(profile.name, w);
        }
        return w;
      },
    },
  ];
}

/** The two models of the project, as mainline (the running kernel's profile). */
export const PROJECT_MODELS: ModelUnderTest[] = projectModels(PROFILES.mainline);

/** `fuzz --against kernel`'s default number of programs. */
export const DEFAULT_KERNEL_FUZZ_SCENARIOS = 2000;

/** Options of runKernelFuzz (each may be left out): programs, seed, probes side by side, watchdog, shrinking budget, a guest kernel, progress. */
export interface KernelFuzzOptions {
  /** Programs to run (default DEFAULT_KERNEL_FUZZ_SCENARIOS, as `fuzz --against kernel`). */
  scenarios?: number;
  /** The seed the programs are a function of (default 1). */
  seed?: number;
  lanes?: number;
  /** Watchdog per program on the kernel, seconds. */
  seconds?: number;
  /** Kernel runs the shrinker may spend on one disagreement. */
  shrinkBudget?: number;
  /** At most this many distinct disagreements are shrunk (the rest are counted). */
  maxShrunk?: number;
  /** Worker threads that make programs and run the models, each with its share of the lanes (default 2; 1 with custom models). */
  threads?: number;
  models?: ModelUnderTest[];
  /** Run on this guest kernel under QEMU (`lanes` guests of `cpus` CPUs) instead of the running kernel. */
  guest?: { kernel: GuestKernel; cpus: number };
  /** false: every program asks for read faults that allocate pages (FINDINGS 33), which the probe emulates where the kernel maps the zero page. */
  zeroPage?: false;
  onProgress?: (done: number, total: number, phase: string) => void;
  /** Aborted (Ctrl-C): no more programs are made, those on the kernel are answered and compared, shrinking stops; the report says how many ran. */
  signal?: AbortSignal;
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

/** What runKernelFuzz found: programs and steps run and the time taken, disagreements (each shrunk), crashes and op x outcome coverage. */
export interface KernelFuzzReport {
  seed: number;
  /** Programs run: as asked unless interrupted. */
  scenarios: number;
  /** Stopped by the caller's signal: fewer programs ran, or shrinking stopped early. */
  interrupted: boolean;
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
  /** How the kernel's read faults behaved (FINDINGS 33): "zero page", "allocate", or "allocate (emulated)". */
  readFaults: string;
  /** The probe could mount a tmpfs (root): half the programs put the test file on one (FINDINGS 49). */
  tmpfs: boolean;
  /** The profile the project's models ran as (the kernel's series), or null for caller-given models. */
  profile: string | null;
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

/** One slice of a run: programs from..to-1, run on the kernel with `lanes` probes, compared with the models. */
export interface SliceTask {
  seed: number;
  from: number;
  to: number;
  lanes: LaneOptions;
  generator: GenerateOptions;
  /** In a worker thread: where each program done is told (one message each), for the progress line. */
  progress?: MessagePort;
  /** Over a SharedArrayBuffer, so it reaches worker threads at once: 1 stops the slice making programs. */
  stop?: Int32Array;
}

/** What a slice found, in a form that crosses threads (models by name). */
export interface SliceResult {
  steps: number;
  groups: { signature: string; models: string[]; first: Scenario; count: number }[];
  crashes: Crash[];
  coverage: CoverageCounts;
  kernel: string | null;
  /** Programs that must run with nothing else on the kernel: the caller runs them alone. */
  exclusive: Scenario[];
  /** Programs made: the slice's size unless it was stopped. */
  made: number;
}

/** Program i of a run depends on the seed and i alone, so any slice can make it. */
export function programOf(seed: number, i: number, generator: GenerateOptions): GeneratedProgram {
  return new ProgramGenerator((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0, generator).next(`fuzz-${seed}-${i}`);
}

/** Compares the models with the kernel's runs of these programs, adding to `into`. */
function evaluate(programs: Scenario[], runs: KernelRun[], models: ModelUnderTest[], into: SliceResult): void {
  const coverage = new Coverage(into.coverage);
  programs.forEach((program, i) => {
    const run = runs[i];
    into.steps += program.steps.length;
    if (run.kind === "crashed") {
      into.crashes.push({ program, message: run.message, step: run.step });
      return;
    }
    into.kernel ??= run.kernel;
    coverage.add(run.outcome.results, program.steps);
    const seen = new Map<string, string[]>();
    for (const model of models) {
      const d = differenceFor(model, program, run);
      if (d) seen.set(signature(d), [...(seen.get(signature(d)) ?? []), model.name]);
    }
    for (const [sig, who] of seen) {
      const g = into.groups.find((x) => x.signature === sig);
      if (g) {
        g.count++;
        for (const m of who) if (!g.models.includes(m)) g.models.push(m);
      } else into.groups.push({ signature: sig, models: who, first: program, count: 1 });
    }
  });
  into.coverage = coverage.counts;
}

function emptyResult(): SliceResult {
  return { steps: 0, groups: [], crashes: [], coverage: {}, kernel: null, exclusive: [], made: 0 };
}

/** Runs one slice in this thread: each program goes to the kernel as soon as it is made, and is compared as soon as it is answered. */
export async function runSlice(task: SliceTask, lanes: KernelLanes, models: ModelUnderTest[] = PROJECT_MODELS, onProgram?: () => void): Promise<SliceResult> {
  const result = emptyResult();
  const answers: Promise<void>[] = [];
  // Two programs per lane wait at most: enough to keep every lane busy, few enough that a stop (Ctrl-C) is not held up by a queue.
  let waiting = 0;
  let failed = false;
  let answered: () => void = () => {};
  for (let i = task.from; i < task.to; i++) {
    if (task.stop && Atomics.load(task.stop, 0) === 1) break;
    result.made++;
    const p = programOf(task.seed, i, task.generator);
    // An exclusive program is done here as far as the slice goes: the run takes them all alone at the end.
    if (p.exclusive) {
      result.exclusive.push(p.scenario);
      onProgram?.();
      continue;
    }
    waiting++;
    const answer = lanes.run(p.scenario).then((run) => {
      evaluate([p.scenario], [run], models, result);
      onProgram?.();
    });
    answers.push(answer);
    // A lane that failed fails the slice (Promise.all below): stop making programs for it.
    answer
      .catch(() => {
        failed = true;
      })
      .finally(() => {
        waiting--;
        answered();
      });
    while (waiting >= 2 * lanes.size && !failed)
      await new Promise<void>((r) => {
        answered = r;
      });
    if (failed) break;
  }
  await Promise.all(answers);
  return result;
}

/** Adds a slice's result to the run's. */
function merge(into: SliceResult, from: SliceResult): void {
  into.steps += from.steps;
  into.made += from.made;
  into.crashes.push(...from.crashes);
  into.kernel ??= from.kernel;
  into.exclusive.push(...from.exclusive);
  const coverage = new Coverage(into.coverage);
  coverage.merge(from.coverage);
  into.coverage = coverage.counts;
  for (const g of from.groups) {
    const mine = into.groups.find((x) => x.signature === g.signature);
    if (!mine) into.groups.push(g);
    else {
      mine.count += g.count;
      for (const m of g.models) if (!mine.models.includes(m)) mine.models.push(m);
    }
  }
}

const SLICE = 500;

/** Differential fuzzing against the live kernel (`fuzz --against kernel`): random programs on the kernel and both models, every disagreement confirmed and shrunk. */
export async function runKernelFuzz(options: KernelFuzzOptions = {}): Promise<KernelFuzzReport> {
  const opts = { ...options, scenarios: options.scenarios ?? DEFAULT_KERNEL_FUZZ_SCENARIOS, seed: options.seed ?? 1 };
  const guest = opts.guest;
  const lanes: LaneOptions = { lanes: opts.lanes ?? 12, seconds: opts.seconds ?? 10, guest };
  const alone: LaneOptions = { ...lanes, lanes: 1, settle: true };
  // Guests boot once and serve the whole run, shrinking included; probes on the host are started per batch.
  const guestLanes = guest ? new KernelLanes(lanes) : null;
  let guestAlone: KernelLanes | null = null;
  const onKernel = (programs: Scenario[], opt: LaneOptions): Promise<KernelRun[]> => {
    if (!guestLanes) return runOnKernel(programs, opt);
    if (opt.settle && guestAlone === null) guestAlone = new KernelLanes(alone);
    const l = opt.settle ? (guestAlone as KernelLanes) : guestLanes;
    return Promise.all(programs.map((p) => l.run(p)));
  };
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => Atomics.store(stop, 0, 1);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const asked = opts.zeroPage === false ? { zero_page: false } : {};
    const first = guestLanes ? await guestLanes.run({ name: "boot", steps: [], ...asked }) : null;
    if (first?.kind === "crashed") throw new UserError(`kernel ${guest?.kernel.name}: ${first.message}`);
    // Whether read faults map the zero page shapes the programs' memory: the probe tells with every answer, an empty program asks.
    const told = first ?? (await runOnKernel([{ name: "zero-page", steps: [], ...asked }], { ...lanes, lanes: 1 }))[0];
    if (told.kind === "crashed") throw new UserError(`kernel backend: ${told.message}`);
    const profile = opts.models ? null : first?.kind === "ran" ? profileForRelease(first.kernel) : PROFILES.mainline;
    const models = opts.models ?? projectModels(profile ?? PROFILES.mainline);
    const cpus = guest ? guest.cpus : possibleCpus();
    const aioMaxNr = first?.kind === "ran" ? first.config.aio_max_nr : readAioMaxNr();
    // Programs that share the kernel must fit its aio-nr limit all together,
    // in the part of it other processes (a database, say) leave free.
    const free = Math.max(0, aioMaxNr - told.config.aio_nr);
    // Half the programs put the test file on a tmpfs where the probe can mount one (as root): an empty program asks.
    const tmpfs = (await onKernel([{ name: "tmpfs", steps: [], tmpfs_bytes: MIN_TMPFS_BYTES, ...asked }], { ...lanes, lanes: 1 }))[0]?.kind === "ran";
    const generator: GenerateOptions = {
      cpus,
      aio_max_nr: aioMaxNr,
      zero_page: told.config.zero_page,
      emulated: told.zeroPageEmulated === true,
      sharedEvents: Math.floor(free / (lanes.lanes + 1)),
      tmpfs,
      profile: profile?.name ?? "mainline",
    };
    // Worker threads generate and compare while probes wait on the kernel; custom models stay in this thread.
    const threads = opts.models || guest ? 1 : (opts.threads ?? 2);
    const perThread: LaneOptions = { ...lanes, lanes: Math.max(1, Math.ceil(lanes.lanes / threads)) };
    const tasks: SliceTask[] = [];
    for (let from = 0; from < opts.scenarios; from += SLICE)
      tasks.push({ seed: opts.seed, from, to: Math.min(from + SLICE, opts.scenarios), lanes: perThread, generator, stop });

    const started = performance.now();
    const total = emptyResult();
    // Progress moves with every program answered, not once per slice; a
    // slice's result settles its count, whatever of its messages were late.
    let done = 0;
    const report = () => opts.onProgress?.(Math.min(done, opts.scenarios), opts.scenarios, "run");
    const collect = (r: SliceResult, counted: number) => {
      merge(total, r);
      done += r.made - counted;
      report();
    };
    const counter = () => {
      const c = {
        n: 0,
        add: () => {
          c.n++;
          done++;
          report();
        },
      };
      return c;
    };
    if (threads === 1) {
      const here = guestLanes ?? new KernelLanes(lanes);
      try {
        for (const t of tasks) {
          const c = counter();
          collect(await runSlice(t, here, models, c.add), c.n);
        }
      } finally {
        if (here !== guestLanes) here.close();
      }
    } else {
      const pool = new Piscina({
        filename: new URL("./fuzz-worker.js", import.meta.url).href,
        minThreads: threads,
        maxThreads: threads,
        concurrentTasksPerWorker: 1,
      });
      try {
        await Promise.all(
          tasks.map(async (t) => {
            const c = counter();
            const { port1, port2 } = new MessageChannel();
            port1.on("message", c.add);
            try {
              const r = (await pool.run({ ...t, progress: port2 }, { transferList: [port2] })) as SliceResult;
              collect(r, c.n);
            } finally {
              port1.close();
            }
          }),
        );
      } catch (e) {
        // A user's problem (no probe, kernel backend gone) crosses the thread as a plain Error: keep it one line.
        if (e instanceof Error && (e.name === "UserError" || e.name === "ScenarioError")) throw new UserError(e.message);
        throw e;
      } finally {
        await pool.destroy();
      }
    }
    const exclusive = total.exclusive;
    evaluate(exclusive, await onKernel(exclusive, alone), models, total);
    const seconds = (performance.now() - started) / 1000;
    const byName = new Map(models.map((m) => [m.name, m]));
    const exclusiveNames = new Set(exclusive.map((p) => p.name));
    const coverage = new Coverage(total.coverage);
    const crashes = total.crashes;
    const steps = total.steps;
    const kernel = total.kernel;
    const groups = new Map(
      total.groups.map((g) => [
        g.signature,
        { models: g.models.map((n) => byName.get(n)!), first: g.first, exclusive: exclusiveNames.has(g.first.name), count: g.count },
      ]),
    );

    const shrinkStarted = performance.now();
    const findings: Finding[] = [];
    const maxShrunk = opts.maxShrunk ?? 20;
    let index = 0;
    for (const [sig, g] of groups) {
      if (findings.length >= maxShrunk || opts.signal?.aborted) break;
      opts.onProgress?.(index++, Math.min(groups.size, maxShrunk), "shrink");
      const model = g.models[0];
      const modelNames = g.models.map((m) => m.name).join(", ");
      const opt = g.exclusive ? alone : lanes;
      /** Kernel runs of candidates, then the model on each. */
      const differences = async (candidates: Scenario[]): Promise<(Difference | null)[]> => {
        const runs = await onKernel(candidates, opt);
        return candidates.map((c, i) => {
          const r = runs[i];
          return r.kind === "ran" ? differenceFor(model, c, r) : null;
        });
      };
      // Confirm alone first: a difference that does not come back is not shrunk.
      const [again] = await onKernel([g.first], alone);
      const confirmed = again.kind === "ran" ? differenceFor(model, g.first, again) : null;
      if (!confirmed || signature(confirmed) !== sig) {
        findings.push({
          model: modelNames,
          signature: sig,
          programs: g.count,
          original: g.first,
          shrunk: null,
          difference: confirmed ?? { step: -1, op: "-", field: "-", kernel: null, model: null },
          kernelAnswer: null,
          tried: 1,
        });
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
      const [final] = await onKernel([shrunk], alone);
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
      scenarios: total.made,
      interrupted: total.made < opts.scenarios || opts.signal?.aborted === true,
      steps,
      seconds,
      shrinkSeconds: (performance.now() - shrinkStarted) / 1000,
      findings,
      unshrunk: Math.max(0, groups.size - findings.length),
      crashes,
      coverage,
      kernel,
      readFaults: told.config.zero_page ? "zero page" : told.zeroPageEmulated ? "allocate (emulated)" : "allocate",
      tmpfs,
      profile: profile?.name ?? null,
    };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    guestLanes?.close();
    (guestAlone as KernelLanes | null)?.close();
  }
}
