// `aio-ring-bench schema run`: the JSON Schema of a document the tool writes,
// generated from the zod definitions that validate it when it is read back.
import { runJsonSchema } from "../contract/run-document.js";
import { UserError } from "../contract/errors.js";
import { type CommandSpec, parseCommand } from "./args.js";

const SCHEMAS: Record<string, () => unknown> = { run: runJsonSchema };

export const spec: CommandSpec = {
  name: "schema",
  usage: "aio-ring-bench schema NAME",
  description:
    "Prints the JSON Schema (draft 2020-12) of a document the tool writes and reads:\n" +
    "  run   a bench run (its JSON output, baselines, last-run.json)\n" +
    "docs/run-schema.json is this output, kept in the repository.",
  flags: [],
  exitCodes: "0 ok, 2 bad input",
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const [name, ...extra] = parsed.positionals;
  if (name === undefined) throw new UserError(`schema: give a schema name (${Object.keys(SCHEMAS).join(", ")})`);
  const schema = SCHEMAS[name];
  if (!schema) throw new UserError(`schema: unknown schema "${name}" (known: ${Object.keys(SCHEMAS).join(", ")})`);
  if (extra.length) throw new UserError(`schema: unexpected argument ${JSON.stringify(extra[0])} (see --help)`);
  console.log(JSON.stringify(schema(), null, 2));
  return 0;
}
