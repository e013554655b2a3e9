// Error codes of the core, shared with the TypeScript facade (src/core/errno.ts
// imports this file, so the table exists once). Syscall exports return them
// negated, kernel style: a result in [-4095, -1] is an error, anything else a
// value (an address is a multiple of the page size, so never in that range).
// Plain `export const` so the file is valid AssemblyScript and TypeScript.

export const EPERM = 1;
export const EINTR = 4;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EEXIST = 17;
export const EFBIG = 27;
export const EINVAL = 22;
export const ENOSPC = 28;
export const ENOSYS = 38;
export const EOPNOTSUPP = 95;
/** io_cancel of a pending poll block: its event comes later (FINDINGS 53). */
export const EINPROGRESS = 115;
/** The v3.19 remap hook in a process without an ioctx table: a kernel crash. */
export const OOPS = 1000;
/** io_getevents with no timeout and too few events would block forever. */
export const WOULD_BLOCK = 1001;
