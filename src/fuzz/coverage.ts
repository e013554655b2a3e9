// Which outcome of which op the kernel showed during a run: each errno, and
// success, per op. EXPECTED lists what the original specification and
// probe/FINDINGS.md name for each op; a run reports what it never reached.
import type { OpName, StepResult } from "../contract/scenario.js";

export const EXPECTED: Readonly<Record<OpName, readonly string[]>> = {
  io_setup: ["ok", "EINVAL", "EAGAIN", "EFAULT"],
  io_destroy: ["ok", "EINVAL"],
  io_submit: ["ok", "EINVAL", "EAGAIN", "EBADF", "EFAULT"],
  io_getevents: ["ok", "EINVAL", "EFAULT"],
  io_pgetevents: ["ok", "EINVAL", "EFAULT", "EINTR"],
  raise: ["ok"],
  io_cancel: ["EINVAL", "EFAULT"],
  user_reap: ["ok", "EINVAL", "EFAULT"],
  ftruncate: ["ok"],
  ring: ["ok", "EFAULT"],
  mmap: ["ok", "EINVAL", "EEXIST"],
  munmap: ["ok", "EINVAL"],
  mremap: ["ok", "EINVAL", "EFAULT", "ENOMEM"],
  fork_mremap: ["ok", "EINVAL", "EFAULT"],
  fork: ["ok", "EINVAL", "EFAULT"],
  page: ["aio", "anon", "none"],
};

/** The outcome of one step as a coverage column: "ok", an errno name, or a page kind. */
export function outcomeOf(r: StepResult): string {
  if (r.op === "page") return r.kind ?? "none";
  return r.errno === null || r.errno === undefined ? "ok" : r.errno;
}

/** op -> outcome -> steps: plain data, so it crosses worker threads. */
export type CoverageCounts = Record<string, Record<string, number>>;

export class Coverage {
  constructor(readonly counts: CoverageCounts = {}) {}

  add(results: readonly StepResult[]): void {
    for (const r of results) this.bump(r.op, outcomeOf(r), 1);
  }

  merge(other: CoverageCounts): void {
    for (const [op, row] of Object.entries(other)) for (const [o, n] of Object.entries(row)) this.bump(op, o, n);
  }

  private bump(op: string, outcome: string, n: number): void {
    this.counts[op] ??= {};
    const row = this.counts[op];
    row[outcome] = (row[outcome] ?? 0) + n;
  }

  /** Expected (op, outcome) pairs never seen. */
  missing(): string[] {
    const out: string[] = [];
    for (const [op, outcomes] of Object.entries(EXPECTED)) for (const o of outcomes) if (!this.counts[op]?.[o]) out.push(`${op} ${o}`);
    return out;
  }

  /** A table: one row per op, one column per outcome seen or expected. */
  format(): string {
    const columns = [...new Set([...Object.values(EXPECTED).flat(), ...Object.values(this.counts).flatMap((r) => Object.keys(r))])];
    const width = Math.max(...columns.map((c) => c.length), 7);
    const head = "op".padEnd(13) + columns.map((c) => c.padStart(width + 1)).join("");
    const rows = Object.keys(EXPECTED).map((op) => {
      const row = this.counts[op];
      return (
        op.padEnd(13) +
        columns
          .map((c) => {
            const n = row?.[c] ?? 0;
            const expected = EXPECTED[op as OpName].includes(c);
            return (n > 0 ? String(n) : expected ? "MISSING" : "-").padStart(width + 1);
          })
          .join("")
      );
    });
    return [head, ...rows].join("\n");
  }
}
