// The rules that make a random program safe to run on the live kernel and
// independent of where the kernel places a new mapping. The generator only
// writes programs that pass, and the shrinker only keeps candidates that do.
//
// - S, the first mapping, is the arena. Its usable pages are 1 .. usable;
//   page 0 and page usable+1 hold guard rings (moved there in the set-up), so
//   anonymous pages inside never merge with anything outside; the pages after
//   usable+1 are a margin as long as the largest movable ring, because
//   io_destroy unmaps a whole ring's size from wherever its context's base
//   was moved.
// - A name is used only inside its own extent: the arena's usable pages, a
//   ring's pages, an anonymous mapping's pages. Only arena pages and rings
//   are unmapped or moved, and only into the arena. `ring` (which shows the
//   size of the VMA) reads rings and arena pages only: the size of an
//   anonymous mapping made elsewhere depends on what the kernel put next to it.
// - Once a hole may exist (after any munmap, mremap or io_destroy), a new
//   mapping must be larger than every hole the program could have made, and
//   names of rings made before it are retired (the new mapping may cover
//   where such a ring used to be).
import { AIO_RING_HEADER, IO_EVENT_SIZE, PAGE_SIZE } from "../../assembly/abi/ring.js";
import { ringGeometry } from "../model/ring.js";
import type { AddrExpr, OpName, Scenario, Step } from "../contract/scenario.js";

export const ARENA = "S";
/** Rings the generator may move into the arena have at most this many pages. */
export const MAX_MOVABLE_RING_PAGES = 7;

export type Kind = "arena" | "ring" | "anon";

/** Pages of the ring io_setup(nr_events) maps on a kernel with `cpus` CPUs. */
export function ringPages(nr_events: number, cpus: number): number {
  return ringGeometry(Math.max(nr_events, cpus * 4) * 2).pages;
}

/** Pages an arena needs for `usable` usable pages: guard, usable, guard, margin. */
export function arenaPages(usable: number): number {
  return usable + 2 + MAX_MOVABLE_RING_PAGES;
}

export interface Extent {
  kind: Kind;
  lo: number;
  hi: number;
}

/** The rules above, step by step: a step that breaks one is refused and changes nothing. */
export class Safety {
  readonly extents = new Map<string, Extent>();
  readonly retired = new Set<string>();
  /** Pages every hole the program can make fits in. */
  holeBound = 0;
  holes = false;
  private steps = 0;

  constructor(
    readonly cpus: number,
    readonly aio_max_nr: number,
  ) {}

  /** The state as a forked child starts with it. */
  private copy(): Safety {
    const c = new Safety(this.cpus, this.aio_max_nr);
    for (const [n, e] of this.extents) c.extents.set(n, e);
    for (const n of this.retired) c.retired.add(n);
    c.holeBound = this.holeBound;
    c.holes = this.holes;
    return c;
  }

  /** Names that may be used now, with their extents. */
  live(kinds: Kind[]): [string, Extent][] {
    return [...this.extents].filter(([n, e]) => !this.retired.has(n) && kinds.includes(e.kind));
  }

  /** Takes the step if it keeps every rule; else returns why not and changes nothing. */
  next(s: Step): string | null {
    const r = this.check(s, this.steps);
    if (typeof r === "string") return r;
    r();
    this.steps++;
    return null;
  }

  /** Why a new mapping of `pages` could land in a hole, or null. */
  private cannotPlace(i: number, pages: number): string | null {
    return this.holes && pages <= this.holeBound
      ? `step ${i}: a new mapping of ${pages} pages could land in a hole (holes up to ${this.holeBound} pages)`
      : null;
  }

  /** A new mapping of `pages` named `name` (if any) with extent `e`. */
  private place(pages: number, name: string | undefined, e: Extent): void {
    this.holeBound += pages;
    if (this.holes) for (const [n, x] of this.extents) if (x.kind === "ring") this.retired.add(n);
    this.bind(name, e);
  }

  /** The extent an address names and its page offset; null for an address outside every name (0, bogus, +1b, unbound). */
  private locate(a: AddrExpr | undefined): { name: string; e: Extent; k: number } | null | string {
    if (a === undefined || a === 0 || a === -1 || a === "bogus" || (typeof a === "string" && a.endsWith("+1b"))) return null;
    const m = /^(\w+)(?:\+(\d+))?$/.exec(a);
    if (!m) return `address ${a}`;
    const e = this.extents.get(m[1]);
    if (!e) return null; // unbound: the step is a scenario error and touches nothing
    return { name: m[1], e, k: m[2] === undefined ? 0 : Number(m[2]) };
  }

  /** Page range [k, k+pages) of an address inside one live extent of the given kinds; or why not. */
  private within(i: number, a: AddrExpr | undefined, pages: number, kinds: Kind[]): string | null {
    const at = this.locate(a);
    if (at === null) return null;
    if (typeof at === "string") return `step ${i}: ${at}`;
    if (this.retired.has(at.name)) return `step ${i}: ${at.name} is retired (a later mapping may cover it)`;
    if (!kinds.includes(at.e.kind)) return `step ${i}: ${String(a)} is ${at.e.kind} memory, not ${kinds.join("/")}`;
    if (at.k < at.e.lo || at.k + Math.max(pages, 1) - 1 > at.e.hi)
      return `step ${i}: ${String(a)} and ${pages} pages leave ${at.name}'s pages ${at.e.lo}..${at.e.hi}`;
    return null;
  }

  private bind(name: string | undefined, e: Extent): void {
    if (name === undefined) return;
    this.extents.set(name, e);
    this.retired.delete(name);
  }

  /** A guard ring moved onto the page before or after the arena's usable pages. */
  private isGuardMove(s: Step & { op: "mremap" }): boolean {
    const arena = this.extents.get(ARENA);
    const src = this.locate(s.addr);
    const guards = arena ? [ARENA, `${ARENA}+${arena.hi + 1}`] : [];
    return (
      s.old_pages === 1 &&
      s.new_pages === 1 &&
      s.name === undefined &&
      src !== null &&
      typeof src !== "string" &&
      src.k === 0 &&
      src.name === s.addr &&
      src.e.kind === "ring" &&
      src.e.hi === 0 &&
      !this.retired.has(src.name) &&
      guards.includes(String(s.to))
    );
  }

  /** Why the step breaks a rule, or what taking it changes. */
  private check(s: Step, i: number): string | (() => void) {
    const makesHoles = () => {
      this.holes = true;
    };
    const ok = (): (() => void) => () => undefined;
    switch (s.op) {
      case "mmap": {
        if (i === 0 && s.name === ARENA) {
          if (s.pages < arenaPages(1)) return `step 0: the arena needs at least ${arenaPages(1)} pages`;
          return () => {
            this.bind(s.name, { kind: "arena", lo: 1, hi: s.pages - 2 - MAX_MOVABLE_RING_PAGES });
            this.holeBound = s.pages;
          };
        }
        if (s.name === ARENA) return `step ${i}: ${ARENA} is the arena, mapped first`;
        // MAP_FIXED: like a fixed move's target, inside the arena, whatever it replaces there.
        if (s.at !== undefined) return this.within(i, s.at, Math.max(1, s.pages), ["arena"]) ?? makesHoles;
        if (s.pages <= 0) return ok();
        if (s.align !== undefined) {
          // An odd multiple of align: it may fit a hole, and leaves one of up to 2 * align pages above it.
          const align = s.align;
          return (
            this.cannotPlace(i, s.pages) ??
            (() => {
              this.place(s.pages + 2 * align, s.name, { kind: "anon", lo: 0, hi: s.pages - 1 });
              this.holes = true;
            })
          );
        }
        return this.cannotPlace(i, s.pages) ?? (() => this.place(s.pages, s.name, { kind: "anon", lo: 0, hi: s.pages - 1 }));
      }
      case "io_setup": {
        if (s.ctxp === "nonzero" || s.nr_events === 0 || s.nr_events > this.aio_max_nr || s.nr_events * 2 > 0x10000000 / 32) return ok();
        if (s.name === ARENA) return `step ${i}: ${ARENA} is the arena`;
        const pages = ringPages(s.nr_events, this.cpus);
        return this.cannotPlace(i, pages) ?? (() => this.place(pages, s.name, { kind: "ring", lo: 0, hi: pages - 1 }));
      }
      case "munmap":
        return (s.pages === 0 ? null : this.within(i, s.addr, s.pages, ["arena", "ring"])) ?? makesHoles;
      case "mremap": {
        if (s.to === 0) return `step ${i}: a move to address 0 works only with CAP_SYS_RAWIO (FINDINGS 26): its result depends on who runs it`;
        // The guard's name is done with, so the page it left behind is nobody's concern.
        if (s.to !== undefined && this.isGuardMove(s)) return () => this.retired.add(String(s.addr));
        if ((typeof s.addr === "string" && s.addr.endsWith("+1b")) || s.new_pages === 0) return makesHoles;
        const src = this.within(i, s.addr, s.old_pages, ["arena", "ring"]);
        if (src) return src;
        if (s.maymove === false) {
          // Flags 0: a resize in place, or an error; nothing lands anywhere the kernel chooses.
          if (s.name !== undefined) return `step ${i}: a resize in place binds no name here`;
          return this.within(i, s.addr, Math.max(s.old_pages, s.new_pages), ["arena", "ring"]) ?? makesHoles;
        }
        if (s.to !== undefined) {
          if (s.name !== undefined) return `step ${i}: a fixed move binds no name here`;
          return this.within(i, s.to, s.new_pages, ["arena"]) ?? makesHoles;
        }
        // MREMAP_DONTUNMAP without a target moves the range where the kernel places it, as a growth does.
        const dontUnmapMove = s.dontunmap === true && s.new_pages === s.old_pages;
        if (s.new_pages <= s.old_pages && !dontUnmapMove) return s.name === undefined ? makesHoles : `step ${i}: only a growth binds a name here`;
        const at = this.locate(s.addr);
        // A ring cannot grow (VM_DONTEXPAND: EFAULT before anything moves), nor take MREMAP_DONTUNMAP (EINVAL).
        if (at !== null && typeof at !== "string" && at.e.kind === "ring")
          return s.name === undefined ? makesHoles : `step ${i}: a ring growth binds no name here`;
        if (s.name === ARENA) return `step ${i}: ${ARENA} is the arena`;
        // The growth may move the mapping away: holes first, then the placement rule.
        const holesBefore = this.holes;
        this.holes = true;
        const why = this.cannotPlace(i, s.new_pages);
        this.holes = holesBefore;
        return (
          why ??
          (() => {
            this.holes = true;
            this.place(s.new_pages, s.name, { kind: "anon", lo: 0, hi: s.new_pages - 1 });
          })
        );
      }
      case "fork": {
        // The child keeps the rules, but nothing it does reaches the parent.
        const why = this.check(s.call, i);
        return typeof why === "string" ? why : ok();
      }
      case "fork_calls": {
        // The child keeps the rules on a copy of the parent's state, which dies with it.
        const child = this.copy();
        for (const [k, c] of s.calls.entries()) {
          const why = child.next(c);
          if (why) return `step ${i}: call ${k}: ${why}`;
        }
        return ok();
      }
      case "fork_mremap":
        if (s.to === 0) return `step ${i}: a move to address 0 works only with CAP_SYS_RAWIO (FINDINGS 26): its result depends on who runs it`;
        return this.within(i, s.addr, s.pages, ["arena", "ring"]) ?? this.within(i, s.to, s.pages, ["arena", "ring"]) ?? ok();
      case "io_destroy":
        return this.within(i, s.ctx, 1, ["arena", "ring", "anon"]) ?? makesHoles;
      case "io_submit":
      case "io_getevents":
      case "io_pgetevents":
      case "io_cancel":
      case "user_reap":
      case "thread_getevents":
        return this.within(i, s.ctx, 1, ["arena", "ring", "anon"]) ?? ok();
      case "ring":
      case "store_head":
        return this.within(i, s.ctx, 1, ["arena", "ring"]) ?? ok();
      // Every page the slots reach: beyond the arena lies the probe's own memory.
      case "store_event":
        return this.within(i, s.ctx, slotPages(s.slot + 1), ["arena", "ring"]) ?? ok();
      case "ring_events":
        return this.within(i, s.ctx, slotPages(s.slot + s.count), ["arena", "ring"]) ?? ok();
      case "raise":
      case "ftruncate":
      case "setrlimit_fsize":
      case "buf_fill":
      case "buf_peek":
      case "eventfd":
      case "eventfd_read":
      case "pipe":
      case "pipe_write":
      case "pipe_read":
      case "thread_join":
        return ok();
      case "page":
      // fill and peek stop at the first page that is not anonymous memory: only where they start matters.
      case "fill":
      case "peek":
        return this.within(i, s.addr, 1, ["arena", "ring", "anon"]) ?? ok();
      case "repeat": {
        // Each call runs many times: only calls that change no mapping, so a check that holds once holds every iteration.
        for (const b of s.steps) {
          if (!LOOP_SAFE.has(b.op)) return `step ${i}: a loop here calls nothing that changes mappings (${b.op})`;
          const why = this.check(b, i);
          if (typeof why === "string") return why;
        }
        return ok();
      }
    }
  }
}

/** Pages from a ring's start through the end of its first `slots` event slots (at least the header's). */
function slotPages(slots: number): number {
  return Math.floor((AIO_RING_HEADER + slots * IO_EVENT_SIZE - 1) / PAGE_SIZE) + 1;
}

/** What a fuzzed loop's body may call: the calls whose check changes no extent. */
const LOOP_SAFE: ReadonlySet<OpName> = new Set<OpName>([
  "io_submit",
  "io_getevents",
  "io_pgetevents",
  "io_cancel",
  "user_reap",
  "ring",
  "ring_events",
  "store_head",
  "store_event",
  "page",
  "raise",
  "ftruncate",
  "setrlimit_fsize",
  "eventfd_read",
]);

/** Why the program is unsafe, or null when it keeps every rule. */
export function unsafeReason(scenario: Scenario, cpus: number, aio_max_nr: number): string | null {
  const safety = new Safety(cpus, aio_max_nr);
  for (const s of scenario.steps) {
    const why = safety.next(s);
    if (why) return why;
  }
  return null;
}
