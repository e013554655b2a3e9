// Shared by the test files: run steps on a backend and pick results.
import { runScenario } from "../src/scenario/index.js";
import type { ProfileName, Scenario, Step, StepResult } from "../src/contract/scenario.js";

export const BACKENDS = ["model", "wasm"] as const;
export type ModelBackend = (typeof BACKENDS)[number];

export const REPO = new URL("../../", import.meta.url);

/** The fenced blocks of a Markdown text with their info strings. */
export function fencedBlocks(markdown: string): { info: string; body: string }[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1].trim(), body: m[2] }));
}

export async function runOn(
  backend: ModelBackend,
  profile: ProfileName,
  steps: Step[],
  config: Partial<Pick<Scenario, "cpus" | "aio_max_nr" | "aio_nr" | "zero_page">> = {},
): Promise<StepResult[]> {
  const scenario: Scenario = { name: "test", profile, cpus: 2, ...config, steps };
  return (await runScenario("test", scenario, { backend })).results;
}

/** `n` copies of a step. */
export function times(n: number, step: Step): Step[] {
  return Array.from({ length: n }, () => step);
}

/** What a forked child's mremap of an inherited ring answers, per profile (semantics.md, consequence 5; "OOPS" is v3.19's crash). */
export const FORK_MOVE_OF_RING: Record<ProfileName, string | null> = {
  "v3.11": null,
  "v3.18": null,
  "v3.19": "OOPS",
  mainline: "EINVAL",
  next: "EFAULT",
  "v6.1": "EINVAL",
  "v6.12": "EINVAL",
};
