// The struct aio_ring header as io_setup leaves it, written into linear
// memory: shared by the core's rings (ring.ts) and the lookup world's
// one-page rings (lookup/context-set.ts), both byte for byte the kernel's.
import {
  AIO_RING_COMPAT_FEATURES, AIO_RING_HEADER, AIO_RING_INCOMPAT_FEATURES, AIO_RING_MAGIC,
  RING_COMPAT, RING_HEAD, RING_HEADER_LENGTH, RING_ID, RING_INCOMPAT, RING_MAGIC, RING_NR, RING_TAIL,
} from "./abi/ring";

/** A fresh header at `base`: id, nr, head = tail = 0, and the kernel's magic, features and header length. */
@inline export function writeRingHeader(base: usize, id: u32, nr: u32): void {
  store<u32>(base + RING_ID, id);
  store<u32>(base + RING_NR, nr);
  store<u32>(base + RING_HEAD, 0);
  store<u32>(base + RING_TAIL, 0);
  store<u32>(base + RING_MAGIC, AIO_RING_MAGIC);
  store<u32>(base + RING_COMPAT, AIO_RING_COMPAT_FEATURES);
  store<u32>(base + RING_INCOMPAT, AIO_RING_INCOMPAT_FEATURES);
  store<u32>(base + RING_HEADER_LENGTH, AIO_RING_HEADER);
}
