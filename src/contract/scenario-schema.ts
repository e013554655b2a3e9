// The scenario format (docs/scenario-format.md) as zod schemas: the one
// definition of what a step may hold, used by the file parser
// (src/scenario/parse.ts) and by the kernel wire encoder (src/kernel/wire.ts),
// so a scenario one accepts the other never refuses.
import { z } from "zod";
import { IOCB_FLAGS_KNOWN, IOPRIO_NR_HINTS, IOPRIO_NR_LEVELS } from "../../assembly/abi/iocb-flags.js";
import {
  MAX_ALIGN_PAGES,
  MAX_CHILD_CALLS,
  MAX_FILL_PAGES,
  MAX_COUNT,
  MAX_IO_BYTES,
  MAX_IOV_SEGMENT_BYTES,
  MAX_IO_OFFSET,
  MAX_IOV_SEGMENTS,
  MAX_LOOP_BODY,
  MAX_LOOP_TIMES,
  MAX_MAPPING_PAGES,
  MAX_NR_EVENTS,
  MAX_STEPS,
  MAX_THREAD_NR,
  MAX_THREAD_TIMEOUT_NS,
  MAX_TMPFS_BYTES,
  MAX_UNTIL_CONDITIONS,
  MIN_THREAD_TIMEOUT_NS,
  MIN_TMPFS_BYTES,
} from "../../assembly/abi/limits.js";
import { PAGE_SIZE } from "../../assembly/abi/ring.js";
import { PIPE_MAX_BYTES } from "../../assembly/abi/poll.js";
import { ScenarioError } from "./errors.js";
import { PROFILE_NAMES } from "./profile.js";
import { ERRNO_NAMES, isVectoredCmd, type ProfileName, type RepeatStep, type Step } from "./scenario.js";

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** K in "NAME+K" has at most seven digits: an offset below 10^7 pages. */
const ADDR_PATTERN = /^(?:bogus|[A-Za-z_][A-Za-z0-9_]{0,63}(?:\+(?:\d{1,7}|1b))?)$/;

// The range first: a number past 2^53 is reported against its own limit, not the safe-integer one.
const int = (min: number, max: number) => z.number().min(min).max(max).int();
const name = z
  .string()
  .regex(NAME_PATTERN, "a name is a letter or _ then up to 63 letters, digits or _")
  .refine((v) => v !== "bogus", '"bogus" is the unmapped address, not a name');
/** A pipe end as io_submit's fd names it: a pipe step's name, then ".read" or ".write". */
const PIPE_END_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}\.(?:read|write)$/;
const pipeEnd = z.custom<`${string}.read` | `${string}.write`>(
  (v) => typeof v === "string" && PIPE_END_PATTERN.test(v),
  'fd is "bad", "rdonly", "wronly", "append", "direct", or a pipe end: "P.read" or "P.write" of a pipe step\'s name P',
);
const addr = z.union([z.literal(0), z.literal(-1), z.string().regex(ADDR_PATTERN, 'an address is a name, NAME+K (pages), NAME+1b, 0, -1 or "bogus"')]);

/** io_getevents's fields, which io_pgetevents takes too. */
const getevents = {
  ctx: addr,
  min_nr: int(-(2 ** 31), MAX_COUNT),
  nr: int(-(2 ** 31), MAX_COUNT),
  timeout_ns: z.union([z.null(), int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), z.literal("bogus")]),
  events: z.union([z.literal(0), z.literal("bogus")]).optional(),
};

const ioSetup = z.strictObject({
  op: z.literal("io_setup"),
  nr_events: int(0, MAX_NR_EVENTS),
  name: name.optional(),
  ctxp: z.union([z.literal("nonzero"), z.literal(0), z.literal("bogus")]).optional(),
});
const ioDestroy = z.strictObject({ op: z.literal("io_destroy"), ctx: addr });
const ioSubmit = z
  .strictObject({
    op: z.literal("io_submit"),
    ctx: addr,
    // "rest" only in a repeat with blocks (repeatProblem, checkStep).
    count: z.union([int(-(2 ** 31), MAX_COUNT), z.literal("rest")]),
    cmd: z.enum(["pread", "pwrite", "fsync", "fdsync", "bad", "noop", "preadv", "pwritev", "poll"]),
    data: int(0, Number.MAX_SAFE_INTEGER - MAX_COUNT),
    fd: z.union([z.enum(["bad", "rdonly", "wronly", "append", "direct"]), pipeEnd]).optional(),
    iocbs: z.union([z.literal(0), z.literal("bogus")]).optional(),
    null_entry: int(0, MAX_COUNT).optional(),
    bogus_entry: int(0, MAX_COUNT).optional(),
    nbytes: int(0, MAX_IO_BYTES).optional(),
    offset: int(-MAX_IO_OFFSET, MAX_IO_OFFSET).optional(),
    // struct iocb's aio_rw_flags is 32 bits: any of them, known or not.
    rw_flags: int(0, 2 ** 32 - 1).optional(),
    resfd: z.union([z.literal("bad"), z.literal("file"), name]).optional(),
    // aio_reqprio is 16 bits: a class in 3, a hint in 10, a level in 3; every value of each is writable.
    ioprio: z.strictObject({ class: int(0, 7), level: int(0, IOPRIO_NR_LEVELS - 1), hint: int(0, IOPRIO_NR_HINTS - 1).optional() }).optional(),
    aio_flags: int(0, 2 ** 32 - 1)
      .refine((v) => (v & IOCB_FLAGS_KNOWN) === 0, "IOCB_FLAG_RESFD and IOCB_FLAG_IOPRIO (bits 0 and 1) are set by resfd and ioprio")
      .optional(),
    // A vectored block's segment lengths (the probe points each at the start of its buffer), or an unreadable pointer.
    iov: z.union([z.array(int(0, MAX_IOV_SEGMENT_BYTES)).max(MAX_IOV_SEGMENTS), z.literal(0), z.literal("bogus")]).optional(),
    // aio_buf of a poll block: its low 16 bits are the events, a bit above them is EINVAL.
    events: int(0, 2 ** 32 - 1).optional(),
  })
  .refine((s) => s.cmd === "poll" || s.events === undefined, { message: "only a poll block takes events", path: ["events"] })
  // A read or write of a pipe waits while it is empty or full: the step would block (FINDINGS 53).
  .refine((s) => s.cmd === "poll" || s.fd === undefined || !PIPE_END_PATTERN.test(s.fd), { message: "a pipe end is for poll blocks only", path: ["fd"] })
  // For preadv and pwritev aio_nbytes is the segment count: iov alone says it, so nothing can contradict it.
  .refine((s) => !isVectoredCmd(s.cmd) || s.iov !== undefined, { message: 'preadv and pwritev need iov: the segment lengths, or 0 or "bogus"', path: ["iov"] })
  .refine((s) => !isVectoredCmd(s.cmd) || s.nbytes === undefined, {
    message: "a preadv or pwritev block's aio_nbytes is its segment count, the length of iov: give no nbytes",
    path: ["nbytes"],
  })
  .refine((s) => isVectoredCmd(s.cmd) || s.iov === undefined, { message: "only preadv and pwritev take an iovec array", path: ["iov"] });
const ioGetevents = z.strictObject({ op: z.literal("io_getevents"), ...getevents });
const ioCancel = z
  .strictObject({
    op: z.literal("io_cancel"),
    ctx: addr,
    iocb: z.union([z.literal(0), z.literal("bogus")]).optional(),
    // An earlier io_submit step's index and one of its blocks (checkPipesAndPolls holds them to the scenario).
    submit: int(0, MAX_STEPS - 1).optional(),
    block: int(0, MAX_COUNT - 1).optional(),
  })
  .refine((s) => s.iocb === undefined || s.submit === undefined, { message: "iocb and submit both name the control block: give one", path: ["submit"] })
  .refine((s) => s.block === undefined || s.submit !== undefined, {
    message: "block is one of the blocks of io_submit step `submit`: give submit",
    path: ["submit"],
  });
const ring = z.strictObject({ op: z.literal("ring"), ctx: addr });
// A head is any u32 (the kernel takes it modulo nr); slots and counts as other counts; values stay exact in a double.
const ringSlot = int(0, MAX_COUNT);
const storeHead = z.strictObject({ op: z.literal("store_head"), ctx: addr, head: int(0, 2 ** 32 - 1) });
const storeEvent = z.strictObject({
  op: z.literal("store_event"),
  ctx: addr,
  slot: ringSlot,
  data: int(0, 2 ** 53 - 1),
  res: int(-(2 ** 53 - 1), 2 ** 53 - 1),
  res2: int(-(2 ** 53 - 1), 2 ** 53 - 1).optional(),
});
const ringEvents = z.strictObject({ op: z.literal("ring_events"), ctx: addr, slot: ringSlot, count: int(0, MAX_COUNT) });
const munmap = z.strictObject({ op: z.literal("munmap"), addr, pages: int(0, MAX_COUNT) });
const mremap = z.strictObject({
  op: z.literal("mremap"),
  addr,
  old_pages: int(1, MAX_COUNT),
  new_pages: int(0, MAX_MAPPING_PAGES),
  to: addr.optional(),
  name: name.optional(),
  maymove: z.literal(false).optional(),
  dontunmap: z.literal(true).optional(),
});
const page = z.strictObject({ op: z.literal("page"), addr });
const fill = z.strictObject({ op: z.literal("fill"), addr, pages: int(1, MAX_FILL_PAGES), value: int(0, 255) });
const peek = z.strictObject({ op: z.literal("peek"), addr, pages: int(1, MAX_FILL_PAGES) });
// The I/O buffer is MAX_IO_BYTES: a range must lie inside it.
const bufRange = { offset: int(0, MAX_IO_BYTES - 1).optional(), bytes: int(1, MAX_IO_BYTES) };
const insideBuf = { message: `offset + bytes must stay within the I/O buffer's ${MAX_IO_BYTES} bytes`, path: ["bytes"] };
const bufFill = z
  .strictObject({ op: z.literal("buf_fill"), ...bufRange, value: int(0, 255) })
  .refine((s) => (s.offset ?? 0) + s.bytes <= MAX_IO_BYTES, insideBuf);
const bufPeek = z.strictObject({ op: z.literal("buf_peek"), ...bufRange }).refine((s) => (s.offset ?? 0) + s.bytes <= MAX_IO_BYTES, insideBuf);
const ftruncate = z.strictObject({ op: z.literal("ftruncate"), size: int(0, MAX_IO_OFFSET) });
const eventfdRead = z.strictObject({ op: z.literal("eventfd_read"), fd: name });
const mmap = z
  .strictObject({
    op: z.literal("mmap"),
    pages: int(0, MAX_MAPPING_PAGES),
    name,
    // MAP_FIXED at 0 or below mmap_min_addr works only with CAP_SYS_RAWIO: the answer would depend on who runs it.
    at: addr.refine((v) => v !== 0 && v !== "bogus", 'a fixed mapping at 0 or "bogus" (below mmap_min_addr) depends on privilege').optional(),
    noreplace: z.literal(true).optional(),
    align: int(2, MAX_ALIGN_PAGES)
      .refine((v) => (v & (v - 1)) === 0, "a power of two (pages)")
      .optional(),
    shared: z.literal(true).optional(),
    prot: z.enum(["rw", "r", "w", "none"]).optional(),
    file: z.literal(true).optional(),
    file_page: int(0, MAX_MAPPING_PAGES).optional(),
  })
  .refine((s) => s.noreplace === undefined || s.at !== undefined, { message: "MAP_FIXED_NOREPLACE needs an address: give `at`", path: ["noreplace"] })
  .refine((s) => s.file_page === undefined || s.file === true, { message: "`file_page` is a page of the test file: give `file`", path: ["file_page"] })
  .refine((s) => s.align === undefined || s.at === undefined, { message: "`align` chooses the address itself: not with `at`", path: ["align"] });

/** Calls that bind no name, which the child of either fork step may make. */
const namelessCalls = [ioDestroy, ioSubmit, ioGetevents, ioCancel, ring, ringEvents, munmap, page] as const;

/** A fork step's call: the child's own step, binding no name (docs/scenario-format.md, `fork`). */
const childCall = z.discriminatedUnion("op", [ioSetup.omit({ name: true }), mremap.omit({ name: true }), ...namelessCalls]);

/** A fork_calls step's calls: steps the child runs in order, names its own (docs/scenario-format.md, `fork_calls`). */
const childStep = z.discriminatedUnion("op", [
  ioSetup,
  mremap,
  ...namelessCalls,
  storeHead,
  storeEvent,
  mmap,
  ftruncate,
  eventfdRead,
  fill,
  peek,
  bufFill,
  bufPeek,
]);

const ioPgetevents = z
  .strictObject({
    op: z.literal("io_pgetevents"),
    ...getevents,
    usig: z.union([z.literal(0), z.literal("bogus")]).optional(),
    sigmask: z.union([z.literal(0), z.literal("unblock"), z.literal("block"), z.literal("bogus")]).optional(),
    sigsetsize: int(0, 2 ** 31).optional(),
  })
  .refine((s) => s.usig === undefined || (s.sigmask === undefined && s.sigsetsize === undefined), {
    message: 'usig 0 or "bogus" is a pointer with no struct behind it: it takes no sigmask nor sigsetsize',
    path: ["usig"],
  });
const raise = z.strictObject({ op: z.literal("raise") });
const setrlimitFsize = z.strictObject({ op: z.literal("setrlimit_fsize"), bytes: z.union([int(0, MAX_IO_OFFSET), z.literal("infinity")]) });
const userReap = z.strictObject({ op: z.literal("user_reap"), ctx: addr, max: int(0, MAX_COUNT) });

/** What a repeat's body may call (LoopBodyStep): every call but eventfd, fork, fork_calls and fork_mremap. */
const bodyCalls = [
  ioSetup,
  ioDestroy,
  ioSubmit,
  ioGetevents,
  ioPgetevents,
  raise,
  ftruncate,
  setrlimitFsize,
  ioCancel,
  userReap,
  ring,
  storeHead,
  storeEvent,
  ringEvents,
  mmap,
  munmap,
  mremap,
  page,
  eventfdRead,
] as const;
const bodyStep = z.discriminatedUnion("op", bodyCalls);

const untilStep = int(0, MAX_LOOP_BODY - 1).optional();
const compareOp = z.enum(["==", "!=", "<", "<=", ">", ">="]);
const compareValue = int(-(2 ** 31), 2 ** 53 - 1);
const untilEvent = int(0, MAX_COUNT - 1).optional();
const untilCondition = z.union([
  z.strictObject({ step: untilStep, errno: z.union([z.enum(ERRNO_NAMES), z.null()]) }),
  z.strictObject({ step: untilStep, ret: compareOp, value: compareValue }),
  z.strictObject({ step: untilStep, event: untilEvent, res: compareOp, value: compareValue }),
  z.strictObject({ step: untilStep, event: untilEvent, res2: compareOp, value: compareValue }),
  z.strictObject({ rest: z.literal(0) }),
]);
const until = z.union([untilCondition, z.array(untilCondition).min(1).max(MAX_UNTIL_CONDITIONS)]);

const repeat = z
  .strictObject({
    op: z.literal("repeat"),
    times: int(1, MAX_LOOP_TIMES),
    blocks: int(1, MAX_COUNT).optional(),
    until: until.optional(),
    steps: z.array(bodyStep).min(1).max(MAX_LOOP_BODY),
  })
  .superRefine((s, ctx) => {
    const problem = repeatProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
  });

/** A repeat's fields that contradict each other: where and why, or null. */
function repeatProblem(s: RepeatStep): { path: PropertyKey[]; message: string } | null {
  const rests = s.steps.filter((b) => b.op === "io_submit" && b.count === "rest").length;
  if (s.blocks !== undefined && rests === 0)
    return { path: ["blocks"], message: 'blocks are submitted by the body\'s io_submit steps with count "rest": there is none' };
  if (s.blocks === undefined && rests > 0) return { path: ["blocks"], message: 'an io_submit with count "rest" needs the loop\'s blocks' };
  if (s.until === undefined) return null;
  const list = Array.isArray(s.until);
  for (const [j, u] of (Array.isArray(s.until) ? s.until : [s.until]).entries()) {
    const at = list ? ["until", j] : ["until"];
    if ("rest" in u) {
      if (s.blocks === undefined) return { path: [...at, "rest"], message: "rest counts the loop's blocks: give blocks" };
      continue;
    }
    const k = u.step ?? s.steps.length - 1;
    const target = s.steps[k];
    if (target === undefined) return { path: [...at, "step"], message: `the body has ${s.steps.length} steps (0 to ${s.steps.length - 1})` };
    const field = "errno" in u ? "errno" : "ret" in u ? "ret" : "res" in u ? "res" : "res2";
    if (!UNTIL_READS[field](target.op)) return { path: [...at, field], message: `body step ${k} (${target.op}) has no ${field}` };
  }
  return null;
}

/** Whether a body op's result carries the field an until condition reads: page has none, ring no ret, only reaps have events (ring_events their res2 too). */
const UNTIL_READS: Record<"errno" | "ret" | "res" | "res2", (op: string) => boolean> = {
  errno: (op) => op !== "page",
  ret: (op) => op !== "page" && op !== "ring",
  res: (op) => op === "io_getevents" || op === "io_pgetevents" || op === "ring_events",
  res2: (op) => op === "ring_events",
};

const steps = [
  ...bodyCalls,
  z.strictObject({ op: z.literal("fork_mremap"), addr, pages: int(1, MAX_MAPPING_PAGES), to: addr }),
  z.strictObject({ op: z.literal("fork"), call: childCall }),
  z.strictObject({ op: z.literal("fork_calls"), calls: z.array(childStep).min(1).max(MAX_CHILD_CALLS) }),
  fill,
  peek,
  bufFill,
  bufPeek,
  z.strictObject({
    op: z.literal("eventfd"),
    name: name.refine((v) => v !== "file" && v !== "bad", 'io_submit\'s resfd reads "bad" and "file" as a closed descriptor and the test file, not as names'),
    // eventfd(2)'s initval is an unsigned int.
    initval: int(0, 2 ** 32 - 1).optional(),
    semaphore: z.literal(true).optional(),
  }),
  z.strictObject({
    op: z.literal("pipe"),
    name: name.refine((v) => v !== "file" && v !== "bad", 'io_submit\'s resfd reads "bad" and "file" as a closed descriptor and the test file, not as names'),
  }),
  z.strictObject({ op: z.literal("pipe_write"), pipe: name, bytes: int(0, PIPE_MAX_BYTES) }),
  z.strictObject({ op: z.literal("pipe_read"), pipe: name, bytes: int(0, PIPE_MAX_BYTES) }),
  z
    .strictObject({
      op: z.literal("thread_getevents"),
      name,
      ctx: addr,
      min_nr: int(1, MAX_THREAD_NR).optional(),
      nr: int(1, MAX_THREAD_NR),
      // No timeout, or one that outlasts the steps before the join (src/scenario/threads.ts).
      timeout_ns: z
        .number()
        .min(MIN_THREAD_TIMEOUT_NS, "a thread's timeout is null or at least 1 s (1e9 ns): it must not expire before its join")
        .max(MAX_THREAD_TIMEOUT_NS, "a thread's timeout is at most 10 s (1e10 ns): a join may wait it out")
        .int()
        .nullable(),
    })
    .refine((s) => s.min_nr === undefined || s.min_nr <= s.nr, {
      message: "a thread's min_nr is 1 to nr (its io_getevents would fail EINVAL)",
      path: ["min_nr"],
    }),
  z.strictObject({ op: z.literal("thread_join"), name }),
  repeat,
] as const;

/** A step as the schema parses it: the contract's Step, checked both ways at compile time below. */
type ParsedStep = z.infer<(typeof steps)[number]>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const stepSchemaIsTheContract: Same<ParsedStep, Step> = true;
void stepSchemaIsTheContract;

const OPS = steps.map((s) => s.shape.op.value);
const stepByOp = new Map<string, z.ZodType<ParsedStep>>(steps.map((s) => [s.shape.op.value, s]));

/** The size of a scenario's tmpfs: whole pages, room for the 16 KiB test file, bounded memory. */
export const tmpfsBytes = int(MIN_TMPFS_BYTES, MAX_TMPFS_BYTES).refine((v) => v % PAGE_SIZE === 0, `tmpfs_bytes is a multiple of the page size (${PAGE_SIZE})`);

/** A scenario's fields around its steps; each step is checked on its own by checkStep. */
export const scenarioHeader = z.strictObject({
  name: z.string().min(1).max(200),
  profile: z.enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]]).optional(),
  cpus: int(1, 4096).optional(),
  aio_max_nr: int(0, 2 ** 32 - 1).optional(),
  aio_nr: int(0, 2 ** 33).optional(),
  zero_page: z.boolean().optional(),
  tmpfs_bytes: tmpfsBytes.optional(),
  steps: z.array(z.unknown()).max(MAX_STEPS),
});

/** First issue of a zod error as (field path, message). */
export function firstIssue(err: z.ZodError): { path: PropertyKey[]; message: string } {
  const issue = err.issues[0];
  return { path: issue.path, message: issue.message };
}

/** Step `i` of `file` checked against its op's schema: the step, or a ScenarioError naming the field. */
export function checkStep(file: string, i: number, raw: unknown): Step {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ScenarioError(file, i, null, "a step is a JSON object");
  const op = (raw as { op?: unknown }).op;
  if (op === undefined) throw new ScenarioError(file, i, "op", "missing");
  const schema = typeof op === "string" ? stepByOp.get(op) : undefined;
  if (!schema) throw new ScenarioError(file, i, "op", `unknown op ${JSON.stringify(op).slice(0, 40)} (known: ${OPS.join(", ")})`);
  if (op === "repeat") refuseOutsideBody(file, i, raw);
  const r = schema.safeParse(raw);
  if (r.success) {
    const call = r.data.op === "fork" ? r.data.call : r.data;
    if (call.op === "io_submit" && call.count === "rest")
      throw new ScenarioError(file, i, r.data.op === "fork" ? "call.count" : "count", 'count "rest" is for an io_submit in the body of a repeat with blocks');
    return r.data;
  }
  const { path, message } = firstIssue(r.error);
  const issue = r.error.issues[0];
  // A fork's call is a step inside the step: its fields are named "call.FIELD".
  if (issue.code === "unrecognized_keys") throw new ScenarioError(file, i, [...path, issue.keys[0]].map(String).join("."), "unknown field");
  const field = path.length ? path.map(String).join(".") : null;
  const value = path.reduce<unknown>((o, k) => (typeof o === "object" && o !== null ? (o as Record<PropertyKey, unknown>)[k] : undefined), raw);
  // A rule between fields (a refine) says what is wanted even of a field left out.
  const detail = field !== null && value === undefined && issue.code !== "custom" ? "missing" : message;
  throw new ScenarioError(file, i, field, detail);
}

/** A repeat's body step whose op only a scenario's top level may hold, named before the schema's less direct union error. */
function refuseOutsideBody(file: string, i: number, raw: object): void {
  const body = (raw as { steps?: unknown }).steps;
  if (!Array.isArray(body)) return;
  body.forEach((b, k) => {
    const op = typeof b === "object" && b !== null ? (b as { op?: unknown }).op : undefined;
    if (typeof op !== "string" || !stepByOp.has(op)) throw new ScenarioError(file, i, `steps.${k}.op`, `unknown or missing op (known: ${OPS.join(", ")})`);
    if (
      op === "repeat" ||
      op === "eventfd" ||
      op === "fork" ||
      op === "fork_mremap" ||
      op === "pipe" ||
      op === "pipe_write" ||
      op === "pipe_read" ||
      op === "thread_getevents" ||
      op === "thread_join"
    )
      throw new ScenarioError(
        file,
        i,
        `steps.${k}.op`,
        `a repeat's body holds no ${op} (no loop in a loop, no descriptor, process or thread per iteration, no pipe I/O)`,
      );
  });
}
