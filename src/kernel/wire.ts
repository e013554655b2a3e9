import { MAX_NAMES, MAX_STEPS } from "../../assembly/abi/limits.js";
import { ScenarioError } from "../contract/errors.js";
import {
  isVectoredCmd,
  pipeEndOf,
  submitIoprio,
  submitNbytes,
  usigOf,
  type AddrExpr,
  type CompareOp,
  type Scenario,
  type Step,
  type Until,
  type UntilCondition,
} from "../contract/scenario.js";
import { checkStep, firstIssue, tmpfsBytes } from "../contract/scenario-schema.js";

/**
 * The probe's input (documented at the top of probe/probe.h): one line per
 * step, fields by position, names replaced by their index in `names`.
 * Each step is checked against the scenario format's schema first, so the
 * probe never sees a shape it would have to guess about.
 */
export interface Wire {
  text: string;
  names: string[];
}

/** io_pgetevents's signal argument on the wire, indexed by its abi/codes.ts code (USIG_NULL 0 ... SIGMASK_FAULT 5), as probe/wire.c reads it. */
const SIG_WORDS = ["nousig", "bogus", "null", "unblock", "block", "maskbogus"];

/** io_submit's iovec array on the wire: "-" for none, null, bogus, or "v" and the segment lengths, comma-separated. */
function iovWord(iov: number[] | 0 | "bogus" | undefined): string {
  if (iov === undefined) return "-";
  if (iov === 0) return "null";
  return iov === "bogus" ? "bogus" : `v${iov.join(",")}`;
}

/** A repeat's comparisons on the wire, as probe/loop.c reads them. */
const COMPARE_WORDS: Record<CompareOp, string> = { "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };

/** mremap's FLAGS word: 0, maymove, dontunmap or maymove+dontunmap (probe.h). */
function mremapFlags(s: { maymove?: false; dontunmap?: true }): string {
  const words = [...(s.maymove === false ? [] : ["maymove"]), ...(s.dontunmap ? ["dontunmap"] : [])];
  return words.length === 0 ? "0" : words.join("+");
}

/**
 * A repeat's until on the wire: "-" for none, else its conditions joined by
 * commas, each "rest", K:errno:NAME (null for success), K:ret:OP:VALUE,
 * K:res:E:OP:VALUE or K:res2:E:OP:VALUE.
 */
function untilWord(u: Until | undefined): string {
  if (u === undefined) return "-";
  return (Array.isArray(u) ? u : [u]).map(conditionWord).join(",");
}

function conditionWord(u: UntilCondition): string {
  if ("rest" in u) return "rest";
  const k = u.step ?? -1;
  if ("errno" in u) return `${k}:errno:${u.errno ?? "null"}`;
  if ("ret" in u) return `${k}:ret:${COMPARE_WORDS[u.ret]}:${u.value}`;
  return "res" in u ? `${k}:res:${u.event ?? 0}:${COMPARE_WORDS[u.res]}:${u.value}` : `${k}:res2:${u.event ?? 0}:${COMPARE_WORDS[u.res2]}:${u.value}`;
}

export function encodeScenario(file: string, scenario: Scenario): Wire {
  const names: string[] = [];
  const fail = (step: number | null, field: string | null, msg: string): never => {
    throw new ScenarioError(file, step, field, msg);
  };
  if (!Array.isArray(scenario.steps)) fail(null, "steps", "must be an array");
  if (scenario.steps.length > MAX_STEPS) fail(null, "steps", `more than ${MAX_STEPS} steps`);

  const nameIndex = (i: number, field: string, name: string): number => {
    let k = names.indexOf(name);
    if (k < 0) {
      if (names.length === MAX_NAMES) fail(i, field, `more than ${MAX_NAMES} names`);
      k = names.push(name) - 1;
    }
    return k;
  };
  const optName = (i: number, field: string, v: string | undefined): string => (v === undefined ? "-" : String(nameIndex(i, field, v)));
  // The step schema has checked the expression: NAME, NAME+K or NAME+1b.
  const addr = (i: number, field: string, v: AddrExpr): string => {
    if (v === 0) return "0";
    if (v === "bogus") return "bogus";
    if (v === -1) return "-1";
    const [, name, k, bytes] = /^([^+]+)(?:\+(\d+)(b?))?$/.exec(v) as RegExpExecArray;
    // A name not bound at this point is reported by the probe when reached:
    // binding depends on whether earlier steps succeeded.
    const idx = nameIndex(i, field, name);
    const n = k === undefined ? 0 : Number(k);
    return bytes ? `N${idx}+0+${n}` : `N${idx}+${n}+0`;
  };

  // io_submit's resfd: "-" (no IOCB_FLAG_RESFD), bad, file, or an eventfd's name index.
  const resfdWord = (i: number, v: string | undefined): string =>
    v === undefined ? "-" : v === "bad" || v === "file" ? v : `N${nameIndex(i, "resfd", v)}+0+0`;

  // io_submit's fd: a word for the test file, or a pipe end as "pr" or "pw" and the pipe's name index.
  const fdWord = (i: number, fd: string | undefined): string => {
    const end = pipeEndOf(fd);
    return end ? `p${end.write ? "w" : "r"}${nameIndex(i, "fd", end.pipe)}` : (fd ?? "ok");
  };

  const line = (i: number, s: Step): string => {
    switch (s.op) {
      case "repeat":
        // The body's lines follow the repeat's own, which says how many there are.
        return [`repeat ${s.times} ${s.blocks ?? "-"} ${s.steps.length} ${untilWord(s.until)}`, ...s.steps.map((b) => line(i, b))].join("\n");
      case "io_setup":
        return `io_setup ${s.nr_events} ${optName(i, "name", s.name)} ${s.ctxp === undefined ? 0 : s.ctxp === "nonzero" ? 1 : s.ctxp === 0 ? "null" : "bogus"}`;
      case "io_destroy":
        return `io_destroy ${addr(i, "ctx", s.ctx)}`;
      case "io_submit":
        return `io_submit ${addr(i, "ctx", s.ctx)} ${s.count} ${s.cmd} ${s.data} ${fdWord(i, s.fd)} ${s.iocbs ?? "ok"} ${s.null_entry ?? "-"} ${s.bogus_entry ?? "-"} ${isVectoredCmd(s.cmd) ? 0 : submitNbytes(s)} ${s.offset ?? 0} ${s.rw_flags ?? 0} ${resfdWord(i, s.resfd)} ${submitIoprio(s)} ${s.aio_flags ?? 0} ${iovWord(s.iov)} ${s.events ?? 0}`;
      case "io_getevents":
        return `io_getevents ${addr(i, "ctx", s.ctx)} ${s.min_nr} ${s.nr} ${s.timeout_ns === null ? "null" : s.timeout_ns} ${s.events ?? "ok"}`;
      case "io_pgetevents":
        return `io_pgetevents ${addr(i, "ctx", s.ctx)} ${s.min_nr} ${s.nr} ${s.timeout_ns === null ? "null" : s.timeout_ns} ${s.events ?? "ok"} ${SIG_WORDS[usigOf(s).usig]} ${usigOf(s).sigsetsize}`;
      case "raise":
        return "raise";
      case "ftruncate":
        return `ftruncate ${s.size}`;
      case "setrlimit_fsize":
        return `setrlimit_fsize ${s.bytes}`;
      case "io_cancel":
        // IOCB: control block 0, 0, bogus, or "s" STEP ":" BLOCK, a block of an earlier io_submit step.
        return `io_cancel ${addr(i, "ctx", s.ctx)} ${s.submit !== undefined ? `s${s.submit}:${s.block ?? 0}` : s.iocb === undefined ? "block" : s.iocb}`;
      case "user_reap":
        return `user_reap ${addr(i, "ctx", s.ctx)} ${s.max}`;
      case "ring":
        return `ring ${addr(i, "ctx", s.ctx)}`;
      case "store_head":
        return `store_head ${addr(i, "ctx", s.ctx)} ${s.head}`;
      case "store_event":
        return `store_event ${addr(i, "ctx", s.ctx)} ${s.slot} ${s.data} ${s.res} ${s.res2 ?? 0}`;
      case "ring_events":
        return `ring_events ${addr(i, "ctx", s.ctx)} ${s.slot} ${s.count}`;
      case "mmap":
        return `mmap ${s.pages} ${nameIndex(i, "name", s.name)} ${s.at === undefined ? "-" : addr(i, "at", s.at)} ${s.noreplace ? "noreplace" : "replace"} ${s.align ?? 0} ${s.shared ? "shared" : "private"} ${s.prot ?? "rw"} ${s.file ? (s.file_page ?? 0) : "-"}`;
      case "munmap":
        return `munmap ${addr(i, "addr", s.addr)} ${s.pages}`;
      case "mremap":
        return `mremap ${addr(i, "addr", s.addr)} ${s.old_pages} ${s.new_pages} ${s.to === undefined ? "-" : addr(i, "to", s.to)} ${optName(i, "name", s.name)} ${mremapFlags(s)}`;
      case "fork_mremap":
        return `fork_mremap ${addr(i, "addr", s.addr)} ${s.pages} ${addr(i, "to", s.to)}`;
      case "fork":
        return `fork ${line(i, s.call)}`;
      case "fork_calls":
        // The count, then each call on a line of its own, as the probe's fork_calls takes them.
        return [`fork_calls ${s.calls.length}`, ...s.calls.map((c) => line(i, c))].join("\n");
      case "page":
        return `page ${addr(i, "addr", s.addr)}`;
      case "fill":
        return `fill ${addr(i, "addr", s.addr)} ${s.pages} ${s.value}`;
      case "peek":
        return `peek ${addr(i, "addr", s.addr)} ${s.pages}`;
      case "buf_fill":
        return `buf_fill ${s.offset ?? 0} ${s.bytes} ${s.value}`;
      case "buf_peek":
        return `buf_peek ${s.offset ?? 0} ${s.bytes}`;
      case "eventfd":
        return `eventfd ${nameIndex(i, "name", s.name)} ${s.initval ?? 0} ${s.semaphore ? "semaphore" : 0}`;
      case "eventfd_read":
        return `eventfd_read ${nameIndex(i, "fd", s.fd)}`;
      case "pipe":
        return `pipe ${nameIndex(i, "name", s.name)}`;
      case "pipe_write":
      case "pipe_read":
        return `${s.op} ${nameIndex(i, "pipe", s.pipe)} ${s.bytes}`;
      case "thread_getevents":
        return `thread_getevents ${nameIndex(i, "name", s.name)} ${addr(i, "ctx", s.ctx)} ${s.min_nr ?? s.nr} ${s.nr} ${s.timeout_ns === null ? "null" : s.timeout_ns}`;
      case "thread_join":
        return `thread_join ${nameIndex(i, "name", s.name)}`;
    }
  };

  // Every step is checked by the scenario format's own schema, so the probe
  // is sent only what a scenario file could hold.
  const text = scenario.steps.map((s, i) => `${line(i, checkStep(file, i, s))}\n`);
  if (scenario.zero_page === false) text.unshift("zero_page 0\n");
  if (scenario.tmpfs_bytes !== undefined) {
    const size = tmpfsBytes.safeParse(scenario.tmpfs_bytes);
    if (!size.success) fail(null, "tmpfs_bytes", firstIssue(size.error).message);
    text.unshift(`tmpfs ${scenario.tmpfs_bytes}\n`);
  }
  return { text: text.join(""), names };
}
