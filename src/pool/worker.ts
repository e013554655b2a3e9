// Pool worker entry (dist/src/pool/worker.js), loaded by piscina in a real
// worker thread. It instantiates what workerData names once, at load: the
// WASM core from the Module the main thread compiled (no recompiling), and
// for shared-ring mode the ring module over the shared memory. Then each
// task is one call into that state.
import { threadId } from "node:worker_threads";
import { workerData } from "piscina";
import { allowedCpus, pinThisThread } from "./affinity.js";
import { useCoreModule } from "../core/wasm.js";
import type { WorkerInit } from "./pool.js";
import { SharedRing } from "./shared-ring.js";
import type { ProduceTask, ReapTask, RingTaskResult, Task, WhereResult, WorkResult } from "./tasks.js";
import { Workload } from "./workload.js";

const init = workerData as WorkerInit;
// A pinned pool's threads take its CPUs in the order they load (a shared counter).
const pinnedTo = init.pin ? init.pin.cpus[Atomics.add(new Int32Array(init.pin.next), 0, 1) % init.pin.cpus.length] : null;
const pinError = pinnedTo === null ? null : pinThisThread(pinnedTo);
let workload: Workload | null = null;
if (init.core) {
  useCoreModule(init.core);
  workload = new Workload();
}
const ring = init.sharedRing ? SharedRing.attach(init.sharedRing) : null;

export default function run(task: Task): WorkResult | RingTaskResult | WhereResult | null {
  switch (task.kind) {
    case "noop":
      return null;
    case "where":
      return { thread: threadId, cpus: allowedCpus("thread-self"), pinnedTo, pinError };
    case "work": {
      if (!workload) throw new Error("this pool was started without the WASM core");
      const t0 = performance.now();
      const ops = workload.run(task);
      return { ops, busyNs: (performance.now() - t0) * 1e6, thread: threadId };
    }
    case "produce":
    case "reap":
      return ringTask(task);
    case "test-throw":
      throw new Error("test-throw: this task fails on purpose");
    case "test-exit":
      // Ends this worker thread (not the process): piscina rejects the task.
      process.exit(3);
  }
}

function ringTask(task: ProduceTask | ReapTask): RingTaskResult {
  if (!ring) throw new Error("this pool was started without a shared ring");
  const sleeps = ring.sleeps();
  const t0 = performance.now();
  const events = task.kind === "produce" ? ring.produce(task.producer, task.firstSeq, task.count) : ring.reap(task.reaper, task.max);
  return { events, busyNs: (performance.now() - t0) * 1e6, thread: threadId, sleeps: ring.sleeps() - sleeps };
}
