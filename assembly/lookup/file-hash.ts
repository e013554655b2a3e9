// Open-addressing hash on ring-file identity (twin of
// src/strategies/file-hash.ts): the shared table keyed by the file id. The
// key survives moves, so moves cost nothing. Cost: slots probed.
import { chargeFile } from "./context-set";
import { OpenAddressing } from "./open-addressing";

const table = new OpenAddressing(true);

export function build(): void {
  table.build();
}

export function find(file: i32): i32 {
  // Zero-extended, as the table keys files (and as the TS twin hashes any i32).
  const c = table.find(<u64><u32>file);
  chargeFile(table.probes);
  return c;
}

export function insert(c: i32): void {
  chargeFile(table.insert(c));
}

export function remove(c: i32): void {
  chargeFile(table.unlink(c, table.keyOf(c)));
}
