// Kernel generations as data: one record of feature switches per profile
// (docs/semantics.md, "Profiles"). Backends read switches, never version names.
import { RWF_ATOMIC, RWF_DONTCACHE, RWF_KNOWN_BASE, RWF_NOAPPEND, RWF_NOSIGNAL } from "../../assembly/abi/rwf.js";
import type { ProfileName } from "./scenario.js";

/** One kernel generation's feature switches: the backends read these, never a version number. */
export interface Profile {
  name: ProfileName;
  /** Ring pages belong to a ring file (3.12+) rather than anonymous memory. */
  ringFile: boolean;
  /** lookup_ioctx: walk the list (3.11) or index the table by the header id. */
  lookup: "list" | "table";
  /** The header's id field holds the low 32 bits of the ring address (3.11). */
  ringIdIsAddress: boolean;
  /** Ring size: nr_events doubled with a per-CPU floor (3.12+). */
  doubledGeometry: boolean;
  /** Charge the doubled size against aio_max_nr * 2 (3.12 to 4.13). */
  chargeDoubled: boolean;
  /** Request slots: one counter freed only by io_getevents, or per-CPU caches. */
  reqSlots: "single" | "percpu";
  /** Ring VMA carries VM_DONTEXPAND: growing it is EFAULT. */
  ringDontExpand: boolean;
  /** aio_ring_remap: none, void (3.19) or errno-returning (4.1+). */
  remapHook: "none" | "void" | "errno";
  /** Hook in a process without an ioctx table (a forked child, v3.19). */
  hookWithoutTableOops: boolean;
  /** fork copies the ring mapping into the child. */
  forkCopiesRing: boolean;
  /** A move must cover the whole ring mapping. */
  ringMoveWhole: boolean;
  /** One mremap with `to` and equal sizes may move several VMAs (6.17+). */
  multiVmaMove: boolean;
  /** io_getevents with a zero timeout still arms an hrtimer (before 3.19). */
  zeroTimeoutArmsTimer: boolean;
  /**
   * A moved VMA of never-written anonymous memory takes the page offset of
   * its new place, so it merges with anonymous neighbours there (measured on
   * 6.18); older kernels keep the old offset and a moved piece stays apart.
   */
  movedAnonTakesNewOffset: boolean;
  /**
   * mremap looks up the VMA at the source before it checks the target's
   * alignment and overlap: a source in a hole is EFAULT even with an
   * overlapping target (measured on 6.1 and 6.12; 6.18 checks the target first).
   */
  vmaLookupFirst: boolean;
  /**
   * A move to a fixed target unmaps the target (and the tail a shrink drops)
   * before it checks that the source range lies in one VMA, so a move that
   * then fails (EFAULT) has already unmapped its target (6.1, 6.12).
   */
  fixedUnmapsTargetEarly: boolean;
  /**
   * mremap knows MREMAP_DONTUNMAP (5.7+; any mapping but VM_DONTEXPAND and
   * VM_PFNMAP ones since 5.13): a move that leaves the old range mapped and
   * empty. Without it the flag is unknown: EINVAL before anything is looked at.
   */
  dontUnmap: boolean;
  /**
   * A VMA moved whole with MREMAP_DONTUNMAP loses its anon_vma, so it then
   * merges with neighbours that have another (measured on 6.12 and 6.18;
   * 6.1 keeps it, FINDINGS 52).
   */
  dontUnmapDropsAnonVma: boolean;
  /**
   * Which neighbours a MREMAP_DONTUNMAP piece merges with where it lands
   * beside the VMA it was copied from (its source, still mapped) and could
   * merge with it (FINDINGS 54): "any" (6.18) as any new VMA, the source
   * too; "notSource" (6.12) the neighbour on the other side only;
   * "noneBesideSource" (6.1) neither. A piece that cannot merge with its
   * source (a faulted one never can: its offsets are the source's own)
   * merges as any new VMA on all three.
   */
  dontUnmapMerge: "any" | "notSource" | "noneBesideSource";
  /** io_pgetevents exists: added in Linux 4.18, so ENOSYS on the 3.x generations. */
  pgetevents: boolean;
  /**
   * io_submit's fsync and fdsync work on any file with an fsync (4.18+,
   * FINDINGS 43); before, a regular file has no aio fsync and a sync block
   * is EINVAL after the fd lookup, where an unknown opcode is. IOCB_CMD_POLL
   * came with the same rework (4.18, FINDINGS 53): before, EINVAL alike.
   */
  syncOps: boolean;
  /**
   * mmap knows MAP_FIXED_NOREPLACE (4.17+). An older kernel ignores the
   * flag and takes the address as a hint, which the models do not model:
   * the scenario runner refuses such a step, so the WASM core needs no bit.
   */
  mapFixedNoreplace: boolean;
  /**
   * The RWF_* bits of an iocb's aio_rw_flags the kernel knows (its
   * RWF_SUPPORTED; abi/rwf.ts): a read or write block with any other bit
   * is EOPNOTSUPP, after the opcode and before the open mode (FINDINGS 44).
   * null: the field is still aio_reserved1 (before 4.13), and a block with
   * any bit set is EINVAL before it takes a request slot or its fd is
   * looked up (read from the 3.x source, not measured).
   */
  rwFlagsKnown: number | null;
  /**
   * A write of 0 bytes answers 0 before RLIMIT_FSIZE is looked at (4.1+,
   * where the write checks take the iov_iter: measured on 6.1, 6.12, 6.18,
   * FINDINGS 45); before, one at or past the limit is -EFBIG like any write
   * there (read from the 3.x source, not measured).
   */
  emptyWriteSkipsFsize: boolean;
  /**
   * What a read or write block's IOCB_FLAG_IOPRIO priority (aio_reqprio)
   * must be, checked after the opcode and before rw_flags (FINDINGS 46;
   * sync blocks never look at it). "ignored": the flag is unknown and
   * aio_reqprio unused (before 4.18, read from the source); "data" (4.18
   * to 6.4, and 6.1 up to 6.1.190; no profile here is one, a custom one
   * can be): bits 0-12 are the class's data, class NONE takes none, RT and
   * BE a level below 8, IDLE any; "hints" (6.5+, 6.1.192): only the level,
   * bits 0-2, is checked, class NONE takes none, bits 3-12 are hints no
   * check reads.
   * Classes 4-7 are EINVAL in both; RT needs CAP_SYS_ADMIN or CAP_SYS_NICE,
   * which the models assume (the probe refuses to run without them).
   */
  ioprio: "ignored" | "data" | "hints";
  /**
   * The test file (shmem: a memfd or a tmpfs file) opens with O_DIRECT, and
   * its blocks then answer as the read-write descriptor's: shmem has no
   * alignment rules (6.6+, measured on 6.12 and 6.18, FINDINGS 49). false:
   * the open is EINVAL, so a scenario that submits on fd "direct" cannot run
   * as written (measured on 6.1).
   */
  directOpen: boolean;
  /**
   * A completion wakes a thread waiting in io_getevents only once the ring
   * holds the min_nr events it still needs (measured on 6.12 and 6.18,
   * FINDINGS 56, 57): it reads them, up to what nr leaves, at once. false
   * (measured on 6.1, and the 3.x generations, read from the source): every
   * completion wakes it, and it reads what is there, up to what nr leaves.
   * Either way it returns once it holds min_nr, so a thread of a scenario
   * that completes one event a call returns the same events: only the
   * ring's head between its steps shows the difference. The waiter lives in
   * the runner (src/scenario/threads.ts), so the WASM core needs no bit.
   */
  waiterWakesAtMinNr: boolean;
  /**
   * Where the switches come from, shown by --help, --list and every results
   * document: the kernel release and date measured on, or "from the spec,
   * not measured".
   */
  measuredOn: string;
  /** The kernel series a guest's release is matched to ("6.1"), or null. */
  series: string | null;
}

export const FROM_SPEC = "from the spec, not measured";

const v318: Profile = {
  name: "v3.18",
  ringFile: true,
  lookup: "table",
  ringIdIsAddress: false,
  doubledGeometry: true,
  chargeDoubled: true,
  reqSlots: "percpu",
  ringDontExpand: false,
  remapHook: "none",
  hookWithoutTableOops: false,
  forkCopiesRing: true,
  ringMoveWhole: false,
  multiVmaMove: false,
  zeroTimeoutArmsTimer: true,
  movedAnonTakesNewOffset: false,
  vmaLookupFirst: false,
  fixedUnmapsTargetEarly: false,
  dontUnmap: false,
  dontUnmapDropsAnonVma: false,
  dontUnmapMerge: "any",
  pgetevents: false,
  syncOps: false,
  mapFixedNoreplace: false,
  rwFlagsKnown: null,
  emptyWriteSkipsFsize: false,
  ioprio: "ignored",
  directOpen: false,
  waiterWakesAtMinNr: false,
  measuredOn: FROM_SPEC,
  series: null,
};

const v319: Profile = { ...v318, name: "v3.19", ringDontExpand: true, remapHook: "void", hookWithoutTableOops: true, zeroTimeoutArmsTimer: false };

const mainline: Profile = {
  ...v319,
  name: "mainline",
  chargeDoubled: false,
  remapHook: "errno",
  hookWithoutTableOops: false,
  multiVmaMove: true,
  movedAnonTakesNewOffset: true,
  dontUnmap: true,
  dontUnmapDropsAnonVma: true,
  pgetevents: true,
  syncOps: true,
  mapFixedNoreplace: true,
  rwFlagsKnown: RWF_KNOWN_BASE | RWF_NOAPPEND | RWF_ATOMIC | RWF_DONTCACHE | RWF_NOSIGNAL,
  emptyWriteSkipsFsize: true,
  ioprio: "hints",
  directOpen: true,
  waiterWakesAtMinNr: true,
  measuredOn: "Linux 6.18.44, 2026-11-30",
  series: "6.18",
};

/**
 * Debian's 6.1 LTS kernel under QEMU: mainline's answers but for three
 * mremap switches (FINDINGS 30-32), two of MREMAP_DONTUNMAP (FINDINGS 52,
 * 54), the RWF_* flags it knows (FINDINGS 44)
 * and no O_DIRECT on the test file (FINDINGS 49). Its priority hints came
 * with 6.1.191 or .192 (FINDINGS 46): Debian's 6.1.0-50 to -54 (6.1.176 to
 * 6.1.190) read the hint bits as data (`ioprio` "data").
 */
const v61: Profile = {
  ...mainline,
  name: "v6.1",
  multiVmaMove: false,
  vmaLookupFirst: true,
  fixedUnmapsTargetEarly: true,
  dontUnmapDropsAnonVma: false,
  dontUnmapMerge: "noneBesideSource",
  rwFlagsKnown: RWF_KNOWN_BASE,
  directOpen: false,
  waiterWakesAtMinNr: false,
  measuredOn: "Linux 6.1.0-57-cloud-amd64 (Debian 6.1.192-3) under QEMU, 2026-12-05",
  series: "6.1",
};

/** Every profile by name (`scenario --list` shows what each was measured on). */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  "v3.11": {
    ...v318,
    name: "v3.11",
    ringFile: false,
    lookup: "list",
    ringIdIsAddress: true,
    doubledGeometry: false,
    chargeDoubled: false,
    reqSlots: "single",
  },
  "v3.18": v318,
  "v3.19": v319,
  mainline,
  next: { ...mainline, name: "next", forkCopiesRing: false, ringMoveWhole: true, measuredOn: FROM_SPEC, series: null },
  "v6.1": v61,
  // 6.12 answered as 6.1 on every program but those with RWF_NOAPPEND or RWF_ATOMIC, which it knows (FINDINGS 44), O_DIRECT (FINDINGS 49) a whole MREMAP_DONTUNMAP move (FINDINGS 52) or a MREMAP_DONTUNMAP piece landing beside its source (FINDINGS 54).
  "v6.12": {
    ...v61,
    name: "v6.12",
    rwFlagsKnown: RWF_KNOWN_BASE | RWF_NOAPPEND | RWF_ATOMIC,
    directOpen: true,
    dontUnmapDropsAnonVma: true,
    dontUnmapMerge: "notSource",
    waiterWakesAtMinNr: true,
    measuredOn: "Linux 6.12.118+deb12-cloud-amd64 (Debian 6.12.118-1~deb12u1) under QEMU, 2026-12-05",
    series: "6.12",
  },
};

/** The profiles' names, oldest first. */
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** One switch of the WASM core: its field in assembly/profile.ts, and its value for a profile. */
export interface CoreSwitch {
  name: string;
  of(p: Profile): boolean;
}

/**
 * The switches the WASM core reads, in bit order: switch k travels as bit k
 * of the integer profileBits packs. assembly/profile.ts, which unpacks them,
 * is generated from this list (scripts/gen-profile.mjs), so the two ends
 * cannot disagree on a bit. mapFixedNoreplace is not here: the scenario
 * runner refuses what it would switch.
 */
export const CORE_SWITCHES: readonly CoreSwitch[] = [
  { name: "ringFile", of: (p) => p.ringFile },
  { name: "lookupTable", of: (p) => p.lookup === "table" },
  { name: "ringIdIsAddress", of: (p) => p.ringIdIsAddress },
  { name: "doubledGeometry", of: (p) => p.doubledGeometry },
  { name: "chargeDoubled", of: (p) => p.chargeDoubled },
  { name: "reqSlotsPercpu", of: (p) => p.reqSlots === "percpu" },
  { name: "ringDontExpand", of: (p) => p.ringDontExpand },
  { name: "remapHook", of: (p) => p.remapHook !== "none" },
  { name: "remapHookErrno", of: (p) => p.remapHook === "errno" },
  { name: "hookWithoutTableOops", of: (p) => p.hookWithoutTableOops },
  { name: "forkCopiesRing", of: (p) => p.forkCopiesRing },
  { name: "ringMoveWhole", of: (p) => p.ringMoveWhole },
  { name: "multiVmaMove", of: (p) => p.multiVmaMove },
  { name: "zeroTimeoutArmsTimer", of: (p) => p.zeroTimeoutArmsTimer },
  { name: "movedAnonTakesNewOffset", of: (p) => p.movedAnonTakesNewOffset },
  { name: "vmaLookupFirst", of: (p) => p.vmaLookupFirst },
  { name: "fixedUnmapsTargetEarly", of: (p) => p.fixedUnmapsTargetEarly },
  { name: "pgetevents", of: (p) => p.pgetevents },
  { name: "syncOps", of: (p) => p.syncOps },
  { name: "rwFlagsField", of: (p) => p.rwFlagsKnown !== null },
  // The core's known RWF_* set is abi/rwf.ts RWF_KNOWN_BASE plus these (test/abi.test.ts holds every profile to that).
  { name: "rwfNoappend", of: (p) => ((p.rwFlagsKnown ?? 0) & RWF_NOAPPEND) !== 0 },
  { name: "rwfAtomic", of: (p) => ((p.rwFlagsKnown ?? 0) & RWF_ATOMIC) !== 0 },
  { name: "rwfDontcache", of: (p) => ((p.rwFlagsKnown ?? 0) & RWF_DONTCACHE) !== 0 },
  { name: "rwfNosignal", of: (p) => ((p.rwFlagsKnown ?? 0) & RWF_NOSIGNAL) !== 0 },
  { name: "emptyWriteSkipsFsize", of: (p) => p.emptyWriteSkipsFsize },
  { name: "ioprioFlag", of: (p) => p.ioprio !== "ignored" },
  { name: "ioprioHints", of: (p) => p.ioprio === "hints" },
  { name: "dontUnmap", of: (p) => p.dontUnmap },
  { name: "dontUnmapDropsAnonVma", of: (p) => p.dontUnmapDropsAnonVma },
  { name: "dontUnmapMergesSource", of: (p) => p.dontUnmapMerge === "any" },
  { name: "dontUnmapSourceBlocksMerge", of: (p) => p.dontUnmapMerge === "noneBesideSource" },
];

/** Packs the switches into one integer for the WASM core: bit k is CORE_SWITCHES[k]. */
export function profileBits(p: Profile): number {
  return CORE_SWITCHES.reduce((acc, s, bit) => (s.of(p) ? acc | (1 << bit) : acc), 0);
}

/** The profile measured on a kernel of this release's series (6.1.0-57-cloud-amd64: v6.1), else mainline. */
export function profileForRelease(release: string): Profile {
  const series = /^(\d+\.\d+)[.-]/.exec(release)?.[1];
  return Object.values(PROFILES).find((p) => p.series !== null && p.series === series) ?? PROFILES.mainline;
}
