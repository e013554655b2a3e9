/* Timing loops on the live kernel: samples of ns per call, event or op. */
#include "timing.h"
#include "io.h"
#include "out.h"
#include "ring_loop.h"
#include "samples.h"
#include "sys.h"

static aio_context_t setup_or_die(unsigned nr)
{
	aio_context_t ctx = 0;
	if (sys_io_setup(nr, &ctx) != 0)
		die_probe("io_setup(%u): %s", nr, errno_name(errno));
	return ctx;
}

/* io_getevents on an empty ring, min_nr events wanted, given timeout. */
static void loop_getevents(const struct params *p)
{
	aio_context_t ctx = setup_or_die(1);
	struct io_event ev[1];
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		for (long k = 0; k < p->iterations; k++) {
			struct timespec ts = {0, p->timeout_ns};
			if (sys_io_getevents(ctx, p->min_nr, 1, ev, &ts) != 0)
				die_probe("io_getevents on an empty ring returned "
					  "non-zero (%s)", errno_name(errno));
		}
		sample_ns[s] = (double)(now_ns() - t0) / (double)p->iterations;
	}
	sys_io_destroy(ctx);
	timing_header("getevents", "ns/call", p);
	outf(",\"timeout_ns\":%ld,\"min_nr\":%ld", p->timeout_ns, p->min_nr);
	timing_samples(p);
}

/* getppid(2), the usual null system call: the entry and exit every
 * io_getevents call pays, so a zero-timeout call can be read against it. */
static void loop_syscall(const struct params *p)
{
	long sum = 0;
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		for (long k = 0; k < p->iterations; k++)
			sum += syscall(SYS_getppid);
		sample_ns[s] = (double)(now_ns() - t0) / (double)p->iterations;
	}
	if (sum == 0)
		die_probe("getppid returned 0 on every call");
	timing_header("syscall", "ns/call", p);
	timing_samples(p);
}

/* Submit a batch of buffered preads (they complete during submit), then
 * reap them from the mapped ring as libaio does. */
static void loop_submit_reap(const struct params *p)
{
	setup_io_file();
	alloc_buffers(p->batch, 0);
	aio_context_t ctx = setup_or_die((unsigned)p->batch);
	volatile struct ring_header *ring = (struct ring_header *)ctx;
	struct io_event *ring_ev = (struct io_event *)(ctx + sizeof *ring);
	for (long k = 0; k < p->batch; k++) {
		memset(&iocbs[k], 0, sizeof iocbs[k]);
		iocbs[k].aio_lio_opcode = IOCB_CMD_PREAD;
		iocbs[k].aio_fildes = (uint32_t)io_fds[FD_RDWR];
		iocbs[k].aio_buf = (uint64_t)(uintptr_t)io_buf;
		iocbs[k].aio_nbytes = IO_BYTES;
		iocbs[k].aio_data = (uint64_t)k;
		iocb_ptrs[k] = &iocbs[k];
	}
	long rounds = p->iterations / p->batch;
	uint64_t sum = 0;
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		for (long r = 0; r < rounds; r++) {
			long got = sys_io_submit(ctx, p->batch, iocb_ptrs);
			if (got != p->batch)
				die_probe("io_submit of %ld returned %ld (%s)", p->batch,
					  got, got < 0 ? errno_name(errno) : "short");
			uint32_t head = ring->head, tail = ring->tail, nr = ring->nr;
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			while (head != tail) {
				sum += ring_ev[head].data;
				head = (head + 1) % nr;
			}
			__atomic_thread_fence(__ATOMIC_RELEASE);
			ring->head = head;
		}
		sample_ns[s] = (double)(now_ns() - t0) / (double)(rounds * p->batch);
	}
	sys_io_destroy(ctx);
	struct params q = *p;
	q.iterations = rounds * p->batch;
	timing_header("submit-reap", "ns/event", &q);
	outf(",\"batch\":%ld,\"checksum\":%llu", p->batch, (unsigned long long)sum);
	timing_samples(&q);
}

static void loop_churn(const struct params *p)
{
	aio_context_t ctx = setup_or_die(1);
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		for (long k = 0; k < p->iterations; k++) {
			if (sys_io_destroy(ctx) != 0)
				die_probe("io_destroy: %s", errno_name(errno));
			ctx = 0;
			if (sys_io_setup(1, &ctx) != 0)
				die_probe("io_setup: %s", errno_name(errno));
		}
		sample_ns[s] = (double)(now_ns() - t0) / (double)p->iterations;
	}
	sys_io_destroy(ctx);
	timing_header("churn", "ns/pair", p);
	timing_samples(p);
}

/* Moves the newest of `contexts` rings back and forth: the mremap hook
 * scans the ioctx table from slot 0, so the newest ring is the longest scan. */
static void loop_remap(const struct params *p)
{
	long max_nr = read_long_file("/proc/sys/fs/aio-max-nr");
	long held = read_long_file("/proc/sys/fs/aio-nr");
	long maps = read_long_file("/proc/sys/vm/max_map_count");
	if (p->contexts > max_nr - held)
		die_probe("contexts=%ld exceeds fs.aio-max-nr %ld minus aio-nr %ld "
			  "(each context holds 1)", p->contexts, max_nr, held);
	if (p->contexts > maps - 1000)
		die_probe("contexts=%ld needs as many mappings; vm.max_map_count "
			  "is %ld (keep 1000 for the process)", p->contexts, maps);
	aio_context_t *ctxs = calloc((size_t)p->contexts, sizeof *ctxs);
	if (!ctxs)
		die_probe("out of memory");
	for (long k = 0; k < p->contexts; k++)
		ctxs[k] = setup_or_die(1);
	uintptr_t home = (uintptr_t)ctxs[p->contexts - 1];
	/* The ring's nr fills its pages exactly (header + nr events); reading
	 * /proc/self/maps with tens of thousands of rings would cost more. */
	size_t len = sizeof(struct ring_header) +
		     ((struct ring_header *)home)->nr * sizeof(struct io_event);
	void *spare = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (spare == MAP_FAILED)
		die_probe("mmap: %s", strerror(errno));
	uintptr_t where[2] = {home, (uintptr_t)spare};
	int at = 0;
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		for (long k = 0; k < p->iterations; k++) {
			if (sys_mremap(where[at], len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				       where[!at]) == -1)
				die_probe("mremap of a ring: %s", errno_name(errno));
			at = !at;
		}
		sample_ns[s] = (double)(now_ns() - t0) / (double)p->iterations;
	}
	/* No io_destroy here: each waits for an RCU grace period (~30 ms),
	 * while process exit tears all contexts down in one batch. */
	free(ctxs);
	timing_header("remap", "ns/op", p);
	outf(",\"contexts\":%ld,\"ring_pages\":%lu", p->contexts,
	     (unsigned long)(len / (size_t)page_size));
	timing_samples(p);
}

static long param(int argc, char **argv, const char *key, long def, long lo,
		  long hi)
{
	size_t kl = strlen(key);
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], key, kl) == 0 && argv[i][kl] == '=') {
			char *end;
			errno = 0;
			long v = strtol(argv[i] + kl + 1, &end, 10);
			if (errno || *end || v < lo || v > hi)
				die_probe("%s must be an integer in [%ld, %ld]", key, lo, hi);
			return v;
		}
	}
	return def;
}

int cmd_time(int argc, char **argv)
{
	static const char *const known[] = {"iterations", "samples", "timeout_ns",
					    "min_nr", "batch", "contexts", "nr"};
	for (int i = 1; i < argc; i++) {
		size_t k, n = sizeof known / sizeof *known;
		for (k = 0; k < n; k++) {
			size_t kl = strlen(known[k]);
			if (strncmp(argv[i], known[k], kl) == 0 && argv[i][kl] == '=')
				break;
		}
		if (k == n)
			die_probe("unknown timing parameter \"%s\"", argv[i]);
	}
	const char *loop = argv[0];
	struct params p = {0};
	p.samples = param(argc, argv, "samples", 20, 1, 1000);
	/* The ring loops are the probe's own C, the anchors of the WASM core:
	 * they float over the CPUs as the node process they are compared with
	 * does. The kernel loops stay on one CPU (per-CPU request caches). */
	if (strncmp(loop, "ring", 4) != 0)
		pin_one_cpu();
	if (strcmp(loop, "getevents") == 0) {
		p.timeout_ns = param(argc, argv, "timeout_ns", 0, 0, 999999999);
		p.min_nr = param(argc, argv, "min_nr", 1, 0, 1);
		p.iterations = param(argc, argv, "iterations",
				     p.timeout_ns ? 100 : 10000, 1, 100000000);
		loop_getevents(&p);
	} else if (strcmp(loop, "syscall") == 0) {
		p.iterations = param(argc, argv, "iterations", 10000, 1, 100000000);
		loop_syscall(&p);
	} else if (strcmp(loop, "submit-reap") == 0) {
		p.batch = param(argc, argv, "batch", 64, 1, 4096);
		p.iterations = param(argc, argv, "iterations", 64 * 256, p.batch,
				     100000000);
		loop_submit_reap(&p);
	} else if (strcmp(loop, "churn") == 0) {
		p.iterations = param(argc, argv, "iterations", 5, 1, 1000000);
		loop_churn(&p);
	} else if (strcmp(loop, "remap") == 0) {
		p.contexts = param(argc, argv, "contexts", 1, 1, 1 << 20);
		p.iterations = param(argc, argv, "iterations", 1000, 1, 100000000);
		loop_remap(&p);
	} else if (strcmp(loop, "ring") == 0) {
		p.nr = param(argc, argv, "nr", 383, 2, 1 << 22);
		p.batch = param(argc, argv, "batch", 64, 1, p.nr - 1);
		p.iterations = param(argc, argv, "iterations", 1 << 20, p.batch,
				     1000000000);
		loop_ring(&p);
	} else if (strcmp(loop, "ring-getevents") == 0) {
		p.nr = param(argc, argv, "nr", 383, 2, 1 << 22);
		p.iterations = param(argc, argv, "iterations", 1 << 20, 1,
				     1000000000);
		loop_ring_getevents(&p);
	} else {
		die_probe("unknown timing loop \"%s\" (getevents, syscall, submit-reap, "
			  "churn, remap, ring, ring-getevents)", loop);
	}
	flush_out();
	return 0;
}
