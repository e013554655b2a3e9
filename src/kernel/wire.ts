import { MAX_COUNT, MAX_NAMES, MAX_NR_EVENTS, MAX_STEPS } from "../../assembly/abi/limits.js";
import { ScenarioError } from "../contract/errors.js";
import type { AddrExpr, Scenario, Step } from "../contract/scenario.js";

/**
 * The probe's input (documented at the top of probe/probe.h): one line per
 * step, fields by position, names replaced by their index in `names`.
 * Encoding checks every field the probe relies on, so the probe never sees
 * a shape it would have to guess about.
 */
export interface Wire {
  text: string;
  names: string[];
}

/** The probe's buffers hold this many iocbs / events per call (its MAX_BATCH). */
export const MAX_BATCH = MAX_COUNT;
/** Sizes in pages are multiplied by the page size inside the probe. */
const MAX_PAGES = 2 ** 40;

export function encodeScenario(file: string, scenario: Scenario): Wire {
  const names: string[] = [];
  const fail = (step: number | null, field: string | null, msg: string): never => {
    throw new ScenarioError(file, step, field, msg);
  };
  if (!Array.isArray(scenario.steps)) fail(null, "steps", "must be an array");
  if (scenario.steps.length > MAX_STEPS) fail(null, "steps", `more than ${MAX_STEPS} steps`);

  const nameIndex = (i: number, field: string, v: unknown): number => {
    if (typeof v !== "string" || !/^[^\s+]+$/.test(v) || v === "bogus" || v === "0")
      fail(i, field, `a name must be a non-empty string without spaces or "+", and not "bogus" or "0"`);
    const name = v as string;
    let k = names.indexOf(name);
    if (k < 0) {
      if (names.length === MAX_NAMES) fail(i, field, `more than ${MAX_NAMES} names`);
      k = names.push(name) - 1;
    }
    return k;
  };
  const optName = (i: number, field: string, v: unknown): string => (v === undefined ? "-" : String(nameIndex(i, field, v)));
  const int = (i: number, field: string, v: unknown, lo: number, hi: number): string => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) fail(i, field, `must be an integer in [${lo}, ${hi}]`);
    return String(v);
  };
  const addr = (i: number, field: string, v: AddrExpr | undefined): string => {
    if (v === 0) return "0";
    if (v === "bogus") return "bogus";
    const m = typeof v === "string" ? /^([^\s+]+)(?:\+(\d+)(b?))?$/.exec(v) : null;
    if (m === null) fail(i, field, `not an address: ${JSON.stringify(v)} (NAME, NAME+K, NAME+1b, 0 or "bogus")`);
    const [, name, k, bytes] = m as RegExpExecArray;
    // A name not bound at this point is reported by the probe when reached:
    // binding depends on whether earlier steps succeeded.
    const idx = nameIndex(i, field, name);
    const n = k === undefined ? 0 : Number(k);
    if (!Number.isSafeInteger(n) || n > MAX_PAGES) fail(i, field, "offset too large");
    return bytes ? `N${idx}+0+${n}` : `N${idx}+${n}+0`;
  };

  const line = (i: number, s: Step): string => {
    switch (s.op) {
      case "io_setup":
        if (s.ctxp !== undefined && s.ctxp !== "nonzero") fail(i, "ctxp", `must be "nonzero" if given`);
        return `io_setup ${int(i, "nr_events", s.nr_events, 0, MAX_NR_EVENTS)} ${optName(i, "name", s.name)} ${s.ctxp ? 1 : 0}`;
      case "io_destroy":
        return `io_destroy ${addr(i, "ctx", s.ctx)}`;
      case "io_submit":
        if (!["pread", "pwrite", "bad"].includes(s.cmd)) fail(i, "cmd", `must be "pread", "pwrite" or "bad"`);
        if (s.fd !== undefined && s.fd !== "bad") fail(i, "fd", `must be "bad" if given`);
        return `io_submit ${addr(i, "ctx", s.ctx)} ${int(i, "count", s.count, -(2 ** 31), MAX_BATCH)} ${s.cmd} ${int(i, "data", s.data, 0, Number.MAX_SAFE_INTEGER - MAX_BATCH)} ${s.fd === "bad" ? "bad" : "ok"}`;
      case "io_getevents":
        return `io_getevents ${addr(i, "ctx", s.ctx)} ${int(i, "min_nr", s.min_nr, -(2 ** 31), MAX_BATCH)} ${int(i, "nr", s.nr, -(2 ** 31), MAX_BATCH)} ${s.timeout_ns === null ? "null" : int(i, "timeout_ns", s.timeout_ns, -(2 ** 53), 2 ** 53)}`;
      case "user_reap":
        return `user_reap ${addr(i, "ctx", s.ctx)} ${int(i, "max", s.max, 0, MAX_BATCH)}`;
      case "ring":
        return `ring ${addr(i, "ctx", s.ctx)}`;
      case "mmap":
        return `mmap ${int(i, "pages", s.pages, 0, MAX_PAGES)} ${nameIndex(i, "name", s.name)}`;
      case "munmap":
        return `munmap ${addr(i, "addr", s.addr)} ${int(i, "pages", s.pages, 0, MAX_PAGES)}`;
      case "mremap":
        return `mremap ${addr(i, "addr", s.addr)} ${int(i, "old_pages", s.old_pages, 0, MAX_PAGES)} ${int(i, "new_pages", s.new_pages, 0, MAX_PAGES)} ${s.to === undefined ? "-" : addr(i, "to", s.to)} ${optName(i, "name", s.name)}`;
      case "fork_mremap":
        return `fork_mremap ${addr(i, "addr", s.addr)} ${int(i, "pages", s.pages, 0, MAX_PAGES)} ${addr(i, "to", s.to)}`;
      case "page":
        return `page ${addr(i, "addr", s.addr)}`;
      default:
        return fail(i, "op", `unknown op ${JSON.stringify((s as { op?: unknown }).op)}`);
    }
  };

  const text = scenario.steps.map((s, i) => {
    if (typeof s !== "object" || s === null) fail(i, null, "a step must be an object");
    return line(i, s) + "\n";
  });
  return { text: text.join(""), names };
}
