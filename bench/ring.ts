// Suite `ring`: submit + complete + reap per event. The WASM core called in
// batches, the same loop run entirely inside WASM, the TS model, the live
// kernel (io_submit + user-space reap) and a native C loop over the same
// ring layout, built each way a performance engineer would (bench/native-case.ts).
import { WasmProcess } from "../src/core/wasm-backend.js";
import { AioProcess } from "../src/model/aio.js";
import { setupRingSlots } from "../src/contract/geometry.js";
import { PROFILES } from "../src/contract/profile.js";
import type { BenchCase, Suite } from "../src/contract/suite.js";
import { countInstructions } from "../src/core/instruction-count.js";
import { defaultWasmBuild } from "../src/core/wasm-build.js";
import { kernelCase } from "./kernel-case.js";
import { bestLine, bestNative, DEFAULT_BUILDS, nativeCases, nativeRow, NATIVE_ARCH_BUILD, SAME_WIDTH_BUILD } from "./native-case.js";
import { find, ratioLine } from "./ratio.js";

/** Events per submit/reap call: one JS call covers this many events. */
const BATCH = 256;
/** 1000 events -> a 2047-slot ring: room for a whole batch at any head. */
const NR_EVENTS = 1000;
const CONFIG = { cpus: 2, aio_max_nr: 65536, aio_nr: 0, zero_page: true };
/** Events per instruction count. */
const COUNTED_EVENTS = 8 * BATCH;

/** WASM instructions per event of `work(process, ctx, events)` on a fresh counted core (one warm-up call first). */
function perEvent(module: WebAssembly.Module, work: (p: WasmProcess, ctx: number, events: number) => void): number {
  const p = new WasmProcess(PROFILES.mainline, CONFIG, module);
  const ctx = p.io_setup(NR_EVENTS, "zero").ctx;
  work(p, ctx, BATCH);
  return countInstructions(p.exports, () => work(p, ctx, COUNTED_EVENTS)) / COUNTED_EVENTS;
}

export const ringSuite: Suite = {
  name: "ring",
  description: "submit + complete + reap, ns per event",
  wasmModule: "core",
  async cases(opts) {
    const params = { batch: BATCH };
    const build = opts.wasm ?? defaultWasmBuild();
    const wasm = new WasmProcess(PROFILES.mainline, CONFIG, build.core);
    const wctx = wasm.io_setup(NR_EVENTS, "zero").ctx;
    const loop = new WasmProcess(PROFILES.mainline, CONFIG, build.core);
    const lctx = loop.io_setup(NR_EVENTS, "zero").ctx;
    const model = new AioProcess(PROFILES.mainline, CONFIG);
    const mctx = model.io_setup(NR_EVENTS, "zero").ctx;
    // Plain loops, one per row: a helper taking each row's round as a
    // closure made that call site polymorphic, and V8's call per round
    // cost the batch row 12% (1.16x the in-WASM loop instead of 1.04x).
    const batchEvents = (p: WasmProcess, ctx: number, n: number) => {
      for (let done = 0; done < n; done += BATCH) {
        const b = Math.min(BATCH, n - done);
        p.submitBatch(ctx, b, 0);
        p.reapBatch(ctx, b);
      }
    };
    const cases: BenchCase[] = [
      {
        kind: "timed",
        case: "wasm-batch",
        backend: "wasm",
        params,
        reference: true,
        run: (n) => batchEvents(wasm, wctx, n),
        instructions: () => perEvent(build.countedCore, batchEvents),
      },
      {
        kind: "timed",
        case: "wasm-loop",
        backend: "wasm",
        params,
        run: (n) => void loop.ringLoop(lctx, n, BATCH),
        instructions: () => perEvent(build.countedCore, (p, ctx, n) => void p.ringLoop(ctx, n, BATCH)),
      },
      {
        kind: "timed",
        case: "ts-model",
        backend: "model",
        params,
        run(n) {
          for (let done = 0; done < n; done += BATCH) {
            const b = Math.min(BATCH, n - done);
            model.io_submit(mctx, b, "pread", 0);
            model.user_reap(mctx, b);
          }
        },
      },
      kernelCase("kernel-submit-reap", params, "submit-reap", { batch: BATCH }, 500),
      ...nativeCases("native-c", params, "ring", { nr: setupRingSlots(NR_EVENTS, CONFIG.cpus), batch: BATCH }, 1, opts.full ? null : DEFAULT_BUILDS.ring),
    ];
    return cases;
  },
  summary(results) {
    const wasm = find(results, "wasm-batch");
    const best = bestNative(results, "native-c");
    // The fastest build gets its own line only when no target line already names it.
    const bestNamed = best !== undefined && [SAME_WIDTH_BUILD, NATIVE_ARCH_BUILD].includes(String(best.params.build));
    return [
      ratioLine("ring: TS model / WASM batch", find(results, "ts-model"), wasm, { op: ">=", bound: 2.5 }),
      ratioLine("ring: WASM batch / gcc -O3 (128-bit vectors, as WASM)", wasm, nativeRow(results, "native-c", SAME_WIDTH_BUILD), {
        op: "<=",
        bound: 1.15,
      }),
      ratioLine("ring: WASM batch / gcc -O3 -march=native", wasm, nativeRow(results, "native-c", NATIVE_ARCH_BUILD), { op: "<=", bound: 1.4 }),
      ...(bestNamed ? [] : [bestLine("ring: WASM batch / fastest native C", wasm, best)]),
      ratioLine("ring: WASM batch / in-WASM loop", wasm, find(results, "wasm-loop"), { op: "<=", bound: 1.1 }),
    ];
  },
};
