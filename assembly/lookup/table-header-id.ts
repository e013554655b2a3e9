// v3.12+ lookup_ioctx (twin of src/strategies/table-header-id.ts):
// get_user(id, &ring->id) at ctx_id, then table[id] must hold a context with
// user_id == ctx_id. No index: table and headers are kernel state.
// Cost: 1 (the table slot read) once the header read succeeds.
import { chargeId, readHeaderId, tableAt, tableNr, userId } from "./context-set";

export function find(id: u64): i32 {
  const slot = readHeaderId(id);
  if (slot < 0) return -1; // fault: nothing mapped at ctx_id
  chargeId(1);
  if (slot >= <i64>tableNr) return -1;
  const c = tableAt(<i32>slot);
  return c >= 0 && userId(c) == id ? c : -1;
}
