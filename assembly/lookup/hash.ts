// Open-addressing hash on user_id (twin of src/strategies/hash.ts): the
// shared table keyed by the ring address, re-keyed when a ring moves.
// Cost: slots probed, by finds and by upkeep.
import { chargeId, userId } from "./context-set";
import { OpenAddressing } from "./open-addressing";

const table = new OpenAddressing(false);

export function build(): void {
  table.build();
}

export function find(id: u64): i32 {
  const c = table.find(id);
  chargeId(table.probes);
  return c;
}

export function insert(c: i32): void {
  chargeId(table.insert(c));
}

export function remove(c: i32): void {
  chargeId(table.unlink(c, userId(c)));
}

export function move(c: i32, oldId: u64): void {
  chargeId(table.unlink(c, oldId));
  chargeId(table.place(c));
}
