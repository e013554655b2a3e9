// One io_submit step made on a backend, its context, resfd and count (a
// repeat's "rest" made a number) already resolved: the same argument list
// for the scenario runner and the tests' lockstep pair.
import type { AioBackend, Resfd, SysResult } from "../contract/backend.js";
import { submitFaultAt, submitIoprio, submitIov, submitNbytes, type StepOf } from "../contract/scenario.js";

export function submitCall(b: AioBackend, s: StepOf<"io_submit">, ctx: number, resfd: Resfd, count: number): SysResult {
  const flags = { resfd, ioprio: submitIoprio(s) };
  return b.io_submit(ctx, count, s.cmd, s.data, s.fd ?? "rdwr", submitFaultAt(s), submitNbytes(s), s.offset, s.rw_flags, flags, submitIov(s));
}
