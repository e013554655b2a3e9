/**
 * Open-addressing hash on user_id: the shared table keyed by the ring
 * address, re-keyed when a ring moves. Cost: slots probed, by finds and by
 * upkeep.
 */
import type { ContextSet } from "./context-set.js";
import { OpenAddressing } from "./open-addressing.js";
import type { IdLookupOps, StrategyDefinition } from "./types.js";

class UserIdHash implements IdLookupOps {
  readonly name = "hash";
  readonly question = "id";
  private readonly table: OpenAddressing;

  constructor(private readonly set: ContextSet) {
    this.table = new OpenAddressing(set, set.userId);
  }

  build(): void {
    this.table.build();
  }

  findById(userId: number): number {
    const c = this.table.find(userId);
    this.set.visitedId += this.table.probes;
    return c;
  }

  insert(ctx: number): void {
    this.set.visitedId += this.table.insert(ctx);
  }

  remove(ctx: number): void {
    this.set.visitedId += this.table.unlink(ctx);
  }

  move(ctx: number, oldUserId: number): void {
    this.set.visitedId += this.table.unlink(ctx, oldUserId);
    this.set.visitedId += this.table.place(ctx);
  }
}

export const hash: StrategyDefinition = {
  name: "hash",
  question: "id",
  complexity: "O(1)",
  description: "open-addressing hash on user_id (linear probing, load <= 1/2)",
  create: (set) => new UserIdHash(set),
};
