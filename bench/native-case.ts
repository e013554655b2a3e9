// Native anchor rows: one of the probe's own C loops (no kernel call) timed
// in every build scripts/build-anchors.mjs made (gcc and clang at -O2, -O3,
// -O3 -march=native), each a row named by its `build` parameter, with the
// compiler, version and flags in the run JSON; a build that is missing is a
// row that says why. Headlines pick rows by build (sameWidth, best).
import { buildText, loadAnchors, type Anchor } from "../src/kernel/anchors.js";
import type { KernelLoop, KernelTimingParams } from "../src/kernel/probe.js";
import type { BenchCase, Headline, Params, SuiteResult } from "../src/contract/suite.js";
import { probeRound } from "./kernel-case.js";
import { ratioLine, targetText, type Target } from "./ratio.js";

/** The build with WASM's vector width: generic x86-64 at -O3 vectorises with 128-bit SSE, as v128. */
export const SAME_WIDTH_BUILD = "gcc-O3";
/** The build the second ring target names: every vector unit of this CPU. */
export const NATIVE_ARCH_BUILD = "gcc-O3-native";
/**
 * Builds a default run times (--full: all six), to keep the output short:
 * the headlines' two, the fastest here (clang -march=native) and, for the
 * ring, the -O2 anchor runs before had.
 */
export const DEFAULT_BUILDS = {
  ring: ["gcc-O2", SAME_WIDTH_BUILD, NATIVE_ARCH_BUILD, "clang-O3-native"],
  getevents: [SAME_WIDTH_BUILD, NATIVE_ARCH_BUILD, "clang-O3-native"],
} as const;

function anchorCase(a: Anchor, name: string, params: Params, loop: KernelLoop, timing: KernelTimingParams, nsPerOp: number): BenchCase {
  const base = { case: name, params: { ...params, build: a.name }, backend: "native", build: { compiler: a.compiler, version: a.version, flags: a.flags } };
  if (a.path === null) return { ...base, kind: "unavailable", reason: a.unavailable ?? "not built" };
  return { ...base, kind: "rounds", round: probeRound(loop, timing, nsPerOp, a.path) };
}

/** One row per anchor build of `loop` named in `builds` (null: every build); without anchors at all, one row saying why. */
export function nativeCases(
  name: string,
  params: Params,
  loop: KernelLoop,
  timing: KernelTimingParams,
  nsPerOp: number,
  builds: readonly string[] | null = null,
): BenchCase[] {
  const { anchors, reason } = loadAnchors();
  if (reason !== null) return [{ case: name, params: { ...params, build: "none" }, backend: "native", kind: "unavailable", reason }];
  return anchors.filter((a) => builds === null || builds.includes(a.name)).map((a) => anchorCase(a, name, params, loop, timing, nsPerOp));
}

/** The rows of `name` with a median. */
export function measuredNative(results: SuiteResult[], name: string): SuiteResult[] {
  return results.filter((r) => r.case === name && r.backend === "native" && r.median !== null);
}

/** The fastest measured build of `name`, if any. */
export function bestNative(results: SuiteResult[], name: string): SuiteResult | undefined {
  return measuredNative(results, name).reduce<SuiteResult | undefined>((best, r) => (best && best.median! <= r.median! ? best : r), undefined);
}

/** The row of `name` built as `build`. */
export function nativeRow(results: SuiteResult[], name: string, build: string): SuiteResult | undefined {
  return results.find((r) => r.case === name && r.backend === "native" && r.params.build === build);
}

/** "gcc -O3 -march=native" for a row, or its build name when the run JSON lacks the build. */
export function rowBuildText(r: SuiteResult): string {
  return r.build ? buildText(r.build) : String(r.params.build);
}

/** "label (gcc -O3 -march=native): ratio": WASM against the fastest build, named. */
export function bestLine(label: string, wasm: SuiteResult | undefined, best: SuiteResult | undefined, target: Target | null = null): Headline {
  if (!best)
    return { text: `${label}: not measured (no native build was measured)`, ...(target ? { target: targetText({ unit: "x", ...target }), met: null } : {}) };
  return ratioLine(`${label} (${rowBuildText(best)})`, wasm, best, target);
}
