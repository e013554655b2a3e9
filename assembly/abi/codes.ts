// Small integer codes that cross the WASM boundary (and the probe's wire),
// defined once for AssemblyScript and TypeScript.

/** io_submit's opcode argument of the core's export. */
export const CMD_PREAD = 0;
export const CMD_PWRITE = 1;
/** An opcode the kernel does not know for a regular file. */
export const CMD_BAD = 2;
/** IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC: sync blocks, which carry no buffer. */
export const CMD_FSYNC = 3;
export const CMD_FDSYNC = 4;
/** IOCB_CMD_PREADV and IOCB_CMD_PWRITEV: blocks whose buffer is an iovec array. */
export const CMD_PREADV = 5;
export const CMD_PWRITEV = 6;
/** IOCB_CMD_NOOP: defined by the ABI, known to no io_submit. */
export const CMD_NOOP = 7;
/** A vectored block's segment count (the core's export) when its iovec array cannot be read. */
export const IOV_FAULT = -1;

/**
 * io_submit's file (the core's export and the probe's wire): the test file
 * opened read-write, a closed descriptor, or the same file opened read-only,
 * write-only, read-write with O_APPEND, or read-write with O_DIRECT.
 */
export const FD_RDWR = 0;
export const FD_BAD = 1;
export const FD_RDONLY = 2;
export const FD_WRONLY = 3;
export const FD_APPEND = 4;
/** shmem has no alignment rules and no cache to bypass: where the open succeeds (6.6+), it answers as FD_RDWR (FINDINGS 49). */
export const FD_DIRECT = 5;

/** io_setup's context pointer (the core's export and the probe's wire): holding 0, already non-zero, or unreadable. */
export const CTXP_ZERO = 0;
export const CTXP_NONZERO = 1;
export const CTXP_FAULT = 2;

/** io_getevents's pointer arguments the kernel cannot use (bits of the core export's `faults`). */
export const FAULT_TIMEOUT = 1;
export const FAULT_EVENTS = 2;

/**
 * io_pgetevents's signal argument (the core's export and the probe's wire):
 * no usig struct (NULL), one the kernel cannot read, or a struct whose
 * sigmask is NULL, empty (unblocks the pending SIGUSR1), blocks SIGUSR1, or
 * cannot be read.
 */
export const USIG_NULL = 0;
export const USIG_FAULT = 1;
export const SIGMASK_NULL = 2;
export const SIGMASK_UNBLOCK = 3;
export const SIGMASK_BLOCK = 4;
export const SIGMASK_FAULT = 5;
/** sizeof(sigset_t) on x86-64: the only sigsetsize a non-NULL mask may give. */
export const SIGSET_SIZE = 8;

/** What the `page` export says of the page holding an address. */
export const KIND_NONE = 0;
export const KIND_AIO = 1;
export const KIND_ANON = 2;
export const KIND_FILE = 3;

/** Bytes each control block reads or writes unless the scenario says (nbytes). */
export const IOCB_BYTES = 512;
/** The size of the regular file the control blocks read and write, at the start of every scenario. */
export const IO_FILE_BYTES = 16384;

/** IOCB_CMD_POLL (4.18+): a block that waits for poll events on its fd (FINDINGS 53). */
export const CMD_POLL = 8;
/**
 * io_submit's fd code for a pipe end (the core's export): FD_PIPE + 2 x the
 * pipe's id, + 1 for its write end. Below it are the test file's FD_* codes.
 */
export const FD_PIPE = 16;
