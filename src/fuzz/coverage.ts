// Which outcome of which op the kernel showed during a run: each errno, and
// success, per op. EXPECTED lists what the original specification and
// probe/FINDINGS.md name for each op; a run reports what it never reached.
import { EFBIG, ENOSPC } from "../../assembly/abi/errno.js";
import { isSyncCmd, isVectoredCmd, type AddrExpr, type CallStep, type Step, type StepOf, type StepResult } from "../contract/scenario.js";

/** Per call (a repeat has no outcome of its own: its body's calls count under their ops). */
export const EXPECTED: Readonly<Record<CallStep["op"], readonly string[]>> = {
  io_setup: ["ok", "EINVAL", "EAGAIN", "EFAULT"],
  io_destroy: ["ok", "EINVAL"],
  io_submit: ["ok", "EINVAL", "EAGAIN", "EBADF", "EFAULT", "EOPNOTSUPP"],
  io_getevents: ["ok", "EINVAL", "EFAULT"],
  io_pgetevents: ["ok", "EINVAL", "EFAULT", "EINTR"],
  raise: ["ok"],
  io_cancel: ["EINVAL", "EFAULT", "EINPROGRESS"],
  user_reap: ["ok", "EINVAL", "EFAULT"],
  ftruncate: ["ok", "EFBIG"],
  setrlimit_fsize: ["ok"],
  ring: ["ok", "EFAULT"],
  store_head: ["ok", "EINVAL", "EFAULT"],
  store_event: ["ok", "EINVAL", "EFAULT"],
  ring_events: ["ok", "EFAULT"],
  mmap: ["ok", "EINVAL", "EEXIST"],
  munmap: ["ok", "EINVAL"],
  mremap: ["ok", "EINVAL", "EFAULT", "ENOMEM"],
  fork_mremap: ["ok", "EINVAL", "EFAULT"],
  fork: ["ok", "EINVAL", "EFAULT"],
  fork_calls: ["ok"],
  page: ["aio", "anon", "file", "none"],
  // fill: some pages written, or none (the page is not anonymous memory).
  fill: ["written", "none"],
  // peek: pages that read as zero, pages holding what fill wrote (or a file page of differing bytes: mixed), or none read.
  peek: ["zero", "data", "none"],
  buf_fill: ["ok"],
  // buf_peek: one run of zeros, one run of another byte, or several runs (what reads and fills left).
  buf_peek: ["zero", "data", "mixed"],
  eventfd: ["ok"],
  eventfd_read: ["ok", "EAGAIN"],
  pipe: ["ok"],
  pipe_write: ["ok"],
  pipe_read: ["ok", "EAGAIN"],
  // thread_getevents: the thread sleeps in io_getevents, or its call returned at once.
  thread_getevents: ["blocked", "returned"],
  // thread_join: the events the thread held (a completion, an io_destroy or its timeout ended the wait), or EINVAL (no context, or it died with nothing).
  thread_join: ["ok", "EINVAL"],
};

/**
 * io_submit's sync blocks, a row of their own each (FINDINGS 43), its
 * read and write blocks with rw_flags (FINDINGS 44), with an eventfd
 * (resfd) or a priority (ioprio) (FINDINGS 46), its vectored and NOOP
 * blocks (FINDINGS 47), those on the O_DIRECT descriptor (FINDINGS 49): what they answer is not what a plain read or write
 * answers, so the io_submit row alone would not show whether they were
 * reached. A step counts in each row it fits. mremap with MREMAP_DONTUNMAP
 * (FINDINGS 52), mmap with align (FINDINGS 55), and shared or protected
 * mappings with the fills and peeks of them (FINDINGS 59) have rows of
 * their own for the same reason.
 */
export const EXPECTED_SUBMIT_KINDS: Readonly<Record<string, readonly string[]>> = {
  "io_submit fsync": ["ok", "EINVAL", "EBADF"],
  "io_submit fdsync": ["ok", "EINVAL", "EBADF"],
  "io_submit rw_flags": ["ok", "EINVAL", "EBADF", "EOPNOTSUPP"],
  "io_submit resfd": ["ok", "EINVAL", "EBADF"],
  "io_submit ioprio": ["ok", "EINVAL", "EBADF", "EOPNOTSUPP"],
  // Vectored blocks (FINDINGS 47): too many segments or a bad offset, a bad fd or mode, an unreadable array, a flag the file refuses.
  "io_submit preadv": ["ok", "EINVAL", "EBADF", "EFAULT", "EOPNOTSUPP"],
  "io_submit pwritev": ["ok", "EINVAL", "EBADF", "EFAULT", "EOPNOTSUPP"],
  // Known to no io_submit: EINVAL, after the fd lookup.
  "io_submit noop": ["EINVAL", "EBADF"],
  // The file opened with O_DIRECT (6.6+), which answers as the read-write descriptor (FINDINGS 49).
  "io_submit direct": ["ok", "EINVAL", "EOPNOTSUPP"],
  // Poll blocks (FINDINGS 53): ready or left waiting, a field a poll block may not carry or the test file ready for none of its events, a closed fd.
  "io_submit poll": ["ok", "EINVAL", "EBADF"],
  // MREMAP_DONTUNMAP (FINDINGS 52): a move leaving the old range mapped; a resize, no MREMAP_MAYMOVE or a ring is EINVAL, a hole EFAULT.
  "mremap dontunmap": ["ok", "EINVAL", "EFAULT"],
  // mmap's align (FINDINGS 55): placed at the highest free odd multiple, or 0 pages (EINVAL).
  "mmap align": ["ok", "EINVAL"],
  // MAP_SHARED and read-only or PROT_NONE mappings (FINDINGS 59): made, 0 pages (EINVAL), over a page (NOREPLACE: EEXIST);
  // fills and peeks of them (by the name they bound): pages written or read, or none (a fault: the protection, or a grown shared page past its object).
  "mmap shared": ["ok", "EINVAL", "EEXIST"],
  "mmap prot": ["ok", "EINVAL", "EEXIST"],
  "fill shared": ["written", "none"],
  "peek shared": ["zero", "data", "none"],
  "fill prot": ["none"],
  "peek prot": ["zero", "none"],
  // Mappings of the test file (FINDINGS 62), shared or private: made, 0 pages, over a page; fills and peeks of them:
  // pages written or read (a page of differing bytes, the file's, mixed), or none (a protection, or past the file's last page: SIGBUS).
  "mmap file": ["ok", "EINVAL", "EEXIST"],
  "fill file": ["written", "none"],
  "peek file": ["zero", "data", "mixed", "none"],
  // A thread with min_nr below nr (FINDINGS 57): asleep or returned at once; its join's events short of nr, all nr, or EINVAL.
  "thread_getevents min_nr": ["blocked", "returned"],
  "thread_join min_nr": ["short", "full", "EINVAL"],
  // A thread started while another is started and not joined (FINDINGS 57: one waiter per context): asleep, or returned at once.
  "thread_getevents beside": ["blocked", "returned"],
};

/**
 * The res of every event reaped through io_getevents or io_pgetevents:
 * bytes moved, nothing, a write refused past RLIMIT_FSIZE (FINDINGS 45), or
 * one that found no page on the test file's tmpfs (FINDINGS 49).
 */
export const EXPECTED_EVENT_RES: Readonly<Record<string, readonly string[]>> = { "event res": ["bytes", "0", "EFBIG", "ENOSPC"] };

/**
 * Repeats whose until reads a reaped event's res or res2, or lists
 * conditions (FINDINGS 61): the loop stopped on it ("met") or ran all its
 * times ("ran out"). A repeat counts in each row it fits.
 */
export const EXPECTED_UNTIL: Readonly<Record<string, readonly string[]>> = {
  "repeat until res": ["met", "ran out"],
  "repeat until res2": ["met", "ran out"],
  "repeat until list": ["met", "ran out"],
};

const ALL_EXPECTED: Readonly<Record<string, readonly string[]>> = { ...EXPECTED, ...EXPECTED_SUBMIT_KINDS, ...EXPECTED_EVENT_RES, ...EXPECTED_UNTIL };

/** The until rows a repeat counts in: its conditions' event fields, and a list. */
function untilKinds(s: StepOf<"repeat">): string[] {
  const conditions = s.until === undefined ? [] : Array.isArray(s.until) ? s.until : [s.until];
  const kinds: string[] = [];
  if (conditions.some((u) => "res" in u)) kinds.push("repeat until res");
  if (conditions.some((u) => "res2" in u)) kinds.push("repeat until res2");
  if (Array.isArray(s.until)) kinds.push("repeat until list");
  return kinds;
}

/** An event's res as a coverage column: "bytes", "0", "EFBIG", "ENOSPC", or ERRNO_<n> for another -errno. */
function resClass(res: number): string {
  if (res > 0) return "bytes";
  if (res === 0) return "0";
  return res === -EFBIG ? "EFBIG" : res === -ENOSPC ? "ENOSPC" : `ERRNO_${-res}`;
}

/** The thread_getevents step that started the thread a join at step `i` names. */
function startOf(steps: readonly Step[], i: number, name: string): StepOf<"thread_getevents"> | undefined {
  for (let k = i - 1; k >= 0; k--) {
    const s = steps[k];
    if (s?.op === "thread_getevents" && s.name === name) return s;
  }
  return undefined;
}

/** The rows of their own a thread step counts in (FINDINGS 57): min_nr below nr, and a start beside another unjoined thread. */
function threadKinds(steps: readonly Step[], i: number): string[] {
  const s = steps[i];
  if (s?.op === "thread_join") {
    const t = startOf(steps, i, s.name);
    return t?.min_nr !== undefined && t.min_nr < t.nr ? ["thread_join min_nr"] : [];
  }
  if (s?.op !== "thread_getevents") return [];
  const kinds = s.min_nr !== undefined && s.min_nr < s.nr ? ["thread_getevents min_nr"] : [];
  const live = new Set<string>();
  for (const t of steps.slice(0, i))
    if (t.op === "thread_getevents") live.add(t.name);
    else if (t.op === "thread_join") live.delete(t.name);
  if (live.size > 0) kinds.push("thread_getevents beside");
  return kinds;
}

/** A min_nr thread's join: its events short of nr, all nr, or its errno. */
function joinOutcome(r: StepResult, nr: number): string {
  if (r.errno !== null && r.errno !== undefined) return r.errno;
  return (r.ret ?? 0) < nr ? "short" : "full";
}

/** The mmap step before step i that bound the name `addr` starts with, if any (a name a move bound is not followed). */
function mappingOf(steps: readonly Step[], i: number, addr: AddrExpr): StepOf<"mmap"> | undefined {
  if (typeof addr !== "string") return undefined;
  const name = addr.split("+")[0];
  for (let k = i - 1; k >= 0; k--) {
    const s = steps[k];
    if ((s.op === "mmap" || s.op === "mremap" || s.op === "io_setup") && s.name === name) return s.op === "mmap" ? s : undefined;
  }
  return undefined;
}

/** The rows a shared, protected or file mapping's own step, or a fill or peek of one, also counts in (FINDINGS 59, 62). */
function mappingKinds(steps: readonly Step[], i: number): string[] {
  const s = steps[i];
  const m = s?.op === "mmap" ? s : s?.op === "fill" || s?.op === "peek" ? mappingOf(steps, i, s.addr) : undefined;
  if (m === undefined) return [];
  const kinds: string[] = [];
  if (m.shared) kinds.push(`${s.op} shared`);
  if (m.prot !== undefined && m.prot !== "rw") kinds.push(`${s.op} prot`);
  if (m.file) kinds.push(`${s.op} file`);
  return kinds;
}

/** The rows of their own an io_submit step also counts in: its opcode's (sync, vectored, noop, poll), rw_flags', resfd's, ioprio's and O_DIRECT's; a MREMAP_DONTUNMAP mremap's; an aligned mmap's. */
function submitKinds(s: Step | undefined): string[] {
  if (s?.op === "mremap" && s.dontunmap) return ["mremap dontunmap"];
  if (s?.op === "mmap" && s.align !== undefined) return ["mmap align"];
  if (s?.op !== "io_submit") return [];
  const kinds = isSyncCmd(s.cmd) || isVectoredCmd(s.cmd) || s.cmd === "noop" || s.cmd === "poll" ? [`io_submit ${s.cmd}`] : [];
  if (s.rw_flags && !isSyncCmd(s.cmd)) kinds.push("io_submit rw_flags");
  if (s.resfd !== undefined) kinds.push("io_submit resfd");
  if (s.ioprio !== undefined) kinds.push("io_submit ioprio");
  if (s.fd === "direct") kinds.push("io_submit direct");
  return kinds;
}

/** The outcome of one step as a coverage column: "ok", an errno name, or a page kind. */
export function outcomeOf(r: StepResult): string {
  if (r.op === "page") return r.kind ?? "none";
  if (r.op === "fill") return (r.ret ?? 0) > 0 ? "written" : "none";
  if (r.op === "peek") {
    const bytes = r.bytes ?? [];
    return bytes.length === 0 ? "none" : bytes.some((b) => b < 0) ? "mixed" : bytes.some((b) => b !== 0) ? "data" : "zero";
  }
  if (r.op === "buf_peek") return (r.runs ?? []).length > 1 ? "mixed" : r.runs?.[0]?.[1] === 0 ? "zero" : "data";
  if (r.op === "thread_getevents") return r.blocked === 1 ? "blocked" : "returned";
  return r.errno === null || r.errno === undefined ? "ok" : r.errno;
}

/** op -> outcome -> steps: plain data, so it crosses worker threads. */
export type CoverageCounts = Record<string, Record<string, number>>;

export class Coverage {
  constructor(readonly counts: CoverageCounts = {}) {}

  /** The results of a program's `steps`. */
  add(results: readonly StepResult[], steps: readonly Step[]): void {
    for (const r of results) {
      const s = steps[r.step];
      // A repeat counts its last iteration's calls, each under its own op.
      if (s?.op === "repeat") {
        this.add(r.last ?? [], s.steps);
        for (const kind of untilKinds(s)) this.bump(kind, r.until_met ? "met" : "ran out", 1);
        continue;
      }
      this.bump(r.op, outcomeOf(r), 1);
      for (const kind of submitKinds(steps[r.step])) this.bump(kind, outcomeOf(r), 1);
      for (const kind of mappingKinds(steps, r.step)) this.bump(kind, outcomeOf(r), 1);
      for (const kind of threadKinds(steps, r.step)) {
        const t = s?.op === "thread_join" ? startOf(steps, r.step, s.name) : undefined;
        this.bump(kind, t === undefined ? outcomeOf(r) : joinOutcome(r, t.nr), 1);
      }
      for (const res of r.res ?? []) this.bump("event res", resClass(res), 1);
      // A fork_calls child's calls count in their ops' rows.
      if (r.results && s?.op === "fork_calls") this.add(r.results, s.calls);
    }
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
    for (const [op, outcomes] of Object.entries(ALL_EXPECTED)) for (const o of outcomes) if (!this.counts[op]?.[o]) out.push(`${op} ${o}`);
    return out;
  }

  /** A table: one row per op, one column per outcome seen or expected. */
  format(): string {
    const columns = [...new Set([...Object.values(ALL_EXPECTED).flat(), ...Object.values(this.counts).flatMap((r) => Object.keys(r))])];
    const width = Math.max(...columns.map((c) => c.length), 7);
    const head = "op".padEnd(17) + columns.map((c) => c.padStart(width + 1)).join("");
    const rows = Object.keys(ALL_EXPECTED).map((op) => {
      const row = this.counts[op];
      return (
        op.padEnd(17) +
        columns
          .map((c) => {
            const n = row?.[c] ?? 0;
            const expected = ALL_EXPECTED[op].includes(c);
            return (n > 0 ? String(n) : expected ? "MISSING" : "-").padStart(width + 1);
          })
          .join("")
      );
    });
    return [head, ...rows].join("\n");
  }
}
