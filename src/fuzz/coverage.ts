// Which outcome of which op the kernel showed during a run: each errno, and
// success, per op. EXPECTED lists what the original specification and
// probe/FINDINGS.md name for each op; a run reports what it never reached.
import type { OpName, StepResult } from "../scenario/types.js";

export const EXPECTED: Readonly<Record<OpName, readonly string[]>> = {
  io_setup: ["ok", "EINVAL", "EAGAIN"],
  io_destroy: ["ok", "EINVAL"],
  io_submit: ["ok", "EINVAL", "EAGAIN", "EBADF"],
  io_getevents: ["ok", "EINVAL"],
  user_reap: ["ok", "EINVAL", "EFAULT"],
  ring: ["ok", "EFAULT"],
  mmap: ["ok", "EINVAL"],
  munmap: ["ok", "EINVAL"],
  mremap: ["ok", "EINVAL", "EFAULT"],
  fork_mremap: ["ok", "EINVAL", "EFAULT"],
  page: ["aio", "anon", "none"],
};

/** The outcome of one step as a coverage column: "ok", an errno name, or a page kind. */
export function outcomeOf(r: StepResult): string {
  if (r.op === "page") return r.kind ?? "none";
  return r.errno === null || r.errno === undefined ? "ok" : r.errno;
}

export class Coverage {
  readonly counts = new Map<string, Map<string, number>>();

  add(results: readonly StepResult[]): void {
    for (const r of results) {
      let row = this.counts.get(r.op);
      if (!row) this.counts.set(r.op, (row = new Map()));
      const o = outcomeOf(r);
      row.set(o, (row.get(o) ?? 0) + 1);
    }
  }

  /** Expected (op, outcome) pairs never seen. */
  missing(): string[] {
    const out: string[] = [];
    for (const [op, outcomes] of Object.entries(EXPECTED)) for (const o of outcomes) if (!this.counts.get(op)?.get(o)) out.push(`${op} ${o}`);
    return out;
  }

  /** A table: one row per op, one column per outcome seen or expected. */
  format(): string {
    const columns = [...new Set([...Object.values(EXPECTED).flat(), ...[...this.counts.values()].flatMap((r) => [...r.keys()])])];
    const width = Math.max(...columns.map((c) => c.length), 7);
    const head = "op".padEnd(13) + columns.map((c) => c.padStart(width + 1)).join("");
    const rows = Object.keys(EXPECTED).map((op) => {
      const row = this.counts.get(op);
      return (
        op.padEnd(13) +
        columns
          .map((c) => {
            const n = row?.get(c) ?? 0;
            const expected = EXPECTED[op as OpName].includes(c);
            return (n > 0 ? String(n) : expected ? "MISSING" : "-").padStart(width + 1);
          })
          .join("")
      );
    });
    return [head, ...rows].join("\n");
  }
}
