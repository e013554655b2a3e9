// mm->ioctx_table (3.12+): slots that contexts take lowest-first; it grows
// x4 when full and never shrinks. Also the 3.11 per-mm list, newest first.
import { Kioctx } from "./kioctx";

export const IOCTX_TABLE_INITIAL: i32 = 4;
export const IOCTX_TABLE_GROWTH: i32 = 4;

export class IoctxTable {
  // A StaticArray and its length beside it, not an Array: lookup_ioctx
  // reaches a slot in one load fewer. Growing replaces the slots with a
  // larger copy, as the kernel does.
  table: StaticArray<Kioctx | null> = new StaticArray<Kioctx | null>(IOCTX_TABLE_INITIAL);
  nr: i32 = IOCTX_TABLE_INITIAL;

  /** ioctx_add_table: lowest free slot, growing the table when none is free. */
  add(ctx: Kioctx): i32 {
    let table = this.table;
    const nr = this.nr;
    let slot = 0;
    while (slot < nr && unchecked(table[slot]) != null) slot++;
    if (slot == nr) {
      const grown = new StaticArray<Kioctx | null>(nr * IOCTX_TABLE_GROWTH);
      for (let i = 0; i < nr; i++) unchecked((grown[i] = table[i]));
      this.table = table = grown;
      this.nr = nr * IOCTX_TABLE_GROWTH;
    }
    unchecked((table[slot] = ctx));
    return slot;
  }

  remove(ctx: Kioctx): void {
    unchecked((this.table[ctx.id] = null));
  }
}

export class IoctxList {
  list: Array<Kioctx> = new Array<Kioctx>();

  add(ctx: Kioctx): void {
    this.list.unshift(ctx);
  }

  remove(ctx: Kioctx): void {
    const list = this.list;
    const i = list.indexOf(ctx);
    const n = list.length;
    for (let j = i + 1; j < n; j++) unchecked((list[j - 1] = list[j]));
    list.length = n - 1;
  }

  /** lookup_ioctx of 3.11: walk from the newest, match user_id. */
  find(ctx_id: i64): Kioctx | null {
    const list = this.list;
    for (let i = 0, n = list.length; i < n; i++) {
      const ctx = unchecked(list[i]);
      if (ctx.user_id == ctx_id && !ctx.dead) return ctx;
    }
    return null;
  }
}
