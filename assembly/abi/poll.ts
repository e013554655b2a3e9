// Poll event bits and the pipe limits of IOCB_CMD_POLL scenarios (FINDINGS
// 53), defined once for AssemblyScript and TypeScript and checked against
// <poll.h> and <linux/aio_abi.h> by test/abi.test.ts. On x86-64 the POLL*
// bits a block's aio_buf carries are the kernel's EPOLL* bits, so an event's
// res is the mask itself.

export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLRDNORM = 0x40;
export const POLLWRNORM = 0x100;
/** A poll block always waits for these too, whatever its mask says. */
export const POLL_ALWAYS = POLLERR | POLLHUP;
/** What a file without a poll method (the test file) is always ready for: the kernel's DEFAULT_POLLMASK. */
export const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
/** What a pipe's read end is ready for while it holds bytes (a writer is open). */
export const PIPE_READ_READY = POLLIN | POLLRDNORM;
/** What a pipe's write end is ready for while it has room (a reader is open). */
export const PIPE_WRITE_READY = POLLOUT | POLLWRNORM;
/** The mask a pipe write wakes its read end's waiters with: each completes with it as res, whatever it asked. */
export const PIPE_WRITE_WAKE = POLLIN | POLLRDNORM;
/**
 * The bytes a scenario's pipe may hold. A pipe's room is its page buffers
 * (16 of 4096 bytes, merged by writes), which the models do not follow; a
 * pipe holding at most one page never fills, so a write takes all it is
 * given and the write end is always ready. Every backend refuses more.
 */
export const PIPE_MAX_BYTES = 4096;
/** pipe steps in one scenario. */
export const MAX_PIPES = 16;
/** Poll blocks one scenario may submit: the probe keeps each one's control block for io_cancel. */
export const MAX_POLL_BLOCKS = 1024;
