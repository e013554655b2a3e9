// struct aio_ring: the completion ring in user memory, byte for byte in the
// kernel layout (docs/semantics.md "Ring"). The kernel side reaches it through
// the ring file's pages; user space through whatever mapping covers it.
import { PAGE_SIZE, type Backing } from "./mm.js";

import { AIO_RING_HEADER, IO_EVENT_SIZE, RING_HEAD, RING_TAIL } from "../../assembly/abi/ring.js";
import { writeRingHeader } from "../contract/ring-header.js";

export * from "../../assembly/abi/ring.js";

export { ringGeometry } from "../contract/geometry.js";

/**
 * The ring file (3.12+) or 3.11's pinned ring pages: what ring VMAs map, and
 * the kernel's own view of the ring, read and written directly.
 */
export class AioRing implements Backing {
  bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    pages: number,
    /** Where io_setup mapped it: 3.11 writes its low 32 bits as the header id. */
    readonly setupAddress: number,
  ) {
    this.bytes = new Uint8Array(pages * PAGE_SIZE);
    this.view = new DataView(this.bytes.buffer);
  }

  /**
   * The context is freed: its ring file is emptied, so pages of it still
   * mapped somewhere fault from now on (FINDINGS 28).
   */
  truncate(): void {
    this.bytes = new Uint8Array(0);
  }

  writeHeader(id: number, nr: number): void {
    writeRingHeader(this.view, 0, id, nr);
  }

  get head(): number {
    return this.view.getUint32(RING_HEAD, true);
  }
  set head(value: number) {
    this.view.setUint32(RING_HEAD, value, true);
  }
  get tail(): number {
    return this.view.getUint32(RING_TAIL, true);
  }
  set tail(value: number) {
    this.view.setUint32(RING_TAIL, value, true);
  }

  /** Writes struct io_event {data, obj, res, res2} into slot `i`. */
  writeEvent(i: number, data: number, obj: number, res: number, res2: number): void {
    const at = AIO_RING_HEADER + i * IO_EVENT_SIZE;
    const v = this.view;
    v.setBigUint64(at, BigInt(data), true);
    v.setBigUint64(at + 8, BigInt(obj), true);
    v.setBigInt64(at + 16, BigInt(res), true);
    v.setBigInt64(at + 24, BigInt(res2), true);
  }

  eventData(i: number): number {
    return Number(this.view.getBigUint64(AIO_RING_HEADER + i * IO_EVENT_SIZE, true));
  }

  eventRes(i: number): number {
    return Number(this.view.getBigInt64(AIO_RING_HEADER + i * IO_EVENT_SIZE + 16, true));
  }
}

/** Events between head and tail of a ring with `nr` slots. */
export function eventsInRing(head: number, tail: number, nr: number): number {
  head %= nr;
  return head <= tail ? tail - head : nr - (head - tail);
}
