/**
 * What a run measures, as `bench` and the library choose it: the suites by
 * name, the --filter text, the time budget by mode. Light (no suite is
 * loaded here), so --help and the flag parsers can use it.
 */
import { UserError } from "../contract/errors.js";
import type { Suite } from "../contract/suite.js";

/** The time budget per benchmark in ms when none is given: 60 with quick, 400 with full, else 250. */
export function defaultTimeMs(mode: { quick?: boolean; full?: boolean }): number {
  return mode.quick ? 60 : mode.full ? 400 : 250;
}

/** `text` as a filter: /REGEX/ is a regular expression, anything else a substring. */
export function parseFilter(text: string): RegExp {
  const m = /^\/(.+)\/$/.exec(text);
  try {
    return m ? new RegExp(m[1]) : new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  } catch (e) {
    throw new UserError(`--filter: not a valid regular expression (${(e as Error).message})`);
  }
}

/** The suites named, each once in the order given (a repeated suite would repeat benchmark ids). */
export function selectSuites(names: readonly string[], all: readonly Suite[]): Suite[] {
  return [
    ...new Set(
      names.map((name) => {
        const s = all.find((x) => x.name === name.trim());
        if (!s) throw new UserError(`--suite: unknown suite "${name}" (known: ${all.map((x) => x.name).join(", ")})`);
        return s;
      }),
    ),
  ];
}
