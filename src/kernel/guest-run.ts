// Scenarios on a guest kernel (the `scenario --backend kernel --kernel K`
// path): one guest per CPU count the scenarios ask for, booted on first use
// and kept for the next scenario, so a batch of files costs one boot per
// CPU count. The results document is the live backend's; its `kernel` is
// the guest's `uname -r`.
import { ScenarioError, UserError } from "../contract/errors.js";
import type { ResultsDoc, Scenario } from "../contract/scenario.js";
import type { KernelRun } from "./answer.js";
import { Guest } from "./guest.js";
import type { GuestKernel } from "./guest-kernels.js";

/**
 * Watchdog per step in the guest, seconds (TCG is slower than the host): a
 * repeat of 2,000,000 calls, one of libaio 11.t's two loops, takes about
 * 25 s on the 6.1 and 6.12 guests, and up to 100 s when the machine is
 * busy (FINDINGS 61).
 */
const GUEST_SECONDS = 180;

export class GuestRunner {
  private readonly guests = new Map<number, Guest>();

  constructor(readonly kernel: GuestKernel) {}

  private async guest(cpus: number): Promise<Guest> {
    let g = this.guests.get(cpus);
    if (!g?.alive) {
      g = new Guest({ name: this.kernel.name, vmlinuz: this.kernel.vmlinuz, initramfs: this.kernel.initramfs, cpus, seconds: GUEST_SECONDS });
      this.guests.set(cpus, g);
    }
    await g.booted;
    return g;
  }

  /** The guest's answer as it came: the results up to a scenario error and that error, or a crash. */
  async answer(scenario: Scenario, cpus: number): Promise<KernelRun> {
    const g = await this.guest(cpus);
    return (await g.run(scenario)) ?? { kind: "crashed", message: "the guest ended before the scenario ran", step: null };
  }

  /** Runs a scenario with `cpus` guest CPUs; a crash or hang of the guest is an error naming the scenario and the kernel. */
  async run(file: string, scenario: Scenario, cpus: number): Promise<ResultsDoc> {
    const run = await this.answer(scenario, cpus);
    const where = `kernel ${this.kernel.name}`;
    if (run.kind === "crashed") {
      if (run.step !== null) throw new ScenarioError(file, run.step, null, `${where}: ${run.message}`);
      throw new UserError(`${file}: ${where}: ${run.message} (the scenario file is the reproducer)`);
    }
    const se = run.outcome.scenarioError;
    if (se !== null) {
      const step = scenario.steps[se.step];
      // io_submit's fd is a word ("direct" where the kernel cannot open it), not a name.
      const value = se.field === null || (step.op === "io_submit" && se.field === "fd") ? undefined : (step as unknown as Record<string, unknown>)[se.field];
      const name = typeof value === "string" ? /^[A-Za-z_][A-Za-z0-9_]*/.exec(value)?.[0] : undefined;
      const message =
        run.scenarioUnboundName && name !== undefined && name !== "bogus"
          ? `name "${name}" is not bound by any earlier successful step`
          : (run.scenarioMessage ?? "scenario error");
      throw new ScenarioError(file, se.step, se.field, message);
    }
    if (run.outcome.results.length !== scenario.steps.length)
      throw new UserError(`${where}: ${file}: the guest returned ${run.outcome.results.length} results for ${scenario.steps.length} steps`);
    return { name: scenario.name, backend: "kernel", profile: null, kernel: run.kernel, ...run.config, results: run.outcome.results };
  }

  async close(): Promise<void> {
    await Promise.all([...this.guests.values()].map((g) => g.close()));
    this.guests.clear();
  }
}
