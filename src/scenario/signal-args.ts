// io_pgetevents's signal argument drawn at random, for both fuzzers: mostly a
// mask that lets the pending SIGUSR1 in (or keeps it out), now and then no
// struct, one the kernel cannot read, or a wrong sigsetsize.
import type { Step } from "../contract/scenario.js";
import type { Prng } from "../util/prng.js";

type SignalArgs = Pick<Extract<Step, { op: "io_pgetevents" }>, "usig" | "sigmask" | "sigsetsize">;

export function randomSignalArgs(rng: Prng): SignalArgs {
  const roll = rng.int(0, 99);
  if (roll < 10) return {};
  if (roll < 15) return { usig: rng.pick([0, "bogus"] as const) };
  const sigmask = rng.pick([0, "unblock", "unblock", "unblock", "block", "bogus"] as const);
  return roll < 22 ? { sigmask, sigsetsize: rng.pick([0, 4, 16, 128]) } : { sigmask };
}
