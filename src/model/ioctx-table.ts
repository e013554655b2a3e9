// mm->ioctx_table (3.12+): slots that contexts take lowest-first; it grows
// x4 when full and never shrinks. Also the 3.11 per-mm list, newest first.
import type { Kioctx } from "./kioctx.js";

export const IOCTX_TABLE_INITIAL = 4;
export const IOCTX_TABLE_GROWTH = 4;

export class IoctxTable {
  table: (Kioctx | null)[] = new Array(IOCTX_TABLE_INITIAL).fill(null);

  get nr(): number {
    return this.table.length;
  }

  /** ioctx_add_table: lowest free slot, growing the table when none is free. */
  add(ctx: Kioctx): number {
    let slot = this.table.indexOf(null);
    if (slot < 0) {
      slot = this.table.length;
      this.table = this.table.concat(new Array(this.table.length * (IOCTX_TABLE_GROWTH - 1)).fill(null));
    }
    this.table[slot] = ctx;
    return slot;
  }

  remove(ctx: Kioctx): void {
    this.table[ctx.id] = null;
  }
}

export class IoctxList {
  list: Kioctx[] = [];

  add(ctx: Kioctx): void {
    this.list.unshift(ctx);
  }

  remove(ctx: Kioctx): void {
    this.list.splice(this.list.indexOf(ctx), 1);
  }

  /** lookup_ioctx of 3.11: walk from the newest, match user_id. */
  find(ctx_id: number): Kioctx | null {
    for (const ctx of this.list) if (ctx.user_id === ctx_id && !ctx.dead) return ctx;
    return null;
  }
}
