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
 *   io_submit ADDR COUNT CMD DATA FD IOCBS NULL BOGUS NBYTES OFFSET
 *                                CMD: pread|pwrite|bad,
 *                                FD: ok (read-write), bad (closed),
 *                                rdonly, wronly or append (O_APPEND),
 *                                IOCBS: ok (the probe's array), 0
 *                                or bogus, NULL: "-" or the entry left NULL,
 *                                BOGUS: "-" or the entry pointing to "bogus",
 *                                NBYTES, OFFSET: of every block, in the
 *                                test file (FILE_BYTES at each scenario's start)
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
 *   fork LINE                    LINE (io_setup, io_destroy, io_submit,
 *                                io_getevents, io_cancel, ring, munmap,
 *                                mremap or page, binding no name) run by a
 *                                forked child, which then exits
 *   io_cancel ADDR IOCB          IOCB: block (control block 0), 0 or bogus
 *   user_reap ADDR MAX
 *   ring ADDR
 *   mmap PAGES NAME AT FIXED     AT: "-" (the kernel chooses) or an ADDR;
 *                                FIXED: replace (MAP_FIXED) or noreplace
 *                                (MAP_FIXED_NOREPLACE), used with an ADDR only
 *   munmap ADDR PAGES
 *   mremap ADDR OLD NEW TO NAME FLAGS    TO, NAME: as usual or "-";
 *                                FLAGS: maymove, or 0 (resize in place only)
 *   fork_mremap ADDR PAGES TO
 *   page ADDR
 *
 * ADDR is "0", "bogus", "-1" (all ones), or "N<index>+<pages>+<bytes>". A first line
 * "zero_page 0" asks for read faults that allocate pages (FINDINGS 33, 34):
 * on a kernel that maps the zero page, the probe writes back each page a
 * syscall read-faulted in, and says "zero_page_emulated":true.
 *
 * Output of a scenario: {"kernel","cpus","aio_max_nr","aio_nr","zero_page","results"}
 * (the TS side adds name/backend/profile); the same with "scenario_error"
 * added when a step cannot run as written (results then hold the steps
 * before it); or {"probe_error":...,"step"}. Output never contains raw
 * addresses.
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
#define MAX_BATCH (1 << 20) /* io_submit count, io_getevents nr, reap max */
#define RING_MAGIC 0xa10a10a1u
#define FILE_BYTES (16 * 1024)
#define IO_BYTES 512
#define MAX_IO_BYTES (64 * 1024)
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

/* ---------- out.c: output buffer (written out in one go at the end) ---------- */

void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_json_string(const char *s);
void out_discard(void); /* drops what is buffered, for an error line instead */
size_t out_mark(void);   /* bytes buffered now */
void out_truncate(size_t mark); /* back to an earlier mark */
char out_peek(size_t at);       /* a buffered byte, 0 past the end */
const char *out_since(size_t mark, size_t *len); /* what was buffered after a mark */
void flush_out(void);
/* {"probe_error":msg} as the only output, exit 1. */
__attribute__((noreturn, format(printf, 1, 2))) void die_probe(const char *fmt, ...);
const char *errno_name(int e);
const char *signal_name(int sig);

/* ---------- sys.c: machine facts, memory access that never faults ---------- */

extern long page_size;
long read_long_file(const char *path);
int possible_cpus(void);
void pin_one_cpu(void);
int safe_read(uintptr_t addr, void *buf, size_t len);
int safe_write(uintptr_t addr, const void *buf, size_t len);
size_t read_all(int fd, char *buf, size_t cap, const char *what);

/* ---------- maps.c ---------- */

struct vma {
	uintptr_t start, end;
	int is_aio;
	unsigned long inode; /* of the mapped file; each ring has its own */
};

/* Finds the VMA holding addr in /proc/self/maps; 0 if found. */
int find_vma(uintptr_t addr, struct vma *v);
/* Finds a VMA mapping the ring file with this inode; 0 if found. */
int find_ring_vma(unsigned long inode, struct vma *v);
/* Makes the kernel place the scenario's mappings as the models do (maps.c). */
void place_like_the_models(void);
/* 1 if a read fault on private anonymous memory maps the zero page, 0 if it allocates. */
int zero_page_reads(void);

/* ---------- wire.c: scenario steps ---------- */

enum op {
	OP_IO_SETUP, OP_IO_DESTROY, OP_IO_SUBMIT, OP_IO_GETEVENTS, OP_USER_REAP,
	OP_RING, OP_MMAP, OP_MUNMAP, OP_MREMAP, OP_FORK_MREMAP, OP_PAGE,
	OP_IO_CANCEL, OP_IO_PGETEVENTS, OP_RAISE, OP_FTRUNCATE,
};

/* io_pgetevents's signal argument, in the order of assembly/abi/codes.ts
 * (USIG_NULL ... SIGMASK_FAULT) and of the wire's words (sig_words). */
enum { SIG_NOUSIG, SIG_USIG_BOGUS, SIG_MASK_NULL, SIG_MASK_UNBLOCK, SIG_MASK_BLOCK, SIG_MASK_BOGUS };

extern const char *const op_names[];

/* io_getevents's timeout (step flag): n3 ns, none, or a pointer it cannot read. */
enum { TIMEOUT_NS, TIMEOUT_NULL, TIMEOUT_BOGUS };

/* io_setup's context pointer (step flag): the probe's own, holding 0 or 1, or NULL, or unmapped. */
enum { CTXP_ZERO, CTXP_NONZERO, CTXP_NULL, CTXP_BOGUS };

enum addr_kind { A_NONE, A_ZERO, A_BOGUS, A_ALL_ONES, A_NAME };

struct addr {
	enum addr_kind kind;
	int name;
	long pages, bytes;
};

struct step {
	enum op op;
	struct addr a, to; /* a: ctx/addr; to: mremap/fork_mremap target */
	long n1, n2, n3;   /* op-specific numbers, see parse_step */
	int name;          /* name to bind, -1 for none */
	int flag;          /* CTXP_* / FD_* / TIMEOUT_* / mremap flags / mmap MAP_FIXED* */
	int cmd;           /* io_submit opcode */
	int sig;           /* io_pgetevents: SIG_* */
	long sigsetsize;   /* io_pgetevents: the usig struct's sigsetsize */
	long bogus_entry;  /* io_submit: the entry pointing to "bogus", -1 for none */
	long nbytes, offset; /* io_submit: of every block */
	int in_child;      /* fork: the call runs in a forked child */
};

extern struct step steps[MAX_STEPS];
extern int nsteps;
extern int no_zero_page_wanted; /* the scenario's "zero_page 0" line */
int next_scenario(void);

/* ---------- io.c: the test file and the I/O buffers ---------- */

/* io_submit's file (step flag), in the order of assembly/abi/codes.ts
 * (FD_RDWR ... FD_APPEND) and of the wire's words (fd_words). */
enum { FD_RDWR, FD_BAD, FD_RDONLY, FD_WRONLY, FD_APPEND, FD_KINDS };
/* The descriptor of each kind (FD_BAD: a number no file is open on). */
extern int io_fds[FD_KINDS];
extern char io_buf[MAX_IO_BYTES];
extern struct iocb *iocbs;
extern struct iocb **iocb_ptrs;
extern struct io_event *events;
void setup_io_file(void);
void alloc_buffers(long max_iocbs, long max_events);

/* ---------- scenario.c ---------- */

int cmd_scenario(void);
int cmd_scenarios(int argc, char **argv);

/* ---------- timing.c, ring_loop.c: timing loops ---------- */

struct params {
	long iterations, samples, timeout_ns, min_nr, batch, contexts, nr;
};

extern double sample_ns[1000];
void timing_header(const char *loop, const char *unit, const struct params *p);
void timing_samples(const struct params *p);
void loop_ring(const struct params *p);
void loop_ring_getevents(const struct params *p);
int cmd_time(int argc, char **argv);

#endif
