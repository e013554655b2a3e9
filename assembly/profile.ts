// A kernel generation as feature switches, decoded from the bits that
// src/profile.ts `profileBits` packs (same order). The core reads switches,
// never version names.

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

  constructor(bits: i32) {
    this.ringFile = (bits & (1 << 0)) != 0;
    this.lookupTable = (bits & (1 << 1)) != 0;
    this.ringIdIsAddress = (bits & (1 << 2)) != 0;
    this.doubledGeometry = (bits & (1 << 3)) != 0;
    this.chargeDoubled = (bits & (1 << 4)) != 0;
    this.reqSlotsPercpu = (bits & (1 << 5)) != 0;
    this.ringDontExpand = (bits & (1 << 6)) != 0;
    this.remapHook = (bits & (1 << 7)) != 0;
    this.remapHookErrno = (bits & (1 << 8)) != 0;
    this.hookWithoutTableOops = (bits & (1 << 9)) != 0;
    this.forkCopiesRing = (bits & (1 << 10)) != 0;
    this.ringMoveWhole = (bits & (1 << 11)) != 0;
    this.multiVmaMove = (bits & (1 << 12)) != 0;
    this.zeroTimeoutArmsTimer = (bits & (1 << 13)) != 0;
    this.movedAnonTakesNewOffset = (bits & (1 << 14)) != 0;
  }
}
