// Array of (user_id, ctx) sorted by user_id (twin of
// src/strategies/sorted-array.ts): binary search to find, shifts to stay
// sorted. Cost: search probes plus entries shifted by insert/remove.
import { MAX_CTX, ageOldest, ageNewer, chargeId, userId } from "./context-set";

const KEYS = heap.alloc(<usize>MAX_CTX << 3);
const CTXS = heap.alloc(<usize>MAX_CTX << 2);
let count: i32 = 0;

@inline function keyAt(i: i32): u64 { return load<u64>(KEYS + (<usize>i << 3)); }

/**
 * Heapsort packed (page number << 16 | ctx) pairs in KEYS, then unpack:
 * the values are unique, so the order is the TS twin's exactly.
 */
export function build(): void {
  let n = 0;
  for (let c = ageOldest; c >= 0; c = ageNewer(c)) {
    store<u64>(KEYS + (<usize>n << 3), ((userId(c) >> 12) << 16) | <u64>c);
    n++;
  }
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(i, n);
  for (let end = n - 1; end > 0; end--) {
    const top = keyAt(0);
    store<u64>(KEYS, keyAt(end));
    store<u64>(KEYS + (<usize>end << 3), top);
    siftDown(0, end);
  }
  for (let i = 0; i < n; i++) {
    const c = <i32>(keyAt(i) & 0xffff);
    store<i32>(CTXS + (<usize>i << 2), c);
    store<u64>(KEYS + (<usize>i << 3), userId(c));
  }
  count = n;
}

function siftDown(root: i32, n: i32): void {
  const v = keyAt(root);
  let i = root;
  while (true) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && keyAt(child + 1) > keyAt(child)) child++;
    if (keyAt(child) <= v) break;
    store<u64>(KEYS + (<usize>i << 3), keyAt(child));
    i = child;
  }
  store<u64>(KEYS + (<usize>i << 3), v);
}

/** Lower bound of k: first index whose key is >= k. Charges probes. */
@inline function search(k: u64): i32 {
  let lo = 0;
  let hi = count;
  let probes: u64 = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    probes++;
    if (keyAt(mid) < k) lo = mid + 1;
    else hi = mid;
  }
  chargeId(probes);
  return lo;
}

export function find(id: u64): i32 {
  const i = search(id);
  return i < count && keyAt(i) == id ? load<i32>(CTXS + (<usize>i << 2)) : -1;
}

export function insert(c: i32): void {
  const k = userId(c);
  const i = search(k);
  const tail = <usize>(count - i);
  memory.copy(KEYS + (<usize>(i + 1) << 3), KEYS + (<usize>i << 3), tail << 3);
  memory.copy(CTXS + (<usize>(i + 1) << 2), CTXS + (<usize>i << 2), tail << 2);
  chargeId(<u64>tail);
  store<u64>(KEYS + (<usize>i << 3), k);
  store<i32>(CTXS + (<usize>i << 2), c);
  count++;
}

export function remove(c: i32): void {
  unlink(userId(c));
}

export function move(c: i32, oldId: u64): void {
  unlink(oldId);
  insert(c);
}

/** Keys are unique (one ring per address), so the lower bound is the entry. */
function unlink(k: u64): void {
  const i = search(k);
  count--;
  const tail = <usize>(count - i);
  memory.copy(KEYS + (<usize>i << 3), KEYS + (<usize>(i + 1) << 3), tail << 3);
  memory.copy(CTXS + (<usize>i << 2), CTXS + (<usize>(i + 1) << 2), tail << 2);
  chargeId(<u64>tail);
}
