// Suite `getevents`: io_getevents with a zero timeout on an empty ring,
// min_nr 1. From 3.19 it returns at once; before, it armed a timer and
// slept until it fired. Model rows run each profile's path (the legacy one
// waits on a real host timer); kernel rows time the live kernel with a zero
// timeout and with a 1 ns timeout, which still takes the timer path, beside a
// null system call (getppid), the floor of any call. Native rows run the same
// zero-timeout read (lookup, head/tail, nothing to copy) as C, in every
// anchor build (bench/native-case.ts).
import { WasmProcess } from "../src/core/wasm-backend.js";
import { AioProcess } from "../src/model/aio.js";
import { setupRingSlots } from "../src/contract/geometry.js";
import { PROFILES } from "../src/contract/profile.js";
import type { BenchCase, Headline, Suite, SuiteOptions, SuiteResult } from "../src/contract/suite.js";
import { countInstructions } from "../src/core/instruction-count.js";
import { defaultWasmBuild } from "../src/core/wasm-build.js";
import type { ProfileName } from "../src/contract/scenario.js";
import { formatNs } from "../src/report/format.js";
import { isMeasured, medianInterval, paramsText, TIME_AXIS } from "../src/report/suite-charts.js";
import type { RunResult } from "../src/contract/run-document.js";
import { kernelCase } from "./kernel-case.js";
import { bestLine, bestNative, DEFAULT_BUILDS, nativeCases } from "./native-case.js";
import { find, headline, ratioLine } from "./ratio.js";

const CONFIG = { cpus: 2, aio_max_nr: 65536, aio_nr: 0, zero_page: true };

function modelCase(profile: ProfileName, path: string, reference = false): BenchCase {
  const model = new AioProcess(PROFILES[profile], CONFIG);
  const ctx = model.io_setup(1, "zero").ctx;
  return {
    kind: "timed",
    case: `model-${path}`,
    backend: "model",
    params: { profile, timeout_ns: 0 },
    reference,
    run(n) {
      for (let i = 0; i < n; i++) model.io_getevents(ctx, 1, 1, 0);
    },
  };
}

/** Calls per instruction count: the timer path sleeps on a real timer per call. */
const COUNTED_CALLS = 64;

function wasmCase(opts: SuiteOptions, profile: ProfileName, path: string): BenchCase {
  const build = opts.wasm ?? defaultWasmBuild();
  const wasm = new WasmProcess(PROFILES[profile], CONFIG, build.core);
  const ctx = wasm.io_setup(1, "zero").ctx;
  return {
    kind: "timed",
    case: `wasm-${path}`,
    backend: "wasm",
    params: { profile, timeout_ns: 0 },
    run: (n) => void wasm.getEventsZeroTimeout(ctx, n),
    instructions() {
      const counted = new WasmProcess(PROFILES[profile], CONFIG, build.countedCore);
      const cctx = counted.io_setup(1, "zero").ctx;
      counted.getEventsZeroTimeout(cctx, 1);
      return countInstructions(counted.exports, () => counted.getEventsZeroTimeout(cctx, COUNTED_CALLS)) / COUNTED_CALLS;
    },
  };
}

/**
 * The kernel's zero-timeout call can be no cheaper than entering the kernel
 * at all, and that cost varies by machine (PTI, nested virtualisation): the
 * ratio line names it, so a missed target can be read against its floor.
 */
function withSyscallFloor(line: Headline, nullSyscall: SuiteResult | undefined): Headline {
  if (nullSyscall?.median == null) return line;
  return { ...line, text: `${line.text}; a null syscall takes ${formatNs(nullSyscall.median)} here` };
}

export const geteventsSuite: Suite = {
  name: "getevents",
  description: "io_getevents, zero timeout, empty ring: 3.19 fast path vs the timer-armed path",
  wasmModule: "core",
  async cases(opts) {
    return [
      modelCase("mainline", "fast", true),
      modelCase("v3.18", "timer"),
      wasmCase(opts, "mainline", "fast"),
      wasmCase(opts, "v3.18", "timer"),
      kernelCase("kernel-timeout-0", { timeout_ns: 0 }, "getevents", { timeout_ns: 0, min_nr: 1 }, 400),
      kernelCase("kernel-timeout-1ns", { timeout_ns: 1 }, "getevents", { timeout_ns: 1, min_nr: 1 }, 90_000),
      kernelCase("kernel-null-syscall", {}, "syscall", {}, 400),
      ...nativeCases(
        "native-read",
        { profile: "mainline", timeout_ns: 0 },
        "ring-getevents",
        { nr: setupRingSlots(1, CONFIG.cpus) },
        3,
        opts.full ? null : DEFAULT_BUILDS.getevents,
      ),
    ];
  },
  summary(results) {
    const fast = find(results, "wasm-fast");
    const line =
      fast?.median != null
        ? headline(`getevents: WASM zero-timeout fast path: ${formatNs(fast.median)}/call`, fast.median, { op: "<=", bound: 50, unit: " ns" })
        : { text: "getevents: WASM fast path not measured", target: "<= 50 ns", met: null };
    return [
      line,
      bestLine("getevents: WASM / fastest native read", fast, bestNative(results, "native-read"), { op: "<=", bound: 1.5 }),
      ratioLine("getevents: model timer path / fast path (WASM)", find(results, "wasm-timer"), fast, { op: ">=", bound: 100 }),
      ratioLine("getevents: model timer path / fast path (TS)", find(results, "model-timer"), find(results, "model-fast"), { op: ">=", bound: 100 }),
      withSyscallFloor(
        ratioLine("getevents: kernel 1 ns timeout / zero timeout", find(results, "kernel-timeout-1ns"), find(results, "kernel-timeout-0"), {
          op: ">=",
          bound: 100,
        }),
        find(results, "kernel-null-syscall"),
      ),
    ];
  },
  report: {
    title: "io_getevents: zero timeout vs timer path",
    nav: "io_getevents",
    intro:
      "Median time per io_getevents call for each case (with its parameters) and backend, as dots on a log scale with the 95% interval of each: a zero timeout returns at once on current kernels, older ones arm a timer and sleep until it fires.",
    section(results) {
      const measured = results.filter(isMeasured).filter((r) => r.stats.median > 0);
      const category = (r: RunResult) => (paramsText(r.params) ? `${r.case} (${paramsText(r.params)})` : r.case);
      const series = [...new Set(measured.map((r) => r.backend))].map((backend) => ({
        label: backend,
        points: measured.filter((r) => r.backend === backend).map((r) => ({ x: category(r), ...medianInterval(r) })),
      }));
      return {
        chart: series.length
          ? {
              title: "io_getevents: zero timeout vs timer path",
              kind: "points",
              x: { title: "case" },
              y: { title: `${TIME_AXIS}, log scale`, log: true },
              series,
            }
          : null,
      };
    },
  },
};
