/**
 * v3.12+ lookup_ioctx: get_user(id, &ring->id) at the address user space
 * passed, then table[id] must exist and have user_id == ctx_id. No index of
 * its own: the ioctx_table and the ring headers are kernel state.
 * Cost: 1 (the table slot read) once the header read succeeds.
 */
import type { ContextSet } from "./context-set.js";
import { IndexFree } from "./index-free.js";
import type { IdLookupOps, StrategyDefinition } from "./types.js";

class TableHeaderId extends IndexFree implements IdLookupOps {
  readonly name = "table-header-id";
  readonly question = "id";

  constructor(private readonly set: ContextSet) {
    super();
  }

  findById(userId: number): number {
    const id = this.set.readHeaderId(userId);
    if (id < 0) return -1; // fault: nothing mapped at ctx_id
    this.set.visitedId++;
    if (id >= this.set.tableNr) return -1;
    const c = this.set.table[id];
    return c >= 0 && this.set.userId[c] === userId ? c : -1;
  }
}

export const tableHeaderId: StrategyDefinition = {
  name: "table-header-id",
  question: "id",
  complexity: "O(1)",
  description: "v3.12+ kernel: slot id from the ring header at ctx_id, check table[id].user_id",
  create: (set) => new TableHeaderId(set),
};
