// The eventfds of the modelled process (fs/eventfd.c as io_submit's
// IOCB_FLAG_RESFD uses it): a 64-bit counter each completion adds 1 to,
// read in nonblocking mode. A forked child's descriptor table is a copy, so
// parent and child share the table (AioProcess.fork).
import { EAGAIN } from "./errno";

export class Eventfds {
  private counts: u64[] = [];
  private semaphores: bool[] = [];

  /** A new eventfd holding `initval`: its id. */
  create(initval: u64, semaphore: bool): i32 {
    this.semaphores.push(semaphore);
    return this.counts.push(initval) - 1;
  }

  /** eventfd_signal once per completed block. The counts stay far below its cap: initval is 32 bits. */
  signal(id: i32, n: i32): void {
    this.counts[id] += <u64>n;
  }

  /** read(2): -EAGAIN at 0 (nonblocking); else the count, which drops to 0, or for a semaphore 1, which it drops by. */
  read(id: i32): i64 {
    const count = this.counts[id];
    if (!count) return -EAGAIN;
    const value: u64 = this.semaphores[id] ? 1 : count;
    this.counts[id] = count - value;
    return <i64>value;
  }
}
