/* The I/O the probe submits: a 16 KiB test file, a spare fd number for
 * fd "bad", and the iocb and event buffers of scenarios and timing loops. */
#include "io.h"
#include "out.h"

int io_fd = -1, bad_fd = -1;
char io_buf[MAX_IO_BYTES] __attribute__((aligned(512)));
/* Sized before the scenario starts (largest count it asks for), so that no
 * allocation happens between its steps. */
struct iocb *iocbs;
struct iocb **iocb_ptrs;
struct io_event *events;

void setup_io_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/aio-ring-bench-probe-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	io_fd = mkstemp(path);
	if (io_fd < 0)
		die_probe("mkstemp %s: %s", path, strerror(errno));
	unlink(path);
	static char zeros[FILE_BYTES];
	if (write(io_fd, zeros, sizeof zeros) != (ssize_t)sizeof zeros)
		die_probe("writing the 16 KiB test file: %s", strerror(errno));
	for (bad_fd = 1023; bad_fd > 2; bad_fd--)
		if (fcntl(bad_fd, F_GETFD) < 0 && errno == EBADF)
			return;
	die_probe("no free file descriptor number for fd \"bad\"");
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
