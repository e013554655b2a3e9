// Why io_submit refuses a control block: the checks the kernel makes on
// each block before it reads or writes the file, in the order it makes
// them (probe/FINDINGS.md 1, 40, 43, 44, 47), for assembly/aio.ts's submit.
import { CMD_BAD, CMD_FDSYNC, CMD_FSYNC, CMD_NOOP, CMD_POLL, CMD_PREAD, CMD_PREADV, CMD_PWRITEV, FD_BAD, FD_PIPE, FD_RDONLY, FD_WRONLY } from "./abi/codes";
import { DEFAULT_POLLMASK, POLL_ALWAYS } from "./abi/poll";
import { UIO_MAXIOV } from "./abi/iocb";
import { RWF_APPEND, RWF_ATOMIC, RWF_DONTCACHE, RWF_KNOWN_BASE, RWF_NOAPPEND, RWF_NOSIGNAL, RWF_REFUSED_ON_FILE } from "./abi/rwf";
import { IOPRIO_NONE, RESFD_BAD, RESFD_FILE } from "./abi/iocb-flags";
import { EBADF, EFAULT, EINVAL, EOPNOTSUPP } from "./errno";
import { ioprioRefused } from "./ioprio";
import { Profile } from "./profile";

/** fsync and fdsync: blocks that move no bytes and take no range. */
@inline function isSyncCmd(cmd: i32): bool {
  return cmd == CMD_FSYNC || cmd == CMD_FDSYNC;
}

/** The RWF_* bits the profile's kernel knows (Profile.rwFlagsKnown in src/contract/profile.ts), from its switches. */
function rwFlagsKnown(p: Profile): u32 {
  let known: u32 = RWF_KNOWN_BASE;
  if (p.rwfNoappend) known |= RWF_NOAPPEND;
  if (p.rwfAtomic) known |= RWF_ATOMIC;
  if (p.rwfDontcache) known |= RWF_DONTCACHE;
  if (p.rwfNosignal) known |= RWF_NOSIGNAL;
  return known;
}

/**
 * Why io_submit refuses a block (an errno), or 0. The live kernel looks up
 * the fd, then the eventfd of IOCB_FLAG_RESFD (FINDINGS 46), then the
 * opcode (FINDINGS 1; NOOP is none, FINDINGS 47), then the priority of
 * IOCB_FLAG_IOPRIO (FINDINGS 46), then the block's rw_flags against the
 * ones it knows and those the file takes (FINDINGS 44), then the file's
 * open mode against the opcode (FINDINGS 40), then a vectored block's
 * iovec array: `iovSegs` segments, IOV_FAULT for one it cannot read
 * (FINDINGS 47), then the position. A sync block takes no range, no
 * rw_flags and ignores the open mode and the priority: any nbytes, offset
 * or flag is EINVAL (FINDINGS 43, 44), and so is the block itself where
 * the generation has no aio fsync. A poll block (4.18+, with aio fsync)
 * carries its `events` in aio_buf's low 16 bits and nothing else; on the
 * test file, which is always ready for DEFAULT_POLLMASK and nothing more,
 * one waiting for none of that could never complete: EINVAL (FINDINGS 53).
 */
export function submitRefusal(fd: i32, cmd: i32, nbytes: i64, offset: i64, rwFlags: u32, resfd: i32, ioprio: i32, iovSegs: i32, events: u32, p: Profile): i32 {
  if (fd == FD_BAD) return EBADF;
  if (resfd == RESFD_BAD) return EBADF;
  if (resfd == RESFD_FILE) return EINVAL;
  if (cmd == CMD_BAD || cmd == CMD_NOOP) return EINVAL;
  if (cmd == CMD_POLL) {
    if (!p.syncOps || events > 0xffff || nbytes || offset || rwFlags) return EINVAL;
    return fd < FD_PIPE && !(DEFAULT_POLLMASK & (events | POLL_ALWAYS)) ? EINVAL : 0;
  }
  if (isSyncCmd(cmd)) return p.syncOps && !nbytes && !offset && !rwFlags ? 0 : EINVAL;
  if (ioprio != IOPRIO_NONE && ioprioRefused(ioprio, p)) return EINVAL;
  if (rwFlags) {
    if (rwFlags & ~rwFlagsKnown(p)) return EOPNOTSUPP;
    // A kernel that knows RWF_NOAPPEND refuses it beside RWF_APPEND before it looks at what the file takes.
    if (rwFlags & RWF_APPEND && rwFlags & RWF_NOAPPEND) return EINVAL;
    if (rwFlags & RWF_REFUSED_ON_FILE) return EOPNOTSUPP;
  }
  if (fd == (cmd == CMD_PREAD || cmd == CMD_PREADV ? FD_WRONLY : FD_RDONLY)) return EBADF;
  if (cmd == CMD_PREADV || cmd == CMD_PWRITEV) {
    if (iovSegs < 0) return EFAULT;
    if (iovSegs > UIO_MAXIOV) return EINVAL;
  }
  return offset < 0 ? EINVAL : 0;
}
