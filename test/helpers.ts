// Shared by the test files: run steps on a backend and pick results.
import { runScenario } from "../src/scenario/index.js";
import type { ProfileName, Scenario, Step, StepResult } from "../src/scenario/types.js";

export const BACKENDS = ["model", "wasm"] as const;
export type ModelBackend = (typeof BACKENDS)[number];

export const REPO = new URL("../../", import.meta.url);
export const SHARED = new URL("../shared/", REPO);

export async function runOn(
  backend: ModelBackend,
  profile: ProfileName,
  steps: Step[],
  config: Partial<Pick<Scenario, "cpus" | "aio_max_nr" | "aio_nr">> = {},
): Promise<StepResult[]> {
  const scenario: Scenario = { name: "test", profile, cpus: 2, ...config, steps };
  return (await runScenario("test", scenario, { backend })).results;
}

/** `n` copies of a step. */
export function times(n: number, step: Step): Step[] {
  return Array.from({ length: n }, () => step);
}
