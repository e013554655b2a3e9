// The struct aio_ring header as io_setup leaves it: the TypeScript twin of
// assembly/ring-header.ts, shared by the model's rings (src/model/ring.ts)
// and the lookup world's one-page rings (src/strategies/context-set.ts).
import {
  AIO_RING_COMPAT_FEATURES,
  AIO_RING_HEADER,
  AIO_RING_INCOMPAT_FEATURES,
  AIO_RING_MAGIC,
  RING_COMPAT,
  RING_HEAD,
  RING_HEADER_LENGTH,
  RING_ID,
  RING_INCOMPAT,
  RING_MAGIC,
  RING_NR,
  RING_TAIL,
} from "../../assembly/abi/ring.js";

/** A fresh header at byte `at` of `view`: id, nr, head = tail = 0, and the kernel's magic, features and header length (little-endian). */
export function writeRingHeader(view: DataView, at: number, id: number, nr: number): void {
  view.setUint32(at + RING_ID, id, true);
  view.setUint32(at + RING_NR, nr, true);
  view.setUint32(at + RING_HEAD, 0, true);
  view.setUint32(at + RING_TAIL, 0, true);
  view.setUint32(at + RING_MAGIC, AIO_RING_MAGIC, true);
  view.setUint32(at + RING_COMPAT, AIO_RING_COMPAT_FEATURES, true);
  view.setUint32(at + RING_INCOMPAT, AIO_RING_INCOMPAT_FEATURES, true);
  view.setUint32(at + RING_HEADER_LENGTH, AIO_RING_HEADER, true);
}
