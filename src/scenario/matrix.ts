// The matrix view: one scenario on several kernels (the host and guests),
// per step each kernel's answer side by side, and the first step where they
// part: "which generation changed this behaviour". With models, each
// kernel's answers are also held against both models as the profile
// measured on its series.
import { isDeepStrictEqual } from "node:util";
import { profileForRelease } from "../contract/profile.js";
import type { ProfileName, Scenario, StepResult } from "../contract/scenario.js";
import { AioProcess } from "../model/aio.js";
import type { KernelTarget } from "./kernels.js";
import { runOutcome, type Outcome } from "./outcome.js";

export interface MatrixKernel {
  name: string;
  /** The kernel's `uname -r`; null when it crashed before answering. */
  release: string | null;
  cpus: number | null;
  /** The profile measured on its series (mainline for any other release). */
  profile: ProfileName | null;
  /** The scenario's process crashed or hung on this kernel: why, and at which step if known. */
  crashed: { message: string; step: number | null } | null;
}

export interface MatrixRow {
  step: number;
  op: string;
  /** Per kernel: its answer in short form, "scenario error (FIELD)", "crashed", or null when it never got here. */
  answers: (string | null)[];
  differs: boolean;
}

export interface ModelCheck {
  kernel: string;
  backend: "model" | "wasm";
  profile: ProfileName;
  /** The first step where the model parts from the kernel, or null when it agrees. */
  firstDifference: number | null;
}

export interface Matrix {
  file: string;
  name: string;
  kernels: MatrixKernel[];
  rows: MatrixRow[];
  /** The first step where the kernels' answers part, or null. */
  firstDifference: number | null;
  /** With models: each kernel against model and wasm as its profile. */
  models: ModelCheck[] | null;
}

/** A step's result without its step and op, every other field kept: equal answers give equal strings. */
export function shortAnswer(r: StepResult): string {
  const { step: _step, op: _op, ...rest } = r as StepResult & Record<string, unknown>;
  const fields = rest as Record<string, unknown>;
  const parts: string[] = [];
  if (fields.errno !== null && fields.errno !== undefined) parts.push(String(fields.errno));
  for (const [k, v] of Object.entries(fields)) {
    if (k === "errno") continue;
    // ret -1 is implied by an errno, ret 0 with no errno is "ok".
    if (k === "ret" && ((v === -1 && fields.errno) || (v === 0 && !fields.errno))) continue;
    parts.push(`${k}=${JSON.stringify(v)}`);
  }
  return parts.length === 0 ? "ok" : parts.join(" ");
}

function column(outcome: Outcome | null, crashed: MatrixKernel["crashed"], steps: number): (string | null)[] {
  return Array.from({ length: steps }, (_, i) => {
    if (outcome) {
      const r = outcome.results[i];
      if (r) return shortAnswer(r);
      if (outcome.scenarioError?.step === i) return `scenario error (${outcome.scenarioError.field ?? "step"})`;
      return null;
    }
    return crashed?.step === i ? "crashed" : null;
  });
}

/** The first step where two outcomes part (results, then the scenario error), or null. */
export function firstStepApart(a: Outcome, b: Outcome): number | null {
  const n = Math.max(a.results.length, b.results.length);
  for (let i = 0; i < n; i++) if (!isDeepStrictEqual(a.results[i], b.results[i])) return i;
  return isDeepStrictEqual(a.scenarioError, b.scenarioError) ? null : (a.scenarioError ?? b.scenarioError)!.step;
}

/** Runs the scenario on every kernel (one after the other) and lines their answers up. */
export async function runMatrix(file: string, scenario: Scenario, kernels: KernelTarget[], opts: { models?: boolean } = {}): Promise<Matrix> {
  const heads: MatrixKernel[] = [];
  const outcomes: (Outcome | null)[] = [];
  const models: ModelCheck[] = [];
  for (const k of kernels) {
    const run = await k.answer(file, scenario);
    if (run.kind === "crashed") {
      heads.push({ name: k.name, release: null, cpus: null, profile: null, crashed: { message: run.message, step: run.step } });
      outcomes.push(null);
      continue;
    }
    const profile = profileForRelease(run.kernel);
    heads.push({ name: k.name, release: run.kernel, cpus: run.config.cpus, profile: profile.name, crashed: null });
    outcomes.push(run.outcome);
    if (opts.models) {
      const { WasmProcess } = await import("../core/wasm-backend.js");
      for (const backend of ["model", "wasm"] as const) {
        const process = backend === "model" ? new AioProcess(profile, run.config) : new WasmProcess(profile, run.config);
        models.push({ kernel: k.name, backend, profile: profile.name, firstDifference: firstStepApart(run.outcome, runOutcome(process, scenario, file)) });
      }
    }
  }
  const columns = outcomes.map((o, i) => column(o, heads[i].crashed, scenario.steps.length));
  const rows: MatrixRow[] = scenario.steps.map((s, i) => {
    const answers = columns.map((c) => c[i]);
    return { step: i, op: s.op, answers, differs: answers.some((a) => a !== answers[0]) };
  });
  const first = rows.find((r) => r.differs);
  return { file, name: scenario.name, kernels: heads, rows, firstDifference: first ? first.step : null, models: opts.models ? models : null };
}

/** The matrix as text: a header per kernel, one line per step ("*" where the kernels part), then the verdict. */
export function formatMatrix(m: Matrix): string {
  const headers = ["", "step", "op", ...m.kernels.map((k) => (k.release ? `${k.name} (${k.release}, ${k.profile})` : `${k.name} (crashed)`))];
  const body = m.rows.map((r) => [r.differs ? "*" : "", String(r.step), r.op, ...r.answers.map((a) => a ?? "-")]);
  const widths = headers.map((h, c) => Math.min(48, Math.max(h.length, ...body.map((row) => row[c].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const out = [`${m.file}: ${m.name}`, line(headers), ...body.map(line)];
  for (const k of m.kernels) if (k.crashed) out.push(`${k.name}: crashed${k.crashed.step === null ? "" : ` at step ${k.crashed.step}`}: ${k.crashed.message}`);
  if (m.firstDifference === null) out.push(`all ${m.kernels.length} kernels agree on all ${m.rows.length} steps`);
  else {
    const r = m.rows[m.firstDifference];
    out.push(`first difference: step ${r.step} (${r.op}): ${m.kernels.map((k, i) => `${k.name}=${r.answers[i] ?? "-"}`).join(", ")}`);
  }
  for (const c of m.models ?? [])
    out.push(
      c.firstDifference === null
        ? `${c.kernel}: ${c.backend} as ${c.profile} agrees`
        : `${c.kernel}: ${c.backend} as ${c.profile} DISAGREES from step ${c.firstDifference}`,
    );
  return out.join("\n");
}
