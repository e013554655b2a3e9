/* Threads of the scenario's process (docs/semantics.md "Threads", FINDINGS
 * 56, 57). A thread_getevents step starts a thread blocked in io_getevents;
 * the main thread then goes on only once every thread still in the call
 * sleeps in the kernel or has returned, and after each of its own calls
 * waits for the same: a completion wakes its context's waiter, which reads
 * the ring before the next step. At most one thread waits per context (two
 * would race for an event). The probe runs pinned to one CPU, threads too. */
#include "threads.h"
#include "out.h"
#include <pthread.h>

/* Its own stack, in .bss: a thread stack mmapped by pthread_create would
 * take address space the scenario's mappings are placed in. */
#define THREAD_STACK (64 * 1024)
static char stacks[MAX_THREADS][THREAD_STACK] __attribute__((aligned(4096)));

struct thread {
	pthread_t t;
	int slot; /* its stack: stacks[slot] */
	uintptr_t ctx;
	long min_nr, nr, timeout_ns;
	unsigned ring_id;  /* its context's ioctx table slot (the ring header's id) */
	int waiting;       /* still in io_getevents, as last settled */
	pid_t tid;         /* written by the thread before its call */
	int done;          /* written by the thread after its call */
	long ret;
	int err;
	struct io_event ev[MAX_THREAD_NR];
};

static struct thread threads[MAX_NAMES];
static int slot_used[MAX_THREADS];
static int nwaiting; /* threads with waiting set */

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	__atomic_store_n(&t->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	struct timespec ts = {t->timeout_ns / 1000000000L, t->timeout_ns % 1000000000L};
	long r = sys_io_getevents(t->ctx, t->min_nr, t->nr, t->ev, t->timeout_ns < 0 ? NULL : &ts);
	t->err = errno;
	t->ret = r;
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Whether the thread is off the run queue, asleep: its wchan reads a
 * function (read_events), "0" while it runs or is runnable. */
static int asleep(const struct thread *t)
{
	pid_t tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE);
	if (!tid)
		return 0;
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/wchan", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* exiting: done is set first */
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n > 0 && !(n == 1 && buf[0] == '0');
}

/* One pass over the waiting threads: whether each has returned (no longer
 * waiting) or sleeps. */
static int all_quiet(void)
{
	int quiet = 1;
	for (int i = 0; i < MAX_NAMES; i++) {
		struct thread *t = &threads[i];
		if (!t->waiting)
			continue;
		if (__atomic_load_n(&t->done, __ATOMIC_ACQUIRE)) {
			t->waiting = 0;
			nwaiting--;
		} else if (!asleep(t))
			quiet = 0;
	}
	return quiet;
}

/* Until every waiting thread returned or sleeps, all seen so twice 200 us
 * apart: a completion from a workqueue wakes a waiter just after the tail
 * the step waited for moves. */
void threads_settle(void)
{
	uint64_t deadline = now_ns() + 5000000000ull;
	for (int quiet = 0; nwaiting;) {
		quiet = all_quiet() ? quiet + 1 : 0;
		if (quiet == 2 || !nwaiting)
			return;
		if (now_ns() >= deadline)
			die_probe("a thread neither slept nor returned in 5 s");
		usleep(quiet ? 200 : 50);
	}
}

/* The table slot of the context `ctx` names, as lookup_ioctx finds it: a
 * submit of no blocks answers 0 only for a live context whose id is ctx,
 * and the ring header's id at ctx (readable then) is its slot; -1 for none. */
static long ctx_slot(uintptr_t ctx)
{
	if (sys_io_submit(ctx, 0, NULL) != 0)
		return -1;
	return *(volatile unsigned *)ctx;
}

int thread_start(int name, uintptr_t ctx, long min_nr, long nr, long timeout_ns)
{
	long id = ctx_slot(ctx);
	for (int i = 0; id >= 0 && i < MAX_NAMES; i++)
		if (threads[i].waiting && threads[i].ring_id == (unsigned)id)
			return -1; /* a waiting thread's context is live: its slot is its own */
	int slot = 0;
	while (slot < MAX_THREADS && slot_used[slot])
		slot++;
	if (slot == MAX_THREADS)
		die_probe("more than %d threads", MAX_THREADS);
	struct thread *t = &threads[name];
	memset(t, 0, sizeof *t);
	t->slot = slot;
	t->ctx = ctx;
	t->ring_id = (unsigned)id;
	t->min_nr = min_nr;
	t->nr = nr;
	t->timeout_ns = timeout_ns;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstack(&a, stacks[slot], THREAD_STACK);
	/* Every signal blocked: the process's SIGUSR1 is the main thread's to take. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int e = pthread_create(&t->t, &a, thread_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&a);
	if (e)
		die_probe("pthread_create: %s", strerror(e));
	slot_used[slot] = 1;
	t->waiting = 1;
	nwaiting++;
	threads_settle();
	return t->waiting;
}

long thread_join(int name, struct io_event *out, int *err, int *forever)
{
	struct thread *t = &threads[name];
	*forever = t->waiting && t->timeout_ns < 0;
	if (*forever)
		return 0;
	/* A thread still waiting waits out its timeout here. */
	int e = pthread_join(t->t, NULL);
	if (e)
		die_probe("pthread_join: %s", strerror(e));
	if (t->waiting) {
		t->waiting = 0;
		nwaiting--;
	}
	slot_used[t->slot] = 0;
	if (t->ret > 0)
		memcpy(out, t->ev, (size_t)t->ret * sizeof *out);
	*err = t->err;
	return t->ret;
}
