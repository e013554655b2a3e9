// One io_submit step made on a backend, its context, resfd and count (a
// repeat's "rest" made a number) already resolved: the same options for the
// scenario runner and the tests' lockstep pair.
import type { AioBackend, IoFd, Resfd, SysResult } from "../contract/backend.js";
import { submitFaultAt, submitIoprio, submitIov, submitNbytes, type StepOf } from "../contract/scenario.js";

/** `fd`: the step's fd resolved (a pipe end's id), undefined for the read-write test file; `step`: the step's index, which names its blocks. */
export function submitCall(b: AioBackend, s: StepOf<"io_submit">, ctx: number, resfd: Resfd, count: number, fd?: IoFd, step = -1): SysResult {
  return b.io_submit(ctx, count, s.cmd, s.data, {
    fd,
    events: s.events,
    step,
    faultAt: submitFaultAt(s),
    nbytes: submitNbytes(s),
    offset: s.offset,
    rwFlags: s.rw_flags,
    resfd,
    ioprio: submitIoprio(s),
    iov: submitIov(s),
  });
}
