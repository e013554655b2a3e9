// The test file every io_submit block reads and writes, as one object the
// processes share: its size and its page cache's bytes (docs/semantics.md
// "File mappings"). A mapping of it reads and writes these same bytes.
import { IO_FILE_BYTES } from "../../assembly/abi/codes.js";
import { PAGE_SIZE } from "../../assembly/abi/ring.js";
import { ByteRuns } from "./byte-runs.js";

export class TestFile {
  /** Bytes in the file: writes past its end grow it. */
  size = IO_FILE_BYTES;
  /**
   * The page cache's bytes: zeros at first (FINDINGS 58). Within the last
   * page, past the end, a shared mapping's write stays and shows once the
   * file grows over it; beyond that page every byte is zero (FINDINGS 62).
   */
  readonly runs = new ByteRuns();

  /** Pages a mapping of the file reaches: its size rounded up to a page (past them an access is SIGBUS). */
  get pages(): number {
    return Math.ceil(this.size / PAGE_SIZE);
  }

  /** A new size: a shrink zeroes the last page's tail and drops the pages past it. */
  truncate(size: number): void {
    if (size < this.size) this.runs.set(size, this.pages * PAGE_SIZE - size, 0);
    this.size = size;
  }
}
