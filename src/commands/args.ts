// Strict argument parsing shared by the subcommands: node:util parseArgs,
// with its errors turned into one-line UserErrors (exit 2).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../errors.js";

export function parseCommandArgs<O extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError((e as Error).message.split("\n")[0]);
  }
}
