// The parsers of flag values, one per kind, shared by every subcommand. Each
// takes the flag's name (without "--") and its raw value (undefined when the
// flag is absent) and refuses a bad value with one line in one style,
// `--flag: expected WHAT, got "VALUE"`: a UserError, so exit 2.
import { UserError } from "../contract/errors.js";

function refuse(flag: string, expected: string, text: string): never {
  throw new UserError(`--${flag}: expected ${expected}, got ${JSON.stringify(text)}`);
}

const SCALE: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/**
 * An integer: digits with optional `_` between groups, and an optional
 * k/M/G or eN multiplier (5M, 1.5k, 1e8, 1_000); NaN when it is none.
 */
function parseInteger(text: string): number {
  const m = /^(\d+(?:_\d+)*(?:\.\d+)?)([kKMG]|e\d+)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const unit = m[2];
  const scale = unit === undefined ? 1 : unit.startsWith("e") ? 10 ** Number(unit.slice(1)) : SCALE[unit];
  return Number(m[1].replaceAll("_", "")) * scale;
}

/** An integer flag in [min, max] (5M, 1e8 and 1_000 are integers too), or `fallback` when absent. */
export function intFlag(flag: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  const n = parseInteger(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) refuse(flag, `an integer from ${min} to ${max}`, text);
  return n;
}

/** A comma-separated list of integers in [min, max], each once in the order first given, or null when absent. */
export function intListFlag(flag: string, value: unknown, min: number, max: number): number[] | null {
  if (value === undefined) return null;
  const list = String(value)
    .split(",")
    .map((item) => {
      const n = parseInteger(item);
      if (!Number.isSafeInteger(n) || n < min || n > max) refuse(flag, `integers from ${min} to ${max}, separated by commas`, item.trim());
      return n;
    });
  return [...new Set(list)];
}

/** A percentage strictly between 0 and 100, returned as a fraction, or undefined when absent. */
export function percentFlag(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x) || x <= 0 || x >= 100) refuse(flag, "a percentage between 0 and 100 (exclusive)", text);
  return x / 100;
}

/** One of `choices`, or `fallback` when absent. */
export function choiceFlag<T extends string, F extends T | undefined>(flag: string, value: unknown, choices: readonly T[], fallback: F): T | F {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!(choices as readonly string[]).includes(text)) {
    const names = choices.length > 1 ? `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}` : choices.join("");
    refuse(flag, names, text);
  }
  return text as T;
}

/** A file-name flag: undefined when absent, a UserError when given empty (it would otherwise be silently ignored). */
export function pathFlag(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text.trim() === "") throw new UserError(`--${flag}: empty file name`);
  return text;
}
