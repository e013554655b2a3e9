// struct aio_ring as the kernel lays it out in user memory: the one
// definition of the ring ABI for the WASM core, the lookup world, the shared
// ring, the TS model and the tests (the C probe's struct ring_header is
// checked against it by test/abi.test.ts). Plain `export const` so the file
// is valid AssemblyScript and TypeScript alike.

export const AIO_RING_MAGIC = 0xa10a10a1;
export const AIO_RING_COMPAT_FEATURES = 1;
export const AIO_RING_INCOMPAT_FEATURES = 0;
/** Bytes of the header: eight u32. */
export const AIO_RING_HEADER = 32;
/** Bytes of one struct io_event: data u64, obj u64, res i64, res2 i64. */
export const IO_EVENT_SIZE = 32;

/** Byte offsets of the header's u32 fields (the values above are what they hold, not where). */
export const RING_ID = 0;
export const RING_NR = 4;
export const RING_HEAD = 8;
export const RING_TAIL = 12;
export const RING_MAGIC = 16;
export const RING_COMPAT = 20;
export const RING_INCOMPAT = 24;
export const RING_HEADER_LENGTH = 28;

/** io_setup: a ring of more events than this (0x10000000 bytes of events) is EINVAL. */
export const AIO_MAX_RING_EVENTS = 0x10000000 / IO_EVENT_SIZE;

/** Bytes of a page on the machines modelled (x86-64). */
export const PAGE_SIZE = 4096;
