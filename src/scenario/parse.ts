// Parses and validates a scenario document (docs/scenario-format.md). Input files are
// hostile: sizes and counts are bounded, unknown fields are refused, and
// every refusal names the file, the step index and the field.
import { ScenarioError } from "../contract/errors.js";
import type { Scenario } from "../contract/scenario.js";
import { checkStep, firstIssue, scenarioHeader } from "../contract/scenario-schema.js";
import { depthProblem } from "../util/json-depth.js";
import { findDuplicateKey } from "../util/json-duplicates.js";
import { checkScenarioLimits, MAX_SCENARIO_BYTES } from "./limits.js";

export { MAX_COUNT, MAX_SCENARIO_BYTES, MAX_STEPS } from "./limits.js";

/** Parses and checks a scenario's JSON text (`file` names it in errors): a ScenarioError names the step and field at fault. */
export function parseScenario(text: string, file: string): Scenario {
  if (text.length > MAX_SCENARIO_BYTES) throw new ScenarioError(file, null, null, `file is larger than ${MAX_SCENARIO_BYTES} bytes`);
  const tooDeep = depthProblem(text);
  if (tooDeep) throw new ScenarioError(file, null, null, tooDeep);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(file, null, null, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ScenarioError(file, null, null, "a scenario is a JSON object");
  refuseDuplicateKey(text, file);
  const head = scenarioHeader.safeParse(doc);
  if (!head.success) {
    const { path, message } = firstIssue(head.error);
    if (path[0] === "steps" && path.length > 1) throw new ScenarioError(file, Number(path[1]), null, message);
    throw new ScenarioError(file, null, path.length ? path.join(".") : null, message);
  }
  const parsed = head.data.steps.map((raw, i) => checkStep(file, i, raw));
  const scenario: Scenario = { ...head.data, steps: parsed };
  checkScenarioLimits(file, scenario);
  return scenario;
}

/** A key given twice in one object is refused, naming it and where (JSON.parse would keep the last silently). */
function refuseDuplicateKey(text: string, file: string): void {
  const dup = findDuplicateKey(text);
  if (dup === null) return;
  const inStep = dup.path[0] === "steps" && typeof dup.path[1] === "number";
  const field = [...dup.path.slice(inStep ? 2 : 0), dup.key].join(".");
  throw new ScenarioError(file, inStep ? (dup.path[1] as number) : null, field, "given twice: each key once");
}
