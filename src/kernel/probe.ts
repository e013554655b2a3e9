// The kernel backend: runs scenarios and timing loops on the running Linux
// kernel through build/probe (probe/*.c), speaking JSON over stdio.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ScenarioError, UserError } from "../contract/errors.js";
import { timeoutTotalNs, type ResultsDoc, type Scenario, type StepResult } from "../contract/scenario.js";
import { parseAnswerLine, type KernelRun } from "./answer.js";
import { execProbe } from "./exec.js";
import { machineLimitNote } from "./machine-state.js";
import { defaultProbePath } from "./paths.js";
import { encodeScenario } from "./wire.js";

/** Whether the kernel backend works here (probe built, AIO enabled), and why not. */
export interface KernelAvailability {
  available: boolean;
  reason: string | null;
}

const cache = new Map<string, KernelAvailability>();

/** Whether the kernel backend can run here, and if not, why (one line). */
export function kernelAvailability(probe: string = defaultProbePath()): KernelAvailability {
  const known = cache.get(probe);
  if (known) return known;
  const result = checkAvailability(probe);
  cache.set(probe, result);
  return result;
}

function checkAvailability(probe: string): KernelAvailability {
  if (process.platform !== "linux") return { available: false, reason: `platform is ${process.platform}, not linux` };
  if (!existsSync(probe)) {
    // Installed as a package, its install script may have been skipped (npm --ignore-scripts, or npm 11's allowScripts policy).
    const build = /[\\/]node_modules[\\/]/.test(probe) ? "npm rebuild aio-ring-bench" : "npm run build:probe";
    return { available: false, reason: `no probe binary at ${probe} (run ${build}; needs a C compiler)` };
  }
  const r = spawnSync(probe, ["check"], { encoding: "utf8", timeout: 10_000, maxBuffer: 64 * 1024 });
  if (r.error) return { available: false, reason: `cannot run ${probe}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}` };
  try {
    const doc = JSON.parse(r.stdout) as { available?: unknown; reason?: unknown; probe_error?: unknown };
    if (typeof doc.probe_error === "string") return { available: false, reason: `probe: ${doc.probe_error}` };
    if (doc.available === true) return { available: true, reason: null };
    if (doc.available === false && typeof doc.reason === "string") return { available: false, reason: doc.reason };
  } catch {
    // fall through: not the probe's JSON
  }
  return { available: false, reason: `${probe} check gave no verdict (exit ${r.status})` };
}

function requireKernel(probe: string): void {
  const a = kernelAvailability(probe);
  if (!a.available) throw new UserError(`kernel backend unavailable: ${a.reason}`);
}

function parseProbeJson(stdout: string, what: string): Record<string, unknown> {
  const line = stdout.trim();
  try {
    const doc: unknown = JSON.parse(line);
    if (typeof doc === "object" && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UserError(`kernel backend: ${what}: probe printed something that is not a JSON object: ${line.slice(0, 200)}`);
}

const SCENARIO_OUTPUT_LIMIT = 64 * 1024 * 1024;

/** Steps of the run before which another process had changed aio-nr (probe/aio_nr.c). */
function movedSteps(doc: Record<string, unknown>): number {
  return typeof doc.aio_nr_moved === "number" ? doc.aio_nr_moved : 0;
}

/**
 * How long the probe may take for a whole scenario before it is killed: a
 * backstop only, for a probe that stops answering. The probe's own watchdog
 * bounds each step (60 s plus its timeout) and names it; a scenario that
 * keeps moving may take long (an io_destroy waits for an RCU grace period,
 * tens of ms on a busy machine), so the backstop grows with its steps.
 */
export function scenarioTimeoutMs(scenario: Scenario): number {
  // A repeat is one step to the watchdog, which gives it 60 s: so does the backstop.
  const repeats = scenario.steps.filter((s) => s.op === "repeat").length;
  return 120_000 + 500 * scenario.steps.length + 60_000 * repeats + Math.ceil(timeoutTotalNs(scenario) / 1e6);
}

/**
 * Runs a (parsed) scenario on the live kernel. Throws ScenarioError for a
 * scenario that cannot run as written (unbound name, a step that would block
 * forever, a step that kills the process), UserError if the kernel backend
 * is unavailable or the probe fails.
 */
export async function runScenarioOnKernel(file: string, scenario: Scenario, probe: string = defaultProbePath()): Promise<ResultsDoc> {
  const wire = encodeScenario(file, scenario);
  requireKernel(probe);
  const stdout = await execProbe(probe, ["scenario"], { input: wire.text, timeoutMs: scenarioTimeoutMs(scenario), maxStdoutBytes: SCENARIO_OUTPUT_LIMIT });
  const doc = parseProbeJson(stdout, file);

  const se = doc.scenario_error as { step?: unknown; field?: unknown; name_index?: unknown; message?: unknown } | undefined;
  if (se !== undefined) {
    const step = typeof se.step === "number" ? se.step : null;
    const field = typeof se.field === "string" ? se.field : null;
    const name = typeof se.name_index === "number" ? wire.names[se.name_index] : undefined;
    const message = name !== undefined ? `name "${name}" is not bound by any earlier successful step` : String(se.message);
    const note =
      typeof doc.aio_nr === "number" && typeof doc.aio_max_nr === "number" && Array.isArray(doc.results)
        ? machineLimitNote(scenario, { aio_nr: doc.aio_nr, aio_max_nr: doc.aio_max_nr, aio_nr_moved: movedSteps(doc) }, doc.results as StepResult[])
        : null;
    throw new ScenarioError(file, step, field, note === null ? message : `${message}; ${note}`);
  }
  if (typeof doc.probe_error === "string") {
    if (typeof doc.step === "number" && doc.step >= 0) throw new ScenarioError(file, doc.step, null, `kernel backend: ${doc.probe_error}`);
    throw new UserError(`kernel backend: ${file}: ${doc.probe_error}`);
  }

  const { kernel, cpus, aio_max_nr, aio_nr, zero_page, results } = doc;
  if (
    typeof kernel !== "string" ||
    typeof cpus !== "number" ||
    typeof aio_max_nr !== "number" ||
    typeof aio_nr !== "number" ||
    typeof zero_page !== "boolean" ||
    !Array.isArray(results)
  )
    throw new UserError(`kernel backend: ${file}: probe output lacks kernel/cpus/aio_max_nr/aio_nr/zero_page/results`);
  if (results.length !== scenario.steps.length)
    throw new UserError(`kernel backend: ${file}: probe returned ${results.length} results for ${scenario.steps.length} steps`);
  return {
    name: scenario.name,
    backend: "kernel",
    profile: null,
    kernel,
    cpus,
    aio_max_nr,
    aio_nr,
    zero_page,
    ...(doc.zero_page_emulated === true ? { zero_page_emulated: true as const } : {}),
    ...(typeof doc.tmpfs_bytes === "number" ? { tmpfs_bytes: doc.tmpfs_bytes } : {}),
    ...(movedSteps(doc) > 0 ? { aio_nr_moved: movedSteps(doc) } : {}),
    results: results as StepResult[],
  };
}

/**
 * The live kernel's answer to a scenario as it came: the results up to a
 * scenario error and that error, or a crash of the scenario's process (the
 * form the matrix view and the guests share).
 */
export async function answerOnKernel(scenario: Scenario, probe: string = defaultProbePath()): Promise<KernelRun> {
  const wire = encodeScenario(scenario.name, scenario);
  requireKernel(probe);
  const stdout = await execProbe(probe, ["scenario"], { input: wire.text, timeoutMs: scenarioTimeoutMs(scenario), maxStdoutBytes: SCENARIO_OUTPUT_LIMIT });
  return parseAnswerLine(stdout.trim());
}

/** A timing loop the probe runs inside the kernel backend (for the kernel benchmarks). */
export type KernelLoop = "getevents" | "syscall" | "submit-reap" | "churn" | "remap" | "ring" | "ring-getevents";
/** Every timing loop the probe knows. */
export const KERNEL_LOOPS: readonly KernelLoop[] = ["getevents", "syscall", "submit-reap", "churn", "remap", "ring", "ring-getevents"];
/** Loops that make no AIO call: they run where AIO is missing too. */
const NATIVE_LOOPS: readonly KernelLoop[] = ["syscall", "ring", "ring-getevents"];

/**
 * Parameters of the probe's timing loops (all optional, integers):
 * - every loop: `samples` (20), `iterations` (operations timed per sample);
 * - getevents: `timeout_ns` (0; 0 is the no-timer path), `min_nr` (1);
 * - syscall: getppid(2), the null system call every io_getevents call's cost includes;
 * - submit-reap: `batch` (64 iocbs per io_submit, reaped from user space);
 * - remap: `contexts` (1; contexts alive, the newest ring is moved);
 * - ring: `nr` (383 ring slots), `batch` (64 events per complete+reap round);
 * - ring-getevents: `nr` (383 ring slots; zero-timeout calls on the empty ring).
 */
export type KernelTimingParams = Partial<Record<"samples" | "iterations" | "timeout_ns" | "min_nr" | "batch" | "contexts" | "nr", number>>;

/** What a kernel timing loop measured: samples per operation (`unit`) and the loop's own numbers the probe reported. */
export interface KernelTiming {
  loop: KernelLoop;
  /** "ns/call", "ns/event", "ns/pair" or "ns/op". */
  unit: string;
  /** Operations timed per sample; each sample is that time / iterations. */
  iterations: number;
  samples: number[];
  kernel: string;
  /** Loop-specific numbers the probe reported (timeout_ns, batch, contexts, ring_pages, nr, checksum...). */
  info: Record<string, number>;
}

/** Runs one timing loop of the probe on the live kernel (pinned to one CPU). */
export async function runKernelTiming(loop: KernelLoop, params: KernelTimingParams = {}, probe: string = defaultProbePath()): Promise<KernelTiming> {
  if (!KERNEL_LOOPS.includes(loop)) throw new UserError(`unknown kernel timing loop "${loop}" (${KERNEL_LOOPS.join(", ")})`);
  const args = ["time", loop];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v)) throw new UserError(`kernel timing: ${k} must be an integer, got ${v}`);
    args.push(`${k}=${v}`);
  }
  if (!NATIVE_LOOPS.includes(loop)) requireKernel(probe);
  else if (!existsSync(probe)) throw new UserError(`no probe binary at ${probe}`);
  const stdout = await execProbe(probe, args, { timeoutMs: 600_000, maxStdoutBytes: 1024 * 1024 });
  const doc = parseProbeJson(stdout, `timing loop ${loop}`);
  if (typeof doc.probe_error === "string") throw new UserError(`kernel timing loop ${loop}: ${doc.probe_error}`);
  const { unit, iterations, samples, kernel } = doc;
  if (
    typeof unit !== "string" ||
    typeof iterations !== "number" ||
    typeof kernel !== "string" ||
    !Array.isArray(samples) ||
    !samples.every((s): s is number => typeof s === "number" && Number.isFinite(s))
  )
    throw new UserError(`kernel timing loop ${loop}: malformed probe output`);
  const info: Record<string, number> = {};
  for (const [k, v] of Object.entries(doc)) if (typeof v === "number" && k !== "iterations") info[k] = v;
  return { loop, unit, iterations, samples, kernel, info };
}
