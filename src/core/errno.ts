// The core's error codes and their symbolic names. The codes come from
// assembly/abi/errno.ts itself, so the WASM core and this facade share one table.
import {
  EAGAIN,
  EBADF,
  EEXIST,
  EFAULT,
  EFBIG,
  EINPROGRESS,
  EINTR,
  EINVAL,
  ENOMEM,
  ENOSPC,
  ENOSYS,
  EOPNOTSUPP,
  EPERM,
  OOPS,
  WOULD_BLOCK,
} from "../../assembly/abi/errno.js";

import type { Errno } from "../contract/scenario.js";

export { WOULD_BLOCK };

const NAMES = new Map<number, NonNullable<Errno>>([
  [EPERM, "EPERM"],
  [EINTR, "EINTR"],
  [EBADF, "EBADF"],
  [EAGAIN, "EAGAIN"],
  [ENOMEM, "ENOMEM"],
  [EFAULT, "EFAULT"],
  [EEXIST, "EEXIST"],
  [EFBIG, "EFBIG"],
  [EINVAL, "EINVAL"],
  [ENOSPC, "ENOSPC"],
  [ENOSYS, "ENOSYS"],
  [EOPNOTSUPP, "EOPNOTSUPP"],
  [EINPROGRESS, "EINPROGRESS"],
  [OOPS, "OOPS"],
]);

/** A core result in [-4095, -1] is -errno; anything else (counts, addresses) is a value. */
export function isErr(result: number): boolean {
  return result < 0 && result > -4096;
}

/** Symbolic name of a core error result (-errno). */
export function errnoName(result: number): NonNullable<Errno> {
  const name = NAMES.get(-result);
  if (name === undefined) throw new Error(`core.wasm returned an unknown error code ${result}`);
  return name;
}
