// The subcommands of the CLI, for cli.ts and for the tests that check each
// command's help against the flags it accepts.
import type { CommandSpec } from "./args.js";

export interface CommandModule {
  spec: CommandSpec;
  run(argv: string[]): Promise<number>;
}

/** Every subcommand: its one-line summary and its module, loaded only when used. */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  bench: { summary: "run the benchmark suites (npm run bench)", load: () => import("./bench.js") },
  scenario: { summary: "run scenario files on a backend and print the results document", load: () => import("./scenario.js") },
  ab: { summary: "interleaved A/B of two builds' WASM benchmarks in one process", load: () => import("./ab.js") },
  compare: { summary: "compare two runs or a baseline: table, exports, CI gate", load: () => import("./compare.js") },
  history: { summary: "per-benchmark trends and step changes from a history file", load: () => import("./history.js") },
  selfcheck: { summary: "measure the regression statistics' detection and false-alarm rates here", load: () => import("./selfcheck.js") },
  report: { summary: "write a self-contained HTML report of a bench run", load: () => import("./report.js") },
  stress: { summary: "shared-ring stress: producers and reapers on one ring, exactly-once check", load: () => import("./stress.js") },
  fuzz: { summary: "differential fuzzing: wasm vs model, or both vs the live kernel", load: () => import("./fuzz.js") },
  kernels: { summary: "guest kernels under QEMU: list what can run here, fetch 6.1 / 6.12", load: () => import("./kernels.js") },
  schema: { summary: "print the JSON Schema of the run document", load: () => import("./schema.js") },
};
