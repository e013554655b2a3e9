/* Scenario execution: the child that runs one scenario's steps, one result
 * per step (supervise.c forks it and watches it). */
#include "scenario.h"
#include "aio_nr.h"
#include "fault_watch.h"
#include "io.h"
#include "iocb.h"
#include "loop.h"
#include "maps.h"
#include "observe.h"
#include "out.h"
#include "signals.h"
#include "sys.h"
#include "tmpfs.h"
#include "wire.h"
#include "fork.h"
#include "threads.h"
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <linux/ioprio.h>
#include <sys/eventfd.h>
#include <sys/time.h>

/* A name's address, or for an eventfd step's name its descriptor
 * (src/scenario/eventfd-names.ts keeps the two kinds of name apart). */
static uintptr_t names[MAX_NAMES];
static int bound[MAX_NAMES];
static volatile int *progress; /* shared with the parent: step running now */
static int zero_page; /* zero_page_reads(), measured by the parent before any child runs */

/* The result line is out: closing stdout now tells the probe so at once,
 * while exit still waits for the kernel to free the process's contexts
 * (an RCU grace period). */
static void exit_quietly(void)
{
	close(1);
	exit(0);
}

/* Where the results array starts and where the running step's result
 * starts: a scenario error keeps the results of the steps before it. */
static size_t step_mark;
static int results_open;

/* The body call of a repeat running now, -1 outside one: its errors name
 * the field "steps.K.FIELD" of the repeat step. */
static int body_index = -1;

static void scenario_error(int step, const char *field, int name_index,
			   const char *msg)
{
	char within[80];
	if (body_index >= 0) {
		snprintf(within, sizeof within, "steps.%d.%s", body_index, field);
		field = within;
	}
	if (results_open) {
		out_truncate(step_mark);
		outf("]");
		out_aio_nr_moved();
		outf(",\"scenario_error\":{\"step\":%d,\"field\":", step);
	} else {
		out_discard();
		outf("{\"scenario_error\":{\"step\":%d,\"field\":", step);
	}
	/* In a fork_calls child the field is its call's, as the schema names it. */
	char call_field[128];
	if (fork_call >= 0)
		snprintf(call_field, sizeof call_field, "calls.%d.%s", fork_call, field);
	out_json_string(fork_call >= 0 ? call_field : field);
	if (name_index >= 0)
		outf(",\"name_index\":%d", name_index);
	outf(",\"message\":");
	out_json_string(msg);
	outf("}}\n");
	flush_out();
	if (in_fork_child) {
		/* The document is out: the parent ends without a word. */
		close(1);
		_exit(FORK_SCENARIO_ERROR);
	}
	exit_quietly();
}

/* watch_ctx, or the scenario error of a read fault the emulated no-zero-page cannot make. */
static void watch(int i, struct fault_watch *w, uintptr_t ctx)
{
	if (watch_ctx(w, ctx) != 0)
		scenario_error(i, "ctx", -1, NO_WRITE_BACK_REFUSAL);
}

static uintptr_t resolve(int step, const char *field, const struct addr *a)
{
	switch (a->kind) {
	case A_ZERO:
		return 0;
	case A_BOGUS:
		return BOGUS_ADDR;
	case A_ALL_ONES:
		return UINTPTR_MAX;
	case A_NAME:
		if (!bound[a->name])
			scenario_error(step, field, a->name,
				       "name is not bound (never bound, or the "
				       "step that would bind it failed)");
		return names[a->name] + (uintptr_t)(a->pages * page_size) +
		       (uintptr_t)a->bytes;
	default:
		die_probe("step %d: missing address", step);
		return 0;
	}
}

static void bind_name(int name, uintptr_t addr)
{
	if (name >= 0) {
		names[name] = addr;
		bound[name] = 1;
	}
}

static void result_head(int i, const struct step *st)
{
	outf("%s{\"step\":%d,\"op\":\"%s\"", i ? "," : "", i, st->in_child ? "fork" : op_names[st->op]);
}

/* The step's return value as ret_errno wrote it: a failed io_setup or
 * io_destroy changes no aio-nr of ours. */
static long step_ret;

static void ret_errno(long r)
{
	step_ret = r;
	if (r < 0)
		outf(",\"ret\":-1,\"errno\":\"%s\"", errno_name(errno));
	else
		outf(",\"ret\":%ld,\"errno\":null", r);
}

static void do_io_getevents(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	long min_nr = st->n1, r;
	/* The probe's buffer, or NULL or "bogus": a buffer the kernel cannot write. */
	struct io_event *ev = st->to.kind == A_NONE ? events : (struct io_event *)resolve(i, "events", &st->to);
	/* A negative timeout never expires on the live kernel: the relative
	 * hrtimer expiry saturates to KTIME_MAX (see FINDINGS.md). */
	int no_expiry = st->flag == TIMEOUT_NULL || (st->flag == TIMEOUT_NS && st->n3 < 0);
	/* A mask that lets the pending SIGUSR1 in ends any wait at once. */
	int interrupts = st->op == OP_IO_PGETEVENTS && st->sig == SIG_MASK_UNBLOCK && usr1_pending();
	sig_atomic_t handled = usr1_handled;
	struct fault_watch w;
	watch(i, &w, ctx);
	if (st->flag == TIMEOUT_BOGUS) {
		r = getevents_call(st, ctx, ev, (struct timespec *)BOGUS_ADDR);
	} else if (no_expiry && !interrupts) {
		/* Every event exists once io_submit returns (buffered I/O completes
		 * during submit), so a zero-timeout call returns exactly what the
		 * waiting call would, unless the waiting call would never return.
		 * This asks the kernel itself, wherever the ring header lies. */
		struct timespec zero = {0, 0};
		r = getevents_call(st, ctx, ev, &zero);
		if (r >= 0 && r < min_nr) {
			char msg[200];
			snprintf(msg, sizeof msg,
				 "%s with %s would block forever: "
				 "%ld event(s) ready, min_nr %ld",
				 op_names[st->op],
				 st->flag == TIMEOUT_NULL ? "no timeout"
					  : "a negative timeout (it never expires)",
				 r, min_nr);
			scenario_error(i, "min_nr", -1, msg);
		}
	} else {
		struct timespec ts = {st->n3 / 1000000000L, st->n3 % 1000000000L};
		r = getevents_call(st, ctx, ev, st->flag == TIMEOUT_NULL ? NULL : &ts);
	}
	allocate_read_pages(&w);
	ret_errno(r);
	out_events(r, 0);
	if (st->op == OP_IO_PGETEVENTS)
		outf(",\"delivered\":%d", usr1_handled != handled);
}

/* The descriptor of the eventfd step's name `name`. */
static int eventfd_of(int step, const char *field, int name)
{
	if (!bound[name])
		scenario_error(step, field, name, "eventfd is not bound by any earlier eventfd step");
	return (int)names[name];
}

/*
 * Pipes and poll blocks (FINDINGS 53). Each pipe step's ends, by its name
 * index. A poll block's control block stays where io_submit read it, for
 * an io_cancel naming it: poll blocks live in poll_iocbs, each step's from
 * poll_first[step] - 1 (0: none). They carry no IOCB_FLAG_RESFD: with an
 * eventfd, the kernel completes a block a pipe write woke from a workqueue
 * later, without one inside the write.
 */
static int pipe_fds[MAX_NAMES][2];
static struct iocb poll_iocbs[MAX_POLL_BLOCKS];
static long poll_used;
static long poll_first[MAX_STEPS];

/* The tail of the ring header at `ctx`, read without a fault: a ring file
 * io_destroy freed may still be mapped there, and then its pages SIGBUS. */
static int ring_tail_at(uintptr_t ctx, uint32_t *tail)
{
	struct vma v;
	return find_vma(ctx, &v) == 0 && v.is_aio &&
	       safe_read(ctx + offsetof(struct ring_header, tail), tail, sizeof *tail) == 0;
}

/* Until the tail of the ring at `ctx` moves from `tail` (5 s at most, then the probe fails). */
static void await_ring_tail(uintptr_t ctx, uint32_t tail)
{
	int saved = errno; /* the syscall's, for its result */
	uint64_t deadline = now_ns() + 5000000000ull;
	for (uint32_t now = tail; ring_tail_at(ctx, &now) && now == tail;) {
		if (now_ns() >= deadline)
			die_probe("a cancelled poll block did not complete in 5 s");
		usleep(100);
	}
	errno = saved;
}

/* io_submit of the step's count with its array (iocb_ptrs as filled, with
 * its NULL and unmapped entries put in, or the step's own array address),
 * watching the context's ring for read faults. */
static long submit_iocbs(int i, const struct step *st, uintptr_t ctx, struct fault_watch *w)
{
	long count = st->n1;
	if (st->bogus_entry >= 0 && st->bogus_entry < count)
		iocb_ptrs[st->bogus_entry] = (struct iocb *)BOGUS_ADDR;
	if (st->n3 >= 0 && st->n3 < count)
		iocb_ptrs[st->n3] = NULL;
	struct iocb **array = st->to.kind == A_NONE ? iocb_ptrs : (struct iocb **)resolve(i, "iocbs", &st->to);
	watch(i, w, ctx);
	return sys_io_submit(ctx, count, array);
}

static void do_poll_submit(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	long count = st->n1 > 0 ? st->n1 : 0;
	if (poll_used + count > MAX_POLL_BLOCKS)
		die_probe("more than %d poll blocks", MAX_POLL_BLOCKS);
	if (st->pipe >= 0 && !bound[st->pipe])
		scenario_error(i, "fd", st->pipe, "pipe is not made by any earlier pipe step");
	fill_iocbs(st, count, -1);
	for (long k = 0; k < count; k++) {
		struct iocb *cb = &poll_iocbs[poll_used + k];
		*cb = iocbs[k];
		cb->aio_buf = (uint64_t)st->events;
		if (st->pipe >= 0)
			cb->aio_fildes = (uint32_t)pipe_fds[st->pipe][st->pipe_write];
		iocb_ptrs[k] = cb;
	}
	poll_first[i] = poll_used + 1;
	poll_used += count;
	struct fault_watch w;
	long r = submit_iocbs(i, st, ctx, &w);
	allocate_read_pages(&w);
	ret_errno(r);
}

static void do_io_submit(int i, const struct step *st)
{
	if (st->cmd == IOCB_CMD_POLL) {
		do_poll_submit(i, st);
		return;
	}
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	long count = st->n1;
	int sync = st->cmd == IOCB_CMD_FSYNC || st->cmd == IOCB_CMD_FDSYNC;
	/* The scenario's own resfd, else for sync blocks the probe's eventfd,
	 * which tells when they completed. */
	int resfd = st->resfd == RESFD_NONE ? (sync ? sync_efd : -1)
		    : st->resfd == RESFD_BAD ? io_fds[FD_BAD]
		    : st->resfd == RESFD_FILE ? io_fds[FD_RDWR]
					      : eventfd_of(i, "resfd", st->resfd);
	/* The models take class RT to pass ioprio_check_cap: so must the probe. */
	if (st->ioprio != IOPRIO_NONE && st->ioprio >> IOPRIO_CLASS_SHIFT == IOPRIO_CLASS_RT && !rt_capable())
		scenario_error(i, "ioprio", -1,
			       "class RT needs CAP_SYS_ADMIN or CAP_SYS_NICE, "
			       "which the models assume: run the probe as root");
	/* A scenario's eventfd that sync blocks signal: its count now, to wait for theirs. */
	uint64_t before = sync && st->resfd >= 0 ? eventfd_count(resfd) : 0;
	fill_iocbs(st, count, resfd);
	struct fault_watch w;
	long r = submit_iocbs(i, st, ctx, &w);
	if (sync && r > 0 && st->resfd >= 0)
		await_eventfd_count(resfd, before + (uint64_t)r);
	else if (sync && r > 0)
		await_sync_blocks(r);
	allocate_read_pages(&w);
	ret_errno(r);
}

/* io_destroy returns before the kernel frees the context: the ring file is
 * emptied one RCU grace period later, and only then do pages of it still
 * mapped somewhere (a part of a moved ring) fault. The scenario's state is
 * the one after the free, so wait for it (FINDINGS 28). */
static void wait_ring_freed(unsigned long inode)
{
	for (int tries = 0; tries < 400; tries++) {
		struct vma v;
		char byte;
		if (find_ring_vma(inode, &v) != 0 || safe_read(v.start, &byte, 1) != 0)
			return;
		usleep(500);
	}
}

static void do_io_destroy(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	struct vma v;
	unsigned long inode = find_vma(ctx, &v) == 0 && v.is_aio ? v.inode : 0;
	struct fault_watch w;
	watch(i, &w, ctx);
	long r = sys_io_destroy(ctx);
	allocate_read_pages(&w);
	ret_errno(r);
	/* Its waiting poll blocks are cancelled and complete from a workqueue
	 * after the call, into a ring no longer mapped: nothing to see (the
	 * ring file's pages freed later, which wait_ring_freed waits for, come
	 * after them; FINDINGS 53). */
	if (r == 0 && inode)
		wait_ring_freed(inode);
}

/*
 * fill and peek touch scenario memory as a program does, and an access may
 * fault: PROT_NONE, a write to read-only memory (SIGSEGV), a shared page
 * past its object's end (SIGBUS, FINDINGS 59). The step then stops at that
 * page, as the models' do: catching_faults runs the access with both
 * signals caught, and the first store or load of a page faults before any byte of
 * it changes.
 */
struct touch {
	uintptr_t page;
	int value; /* fill: the byte; peek: what the page holds, -1 mixed */
	int write_back; /* peek: rewrite the byte read (emulated read fault) */
};

static void fill_one(void *arg)
{
	struct touch *t = arg;
	memset((void *)t->page, t->value, (size_t)page_size);
}

static void peek_one(void *arg)
{
	struct touch *t = arg;
	const volatile unsigned char *b = (const volatile unsigned char *)t->page;
	int value = b[0];
	for (long k = 1; k < page_size && value >= 0; k++)
		if (b[k] != b[0])
			value = -1;
	if (t->write_back)
		*(volatile unsigned char *)t->page = b[0];
	t->value = value;
}

/*
 * fill: the byte into every byte of `pages` pages from the page holding
 * addr, up to the first that is not the scenario's anonymous memory
 * (scenario_anon) or whose write faults; a write fault on private memory
 * gives its VMA an anon_vma, as in the models. Returns the pages written.
 */
static long fill_pages(uintptr_t addr, long pages, int value)
{
	uintptr_t page = addr & ~(uintptr_t)(page_size - 1), end = 0;
	struct vma v;
	struct touch t = {0, value, 0};
	long n = 0;
	while (n < pages && (page < end || scenario_anon(page, &end, &v)) && (t.page = page, catching_faults(fill_one, &t)) == 0) {
		page += (uintptr_t)page_size;
		n++;
	}
	return n;
}

/*
 * peek: for each page from the one holding addr, up to the first that is
 * not the scenario's anonymous memory or whose read faults, the byte all its
 * bytes hold, -1 when they differ (the models never write such a page). Without the zero page
 * (emulated: fault_watch.h) a read fault allocates a page: a page that was
 * not resident before the read is written back, as a lookup_ioctx read's is.
 */
static void peek_pages(int i, uintptr_t addr, long pages)
{
	uintptr_t first = addr & ~(uintptr_t)(page_size - 1), page = first, end = 0;
	struct vma v;
	/* A read-only private page takes no write-back: refused before the
	 * result opens, up to the first page the peek cannot read. */
	for (long n = 0; emulating && n < pages && (page < end || scenario_anon(page, &end, &v)) && v.readable; n++) {
		unsigned char resident;
		if (takes_no_write_back(&v) && mincore((void *)page, (size_t)page_size, &resident) == 0 && !(resident & 1))
			scenario_error(i, "addr", -1, NO_WRITE_BACK_REFUSAL);
		page += (uintptr_t)page_size;
	}
	page = first;
	end = 0;
	outf(",\"bytes\":[");
	for (long n = 0; n < pages && (page < end || scenario_anon(page, &end, &v)); n++) {
		unsigned char resident = 1;
		/* Shared memory has no anon_vma to give, nor does a read of a file page: only private anonymous pages are written back. */
		if (emulating && !v.shared_anon && !v.is_file && mincore((void *)page, (size_t)page_size, &resident) != 0)
			die_probe("peek: mincore: %s", strerror(errno));
		struct touch t = {page, 0, !(resident & 1)};
		if (catching_faults(peek_one, &t) != 0)
			break;
		outf("%s%d", n ? "," : "", t.value);
		page += (uintptr_t)page_size;
	}
	outf("]");
}

/*
 * buf_peek: io_buf's bytes [at, at + len) as runs of equal bytes; past
 * MAX_PEEK_RUNS - 1 of them, one last run of the bytes left, value -1.
 */
static void peek_buf(long at, long len)
{
	const unsigned char *b = (const unsigned char *)io_buf + at;
	outf(",\"runs\":[");
	long from = 0;
	for (int k = 0; from < len; k++) {
		long to = from + 1;
		while (to < len && b[to] == b[from])
			to++;
		if (k == MAX_PEEK_RUNS - 1 && to < len) {
			outf(",[%ld,-1]", len - from);
			break;
		}
		outf("%s[%ld,%d]", k ? "," : "", to - from, b[from]);
		from = to;
	}
	outf("]");
}

/* io_cancel of control block 0 (IOCB_ADDR, zeroed or as the last io_submit
 * left it: aio_key 0 either way), of NULL, or of the unmapped "bogus". */
static void do_io_cancel(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	struct iocb *cb = st->to.kind == A_NONE ? &iocbs[0] : (struct iocb *)resolve(i, "iocb", &st->to);
	/* A block of io_submit step n1: a poll block where it was submitted, any other at its place in the array. */
	if (st->flag == CANCEL_SUBMITTED) {
		long first = poll_first[st->n1];
		cb = first ? &poll_iocbs[first - 1 + st->n2] : &iocbs[st->n2];
	}
	struct io_event result;
	struct fault_watch w;
	watch(i, &w, ctx);
	/* The tail before, where a ring's header is mapped at `ctx` (a cancel that finds a block found it there). */
	uint32_t tail = 0;
	int have_tail = st->flag == CANCEL_SUBMITTED && ring_tail_at(ctx, &tail);
	long r = sys_io_cancel(ctx, cb, &result);
	/* A cancelled poll block completes from a workqueue after the call (FINDINGS 53): wait for its event. */
	if (r < 0 && errno == EINPROGRESS && have_tail)
		await_ring_tail(ctx, tail);
	allocate_read_pages(&w);
	ret_errno(r);
}

static void run_in_child(int i, const struct step *st);
static void fork_calls(int i, const struct step *st);
static body_call_fn run_body_call;

static void do_call(int i, const struct step *st)
{
	switch (st->op) {
	case OP_IO_SETUP: {
		aio_context_t ctx = st->flag == CTXP_NONZERO ? 1 : 0;
		aio_context_t *ctxp = st->flag == CTXP_NULL ? NULL : st->flag == CTXP_BOGUS ? (aio_context_t *)BOGUS_ADDR : &ctx;
		long r = sys_io_setup((unsigned)st->n1, ctxp);
		ret_errno(r);
		if (r == 0)
			bind_name(st->name, (uintptr_t)ctx);
		break;
	}
	case OP_IO_DESTROY:
		do_io_destroy(i, st);
		break;
	case OP_IO_CANCEL:
		do_io_cancel(i, st);
		break;
	case OP_IO_SUBMIT:
		do_io_submit(i, st);
		break;
	case OP_IO_GETEVENTS:
	case OP_IO_PGETEVENTS:
		do_io_getevents(i, st);
		break;
	case OP_RAISE:
		ret_errno(kill(getpid(), SIGUSR1));
		break;
	case OP_USER_REAP:
		user_reap_fields(resolve(i, "ctx", &st->a), st->n1);
		break;
	case OP_FTRUNCATE:
		ret_errno(ftruncate(io_fds[FD_RDWR], (off_t)st->n1));
		break;
	case OP_SETRLIMIT_FSIZE: {
		/* The soft limit only: lowering the hard one could not be undone without privilege. */
		struct rlimit rl;
		if (getrlimit(RLIMIT_FSIZE, &rl) != 0)
			die_probe("getrlimit: %s", strerror(errno));
		rl.rlim_cur = st->n1 < 0 ? RLIM_INFINITY : (rlim_t)st->n1;
		ret_errno(setrlimit(RLIMIT_FSIZE, &rl));
		break;
	}
	case OP_RING:
		ring_fields(resolve(i, "ctx", &st->a));
		break;
	case OP_STORE_HEAD: {
		uint32_t head = (uint32_t)st->n1;
		uintptr_t at = resolve(i, "ctx", &st->a) + offsetof(struct ring_header, head);
		store_fields(at, &head, sizeof head);
		break;
	}
	case OP_STORE_EVENT: {
		struct io_event ev = {.data = (uint64_t)st->n2, .obj = 0, .res = st->n3, .res2 = st->offset};
		uintptr_t at = resolve(i, "ctx", &st->a) + sizeof(struct ring_header) +
			       (uintptr_t)st->n1 * sizeof(struct io_event);
		store_fields(at, &ev, sizeof ev);
		break;
	}
	case OP_RING_EVENTS:
		ring_events_fields(resolve(i, "ctx", &st->a), st->n1, st->n2);
		break;
	case OP_MMAP: {
		int fixed = st->a.kind != A_NONE;
		void *at = fixed ? (void *)resolve(i, "at", &st->a) : NULL;
		int flags = fixed ? st->flag : 0;
		/* align: the probe picks the address as the models do, and the kernel checks it is free. */
		if (st->n2 > 0 && st->n1 > 0) {
			at = (void *)aligned_area(st->n1, st->n2);
			flags = MAP_FIXED_NOREPLACE;
		}
		/* file_page -1: anonymous memory; else the test file from that page on. */
		int file = st->file_page >= 0;
		void *p = st->n2 > 0 && st->n1 > 0 && at == NULL
				  ? (errno = ENOMEM, MAP_FAILED)
				  : mmap(at, (size_t)(st->n1 * page_size), st->prot,
					 (int)st->n3 | (file ? 0 : MAP_ANONYMOUS) | flags, file ? io_fds[FD_RDWR] : -1,
					 file ? (off_t)st->file_page * page_size : 0);
		ret_errno(p == MAP_FAILED ? -1 : 0);
		if (p != MAP_FAILED)
			bind_name(st->name, (uintptr_t)p);
		break;
	}
	case OP_MUNMAP:
		ret_errno(munmap((void *)resolve(i, "addr", &st->a),
				 (size_t)(st->n1 * page_size)));
		break;
	case OP_MREMAP: {
		uintptr_t from = resolve(i, "addr", &st->a);
		int fixed = st->to.kind != A_NONE;
		uintptr_t to = fixed ? resolve(i, "to", &st->to) : 0;
		long r = sys_mremap(from, (size_t)(st->n1 * page_size),
				    (size_t)(st->n2 * page_size),
				    st->flag | (fixed ? MREMAP_FIXED : 0), to);
		ret_errno(r == -1 ? -1 : 0);
		if (r != -1)
			bind_name(st->name, (uintptr_t)r);
		break;
	}
	case OP_FORK_CALLS:
		run_forked(i, st, fork_calls);
		break;
	case OP_FORK_MREMAP: {
		/* The same fixed move, made by a forked child. */
		struct step move = *st;
		move.op = OP_MREMAP;
		move.n2 = move.n1;
		move.flag = MREMAP_MAYMOVE;
		run_in_child(i, &move);
		break;
	}
	case OP_EVENTFD: {
		/* Nonblocking: a read of 0 is EAGAIN, never a wait. */
		int efd = eventfd((unsigned)st->n1, EFD_NONBLOCK | EFD_CLOEXEC | st->flag);
		ret_errno(efd < 0 ? -1 : 0);
		if (efd >= 0)
			bind_name(st->name, (uintptr_t)efd);
		break;
	}
	case OP_EVENTFD_READ: {
		uint64_t v;
		ssize_t r = read(eventfd_of(i, "fd", (int)st->n1), &v, sizeof v);
		ret_errno(r);
		if (r == (ssize_t)sizeof v)
			outf(",\"value\":%llu", (unsigned long long)v);
		break;
	}
	case OP_REPEAT:
		run_repeat(i, st, run_body_call);
		break;
	case OP_PIPE: {
		/* Nonblocking: a read of an empty pipe is EAGAIN, never a wait. */
		int r = pipe2(pipe_fds[st->name], O_NONBLOCK | O_CLOEXEC);
		ret_errno(r);
		if (r == 0)
			bind_name(st->name, 0);
		break;
	}
	case OP_PIPE_WRITE:
	case OP_PIPE_READ: {
		if (!bound[st->n1])
			scenario_error(i, "pipe", (int)st->n1, "pipe is not made by any earlier pipe step");
		/* The bytes are never looked at, but io_buf's are (buf_peek): a scratch of their own. */
		static char pipe_bytes[PIPE_MAX_BYTES];
		ssize_t r = st->op == OP_PIPE_WRITE ? write(pipe_fds[st->n1][1], pipe_bytes, (size_t)st->n2)
						    : read(pipe_fds[st->n1][0], pipe_bytes, (size_t)st->n2);
		ret_errno(r);
		break;
	}
	case OP_PAGE: {
		struct vma v;
		uintptr_t a = resolve(i, "addr", &st->a);
		outf(",\"kind\":\"%s\"",
		     find_vma(a, &v) != 0 ? "none" : v.is_aio ? "aio" : maps_test_file(&v) ? "file" : "anon");
		break;
	}
	case OP_FILL:
		outf(",\"ret\":%ld", fill_pages(resolve(i, "addr", &st->a), st->n1, (int)st->n2));
		break;
	case OP_THREAD_GETEVENTS: {
		/* The context lookups (thread_start's and the thread's own) read the ring id at ctx: a read fault like io_getevents'. */
		struct fault_watch w;
		uintptr_t ctx = resolve(i, "ctx", &st->a);
		watch(i, &w, ctx);
		int r = thread_start(st->name, ctx, st->n1, st->n2, st->flag == TIMEOUT_NULL ? -1 : st->n3);
		if (r < 0)
			scenario_error(i, "ctx", -1, "a thread still waits in io_getevents on this context: one thread waits per context (two would race for an event)");
		allocate_read_pages(&w);
		outf(",\"blocked\":%d", r);
		break;
	}
	case OP_THREAD_JOIN: {
		int err, forever;
		long r = thread_join((int)st->n1, events, &err, &forever);
		if (forever)
			scenario_error(i, "name", -1, "the thread would wait forever: no timeout, and nothing woke it with min_nr events");
		errno = err;
		ret_errno(r);
		out_events(r, 0);
		break;
	}
	case OP_PEEK:
		peek_pages(i, resolve(i, "addr", &st->a), st->n1);
		break;
	case OP_BUF_FILL:
		memset(io_buf + st->n3, (int)st->n2, (size_t)st->n1);
		ret_errno(0);
		break;
	case OP_BUF_PEEK:
		ret_errno(0);
		peek_buf(st->n3, st->n1);
		break;
	}
}

/*
 * A fork or fork_mremap child makes the one call. Its names are resolved
 * here first, so that an unbound one is the parent's scenario error.
 */
static void run_in_child(int i, const struct step *st)
{
	const char *field = st->op == OP_MUNMAP || st->op == OP_MREMAP || st->op == OP_PAGE ? "addr" : "ctx";
	if (st->a.kind == A_NAME)
		resolve(i, field, &st->a);
	if (st->op == OP_MREMAP && st->to.kind == A_NAME)
		resolve(i, "to", &st->to);
	run_forked(i, st, do_call);
}

/* A fork_calls child runs its calls in order, one result each; the names
 * they bind are its copy's, and die with it. */
static void fork_calls(int i, const struct step *st)
{
	outf(",\"results\":[");
	for (long k = 0; k < st->n1; k++) {
		const struct step *c = &child_steps[st->n2 + k];
		fork_call = (int)k;
		result_head((int)k, c);
		do_call(i, c);
		outf("}");
	}
	outf("]");
}

static void run_step(int i, const struct step *st)
{
	if (st->op == OP_IO_SUBMIT && st->flag == FD_DIRECT && io_fds[FD_DIRECT] < 0)
		scenario_error(i, "fd", -1, direct_refusal());
	result_head(i, st);
	if (st->in_child) {
		outf(",\"call\":\"%s\"", op_names[st->op]);
		run_in_child(i, st);
	} else {
		do_call(i, st);
	}
	outf("}");
}

static void run_body_call(int i, int k, const struct step *st)
{
	body_index = k;
	result_head(k, st);
	do_call(i, st);
	outf("}");
	body_index = -1;
	threads_settle();
}

/* The largest io_submit array and events buffer a call needs. */
static void buffers_for(const struct step *st, long *max_iocbs, long *max_events)
{
	if (st->op == OP_IO_SUBMIT && st->n1 > *max_iocbs)
		*max_iocbs = st->n1;
	if ((st->op == OP_IO_GETEVENTS || st->op == OP_IO_PGETEVENTS || st->op == OP_THREAD_GETEVENTS) && st->n2 > *max_events)
		*max_events = st->n2;
	if (st->op == OP_USER_REAP && st->n1 > *max_events)
		*max_events = st->n1;
	if (st->op == OP_RING_EVENTS && st->n2 > *max_events)
		*max_events = st->n2;
}

/* Pages one call may ask the kernel to charge as new private memory. */
static long charged_pages(const struct step *st)
{
	return st->op == OP_MMAP || st->op == OP_FORK_MREMAP ? st->n1 : st->op == OP_MREMAP ? st->n2 : 0;
}

/*
 * Refuses a scenario whose answers would depend on this machine's memory
 * (FINDINGS 60): the heuristic overcommit (vm.overcommit_memory 0) refuses
 * one charge above RAM + swap, ENOMEM where the models succeed. Any machine
 * with more than MAX_MAPPING_PAGES runs every scenario; under 1 nothing is
 * refused; under 2 a charge meets every process's commitments, so no
 * scenario that maps anything runs.
 */
static void refuse_memory_bound(void)
{
	long largest = 0;
	for (int i = 0; i < nsteps; i++) {
		int repeat = steps[i].op == OP_REPEAT;
		for (int k = 0; k < (repeat ? (int)steps[i].n3 : 1); k++) {
			long c = charged_pages(repeat ? &body_steps[steps[i].body_at + k] : &steps[i]);
			largest = c > largest ? c : largest;
		}
	}
	for (int i = 0; i < nchild_steps; i++) {
		long c = charged_pages(&child_steps[i]);
		largest = c > largest ? c : largest;
	}
	long mode = read_long_file("/proc/sys/vm/overcommit_memory");
	if (mode == 1 || largest == 0)
		return;
	struct sysinfo si;
	if (sysinfo(&si) != 0)
		die_probe("sysinfo: %s", strerror(errno));
	long memory = (long)((si.totalram + si.totalswap) * si.mem_unit / (unsigned long)page_size);
	if (largest > (mode == 0 ? memory : 0))
		die_probe("a step maps %ld pages in one call, and this machine's overcommit (vm.overcommit_memory %ld, "
			  "RAM + swap %ld pages) may refuse that, which the models do not model: not run here",
			  largest, mode, memory);
}

void run_scenario_child(volatile int *progress_slot, int zero_page_reads_map)
{
	progress = progress_slot;
	zero_page = zero_page_reads_map;
	long max_iocbs = 0, max_events = 0;
	/* The steps, the repeats' body calls and the fork_calls children's calls. */
	for (int i = 0; i < nsteps; i++) {
		int n = steps[i].op == OP_REPEAT ? (int)steps[i].n3 : 1;
		for (int k = 0; k < n; k++)
			buffers_for(steps[i].op == OP_REPEAT ? &body_steps[steps[i].body_at + k] : &steps[i], &max_iocbs, &max_events);
	}
	for (int i = 0; i < nchild_steps; i++)
		buffers_for(&child_steps[i], &max_iocbs, &max_events);
	/* If the probe parent is killed (timeout), this child must not live on. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	alloc_buffers(max_iocbs, max_events);
	setup_signals();
	outf("%s", ""); /* grow the output buffer now, not mid-scenario */
	pin_one_cpu();
	if (io_fds[FD_RDWR] < 0)
		setup_io_file();
	if (tmpfs_bytes)
		use_tmpfs(tmpfs_bytes);
	refuse_memory_bound();
	/* Each scenario starts from the 16 KiB file of zeros: an earlier one
	 * (the memfd outlives it) may have grown it or written into it. */
	static const char zeros[FILE_BYTES];
	if (ftruncate(io_fds[FD_RDWR], 0) != 0 ||
	    pwrite(io_fds[FD_RDWR], zeros, sizeof zeros, 0) != (ssize_t)sizeof zeros)
		die_probe("resetting the test file: %s", strerror(errno));
	struct utsname u;
	uname(&u);
	long max_nr = read_long_file("/proc/sys/fs/aio-max-nr");
	long nr = aio_nr_start();
	place_like_the_models();
	struct vma v;
	if (find_vma(BOGUS_ADDR, &v) == 0)
		die_probe("the \"bogus\" address %#lx is mapped", BOGUS_ADDR);
	outf("{\"kernel\":");
	out_json_string(u.release);
	emulating = zero_page && no_zero_page_wanted;
	outf(",\"cpus\":%d,\"aio_max_nr\":%ld,\"aio_nr\":%ld,\"zero_page\":%s%s",
	     possible_cpus(), max_nr, nr, zero_page && !emulating ? "true" : "false",
	     emulating ? ",\"zero_page_emulated\":true" : "");
	if (tmpfs_bytes)
		outf(",\"tmpfs_bytes\":%ld", tmpfs_bytes);
	outf(",\"results\":[");
	results_open = 1;
	for (int i = 0; i < nsteps; i++) {
		*progress = i;
		step_mark = out_mark(); /* before the step's separator too */
		run_step(i, &steps[i]);
		threads_settle();
		/* A repeat's io_setup and io_destroy calls are its own too. */
		aio_nr_after_step(!steps[i].in_child && (steps[i].op == OP_REPEAT || (step_ret == 0 &&
				  (steps[i].op == OP_IO_SETUP || steps[i].op == OP_IO_DESTROY))));
	}
	outf("]");
	out_aio_nr_moved();
	outf("}\n");
	flush_out();
	exit_quietly();
}
