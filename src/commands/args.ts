// Argument handling shared by the subcommands. Each command declares one
// table of flags (CommandSpec); both its parser (node:util parseArgs) and
// its --help text are made from that table, so the help cannot list a flag
// the parser rejects or leave out one it accepts. Parse errors become
// one-line UserErrors (exit 2).
import { parseArgs } from "node:util";
import { UserError } from "../contract/errors.js";

export interface FlagDef {
  name: string;
  type: "string" | "boolean";
  short?: string;
  /** The value's placeholder in the help, e.g. "FILE" (string flags). */
  arg?: string;
  /** Description; "\n" starts a continuation line. */
  help: string;
  /** Help heading the flag is listed under (flags keep their order). */
  section?: string;
}

export interface CommandSpec {
  name: string;
  /** Usage line after "usage: ". */
  usage: string;
  /** What the command does, a paragraph. */
  description: string;
  flags: readonly FlagDef[];
  /** Exit codes and their meaning, e.g. "0 ok, 2 bad input". */
  exitCodes: string;
  /** Text after the flags (e.g. what the output's columns mean). */
  notes?: string;
}

export const HELP_FLAG: FlagDef = { name: "help", type: "boolean", short: "h", help: "this text" };

const FLAG_COLUMN = 25;

function flagLabel(f: FlagDef): string {
  const long = `--${f.name}${f.type === "string" ? ` ${f.arg ?? "VALUE"}` : ""}`;
  return f.short ? `-${f.short}, ${long}` : long;
}

/** The --help text of a command, made from its flag table. */
export function helpText(spec: CommandSpec): string {
  const lines = [`usage: ${spec.usage}`, "", spec.description];
  let section: string | null = null;
  for (const f of [...spec.flags, HELP_FLAG]) {
    // --help closes the list, after a blank line when the flags have headings.
    const heading: string = f === HELP_FLAG ? (section === null || section === "options" ? "options" : "") : (f.section ?? "options");
    if (heading !== section) lines.push("", ...(heading ? [`${heading}:`] : []));
    section = heading;
    const label = `  ${flagLabel(f)}`;
    const [first, ...rest] = f.help.split("\n");
    if (label.length + 1 >= FLAG_COLUMN) lines.push(label, `${" ".repeat(FLAG_COLUMN)}${first}`);
    else lines.push(`${label.padEnd(FLAG_COLUMN)}${first}`);
    for (const r of rest) lines.push(`${" ".repeat(FLAG_COLUMN)}${r}`);
  }
  lines.push("", `exit codes: ${spec.exitCodes}`);
  if (spec.notes) lines.push("", spec.notes);
  return lines.join("\n");
}

type Values = Record<string, string | boolean | undefined>;

/**
 * Parses `argv` against the command's flags. On --help prints the help and
 * returns null (the command then exits 0).
 */
export function parseCommand(spec: CommandSpec, argv: string[], print: (text: string) => void = console.log): { values: Values; positionals: string[] } | null {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const f of [...spec.flags, HELP_FLAG]) options[f.name] = f.short ? { type: f.type, short: f.short } : { type: f.type };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(`${spec.name}: ${(e as Error).message.split("\n")[0]} (see --help)`);
  }
  const values = parsed.values as Values;
  if (values.help) {
    print(helpText(spec));
    return null;
  }
  return { values, positionals: parsed.positionals };
}

/**
 * `--time -1` as `--time=-1`: parseArgs reads a value starting with "-" as
 * an option and answers "argument is ambiguous"; joined, the flag's own
 * check says what range it takes.
 */
function joinNegativeValues(argv: string[], options: Record<string, { type: "string" | "boolean" }>): string[] {
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

/** Refuses positional arguments for a command that takes none. */
export function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length) throw new UserError(`${command}: unexpected argument ${JSON.stringify(positionals[0])} (see --help)`);
}
