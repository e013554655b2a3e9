/* Machine facts and memory access that never faults. */
#include "sys.h"
#include "out.h"
#include <setjmp.h>

/* ---------- machine facts ---------- */

long page_size;

long read_long_file(const char *path)
{
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die_probe("cannot open %s: %s", path, strerror(errno));
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		die_probe("cannot read %s", path);
	return strtol(buf, NULL, 10);
}

/* Number of possible CPUs from a list like "0-1" or "0,2-5". */
int possible_cpus(void)
{
	char buf[256] = {0};
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY);
	if (fd < 0)
		die_probe("cannot open /sys/devices/system/cpu/possible: %s",
			  strerror(errno));
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		die_probe("cannot read /sys/devices/system/cpu/possible");
	int count = 0;
	char *p = buf;
	while (*p && *p != '\n') {
		long a = strtol(p, &p, 10), b = a;
		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		count += (int)(b - a + 1);
		if (*p == ',')
			p++;
		else
			break;
	}
	return count;
}

/* Pin to the lowest CPU we may run on: per-CPU request caches then behave
 * the same on every run. */
void pin_one_cpu(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		die_probe("sched_getaffinity: %s", strerror(errno));
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &set)) {
			CPU_ZERO(&set);
			CPU_SET(c, &set);
			if (sched_setaffinity(0, sizeof set, &set) != 0)
				die_probe("sched_setaffinity: %s", strerror(errno));
			return;
		}
	}
	die_probe("no CPU in affinity mask");
}

/* ---------- memory inspection that never faults ---------- */

static sigjmp_buf fault_jmp;

static void fault_caught(int sig)
{
	siglongjmp(fault_jmp, sig);
}

int catching_faults(void (*f)(void *), void *arg)
{
	struct sigaction sa = {0}, old_segv, old_bus;
	sa.sa_handler = fault_caught;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	int sig = sigsetjmp(fault_jmp, 1);
	if (sig == 0)
		f(arg);
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

struct copy {
	void *to;
	const volatile unsigned char *from;
	size_t len;
};

static void copy_bytes(void *arg)
{
	struct copy *c = arg;
	for (size_t k = 0; k < c->len; k++)
		((unsigned char *)c->to)[k] = c->from[k];
}

/* A load as user space makes it, not process_vm_readv: get_user_pages
 * refuses to read a VMA without VM_READ, which x86-64 user space reads
 * when it is writable (PROT_WRITE alone, FINDINGS 62). */
int safe_read(uintptr_t addr, void *buf, size_t len)
{
	struct copy c = {buf, (const volatile unsigned char *)addr, len};
	return catching_faults(copy_bytes, &c) == 0 ? 0 : -1;
}

int safe_write(uintptr_t addr, const void *buf, size_t len)
{
	struct iovec local = {(void *)buf, len}, remote = {(void *)addr, len};
	return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) ==
			       (ssize_t)len
		       ? 0
		       : -1;
}

/* Reads fd to its end into buf (cap bytes, NUL-terminated); dies naming
 * `what` on an error or when it does not fit. Returns the length. */
size_t read_all(int fd, char *buf, size_t cap, const char *what)
{
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_probe("reading %s: %s", what, strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap - 1)
			die_probe("%s larger than %zu bytes", what, len);
	}
	buf[len] = 0;
	return len;
}

/* fork() with a pipe from the child (p[1], its end) to the parent (p[0]);
 * each side closes the end it does not use, the child before it returns. */
pid_t fork_piped(int p[2])
{
	if (pipe(p) != 0)
		die_probe("pipe: %s", strerror(errno));
	pid_t pid = fork();
	/* A fork charges each private VMA whole: one merged from mappings past
	 * RAM + swap is ENOMEM here and not in the models (FINDINGS 60). */
	if (pid < 0 && errno == ENOMEM)
		die_probe("fork: ENOMEM: this machine's overcommit refuses to copy a private VMA larger than its "
			  "RAM + swap, which the models do not model: not run here");
	if (pid < 0)
		die_probe("fork: %s", strerror(errno));
	close(pid == 0 ? p[0] : p[1]);
	return pid;
}
