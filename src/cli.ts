#!/usr/bin/env node
// Thin CLI: picks a subcommand and hands it the remaining arguments. Each
// subcommand lives in src/commands/<name>.ts and exports `run(argv)`, which
// returns the exit code; all real work is in the library it calls.
import { format } from "node:util";
import { UserError } from "./contract/errors.js";
import { printable } from "./util/printable.js";
import { stdoutFailure, writeStdout } from "./util/stdout.js";

// console.log drops write errors (a full disk would leave truncated output
// and exit 0): every command's stdout goes through a checked writer.
console.log = (...args: unknown[]) => writeStdout(`${format(...args)}\n`);

const commands: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  bench: { summary: "run the benchmark suites (npm run bench)", load: () => import("./commands/bench.js") },
  scenario: { summary: "run scenario files on a backend and print the results document", load: () => import("./commands/scenario.js") },
  ab: { summary: "interleaved A/B of two builds' WASM benchmarks in one process", load: () => import("./commands/ab.js") },
  compare: { summary: "compare two runs or a baseline: table, exports, CI gate", load: () => import("./commands/compare.js") },
  history: { summary: "per-benchmark trends and step changes from a history file", load: () => import("./commands/history.js") },
  selfcheck: { summary: "measure the regression statistics' detection and false-alarm rates here", load: () => import("./commands/selfcheck.js") },
  report: { summary: "write a self-contained HTML report of a bench run", load: () => import("./commands/report.js") },
  stress: { summary: "shared-ring stress: producers and reapers on one ring, exactly-once check", load: () => import("./commands/stress.js") },
  fuzz: { summary: "differential fuzzing: wasm vs model, or both vs the live kernel", load: () => import("./commands/fuzz.js") },
  schema: { summary: "print the JSON Schema of the run document", load: () => import("./commands/schema.js") },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: aio-ring-bench <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    "Run `aio-ring-bench <command> --help` for a command's options.";
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) throw new UserError(`unknown command "${name}" (commands: ${Object.keys(commands).join(", ")}; see --help)`);
  return (await command.load()).run(rest);
}

main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UserError) {
        // Messages quote input files: their control characters are shown, not sent to the terminal.
        console.error(`aio-ring-bench: ${printable(err.message)}`);
        process.exitCode = err.exitCode;
      } else {
        console.error(err);
        process.exitCode = 1;
      }
    },
  )
  .finally(() => {
    const failed = stdoutFailure();
    if (failed === null) return;
    console.error(`aio-ring-bench: standard output: cannot write: ${failed}; the output is incomplete`);
    if (!process.exitCode) process.exitCode = 2;
  });
