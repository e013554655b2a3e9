// A kernel generation as feature switches, decoded from the bits that
// src/profile.ts `profileBits` packs (abi/profile-bits.ts). The core reads
// switches, never version names.
import {
  P_CHARGE_DOUBLED, P_DOUBLED_GEOMETRY, P_FORK_COPIES_RING, P_HOOK_WITHOUT_TABLE_OOPS, P_LOOKUP_TABLE, P_MULTI_VMA_MOVE, P_REMAP_HOOK,
  P_MOVED_ANON_TAKES_NEW_OFFSET, P_REMAP_HOOK_ERRNO, P_REQ_SLOTS_PERCPU, P_RING_DONT_EXPAND, P_RING_FILE, P_RING_ID_IS_ADDRESS, P_RING_MOVE_WHOLE, P_ZERO_TIMEOUT_ARMS_TIMER,
  P_VMA_LOOKUP_FIRST, P_FIXED_UNMAPS_TARGET_EARLY, P_PGETEVENTS,
} from "./abi/profile-bits";

export class Profile {
  ringFile: bool;
  lookupTable: bool;
  ringIdIsAddress: bool;
  doubledGeometry: bool;
  chargeDoubled: bool;
  reqSlotsPercpu: bool;
  ringDontExpand: bool;
  /** remapHook !== "none" */
  remapHook: bool;
  /** remapHook === "errno" */
  remapHookErrno: bool;
  hookWithoutTableOops: bool;
  forkCopiesRing: bool;
  ringMoveWhole: bool;
  multiVmaMove: bool;
  /** io_getevents with a zero timeout arms a timer and sleeps on it (before 3.19). */
  zeroTimeoutArmsTimer: bool;
  /** A moved never-written anonymous VMA takes the page offset of its new place (measured on 6.18). */
  movedAnonTakesNewOffset: bool;
  /** mremap looks up the source's VMA before checking the target (6.1, 6.12). */
  vmaLookupFirst: bool;
  /** A fixed-target mremap unmaps the target (and a shrink's tail) before checking the source (6.1, 6.12). */
  fixedUnmapsTargetEarly: bool;
  /** io_pgetevents exists (4.18+); before it the call is ENOSYS. */
  pgetevents: bool;

  constructor(bits: i32) {
    this.ringFile = (bits & P_RING_FILE) != 0;
    this.lookupTable = (bits & P_LOOKUP_TABLE) != 0;
    this.ringIdIsAddress = (bits & P_RING_ID_IS_ADDRESS) != 0;
    this.doubledGeometry = (bits & P_DOUBLED_GEOMETRY) != 0;
    this.chargeDoubled = (bits & P_CHARGE_DOUBLED) != 0;
    this.reqSlotsPercpu = (bits & P_REQ_SLOTS_PERCPU) != 0;
    this.ringDontExpand = (bits & P_RING_DONT_EXPAND) != 0;
    this.remapHook = (bits & P_REMAP_HOOK) != 0;
    this.remapHookErrno = (bits & P_REMAP_HOOK_ERRNO) != 0;
    this.hookWithoutTableOops = (bits & P_HOOK_WITHOUT_TABLE_OOPS) != 0;
    this.forkCopiesRing = (bits & P_FORK_COPIES_RING) != 0;
    this.ringMoveWhole = (bits & P_RING_MOVE_WHOLE) != 0;
    this.multiVmaMove = (bits & P_MULTI_VMA_MOVE) != 0;
    this.zeroTimeoutArmsTimer = (bits & P_ZERO_TIMEOUT_ARMS_TIMER) != 0;
    this.movedAnonTakesNewOffset = (bits & P_MOVED_ANON_TAKES_NEW_OFFSET) != 0;
    this.vmaLookupFirst = (bits & P_VMA_LOOKUP_FIRST) != 0;
    this.fixedUnmapsTargetEarly = (bits & P_FIXED_UNMAPS_TARGET_EARLY) != 0;
    this.pgetevents = (bits & P_PGETEVENTS) != 0;
  }
}
