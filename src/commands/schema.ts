// `aio-ring-bench schema run`: the JSON Schema of a document the tool writes,
// generated from the zod definitions that validate it when it is read back.
import { UserError } from "../contract/errors.js";
import { runJsonSchema } from "../bench/run-schema.js";
import { parseCommandArgs } from "./args.js";

const SCHEMAS: Record<string, () => unknown> = { run: runJsonSchema };

const HELP = `usage: aio-ring-bench schema NAME

Prints the JSON Schema (draft 2020-12) of a document the tool writes and reads:
  run   a bench run (--json FILE, baselines, last-run.json)

docs/run-schema.json is this output, kept in the repository.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {}, HELP);
  if (!parsed) return 0;
  const [name, ...extra] = parsed.positionals;
  if (name === undefined) throw new UserError(`schema: give a schema name (${Object.keys(SCHEMAS).join(", ")})`);
  const schema = SCHEMAS[name];
  if (!schema) throw new UserError(`schema: unknown schema "${name}" (known: ${Object.keys(SCHEMAS).join(", ")})`);
  if (extra.length) throw new UserError(`schema: unexpected argument ${JSON.stringify(extra[0])} (see --help)`);
  console.log(JSON.stringify(schema(), null, 2));
  return 0;
}
