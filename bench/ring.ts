// Suite `ring`: submit + complete + reap per event. The WASM core called in
// batches, the same loop run entirely inside WASM, the TS model, the live
// kernel (io_submit + user-space reap) and a native C loop over the same
// ring layout.
import { WasmProcess } from "../src/core/wasm-backend.js";
import { AioProcess } from "../src/model/aio.js";
import { setupRingSlots } from "../src/contract/geometry.js";
import { PROFILES } from "../src/contract/profile.js";
import type { BenchCase, Suite } from "../src/bench/suite.js";
import { kernelCase } from "./kernel-case.js";
import { find, ratioLine } from "./ratio.js";

/** Events per submit/reap call: one JS call covers this many events. */
const BATCH = 256;
/** 1000 events -> a 2047-slot ring: room for a whole batch at any head. */
const NR_EVENTS = 1000;
const CONFIG = { cpus: 2, aio_max_nr: 65536, aio_nr: 0 };

export const ringSuite: Suite = {
  name: "ring",
  description: "submit + complete + reap, ns per event",
  async cases() {
    const params = { batch: BATCH };
    const wasm = new WasmProcess(PROFILES.mainline, CONFIG);
    const wctx = wasm.io_setup(NR_EVENTS, false).ctx;
    const loop = new WasmProcess(PROFILES.mainline, CONFIG);
    const lctx = loop.io_setup(NR_EVENTS, false).ctx;
    const model = new AioProcess(PROFILES.mainline, CONFIG);
    const mctx = model.io_setup(NR_EVENTS, false).ctx;
    const rounds = (n: number, round: (b: number) => void) => {
      for (let done = 0; done < n; done += BATCH) round(Math.min(BATCH, n - done));
    };
    const cases: BenchCase[] = [
      {
        kind: "timed", case: "wasm-batch", backend: "wasm", params, reference: true,
        run: (n) => rounds(n, (b) => {
          wasm.submitBatch(wctx, b, 0);
          wasm.reapBatch(wctx, b);
        }),
      },
      { kind: "timed", case: "wasm-loop", backend: "wasm", params, run: (n) => void loop.ringLoop(lctx, n, BATCH) },
      {
        kind: "timed", case: "ts-model", backend: "model", params,
        run: (n) => rounds(n, (b) => {
          model.io_submit(mctx, b, "pread", 0, false);
          model.user_reap(mctx, b);
        }),
      },
      kernelCase("kernel-submit-reap", params, "submit-reap", { batch: BATCH }, 500),
      kernelCase("native-c", params, "ring", { nr: setupRingSlots(NR_EVENTS, CONFIG.cpus), batch: BATCH }, 2),
    ];
    return cases;
  },
  summary(results) {
    const wasm = find(results, "wasm-batch");
    return [
      ratioLine("ring: TS model / WASM batch", find(results, "ts-model"), wasm, ">= 2.5x"),
      ratioLine("ring: WASM batch / native C", wasm, find(results, "native-c"), "<= 1.15x"),
      ratioLine("ring: WASM batch / in-WASM loop", wasm, find(results, "wasm-loop"), "<= 1.10x"),
      ratioLine("ring: kernel io_submit+user reap / WASM batch", find(results, "kernel-submit-reap"), wasm, "for scale"),
    ];
  },
};
