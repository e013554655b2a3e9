import { UserError } from "../contract/errors.js";
import type { GateOn } from "../report/gate.js";

/** --gate: what --fail-on-regression acts on. */
export function parseGateFlag(value: string | undefined): GateOn {
  if (value === undefined) return "all";
  if (value === "all" || value === "exact" || value === "time") return value;
  throw new UserError(`--gate: expected all, exact or time, got ${JSON.stringify(value)}`);
}

/** A percentage flag value: a number strictly between 0 and 100, returned as a fraction; else a UserError naming the flag. */
export function parsePercentFlag(flag: string, value: string): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x) || x <= 0 || x >= 100) {
    throw new UserError(`${flag}: expected a percentage between 0 and 100 (exclusive), got ${JSON.stringify(value)}`);
  }
  return x / 100;
}
