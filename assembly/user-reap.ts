// libaio-style reaping (src/model/aio.ts user_reap): everything through the
// user mapping at `addr`, no syscall, as user space reads the ring itself.
// It needs only the address space, not the kernel's contexts.
import { EFAULT, EINVAL } from "./errno";
import { AddressSpace, PAGE_SHIFT, PAGE_SIZE } from "./mm";
import { AIO_RING_HEADER, AIO_RING_INCOMPAT_FEATURES, AIO_RING_MAGIC, IO_EVENT_SIZE, RING_HEAD, RING_INCOMPAT, RING_MAGIC, RING_NR, RING_TAIL, nextSlot } from "./ring";
import { sink, sink_run } from "./sink";

/** Events reaped (their user data to the sink), or -errno. */
export function user_reap(mm: AddressSpace, addr: i64, max: i32): i32 {
  const magic = mm.readU32(addr + RING_MAGIC);
  const incompat = mm.readU32(addr + RING_INCOMPAT);
  const nr = mm.readU32(addr + RING_NR);
  const headField = mm.readU32(addr + RING_HEAD);
  const tailField = mm.readU32(addr + RING_TAIL);
  if (magic < 0 || incompat < 0 || nr < 0 || headField < 0 || tailField < 0) return -EFAULT;
  // A head or tail past the ring is not one the kernel wrote: the reaper refuses it, as libaio's checks do.
  if (magic != AIO_RING_MAGIC || incompat != AIO_RING_INCOMPAT_FEATURES || nr == 0 || headField >= nr || tailField >= nr) return -EINVAL;
  let head = <u32>headField;
  const tail = <u32>tailField;
  const slots = <u32>nr;
  let count = 0;
  while (head != tail && count < max) {
    const at = addr + AIO_RING_HEADER + <i64>head * IO_EVENT_SIZE;
    const off = at & (PAGE_SIZE - 1);
    if (head < slots && off <= PAGE_SIZE - 8) {
      // A run of events: as many as have their data in this page, up to
      // the tail or the ring's end, and `max`. One translation per run.
      const ptr = mm.pageForRead(at >> PAGE_SHIFT);
      if (!ptr) return -EFAULT;
      const inPage = <u32>((PAGE_SIZE - 8 - off) / IO_EVENT_SIZE) + 1;
      const toEnd = tail > head ? min(tail, slots) - head : slots - head;
      const n = min(min(inPage, toEnd), <u32>(max - count));
      sink_run(ptr + <usize>off, n, IO_EVENT_SIZE);
      count += n;
      head += n;
      if (head == slots) head = 0;
      continue;
    }
    // A head past the ring (forged), or data straddling two pages: one
    // event, read as the model's readU64 does (two u32 reads).
    const lo = mm.readU32(at);
    const hi = mm.readU32(at + 4);
    if (lo < 0 || hi < 0) return -EFAULT;
    sink((<u64>hi << 32) | <u64>lo);
    count++;
    head = nextSlot(head, slots);
  }
  if (!mm.writeU32(addr + RING_HEAD, head)) return -EFAULT;
  return count;
}
