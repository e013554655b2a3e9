/**
 * `runBench` for the library: every option has the default `npm run bench`
 * has, and suites can be named. The harness's own runner
 * (src/bench/runner.ts) takes every option spelled out.
 */
import { SUITES } from "../../bench/index.js";
import { runBench as runSuites, type BenchRun, type RunOptions } from "../bench/runner.js";
import { defaultTimeMs, parseFilter, selectSuites } from "../bench/selection.js";
import { UserError } from "../contract/errors.js";
import type { Suite } from "../contract/suite.js";

/** Options of {@link runBench}; each may be left out. */
export interface BenchOptions extends Partial<Omit<RunOptions, "suites" | "filter">> {
  /** The suites to run, as Suite objects or by name ("ring", "lookup", ...); default: every suite, as `npm run bench`. */
  suites?: readonly (Suite | string)[];
  /** Only benchmarks whose id contains this text, or matches this RegExp ("/REGEX/" as text is one too); default: all. */
  filter?: RegExp | string | null;
}

/** The runner's options for `options`, with the CLI's defaults (time budget 250 ms per benchmark, 60 with quick, 400 with full). */
export function benchRunOptions(options: BenchOptions = {}): RunOptions {
  const { suites, filter, ...rest } = options;
  if (rest.quick && rest.full) throw new UserError("quick and full cannot be combined");
  const names = suites?.filter((s): s is string => typeof s === "string") ?? [];
  const named = selectSuites(names, SUITES);
  return {
    ...rest,
    suites: suites === undefined ? [...SUITES] : suites.map((s) => (typeof s === "string" ? named.find((n) => n.name === s.trim())! : s)),
    filter: filter === undefined || filter === null ? null : typeof filter === "string" ? parseFilter(filter) : filter,
    quick: rest.quick ?? false,
    full: rest.full ?? false,
    sizes: rest.sizes ?? null,
    timeMs: rest.timeMs ?? defaultTimeMs(rest),
  };
}

/**
 * Runs benchmark suites into a run document, as `npm run bench` does (its
 * tables are renderRunTable's). `await runBench({})` runs every
 * suite with the defaults; `runBench({ suites: ["ring"], quick: true })`
 * one suite's quick subset.
 */
export function runBench(options: BenchOptions = {}): Promise<BenchRun> {
  return runSuites(benchRunOptions(options));
}
