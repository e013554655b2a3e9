// One answer line of the probe's `scenarios` command (probe/supervise.c), as
// the fuzzer and the guest backend read it: the program ran (its results and
// any scenario error), or the program's process crashed or hung.
import type { ProcessConfig } from "../contract/backend.js";
import type { StepResult } from "../contract/scenario.js";

/** What the kernel made of one program. */
export type KernelRun =
  | {
      kind: "ran";
      outcome: { results: StepResult[]; scenarioError: { step: number; field: string | null } | null };
      config: ProcessConfig;
      kernel: string;
      /** The kernel maps the zero page and the probe emulated read faults that allocate pages, as the program asked. */
      zeroPageEmulated?: true;
      scenarioMessage?: string;
      /** The scenario error is an unbound name: the probe gave its index (other errors on a name-valued field carry their own message). */
      scenarioUnboundName?: true;
    }
  /** The probe's child died (a signal) or hung past the watchdog: the program is kept as a reproducer. */
  | { kind: "crashed"; message: string; step: number | null };

/** A probe's answer line is bounded: results of at most 10,000 steps. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export function parseAnswerLine(line: string): KernelRun {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { kind: "crashed", message: `probe printed something that is not JSON: ${line.slice(0, 120)}`, step: null };
  }
  if (typeof doc.probe_error === "string")
    return { kind: "crashed", message: doc.probe_error, step: typeof doc.step === "number" && doc.step >= 0 ? doc.step : null };
  const se = doc.scenario_error as { step?: unknown; field?: unknown; name_index?: unknown; message?: unknown } | undefined;
  const { kernel, cpus, aio_max_nr, aio_nr, zero_page } = doc;
  const results = Array.isArray(doc.results) ? (doc.results as StepResult[]) : [];
  if (typeof kernel !== "string" || typeof cpus !== "number" || typeof aio_max_nr !== "number" || typeof aio_nr !== "number" || typeof zero_page !== "boolean")
    return { kind: "crashed", message: `probe output lacks kernel/cpus/aio_max_nr/aio_nr/zero_page: ${line.slice(0, 120)}`, step: null };
  const scenarioError = se && typeof se.step === "number" ? { step: se.step, field: typeof se.field === "string" ? se.field : null } : null;
  const tmpfs = typeof doc.tmpfs_bytes === "number" ? { tmpfs_bytes: doc.tmpfs_bytes } : {};
  const run: KernelRun = { kind: "ran", outcome: { results, scenarioError }, config: { cpus, aio_max_nr, aio_nr, zero_page, ...tmpfs }, kernel };
  if (doc.zero_page_emulated === true) run.zeroPageEmulated = true;
  if (typeof se?.message === "string") run.scenarioMessage = se.message;
  if (typeof se?.name_index === "number") run.scenarioUnboundName = true;
  return run;
}
