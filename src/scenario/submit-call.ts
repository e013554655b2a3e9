// One io_submit step made on a backend, its context and resfd already
// resolved: the same argument list for the scenario runner and the tests'
// lockstep pair.
import type { AioBackend, Resfd, SysResult } from "../contract/backend.js";
import { submitFaultAt, submitIoprio, submitIov, submitNbytes, type StepOf } from "../contract/scenario.js";

export function submitCall(b: AioBackend, s: StepOf<"io_submit">, ctx: number, resfd: Resfd): SysResult {
  const flags = { resfd, ioprio: submitIoprio(s) };
  return b.io_submit(ctx, s.count, s.cmd, s.data, s.fd ?? "rdwr", submitFaultAt(s), submitNbytes(s), s.offset, s.rw_flags, flags, submitIov(s));
}
