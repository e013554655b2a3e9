// Open-addressing hash on ring-file identity (twin of
// src/strategies/file-hash.ts): linear probing, load <= 1/2, backward-shift
// deletion. The key survives moves, so moves cost nothing. Cost: slots probed.
import { MAX_CTX, ageOldest, ageNewer, chargeFile, liveCount, ringFile } from "./context-set";
import { hashCapacity } from "./hash";

const KEYS = heap.alloc(<usize>(2 * MAX_CTX) << 2);
const VALS = heap.alloc(<usize>(2 * MAX_CTX) << 2);
let mask: u32 = 0;
let count: i32 = 0;

/** murmur3 fmix32 of the file id. */
@inline function hashFile(file: i32): u32 {
  let h = <u32>file;
  h = (h ^ (h >> 16)) * 0x85ebca6b;
  h = (h ^ (h >> 13)) * 0xc2b2ae35;
  return h ^ (h >> 16);
}

@inline function key(i: u32): i32 { return load<i32>(KEYS + (<usize>i << 2)); }
@inline function val(i: u32): i32 { return load<i32>(VALS + (<usize>i << 2)); }
@inline function put(i: u32, k: i32, v: i32): void {
  store<i32>(KEYS + (<usize>i << 2), k);
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
  const k = ringFile(c);
  let i = hashFile(k) & mask;
  let probes: u64 = 1;
  while (val(i) >= 0) {
    i = (i + 1) & mask;
    probes++;
  }
  put(i, k, c);
  count++;
  return probes;
}

export function find(file: i32): i32 {
  let i = hashFile(file) & mask;
  let probes: u64 = 1;
  let c = val(i);
  while (c >= 0 && key(i) != file) {
    i = (i + 1) & mask;
    probes++;
    c = val(i);
  }
  chargeFile(probes);
  return c;
}

export function insert(c: i32): void {
  // Growth re-indexes every live context, c included (it is live already).
  if (<u32>(count + 1) * 2 > mask + 1) rebuild((mask + 1) * 2);
  else chargeFile(place(c));
}

/** Delete c's entry, shifting later members of the probe run back into the gap. */
export function remove(c: i32): void {
  let i = hashFile(ringFile(c)) & mask;
  let probes: u64 = 1;
  while (val(i) != c) {
    i = (i + 1) & mask;
    probes++;
  }
  for (let j = (i + 1) & mask; val(j) >= 0; j = (j + 1) & mask) {
    probes++;
    const home = hashFile(key(j)) & mask;
    // j's entry may fill the gap at i unless its home lies cyclically in (i, j].
    if (((j - home) & mask) >= ((j - i) & mask)) {
      put(i, key(j), val(j));
      i = j;
    }
  }
  store<i32>(VALS + (<usize>i << 2), -1);
  count--;
  chargeFile(probes);
}
