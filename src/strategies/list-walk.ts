/**
 * v3.11 lookup_ioctx: contexts on mm->ioctx_list, newest first; walk it
 * comparing ctx->user_id. Reads no user memory. Cost: nodes visited.
 */
import { MAX_CTX, type ContextSet } from "./context-set.js";
import type { IdLookupOps, StrategyDefinition } from "./types.js";

class ListWalk implements IdLookupOps {
  readonly name = "list-walk";
  readonly question = "id";
  private head = -1;
  private readonly next = new Int32Array(MAX_CTX);
  private readonly prev = new Int32Array(MAX_CTX);

  constructor(private readonly set: ContextSet) {}

  build(): void {
    this.head = -1;
    for (let c = this.set.ageOldest; c >= 0; c = this.set.ageNewer[c]) this.insert(c);
  }

  findById(userId: number): number {
    let visited = 0;
    let c = this.head;
    while (c >= 0) {
      visited++;
      if (this.set.userId[c] === userId) break;
      c = this.next[c];
    }
    this.set.visitedId += visited;
    return c;
  }

  /** hlist_add_head_rcu: newest first. */
  insert(ctx: number): void {
    this.prev[ctx] = -1;
    this.next[ctx] = this.head;
    if (this.head >= 0) this.prev[this.head] = ctx;
    this.head = ctx;
  }

  remove(ctx: number): void {
    const p = this.prev[ctx];
    const n = this.next[ctx];
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
  }

  /** The walk compares the live user_id field: nothing to update. */
  move(): void {}
}

export const listWalk: StrategyDefinition = {
  name: "list-walk",
  question: "id",
  complexity: "O(N)",
  description: "v3.11: walk the context list newest first, match user_id",
  create: (set) => new ListWalk(set),
};
