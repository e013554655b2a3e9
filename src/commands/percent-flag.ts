import { UserError } from "../contract/errors.js";

/** A percentage flag value: a number strictly between 0 and 100, returned as a fraction; else a UserError naming the flag. */
export function parsePercentFlag(flag: string, value: string): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x) || x <= 0 || x >= 100) {
    throw new UserError(`${flag}: expected a percentage between 0 and 100 (exclusive), got ${JSON.stringify(value)}`);
  }
  return x / 100;
}
