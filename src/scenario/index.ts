// The scenario library: what `aio-ring-bench scenario` does, callable from TypeScript.
import { readInput } from "../util/files.js";
import { AioProcess } from "../model/aio.js";
import { PROFILES, profileForRelease } from "../contract/profile.js";
import { possibleCpus } from "../util/possible-cpus.js";
import type { ProcessConfig } from "../contract/backend.js";
import { diffResults, type Disagreement } from "./diff.js";
import { checkScenarioLimits, MAX_SCENARIO_BYTES } from "./limits.js";
import { parseScenario } from "./parse.js";
import { runSteps } from "./run.js";
import { assumedLimits, type BackendName, type ProfileName, type ResultsDoc, type Scenario } from "../contract/scenario.js";
import type { KernelTarget } from "./kernels.js";

export { parseScenario } from "./parse.js";
export { diffResults, formatDisagreements } from "./diff.js";
export { HOST, kernelList, openKernel, type KernelTarget } from "./kernels.js";
export { machineLimitNote } from "../kernel/machine-state.js";

/** Options of runScenario: the backend, and a profile overriding the scenario's own. */
export interface RunOptions {
  backend: BackendName;
  /** Overrides the scenario's own profile (model backends). */
  profile?: ProfileName;
  /** Overrides the scenario's cpus / aio_max_nr / aio_nr / zero_page / tmpfs_bytes (used to mirror a kernel run). */
  config?: Partial<ProcessConfig>;
  /** The kernel backend's kernel (openKernel); the running kernel when absent. */
  kernel?: KernelTarget;
}

/** Reads and validates a scenario file: a regular file only, bounded while reading. */
export function readScenarioFile(file: string): Scenario {
  return parseScenario(readInput(file, MAX_SCENARIO_BYTES, "scenario file"), file);
}

/** The process configuration a scenario asks for, with `override` applied. */
export function processConfig(scenario: Scenario, override: Partial<ProcessConfig> = {}): ProcessConfig {
  const assumed = assumedLimits(scenario);
  const tmpfs = override.tmpfs_bytes ?? scenario.tmpfs_bytes;
  return {
    ...(tmpfs === undefined ? {} : { tmpfs_bytes: tmpfs }),
    cpus: override.cpus ?? scenario.cpus ?? possibleCpus(),
    aio_max_nr: override.aio_max_nr ?? assumed.aio_max_nr,
    aio_nr: override.aio_nr ?? assumed.aio_nr,
    zero_page: override.zero_page ?? scenario.zero_page ?? true,
  };
}

/** The machine a results document was made on, as the models' process configuration: CPUs, the aio-nr limit state, zero page, tmpfs. */
export function resultsConfig(doc: ResultsDoc): ProcessConfig {
  return {
    cpus: doc.cpus,
    aio_max_nr: doc.aio_max_nr,
    aio_nr: doc.aio_nr,
    zero_page: doc.zero_page ?? true,
    ...(doc.tmpfs_bytes === undefined ? {} : { tmpfs_bytes: doc.tmpfs_bytes }),
  };
}

/** Runs a scenario on a backend (default the WASM core, as `scenario`) and returns its results document (`file` names it in errors). */
export async function runScenario(file: string, scenario: Scenario, opts: RunOptions = { backend: "wasm" }): Promise<ResultsDoc> {
  if (opts.backend === "kernel") {
    if (opts.kernel) return opts.kernel.run(file, scenario);
    checkScenarioLimits(file, scenario, possibleCpus());
    const { runScenarioOnKernel } = await import("../kernel/probe.js");
    return runScenarioOnKernel(file, scenario);
  }
  const profileName = opts.profile ?? scenario.profile ?? "mainline";
  const config = processConfig(scenario, opts.config);
  checkScenarioLimits(file, scenario, config.cpus);
  const profile = PROFILES[profileName];
  const backend = opts.backend === "model" ? new AioProcess(profile, config) : new (await import("../core/wasm-backend.js")).WasmProcess(profile, config);
  return runSteps(file, scenario, backend, { ...config, backend: opts.backend, profile: profileName });
}

/** A scenario's results on each backend, from runOnAllBackends. */
export interface AllBackends {
  kernel: ResultsDoc;
  model: ResultsDoc;
  wasm: ResultsDoc;
  disagreements: { backend: "model" | "wasm"; items: Disagreement[] }[];
}

/**
 * Runs the kernel first, then both models as the profile measured on that
 * kernel's series (a 6.1 guest: v6.1; the host and any other series:
 * mainline), with the cpus, aio_max_nr, aio_nr and zero_page the kernel
 * saw, and lists every disagreement.
 */
export async function runOnAllBackends(file: string, scenario: Scenario, target?: KernelTarget): Promise<AllBackends> {
  const kernel = await runScenario(file, scenario, { backend: "kernel", kernel: target });
  const config = resultsConfig(kernel);
  const profile = profileForRelease(kernel.kernel ?? "").name;
  const model = await runScenario(file, scenario, { backend: "model", profile, config });
  const wasm = await runScenario(file, scenario, { backend: "wasm", profile, config });
  const disagreements = (["model", "wasm"] as const)
    .map((b) => ({ backend: b, items: diffResults(kernel, b === "model" ? model : wasm) }))
    .filter((d) => d.items.length > 0);
  return { kernel, model, wasm, disagreements };
}
