// aio-nr and aio-max-nr are one pair of numbers for the whole machine: a
// database or another test holding AIO contexts takes part of the limit, and
// io_setup in a scenario then fails with EAGAIN where the scenario (which
// assumes aio-nr 0 unless it says otherwise) expects success. Such a failure
// is the machine's state, not the scenario's fault: say so.
import { assumedLimits, type LimitState, type Scenario, type StepResult } from "../contract/scenario.js";

/** How the kernel backend says that aio-nr moved under a run: a scenario error's message carries it. */
export const AIO_NR_MOVED_NOTE = "other processes set up or freed AIO contexts while it ran";

/** The probe reads aio-nr after each step: a step after which it was not what the run's own calls left moved under it. */
const movedDuring = (moved: number) => `(aio-nr moved during ${moved} of its steps)`;

/**
 * The machine's limit state, in one sentence, when an io_setup of the run
 * failed with EAGAIN (which may then be the machine's doing) and either the
 * state is not the one the scenario assumes or aio-nr changed under the run
 * (`aio_nr_moved`: steps after which it was not what the run's own calls explain); null
 * otherwise.
 */
export function machineLimitNote(scenario: Scenario, found: LimitState & { aio_nr_moved?: number }, results: readonly StepResult[]): string | null {
  const assumed = assumedLimits(scenario);
  const moved = found.aio_nr_moved ?? 0;
  const differs = found.aio_nr !== assumed.aio_nr || found.aio_max_nr !== assumed.aio_max_nr;
  if (!differs && moved === 0) return null;
  // A repeat's io_setup counts by the repeat's step: its last iteration is all the results show.
  const steps = results.filter((r) => [r, ...(r.last ?? [])].some((x) => x.op === "io_setup" && x.errno === "EAGAIN")).map((r) => r.step);
  if (steps.length === 0) return null;
  const where = steps.length === 1 ? `step ${steps[0]}` : `steps ${steps.slice(0, 5).join(", ")}${steps.length > 5 ? ", ..." : ""}`;
  if (!differs)
    return `io_setup failed with EAGAIN (${where}) and ${AIO_NR_MOVED_NOTE} ${movedDuring(moved)}: the limit is the machine's, shared by every process; run it again when they are done`;
  const held = found.aio_nr > assumed.aio_nr ? " (other processes hold AIO contexts)" : "";
  const churn = moved > 0 ? `, and ${AIO_NR_MOVED_NOTE} ${movedDuring(moved)}` : "";
  return (
    `io_setup failed with EAGAIN (${where}) while this machine's aio-nr was ${found.aio_nr} of aio-max-nr ${found.aio_max_nr}${held}, not the ${assumed.aio_nr} of ${assumed.aio_max_nr} the scenario assumes${churn}: ` +
    `the limit is the machine's, shared by every process; free those contexts, or state "aio_nr": ${found.aio_nr} in the scenario to model them`
  );
}
