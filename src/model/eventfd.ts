// The eventfds of a process (fs/eventfd.c as io_submit's IOCB_FLAG_RESFD
// uses it): a 64-bit counter each completion adds 1 to, read in
// nonblocking mode. A forked child's descriptor table is a copy, so parent
// and child share every eventfd: the table is shared, not cloned.
import { fail, ok, type SysResult } from "../contract/backend.js";

interface Eventfd {
  count: number;
  semaphore: boolean;
}

export class Eventfds {
  private readonly fds: Eventfd[] = [];

  /** A new eventfd holding `initval`: its id. */
  create(initval: number, semaphore: boolean): number {
    return this.fds.push({ count: initval, semaphore }) - 1;
  }

  /** eventfd_signal once per completed block. The counts stay far below its ULLONG_MAX - 1 cap: initval is 32 bits. */
  signal(id: number, n: number): void {
    this.fds[id].count += n;
  }

  /** read(2): EAGAIN at 0 (nonblocking); else the count, which drops to 0, or for a semaphore 1, which it drops by. */
  read(id: number): SysResult & { value?: number } {
    const fd = this.fds[id];
    if (fd.count === 0) return fail("EAGAIN");
    const value = fd.semaphore ? 1 : fd.count;
    fd.count -= value;
    return { ...ok(8), value };
  }
}
