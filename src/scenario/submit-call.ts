// One io_submit step made on a backend, its context, resfd and count (a
// repeat's "rest" made a number) already resolved: the same options for the
// scenario runner and the tests' lockstep pair.
import type { AioBackend, Resfd, SysResult } from "../contract/backend.js";
import { submitFaultAt, submitIoprio, submitIov, submitNbytes, type StepOf } from "../contract/scenario.js";

export function submitCall(b: AioBackend, s: StepOf<"io_submit">, ctx: number, resfd: Resfd, count: number): SysResult {
  return b.io_submit(ctx, count, s.cmd, s.data, {
    fd: s.fd,
    faultAt: submitFaultAt(s),
    nbytes: submitNbytes(s),
    offset: s.offset,
    rwFlags: s.rw_flags,
    resfd,
    ioprio: submitIoprio(s),
    iov: submitIov(s),
  });
}
