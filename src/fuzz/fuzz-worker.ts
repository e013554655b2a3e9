// Worker thread entry of the kernel fuzzer (dist/src/fuzz/fuzz-worker.js,
// loaded by piscina): a slice of programs generated, run on the kernel
// through this thread's own probes and compared with the project's models.
import { runSlice, type SliceResult, type SliceTask } from "./kernel-fuzz.js";

export default function run(task: SliceTask): Promise<SliceResult> {
  return runSlice(task);
}
