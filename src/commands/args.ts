// Strict argument parsing shared by the subcommands: node:util parseArgs,
// with its errors turned into one-line UserErrors (exit 2), and the flag
// checks every command needs.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../contract/errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type WithHelp<O extends Options> = O & { help: { type: "boolean"; short: "h" } };
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: WithHelp<O>; allowPositionals: true; strict: true }>>;

/**
 * Parses `argv` against `options` plus -h/--help. On --help prints `usage`
 * and returns null (the command then exits 0).
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string): Parsed<O> | null {
  let parsed: Parsed<O>;
  try {
    const withHelp: WithHelp<O> = { ...options, help: { type: "boolean", short: "h" } };
    parsed = parseArgs({ args: argv, options: withHelp, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError((e as Error).message.split("\n")[0]);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return null;
  }
  return parsed;
}

/** Refuses positional arguments for a command that takes none. */
export function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length) throw new UserError(`${command}: unexpected argument ${JSON.stringify(positionals[0])} (see --help)`);
}

/** An integer flag in [min, max], or `fallback` when absent; else a UserError naming the flag. */
export function intFlag(flag: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UserError(`--${flag}: expected an integer from ${min} to ${max}, got "${text}"`);
  return Number(text);
}
