/* The I/O the probe submits: a 16 KiB test file (open read-write, and
 * again read-only, write-only, with O_APPEND and with O_DIRECT), a spare
 * fd number for fd "bad", the eventfd sync blocks signal, and the iocb and
 * event buffers of scenarios and timing loops. */
#include "io.h"
#include "out.h"
#include <poll.h>
#include <sys/eventfd.h>

/* How long the kernel may take to complete the sync blocks of one io_submit. */
#define SYNC_WAIT_NS 5000000000ull

int io_fds[FD_KINDS] = {-1, -1, -1, -1, -1, -1};
int direct_errno;
int sync_efd = -1;
char io_buf[MAX_IO_BYTES] __attribute__((aligned(512)));
/* Sized before the scenario starts (largest count it asks for), so that no
 * allocation happens between its steps. */
struct iocb *iocbs;
struct iocb **iocb_ptrs;
struct io_event *events;

void setup_io_file(void)
{
	/* In memory (shmem), whatever TMPDIR is: its fsync never sleeps, so
	 * the kernel's workqueue completes the sync blocks of one io_submit
	 * in order; on ext4 they came out of order (FINDINGS 43). */
	int fd = (int)syscall(SYS_memfd_create, "aio-ring-bench-probe", 0);
	if (fd < 0)
		die_probe("memfd_create: %s", strerror(errno));
	io_fds[FD_RDWR] = fd;
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	open_modes(AT_FDCWD, path, io_fds);
	if ((sync_efd = eventfd(0, 0)) < 0)
		die_probe("eventfd: %s", strerror(errno));
	static char zeros[FILE_BYTES];
	if (write(fd, zeros, sizeof zeros) != (ssize_t)sizeof zeros)
		die_probe("writing the 16 KiB test file: %s", strerror(errno));
	for (fd = 1023; fd > 2; fd--)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			io_fds[FD_BAD] = fd;
			return;
		}
	die_probe("no free file descriptor number for fd \"bad\"");
}

void open_modes(int dir, const char *path, int *fds)
{
	/* Other open files of the same file: they share its size. */
	static const int modes[FD_KINDS] = {
		[FD_RDONLY] = O_RDONLY, [FD_WRONLY] = O_WRONLY,
		[FD_APPEND] = O_RDWR | O_APPEND, [FD_DIRECT] = O_RDWR | O_DIRECT};
	direct_errno = 0;
	for (int k = FD_RDONLY; k < FD_KINDS; k++)
		if ((fds[k] = openat(dir, path, modes[k])) < 0) {
			/* shmem takes O_DIRECT from 6.6 on: before, the open is EINVAL (FINDINGS 49). */
			if (k != FD_DIRECT)
				die_probe("opening %s again: %s", path, strerror(errno));
			direct_errno = errno;
		}
}

const char *direct_refusal(void)
{
	static char msg[160];
	snprintf(msg, sizeof msg, "the test file cannot be opened with O_DIRECT here (open: %s)", errno_name(direct_errno));
	return msg;
}

void await_sync_blocks(long n)
{
	int saved = errno; /* the syscall's, for its result */
	uint64_t deadline = now_ns() + SYNC_WAIT_NS;
	for (long done = 0; done < n;) {
		uint64_t now = now_ns();
		if (now >= deadline)
			die_probe("%ld of %ld sync blocks completed in %llu s", done,
				  n, SYNC_WAIT_NS / 1000000000ull);
		struct pollfd p = {.fd = sync_efd, .events = POLLIN};
		int r = poll(&p, 1, (int)((deadline - now) / 1000000 + 1));
		if (r < 0 && errno != EINTR)
			die_probe("waiting for sync blocks: %s", strerror(errno));
		uint64_t v;
		if (r > 0 && read(sync_efd, &v, sizeof v) == (ssize_t)sizeof v)
			done += (long)v;
	}
	errno = saved;
}

uint64_t eventfd_count(int efd)
{
	/* fdinfo shows the counter without reading (and so resetting) it. */
	char path[64], text[256];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", efd);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		die_probe("reading %s: %s", path, strerror(errno));
	text[n] = 0;
	const char *at = strstr(text, "eventfd-count:");
	unsigned long long v;
	if (!at || sscanf(at, "eventfd-count: %llx", &v) != 1)
		die_probe("%s shows no eventfd-count", path);
	return v;
}

void await_eventfd_count(int efd, uint64_t target)
{
	int saved = errno; /* the syscall's, for its result */
	uint64_t deadline = now_ns() + SYNC_WAIT_NS;
	while (eventfd_count(efd) < target) {
		if (now_ns() >= deadline)
			die_probe("the sync blocks did not complete in %llu s",
				  SYNC_WAIT_NS / 1000000000ull);
		usleep(100);
	}
	errno = saved;
}

_Static_assert(sizeof(struct iocb) == IOCB_SIZE, "struct iocb is IOCB_SIZE bytes");

void alloc_buffers(long max_iocbs, long max_events)
{
	void *at = mmap((void *)IOCB_ADDR, ((size_t)max_iocbs + 1) * sizeof *iocbs,
			PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (at != (void *)IOCB_ADDR)
		die_probe("cannot map the control blocks at %#lx: %s", IOCB_ADDR,
			  at == MAP_FAILED ? strerror(errno) : "placed elsewhere");
	iocbs = at;
	iocb_ptrs = calloc((size_t)max_iocbs + 1, sizeof *iocb_ptrs);
	events = calloc((size_t)max_events + 1, sizeof *events);
	if (!iocb_ptrs || !events)
		die_probe("out of memory for %ld iocbs / %ld events", max_iocbs,
			  max_events);
}

void out_events(long n, int res2)
{
	outf(",\"data\":[");
	for (long k = 0; k < n; k++)
		outf("%s%llu", k ? "," : "", (unsigned long long)events[k].data);
	outf("],\"res\":[");
	for (long k = 0; k < n; k++)
		outf("%s%lld", k ? "," : "", (long long)events[k].res);
	if (res2) {
		outf("],\"res2\":[");
		for (long k = 0; k < n; k++)
			outf("%s%lld", k ? "," : "", (long long)events[k].res2);
	}
	outf("]");
}
