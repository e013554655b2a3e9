// v3.11 lookup_ioctx (twin of src/strategies/list-walk.ts): contexts on
// mm->ioctx_list, newest first; walk comparing ctx->user_id. Cost: nodes visited.
import { MAX_CTX, ageOldest, ageNewer, chargeId, userId } from "./context-set";

let head: i32 = -1;
const NEXT = heap.alloc(<usize>MAX_CTX << 2);
const PREV = heap.alloc(<usize>MAX_CTX << 2);

@inline function next(c: i32): i32 { return load<i32>(NEXT + (<usize>c << 2)); }
@inline function prev(c: i32): i32 { return load<i32>(PREV + (<usize>c << 2)); }

export function build(): void {
  head = -1;
  for (let c = ageOldest; c >= 0; c = ageNewer(c)) insert(c);
}

export function find(id: u64): i32 {
  let visited: u64 = 0;
  let c = head;
  while (c >= 0) {
    visited++;
    if (userId(c) == id) break;
    c = next(c);
  }
  chargeId(visited);
  return c;
}

/** hlist_add_head_rcu: newest first. */
export function insert(c: i32): void {
  store<i32>(PREV + (<usize>c << 2), -1);
  store<i32>(NEXT + (<usize>c << 2), head);
  if (head >= 0) store<i32>(PREV + (<usize>head << 2), c);
  head = c;
}

export function remove(c: i32): void {
  const p = prev(c);
  const n = next(c);
  if (p >= 0) store<i32>(NEXT + (<usize>p << 2), n);
  else head = n;
  if (n >= 0) store<i32>(PREV + (<usize>n << 2), p);
}
