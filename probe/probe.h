/*
 * aio-ring-bench kernel probe: runs scenarios (docs/scenario-format.md) and
 * timing loops on the running Linux kernel through raw syscalls.
 *
 *   probe check                  is AIO usable here?           -> JSON line
 *   probe scenario < wire        run one scenario (wire below)  -> JSON line
 *   probe scenarios [cpu=N] [seconds=S] [settle=1] < wires
 *                                scenarios separated by lines "=", read as
 *                                they come, each run in its own child as soon
 *                                as it is complete -> one JSON line each
 *   probe time LOOP key=value..  one timing loop                -> JSON line
 *
 * Scenario wire format (written by src/kernel/wire.ts), one step per line,
 * names already resolved to small integers by the TS side:
 *
 *   io_setup NR NAME CTXP        NAME: index or "-", CTXP: 0, 1 (nonzero),
 *                                null or bogus (a pointer it cannot write)
 *   io_destroy ADDR
 *   io_submit ADDR COUNT CMD DATA FD IOCBS NULL BOGUS NBYTES OFFSET RWFLAGS
 *             RESFD IOPRIO AIOFLAGS IOV
 *                                CMD: pread|pwrite|fsync|fdsync|bad|noop|
 *                                preadv|pwritev,
 *                                FD: ok (read-write), bad (closed),
 *                                rdonly, wronly, append (O_APPEND) or
 *                                direct (O_DIRECT),
 *                                IOCBS: ok (the probe's array), 0
 *                                or bogus, NULL: "-" or the entry left NULL,
 *                                BOGUS: "-" or the entry pointing to "bogus",
 *                                NBYTES, OFFSET: of every block, in the
 *                                test file (FILE_BYTES at each scenario's start),
 *                                RWFLAGS: every block's aio_rw_flags, decimal,
 *                                RESFD: "-" (no IOCB_FLAG_RESFD), bad (a
 *                                closed descriptor), file (the test file)
 *                                or N<index>+0+0 (an eventfd step's name),
 *                                IOPRIO: -1 (no IOCB_FLAG_IOPRIO) or
 *                                aio_reqprio, AIOFLAGS: more aio_flags bits
 *                                IOV: "-" (not vectored), null or bogus (a
 *                                one-segment array it cannot read), or "v"
 *                                and the segment lengths, comma-separated
 *                                (each segment points at the I/O buffer),
 *                                EVENTS: a poll block's aio_buf (0 otherwise);
 *                                CMD poll also, FD pr<index> or pw<index>:
 *                                the read or write end of a pipe step's name
 *   eventfd NAME INITVAL SEM     a nonblocking eventfd bound to NAME; SEM:
 *                                semaphore (EFD_SEMAPHORE) or 0
 *   eventfd_read NAME            read(2) of its counter
 *   io_getevents ADDR MIN_NR NR TIMEOUT EVENTS   TIMEOUT: ns, null or
 *                                bogus (unreadable); EVENTS: ok (the probe's
 *                                buffer), 0 or bogus
 *   io_pgetevents ADDR MIN_NR NR TIMEOUT EVENTS SIG SIZE   as io_getevents;
 *                                SIG: nousig (usig NULL), bogus (usig
 *                                unreadable), or the usig struct's mask: null,
 *                                unblock (empty: lets SIGUSR1 in), block
 *                                (SIGUSR1), maskbogus; SIZE: its sigsetsize
 *   raise                        SIGUSR1 to the probe, which keeps it blocked
 *   ftruncate SIZE               of the test file
 *   setrlimit_fsize BYTES        RLIMIT_FSIZE's soft limit: a number or
 *                                infinity (SIGXFSZ is ignored)
 *   fork LINE                    LINE (io_setup, io_destroy, io_submit,
 *                                io_getevents, io_cancel, ring, munmap,
 *                                mremap or page, binding no name) run by a
 *                                forked child, which then exits
 *   fork_calls K                 the next K lines (1 to MAX_CHILD_CALLS,
 *                                each as "fork LINE" takes, plus mmap,
 *                                ftruncate, eventfd_read, fill, peek,
 *                                buf_fill and buf_peek,
 *                                names allowed)
 *                                run in order by one forked child, which
 *                                then exits; its names die with it
 *   io_cancel ADDR IOCB          IOCB: block (control block 0), 0 or bogus,
 *                                or sSTEP:K (block K of io_submit step STEP)
 *   pipe NAME                    pipe2(O_NONBLOCK) bound to NAME
 *   pipe_write NAME BYTES        write(2) of BYTES into its write end
 *   pipe_read NAME BYTES         read(2) of up to BYTES from its read end
 *   thread_getevents NAME ADDR MIN_NR NR TIMEOUT   a thread (threads.c)
 *                                named NAME that calls io_getevents(ADDR,
 *                                MIN_NR, NR, TIMEOUT: ns or null); the step
 *                                ends once it sleeps in the kernel or has
 *                                returned (and every other waiter too)
 *   thread_join NAME             waits for it: its io_getevents's result
 *   user_reap ADDR MAX
 *   ring ADDR
 *   store_head ADDR HEAD         a u32 into the header of the ring at ADDR
 *   store_event ADDR SLOT DATA RES RES2   an io_event (obj 0) into SLOT
 *   ring_events ADDR SLOT COUNT  COUNT events from SLOT on, no wrap
 *   mmap PAGES NAME AT FIXED ALIGN MAP PROT FILE   AT: "-" (the kernel chooses) or an ADDR;
 *                                FIXED: replace (MAP_FIXED) or noreplace
 *                                (MAP_FIXED_NOREPLACE), used with an ADDR only;
 *                                ALIGN: 0, or with AT "-" a power of two of
 *                                pages: the highest free odd multiple of it
 *                                below the fence (maps.h aligned_area);
 *                                MAP: private or shared (MAP_SHARED, a shmem
 *                                object of its own); PROT: rw, r, w or none;
 *                                FILE: "-" (anonymous memory) or the test
 *                                file's page to map it from
 *   munmap ADDR PAGES
 *   mremap ADDR OLD NEW TO NAME FLAGS    TO, NAME: as usual or "-";
 *                                FLAGS: maymove, 0 (resize in place only),
 *                                dontunmap or maymove+dontunmap
 *                                (MREMAP_DONTUNMAP; without TO the new
 *                                address argument is 0, its hint)
 *   fork_mremap ADDR PAGES TO
 *   page ADDR
 *   fill ADDR PAGES VALUE        VALUE (0-255) into every byte of PAGES pages
 *                                from the one holding ADDR, up to the first
 *                                that is not the scenario's anonymous memory
 *   peek ADDR PAGES              each such page's byte (-1: bytes differ)
 *   buf_fill OFFSET BYTES VALUE  VALUE (0-255) into BYTES bytes of io_buf
 *                                from OFFSET
 *   buf_peek OFFSET BYTES        those bytes as runs [length, value] of
 *                                equal bytes (MAX_PEEK_RUNS at most)
 *   repeat TIMES BLOCKS N UNTIL  a bounded loop (loop.c): the N lines after
 *                                it are its body (calls only: no repeat,
 *                                eventfd, fork, fork_mremap, fill or peek), run up to
 *                                TIMES times; BLOCKS: "-" or what the body's
 *                                io_submit lines with COUNT "rest" submit
 *                                between them (each asks for those left);
 *                                UNTIL, checked after each iteration: "-",
 *                                or up to MAX_UNTIL_CONDITIONS conditions
 *                                joined by commas, the loop stopping once
 *                                any holds: rest (none left), K:errno:NAME
 *                                (body line K's errno, null for success, K
 *                                -1 for the last line), K:ret:OP:VALUE (OP:
 *                                eq, ne, lt, le, gt or ge), K:res:E:OP:VALUE
 *                                or K:res2:E:OP:VALUE (the res or res2 of
 *                                the Eth event line K reaped; none reaped:
 *                                false)
 *
 * ADDR is "0", "bogus", "-1" (all ones), or "N<index>+<pages>+<bytes>". A first line
 * "zero_page 0" asks for read faults that allocate pages (FINDINGS 33, 34):
 * on a kernel that maps the zero page, the probe writes back each page a
 * syscall read-faulted in, and says "zero_page_emulated":true. A line
 * "tmpfs BYTES" before the first step puts the test file on a tmpfs of that
 * size instead of a memfd (FINDINGS 49; it needs CAP_SYS_ADMIN).
 *
 * Output of a scenario: {"kernel","cpus","aio_max_nr","aio_nr","zero_page",("tmpfs_bytes",)"results"}
 * (the TS side adds name/backend/profile); the same with "scenario_error"
 * added when a step cannot run as written (results then hold the steps
 * before it); or {"probe_error":...,"step"}. Output never contains raw
 * addresses.
 */
/*
 * What every file shares: the limits and layouts checked against
 * assembly/abi (test/abi.test.ts), and the raw syscalls. What a file X.c
 * gives the others is declared in X.h, and a file includes the headers of
 * what it uses, so the includes are the dependencies between the files:
 * npm run deps:check (scripts/check-probe-includes.mjs) fails on a cycle.
 */
#ifndef PROBE_H
#define PROBE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_STEPS 10000
#define MAX_NAMES 256
#define MAX_EVENTFDS 64 /* eventfd steps in one scenario */
#define MAX_PIPES 16 /* pipe steps in one scenario */
#define PIPE_MAX_BYTES 4096 /* what a scenario's pipe may hold (assembly/abi/poll.ts) */
#define MAX_POLL_BLOCKS 1024 /* poll blocks in one scenario, each kept for io_cancel */
#define MAX_CHILD_CALLS 64 /* calls of one fork_calls step */
#define MAX_THREADS 8 /* threads started and not joined, at once */
#define MAX_THREAD_NR 64 /* a thread's io_getevents nr */
#define MIN_THREAD_TIMEOUT_NS 1000000000L /* a thread's finite timeout, at least */
#define MAX_THREAD_TIMEOUT_NS 10000000000L /* and at most */
#define MAX_LOOP_TIMES 1000000 /* a repeat's iterations */
#define MAX_LOOP_BODY 16 /* a repeat's body lines */
#define MAX_UNTIL_CONDITIONS 4 /* conditions of a repeat's UNTIL */
#define MAX_EXECUTED_STEPS 4100000 /* calls in all, a repeat's body counted its times over (assembly/abi/limits.ts) */
#define MAX_BATCH (1 << 20) /* io_submit count, io_getevents nr, reap max */
#define RING_MAGIC 0xa10a10a1u
#define FILE_BYTES (16 * 1024)
#define IO_BYTES 512
#define MAX_IO_BYTES (1024 * 1024 * 1024)
#define MAX_IOV_SEGMENT_BYTES (1024 * 1024)
/* A scenario's tmpfs for the test file: whole pages, 16 KiB to 16 MiB. */
#define MIN_TMPFS_BYTES FILE_BYTES
#define MAX_TMPFS_BYTES (16 * 1024 * 1024)
#define MAX_FILL_PAGES 4096 /* one fill or peek step */
#define MAX_CONTENT_PAGES (1 << 18) /* all of one scenario's fill and peek steps */
#define MAX_BUF_TOUCH_BYTES (1 << 28) /* all of one scenario's buf_fill and buf_peek steps */
#define MAX_PEEK_RUNS 1024 /* runs one buf_peek reports (the last: the rest, -1) */
#define MAX_ALIGN_PAGES (1 << 18) /* an mmap step's align: the fence sits at a multiple of twice it */
#define MAX_MAPPING_PAGES (1 << 19) /* one call's charge: mmap pages, mremap new pages, fork_mremap pages */
#define MAX_IOV_SEGMENTS 2048 /* one iovec array: room past IOV_MAX */
#define MAX_SCENARIO_SEGMENTS (1 << 19) /* every array of one scenario */
/* Far below the mmap area and above any heap: nothing maps here unless a
 * scenario moves something here itself. Checked unmapped at start. */
#define BOGUS_ADDR 0x100000000000ul
/* A scenario's control blocks live here (assembly/abi/iocb.ts): the kernel
 * writes each event's obj from the block's address, so a fixed place makes
 * a `ring` read of an event page the same on every backend. */
#define IOCB_ADDR 0x200000000000ul
#define IOCB_SIZE 64

struct ring_header {
	uint32_t id, nr, head, tail, magic, compat_features, incompat_features,
		header_length;
};

/* ---------- raw syscalls (inline: they sit in timed loops) ---------- */

static inline long sys_io_setup(unsigned nr, aio_context_t *ctxp)
{
	return syscall(SYS_io_setup, nr, ctxp);
}
static inline long sys_io_destroy(aio_context_t ctx)
{
	return syscall(SYS_io_destroy, ctx);
}
/* The usig argument of io_pgetevents (the kernel's struct __aio_sigset). */
struct aio_sigset {
	const sigset_t *sigmask;
	size_t sigsetsize;
};

static inline long sys_io_pgetevents(aio_context_t ctx, long min_nr, long nr,
				     struct io_event *ev, struct timespec *ts,
				     const struct aio_sigset *usig)
{
	return syscall(SYS_io_pgetevents, ctx, min_nr, nr, ev, ts, usig);
}

static inline long sys_io_cancel(aio_context_t ctx, struct iocb *iocb, struct io_event *result)
{
	return syscall(SYS_io_cancel, ctx, iocb, result);
}
static inline long sys_io_submit(aio_context_t ctx, long nr, struct iocb **iocbs)
{
	return syscall(SYS_io_submit, ctx, nr, iocbs);
}
static inline long sys_io_getevents(aio_context_t ctx, long min_nr, long nr,
			     struct io_event *ev, struct timespec *ts)
{
	return syscall(SYS_io_getevents, ctx, min_nr, nr, ev, ts);
}
static inline long sys_mremap(uintptr_t old, size_t old_len, size_t new_len,
		       int flags, uintptr_t to)
{
	return syscall(SYS_mremap, old, old_len, new_len, flags, to);
}

static inline uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

#endif
