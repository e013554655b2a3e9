// Parses and validates a scenario document (docs/scenario-format.md). Input files are
// hostile: sizes and counts are bounded, unknown fields are refused, and
// every refusal names the file, the step index and the field.
import { z } from "zod";
import { MAX_NR_EVENTS } from "../../assembly/abi/limits.js";
import { ScenarioError } from "../contract/errors.js";
import { PROFILE_NAMES } from "../contract/profile.js";
import type { ProfileName, Scenario, Step } from "../contract/scenario.js";
import { checkScenarioLimits, MAX_COUNT, MAX_SCENARIO_BYTES, MAX_STEPS } from "./limits.js";

export { MAX_COUNT, MAX_SCENARIO_BYTES, MAX_STEPS } from "./limits.js";

export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ADDR_PATTERN = /^(?:bogus|[A-Za-z_][A-Za-z0-9_]{0,63}(?:\+(?:\d{1,7}|1b))?)$/;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const name = z.string().regex(NAME_PATTERN, "a name is a letter or _ then up to 63 letters, digits or _");
const addr = z.union([z.literal(0), z.string().regex(ADDR_PATTERN, 'an address is a name, NAME+K (pages), NAME+1b, 0 or "bogus"')]);

const steps = [
  z.strictObject({ op: z.literal("io_setup"), nr_events: int(0, MAX_NR_EVENTS), name: name.optional(), ctxp: z.literal("nonzero").optional() }),
  z.strictObject({ op: z.literal("io_destroy"), ctx: addr }),
  z.strictObject({
    op: z.literal("io_submit"),
    ctx: addr,
    count: int(-(2 ** 31), MAX_COUNT),
    cmd: z.enum(["pread", "pwrite", "bad"]),
    data: int(0, Number.MAX_SAFE_INTEGER - MAX_COUNT),
    fd: z.literal("bad").optional(),
  }),
  z.strictObject({
    op: z.literal("io_getevents"),
    ctx: addr,
    min_nr: int(-(2 ** 31), MAX_COUNT),
    nr: int(-(2 ** 31), MAX_COUNT),
    timeout_ns: z.union([z.null(), int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)]),
  }),
  z.strictObject({ op: z.literal("user_reap"), ctx: addr, max: int(0, MAX_COUNT) }),
  z.strictObject({ op: z.literal("ring"), ctx: addr }),
  z.strictObject({ op: z.literal("mmap"), pages: int(0, MAX_COUNT), name }),
  z.strictObject({ op: z.literal("munmap"), addr, pages: int(0, MAX_COUNT) }),
  z.strictObject({
    op: z.literal("mremap"),
    addr,
    old_pages: int(1, MAX_COUNT),
    new_pages: int(0, MAX_COUNT),
    to: addr.optional(),
    name: name.optional(),
  }),
  z.strictObject({ op: z.literal("fork_mremap"), addr, pages: int(1, MAX_COUNT), to: addr }),
  z.strictObject({ op: z.literal("page"), addr }),
] as const;

/** A step as the schema parses it: the contract's Step, checked both ways at compile time below. */
type ParsedStep = z.infer<(typeof steps)[number]>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const stepSchemaIsTheContract: Same<ParsedStep, Step> = true;
void stepSchemaIsTheContract;

const OPS = steps.map((s) => s.shape.op.value);
const stepByOp = new Map<string, z.ZodType<ParsedStep>>(steps.map((s) => [s.shape.op.value, s]));

const header = z.strictObject({
  name: z.string().min(1).max(200),
  profile: z.enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]]).optional(),
  cpus: int(1, 4096).optional(),
  aio_max_nr: int(0, 2 ** 32 - 1).optional(),
  aio_nr: int(0, 2 ** 33).optional(),
  steps: z.array(z.unknown()).max(MAX_STEPS),
});

/** First issue of a zod error as (field path, message). */
function firstIssue(err: z.ZodError): { path: PropertyKey[]; message: string } {
  const issue = err.issues[0];
  return { path: issue.path, message: issue.message };
}

export function parseScenario(text: string, file: string): Scenario {
  if (text.length > MAX_SCENARIO_BYTES) throw new ScenarioError(file, null, null, `file is larger than ${MAX_SCENARIO_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(file, null, null, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ScenarioError(file, null, null, "a scenario is a JSON object");
  const head = header.safeParse(doc);
  if (!head.success) {
    const { path, message } = firstIssue(head.error);
    if (path[0] === "steps" && path.length > 1) throw new ScenarioError(file, Number(path[1]), null, message);
    throw new ScenarioError(file, null, path.length ? path.join(".") : null, message);
  }
  const parsed = head.data.steps.map((raw, i) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ScenarioError(file, i, null, "a step is a JSON object");
    const op = (raw as { op?: unknown }).op;
    if (op === undefined) throw new ScenarioError(file, i, "op", "missing");
    const schema = typeof op === "string" ? stepByOp.get(op) : undefined;
    if (!schema) throw new ScenarioError(file, i, "op", `unknown op ${JSON.stringify(op).slice(0, 40)} (known: ${OPS.join(", ")})`);
    const r = schema.safeParse(raw);
    if (!r.success) {
      const { path, message } = firstIssue(r.error);
      const issue = r.error.issues[0];
      const field = path.length ? String(path[0]) : issue.code === "unrecognized_keys" ? issue.keys[0] : null;
      const detail =
        issue.code === "unrecognized_keys" ? "unknown field" : field !== null && (raw as Record<string, unknown>)[field] === undefined ? "missing" : message;
      throw new ScenarioError(file, i, field, detail);
    }
    return r.data;
  });
  const scenario: Scenario = { ...head.data, steps: parsed };
  checkScenarioLimits(file, scenario);
  return scenario;
}
