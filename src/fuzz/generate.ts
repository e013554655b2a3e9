// Random scenario programs for differential fuzzing against the live kernel.
// Every program keeps the rules of safety.ts (it touches only memory it
// mapped itself, and no result depends on where the kernel places a new
// mapping); within them it aims at the shapes where the kernel's rules live:
// rings and anonymous pages side by side in the arena, holes at either end of
// a range or inside it, whole and partial ring moves, multi-VMA moves,
// overlapping targets, shrink and grow, fork_mremap, forked children that
// set up, submit and exit (fork_calls), io_destroy after moves
// and unmaps, id reuse after destroy, full rings, slot exhaustion, user
// reaping, the aio-nr limit and bad arguments of every kind. A shadow TS
// model runs alongside to steer choices towards VMA edges, holes and moved
// rings; nothing relies on the shadow being right.
import { MAX_EVENTFDS, MAX_THREADS, MAX_TMPFS_BYTES, MIN_THREAD_TIMEOUT_NS } from "../../assembly/abi/limits.js";
import { MAX_PIPES, MAX_POLL_BLOCKS, PIPE_MAX_BYTES, POLLIN, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM } from "../../assembly/abi/poll.js";
import { ScenarioError } from "../contract/errors.js";
import { AioProcess } from "../model/aio.js";
import { PAGE_SIZE } from "../model/mm.js";
import { PROFILES } from "../contract/profile.js";
import { Names, runStep } from "../scenario/run.js";
import type { AddrExpr, ChildCall, ChildStep, ProfileName, Scenario, Step, StepOf } from "../contract/scenario.js";
import { isSyncCmd } from "../contract/scenario.js";
import { Prng } from "../util/prng.js";
import {
  randomCmd,
  randomBufStep,
  randomEventfd,
  randomLoop,
  randomRange,
  mapKind,
  countForRange,
  randomSignalArgs,
  withRandomFd,
  withRandomIov,
  withRandomIoprio,
  withRandomResfd,
  withRandomRwFlags,
} from "../scenario/random-args.js";
import { ARENA, MAX_MOVABLE_RING_PAGES, Safety, arenaPages, ringPages, type Extent, type Kind } from "./safety.js";

export interface GenerateOptions {
  /** Possible CPUs of the kernel the program will meet (ring geometry depends on it). */
  cpus: number;
  /** aio_max_nr of that kernel. */
  aio_max_nr: number;
  /** Whether that kernel's read faults map the zero page (default true: ProcessConfig.zero_page). */
  zero_page?: boolean;
  /** zero_page false on a kernel that maps it: the probe emulates allocating read faults (FINDINGS 33) and refuses a read of an unpopulated private read-only page, so none is drawn. */
  emulated?: boolean;
  /** Events a program may ask for and still share the kernel with others (default aio_max_nr / 8). */
  sharedEvents?: number;
  /** The kernel can mount a tmpfs for the test file (root): half the programs put it on one (default false). */
  tmpfs?: boolean;
  /** The kernel's generation, the shadow's profile: a step it cannot run as written (fd "direct" before 6.6) is left out (default mainline). */
  profile?: ProfileName;
  /** Steps after the set-up (default 16 to 40). */
  minSteps?: number;
  maxSteps?: number;
}

export interface GeneratedProgram {
  scenario: Scenario;
  /** The program may take most of the system-wide aio-nr limit: it must not share the kernel with another program. */
  exclusive: boolean;
}

/** nr_events whose ring has exactly `pages` pages (doubled geometry, above the per-CPU floor). */
function nrEventsForPages(pages: number, cpus: number): number {
  const nr = Math.floor((Math.floor((pages * PAGE_SIZE - 32) / 32) - 2) / 2);
  return Math.max(nr, cpus * 4);
}

const SMALL_NR = [1, 4, 8, 9, 31, 64, 100, 128, 200, 255, 256, 383];
/** tmpfs sizes drawn: no room past the 16 KiB file, one page, four, twelve, and room for every write of a program. */
const TMPFS_SIZES = [16384, 20480, 32768, 65536, MAX_TMPFS_BYTES];

export class ProgramGenerator {
  private readonly rng: Prng;
  private readonly opts: Required<GenerateOptions>;
  private steps: Step[] = [];
  private safety!: Safety;
  private shadow!: AioProcess;
  private names!: Names;
  private exclusive = false;
  private eventsAsked = 0;
  private counter = 0;
  /** A program about pipes and poll blocks: most of its submits are pipe steps (FINDINGS 53). */
  private pollFocus = false;
  /** A program about threads: a step in six is a thread's, so several wait at once and their joins come (FINDINGS 57). */
  private threadFocus = false;
  /** Names of the shared, protected or file mappings made (FINDINGS 59, 62): fills and peeks aim at them now and then. */
  private otherMaps: string[] = [];
  /** The test file is a memfd, which mappings may map (on a tmpfs they are not modelled). */
  private fileMaps = true;
  /** Names of the mappings of the test file made: fills and peeks aim at them more often, and ftruncate steps come more often. */
  private fileMapNames: string[] = [];

  constructor(seed: number, opts: GenerateOptions) {
    this.rng = new Prng(seed);
    this.opts = {
      minSteps: 16,
      maxSteps: 40,
      sharedEvents: Math.floor(opts.aio_max_nr / 8),
      zero_page: true,
      emulated: false,
      tmpfs: false,
      profile: "mainline",
      ...opts,
    };
  }

  /** The next random program. */
  next(name: string): GeneratedProgram {
    const { cpus, aio_max_nr, zero_page } = this.opts;
    this.steps = [];
    this.safety = new Safety(cpus, aio_max_nr);
    const tmpfs = this.opts.tmpfs && this.rng.chance(0.5) ? { tmpfs_bytes: this.rng.pick(TMPFS_SIZES) } : {};
    this.shadow = new AioProcess(PROFILES[this.opts.profile], { cpus, aio_max_nr, aio_nr: 0, zero_page, ...tmpfs });
    this.names = new Names(name);
    this.exclusive = false;
    this.eventsAsked = 0;
    this.counter = 0;
    this.pollFocus = this.rng.chance(0.25);
    this.threadFocus = this.rng.chance(0.15);
    this.otherMaps = [];
    this.fileMaps = tmpfs.tmpfs_bytes === undefined;
    this.fileMapNames = [];
    this.setUp();
    const n = this.rng.int(this.opts.minSteps, this.opts.maxSteps);
    for (let i = 0; i < n; i++) this.add(this.randomStep());
    // A program made for read faults that allocate pages says so: the probe then emulates them where the kernel maps the zero page.
    const scenario: Scenario = { name, profile: "mainline", ...tmpfs, steps: this.steps, ...(this.opts.zero_page ? {} : { zero_page: false }) };
    return { scenario, exclusive: this.exclusive };
  }

  // ---- bookkeeping -----------------------------------------------------------

  /**
   * Appends a step that keeps the safety rules and that the shadow can run
   * as written; true when the shadow says it succeeded.
   */
  private add(drawn: Step | null): boolean {
    const step = drawn === null ? null : this.besideWaiter(drawn);
    if (step === null || this.safety.next(step) !== null) return false;
    try {
      const r = runStep(this.shadow, step, this.steps.length, this.names, "generated");
      this.steps.push(step);
      if (step.op === "mmap" && step.at === undefined && (step.shared || step.prot || step.file) && r.errno === null) this.otherMaps.push(step.name);
      if (step.op === "mmap" && step.at === undefined && step.file && r.errno === null) this.fileMapNames.push(step.name);
      return r.errno === null || r.errno === undefined;
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      // A scenario error in the shadow is likely one on the kernel too: leave the step out.
      this.safety = this.replaySafety();
      return false;
    }
  }

  /**
   * While a thread waits (FINDINGS 56), one completion a call: the kernel's
   * waiter runs as soon as a completion wakes it, before the submit's next
   * block takes a request slot, where the models' reads after the call; a
   * submit of several blocks on a nearly full ring then differs. A repeat
   * with a submit is left out, a submit carries one block.
   */
  private besideWaiter(step: Step): Step | null {
    if (this.names.threads.waiters().length === 0) return step;
    if (step.op === "repeat") return step.steps.some((c) => c.op === "io_submit") ? null : step;
    return step.op === "io_submit" && typeof step.count === "number" && step.count > 1 ? { ...step, count: 1 } : step;
  }

  private replaySafety(): Safety {
    const s = new Safety(this.opts.cpus, this.opts.aio_max_nr);
    for (const step of this.steps) s.next(step);
    return s;
  }

  /** An mmap's `shared`, `prot` and `file`; private read-only anonymous ones drawn shared where the probe could not read them (`emulated`). */
  private mapKind(rng: Prng): ReturnType<typeof mapKind> {
    const kind = mapKind(rng, this.fileMaps);
    return this.opts.emulated && kind.prot === "r" && !kind.shared && !kind.file ? { ...kind, shared: true } : kind;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  private addr(name: string, page: number): AddrExpr {
    return page === 0 ? name : `${name}+${page}`;
  }

  private usable(): number {
    return this.safety.extents.get(ARENA)!.hi;
  }

  private pageOf(name: string): number | null {
    const addr = this.names.addressOf(name);
    return addr === undefined ? null : addr / PAGE_SIZE;
  }

  /** Names of these kinds that may be used and that the shadow has bound (a step naming an unbound one is refused anyway). */
  private liveExtents(kinds: Kind[]): [string, Extent][] {
    const bound = new Set(this.names.list());
    return this.safety.live(kinds).filter(([n]) => bound.has(n));
  }

  private live(kinds: Kind[]): string[] {
    return this.liveExtents(kinds).map(([n]) => n);
  }

  /** Rings small enough to move into the arena. */
  private movableRings(): string[] {
    return this.liveExtents(["ring"])
      .filter(([n, e]) => e.hi + 1 <= MAX_MOVABLE_RING_PAGES && !n.startsWith("G"))
      .map(([n]) => n);
  }

  // ---- set-up ------------------------------------------------------------------

  private setUp(): void {
    const { cpus } = this.opts;
    const rng = this.rng;
    const usable = rng.int(10, 24);
    this.add({ op: "mmap", pages: arenaPages(usable), name: ARENA });
    // Guard rings on both sides of the usable pages: anonymous pages inside never merge with anything outside.
    this.add({ op: "io_setup", nr_events: 1, name: "GL" });
    this.add({ op: "mremap", addr: "GL", old_pages: 1, new_pages: 1, to: ARENA });
    this.add({ op: "io_setup", nr_events: 1, name: "GR" });
    this.add({ op: "mremap", addr: "GR", old_pages: 1, new_pages: 1, to: this.addr(ARENA, usable + 1) });
    const movable = SMALL_NR.filter((nr) => ringPages(nr, cpus) <= MAX_MOVABLE_RING_PAGES);
    const ringCount = rng.int(1, 3);
    for (let i = 0; i < ringCount; i++) {
      const nr = rng.pick(movable);
      if (this.add({ op: "io_setup", nr_events: nr, name: "ABC"[i] })) this.eventsAsked += nr;
    }
    for (let i = 0, n = rng.int(0, 2); i < n; i++) this.add({ op: "mmap", pages: rng.int(1, 4), name: "XY"[i], ...this.mapKind(rng) });
    for (let i = 0, n = rng.int(0, 2); i < n; i++) this.add(randomEventfd(rng, this.fresh("V")));
    for (let i = 0, n = rng.int(0, 3); i < n; i++) this.add(this.moveRingIntoArena());
  }

  /** Pages of a mapping made now that no hole of the program can hold. */
  private bigPages(): number {
    return this.safety.holeBound + 1 + this.rng.int(0, 3);
  }

  // ---- address choices ---------------------------------------------------------

  /** Arena offsets where something starts or ends in the shadow: edges, holes, moved rings. */
  private arenaEdges(): number[] {
    const s = this.pageOf(ARENA);
    if (s === null) return [];
    const usable = this.usable();
    const out: number[] = [];
    for (const v of this.shadow.mm.intersecting(s + 1, usable)) {
      for (const p of [v.start - s, v.start + v.pages - s]) if (p >= 1 && p <= usable) out.push(p);
    }
    return out;
  }

  private arenaOffset(): number {
    const edges = this.arenaEdges();
    if (edges.length > 0 && this.rng.chance(0.5)) return this.rng.pick(edges);
    return this.rng.int(1, this.usable());
  }

  /** A range [a, a+len) inside the arena's usable pages. */
  private arenaRange(maxLen = 8): [number, number] {
    const a = this.arenaOffset();
    return [a, this.rng.int(1, Math.min(maxLen, this.usable() - a + 1))];
  }

  /** Where a ring's header may be now in the arena, per the shadow. */
  private ringsInArena(): number[] {
    const s = this.pageOf(ARENA);
    if (s === null) return [];
    return this.shadow.mm
      .intersecting(s + 1, this.usable())
      .filter((v) => v.kind === "aio")
      .map((v) => v.start - s);
  }

  /** Where live contexts of the shadow are now, as address expressions the program may use. */
  private liveContexts(): AddrExpr[] {
    const s = this.pageOf(ARENA);
    const byAddress = new Map(this.live(["ring"]).map((n) => [this.pageOf(n), n]));
    const out: AddrExpr[] = [];
    for (const ctx of this.shadow.ioctx_table?.table ?? []) {
      if (!ctx) continue;
      const page = ctx.user_id / PAGE_SIZE;
      const name = byAddress.get(page);
      if (name !== undefined && name !== "GL" && name !== "GR") out.push(name);
      else if (s !== null && page >= s + 1 && page <= s + this.usable()) out.push(this.addr(ARENA, page - s));
    }
    return out;
  }

  /** An address to name a context by: where a live context is, a ring's name, where rings went, stale ids, or junk. */
  private ctxExpr(): AddrExpr {
    const rng = this.rng;
    if (rng.chance(0.4)) {
      const live = this.liveContexts();
      if (live.length > 0) return rng.pick(live);
    }
    const roll = rng.int(0, 99);
    const rings = this.live(["ring"]).filter((n) => n !== "GL" && n !== "GR");
    if (roll < 45 && rings.length > 0) return rng.pick(rings);
    if (roll < 75) {
      const inArena = this.ringsInArena();
      return this.addr(ARENA, inArena.length > 0 ? rng.pick(inArena) : this.arenaOffset());
    }
    if (roll < 85) return this.pageIn(["arena", "ring", "anon"]);
    if (roll < 90 && rings.length > 0) return `${rng.pick(rings)}+1b`;
    return rng.pick<AddrExpr>(["bogus", 0, -1]);
  }

  /** Any page of a live name of these kinds. */
  private pageIn(kinds: Kind[]): AddrExpr {
    const [name, e] = this.rng.pick(this.liveExtents(kinds));
    return this.addr(name, this.rng.int(e.lo, e.hi));
  }

  // ---- steps -------------------------------------------------------------------

  private moveRingIntoArena(): Step | null {
    const rng = this.rng;
    const rings = this.movableRings().filter((n) => n !== "GL" && n !== "GR");
    if (rings.length === 0) return this.arenaMove();
    const name = rng.pick(rings);
    const pages = this.safety.extents.get(name)!.hi + 1;
    const usable = this.usable();
    // Mostly the whole ring; sometimes a part of it, from the front, the middle or the tail.
    let from = 0;
    let len = pages;
    if (pages > 1 && rng.chance(0.3)) {
      from = rng.int(0, pages - 1);
      len = rng.int(1, pages - from);
    }
    if (len > usable) return this.arenaMove();
    const to = rng.int(1, usable - len + 1);
    const step: Step = { op: "mremap", addr: this.addr(name, from), old_pages: len, new_pages: len, to: this.addr(ARENA, to) };
    // A ring refuses MREMAP_DONTUNMAP (VM_DONTEXPAND) before its target is touched.
    return rng.chance(0.1) ? { ...step, dontunmap: true } : step;
  }

  private arenaMove(): Step | null {
    const rng = this.rng;
    const usable = this.usable();
    const [a, old_pages] = this.arenaRange();
    const roll = rng.int(0, 99);
    let new_pages = old_pages;
    if (roll >= 60 && roll < 80) new_pages = rng.int(1, old_pages);
    else if (roll >= 80) new_pages = old_pages + rng.int(1, 4);
    if (rng.chance(0.25)) {
      // Flags 0: a growth grows in place or fails with ENOMEM.
      if (new_pages > old_pages && rng.chance(0.35)) return { op: "mremap", addr: this.addr(ARENA, a), old_pages, new_pages, maymove: false };
      // No target: same size does nothing, a shrink stays in place, a growth grows in place or moves far away.
      if (new_pages > old_pages) return { op: "mremap", addr: this.addr(ARENA, a), old_pages, new_pages: this.bigPages(), name: this.fresh("G") };
      // MREMAP_DONTUNMAP without a target: a move to where the kernel places it, the old range left mapped and empty.
      if (new_pages === old_pages && rng.chance(0.3))
        return { op: "mremap", addr: this.addr(ARENA, a), old_pages, new_pages, name: this.fresh("G"), dontunmap: true };
      return { op: "mremap", addr: this.addr(ARENA, a), old_pages, new_pages };
    }
    new_pages = Math.min(new_pages, usable);
    // The target anywhere in the usable arena, overlapping the source now and then (EINVAL).
    const to = rng.int(1, usable - new_pages + 1);
    const step: Step = { op: "mremap", addr: this.addr(ARENA, a), old_pages, new_pages, to: this.addr(ARENA, to) };
    // MREMAP_DONTUNMAP: the old range stays mapped and empty (a resize with it is EINVAL).
    return rng.chance(new_pages === old_pages ? 0.25 : 0.05) ? { ...step, dontunmap: true } : step;
  }

  private badMremap(): Step {
    const rng = this.rng;
    const [a, len] = this.arenaRange();
    const variants: Step[] = [
      { op: "mremap", addr: `${ARENA}+1b`, old_pages: len, new_pages: len, to: this.addr(ARENA, a) },
      { op: "mremap", addr: this.addr(ARENA, a), old_pages: len, new_pages: len, to: `${ARENA}+1b` },
      { op: "mremap", addr: this.addr(ARENA, a), old_pages: len, new_pages: 0 },
      { op: "mremap", addr: this.addr(ARENA, a), old_pages: len, new_pages: 0, to: this.addr(ARENA, a) },
      { op: "mremap", addr: "bogus", old_pages: len, new_pages: len, to: this.addr(ARENA, a) },
      { op: "mremap", addr: "bogus", old_pages: len, new_pages: len },
      { op: "mremap", addr: this.addr(ARENA, a), old_pages: len, new_pages: len, to: this.addr(ARENA, a), maymove: false },
      // MREMAP_DONTUNMAP without MREMAP_MAYMOVE, with a resize, from a hole: EINVAL, EINVAL, EFAULT.
      { op: "mremap", addr: this.addr(ARENA, a), old_pages: len, new_pages: len, maymove: false, dontunmap: true },
      { op: "mremap", addr: this.addr(ARENA, a), old_pages: len, new_pages: len + 1, dontunmap: true },
      { op: "mremap", addr: "bogus", old_pages: len, new_pages: len, to: this.addr(ARENA, a), dontunmap: true },
    ];
    const rings = this.movableRings().filter((n) => n !== "GL" && n !== "GR");
    if (rings.length > 0) {
      const r = rng.pick(rings);
      const pages = this.safety.extents.get(r)!.hi + 1;
      variants.push({ op: "mremap", addr: `${r}+1b`, old_pages: 1, new_pages: 1, to: this.addr(ARENA, a) });
      // A ring cannot grow, in place or at a target.
      variants.push({ op: "mremap", addr: r, old_pages: pages, new_pages: pages + 1 });
      if (pages + 1 <= this.usable())
        variants.push({ op: "mremap", addr: r, old_pages: pages, new_pages: pages + 1, to: this.addr(ARENA, rng.int(1, this.usable() - pages)) });
    }
    return rng.pick(variants);
  }

  private randomStep(): Step | null {
    const rng = this.rng;
    if (this.threadFocus && rng.chance(1 / 6)) return this.threadStep();
    // In a thread program, submits often go to a context a thread waits on: the completions that wake it.
    const held = this.threadFocus && rng.chance(1 / 8) ? this.heldContexts() : [];
    if (held.length > 0) {
      const step = this.submit();
      if (step.op === "io_submit") return { ...step, ctx: rng.pick(held) };
    }
    const roll = rng.int(0, 999);
    if (roll < 100) return this.arenaMove();
    if (roll < 170) return this.moveRingIntoArena();
    if (roll < 200) return this.badMremap();
    if (roll < 270) {
      if (rng.chance(0.1))
        return rng.pick<Step>([
          { op: "munmap", addr: `${ARENA}+1b`, pages: 1 },
          { op: "munmap", addr: this.addr(ARENA, this.arenaOffset()), pages: 0 },
          { op: "munmap", addr: "bogus", pages: 2 },
        ]);
      const [a, len] = this.arenaRange(6);
      return { op: "munmap", addr: this.addr(ARENA, a), pages: len };
    }
    if (roll < 310) {
      if (rng.chance(0.3)) return { op: "fork", call: this.childCall() };
      if (rng.chance(0.45)) return { op: "fork_calls", calls: this.childCalls() };
      const rings = this.movableRings().filter((n) => n !== "GL" && n !== "GR");
      const [a, pages] = this.arenaRange(4);
      const to = this.addr(ARENA, rng.int(1, this.usable() - pages + 1));
      if (rings.length > 0 && rng.chance(0.35)) {
        const r = rng.pick(rings);
        return { op: "fork_mremap", addr: r, pages: this.safety.extents.get(r)!.hi + 1, to };
      }
      return { op: "fork_mremap", addr: this.addr(ARENA, a), pages, to };
    }
    if (roll < 450) return rng.chance(this.pollFocus ? 0.75 : 0.1) ? this.pipeStep() : this.submit();
    if (roll < 570) return this.getevents();
    if (roll < 640) return { op: "user_reap", ctx: this.ctxExpr(), max: rng.pick([0, 1, 3, 50, 400]) };
    if (roll < 680) return { op: "ring", ctx: rng.chance(0.6) ? this.ctxExpr() : this.pageIn(["arena", "ring"]) };
    if (roll < 730) return this.ringStore(rng.chance(0.85) ? this.ctxExpr() : this.pageIn(["arena", "ring"]));
    if (roll < 770) return { op: "page", addr: this.pageIn(["arena", "ring", "anon"]) };
    if (roll < 785) return this.fill();
    if (roll < 800) return this.peek();
    // Around file mappings, the file's size decides which of their pages fault (FINDINGS 62).
    if (roll < 806 && this.fileMapNames.length > 0) return { op: "ftruncate", size: rng.pick([0, 1, 100, 4096, 6000, 12288, 16384, 20000]) };
    // The I/O buffer's bytes: what reads copy in from the file and writes copy out to it.
    if (roll < 815) return randomBufStep(rng);
    if (roll < 840) {
      // Reads of the eventfds completions signal; now and then a new one (64 at most per program).
      const eventfds = this.names.eventfdList();
      if (eventfds.length > 0 && rng.chance(0.8)) return { op: "eventfd_read", fd: rng.pick(eventfds) };
      return this.steps.filter((s) => s.op === "eventfd").length < MAX_EVENTFDS ? randomEventfd(rng, this.fresh("V")) : null;
    }
    if (roll < 875) return { op: "io_destroy", ctx: this.ctxExpr() };
    if (roll < 878) return { op: "raise" };
    // The file's size, which reads stop at and appends land at.
    if (roll < 882) return { op: "ftruncate", size: rng.pick([0, 1, 512, 16384, 20000]) };
    // RLIMIT_FSIZE around the file's size and the offsets writes use: short writes, -EFBIG, ftruncate EFBIG.
    if (roll < 885) return { op: "setrlimit_fsize", bytes: rng.pick([0, 1, 512, 16384, 16500, 20000, "infinity"] as const) };
    if (roll < 910) return rng.chance(0.3) ? this.loop() : this.cancel(this.ctxExpr());
    if (roll < 950) return this.setupLater();
    if (roll < 965) return this.threadStep();
    if (roll < 980) {
      if (rng.chance(0.3)) return { op: "mmap", pages: 0, name: this.fresh("Z"), ...(rng.chance(0.3) ? { align: 4 } : {}), ...this.mapKind(rng) };
      // An aligned mapping (mremap_test.c's sources) at the highest free odd multiple of align; larger than any hole, as every new mapping.
      // Never 2 GiB (MAX_MAPPING_PAGES): every later new mapping and ring must outsize it (Safety.holeBound sums them), past the bound.
      if (rng.chance(0.3)) return { op: "mmap", pages: this.bigPages(), name: this.fresh("W"), align: rng.pick([2, 16, 512]), ...this.mapKind(rng) };
      // Shared, read-only or PROT_NONE now and then (FINDINGS 59).
      return { op: "mmap", pages: this.bigPages(), name: this.fresh("W"), ...this.mapKind(rng) };
    }
    if (roll < 990) {
      // MAP_FIXED into the arena, over whatever is there (rings moved in too); the name is never used again.
      const pages = rng.int(1, 4);
      const at = this.addr(ARENA, rng.int(1, Math.max(1, this.usable() - pages + 1)));
      // Shared or protected pieces in the arena merge only with their like (FINDINGS 59).
      const step: StepOf<"mmap"> = { op: "mmap", pages, name: this.fresh("F"), at, ...this.mapKind(rng) };
      // MAP_FIXED_NOREPLACE: maps a hole, EEXIST over anything.
      return rng.chance(0.4) ? { ...step, noreplace: true } : step;
    }
    return { op: "io_setup", nr_events: rng.pick([0, ...SMALL_NR]), ctxp: rng.pick(["nonzero", 0, "bogus"] as const) };
  }

  /**
   * A thread (FINDINGS 56, 57): one blocked in io_getevents on a context,
   * mostly a live one no other thread waits on (several contexts may each
   * have theirs), with min_nr nr or now and then below it, with no timeout
   * or now and then the shortest (a join of a thread nothing woke waits it
   * out); or the join of one. The shadow refuses a second waiter on a
   * context and a join that would wait forever: the step is then left out.
   */
  private threadStep(): Step | null {
    const rng = this.rng;
    const live = new Map<string, AddrExpr>();
    for (const s of this.steps) {
      if (s.op === "thread_getevents") live.set(s.name, s.ctx);
      else if (s.op === "thread_join") live.delete(s.name);
    }
    // Mostly a join that returns: not of a thread still waiting with no timeout (a scenario error, left out).
    const waiters = this.names.threads.waiters();
    const forever = new Set(waiters.filter((w) => !w.timeout).map((w) => w.name));
    const joinable = [...live.keys()].filter((n) => !forever.has(n));
    if (joinable.length > 0 && (live.size === MAX_THREADS || rng.chance(0.6))) return { op: "thread_join", name: rng.pick(joinable) };
    if (live.size === MAX_THREADS) return null;
    const held = new Set(this.heldContexts());
    const contexts = this.liveContexts();
    const free = contexts.filter((c) => !held.has(c));
    const ctx = free.length > 0 && rng.chance(0.85) ? rng.pick(free) : contexts.length > 0 && rng.chance(0.5) ? rng.pick(contexts) : this.ctxExpr();
    const nr = rng.pick([1, 1, 2, 3, 5, 8]);
    const min_nr = nr > 1 && rng.chance(0.4) ? { min_nr: rng.int(1, nr - 1) } : {};
    return { op: "thread_getevents", name: this.fresh("T"), ctx, ...min_nr, nr, timeout_ns: rng.chance(0.1) ? MIN_THREAD_TIMEOUT_NS : null };
  }

  /** The contexts waiting threads hold, as their steps named them. */
  private heldContexts(): AddrExpr[] {
    const waiting = new Set(this.names.threads.waiters().map((w) => w.name));
    return this.steps.flatMap((s) => (s.op === "thread_getevents" && waiting.has(s.name) ? [s.ctx] : []));
  }

  /**
   * User space in a ring (FINDINGS 51): a head stored (behind, ahead, past
   * nr, 2^32-1: the kernel credits request slots from it at each
   * completion), an event stored into a slot, or slots read; slots within
   * a ring's first page, which every ring has.
   */
  private ringStore(ctx: AddrExpr): StepOf<"store_head" | "store_event" | "ring_events"> {
    const rng = this.rng;
    const roll = rng.int(0, 9);
    if (roll < 6)
      return { op: "store_head", ctx, head: rng.pick([0, 1, 2, 5, 20, 63, 100, 126, 127, 128, 200, 254, 255, 300, 511, 1000, 2 ** 31, 2 ** 32 - 1]) };
    const slot = rng.int(0, 126);
    if (roll < 8) return { op: "store_event", ctx, slot, data: rng.int(0, 100_000), res: rng.pick([0, 1, 512, -5, -22]), res2: rng.pick([0, 0, 0, 7, -1]) };
    return this.ringEvents(ctx, slot);
  }

  /** Slots read from a ring's first page. */
  private ringEvents(ctx: AddrExpr, slot = this.rng.int(0, 126)): StepOf<"ring_events"> {
    return { op: "ring_events", ctx, slot, count: this.rng.int(0, Math.min(6, 127 - slot)) };
  }

  /** A small loop of calls that change no mapping (safety.ts): submits, reaps, reads of rings, pages and eventfds, cancels. */
  private loop(): Step | null {
    const rng = this.rng;
    const call = (): Step | null => {
      const roll = rng.int(0, 9);
      if (roll < 4) return this.submit();
      if (roll < 7) return this.getevents();
      if (roll < 8) return { op: "user_reap", ctx: this.ctxExpr(), max: rng.pick([0, 1, 3, 50, 400]) };
      // Slots read back, now and then, for an until on their res2 (FINDINGS 61).
      if (roll < 9)
        return rng.chance(0.4) ? { op: "ring", ctx: this.ctxExpr() } : rng.chance(0.6) ? this.ringEvents(this.ctxExpr()) : this.ringStore(this.ctxExpr());
      const eventfds = this.names.eventfdList();
      return eventfds.length > 0 && rng.chance(0.5) ? { op: "eventfd_read", fd: rng.pick(eventfds) } : this.cancel(this.ctxExpr());
    };
    return randomLoop(rng, call, () => this.ctxExpr());
  }

  /** A fork step's call: what the parent does to its contexts and arena, none of it reaching the parent. */
  private childCall(): ChildCall {
    const rng = this.rng;
    const roll = rng.int(0, 9);
    if (roll < 3) return this.submit() as StepOf<"io_submit">;
    if (roll < 5) return { op: "io_getevents", ctx: this.ctxExpr(), min_nr: rng.int(0, 1), nr: rng.pick([1, 5, 30]), timeout_ns: rng.pick([0, null, 1000]) };
    if (roll < 6) return { op: "io_destroy", ctx: this.ctxExpr() };
    if (roll < 7) return { op: "io_setup", nr_events: rng.pick(SMALL_NR) };
    if (roll < 8) return { op: "ring", ctx: this.ctxExpr() };
    if (roll < 9) {
      const [a, len] = this.arenaRange(6);
      return { op: "munmap", addr: this.addr(ARENA, a), pages: len };
    }
    return this.cancel(this.ctxExpr()) as StepOf<"io_cancel">;
  }

  /**
   * A fork_calls child's calls: contexts of its own (rings no hole can hold,
   * within the program's share of aio-nr) that it submits to and reaps
   * from, and then exits holding; the parent's contexts, arena and file
   * alongside (FINDINGS 48).
   */
  private childCalls(): ChildStep[] {
    const rng = this.rng;
    const calls: ChildStep[] = [];
    const own: string[] = [];
    // The child's contexts are freed when it exits: they count against the program's share only while it runs.
    let asked = this.eventsAsked;
    for (let n = rng.int(1, 8); calls.length < n; ) {
      const roll = calls.length === 0 && rng.chance(0.4) ? 0 : rng.int(0, 99);
      const ctx = own.length > 0 && rng.chance(0.85) ? rng.pick(own) : this.ctxExpr();
      if (roll < 20) {
        // Once holes may exist, a ring no hole can hold (safety.ts): one, sized from the parent's holes.
        if (this.safety.holes && own.length > 0) continue;
        const nr = this.safety.holes ? nrEventsForPages(this.bigPages(), this.opts.cpus) : rng.pick(SMALL_NR);
        if (asked + nr > this.opts.sharedEvents) continue;
        asked += nr;
        own.push(this.fresh("C"));
        calls.push({ op: "io_setup", nr_events: nr, name: own[own.length - 1] });
      } else if (roll < 45) calls.push({ ...(this.submit() as StepOf<"io_submit">), ctx });
      else if (roll < 60) calls.push({ op: "io_getevents", ctx, min_nr: rng.int(0, 1), nr: rng.pick([1, 5, 30, 400]), timeout_ns: rng.pick([0, 1000]) });
      else if (roll < 65) calls.push({ op: "io_destroy", ctx });
      else if (roll < 66) calls.push({ op: "ring", ctx });
      else if (roll < 70) calls.push(this.ringStore(ctx));
      else if (roll < 74) calls.push(this.cancel(ctx) as StepOf<"io_cancel">);
      else if (roll < 80) calls.push({ op: "ftruncate", size: rng.pick([0, 512, 16384, 20000]) });
      else if (roll < 85 && this.names.eventfdList().length > 0) calls.push({ op: "eventfd_read", fd: rng.pick(this.names.eventfdList()) });
      else if (roll < 88) calls.push({ op: "mmap", pages: this.bigPages(), name: this.fresh("W"), ...this.mapKind(rng) });
      else if (roll < 90) calls.push(rng.chance(0.5) ? this.fill() : rng.chance(0.5) ? this.peek() : randomBufStep(rng));
      else calls.push(this.childCall());
    }
    return calls;
  }

  /** The bytes each pipe holds now: known from the steps alone (src/scenario/pipe-poll.ts). */
  private pipesHeld(): Map<string, number> {
    const held = new Map<string, number>();
    for (const s of this.steps) {
      if (s.op === "pipe") held.set(s.name, 0);
      if (s.op === "pipe_write") held.set(s.pipe, held.get(s.pipe)! + s.bytes);
      if (s.op === "pipe_read") held.set(s.pipe, Math.max(0, held.get(s.pipe)! - s.bytes));
    }
    return held;
  }

  /**
   * A step on pipes and poll blocks (FINDINGS 53): a new pipe, a write (which
   * wakes the read end's waiters) or a read of one, a poll block on either
   * end or on the test file, with the events of each kind and now and then
   * a field a poll block may not carry, or io_cancel of an earlier poll block.
   */
  private pipeStep(): Step | null {
    const rng = this.rng;
    const held = this.pipesHeld();
    const pipes = [...held.keys()];
    const roll = rng.int(0, 99);
    if (pipes.length === 0 || (roll < 4 && pipes.length < MAX_PIPES)) return { op: "pipe", name: this.fresh("Q") };
    const p = rng.pick(pipes);
    if (roll < 24) {
      const room = PIPE_MAX_BYTES - held.get(p)!;
      return { op: "pipe_write", pipe: p, bytes: rng.pick([0, 1, 3, 512, room].filter((n) => n <= room)) };
    }
    if (roll < 34) return { op: "pipe_read", pipe: p, bytes: rng.pick([0, 1, 3, 100, PIPE_MAX_BYTES]) };
    const polls = this.steps.flatMap((s, i) =>
      s.op === "io_submit" && s.cmd === "poll" && typeof s.count === "number" && s.count > 0 ? [{ i, count: s.count, ctx: s.ctx }] : [],
    );
    if (roll < 54 && polls.length > 0) {
      // Mostly in the context the block went to: the one place a pending block can be found.
      const { i, count, ctx } = rng.pick(polls);
      return { op: "io_cancel", ctx: rng.chance(0.8) ? ctx : this.ctxExpr(), submit: i, block: rng.int(0, count - 1) };
    }
    const taken = polls.reduce((n, x) => n + x.count, 0);
    const count = Math.min(rng.pick([1, 1, 2, 3, 8]), MAX_POLL_BLOCKS - taken);
    if (count <= 0) return null;
    const fd = rng.chance(0.85) ? `${p}.${rng.chance(0.7) ? "read" : "write"}` : rng.pick(["bad", "rdonly", undefined]);
    const events = rng.pick([POLLIN, POLLIN, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM, POLLIN | POLLOUT, 0, 0xffff, 0x10000]);
    const step = {
      op: "io_submit",
      ctx: this.ctxExpr(),
      count,
      cmd: "poll",
      data: rng.int(0, 1_000_000),
      events,
      ...(fd === undefined ? {} : { fd }),
    } as StepOf<"io_submit">;
    const odd = rng.int(0, 19);
    // A field a poll block may not carry: EINVAL.
    if (odd === 0) return { ...step, nbytes: 1 };
    if (odd === 1) return { ...step, offset: rng.pick([1, -1]) };
    if (odd === 2) return { ...step, rw_flags: 1 };
    return step;
  }

  /**
   * A page for a fill or peek: of the arena, a ring or a mapping, or now and
   * then of a shared, read-only or PROT_NONE mapping (FINDINGS 59): a
   * shmem object's pages, or a fault.
   */
  private contentPage(): AddrExpr {
    // Mostly a mapping of the test file when there is one: its pages are the file's, which writes and truncations change.
    const files = this.liveExtents(["anon"]).filter(([n]) => this.fileMapNames.includes(n));
    const other = files.length > 0 && this.rng.chance(0.7) ? files : this.liveExtents(["anon"]).filter(([n]) => this.otherMaps.includes(n));
    if (other.length > 0 && this.rng.chance(files.length > 0 ? 0.7 : 0.5)) {
      const [name, e] = this.rng.pick(other);
      return this.addr(name, this.rng.int(e.lo, e.hi));
    }
    return this.pageIn(["arena", "arena", "ring", "anon"]);
  }

  /** A fill of a few pages from a page of the arena, a ring or a mapping: it stops at the first that is not anonymous memory or faults. */
  private fill(): StepOf<"fill"> {
    const rng = this.rng;
    return {
      op: "fill",
      addr: this.contentPage(),
      pages: rng.pick([1, 1, 2, 3, 8]),
      value: rng.pick([0, 1, 0x5a, 0xff, rng.int(0, 255)]),
    };
  }

  /** A peek of a few pages: what fills wrote, moved, forked or unmapped since. */
  private peek(): StepOf<"peek"> {
    return { op: "peek", addr: this.contentPage(), pages: this.rng.pick([1, 2, 4, 8]) };
  }

  /** io_cancel, mostly of the control block io_submit uses, sometimes of one it cannot read. */
  private cancel(ctx: AddrExpr): Step {
    const roll = this.rng.int(0, 9);
    return roll < 8 ? { op: "io_cancel", ctx } : { op: "io_cancel", ctx, iocb: roll === 8 ? 0 : "bogus" };
  }

  private submit(): Step {
    const rng = this.rng;
    const roll = rng.int(0, 99);
    // Mostly small batches; sometimes enough to fill the ring or run out of request slots.
    const drawn = roll < 5 ? -1 : roll < 10 ? 0 : roll < 80 ? rng.int(1, 40) : roll < 95 ? rng.int(100, 400) : rng.int(1000, 2100);
    const cmd = randomCmd(rng, 0.06);
    // A guest's workqueue may complete a sync block while its io_submit still
    // takes slots, crediting some to the blocks after it (6.1 under QEMU, FINDINGS 51);
    // the models complete them after the call. One block a call has no later take.
    const range = randomRange(rng);
    const count = countForRange(range, isSyncCmd(cmd) && this.opts.profile !== "mainline" ? Math.min(drawn, 1) : drawn);
    const step: StepOf<"io_submit"> = { op: "io_submit", ctx: this.ctxExpr(), count, cmd, data: rng.int(0, 1_000_000), ...range };
    const pointers = rng.int(0, 99);
    // Now and then an iocb array, or one entry of it, the kernel cannot read.
    if (pointers < 2) return { ...step, iocbs: rng.pick([0, "bogus"] as const) };
    if (pointers < 5) {
      // Entry K NULL, or pointing to a block that is not mapped.
      const k = rng.int(0, Math.max(0, Math.min(count, 40)));
      return rng.chance(0.5) ? { ...step, null_entry: k } : { ...step, bogus_entry: k };
    }
    return withRandomIoprio(
      rng,
      0.12,
      withRandomResfd(rng, 0.15, withRandomIov(rng, 0.15, withRandomRwFlags(rng, 0.15, withRandomFd(rng, 0.15, step))), this.names.eventfdList()),
    );
  }

  private getevents(): Step {
    const rng = this.rng;
    const nr = rng.pick([-1, 0, 1, 2, 5, 30, 128, 400]);
    const min_nr = rng.chance(0.85) ? rng.int(0, 1) : rng.pick([-1, 3, nr + 1]);
    // No timeout, or a negative one, waits forever when too few events are there: only with min_nr 0.
    const timeout_ns = min_nr <= 0 ? rng.pick([0, 0, 1000, null, -1]) : rng.pick([0, 0, 0, 1000]);
    const roll = rng.int(0, 99);
    // Now and then a pointer the kernel cannot use: the timeout (EFAULT before anything) or the events buffer.
    const step: Step =
      roll < 3
        ? { op: "io_getevents", ctx: this.ctxExpr(), min_nr, nr, timeout_ns: "bogus" }
        : roll < 8
          ? { op: "io_getevents", ctx: this.ctxExpr(), min_nr, nr, timeout_ns, events: rng.pick([0, "bogus"] as const) }
          : { op: "io_getevents", ctx: this.ctxExpr(), min_nr, nr, timeout_ns };
    // A quarter of them under a signal mask, which the pending SIGUSR1 of a raise may interrupt.
    return rng.chance(0.25) ? { ...step, op: "io_pgetevents", ...randomSignalArgs(rng) } : step;
  }

  /** io_setup once holes may exist: id reuse after destroy (a ring no hole can hold), the limit, or refused arguments. */
  private setupLater(): Step {
    const rng = this.rng;
    const { cpus, aio_max_nr } = this.opts;
    if (rng.chance(0.35))
      return { op: "io_setup", nr_events: rng.pick([0, 4194305, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 2 ** 22, 2 ** 31 + 2 ** 22 + 1, 2 ** 32 - 1, aio_max_nr + 1]) };
    if (rng.chance(0.012)) {
      // The whole limit in one context, then nothing more fits: this program runs alone.
      const pages = ringPages(aio_max_nr, cpus);
      if (pages <= this.safety.holeBound) return { op: "io_setup", nr_events: 0 };
      this.exclusive = true;
      this.eventsAsked += aio_max_nr;
      return { op: "io_setup", nr_events: aio_max_nr, name: this.fresh("L") };
    }
    const nr = nrEventsForPages(this.bigPages(), cpus);
    // Programs that share the kernel stay within their share of aio-nr.
    if (this.eventsAsked + nr > this.opts.sharedEvents) return { op: "io_setup", nr_events: rng.pick([0, 2 ** 32 - 1]) };
    this.eventsAsked += nr;
    return { op: "io_setup", nr_events: nr, name: this.fresh("R") };
  }
}
