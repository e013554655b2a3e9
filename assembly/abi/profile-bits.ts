// The profile switches packed into one integer for the WASM core: one bit
// each, written by src/profile.ts profileBits and read by assembly/profile.ts.

export const P_RING_FILE = 1 << 0;
export const P_LOOKUP_TABLE = 1 << 1;
export const P_RING_ID_IS_ADDRESS = 1 << 2;
export const P_DOUBLED_GEOMETRY = 1 << 3;
export const P_CHARGE_DOUBLED = 1 << 4;
export const P_REQ_SLOTS_PERCPU = 1 << 5;
export const P_RING_DONT_EXPAND = 1 << 6;
/** remapHook is "void" or "errno". */
export const P_REMAP_HOOK = 1 << 7;
/** remapHook is "errno". */
export const P_REMAP_HOOK_ERRNO = 1 << 8;
export const P_HOOK_WITHOUT_TABLE_OOPS = 1 << 9;
export const P_FORK_COPIES_RING = 1 << 10;
export const P_RING_MOVE_WHOLE = 1 << 11;
export const P_MULTI_VMA_MOVE = 1 << 12;
export const P_ZERO_TIMEOUT_ARMS_TIMER = 1 << 13;
/** A moved anonymous VMA takes the page offset of its new place (so it can merge there). */
export const P_MOVED_ANON_TAKES_NEW_OFFSET = 1 << 14;
/** The VMA at the source is looked up before the target's alignment and overlap are checked (6.1, 6.12). */
export const P_VMA_LOOKUP_FIRST = 1 << 15;
/** A move to a fixed target unmaps the target (and a shrink's tail) before checking the source range (6.1, 6.12). */
export const P_FIXED_UNMAPS_TARGET_EARLY = 1 << 16;
/** The kernel has io_pgetevents (4.18+). */
export const P_PGETEVENTS = 1 << 17;
