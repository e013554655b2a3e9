// struct iocb's aio_rw_flags (RWF_*, the kernel's include/uapi/linux/fs.h),
// defined once for AssemblyScript and TypeScript; test/abi.test.ts checks
// them against the C headers that define them. Which ones a kernel knows,
// and which it takes on the probe's file, was measured (FINDINGS 44).

export const RWF_HIPRI = 0x1;
export const RWF_DSYNC = 0x2;
export const RWF_SYNC = 0x4;
export const RWF_NOWAIT = 0x8;
export const RWF_APPEND = 0x10;
/** 6.9+ */
export const RWF_NOAPPEND = 0x20;
/** 6.11+ */
export const RWF_ATOMIC = 0x40;
/** 6.14+ */
export const RWF_DONTCACHE = 0x80;
/** 6.17+ */
export const RWF_NOSIGNAL = 0x100;

/** What every generation with the field that a profile models knows: HIPRI to APPEND (4.16+). */
export const RWF_KNOWN_BASE = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND;
/** The flags some modelled generation knows and another does not: each is a core switch (src/contract/profile.ts). */
export const RWF_SWITCHED = RWF_NOAPPEND | RWF_ATOMIC | RWF_DONTCACHE | RWF_NOSIGNAL;
/**
 * Known, and refused with EOPNOTSUPP on the probe's file (a memfd) by every
 * kernel measured: shmem has no FMODE_NOWAIT, no atomic writes and no
 * uncached buffered I/O.
 */
export const RWF_REFUSED_ON_FILE = RWF_NOWAIT | RWF_ATOMIC | RWF_DONTCACHE;
