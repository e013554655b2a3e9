// ioprio_check_cap (block/ioprio.c) as io_submit applies it to a read or
// write block's IOCB_FLAG_IOPRIO priority, per the profile's switches
// (Profile.ioprio in src/contract/profile.ts, FINDINGS 46). The process is
// taken to hold CAP_SYS_ADMIN, so class RT passes the capability check.
import { IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE, IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, IOPRIO_CLASS_SHIFT, IOPRIO_HINT_SHIFT, IOPRIO_NR_LEVELS } from "./abi/iocb-flags";
import { Profile } from "./profile";

/** Whether the kernel refuses aio_reqprio `prio` (0 to 0xffff) with EINVAL. */
export function ioprioRefused(prio: i32, p: Profile): bool {
  if (!p.ioprioFlag) return false;
  const cls = prio >> IOPRIO_CLASS_SHIFT;
  // Before hints, bits 0-12 are the class's data; with them, only the level (bits 0-2) is checked.
  const data = prio & ((1 << (p.ioprioHints ? IOPRIO_HINT_SHIFT : IOPRIO_CLASS_SHIFT)) - 1);
  if (cls == IOPRIO_CLASS_NONE) return data != 0;
  if (cls == IOPRIO_CLASS_RT || cls == IOPRIO_CLASS_BE) return data >= IOPRIO_NR_LEVELS;
  return cls != IOPRIO_CLASS_IDLE;
}
