// The kernel paths every strategy plugs into (io_setup, the mremap of a ring
// with its hook, a CRIU restore), each taking the strategy: inlined with a
// constant one, the dispatch switches fold away.
import { ADDR_SLOTS, ONE_PAGE_RING_SLOTS, addrOfSlot, createCtx, headerAt, mmapBase, moveVma, setRingAddr, slotOfAddr, userId, vmaFile } from "./context-set";
import { aioRingRemap, opsInsert, opsMove } from "./dispatch";
import { FOLD_SEED, fold } from "./prng";
import { RING_TAIL } from "../abi/ring";

@inline export function ioSetupCtx(s: i32): i32 {
  const c = createCtx();
  if (c >= 0) opsInsert(s, c);
  return c;
}

/** Move the ring mapping at address slot `from` to `to`, then run the hook. Returns its context or -1. */
@inline export function moveRing(s: i32, from: i32, to: i32): i32 {
  moveVma(from, to);
  const start = addrOfSlot(to);
  const c = aioRingRemap(s, vmaFile(to), start);
  if (c < 0) {
    moveVma(to, from); // mainline: EINVAL, move undone
    return -1;
  }
  const old = userId(c);
  setRingAddr(c, start);
  opsMove(s, c, old);
  return c;
}

/** Fold value of an address: its page number's low 32 bits. */
@inline export function page(addr: u64): u32 {
  return <u32>(addr >> 12);
}

/**
 * CRIU restore of n contexts into a fresh mm: each created, its ring filled,
 * then moved to its dumped address (the lowest address slots, one per
 * context). With the kernel's scan the hooks cost n(n+1)/2 slots in all.
 */
@inline export function restore(s: i32, n: i32): u32 {
  let h = FOLD_SEED;
  for (let i = 0; i < n; i++) {
    const c = ioSetupCtx(s);
    const from = slotOfAddr(mmapBase(c));
    // Fill: CRIU writes the dumped ring's events and indexes into the new mapping.
    store<u32>(headerAt(from) + RING_TAIL, 1 + <u32>i % (ONE_PAGE_RING_SLOTS - 1));
    const to = ADDR_SLOTS - 1 - i;
    h = fold(h, <u32>(moveRing(s, from, to) + 1));
    h = fold(h, load<u32>(headerAt(to) + RING_TAIL));
  }
  return h;
}
