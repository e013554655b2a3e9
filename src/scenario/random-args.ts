// Arguments both fuzzers draw the same way: io_pgetevents's signal argument,
// and the opcode, range, file, rw_flags, eventfd, priority and iovec array
// of an io_submit's blocks, the eventfds they signal, and small loops.
import { UIO_MAXIOV } from "../../assembly/abi/iocb.js";
import { RWF_APPEND, RWF_ATOMIC, RWF_DONTCACHE, RWF_DSYNC, RWF_HIPRI, RWF_NOAPPEND, RWF_NOSIGNAL, RWF_NOWAIT, RWF_SYNC } from "../../assembly/abi/rwf.js";
import { IOPRIO_NR_HINTS } from "../../assembly/abi/iocb-flags.js";
import { MAX_UNTIL_CONDITIONS } from "../../assembly/abi/limits.js";
import {
  isLoopBodyStep,
  type AddrExpr,
  type Ioprio,
  type MmapProt,
  type LoopBodyStep,
  type RepeatStep,
  type Step,
  type StepOf,
  type Until,
  type UntilCondition,
  submitNbytes,
} from "../contract/scenario.js";
import type { Prng } from "../util/prng.js";

type SignalArgs = Pick<StepOf<"io_pgetevents">, "usig" | "sigmask" | "sigsetsize">;
type SubmitStep = StepOf<"io_submit">;
type RangeArgs = Pick<SubmitStep, "nbytes" | "offset">;

/** Mostly a mask that lets the pending SIGUSR1 in (or keeps it out); now and then no struct, one the kernel cannot read, or a wrong sigsetsize. */
export function randomSignalArgs(rng: Prng): SignalArgs {
  const roll = rng.int(0, 99);
  if (roll < 10) return {};
  if (roll < 15) return { usig: rng.pick([0, "bogus"] as const) };
  const sigmask = rng.pick([0, "unblock", "unblock", "unblock", "block", "bogus"] as const);
  return roll < 22 ? { sigmask, sigsetsize: rng.pick([0, 4, 16, 128]) } : { sigmask };
}

/** Mostly a read or write; now and then a sync block, or (`bad`: its chance) an opcode the kernel does not know or IOCB_CMD_NOOP. */
export function randomCmd(rng: Prng, bad: number): SubmitStep["cmd"] {
  if (rng.chance(bad)) return rng.pick(["bad", "noop"] as const);
  return rng.chance(0.15) ? rng.pick(["fsync", "fdsync"] as const) : rng.pick(["pread", "pwrite"] as const);
}

/**
 * The largest block the fuzzers draw: larger ones (to MAX_IO_BYTES) answer
 * alike and only take longer, minutes of copying on an emulated guest.
 */
const LARGE_BLOCK = 1 << 20;

/** Mostly the default range (512 bytes, none for a sync block) at 0; a third of the time around the test file's end (short reads, growing writes), far past it, or before 0 (EINVAL). */
export function randomRange(rng: Prng): RangeArgs {
  if (rng.chance(0.67)) return {};
  const nbytes = rng.chance(0.05) ? LARGE_BLOCK : rng.pick([0, 1, 512, 4096, 65536]);
  const offset = rng.pick([0, 512, 16000, 16384, 17000, 100_000, 2 ** 31, -1, -512]);
  return { nbytes, offset };
}

/** Megabyte blocks come a few a call: the kernel copies each one, slowly on an emulated guest. */
export function countForRange(range: RangeArgs, count: number): number {
  return (range.nbytes ?? 0) > 65536 ? Math.min(count, 8) : count;
}

/**
 * Now and then (`chance`) a file other than the read-write one: a closed
 * fd, or the file opened read-only, write-only, for appending or with O_DIRECT. Appended
 * blocks are new data the kernel stores, so they stay at 512 bytes or less.
 */
export function withRandomFd(rng: Prng, chance: number, step: SubmitStep): SubmitStep {
  if (!rng.chance(chance)) return step;
  const fd = rng.pick(["bad", "rdonly", "wronly", "append", "direct"] as const);
  return fd === "append" ? { ...step, fd, nbytes: Math.min(submitNbytes(step), 512) } : { ...step, fd };
}

/** The aio_rw_flags bits drawn: every RWF_* some kernel knows (abi/rwf.ts), one no kernel knows yet, and the top bit. */
const RWF_BITS = [RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT, RWF_APPEND, RWF_NOAPPEND, RWF_ATOMIC, RWF_DONTCACHE, RWF_NOSIGNAL, 0x200, 0x80000000];

/**
 * Now and then (`chance`) rw_flags of one to three bits. RWF_APPEND makes a
 * write append, like fd "append", so such blocks stay at 512 bytes or less.
 */
export function withRandomRwFlags(rng: Prng, chance: number, step: SubmitStep): SubmitStep {
  if (!rng.chance(chance)) return step;
  let rw_flags = 0;
  for (let n = rng.int(1, 3); n > 0; n--) rw_flags = (rw_flags | rng.pick(RWF_BITS)) >>> 0;
  return rw_flags & RWF_APPEND ? { ...step, rw_flags, nbytes: Math.min(submitNbytes(step), 512) } : { ...step, rw_flags };
}

/** A new eventfd named `name`: mostly empty, now and then holding 1 or the most its initval can, now and then a semaphore. */
export function randomEventfd(rng: Prng, name: string): StepOf<"eventfd"> {
  const initval = rng.pick([0, 0, 0, 1, 2 ** 32 - 1]);
  const step: StepOf<"eventfd"> = initval === 0 ? { op: "eventfd", name } : { op: "eventfd", name, initval };
  return rng.chance(0.3) ? { ...step, semaphore: true } : step;
}

/** Now and then (`chance`) IOCB_FLAG_RESFD: mostly one of `eventfds` (if any), else a closed descriptor or the test file. */
export function withRandomResfd(rng: Prng, chance: number, step: SubmitStep, eventfds: readonly string[]): SubmitStep {
  if (!rng.chance(chance)) return step;
  const resfd = eventfds.length > 0 && rng.chance(0.75) ? rng.pick(eventfds) : rng.pick(["bad", "file"]);
  return { ...step, resfd };
}

/**
 * Now and then (`chance`) IOCB_FLAG_IOPRIO with a priority of any class (the
 * four named ones most), level 0 or any, and now and then a hint (which
 * only kernels before hints read as data); and as often aio_flags bits no
 * kernel knows.
 */
export function withRandomIoprio(rng: Prng, chance: number, step: SubmitStep): SubmitStep {
  const flagged: SubmitStep = rng.chance(chance / 3) ? { ...step, aio_flags: rng.pick([4, 0x80000000, 0xfffffffc]) } : step;
  if (!rng.chance(chance)) return flagged;
  const ioprio: Ioprio = { class: rng.pick([0, 0, 1, 2, 2, 3, 3, 4, 6, 7]), level: rng.chance(0.5) ? 0 : rng.int(0, 7) };
  return { ...flagged, ioprio: rng.chance(0.25) ? { ...ioprio, hint: rng.pick([1, 8, IOPRIO_NR_HINTS - 1]) } : ioprio };
}

/** Segment lengths drawn for a vectored block: none, one byte, the default block, a page, the whole I/O buffer. */
const SEGMENT_LENGTHS = [0, 1, 512, 4096, 65536];

/**
 * Now and then (`chance`) a read or write made vectored (preadv, pwritev):
 * mostly one to four segments; sometimes none, UIO_MAXIOV of them or one
 * more (EINVAL), or an array the kernel cannot read (EFAULT). Its nbytes
 * goes: aio_nbytes is the segment count. A block that appends stays at 512
 * bytes or less, as withRandomFd's and withRandomRwFlags's do; apply this
 * one after them.
 */
export function withRandomIov(rng: Prng, chance: number, step: SubmitStep): SubmitStep {
  if ((step.cmd !== "pread" && step.cmd !== "pwrite") || !rng.chance(chance)) return step;
  const appends = step.cmd === "pwrite" && (step.fd === "append" || ((step.rw_flags ?? 0) & RWF_APPEND) !== 0);
  const { nbytes: _, ...rest } = step;
  const cmd = step.cmd === "pread" ? "preadv" : "pwritev";
  const roll = rng.int(0, 99);
  if (roll < 10) return { ...rest, cmd, iov: rng.pick([0, "bogus"] as const) };
  if (roll < 16) return { ...rest, cmd, iov: [] };
  if (roll < 24) return { ...rest, cmd, iov: Array<number>(rng.pick([UIO_MAXIOV, UIO_MAXIOV + 1])).fill(appends ? 0 : rng.pick([0, 1, 16])) };
  const lengths = appends ? [0, 1, 256] : SEGMENT_LENGTHS;
  return { ...rest, cmd, iov: Array.from({ length: rng.int(1, appends ? 2 : 4) }, () => rng.pick(lengths)) };
}

/**
 * A small bounded loop: 1 to 3 calls `call` draws (null: none fits), 1 to 6
 * times over; now and then submitting `blocks` in all through a first call
 * with count "rest" at `ctx()`, and stopping on an errno, a ret, a reaped
 * event's res or res2, or the blocks' end, or on any of a list of such
 * conditions. Null when `call` gave nothing a body may hold.
 */
export function randomLoop(rng: Prng, call: () => Step | null, ctx: () => AddrExpr): RepeatStep | null {
  const body: LoopBodyStep[] = [];
  for (let tries = 0, n = rng.int(1, 3); body.length < n && tries < 20; tries++) {
    const s = call();
    if (s !== null && isLoopBodyStep(s)) body.push(s);
  }
  if (body.length === 0) return null;
  const blocks = rng.chance(0.3) ? rng.int(1, 300) : undefined;
  if (blocks !== undefined) body[0] = { op: "io_submit", ctx: ctx(), count: "rest", cmd: rng.pick(["pread", "pwrite"] as const), data: rng.int(0, 1_000_000) };
  let until: Until | undefined;
  if (rng.chance(0.25)) {
    const list = Array.from({ length: rng.int(1, MAX_UNTIL_CONDITIONS) }, () => randomCondition(rng, body, blocks));
    if (!list.includes(undefined)) until = list as UntilCondition[];
  } else until = randomCondition(rng, body, blocks);
  return { op: "repeat", times: rng.int(1, 6), ...(blocks === undefined ? {} : { blocks }), ...(until === undefined ? {} : { until }), steps: body };
}

/** One condition on a random body call that has what it reads (undefined now and then, or when it has nothing). */
function randomCondition(rng: Prng, body: readonly LoopBodyStep[], blocks: number | undefined): UntilCondition | undefined {
  const cmp = () => rng.pick(["==", "!=", "<", "<=", ">", ">="] as const);
  const reaps = body.flatMap((b, k) => (b.op === "io_getevents" || b.op === "io_pgetevents" || b.op === "ring_events" ? [k] : []));
  const roll = rng.int(0, 9);
  if (blocks !== undefined && roll < 3) return { rest: 0 };
  // A reap's events: their res (bytes moved, 0, -EFBIG, -ENOSPC: FINDINGS 45, 49), ring_events' res2 too.
  if (roll < 6 && reaps.length > 0) {
    const k = rng.pick(reaps);
    const event = rng.chance(0.7) ? {} : { event: rng.int(0, 3) };
    if (body[k].op === "ring_events" && rng.chance(0.6)) return { step: k, ...event, res2: cmp(), value: rng.pick([-1, 0, 1, 5]) };
    return { step: k, ...event, res: cmp(), value: rng.pick([-27, -28, 0, 1, 512, 4096]) };
  }
  const k = rng.int(0, body.length - 1);
  const op = body[k].op;
  if (roll < 7 && op !== "page") return { step: k, errno: rng.pick([null, "EAGAIN", "EINVAL", "EFAULT"] as const) };
  if (roll < 9 && op !== "page" && op !== "ring") return { step: k, ret: cmp(), value: rng.pick([-1, 0, 1, 5]) };
  return undefined;
}

/**
 * A buf_fill or buf_peek over the ranges blocks move (randomRange's lengths
 * from the buffer's start): bytes writes will take, or what reads and fills
 * left there; now and then from an odd offset.
 */
export function randomBufStep(rng: Prng): StepOf<"buf_fill"> | StepOf<"buf_peek"> {
  const offset = rng.pick([0, 0, 0, 1, 256, 511, 4096]);
  const at = offset === 0 ? {} : { offset };
  if (rng.chance(0.5)) return { op: "buf_fill", ...at, bytes: rng.pick([1, 100, 512, 4096, 65536]), value: rng.pick([0, 1, 0x42, 0xff, rng.int(0, 255)]) };
  return { op: "buf_peek", ...at, bytes: rng.pick([512, 4096, 70000]) };
}

/**
 * An mmap step's `shared` and `prot`, each now and then (FINDINGS 59), and
 * where `file` allows (no tmpfs) a mapping of the test file from one of its
 * first pages or just past them (FINDINGS 62); mostly none, a private
 * read-write anonymous mapping.
 */
export function mapKind(rng: Prng, file = true): { shared?: true; prot?: MmapProt; file?: true; file_page?: number } {
  const out: { shared?: true; prot?: MmapProt; file?: true; file_page?: number } = {};
  if (rng.chance(0.3)) out.shared = true;
  if (rng.chance(0.2)) out.prot = rng.pick(["r", "none", "rw", "w"] as const);
  if (file && rng.chance(0.25)) {
    out.file = true;
    if (rng.chance(0.5)) out.file_page = rng.pick([1, 2, 3, 4, 6]);
  }
  return out;
}
