// Kernels a scenario can run on, behind one face: the running kernel
// ("host", through build/probe) or a guest kernel under QEMU (a series such
// as 6.1, a Debian package, or a path to a vmlinuz).
import type { ResultsDoc, Scenario } from "../contract/scenario.js";
import type { KernelRun } from "../kernel/answer.js";
import { possibleCpus } from "../util/possible-cpus.js";
import { checkScenarioLimits } from "./limits.js";

export interface KernelTarget {
  /** How the user named it ("host", "6.1", ...). */
  name: string;
  run(file: string, scenario: Scenario): Promise<ResultsDoc>;
  /** The answer as it came: results up to a scenario error and that error, or a crash. */
  answer(file: string, scenario: Scenario): Promise<KernelRun>;
  close(): Promise<void>;
}

export const HOST = "host";

/** Opens a kernel by name: the guest's package is fetched and its initramfs built on first use. */
export async function openKernel(name: string): Promise<KernelTarget> {
  if (name === HOST) {
    const { answerOnKernel, runScenarioOnKernel } = await import("../kernel/probe.js");
    return {
      name,
      run: (file, scenario) => {
        checkScenarioLimits(file, scenario, possibleCpus());
        return runScenarioOnKernel(file, scenario);
      },
      answer: (file, scenario) => {
        checkScenarioLimits(file, scenario, possibleCpus());
        return answerOnKernel(scenario);
      },
      close: async () => undefined,
    };
  }
  const { resolveKernel } = await import("../kernel/guest-kernels.js");
  const { GuestRunner } = await import("../kernel/guest-run.js");
  const runner = new GuestRunner(await resolveKernel(name));
  // The guest gets the scenario's CPU count (ring sizes and slot counts follow it).
  const cpusFor = (file: string, scenario: Scenario) => {
    const cpus = scenario.cpus ?? possibleCpus();
    checkScenarioLimits(file, scenario, cpus);
    return cpus;
  };
  return {
    name,
    run: (file, scenario) => runner.run(file, scenario, cpusFor(file, scenario)),
    answer: (file, scenario) => runner.answer(scenario, cpusFor(file, scenario)),
    close: () => runner.close(),
  };
}

/** Parses a --kernel list: comma-separated names, no empties, no repeats. */
export function kernelList(value: string | undefined): string[] {
  if (value === undefined) return [HOST];
  const names = value.split(",").map((s) => s.trim());
  return names.filter((n, i) => n !== "" && names.indexOf(n) === i);
}
