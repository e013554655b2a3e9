// Open-addressing hash on user_id (twin of src/strategies/hash.ts): linear
// probing, at most half full (doubles, never shrinks), backward-shift
// deletion so churn leaves no tombstones. Cost: slots probed.
import { MAX_CTX, ageOldest, ageNewer, chargeId, liveCount, userId } from "./context-set";

const KEYS = heap.alloc(<usize>(2 * MAX_CTX) << 3);
const VALS = heap.alloc(<usize>(2 * MAX_CTX) << 2);
let mask: u32 = 0;
let count: i32 = 0;

/** murmur3 fmix32 over the address's two halves, as the TS twin. */
@inline export function hashUserId(id: u64): u32 {
  let h = <u32>id ^ (<u32>(id >> 32) * 0x9e3779b1);
  h = (h ^ (h >> 16)) * 0x85ebca6b;
  h = (h ^ (h >> 13)) * 0xc2b2ae35;
  return h ^ (h >> 16);
}

/** Smallest power of two >= 2 * n, at least 8: the table stays at most half full. */
export function hashCapacity(n: i32): u32 {
  let cap: u32 = 8;
  while (cap < <u32>(2 * n)) cap <<= 1;
  return cap;
}

@inline function key(i: u32): u64 { return load<u64>(KEYS + (<usize>i << 3)); }
@inline function val(i: u32): i32 { return load<i32>(VALS + (<usize>i << 2)); }
@inline function put(i: u32, k: u64, v: i32): void {
  store<u64>(KEYS + (<usize>i << 3), k);
  store<i32>(VALS + (<usize>i << 2), v);
}

export function build(): void {
  rebuild(hashCapacity(liveCount));
}

function rebuild(cap: u32): void {
  mask = cap - 1;
  memory.fill(VALS, 0xff, <usize>cap << 2); // every slot -1: empty
  count = 0;
  for (let c = ageOldest; c >= 0; c = ageNewer(c)) place(c);
}

function place(c: i32): u64 {
  const k = userId(c);
  let i = hashUserId(k) & mask;
  let probes: u64 = 1;
  while (val(i) >= 0) {
    i = (i + 1) & mask;
    probes++;
  }
  put(i, k, c);
  count++;
  return probes;
}

export function find(id: u64): i32 {
  let i = hashUserId(id) & mask;
  let probes: u64 = 1;
  let c = val(i);
  while (c >= 0 && key(i) != id) {
    i = (i + 1) & mask;
    probes++;
    c = val(i);
  }
  chargeId(probes);
  return c;
}

export function insert(c: i32): void {
  // Growth re-indexes every live context, c included (it is live already).
  if (<u32>(count + 1) * 2 > mask + 1) rebuild((mask + 1) * 2);
  else chargeId(place(c));
}

export function remove(c: i32): void {
  unlink(c, userId(c));
}

export function move(c: i32, oldId: u64): void {
  unlink(c, oldId);
  chargeId(place(c));
}

/** Delete c's entry under k, shifting later members of the probe run back into the gap. */
function unlink(c: i32, k: u64): void {
  let i = hashUserId(k) & mask;
  let probes: u64 = 1;
  while (val(i) != c) {
    i = (i + 1) & mask;
    probes++;
  }
  for (let j = (i + 1) & mask; val(j) >= 0; j = (j + 1) & mask) {
    probes++;
    const home = hashUserId(key(j)) & mask;
    // j's entry may fill the gap at i unless its home lies cyclically in (i, j].
    if (((j - home) & mask) >= ((j - i) & mask)) {
      put(i, key(j), val(j));
      i = j;
    }
  }
  store<i32>(VALS + (<usize>i << 2), -1);
  count--;
  chargeId(probes);
}
