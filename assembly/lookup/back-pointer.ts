// The ring file points back at its kioctx (twin of
// src/strategies/back-pointer.ts), as file->f_mapping->i_private_data does
// for page migration: one read. Cost: 1 per find.
import { FILE_CAP, ageOldest, ageNewer, chargeFile, fileHwm, ringFile } from "./context-set";

/** Per ring file: the kioctx it backs, -1 once that context is gone. */
const OWNER = heap.alloc(<usize>FILE_CAP << 2);

export function build(): void {
  memory.fill(OWNER, 0xff, <usize>fileHwm << 2);
  for (let c = ageOldest; c >= 0; c = ageNewer(c)) insert(c);
}

export function find(file: i32): i32 {
  chargeFile(1);
  // Ids never handed out are not ring files (and may hold entries from before a reset).
  return file < fileHwm ? load<i32>(OWNER + (<usize>file << 2)) : -1;
}

export function insert(c: i32): void {
  store<i32>(OWNER + (<usize>ringFile(c) << 2), c);
}

export function remove(c: i32): void {
  store<i32>(OWNER + (<usize>ringFile(c) << 2), -1);
}
