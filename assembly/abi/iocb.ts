// Where a scenario's control blocks live, shared by the models and the probe
// (probe/probe.h IOCB_ADDR and sizeof(struct iocb), checked by
// test/kernel-fuzz.test.ts). The kernel writes each event's `obj` field from
// the control block's user address, so a `ring` read of an event page shows
// it: with the blocks at a fixed address it is the same on every backend.
// Plain `export const` so the file is valid AssemblyScript and TypeScript.

/** User address of control block 0 of an io_submit call; block k is at IOCB_ADDR + k * IOCB_SIZE. */
export const IOCB_ADDR = 0x2000_0000_0000;
/** sizeof(struct iocb) */
export const IOCB_SIZE = 64;

// struct iocb's aio_lio_opcode (IOCB_CMD_*, the kernel's include/uapi/linux/aio_abi.h),
// checked against that header by test/abi.test.ts.
export const IOCB_CMD_PREAD = 0;
export const IOCB_CMD_PWRITE = 1;
export const IOCB_CMD_FSYNC = 2;
export const IOCB_CMD_FDSYNC = 3;
/** 4.18+: aio_buf holds the poll events; the block completes when one is ready (FINDINGS 53). */
export const IOCB_CMD_POLL = 5;
/** Defined, and answered EINVAL like any opcode io_submit has no case for (FINDINGS 47). */
export const IOCB_CMD_NOOP = 6;
/** Vectored: aio_buf points to an iovec array and aio_nbytes is its number of segments. */
export const IOCB_CMD_PREADV = 7;
export const IOCB_CMD_PWRITEV = 8;

/** The most segments one iovec array may have (the kernel's UIO_MAXIOV, glibc's IOV_MAX): more is EINVAL. */
export const UIO_MAXIOV = 1024;
