// `aio-ring-bench scenario FILE... [--backend wasm|model|kernel|all] [--profile P]`
import { UserError } from "../contract/errors.js";
import { PROFILE_NAMES } from "../contract/profile.js";
import { MAX_MODELLED_BYTES, MAX_NAMES, MAX_RESULT_EVENTS, MAX_STEPS } from "../scenario/limits.js";
import { formatDisagreements, readScenarioFile, runOnAllBackends, runScenario } from "../scenario/index.js";
import type { BackendName, ProfileName } from "../contract/scenario.js";
import { parseCommandArgs } from "./args.js";

const HELP = `usage: aio-ring-bench scenario FILE... [options]

Runs each scenario file (docs/scenario-format.md) and prints its results document.

options:
  --backend B   wasm (default), model, kernel, or all (kernel, then both models as
                mainline with the kernel's cpus/aio_max_nr/aio_nr, and a diff)
  --profile P   kernel generation to model: ${PROFILE_NAMES.join(", ")}
                (default: the scenario's own, else mainline; ignored by kernel)
  -h, --help    this text

Every file is checked before any runs, against limits all backends share:
${MAX_STEPS} steps, ${MAX_NAMES} names, ${MAX_MODELLED_BYTES / 2 ** 20} MiB of modelled rings, ${MAX_RESULT_EVENTS} events in the results.

exit codes: 0 ok, 1 backends disagree (--backend all), 2 bad input`;

const BACKENDS = ["wasm", "model", "kernel", "all"] as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    backend: { type: "string", default: "wasm" },
    profile: { type: "string" },
  }, HELP);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const backend = values.backend as string;
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UserError(`--backend: unknown backend "${backend}" (use ${BACKENDS.join(", ")})`);
  const profile = values.profile as string | undefined;
  if (profile !== undefined && !(PROFILE_NAMES as string[]).includes(profile)) throw new UserError(`--profile: unknown profile "${profile}" (use ${PROFILE_NAMES.join(", ")})`);
  if (positionals.length === 0) throw new UserError("scenario: give at least one scenario FILE (see --help)");

  // Validate every file before running any: a bad file anywhere stops the whole run.
  const scenarios = positionals.map((file) => ({ file, scenario: readScenarioFile(file) }));
  let disagreeing = 0;
  for (const { file, scenario } of scenarios) {
    if (backend === "all") {
      const all = await runOnAllBackends(file, scenario);
      console.log(JSON.stringify(all.kernel, null, 2));
      for (const d of all.disagreements) {
        disagreeing++;
        console.log(`${file}: kernel and ${d.backend} disagree:\n${formatDisagreements("kernel", d.backend, d.items)}`);
      }
      if (all.disagreements.length === 0) console.log(`${file}: kernel, model and wasm agree on all ${all.kernel.results.length} steps`);
    } else {
      const doc = await runScenario(file, scenario, { backend: backend as BackendName, profile: profile as ProfileName | undefined });
      console.log(JSON.stringify(doc, null, 2));
    }
  }
  return disagreeing > 0 ? 1 : 0;
}

