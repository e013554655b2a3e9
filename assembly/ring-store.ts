// User space's stores into a mapped ring and reads of its event slots, as
// CRIU's dump and restore make them (src/model/aio.ts store_head): through
// the mappings at `addr`, no syscall. Stores land only in ring pages; other
// memory refuses them with EINVAL (anonymous pages are `fill`'s, which
// stops at a ring: the two never write the same page, FINDINGS 52).
import { EFAULT, EINVAL } from "./errno";
import { AddressSpace, KIND_AIO, PAGE_SHIFT } from "./mm";
import { AIO_RING_HEADER, IO_EVENT_SIZE, RING_HEAD } from "./ring";
import { record } from "./sink";

/** 0 when the `len` bytes at `addr` are ring bytes; -EFAULT: a page unmapped or past its ring; -EINVAL: other memory. */
function storeTarget(mm: AddressSpace, addr: i64, len: i64): i32 {
  const first = addr >> PAGE_SHIFT;
  const last = (addr + len - 1) >> PAGE_SHIFT;
  const a = mm.find(first);
  const b = mm.find(last);
  if (!a || !b) return -EFAULT;
  if (a.kind != KIND_AIO || b.kind != KIND_AIO) return -EINVAL;
  if (!mm.pageForWrite(first) || !mm.pageForWrite(last)) return -EFAULT;
  return 0;
}

/** Stores `head` into the header of the ring mapped at `addr`: 0 or -errno. */
export function store_head(mm: AddressSpace, addr: i64, head: u32): i32 {
  const at = addr + RING_HEAD;
  const r = storeTarget(mm, at, 4);
  if (r) return r;
  mm.writeU32(at, head);
  return 0;
}

/** Stores struct io_event {data, obj 0, res, res2} into slot `slot` of the ring mapped at `addr`: 0 or -errno. */
export function store_event(mm: AddressSpace, addr: i64, slot: i64, data: u64, res: i64, res2: i64): i32 {
  const at = addr + AIO_RING_HEADER + slot * IO_EVENT_SIZE;
  const r = storeTarget(mm, at, IO_EVENT_SIZE);
  if (r) return r;
  const words: u64[] = [data, 0, <u64>res, <u64>res2];
  for (let i = 0; i < 4; i++) {
    const w = unchecked(words[i]);
    mm.writeU32(at + i * 8, <u32>w);
    mm.writeU32(at + i * 8 + 4, <u32>(w >> 32));
  }
  return 0;
}

/** Reads `count` events from slot `slot` on (no wrap) through the mapping at `addr`: count, with (data, res, res2) of each in scratch, or -EFAULT. */
export function ring_events(mm: AddressSpace, addr: i64, slot: i64, count: i32): i32 {
  for (let k = 0; k < count; k++) {
    const at = addr + AIO_RING_HEADER + (slot + k) * IO_EVENT_SIZE;
    const w = [at, at + 16, at + 24];
    for (let i = 0; i < 3; i++) {
      const lo = mm.readU32(unchecked(w[i]));
      const hi = mm.readU32(unchecked(w[i]) + 4);
      if (lo < 0 || hi < 0) return -EFAULT;
      const v = (hi << 32) | lo;
      // data is unsigned, res and res2 signed (struct io_event).
      record(i == 0 ? <f64>(<u64>v) : <f64>v);
    }
  }
  return count;
}
