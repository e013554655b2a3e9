/* wire.c: scenario steps, parsed from the wire (format: probe.h). */
#ifndef WIRE_H
#define WIRE_H

#include "probe.h"

enum op {
	OP_IO_SETUP, OP_IO_DESTROY, OP_IO_SUBMIT, OP_IO_GETEVENTS, OP_USER_REAP,
	OP_RING, OP_MMAP, OP_MUNMAP, OP_MREMAP, OP_FORK_MREMAP, OP_PAGE,
	OP_IO_CANCEL, OP_IO_PGETEVENTS, OP_RAISE, OP_FTRUNCATE,
	OP_SETRLIMIT_FSIZE, OP_EVENTFD, OP_EVENTFD_READ, OP_FORK_CALLS, OP_REPEAT,
	OP_PIPE, OP_PIPE_WRITE, OP_PIPE_READ,
	OP_STORE_HEAD, OP_STORE_EVENT, OP_RING_EVENTS,
	OP_FILL, OP_PEEK, OP_THREAD_GETEVENTS, OP_THREAD_JOIN,
	OP_BUF_FILL, OP_BUF_PEEK,
};

/* io_cancel's control block (step flag, with `to` A_NONE): control block 0,
 * or block n2 of the io_submit step n1. */
enum { CANCEL_BLOCK0, CANCEL_SUBMITTED };

/* io_submit's aio_resfd without a name, as assembly/abi/iocb-flags.ts RESFD_*:
 * no IOCB_FLAG_RESFD, a closed descriptor, the test file. */
enum { RESFD_NONE = -1, RESFD_BAD = -2, RESFD_FILE = -3 };
/* io_submit's ioprio: no IOCB_FLAG_IOPRIO (abi/iocb-flags.ts IOPRIO_NONE). */
#define IOPRIO_NONE (-1)

/* io_pgetevents's signal argument, in the order of assembly/abi/codes.ts
 * (USIG_NULL ... SIGMASK_FAULT) and of the wire's words (sig_words). */
enum { SIG_NOUSIG, SIG_USIG_BOGUS, SIG_MASK_NULL, SIG_MASK_UNBLOCK, SIG_MASK_BLOCK, SIG_MASK_BOGUS };

extern const char *const op_names[];

/* io_getevents's timeout (step flag): n3 ns, none, or a pointer it cannot read. */
enum { TIMEOUT_NS, TIMEOUT_NULL, TIMEOUT_BOGUS };

/* io_setup's context pointer (step flag): the probe's own, holding 0 or 1, or NULL, or unmapped. */
enum { CTXP_ZERO, CTXP_NONZERO, CTXP_NULL, CTXP_BOGUS };

enum addr_kind { A_NONE, A_ZERO, A_BOGUS, A_ALL_ONES, A_NAME };

/* io_submit's iovec array: none (not vectored), a NULL or unmapped pointer
 * (one segment), or iov_n lengths at iov_lens[iov_at]. */
enum { IOV_NONE, IOV_NULL, IOV_BOGUS, IOV_ARRAY };

/* One of a repeat's stop conditions (UNTIL in probe.h): no blocks left, a
 * body call's errno (errno_word, "" for success), its ret compared, or the
 * res or res2 of an event it reaped compared. */
enum { UNTIL_REST, UNTIL_ERRNO, UNTIL_RET, UNTIL_RES, UNTIL_RES2 };
enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

struct until {
	int kind;
	int step; /* the body call it reads */
	int cmp;
	long event; /* UNTIL_RES, UNTIL_RES2: the reaped event it reads */
	long value;
	char errno_word[16];
};

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
	int prot;          /* mmap: PROT_* (n3: MAP_PRIVATE or MAP_SHARED) */
	long file_page;    /* mmap: the test file's page it maps from, -1: anonymous memory */
	int cmd;           /* io_submit opcode */
	int sig;           /* io_pgetevents: SIG_* */
	long sigsetsize;   /* io_pgetevents: the usig struct's sigsetsize */
	long bogus_entry;  /* io_submit: the entry pointing to "bogus", -1 for none */
	long nbytes, offset; /* io_submit: of every block */
	long rw_flags;     /* io_submit: every block's aio_rw_flags (RWF_*), 32 bits */
	int resfd;         /* io_submit: RESFD_* or an eventfd's name index */
	long ioprio;       /* io_submit: aio_reqprio with IOCB_FLAG_IOPRIO, or IOPRIO_NONE */
	long aio_flags;    /* io_submit: aio_flags bits beyond RESFD and IOPRIO */
	int iov;           /* io_submit: IOV_* */
	long iov_n, iov_at; /* io_submit, IOV_ARRAY: its segments in iov_lens */
	int pipe;          /* io_submit: a pipe end's pipe (its name index), -1: the test file */
	int pipe_write;    /* io_submit: that pipe's write end (1) or read end (0) */
	long events;       /* io_submit: a poll block's aio_buf */
	int in_child;      /* fork: the call runs in a forked child */
	int rest;          /* io_submit: COUNT "rest", n1 then the loop's BLOCKS */
	struct until until[MAX_UNTIL_CONDITIONS]; /* repeat: n1 TIMES, n2 BLOCKS (-1: none), n3 body lines; any holding stops it */
	int nuntil;        /* repeat: its conditions, 0 for none */
	int body_at;       /* repeat: its first body line in body_steps */
	/* fork_calls: n1 calls at child_steps[n2], run in order by one child. */
};

extern struct step steps[MAX_STEPS];
/* Every fork_calls step's calls, one after another (MAX_STEPS in all). */
extern struct step child_steps[MAX_STEPS];
extern int nchild_steps;
/* The body lines of every repeat of the scenario, one body after another. */
extern struct step body_steps[MAX_STEPS];
/* The segment lengths of every iovec array of the scenario, one after another. */
extern uint32_t iov_lens[MAX_SCENARIO_SEGMENTS];
extern int nsteps;
extern int no_zero_page_wanted; /* the scenario's "zero_page 0" line */
extern long tmpfs_bytes; /* the scenario's "tmpfs BYTES" line; 0: the memfd */
int next_scenario(void);

#endif
