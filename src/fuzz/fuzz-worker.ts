// Worker thread entry of the kernel fuzzer (dist/src/fuzz/fuzz-worker.js,
// loaded by piscina): slices of programs made here, run on the kernel
// through this thread's own probes, which stay up from one slice to the
// next, and compared with the project's models.
import { runSlice, type SliceResult, type SliceTask } from "./kernel-fuzz.js";
import { KernelLanes } from "./probe-lanes.js";

let lanes: KernelLanes | null = null;

export default async function run(task: SliceTask): Promise<SliceResult> {
  lanes ??= new KernelLanes(task.lanes);
  const port = task.progress;
  try {
    return await runSlice(task, lanes, undefined, port && (() => port.postMessage(1)));
  } finally {
    port?.close();
  }
}
