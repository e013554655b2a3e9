// aio_ring_remap as the kernel writes it (twin of src/strategies/remap-scan.ts):
// scan ioctx_table slots 0..nr for the first context whose aio_ring_file is
// the moved VMA's file. Cost: slot index + 1 on a hit, nr on a miss.
import { chargeFile, ringFile, tableAt, tableNr } from "./context-set";

export function find(file: i32): i32 {
  const nr = tableNr;
  for (let i = 0; i < nr; i++) {
    const c = tableAt(i);
    if (c >= 0 && ringFile(c) == file) {
      chargeFile(<u64>(i + 1));
      return c;
    }
  }
  chargeFile(<u64>nr);
  return -1;
}
