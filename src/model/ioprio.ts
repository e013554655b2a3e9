// ioprio_check_cap (block/ioprio.c) as io_submit applies it to a read or
// write block's IOCB_FLAG_IOPRIO priority, per generation (Profile.ioprio,
// FINDINGS 46). The process is taken to hold CAP_SYS_ADMIN, so class RT
// passes the capability check.
import {
  IOPRIO_CLASS_BE,
  IOPRIO_CLASS_IDLE,
  IOPRIO_CLASS_NONE,
  IOPRIO_CLASS_RT,
  IOPRIO_CLASS_SHIFT,
  IOPRIO_HINT_SHIFT,
  IOPRIO_NR_LEVELS,
} from "../../assembly/abi/iocb-flags.js";
import type { Profile } from "../contract/profile.js";

/** Whether the kernel refuses aio_reqprio `prio` (0 to 0xffff) with EINVAL; "ignored" never looks at it. */
export function ioprioRefused(prio: number, mode: Profile["ioprio"]): boolean {
  if (mode === "ignored") return false;
  const cls = prio >> IOPRIO_CLASS_SHIFT;
  // "data": bits 0-12 are the class's data; "hints": only the level (bits 0-2), the rest hints no check reads.
  const data = mode === "data" ? prio & ((1 << IOPRIO_CLASS_SHIFT) - 1) : prio & ((1 << IOPRIO_HINT_SHIFT) - 1);
  if (cls === IOPRIO_CLASS_NONE) return data !== 0;
  if (cls === IOPRIO_CLASS_RT || cls === IOPRIO_CLASS_BE) return data >= IOPRIO_NR_LEVELS;
  return cls !== IOPRIO_CLASS_IDLE;
}
