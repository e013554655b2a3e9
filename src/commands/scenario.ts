// `aio-ring-bench scenario FILE... [--backend wasm|model|kernel|all] [--profile P]`
import { UserError } from "../contract/errors.js";
import { PROFILE_NAMES, PROFILES } from "../contract/profile.js";
import { MAX_MODELLED_BYTES, MAX_NAMES, MAX_RESULT_EVENTS, MAX_STEPS, MAX_TIMEOUT_TOTAL_NS } from "../scenario/limits.js";
import { formatMatrix, runMatrix } from "../scenario/matrix.js";
import {
  formatDisagreements,
  kernelList,
  machineLimitNote,
  openKernel,
  readScenarioFile,
  runOnAllBackends,
  runScenario,
  type KernelTarget,
} from "../scenario/index.js";
import type { BackendName, ProfileName, ResultsDoc, Scenario } from "../contract/scenario.js";
import { parseCommand, type CommandSpec } from "./args.js";

export const spec: CommandSpec = {
  name: "scenario",
  usage: "aio-ring-bench scenario FILE... [options]",
  description: "Runs each scenario file and prints its results document (JSON).",
  flags: [
    {
      name: "backend",
      type: "string",
      arg: "B",
      help: "wasm (default), model, kernel, or all (kernel, then both models as\nmainline with the kernel's cpus/aio_max_nr/aio_nr, and a diff)",
    },
    {
      name: "kernel",
      type: "string",
      arg: "K",
      help: "kernel backend: host (default, the running kernel), a series (6.1, 6.12),\na Debian package linux-image-..., or a path to a vmlinuz; guests run\nunder QEMU with the scenario's cpus (see the kernels command)",
    },
    { name: "list", type: "boolean", help: "list the profiles and what each was measured on, run nothing" },
    {
      name: "json",
      type: "boolean",
      help: "with several kernels: print the matrix as JSON (one document per file)",
    },
    {
      name: "profile",
      type: "string",
      arg: "P",
      help: `kernel generation to model: ${PROFILE_NAMES.join(", ")}\n(default: the scenario's own, else mainline; ignored by kernel)`,
    },
  ],
  exitCodes: "0 ok, 1 backends disagree (--backend all), 2 bad input (or a kernel that cannot be fetched or booted)",
  notes: `Every file is checked before any runs, against limits all backends share:
${MAX_STEPS} steps, ${MAX_NAMES} names, ${MAX_MODELLED_BYTES / 2 ** 20} MiB of modelled rings, ${MAX_RESULT_EVENTS} events in the results, ${MAX_TIMEOUT_TOTAL_NS / 1e9} s of io_getevents timeouts.

Profiles, and what each was measured on (also in every model results document):
${profileLabels()}`,
};

const BACKENDS = ["wasm", "model", "kernel", "all"] as const;

/** One line per profile: its name and Profile.measuredOn. */
export function profileLabels(): string {
  const width = Math.max(...PROFILE_NAMES.map((n) => n.length));
  return PROFILE_NAMES.map((n) => `  ${n.padEnd(width)}  ${PROFILES[n].measuredOn}`).join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (values.list) {
    console.log(profileLabels());
    return 0;
  }
  const backend = (values.backend as string | undefined) ?? "wasm";
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UserError(`--backend: unknown backend "${backend}" (use ${BACKENDS.join(", ")})`);
  const profile = values.profile as string | undefined;
  if (profile !== undefined && !(PROFILE_NAMES as string[]).includes(profile))
    throw new UserError(`--profile: unknown profile "${profile}" (use ${PROFILE_NAMES.join(", ")})`);
  if (positionals.length === 0) throw new UserError("scenario: give at least one scenario FILE (see --help)");

  const kernels = kernelList(values.kernel as string | undefined);
  if (values.kernel !== undefined && backend !== "kernel" && backend !== "all") throw new UserError("--kernel is for --backend kernel or all");
  if (kernels.length === 0) throw new UserError("--kernel: give at least one kernel name");

  // Validate every file before running any: a bad file anywhere stops the whole run.
  const scenarios = positionals.map((file) => ({ file, scenario: readScenarioFile(file) }));
  if (values.json && kernels.length < 2) throw new UserError("--json is for the matrix view (--kernel with two or more kernels)");
  if (kernels.length > 1) return matrix(scenarios, kernels, backend === "all", values.json === true);
  const kernel = backend === "kernel" || backend === "all" ? await openKernel(kernels[0]) : undefined;
  try {
    return await runEach(scenarios, backend, profile as ProfileName | undefined, kernel);
  } finally {
    await kernel?.close();
  }
}

/** Several kernels: per file, the matrix of their answers; with models (--backend all), exit 1 when one disagrees with its kernel. */
async function matrix(scenarios: { file: string; scenario: Scenario }[], names: string[], models: boolean, json: boolean): Promise<number> {
  const kernels: KernelTarget[] = [];
  try {
    for (const name of names) kernels.push(await openKernel(name));
    let disagreeing = 0;
    for (const { file, scenario } of scenarios) {
      const m = await runMatrix(file, scenario, kernels, { models });
      disagreeing += (m.models ?? []).filter((c) => c.firstDifference !== null).length;
      console.log(json ? JSON.stringify(m, null, 2) : `${formatMatrix(m)}\n`);
    }
    return disagreeing > 0 ? 1 : 0;
  } finally {
    await Promise.all(kernels.map((k) => k.close()));
  }
}

/** The kernel's EAGAIN from a limit other processes hold: said on standard error, the results stay as the kernel gave them. */
function warnMachineState(file: string, scenario: Scenario, doc: ResultsDoc): void {
  const note = machineLimitNote(scenario, doc, doc.results);
  if (note !== null) console.error(`aio-ring-bench: note: ${file}: ${note}`);
}

async function runEach(
  scenarios: { file: string; scenario: Scenario }[],
  backend: string,
  profile: ProfileName | undefined,
  kernel: KernelTarget | undefined,
): Promise<number> {
  let disagreeing = 0;
  for (const { file, scenario } of scenarios) {
    if (backend === "all") {
      const all = await runOnAllBackends(file, scenario, kernel);
      console.log(JSON.stringify(all.kernel, null, 2));
      warnMachineState(file, scenario, all.kernel);
      for (const d of all.disagreements) {
        disagreeing++;
        console.log(`${file}: kernel and ${d.backend} disagree:\n${formatDisagreements("kernel", d.backend, d.items)}`);
      }
      if (all.disagreements.length === 0) console.log(`${file}: kernel, model and wasm agree on all ${all.kernel.results.length} steps`);
    } else {
      const doc = await runScenario(file, scenario, { backend: backend as BackendName, profile, kernel });
      console.log(JSON.stringify(doc, null, 2));
      if (backend === "kernel") warnMachineState(file, scenario, doc);
    }
  }
  return disagreeing > 0 ? 1 : 0;
}
