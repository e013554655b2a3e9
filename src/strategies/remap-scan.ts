/**
 * aio_ring_remap as the kernel writes it: scan ioctx_table slots 0..nr for
 * the first context whose aio_ring_file is the moved VMA's file. No index.
 * Cost: slots scanned, i.e. the slot index + 1 on a hit, nr on a miss.
 */
import type { ContextSet } from "./context-set.js";
import { IndexFree } from "./index-free.js";
import type { FileLookupOps, StrategyDefinition } from "./types.js";

class RemapScan extends IndexFree implements FileLookupOps {
  readonly name = "remap-scan";
  readonly question = "file";

  constructor(private readonly set: ContextSet) {
    super();
  }

  findByFile(file: number): number {
    const { table, ringFile, tableNr } = this.set;
    for (let i = 0; i < tableNr; i++) {
      const c = table[i];
      if (c >= 0 && ringFile[c] === file) {
        this.set.visitedFile += i + 1;
        return c;
      }
    }
    this.set.visitedFile += tableNr;
    return -1;
  }
}

export const remapScan: StrategyDefinition = {
  name: "remap-scan",
  question: "file",
  complexity: "O(N)",
  description: "kernel aio_ring_remap: linear scan of ioctx_table slots for the ring file",
  create: (set) => new RemapScan(set),
};
