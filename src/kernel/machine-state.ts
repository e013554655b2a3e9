// aio-nr and aio-max-nr are one pair of numbers for the whole machine: a
// database or another test holding AIO contexts takes part of the limit, and
// io_setup in a scenario then fails with EAGAIN where the scenario (which
// assumes aio-nr 0 unless it says otherwise) expects success. Such a failure
// is the machine's state, not the scenario's fault: say so.
import { assumedLimits, type LimitState, type Scenario, type StepResult } from "../contract/scenario.js";

/**
 * The machine's limit state, in one sentence, when it is not the one the
 * scenario assumes and an io_setup of the run failed with EAGAIN (which may
 * then be the machine's doing); null otherwise.
 */
export function machineLimitNote(scenario: Scenario, found: LimitState, results: readonly StepResult[]): string | null {
  const assumed = assumedLimits(scenario);
  if (found.aio_nr === assumed.aio_nr && found.aio_max_nr === assumed.aio_max_nr) return null;
  // A repeat's io_setup counts by the repeat's step: its last iteration is all the results show.
  const steps = results.filter((r) => [r, ...(r.last ?? [])].some((x) => x.op === "io_setup" && x.errno === "EAGAIN")).map((r) => r.step);
  if (steps.length === 0) return null;
  const where = steps.length === 1 ? `step ${steps[0]}` : `steps ${steps.slice(0, 5).join(", ")}${steps.length > 5 ? ", ..." : ""}`;
  const held = found.aio_nr > assumed.aio_nr ? " (other processes hold AIO contexts)" : "";
  return (
    `io_setup failed with EAGAIN (${where}) while this machine's aio-nr was ${found.aio_nr} of aio-max-nr ${found.aio_max_nr}${held}, not the ${assumed.aio_nr} of ${assumed.aio_max_nr} the scenario assumes: ` +
    `the limit is the machine's, shared by every process; free those contexts, or state "aio_nr": ${found.aio_nr} in the scenario to model them`
  );
}
