// Bounds on scenario input, shared by the parser (src/scenario/parse.ts), the
// wire encoder (src/kernel/wire.ts) and, checked by test/abi.test.ts, the C
// probe (probe/probe.h): a scenario one side accepts the other never refuses.

/** Steps in one scenario. */
export const MAX_STEPS = 10000;
/** Distinct names one scenario may bind. */
export const MAX_NAMES = 256;
/** Counts, event numbers and sizes in pages: the probe and the models allocate them. */
export const MAX_COUNT = 1 << 20;
/** io_setup's nr_events: an unsigned int in the kernel (doubling it wraps, see docs/semantics.md). */
export const MAX_NR_EVENTS = 0xffffffff;
/**
 * io_submit's nbytes: the probe reads into and writes from one buffer of
 * this size (libaio's 6.t and 14.t move 768 MiB blocks), untouched until a
 * block moves bytes through it. Below MAX_RW_COUNT: no block is cut short.
 */
export const MAX_IO_BYTES = 1 << 30;
/**
 * One iovec segment's length: the probe lays an array's segments one after
 * another in its buffer, and UIO_MAXIOV of them fill at most that buffer
 * and stay below MAX_RW_COUNT, so the kernel never shortens an array.
 */
export const MAX_IOV_SEGMENT_BYTES = 1 << 20;
/** Segments of one io_submit iovec array: twice UIO_MAXIOV, room for the EINVAL of too many (the probe holds an array this long). */
export const MAX_IOV_SEGMENTS = 2048;
/** Segments of all of one scenario's iovec arrays together (the probe keeps them in one pool); a 1 MiB scenario file holds fewer. */
export const MAX_SCENARIO_SEGMENTS = 1 << 19;
/**
 * io_submit's offset, either way: far below the largest file of any
 * filesystem a probe may write to (no EFBIG), and below zero for the EINVAL
 * of a negative position.
 */
export const MAX_IO_OFFSET = 2 ** 31;
/** eventfd steps in one scenario: each opens a descriptor the probe keeps open to the end. */
export const MAX_EVENTFDS = 64;
/** Calls of one fork_calls step's child; every call also counts toward MAX_STEPS. */
export const MAX_CHILD_CALLS = 64;
/** Bytes of one scenario file. */
export const MAX_SCENARIO_BYTES = 1 << 20;
/**
 * A scenario's tmpfs (tmpfs_bytes), bytes: page granular, at least the test
 * file's 16 KiB (IO_FILE_BYTES) and at most 16 MiB, memory the probe's
 * writes may really take.
 */
export const MIN_TMPFS_BYTES = 1 << 14;
export const MAX_TMPFS_BYTES = 1 << 24;
/** A repeat step's times: iterations of its body, at most. */
export const MAX_LOOP_TIMES = 1_000_000;
/** Steps in a repeat step's body. */
export const MAX_LOOP_BODY = 16;
/** Conditions in a repeat's `until` list (libaio's 11.t checks three per round trip: both rets and the event's res). */
export const MAX_UNTIL_CONDITIONS = 4;
/**
 * Calls one scenario may make in all, each repeat counted as its body times
 * its `times`: what bounds a scenario's running time, the steps written
 * being bounded by MAX_STEPS. Room for libaio's 11.t (4,000,002 calls: two
 * million submit and reap round trips, FINDINGS 61). Measured, 4,000,000
 * such calls: the probe 11.7 s on the host (6.18); under QEMU TCG 47 s on
 * 6.1 and 54 s on 6.12 with the guest's boot (206 s and 107 s beside a
 * build); the TypeScript model 3.1 s and the WASM core 5.0 s (the
 * scenario runner's per-call cost, src/scenario/run.ts). Much more would
 * make a parity run slow.
 */
export const MAX_EXECUTED_STEPS = 4_100_000;
/**
 * io_setup, mmap and mremap calls one scenario may make in all (a repeat's
 * counted times over): each may add a mapping, and the live kernel refuses
 * a process more than vm.max_map_count of them (65,530 by default, ENOMEM),
 * which the models do not model.
 */
export const MAX_MAPPING_CALLS = 40_000;
/** Pages one fill or peek step may write or read (16 MiB): the probe really writes them. */
export const MAX_FILL_PAGES = 4096;
/**
 * Largest `align` of an mmap step, in pages (1 GiB, a PUD): the mapping
 * starts at an odd multiple of it. The scenario ceiling (the models' and
 * the probe's fence) is a multiple of twice this, so both place it alike.
 */
export const MAX_ALIGN_PAGES = 1 << 18;
/**
 * Pages one call may ask the kernel to charge as new private memory: an
 * mmap step's `pages`, an mremap's `new_pages` (a move charges all of
 * them) and a fork_mremap's. The heuristic overcommit refuses (ENOMEM) one
 * charge above RAM + swap, which the models do not model (FINDINGS 60), so
 * every backend stops at 2 GiB: mremap_test.c's PUD-aligned cases map
 * that much, and every kernel the probe runs on has more (the guests 3 GiB).
 */
export const MAX_MAPPING_PAGES = 1 << 19;
/** Pages one scenario's fill and peek steps may touch in all: the models hold each written page's byte, the results each read one. */
export const MAX_CONTENT_PAGES = 1 << 18;
/** Threads one scenario may hold at once (started by thread_getevents, not yet joined): the probe keeps a table of them. */
export const MAX_THREADS = 8;
/** A thread's io_getevents nr: its events buffer in the probe. */
export const MAX_THREAD_NR = 64;
/**
 * The shortest finite timeout of a thread's io_getevents (1 s): it must not
 * expire before its join, which the models take as the moment it does; the
 * steps between run in well under a second.
 */
export const MIN_THREAD_TIMEOUT_NS = 1e9;
/** The longest (10 s): a join with nothing to wake its thread waits it out on the live kernel. */
export const MAX_THREAD_TIMEOUT_NS = 10e9;
/**
 * Bytes one scenario's buf_fill and buf_peek steps may touch in all (256
 * MiB): the probe really writes and reads them, and under QEMU's TCG each
 * gigabyte takes seconds.
 */
export const MAX_BUF_TOUCH_BYTES = 1 << 28;
/**
 * Runs one buf_peek reports: past them, one last run of the bytes left with
 * value -1 (the models keep every run, the probe counts them as it reads).
 */
export const MAX_PEEK_RUNS = 1024;
