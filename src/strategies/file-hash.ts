/**
 * Open-addressing hash on ring-file identity: the shared table keyed by the
 * file id. The key never changes when a ring moves, so moves cost nothing.
 * Cost: slots probed.
 */
import type { ContextSet } from "./context-set.js";
import { OpenAddressing } from "./open-addressing.js";
import type { FileLookupOps, StrategyDefinition } from "./types.js";

class FileHash implements FileLookupOps {
  readonly name = "file-hash";
  readonly question = "file";
  private readonly table: OpenAddressing;

  constructor(private readonly set: ContextSet) {
    this.table = new OpenAddressing(set, set.ringFile);
  }

  build(): void {
    this.table.build();
  }

  findByFile(file: number): number {
    const c = this.table.find(file);
    this.set.visitedFile += this.table.probes;
    return c;
  }

  insert(ctx: number): void {
    this.set.visitedFile += this.table.insert(ctx);
  }

  remove(ctx: number): void {
    this.set.visitedFile += this.table.unlink(ctx);
  }

  /** The ring file is the key and it does not change when its pages move. */
  move(): void {}
}

export const fileHash: StrategyDefinition = {
  name: "file-hash",
  question: "file",
  complexity: "O(1)",
  description: "open-addressing hash on ring-file identity",
  create: (set) => new FileHash(set),
};
