// The hook reads the slot id from the moved ring's own header (twin of
// src/strategies/header-id.ts): the pages moved with it, so it sits at the
// VMA's new start; then table[id]'s ring file must be this file.
// Cost: 1 (the table slot read) once the header read succeeds.
import { chargeFile, readHeaderId, ringFile, tableAt, tableNr } from "./context-set";

@inline export function find(file: i32, vmaStart: u64): i32 {
  const slot = readHeaderId(vmaStart);
  if (slot < 0) return -1;
  chargeFile(1);
  if (slot >= <i64>tableNr) return -1;
  const c = tableAt(<i32>slot);
  // User space can write any id into its header: the file check keeps it honest.
  return c >= 0 && ringFile(c) == file ? c : -1;
}
