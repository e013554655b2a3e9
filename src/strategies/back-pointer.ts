/**
 * The ring file points back at its kioctx (as file->f_mapping->i_private_data
 * does for page migration): the hook reads one field. Cost: 1 per find.
 */
import { FILE_CAP, type ContextSet } from "./context-set.js";
import type { FileLookupOps, StrategyDefinition } from "./types.js";

class BackPointer implements FileLookupOps {
  readonly name = "back-pointer";
  readonly question = "file";
  /** Per ring file: the kioctx it backs, -1 once that context is gone. */
  private readonly owner = new Int32Array(FILE_CAP);

  constructor(private readonly set: ContextSet) {}

  build(): void {
    this.owner.fill(-1, 0, this.set.fileHwm);
    for (let c = this.set.ageOldest; c >= 0; c = this.set.ageNewer[c]) this.insert(c);
  }

  findByFile(file: number): number {
    this.set.visitedFile++;
    // Ids never handed out are not ring files (and may hold entries from before a reset).
    return file < this.set.fileHwm ? this.owner[file] : -1;
  }

  insert(ctx: number): void {
    this.owner[this.set.ringFile[ctx]] = ctx;
  }

  remove(ctx: number): void {
    this.owner[this.set.ringFile[ctx]] = -1;
  }

  /** The file does not change when its pages move. */
  move(): void {}
}

export const backPointer: StrategyDefinition = {
  name: "back-pointer",
  question: "file",
  complexity: "O(1)",
  description: "the ring file stores its kioctx: one read",
  create: (set) => new BackPointer(set),
};
