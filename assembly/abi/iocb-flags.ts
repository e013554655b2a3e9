// struct iocb's aio_flags (IOCB_FLAG_*, the kernel's include/uapi/linux/aio_abi.h)
// and the I/O priority aio_reqprio carries with IOCB_FLAG_IOPRIO (IOPRIO_*,
// include/uapi/linux/ioprio.h), defined once for AssemblyScript and
// TypeScript; test/abi.test.ts checks them against the C headers. What the
// kernel checks of them, and in which order, was measured (FINDINGS 46).

/** aio_resfd names an eventfd that each completion of the block signals (adds 1 to). */
export const IOCB_FLAG_RESFD = 0x1;
/** aio_reqprio is an I/O priority (4.18+): class, hints, level. */
export const IOCB_FLAG_IOPRIO = 0x2;
/** The aio_flags bits with a meaning: the kernel ignores every other one. */
export const IOCB_FLAGS_KNOWN = IOCB_FLAG_RESFD | IOCB_FLAG_IOPRIO;

/** A priority's class sits in bits 13-15. */
export const IOPRIO_CLASS_SHIFT = 13;
export const IOPRIO_CLASS_NONE = 0;
/** Real-time: needs CAP_SYS_ADMIN or CAP_SYS_NICE (the probe runs as root). */
export const IOPRIO_CLASS_RT = 1;
export const IOPRIO_CLASS_BE = 2;
export const IOPRIO_CLASS_IDLE = 3;
/** The class of no valid priority (6.5+ names it; 4 to 6 have no name and are refused alike). */
export const IOPRIO_CLASS_INVALID = 7;
/** Levels 0-7 in bits 0-2. */
export const IOPRIO_NR_LEVELS = 8;
/** 6.5+: bits 3-12 carry a hint, which no check looks at; before, bits 0-12 are the class's data. */
export const IOPRIO_HINT_SHIFT = 3;
/** Hints 0-1023 (10 bits). */
export const IOPRIO_NR_HINTS = 1024;

/**
 * How the WASM core's io_submit takes aio_resfd (a scenario's eventfd is its
 * index, 0 up): no IOCB_FLAG_RESFD, a closed descriptor, or the test file.
 */
export const RESFD_NONE = -1;
export const RESFD_BAD = -2;
export const RESFD_FILE = -3;
/** How the core's io_submit and the probe's wire take "no IOCB_FLAG_IOPRIO" (a priority is 0 to 0xffff). */
export const IOPRIO_NONE = -1;
