// The test file every io_submit block reads and writes, one object the
// processes share: its size and its page cache's bytes, which file mappings
// read and write too (model: src/model/test-file.ts).
import { IO_FILE_BYTES } from "./abi/codes";
import { PAGE_SIZE } from "./abi/ring";
import { ByteRuns } from "./byte-runs";

const PAGE_BYTES: i64 = PAGE_SIZE;

export class TestFile {
  /** Bytes in the file: writes past its end grow it. */
  size: i64 = IO_FILE_BYTES;
  /** The page cache's bytes: a shared mapping's write past the end stays in the last page; beyond it, zeros (FINDINGS 62). */
  runs: ByteRuns = new ByteRuns();

  /** Pages a mapping of the file reaches: its size rounded up to a page. */
  @inline get pages(): i64 {
    return (this.size + PAGE_BYTES - 1) / PAGE_BYTES;
  }

  /** A new size: a shrink zeroes the last page's tail and drops the pages past it. */
  truncate(size: i64): void {
    if (size < this.size) this.runs.set(size, this.pages * PAGE_BYTES - size, 0);
    this.size = size;
  }
}
