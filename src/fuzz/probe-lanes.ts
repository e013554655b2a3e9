// Many programs on the live kernel at once: the probe's `scenarios` command
// runs a batch, each program in its own forked child, and several probes run
// side by side (lanes), pinned round-robin to the CPUs. io_destroy sleeps
// for an RCU grace period, so lanes beyond the CPU count still add speed.
import { possibleCpus } from "../util/possible-cpus.js";
import { execProbe } from "../kernel/exec.js";
import { defaultProbePath } from "../kernel/paths.js";
import { encodeScenario } from "../kernel/wire.js";
import type { Scenario, StepResult } from "../contract/scenario.js";
import type { Outcome } from "./outcome.js";

/** What the kernel made of one program. */
export type KernelRun =
  | { kind: "ran"; outcome: Outcome; config: { cpus: number; aio_max_nr: number; aio_nr: number }; kernel: string }
  /** The probe's child died (a signal) or hung past the watchdog: the program is kept as a reproducer. */
  | { kind: "crashed"; message: string; step: number | null };

export interface LaneOptions {
  lanes: number;
  /** Watchdog per program, seconds. */
  seconds: number;
  /** Programs per probe process. */
  batch: number;
  /** Each program starts only once the one before has exited and given its aio-nr back (for programs that take the limit). */
  settle?: boolean;
  probe?: string;
}

const MAX_WIRE_BYTES = 900_000;

function parseLine(line: string): KernelRun {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { kind: "crashed", message: `probe printed something that is not JSON: ${line.slice(0, 120)}`, step: null };
  }
  if (typeof doc.probe_error === "string") return { kind: "crashed", message: doc.probe_error, step: typeof doc.step === "number" && doc.step >= 0 ? doc.step : null };
  const se = doc.scenario_error as { step?: unknown; field?: unknown } | undefined;
  const { kernel, cpus, aio_max_nr, aio_nr } = doc;
  const results = Array.isArray(doc.results) ? (doc.results as StepResult[]) : [];
  if (typeof kernel !== "string" || typeof cpus !== "number" || typeof aio_max_nr !== "number" || typeof aio_nr !== "number")
    return { kind: "crashed", message: `probe output lacks kernel/cpus/aio_max_nr/aio_nr: ${line.slice(0, 120)}`, step: null };
  const scenarioError = se && typeof se.step === "number" ? { step: se.step, field: typeof se.field === "string" ? se.field : null } : null;
  return { kind: "ran", outcome: { results, scenarioError }, config: { cpus, aio_max_nr, aio_nr }, kernel };
}

/** Runs one batch in one probe process; one KernelRun per program, in order. */
async function runBatch(programs: Scenario[], cpu: number, opts: LaneOptions): Promise<KernelRun[]> {
  const wire = programs.map((p) => encodeScenario(p.name, p).text).join("=\n");
  const stdout = await execProbe(opts.probe ?? defaultProbePath(), ["scenarios", `cpu=${cpu}`, `seconds=${opts.seconds}`, ...(opts.settle ? ["settle=1"] : [])], {
    input: wire,
    timeoutMs: (opts.seconds + 2) * 1000 * programs.length,
    maxStdoutBytes: 64 * 1024 * 1024,
  });
  const lines = stdout.split("\n").filter((l) => l.length > 0);
  if (lines.length === 1 && programs.length > 1 && lines[0].includes('"probe_error"') && !lines[0].includes('"step"'))
    throw new Error(`kernel backend: ${(JSON.parse(lines[0]) as { probe_error: string }).probe_error}`);
  return programs.map((_, i) => (lines[i] === undefined ? { kind: "crashed", message: "the probe printed no line for this program", step: null } : parseLine(lines[i])));
}

/** Splits programs into batches that fit the probe's input buffer. */
function batches(programs: Scenario[], size: number): Scenario[][] {
  const out: Scenario[][] = [];
  let cur: Scenario[] = [];
  let bytes = 0;
  for (const p of programs) {
    const b = JSON.stringify(p.steps).length;
    if (cur.length > 0 && (cur.length >= size || bytes + b > MAX_WIRE_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(p);
    bytes += b;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Runs every program on the kernel, `lanes` probes at a time; results in program order. */
export async function runOnKernel(programs: Scenario[], opts: LaneOptions): Promise<KernelRun[]> {
  const cpus = possibleCpus();
  const work = batches(programs, opts.batch);
  const results: KernelRun[][] = new Array(work.length);
  let next = 0;
  const lane = async (index: number): Promise<void> => {
    for (let w = next++; w < work.length; w = next++) results[w] = await runBatch(work[w], index % cpus, opts);
  };
  await Promise.all(Array.from({ length: Math.min(opts.lanes, work.length) }, (_, i) => lane(i)));
  return results.flat();
}
