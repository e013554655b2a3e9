/**
 * The hook reads the slot id from the moved ring's own header (the pages
 * moved with it, so it sits at the VMA's new start), then checks that
 * table[id] is the context whose ring file this is. No index of its own.
 * Cost: 1 (the table slot read) once the header read succeeds.
 */
import type { ContextSet } from "./context-set.js";
import { IndexFree } from "./index-free.js";
import type { FileLookupOps, StrategyDefinition } from "./types.js";

class HeaderId extends IndexFree implements FileLookupOps {
  readonly name = "header-id";
  readonly question = "file";

  constructor(private readonly set: ContextSet) {
    super();
  }

  findByFile(file: number, vmaStart: number): number {
    const id = this.set.readHeaderId(vmaStart);
    if (id < 0) return -1;
    this.set.visitedFile++;
    if (id >= this.set.tableNr) return -1;
    const c = this.set.table[id];
    // User space can write any id into its header: the file check keeps it honest.
    return c >= 0 && this.set.ringFile[c] === file ? c : -1;
  }
}

export const headerId: StrategyDefinition = {
  name: "header-id",
  question: "file",
  complexity: "O(1)",
  description: "slot id from the moved ring's header, then check table[id]'s ring file",
  create: (set) => new HeaderId(set),
};
