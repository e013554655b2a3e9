// The scenario contract of docs/scenario-format.md, as types.
// Every backend (wasm, model, kernel) consumes a Scenario and produces a ResultsDoc.
import { IOPRIO_CLASS_SHIFT, IOPRIO_HINT_SHIFT, IOPRIO_NONE } from "../../assembly/abi/iocb-flags.js";
import { IOCB_BYTES, SIGMASK_BLOCK, SIGMASK_FAULT, SIGMASK_NULL, SIGMASK_UNBLOCK, SIGSET_SIZE, USIG_FAULT, USIG_NULL } from "../../assembly/abi/codes.js";
import { PROT_READ, PROT_RW, PROT_WRITE } from "../../assembly/abi/address-space.js";
import type { Ctxp, Iov, PageKind, Timeout } from "./backend.js";

/** An `mmap` step's protection: PROT_READ | PROT_WRITE, PROT_READ, PROT_WRITE, or PROT_NONE. */
export type MmapProt = "rw" | "r" | "w" | "none";

/** The PROT_* bits of an `mmap` step's `prot`. */
export function protBits(prot: MmapProt | undefined): number {
  return prot === "r" ? PROT_READ : prot === "w" ? PROT_WRITE : prot === "none" ? 0 : PROT_RW;
}

/** A kernel generation the models follow (src/contract/profile.ts has each one's switches). */
export type ProfileName = "v3.11" | "v3.18" | "v3.19" | "mainline" | "next" | "v6.1" | "v6.12";
/** Where a scenario runs: the WASM core, the TypeScript model, or the live kernel through build/probe. */
export type BackendName = "wasm" | "model" | "kernel";

/** An address expression: a name, "NAME+K" (pages), "NAME+1b" (one byte), 0, -1 (all ones, above user space), or "bogus". */
export type AddrExpr = string | 0 | -1;

/** One step of a scenario: a call (CallStep) or a bounded loop of calls (RepeatStep). */
export type Step = CallStep | RepeatStep;

/** One call of a scenario: an aio or memory-map syscall, a user-space reap, or a ring/page read (docs/scenario-format.md). */
export type CallStep =
  | { op: "io_setup"; nr_events: number; name?: string; ctxp?: "nonzero" | 0 | "bogus" }
  | { op: "io_destroy"; ctx: AddrExpr }
  | {
      op: "io_submit";
      ctx: AddrExpr;
      /** "rest": in a repeat with `blocks`, those its earlier "rest" submits have not taken yet. */
      count: number | "rest";
      cmd: "pread" | "pwrite" | "fsync" | "fdsync" | "bad" | "noop" | "preadv" | "pwritev" | "poll";
      data: number;
      /** A word for the test file's descriptors, or (cmd poll only) a pipe end: "P.read" or "P.write" of a pipe step's name P. */
      fd?: "bad" | "rdonly" | "wronly" | "append" | "direct" | `${string}.read` | `${string}.write`;
      iocbs?: 0 | "bogus";
      null_entry?: number;
      bogus_entry?: number;
      nbytes?: number;
      offset?: number;
      rw_flags?: number;
      /** IOCB_FLAG_RESFD: an eventfd step's name, "bad" (a closed descriptor) or "file" (the test file). */
      resfd?: string;
      /** IOCB_FLAG_IOPRIO with aio_reqprio = class << 13 | hint << 3 | level. */
      ioprio?: Ioprio;
      /** aio_flags bits beyond RESFD and IOPRIO, which the kernel ignores. */
      aio_flags?: number;
      /** preadv, pwritev: the segment lengths of the iovec array, or a pointer to one the kernel cannot read. */
      iov?: number[] | 0 | "bogus";
      /** A poll block's events (the low 16 bits of aio_buf; more bits: EINVAL). */
      events?: number;
    }
  | { op: "io_getevents"; ctx: AddrExpr; min_nr: number; nr: number; timeout_ns: number | null | "bogus"; events?: 0 | "bogus" }
  | {
      op: "io_pgetevents";
      ctx: AddrExpr;
      min_nr: number;
      nr: number;
      timeout_ns: number | null | "bogus";
      events?: 0 | "bogus";
      usig?: 0 | "bogus";
      sigmask?: 0 | "unblock" | "block" | "bogus";
      sigsetsize?: number;
    }
  | { op: "raise" }
  | { op: "ftruncate"; size: number }
  | { op: "setrlimit_fsize"; bytes: number | "infinity" }
  /** `submit`: the index of an earlier io_submit step, `block` (default 0) one of its control blocks. */
  | { op: "io_cancel"; ctx: AddrExpr; iocb?: 0 | "bogus"; submit?: number; block?: number }
  | { op: "user_reap"; ctx: AddrExpr; max: number }
  | { op: "ring"; ctx: AddrExpr }
  | { op: "store_head"; ctx: AddrExpr; head: number }
  | { op: "store_event"; ctx: AddrExpr; slot: number; data: number; res: number; res2?: number }
  | { op: "ring_events"; ctx: AddrExpr; slot: number; count: number }
  /**
   * `align`: pages, a power of two; the mapping starts at an odd multiple of it (docs/scenario-format.md).
   * `shared`: MAP_SHARED (a shmem object of its own); `prot`: its protection, "rw" by default.
   * `file`: map the test file instead, from page `file_page` (default 0), shared or private.
   */
  | {
      op: "mmap";
      pages: number;
      name: string;
      at?: AddrExpr;
      noreplace?: true;
      align?: number;
      shared?: true;
      prot?: MmapProt;
      file?: true;
      file_page?: number;
    }
  | { op: "munmap"; addr: AddrExpr; pages: number }
  | {
      op: "mremap";
      addr: AddrExpr;
      old_pages: number;
      new_pages: number;
      to?: AddrExpr;
      name?: string;
      maymove?: false;
      /** MREMAP_DONTUNMAP: the old range stays mapped, empty (5.7+). */
      dontunmap?: true;
    }
  | { op: "fork_mremap"; addr: AddrExpr; pages: number; to: AddrExpr }
  | { op: "fork"; call: ChildCall }
  | { op: "fork_calls"; calls: ChildStep[] }
  | { op: "page"; addr: AddrExpr }
  /** Writes `value` (0-255) into every byte of `pages` pages from the page holding `addr`, up to the first that is not anonymous memory. */
  | { op: "fill"; addr: AddrExpr; pages: number; value: number }
  /** Reads what each of `pages` pages from the page holding `addr` holds, up to the first that is not anonymous memory. */
  | { op: "peek"; addr: AddrExpr; pages: number }
  /** memset of `bytes` bytes of the I/O buffer from `offset` (default 0) to `value` (0-255). */
  | { op: "buf_fill"; offset?: number; bytes: number; value: number }
  /** What `bytes` bytes of the I/O buffer from `offset` (default 0) hold, as runs of equal bytes. */
  | { op: "buf_peek"; offset?: number; bytes: number }
  | { op: "eventfd"; name: string; initval?: number; semaphore?: true }
  | { op: "eventfd_read"; fd: string }
  | { op: "pipe"; name: string }
  | { op: "pipe_write"; pipe: string; bytes: number }
  | { op: "pipe_read"; pipe: string; bytes: number }
  /**
   * Starts a thread named `name` that calls io_getevents(ctx, min_nr, nr,
   * timeout) (min_nr 1 to nr, nr when left out) and blocks in it
   * (docs/semantics.md "Threads"); at most one thread waits per context.
   */
  | { op: "thread_getevents"; name: string; ctx: AddrExpr; min_nr?: number; nr: number; timeout_ns: number | null }
  /** Waits for thread `name` to return and gives its io_getevents's result. */
  | { op: "thread_join"; name: string };

/** A comparison of a call's ret with a number. */
export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/**
 * One stop condition of a repeat, checked after each iteration: body step
 * `step`'s (default the last) errno is the one named (null: it succeeded),
 * or its ret compares so with `value`, or its reaped event `event`'s
 * (default 0) res or res2 does (an event it did not reap: false); or `rest`
 * is 0: every one of the loop's `blocks` is submitted.
 */
export type UntilCondition =
  | { step?: number; errno: ErrnoName | null }
  | { step?: number; ret: CompareOp; value: number }
  | { step?: number; event?: number; res: CompareOp; value: number }
  | { step?: number; event?: number; res2: CompareOp; value: number }
  | { rest: 0 };

/** When a repeat stops early: one condition, or a list of them, any one holding (a harness's checks of one round trip). */
export type Until = UntilCondition | UntilCondition[];

/**
 * What a repeat's body may call: no loop in a loop, no eventfd or pipe (a
 * descriptor per iteration), no fork, no pipe I/O (FINDINGS 53), no page
 * contents (fill, peek, buf_fill, buf_peek: bounded per scenario) and no thread (bounded per
 * scenario, docs/semantics.md "Threads").
 */
export type LoopBodyStep = Exclude<
  CallStep,
  {
    op:
      | "eventfd"
      | "fork"
      | "fork_calls"
      | "fork_mremap"
      | "pipe"
      | "pipe_write"
      | "pipe_read"
      | "fill"
      | "peek"
      | "buf_fill"
      | "buf_peek"
      | "thread_getevents"
      | "thread_join";
  }
>;

const NOT_IN_BODY: ReadonlySet<OpName> = new Set([
  "repeat",
  "eventfd",
  "fork",
  "fork_calls",
  "fork_mremap",
  "pipe",
  "pipe_write",
  "pipe_read",
  "fill",
  "peek",
  "buf_fill",
  "buf_peek",
  "thread_getevents",
  "thread_join",
]);

/** Whether a repeat's body may hold the step. */
export function isLoopBodyStep(s: Step): s is LoopBodyStep {
  return !NOT_IN_BODY.has(s.op);
}

/** A bounded loop (docs/scenario-format.md, `repeat`): its body up to `times` times, until a condition on the body's calls holds. */
export interface RepeatStep {
  op: "repeat";
  times: number;
  /** The blocks the body's io_submit steps with count "rest" submit between them. */
  blocks?: number;
  until?: Until;
  steps: LoopBodyStep[];
}

/** An I/O priority as aio_reqprio carries it: a class (0-7), a hint (0-1023, 6.5+) and a level (0-7). */
export interface Ioprio {
  class: number;
  level: number;
  hint?: number;
}

/** aio_reqprio of an io_submit step's blocks, or IOPRIO_NONE when it sets no IOCB_FLAG_IOPRIO. */
export function submitIoprio(s: { ioprio?: Ioprio }): number {
  const p = s.ioprio;
  return p === undefined ? IOPRIO_NONE : (p.class << IOPRIO_CLASS_SHIFT) | ((p.hint ?? 0) << IOPRIO_HINT_SHIFT) | p.level;
}

/** The name of a step's operation ("io_setup", "mremap", ..., "repeat"). */
export type OpName = Step["op"];
/** The step of one op. */
export type StepOf<O extends OpName> = Extract<Step, { op: O }>;

/** fsync and fdsync: blocks that move no bytes and take no range. */
export function isSyncCmd(cmd: StepOf<"io_submit">["cmd"]): boolean {
  return cmd === "fsync" || cmd === "fdsync";
}

/** The pipe end an io_submit's fd names ("P.read", "P.write"), or null for the test file's words. */
export function pipeEndOf(fd: string | undefined): { pipe: string; write: boolean } | null {
  const m = fd === undefined ? null : /^(.+)\.(read|write)$/.exec(fd);
  return m ? { pipe: m[1], write: m[2] === "write" } : null;
}

/** preadv and pwritev: blocks whose buffer is an iovec array (`iov`), aio_nbytes its segment count. */
export function isVectoredCmd(cmd: StepOf<"io_submit">["cmd"]): boolean {
  return cmd === "preadv" || cmd === "pwritev";
}

/**
 * The bytes each of an io_submit's blocks asks to move: a vectored block's
 * segments summed (0 for an array the kernel cannot read); else nbytes as
 * given, else 0 for a sync block (it carries no buffer) and IOCB_BYTES for a
 * read or write.
 */
export function submitNbytes(s: StepOf<"io_submit">): number {
  if (isVectoredCmd(s.cmd)) return Array.isArray(s.iov) ? s.iov.reduce((a, b) => a + b, 0) : 0;
  return s.nbytes ?? (isSyncCmd(s.cmd) || s.cmd === "poll" ? 0 : IOCB_BYTES);
}

/** A vectored block's iovec array as a backend takes it: its segment lengths, or "fault" for one the kernel cannot read; undefined for any other block. */
export function submitIov(s: StepOf<"io_submit">): Iov | undefined {
  if (s.iov === undefined) return undefined;
  return Array.isArray(s.iov) ? s.iov : "fault";
}

/**
 * What the child of a `fork` step calls, once, before it exits: a step of
 * its own that binds no name and changes nothing parent and child share
 * (no user_reap of a shared ring, no signal, no nested fork).
 */
export type ChildCall =
  | Omit<StepOf<"io_setup">, "name">
  | StepOf<"io_destroy" | "io_submit" | "io_getevents" | "io_cancel" | "ring" | "ring_events" | "munmap" | "page">
  | Omit<StepOf<"mremap">, "name">;
const CHILD_OPS: ReadonlySet<OpName> = new Set<ChildCall["op"]>([
  "io_setup",
  "io_destroy",
  "io_submit",
  "io_getevents",
  "io_cancel",
  "ring",
  "ring_events",
  "munmap",
  "mremap",
  "page",
]);

/**
 * What the child of a `fork_calls` step runs, in order, before it exits
 * with whatever it holds: a ChildCall that may bind names of its own (they
 * live only in the child), or a step on what parent and child share by
 * design: the test file (`ftruncate`) and an eventfd (`eventfd_read`);
 * `fill` and `peek` of its copy of the anonymous pages, `buf_fill` and
 * `buf_peek` of its copy of the I/O buffer; stores into a ring
 * (`store_head`, `store_event`), as CRIU's restore makes them into its own
 * new ring (one into an inherited ring lands in the parent's pages, a
 * shared mapping, in the kernel and the models alike). Still no user_reap,
 * no signal, no new eventfd and no nested fork.
 */
export type ChildStep = StepOf<
  | "io_setup"
  | "io_destroy"
  | "io_submit"
  | "io_getevents"
  | "io_cancel"
  | "ring"
  | "ring_events"
  | "store_head"
  | "store_event"
  | "mmap"
  | "munmap"
  | "mremap"
  | "page"
  | "ftruncate"
  | "eventfd_read"
  | "fill"
  | "peek"
  | "buf_fill"
  | "buf_peek"
>;

const CHILD_STEP_OPS: ReadonlySet<OpName> = new Set<ChildStep["op"]>([
  ...(CHILD_OPS as ReadonlySet<ChildStep["op"]>),
  "mmap",
  "store_head",
  "store_event",
  "ftruncate",
  "eventfd_read",
  "fill",
  "peek",
  "buf_fill",
  "buf_peek",
]);

/** The step as a call of a fork_calls step, or null for an op its child may not run. */
export function asChildStep(s: Step): ChildStep | null {
  return CHILD_STEP_OPS.has(s.op) ? (s as ChildStep) : null;
}

/** The step as a fork step's call, without the name it would bind; null for an op a child may not call. */
export function asChildCall(s: Step): ChildCall | null {
  if (!CHILD_OPS.has(s.op)) return null;
  const { name: _, ...call } = s as Step & { name?: string };
  return call as ChildCall;
}

/**
 * io_submit's first iocb array entry the kernel cannot read: the array
 * pointer itself (0), or the first entry that is NULL or points to an
 * unmapped block (the kernel's copy of the block fails alike), or -1 for none.
 */
export function submitFaultAt(s: { iocbs?: 0 | "bogus"; null_entry?: number; bogus_entry?: number }): number {
  if (s.iocbs !== undefined) return 0;
  const bad = Math.min(s.null_entry ?? Number.POSITIVE_INFINITY, s.bogus_entry ?? Number.POSITIVE_INFINITY);
  return bad === Number.POSITIVE_INFINITY ? -1 : bad;
}

/** io_getevents's timeout as a backend takes it: "bogus" (a pointer the kernel cannot read) is "fault". */
export function timeoutOf(timeout_ns: number | null | "bogus"): Timeout {
  return timeout_ns === "bogus" ? "fault" : timeout_ns;
}

/** io_pgetevents's signal argument: `usig` one of abi/codes.ts USIG_*, SIGMASK_*, and the struct's sigsetsize. */
export interface SignalArg {
  usig: number;
  sigsetsize: number;
}

/**
 * io_pgetevents's signal argument as a backend takes it (abi/codes.ts): no
 * usig struct unless the step gives a sigmask or a sigsetsize; a struct's
 * mask is NULL unless it says.
 */
export function usigOf(s: { usig?: 0 | "bogus"; sigmask?: 0 | "unblock" | "block" | "bogus"; sigsetsize?: number }): SignalArg {
  const sigsetsize = s.sigsetsize ?? SIGSET_SIZE;
  if (s.usig !== undefined) return { usig: s.usig === 0 ? USIG_NULL : USIG_FAULT, sigsetsize };
  if (s.sigmask === undefined && s.sigsetsize === undefined) return { usig: USIG_NULL, sigsetsize };
  const mask = s.sigmask === "unblock" ? SIGMASK_UNBLOCK : s.sigmask === "block" ? SIGMASK_BLOCK : s.sigmask === "bogus" ? SIGMASK_FAULT : SIGMASK_NULL;
  return { usig: mask, sigsetsize };
}

/** io_setup's context pointer as a backend takes it: the caller's own (holding 0, or a value with "nonzero"), or NULL or unmapped. */
export function ctxpOf(ctxp: "nonzero" | 0 | "bogus" | undefined): Ctxp {
  return ctxp === undefined ? "zero" : ctxp === "nonzero" ? "nonzero" : "fault";
}

/** A scenario file: a JSON program of aio and memory-map calls, with the machine it assumes (docs/scenario-format.md). */
export interface Scenario {
  name: string;
  profile?: ProfileName;
  cpus?: number;
  aio_max_nr?: number;
  aio_nr?: number;
  /**
   * The models' ProcessConfig.zero_page (default true). false asks the kernel
   * backend for read faults that allocate pages: a kernel that maps the zero
   * page emulates them (ResultsDoc.zero_page_emulated); true cannot be
   * emulated on a kernel without it, which answers as it is.
   */
  zero_page?: boolean;
  /** The test file lives on a tmpfs of this many bytes (ProcessConfig.tmpfs_bytes); absent: a memfd, with no limit on its space. */
  tmpfs_bytes?: number;
  steps: Step[];
}

/** The errno names the probe knows (probe/out.c errno_name); the models use five of them. */
export const ERRNO_NAMES = [
  "EPERM",
  "ENOENT",
  "EINTR",
  "EIO",
  "EBADF",
  "EAGAIN",
  "ENOMEM",
  "EACCES",
  "EFAULT",
  "EBUSY",
  "EEXIST",
  "EFBIG",
  "EINVAL",
  "ENOSPC",
  "ENOSYS",
  "EOPNOTSUPP",
  "ETIME",
  "ETIMEDOUT",
  "ECANCELED",
  "EOVERFLOW",
  "EINPROGRESS",
] as const;
export type ErrnoName = (typeof ERRNO_NAMES)[number];

/**
 * A step's errno: a name, "OOPS" for a model-only kernel crash, ERRNO_<n> for
 * a number the probe has no name for, SIGNAL:<SIG...> for a forked child the
 * kernel killed, or null on success.
 */
export type Errno = ErrnoName | "OOPS" | `ERRNO_${number}` | `SIGNAL:SIG${string}` | null;

/** What one step returned: its value or errno, and the events or bytes it read. */
export interface StepResult {
  step: number;
  op: OpName;
  /** `fork` op: what the child called; the fields after it are that call's result. */
  call?: ChildCall["op"];
  /** `fork_calls` op: the result of each of the child's calls, its `step` the call's index in `calls`. */
  results?: StepResult[];
  ret?: number;
  errno?: Errno;
  data?: number[];
  /** io_getevents, io_pgetevents, ring_events: each event's res, beside `data`. */
  res?: number[];
  /** ring_events: each event's res2. */
  res2?: number[];
  // `ring` op
  id?: number | "addr";
  nr?: number;
  head?: number;
  tail?: number;
  magic?: number;
  compat_features?: number;
  incompat_features?: number;
  header_length?: number;
  pages?: number;
  // `page` op
  kind?: PageKind;
  /** `peek` op: per page read, the byte every byte of it holds (-1 from the probe for a page whose bytes differ). */
  bytes?: number[];
  /** `buf_peek` op: the bytes read as [length, value] runs of equal bytes, in order (a last [length, -1] past MAX_PEEK_RUNS). */
  runs?: [number, number][];
  // `eventfd_read` op: the counter read (the whole count, or 1 for a semaphore)
  value?: number;
  // `io_pgetevents` op: the pending SIGUSR1's handler ran during the call (1) or not (0)
  delivered?: number;
  /** `thread_getevents` op: the thread sleeps in io_getevents (1), or its call returned at once (0). */
  blocked?: number;
  // `repeat` op
  /** Iterations run, the one that met `until` included. */
  iterations?: number;
  /** Whether `until` held (false: the loop ran all its times). */
  until_met?: boolean;
  /** A loop with `blocks`: those not submitted when it stopped. */
  rest?: number;
  /** Per body step: its rets summed over the iterations where it succeeded; null for a call with no ret (ring, page). */
  ret_total?: (number | null)[];
  /** The last iteration's results, `step` being the index in the body. */
  last?: StepResult[];
}

/** The results document a backend prints for a scenario: one result per step, with the backend, profile and machine. */
export interface ResultsDoc {
  name: string;
  backend: BackendName;
  profile: ProfileName | null;
  /** The models' documents: where the profile's switches come from (Profile.measuredOn). */
  measured_on?: string;
  kernel: string | null;
  cpus: number;
  aio_max_nr: number;
  aio_nr: number;
  /** Whether read faults map the zero page (ProcessConfig.zero_page); absent in recordings made before it was reported, which means true. */
  zero_page?: boolean;
  /** The kernel maps the zero page, and the probe made its read faults allocate pages as the scenario asked (FINDINGS 35). */
  zero_page_emulated?: true;
  /** The test file's tmpfs, when the scenario asked for one (ProcessConfig.tmpfs_bytes). */
  tmpfs_bytes?: number;
  /** The kernel backend: steps after which aio-nr was not what the run's own calls explain (another process set up or freed contexts); absent for none. */
  aio_nr_moved?: number;
  results: StepResult[];
}

/** The positive io_getevents timeouts of a scenario, summed (ns): what the live kernel may wait. */
export function timeoutTotalNs(scenario: Scenario): number {
  return scenario.steps.reduce((total, s) => total + stepTimeoutNs(s), 0);
}

/** The positive io_getevents timeouts of one step (ns), a repeat's body counted its times over. */
function stepTimeoutNs(s: Step): number {
  if (s.op === "repeat") return s.times * s.steps.reduce((t, b) => t + stepTimeoutNs(b), 0);
  if (s.op === "fork_calls") return s.calls.reduce((t, c) => t + stepTimeoutNs(c), 0);
  return (s.op === "io_getevents" || s.op === "io_pgetevents" || s.op === "thread_getevents") && typeof s.timeout_ns === "number" && s.timeout_ns > 0
    ? s.timeout_ns
    : 0;
}

export interface LimitState {
  aio_nr: number;
  aio_max_nr: number;
}

/** The aio-nr / aio-max-nr a scenario assumes when it does not say (docs/scenario-format.md). */
export function assumedLimits(scenario: Scenario): LimitState {
  return { aio_nr: scenario.aio_nr ?? 0, aio_max_nr: scenario.aio_max_nr ?? 65536 };
}
