// What one backend made of one program: the results of the steps it ran and,
// if a step could not run as written, that scenario error (the kernel stops
// there too). Kernels and models are compared on this.
import { ScenarioError } from "../contract/errors.js";
import type { AioBackend } from "../contract/backend.js";
import type { Scenario, StepResult } from "../contract/scenario.js";
import { Names, runStep } from "./run.js";

export interface Outcome {
  results: StepResult[];
  /** The step that could not run as written, and the field at fault. */
  scenarioError: { step: number; field: string | null } | null;
}

/** Runs a program on an in-process backend, stopping at a scenario error as the kernel does. */
export function runOutcome(backend: AioBackend, scenario: Scenario, file: string): Outcome {
  const names = new Names(file);
  const results: StepResult[] = [];
  for (const [i, step] of scenario.steps.entries()) {
    try {
      results.push(runStep(backend, step, i, names, file));
    } catch (e) {
      if (e instanceof ScenarioError) return { results, scenarioError: { step: i, field: e.field } };
      throw e;
    }
  }
  return { results, scenarioError: null };
}
