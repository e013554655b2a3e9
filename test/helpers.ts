// Shared by the test files: run steps on a backend and pick results.
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { ProcessConfig } from "../src/contract/backend.js";
import { ScenarioError } from "../src/contract/errors.js";
import { resultsConfig, runScenario } from "../src/scenario/index.js";
import { runScenarioOnKernel } from "../src/kernel/probe.js";
import { MIN_TMPFS_BYTES } from "../assembly/abi/limits.js";
import type { ProfileName, ResultsDoc, Scenario, Step, StepResult } from "../src/contract/scenario.js";

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

/** This machine's aio-nr limit state: shared by every process, so other processes' contexts count. */
export function liveLimits(): { aio_nr: number; aio_max_nr: number } {
  const read = (f: string) => Number(readFileSync(`/proc/sys/fs/${f}`, "utf8"));
  return { aio_nr: read("aio-nr"), aio_max_nr: read("aio-max-nr") };
}

/** The TS model's answer (results, or the scenario error) as mainline in a given machine state. */
async function modelAnswer(file: string, scenario: Scenario, config: ProcessConfig): Promise<unknown> {
  try {
    return (await runScenario(file, scenario, { backend: "model", profile: "mainline", config })).results;
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
}

let tmpfs: Promise<string | null> | undefined;

/** Why the probe cannot put a scenario's test file on a tmpfs here (mounting one needs root), or null: an empty scenario asks once. */
export function tmpfsReason(): Promise<string | null> {
  tmpfs ??= runScenarioOnKernel("tmpfs", { name: "tmpfs", steps: [], tmpfs_bytes: MIN_TMPFS_BYTES }).then(
    () => null,
    (e: Error) => e.message,
  );
  return tmpfs;
}

/**
 * Why a live run of this scenario cannot give its recording on this machine
 * as it is now (a tmpfs it asks for that the probe cannot mount; aio-nr or
 * aio-max-nr not the recorded ones, and the model's answer depends on them),
 * or null: tests on a shared machine run relative to what they find.
 */
export async function limitStateReason(file: string, scenario: Scenario, truth: ResultsDoc): Promise<string | null> {
  if (scenario.tmpfs_bytes !== undefined) {
    const reason = await tmpfsReason();
    if (reason !== null) return reason;
  }
  const live = liveLimits();
  if (live.aio_nr === truth.aio_nr && live.aio_max_nr === truth.aio_max_nr) return null;
  const recorded = resultsConfig(truth);
  if (isDeepStrictEqual(await modelAnswer(file, scenario, recorded), await modelAnswer(file, scenario, { ...recorded, ...live }))) return null;
  return `the answer depends on the aio-nr limit, and this machine's state (aio-nr ${live.aio_nr} of ${live.aio_max_nr}) is not the recorded one (${truth.aio_nr} of ${truth.aio_max_nr})`;
}

/**
 * Whether other processes' contexts could change this scenario's answer: the
 * model's answer with this machine's aio-nr differs from its answer with half
 * of the remaining limit held by someone else. A process that sets up and
 * frees contexts while the probe runs (a fuzzer next door) leaves aio-nr as
 * it found it, so only such scenarios can be disturbed that way.
 */
export async function answerDependsOnHeld(file: string, scenario: Scenario, truth: ResultsDoc): Promise<boolean> {
  const live = liveLimits();
  const here = { ...resultsConfig(truth), ...live };
  const crowded = { ...here, aio_nr: live.aio_nr + Math.floor((live.aio_max_nr - live.aio_nr) / 2) };
  return !isDeepStrictEqual(await modelAnswer(file, scenario, here), await modelAnswer(file, scenario, crowded));
}
