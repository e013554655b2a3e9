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
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options: withHelp, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError((e as Error).message.split("\n")[0]);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return null;
  }
  return parsed;
}

/**
 * `--time -1` as `--time=-1`: parseArgs reads a value starting with "-" as
 * an option and answers "argument is ambiguous"; joined, the flag's own
 * check says what range it takes.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") return [...out, ...argv.slice(i)];
    const m = /^--([^=]+)$/.exec(argv[i]);
    const next = argv[i + 1];
    if (m && options[m[1]]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** A file-name flag: undefined when absent, a UserError when given empty (it would otherwise be silently ignored). */
export function pathFlag(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text.trim() === "") throw new UserError(`--${flag}: empty file name`);
  return text;
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
