// Reduces a program that disagrees with the kernel to a small one that still
// disagrees the same way, in the manner of delta debugging and of
// property-based testing's shrinkers: cut everything after the difference,
// drop chunks of steps (halves, quarters, ... single steps), drop whole
// objects (every step naming one name), then lower numbers and page offsets
// and drop optional fields. Candidates are judged in batches, so the kernel
// side can run them in parallel; the first candidate that still holds wins
// and the search goes on from it until nothing smaller holds.
import {
  asChildCall,
  asChildStep,
  isLoopBodyStep,
  pipeEndOf,
  type AddrExpr,
  type LoopBodyStep,
  type RepeatStep,
  type Scenario,
  type Step,
} from "../contract/scenario.js";
import { parseScenario } from "../scenario/parse.js";

/** Judges candidates: true where a candidate still disagrees the same way. */
export type Judge = (candidates: Scenario[]) => Promise<boolean[]>;

export interface ShrinkResult {
  scenario: Scenario;
  /** Candidates judged (each one kernel run). */
  tried: number;
}

const BATCH = 24;

/** Names a step binds or refers to. */
function namesOf(s: Step): string[] {
  if (s.op === "fork") return namesOf(s.call as Step);
  if (s.op === "fork_calls") return s.calls.flatMap(namesOf);
  if (s.op === "repeat") return s.steps.flatMap(namesOf);
  const out: string[] = [];
  const ref = (a: AddrExpr | undefined) => {
    if (typeof a === "string" && a !== "bogus") out.push(a.replace(/\+.*$/, ""));
  };
  const r = s as Record<string, unknown>;
  if (typeof r.name === "string") out.push(r.name);
  for (const f of ["ctx", "addr", "to"]) ref(r[f] as AddrExpr | undefined);
  // A pipe: its writes and reads, and the poll blocks on its ends.
  if (s.op === "pipe_write" || s.op === "pipe_read") out.push(s.pipe);
  const end = s.op === "io_submit" ? pipeEndOf(s.fd) : null;
  if (end) out.push(end.pipe);
  return out;
}

/**
 * The steps at `kept` (old indices, in order), each io_cancel of a
 * submitted block renumbered to its io_submit's new index, or made a plain
 * io_cancel where that step is gone.
 */
function keepSteps(steps: Step[], kept: number[]): Step[] {
  const at = new Map(kept.map((old, k) => [old, k]));
  return kept.map((old) => {
    const s = steps[old];
    if (s.op !== "io_cancel" || s.submit === undefined) return s;
    const moved = at.get(s.submit);
    const { submit: _, block: __, ...plain } = s;
    return moved === undefined ? plain : { ...s, submit: moved };
  });
}

/** Smaller values to try for a number: 0, 1, half, one less (only those below it, in range). */
function smaller(v: number, min: number): number[] {
  const c = [min, min + 1, Math.trunc(v / 2), v - 1].filter((x) => x >= min && x < v);
  return [...new Set(c)];
}

/** Simpler versions of one step: numbers lowered, page offsets lowered, another name put in, optional fields dropped. */
function simplerSteps(s: Step, names: string[]): Step[] {
  if (s.op === "fork")
    return simplerSteps(s.call as Step, names).flatMap((c): Step[] => {
      const call = asChildCall(c);
      return call ? [{ op: "fork", call }] : [];
    });
  if (s.op === "fork_calls") {
    // One call fewer; once one is left, that call simpler (fewer candidates than every call's variants at once).
    if (s.calls.length > 1) return s.calls.map((_, k) => ({ op: "fork_calls", calls: s.calls.filter((_, j) => j !== k) }));
    return simplerSteps(s.calls[0], names).flatMap((t): Step[] => {
      const call = asChildStep(t);
      return call ? [{ op: "fork_calls", calls: [call] }] : [];
    });
  }
  if (s.op === "repeat") return simplerLoops(s, names);
  const out: Step[] = [];
  const r = s as Record<string, unknown>;
  const numeric: Record<string, number> = {
    nr_events: 1,
    count: 0,
    min_nr: 0,
    nr: 0,
    max: 0,
    pages: 1,
    old_pages: 1,
    new_pages: 1,
    data: 0,
    timeout_ns: 0,
    // A buffer range holds a byte at least (scenario-schema.ts).
    bytes: s.op === "buf_fill" || s.op === "buf_peek" ? 1 : 0,
    block: 0,
  };
  for (const [f, min] of Object.entries(numeric)) {
    const v = r[f];
    if (typeof v === "number" && v > min) for (const x of smaller(v, min)) out.push({ ...s, [f]: x } as Step);
    if (typeof v === "number" && v < 0) out.push({ ...s, [f]: 0 } as Step);
  }
  for (const f of ["ctx", "addr", "to"]) {
    const v = r[f];
    const m = typeof v === "string" ? /^(\w+)\+(\d+)$/.exec(v) : null;
    if (m) for (const k of smaller(Number(m[2]), 0)) out.push({ ...s, [f]: k === 0 ? m[1] : `${m[1]}+${k}` } as Step);
    // Straight to an object by its own name: what a move put somewhere may have been reachable so.
    if (typeof v === "string" && v !== "bogus") for (const n of names) if (n !== v) out.push({ ...s, [f]: n } as Step);
  }
  for (const f of [
    "to",
    "name",
    "fd",
    "ctxp",
    "iocb",
    "events",
    "iocbs",
    "null_entry",
    "bogus_entry",
    "nbytes",
    "offset",
    "rw_flags",
    "resfd",
    "ioprio",
    "aio_flags",
    "initval",
    "semaphore",
    "maymove",
    "noreplace",
    "align",
    "shared",
    "prot",
    "usig",
    "sigmask",
    "sigsetsize",
  ]) {
    if (r[f] !== undefined && !(s.op === "mmap" && f === "name") && !(s.op === "fork_mremap" && f === "to")) {
      const copy = { ...r };
      delete copy[f];
      out.push(copy as unknown as Step);
    }
  }
  if ((s.op === "io_getevents" || s.op === "io_pgetevents") && s.timeout_ns !== 0) out.push({ ...s, timeout_ns: 0 });
  // A thread's min_nr left out: min_nr nr, the plain waiter (FINDINGS 56).
  if (s.op === "thread_getevents" && s.min_nr !== undefined) {
    const { min_nr: _, ...plain } = s;
    out.push(plain);
  }
  if (s.op === "io_submit" && s.cmd !== "pread") {
    const { iov: _, ...plain } = s;
    out.push({ ...plain, cmd: "pread" });
  }
  // An iovec array: its first half, all but its last segment, each segment lowered to 0.
  if (s.op === "io_submit" && Array.isArray(s.iov) && s.iov.length > 0) {
    const iov = s.iov;
    out.push({ ...s, iov: iov.slice(0, iov.length >> 1) }, { ...s, iov: iov.slice(0, -1) });
    if (iov.some((n) => n > 0)) out.push({ ...s, iov: iov.map(() => 0) });
  }
  // A priority without its hint, then at level 0: which part the answer hangs on.
  if (s.op === "io_submit" && s.ioprio?.hint !== undefined) out.push({ ...s, ioprio: { class: s.ioprio.class, level: s.ioprio.level } });
  if (s.op === "io_submit" && s.ioprio && s.ioprio.level !== 0) out.push({ ...s, ioprio: { ...s.ioprio, level: 0 } });
  // Each flag alone: which one the answer hangs on.
  if (s.op === "io_submit" && s.rw_flags)
    for (let bit = 1; bit <= 0x80000000; bit *= 2) if (Math.floor(s.rw_flags / bit) % 2 === 1 && s.rw_flags !== bit) out.push({ ...s, rw_flags: bit });
  return out;
}

/** Simpler versions of a loop: fewer times, no until, one condition of a list alone, one body call less, a body call made simpler. */
function simplerLoops(s: RepeatStep, names: string[]): Step[] {
  const out: Step[] = smaller(s.times, 1).map((times) => ({ ...s, times }));
  if (s.until !== undefined) {
    const { until: _, ...always } = s;
    out.push(always);
  }
  if (Array.isArray(s.until)) for (const u of s.until) out.push({ ...s, until: u });
  s.steps.forEach((b, k) => {
    if (s.steps.length > 1) out.push({ ...s, steps: s.steps.filter((_, j) => j !== k) });
    for (const c of simplerSteps(b, names)) if (isLoopBodyStep(c)) out.push({ ...s, steps: s.steps.map((x, j) => (j === k ? c : x)) });
  });
  return out;
}

/** The step with every address field that reads `from` reading `to` instead. */
function retarget(s: Step, from: AddrExpr, to: AddrExpr): Step {
  if (s.op === "fork") return { op: "fork", call: asChildCall(retarget(s.call as Step, from, to))! };
  if (s.op === "fork_calls") return { op: "fork_calls", calls: s.calls.map((c) => asChildStep(retarget(c, from, to))!) };
  if (s.op === "repeat") return { ...s, steps: s.steps.map((b) => retarget(b, from, to) as LoopBodyStep) };
  const r = { ...s } as Record<string, unknown>;
  for (const f of ["ctx", "addr", "to"]) if (r[f] === from) r[f] = to;
  return r as unknown as Step;
}

function parses(s: Scenario): boolean {
  try {
    parseScenario(JSON.stringify(s), "candidate");
    return true;
  } catch {
    return false;
  }
}

/**
 * Shrinks `start` (which `judge` accepts) within `budget` judged candidates.
 * `cut` returns how many leading steps matter for a program that holds (the
 * steps after the difference are dropped at once); `allowed` keeps candidates
 * within what may be run at all (the kernel fuzzer's safety rules).
 */
export async function shrink(
  start: Scenario,
  judge: Judge,
  cut: (s: Scenario) => Promise<number>,
  opts: { budget?: number; allowed?: (s: Scenario) => boolean } = {},
): Promise<ShrinkResult> {
  const budget = opts.budget ?? 2000;
  const valid = (s: Scenario) => parses(s) && (opts.allowed?.(s) ?? true);
  let best = start;
  let tried = 0;
  const withSteps = (steps: Step[]): Scenario => ({ ...best, steps });

  /** Tries candidates in order, in batches; adopts the first that holds. */
  const attempt = async (candidates: Scenario[]): Promise<boolean> => {
    const ok = candidates.filter((c) => c.steps.length > 0 && valid(c));
    for (let i = 0; i < ok.length && tried < budget; i += BATCH) {
      const batch = ok.slice(i, i + BATCH).slice(0, budget - tried);
      tried += batch.length;
      const verdicts = await judge(batch);
      const k = verdicts.indexOf(true);
      if (k >= 0) {
        best = batch[k];
        const keep = await cut(best);
        if (keep < best.steps.length) best = withSteps(best.steps.slice(0, keep));
        return true;
      }
    }
    return false;
  };

  best = withSteps(best.steps.slice(0, await cut(best)));
  for (let progress = true; progress && tried < budget; ) {
    progress = false;
    // Chunks of steps, largest first.
    for (let size = Math.max(1, best.steps.length >> 1); size >= 1 && tried < budget; ) {
      const n = best.steps.length;
      const candidates: Scenario[] = [];
      const all = best.steps.map((_, i) => i);
      for (let at = 0; at < n; at += size) candidates.push(withSteps(keepSteps(best.steps, [...all.slice(0, at), ...all.slice(at + size)])));
      if (await attempt(candidates)) {
        progress = true;
        size = Math.min(size, Math.max(1, best.steps.length >> 1));
      } else {
        size = size >> 1;
      }
    }
    // Whole objects: every step that binds or names one name; and moves undone, later uses of the target then naming the source.
    const names = [...new Set(best.steps.flatMap(namesOf))];
    const undoMoves = best.steps.flatMap((m, j) =>
      m.op === "mremap" && m.to !== undefined && m.old_pages === m.new_pages
        ? [
            withSteps(
              keepSteps(
                best.steps.map((s, i) => (i > j ? retarget(s, m.to!, m.addr) : s)),
                best.steps.flatMap((_, i) => (i === j ? [] : [i])),
              ),
            ),
          ]
        : [],
    );
    const without = (name: string) =>
      keepSteps(
        best.steps,
        best.steps.flatMap((s, i) => (namesOf(s).includes(name) ? [] : [i])),
      );
    if (await attempt([...names.map((name) => withSteps(without(name))), ...undoMoves])) {
      progress = true;
      continue;
    }
    // Simpler steps, one at a time.
    const simpler: Scenario[] = [];
    const bound = [...new Set(best.steps.flatMap((s) => ("name" in s && typeof s.name === "string" ? [s.name] : [])))];
    best.steps.forEach((s, i) => {
      for (const t of simplerSteps(s, bound)) simpler.push(withSteps(best.steps.map((x, j) => (j === i ? t : x))));
    });
    // The test file back on the memfd, whose space has no limit: whether the tmpfs matters.
    if (best.tmpfs_bytes !== undefined) {
      const { tmpfs_bytes: _, ...memfd } = best;
      simpler.push(memfd);
    }
    if (await attempt(simpler)) progress = true;
  }
  return { scenario: best, tried };
}
