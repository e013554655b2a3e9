#!/usr/bin/env node
// Thin CLI: picks a subcommand and hands it the remaining arguments. Each
// subcommand lives in src/commands/<name>.ts and exports `run(argv)`, which
// returns the exit code; all real work is in the library it calls.
import { readFileSync } from "node:fs";
import { format } from "node:util";
import { UserError } from "./contract/errors.js";
import { COMMANDS as commands } from "./commands/index.js";
import { errorLine } from "./util/printable.js";
import { stdoutFailure, writeStdout } from "./util/stdout.js";

// console.log drops write errors (a full disk would leave truncated output
// and exit 0): every command's stdout goes through a checked writer.
console.log = (...args: unknown[]) => writeStdout(`${format(...args)}\n`);

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return (
    `usage: aio-ring-bench <command> [options]\n       aio-ring-bench --help | --version (-v)\n\ncommands:\n${lines.join("\n")}\n\n` +
    "Run `aio-ring-bench <command> --help` for a command's options and exit codes.\n" +
    "exit codes: 0 ok, 1 the command's check failed, 2 bad input (no or unknown command)"
  );
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };
  return `${pkg.name} ${pkg.version}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    (name === undefined ? console.error : console.log)(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v" || name === "-V") {
    console.log(version());
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
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
        // Messages quote paths and input files: one line, their control characters shown, not sent to the terminal.
        console.error(errorLine(err.message));
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
