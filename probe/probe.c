/*
 * aio-ring-bench kernel probe: runs scenarios (shared/spec/scenarios.md) and
 * timing loops on the running Linux kernel through raw syscalls.
 *
 *   probe check                  is AIO usable here?           -> JSON line
 *   probe scenario < wire        run one scenario (wire below)  -> JSON line
 *   probe time LOOP key=value..  one timing loop                -> JSON line
 *
 * Scenario wire format (written by src/kernel/wire.ts), one step per line,
 * names already resolved to small integers by the TS side:
 *
 *   io_setup NR NAME CTXP        NAME: index or "-", CTXP: 0 or 1 (nonzero)
 *   io_destroy ADDR
 *   io_submit ADDR COUNT CMD DATA FD      CMD: pread|pwrite|bad, FD: ok|bad
 *   io_getevents ADDR MIN_NR NR TIMEOUT   TIMEOUT: ns or "null"
 *   user_reap ADDR MAX
 *   ring ADDR
 *   mmap PAGES NAME
 *   munmap ADDR PAGES
 *   mremap ADDR OLD NEW TO NAME          TO, NAME: as usual or "-"
 *   fork_mremap ADDR PAGES TO
 *   page ADDR
 *
 * ADDR is "0", "bogus", or "N<index>+<pages>+<bytes>".
 *
 * Output of a scenario: {"kernel","cpus","aio_max_nr","aio_nr","results"}
 * (the TS side adds name/backend/profile), or {"scenario_error":{...}}, or
 * {"probe_error":...}. Output never contains raw addresses.
 */
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
/* Far below the mmap area and above any heap: nothing maps here unless a
 * scenario moves something here itself. Checked unmapped at start. */
#define BOGUS_ADDR 0x100000000000ul

struct ring_header {
	uint32_t id, nr, head, tail, magic, compat_features, incompat_features,
		header_length;
};

/* ---------- output buffer (written out in one go at the end) ---------- */

static char *out;
static size_t out_len, out_cap;

static void outf(const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(out + out_len, out_cap - out_len, fmt, ap);
		va_end(ap);
		if (n < 0)
			_exit(3);
		if ((size_t)n < out_cap - out_len) {
			out_len += (size_t)n;
			return;
		}
		size_t cap = out_cap * 2 + (size_t)n + 1;
		char *p = realloc(out, cap);
		if (!p) {
			const char *msg = "{\"probe_error\":\"out of memory for output\"}\n";
			if (write(1, msg, strlen(msg)) < 0)
				_exit(3);
			_exit(3);
		}
		out = p;
		out_cap = cap;
	}
}

static void out_json_string(const char *s)
{
	outf("\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			outf("\\%c", c);
		else if (c < 0x20)
			outf("\\u%04x", c);
		else
			outf("%c", c);
	}
	outf("\"");
}

static void flush_out(void)
{
	size_t off = 0;
	while (off < out_len) {
		ssize_t n = write(1, out + off, out_len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(3);
		}
		off += (size_t)n;
	}
	out_len = 0;
}

static void die_probe(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	out_len = 0;
	outf("{\"probe_error\":");
	out_json_string(msg);
	outf("}\n");
	flush_out();
	exit(1);
}

/* ---------- errno names ---------- */

static const char *errno_name(int e)
{
	static char buf[32];
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ETIME: return "ETIME";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECANCELED: return "ECANCELED";
	case EOVERFLOW: return "EOVERFLOW";
	default:
		snprintf(buf, sizeof buf, "ERRNO_%d", e);
		return buf;
	}
}

static const char *signal_name(int sig)
{
	static char buf[32];
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, sizeof buf, "SIG%s", abbrev);
	else
		snprintf(buf, sizeof buf, "SIG%d", sig);
	return buf;
}

/* ---------- raw syscalls ---------- */

static long sys_io_setup(unsigned nr, aio_context_t *ctxp)
{
	return syscall(SYS_io_setup, nr, ctxp);
}
static long sys_io_destroy(aio_context_t ctx)
{
	return syscall(SYS_io_destroy, ctx);
}
static long sys_io_submit(aio_context_t ctx, long nr, struct iocb **iocbs)
{
	return syscall(SYS_io_submit, ctx, nr, iocbs);
}
static long sys_io_getevents(aio_context_t ctx, long min_nr, long nr,
			     struct io_event *ev, struct timespec *ts)
{
	return syscall(SYS_io_getevents, ctx, min_nr, nr, ev, ts);
}
static long sys_mremap(uintptr_t old, size_t old_len, size_t new_len,
		       int flags, uintptr_t to)
{
	return syscall(SYS_mremap, old, old_len, new_len, flags, to);
}

/* ---------- machine facts ---------- */

static long page_size;

static long read_long_file(const char *path)
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
static int possible_cpus(void)
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
static void pin_one_cpu(void)
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

static int safe_read(uintptr_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len}, remote = {(void *)addr, len};
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
			       (ssize_t)len
		       ? 0
		       : -1;
}

static int safe_write(uintptr_t addr, const void *buf, size_t len)
{
	struct iovec local = {(void *)buf, len}, remote = {(void *)addr, len};
	return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) ==
			       (ssize_t)len
		       ? 0
		       : -1;
}

struct vma {
	uintptr_t start, end;
	int is_aio;
};

static char maps_buf[1 << 22];

/* Finds the VMA holding addr in /proc/self/maps; 0 if found. */
static int find_vma(uintptr_t addr, struct vma *v)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		die_probe("cannot open /proc/self/maps: %s", strerror(errno));
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, maps_buf + len, sizeof maps_buf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_probe("cannot read /proc/self/maps: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof maps_buf - 1)
			die_probe("/proc/self/maps larger than %zu bytes", len);
	}
	close(fd);
	maps_buf[len] = 0;
	for (char *line = maps_buf; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		unsigned long s, e;
		int path_off = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &s, &e,
			   &path_off) >= 2 &&
		    addr >= s && addr < e) {
			v->start = s;
			v->end = e;
			/* Rings are files of the internal aio filesystem: shown as
			 * "/[aio] (deleted)" on 6.18. */
			v->is_aio = path_off > 0 &&
				    strncmp(line + path_off, "/[aio]", 6) == 0;
			return 0;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}

/* ---------- scenario steps ---------- */

enum op {
	OP_IO_SETUP, OP_IO_DESTROY, OP_IO_SUBMIT, OP_IO_GETEVENTS, OP_USER_REAP,
	OP_RING, OP_MMAP, OP_MUNMAP, OP_MREMAP, OP_FORK_MREMAP, OP_PAGE,
};

static const char *const op_names[] = {
	"io_setup", "io_destroy", "io_submit", "io_getevents", "user_reap",
	"ring", "mmap", "munmap", "mremap", "fork_mremap", "page",
};

enum addr_kind { A_NONE, A_ZERO, A_BOGUS, A_NAME };

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
	int flag;          /* ctxp nonzero / fd bad / timeout null */
	int cmd;           /* io_submit opcode */
};

static struct step steps[MAX_STEPS];
static int nsteps;

static long parse_long(const char *tok, int line)
{
	char *end;
	errno = 0;
	long v = strtol(tok, &end, 10);
	if (errno || *end)
		die_probe("wire line %d: bad number \"%s\"", line, tok);
	return v;
}

static int parse_name(const char *tok, int line)
{
	if (strcmp(tok, "-") == 0)
		return -1;
	long v = parse_long(tok, line);
	if (v < 0 || v >= MAX_NAMES)
		die_probe("wire line %d: name index out of range", line);
	return (int)v;
}

static struct addr parse_addr(const char *tok, int line)
{
	struct addr a = {A_NONE, -1, 0, 0};
	if (strcmp(tok, "-") == 0)
		return a;
	if (strcmp(tok, "0") == 0) {
		a.kind = A_ZERO;
		return a;
	}
	if (strcmp(tok, "bogus") == 0) {
		a.kind = A_BOGUS;
		return a;
	}
	int n = 0;
	if (sscanf(tok, "N%d+%ld+%ld%n", &a.name, &a.pages, &a.bytes, &n) != 3 ||
	    tok[n] || a.name < 0 || a.name >= MAX_NAMES)
		die_probe("wire line %d: bad address \"%s\"", line, tok);
	a.kind = A_NAME;
	return a;
}

static int op_from_name(const char *s)
{
	for (size_t i = 0; i < sizeof op_names / sizeof *op_names; i++)
		if (strcmp(s, op_names[i]) == 0)
			return (int)i;
	return -1;
}

static void parse_step(char *text, int line, struct step *st)
{
	char *tok[8];
	int nt = 0;
	for (char *save, *t = strtok_r(text, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		if (nt == 8)
			die_probe("wire line %d: too many fields", line);
		tok[nt++] = t;
	}
	static const int want[] = {4, 2, 6, 5, 3, 2, 3, 3, 6, 4, 2};
	int op = nt ? op_from_name(tok[0]) : -1;
	if (op < 0)
		die_probe("wire line %d: unknown op", line);
	if (nt != want[op])
		die_probe("wire line %d: %s takes %d fields", line, tok[0],
			  want[op] - 1);
	memset(st, 0, sizeof *st);
	st->op = (enum op)op;
	st->name = -1;
	switch (st->op) {
	case OP_IO_SETUP:
		st->n1 = parse_long(tok[1], line);
		st->name = parse_name(tok[2], line);
		st->flag = (int)parse_long(tok[3], line);
		break;
	case OP_IO_DESTROY:
	case OP_RING:
	case OP_PAGE:
		st->a = parse_addr(tok[1], line);
		break;
	case OP_IO_SUBMIT:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		if (strcmp(tok[3], "pread") == 0)
			st->cmd = IOCB_CMD_PREAD;
		else if (strcmp(tok[3], "pwrite") == 0)
			st->cmd = IOCB_CMD_PWRITE;
		else if (strcmp(tok[3], "bad") == 0)
			st->cmd = 99; /* no such IOCB_CMD_* */
		else
			die_probe("wire line %d: bad cmd", line);
		st->n2 = parse_long(tok[4], line);
		st->flag = strcmp(tok[5], "bad") == 0;
		break;
	case OP_IO_GETEVENTS:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		st->n2 = parse_long(tok[3], line);
		st->flag = strcmp(tok[4], "null") == 0;
		if (!st->flag)
			st->n3 = parse_long(tok[4], line);
		break;
	case OP_USER_REAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		break;
	case OP_MMAP:
		st->n1 = parse_long(tok[1], line);
		st->name = parse_name(tok[2], line);
		break;
	case OP_MUNMAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		break;
	case OP_MREMAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		st->n2 = parse_long(tok[3], line);
		st->to = parse_addr(tok[4], line);
		st->name = parse_name(tok[5], line);
		break;
	case OP_FORK_MREMAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		st->to = parse_addr(tok[3], line);
		break;
	}
	if ((st->op == OP_IO_SUBMIT || st->op == OP_IO_GETEVENTS) &&
	    (st->op == OP_IO_SUBMIT ? st->n1 : st->n2) > MAX_BATCH)
		die_probe("wire line %d: count above %d", line, MAX_BATCH);
	if (st->op == OP_USER_REAP && st->n1 > MAX_BATCH)
		die_probe("wire line %d: max above %d", line, MAX_BATCH);
}

static char in_buf[1 << 20];

static void read_wire(void)
{
	size_t len = 0;
	for (;;) {
		ssize_t n = read(0, in_buf + len, sizeof in_buf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_probe("reading stdin: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof in_buf - 1)
			die_probe("scenario wire larger than %zu bytes", len);
	}
	in_buf[len] = 0;
	int line = 0;
	for (char *p = in_buf; *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		line++;
		if (*p) {
			if (nsteps == MAX_STEPS)
				die_probe("more than %d steps", MAX_STEPS);
			parse_step(p, line, &steps[nsteps++]);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* ---------- scenario execution (in the forked child) ---------- */

static uintptr_t names[MAX_NAMES];
static int bound[MAX_NAMES];
static int io_fd = -1, bad_fd = -1;
static char io_buf[IO_BYTES] __attribute__((aligned(512)));
/* Sized before the scenario starts (largest count it asks for), so that no
 * allocation happens between its steps. */
static struct iocb *iocbs;
static struct iocb **iocb_ptrs;
static struct io_event *events;
static volatile int *progress; /* shared with the parent: step running now */

static void scenario_error(int step, const char *field, int name_index,
			   const char *msg)
{
	out_len = 0;
	outf("{\"scenario_error\":{\"step\":%d,\"field\":", step);
	out_json_string(field);
	if (name_index >= 0)
		outf(",\"name_index\":%d", name_index);
	outf(",\"message\":");
	out_json_string(msg);
	outf("}}\n");
	flush_out();
	exit(0);
}

static uintptr_t resolve(int step, const char *field, const struct addr *a)
{
	switch (a->kind) {
	case A_ZERO:
		return 0;
	case A_BOGUS:
		return BOGUS_ADDR;
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
	outf("%s{\"step\":%d,\"op\":\"%s\"", i ? "," : "", i, op_names[st->op]);
}

static void ret_errno(long r)
{
	if (r < 0)
		outf(",\"ret\":-1,\"errno\":\"%s\"", errno_name(errno));
	else
		outf(",\"ret\":%ld,\"errno\":null", r);
}

static void setup_io_file(void)
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

static void do_io_getevents(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	long min_nr = st->n1, nr = st->n2, r;
	/* A negative timeout never expires on the live kernel: the relative
	 * hrtimer expiry saturates to KTIME_MAX (see FINDINGS.md). */
	int no_expiry = st->flag || st->n3 < 0;
	if (no_expiry) {
		/* Every event exists once io_submit returns (buffered I/O completes
		 * during submit), so a zero-timeout call returns exactly what the
		 * waiting call would, unless the waiting call would never return.
		 * This asks the kernel itself, wherever the ring header lies. */
		struct timespec zero = {0, 0};
		r = sys_io_getevents(ctx, min_nr, nr, events, &zero);
		if (r >= 0 && r < min_nr) {
			char msg[200];
			snprintf(msg, sizeof msg,
				 "io_getevents with %s would block forever: "
				 "%ld event(s) ready, min_nr %ld",
				 st->flag ? "no timeout"
					  : "a negative timeout (it never expires)",
				 r, min_nr);
			scenario_error(i, "min_nr", -1, msg);
		}
	} else {
		struct timespec ts = {st->n3 / 1000000000L, st->n3 % 1000000000L};
		r = sys_io_getevents(ctx, min_nr, nr, events, &ts);
	}
	ret_errno(r);
	outf(",\"data\":[");
	for (long k = 0; k < r; k++)
		outf("%s%llu", k ? "," : "", (unsigned long long)events[k].data);
	outf("]");
}

static void do_io_submit(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	long count = st->n1;
	for (long k = 0; k < count; k++) {
		struct iocb *cb = &iocbs[k];
		memset(cb, 0, sizeof *cb);
		cb->aio_data = (uint64_t)(st->n2 + k);
		cb->aio_lio_opcode = (uint16_t)st->cmd;
		cb->aio_fildes = (uint32_t)(st->flag ? bad_fd : io_fd);
		cb->aio_buf = (uint64_t)(uintptr_t)io_buf;
		cb->aio_nbytes = IO_BYTES;
		cb->aio_offset = 0;
		iocb_ptrs[k] = cb;
	}
	ret_errno(sys_io_submit(ctx, count, iocb_ptrs));
}

/* libaio-style reaping straight from the mapped ring. */
static void do_user_reap(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	struct ring_header h;
	if (safe_read(ctx, &h, sizeof h) != 0) {
		outf(",\"ret\":-1,\"errno\":\"EFAULT\",\"data\":[]");
		return;
	}
	if (h.magic != RING_MAGIC || h.incompat_features != 0 || h.nr == 0 ||
	    h.head >= h.nr || h.tail >= h.nr) {
		outf(",\"ret\":-1,\"errno\":\"EINVAL\",\"data\":[]");
		return;
	}
	uint32_t head = h.head;
	long n = 0;
	while (n < st->n1 && head != h.tail) {
		uintptr_t at = ctx + sizeof h + (uintptr_t)head * sizeof(struct io_event);
		if (safe_read(at, &events[n], sizeof events[n]) != 0) {
			outf(",\"ret\":-1,\"errno\":\"EFAULT\",\"data\":[]");
			return;
		}
		n++;
		head = (head + 1) % h.nr;
	}
	if (safe_write(ctx + offsetof(struct ring_header, head), &head,
		       sizeof head) != 0) {
		outf(",\"ret\":-1,\"errno\":\"EFAULT\",\"data\":[]");
		return;
	}
	outf(",\"ret\":%ld,\"errno\":null,\"data\":[", n);
	for (long k = 0; k < n; k++)
		outf("%s%llu", k ? "," : "", (unsigned long long)events[k].data);
	outf("]");
}

static void do_ring(int i, const struct step *st)
{
	uintptr_t ctx = resolve(i, "ctx", &st->a);
	struct ring_header h;
	struct vma v;
	if (safe_read(ctx, &h, sizeof h) != 0 || find_vma(ctx, &v) != 0) {
		outf(",\"errno\":\"EFAULT\"");
		return;
	}
	outf(",\"errno\":null,\"id\":%u,\"nr\":%u,\"head\":%u,\"tail\":%u,"
	     "\"magic\":%u,\"compat_features\":%u,\"incompat_features\":%u,"
	     "\"header_length\":%u,\"pages\":%lu",
	     h.id, h.nr, h.head, h.tail, h.magic, h.compat_features,
	     h.incompat_features, h.header_length,
	     (unsigned long)((v.end - v.start) / (uintptr_t)page_size));
}

static void do_fork_mremap(int i, const struct step *st)
{
	uintptr_t from = resolve(i, "addr", &st->a);
	uintptr_t to = resolve(i, "to", &st->to);
	size_t len = (size_t)(st->n1 * page_size);
	int p[2];
	if (pipe(p) != 0)
		die_probe("pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		die_probe("fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		long r = sys_mremap(from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
		int res[2] = {r == -1 ? -1 : 0, r == -1 ? errno : 0};
		_exit(write(p[1], res, sizeof res) == (ssize_t)sizeof res ? 0 : 1);
	}
	close(p[1]);
	int res[2];
	ssize_t got = read(p[0], res, sizeof res);
	close(p[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_probe("waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status)) {
		outf(",\"ret\":-1,\"errno\":\"SIGNAL:%s\"",
		     signal_name(WTERMSIG(status)));
		return;
	}
	if (got != (ssize_t)sizeof res)
		die_probe("fork_mremap child reported nothing (exit %d)",
			  WEXITSTATUS(status));
	if (res[0] < 0)
		outf(",\"ret\":-1,\"errno\":\"%s\"", errno_name(res[1]));
	else
		outf(",\"ret\":0,\"errno\":null");
}

static void run_step(int i, const struct step *st)
{
	result_head(i, st);
	switch (st->op) {
	case OP_IO_SETUP: {
		aio_context_t ctx = st->flag ? 1 : 0;
		long r = sys_io_setup((unsigned)st->n1, &ctx);
		ret_errno(r);
		if (r == 0)
			bind_name(st->name, (uintptr_t)ctx);
		break;
	}
	case OP_IO_DESTROY:
		ret_errno(sys_io_destroy(resolve(i, "ctx", &st->a)));
		break;
	case OP_IO_SUBMIT:
		do_io_submit(i, st);
		break;
	case OP_IO_GETEVENTS:
		do_io_getevents(i, st);
		break;
	case OP_USER_REAP:
		do_user_reap(i, st);
		break;
	case OP_RING:
		do_ring(i, st);
		break;
	case OP_MMAP: {
		void *p = mmap(NULL, (size_t)(st->n1 * page_size),
			       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
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
				    MREMAP_MAYMOVE | (fixed ? MREMAP_FIXED : 0), to);
		ret_errno(r == -1 ? -1 : 0);
		if (r != -1)
			bind_name(st->name, (uintptr_t)r);
		break;
	}
	case OP_FORK_MREMAP:
		do_fork_mremap(i, st);
		break;
	case OP_PAGE: {
		struct vma v;
		uintptr_t a = resolve(i, "addr", &st->a);
		outf(",\"kind\":\"%s\"",
		     find_vma(a, &v) != 0 ? "none" : v.is_aio ? "aio" : "anon");
		break;
	}
	}
	outf("}");
}

static void alloc_buffers(long max_iocbs, long max_events)
{
	iocbs = calloc((size_t)max_iocbs + 1, sizeof *iocbs);
	iocb_ptrs = calloc((size_t)max_iocbs + 1, sizeof *iocb_ptrs);
	events = calloc((size_t)max_events + 1, sizeof *events);
	if (!iocbs || !iocb_ptrs || !events)
		die_probe("out of memory for %ld iocbs / %ld events", max_iocbs,
			  max_events);
}

static void run_scenario_child(void)
{
	long max_iocbs = 0, max_events = 0;
	for (int i = 0; i < nsteps; i++) {
		const struct step *st = &steps[i];
		if (st->op == OP_IO_SUBMIT && st->n1 > max_iocbs)
			max_iocbs = st->n1;
		if (st->op == OP_IO_GETEVENTS && st->n2 > max_events)
			max_events = st->n2;
		if (st->op == OP_USER_REAP && st->n1 > max_events)
			max_events = st->n1;
	}
	/* If the probe parent is killed (timeout), this child must not live on. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	alloc_buffers(max_iocbs, max_events);
	outf("%s", ""); /* grow the output buffer now, not mid-scenario */
	pin_one_cpu();
	setup_io_file();
	struct vma v;
	if (find_vma(BOGUS_ADDR, &v) == 0)
		die_probe("the \"bogus\" address %#lx is mapped", BOGUS_ADDR);
	struct utsname u;
	uname(&u);
	long max_nr = read_long_file("/proc/sys/fs/aio-max-nr");
	long nr = read_long_file("/proc/sys/fs/aio-nr");
	outf("{\"kernel\":");
	out_json_string(u.release);
	outf(",\"cpus\":%d,\"aio_max_nr\":%ld,\"aio_nr\":%ld,\"results\":[",
	     possible_cpus(), max_nr, nr);
	for (int i = 0; i < nsteps; i++) {
		*progress = i;
		run_step(i, &steps[i]);
	}
	outf("]}\n");
	flush_out();
	exit(0);
}

#ifndef SCENARIO_SECONDS
#define SCENARIO_SECONDS 60 /* watchdog per scenario */
#endif
static volatile sig_atomic_t watchdog_fired;

static void on_alarm(int sig)
{
	(void)sig;
	watchdog_fired = 1;
}

/* The scenario runs in a fresh child so that what it maps, moves or breaks
 * dies with it; a child killed by a signal is reported with its step. */
static int cmd_scenario(void)
{
	read_wire();
	progress = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED)
		die_probe("mmap: %s", strerror(errno));
	*progress = -1;
	/* No SA_RESTART: the alarm must interrupt waitpid. */
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	pid_t pid = fork();
	if (pid < 0)
		die_probe("fork: %s", strerror(errno));
	if (pid == 0)
		run_scenario_child();
	int status;
	alarm(SCENARIO_SECONDS);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			die_probe("waitpid: %s", strerror(errno));
		if (watchdog_fired)
			kill(pid, SIGKILL);
	}
	alarm(0);
	if (WIFSIGNALED(status)) {
		char msg[200];
		if (watchdog_fired)
			snprintf(msg, sizeof msg,
				 "the step did not finish within %d s on the live "
				 "kernel", SCENARIO_SECONDS);
		else
			snprintf(msg, sizeof msg,
				 "the scenario process was killed by %s (the step "
				 "unmapped or moved memory the process itself needs)",
				 signal_name(WTERMSIG(status)));
		outf("{\"probe_error\":");
		out_json_string(msg);
		outf(",\"step\":%d}\n", *progress);
		flush_out();
		return 1;
	}
	return WEXITSTATUS(status);
}

/* ---------- availability ---------- */

static int cmd_check(void)
{
	aio_context_t ctx = 0;
	struct utsname u;
	uname(&u);
	if (sys_io_setup(1, &ctx) != 0) {
		int e = errno;
		outf("{\"available\":false,\"kernel\":");
		out_json_string(u.release);
		outf(",\"reason\":");
		char msg[160];
		snprintf(msg, sizeof msg, "io_setup(1) failed with %s%s",
			 errno_name(e),
			 e == ENOSYS ? " (kernel built without AIO)"
			 : e == EAGAIN ? " (fs.aio-max-nr exhausted)"
			 : e == EPERM ? " (blocked by a seccomp filter?)"
				       : "");
		out_json_string(msg);
		outf("}\n");
		flush_out();
		return 0;
	}
	sys_io_destroy(ctx);
	outf("{\"available\":true,\"kernel\":");
	out_json_string(u.release);
	outf(",\"reason\":null}\n");
	flush_out();
	return 0;
}

/* ---------- timing loops ---------- */

struct params {
	long iterations, samples, timeout_ns, min_nr, batch, contexts, nr;
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static double sample_ns[1000];

static void timing_header(const char *loop, const char *unit,
			  const struct params *p)
{
	struct utsname u;
	uname(&u);
	outf("{\"loop\":\"%s\",\"unit\":\"%s\",\"iterations\":%ld,\"kernel\":",
	     loop, unit, p->iterations);
	out_json_string(u.release);
}

static void timing_samples(const struct params *p)
{
	outf(",\"samples\":[");
	for (long s = 0; s < p->samples; s++)
		outf("%s%.3f", s ? "," : "", sample_ns[s]);
	outf("]}\n");
}

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
		iocbs[k].aio_fildes = (uint32_t)io_fd;
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

/* Native C version of the WASM core's batch ring path (assembly/aio.ts
 * io_submit and user_reap, assembly/kioctx.ts take_reqs), same algorithm and
 * bookkeeping, per batch rather than per event. One context, in slot 0 of
 * an ioctx table, with a ring in the kernel's layout. Mainline semantics:
 * per-CPU request slots, the header id is the table slot. Helpers below are
 * used by loop_ring alone. */

/* struct kioctx: the request-slot accounting of the model. */
struct ring_kioctx {
	uint64_t user_id; /* ring address: the context id */
	struct ring_header *ring;
	int32_t nr_events; /* ring slots (the header's nr) */
	int32_t cpu_reqs_available; /* the CPU cache of request slots */
	int32_t reqs_available; /* the global counter */
	int32_t req_batch;
	int64_t completed_events;
	int dead;
};

/* mm->ioctx_table, one slot used. */
struct ring_table {
	uint32_t nr;
	struct ring_kioctx *table[1];
};

static uint64_t ring_checksum; /* sum of the user data reaped, mod 2^64 */

static uint32_t ring_events_in(uint32_t head, uint32_t tail, uint32_t nr)
{
	head %= nr;
	return head <= tail ? tail - head : nr - (head - tail);
}

static void ring_put_reqs(struct ring_kioctx *ctx, int32_t n)
{
	ctx->cpu_reqs_available += n;
	while (ctx->cpu_reqs_available >= ctx->req_batch * 2) {
		ctx->cpu_reqs_available -= ctx->req_batch;
		ctx->reqs_available += ctx->req_batch;
	}
}

/* Credits events that user space reaped itself: completed, no longer in the ring. */
static void ring_user_refill_reqs(struct ring_kioctx *ctx)
{
	int64_t in_ring = ring_events_in(ctx->ring->head, ctx->ring->tail,
					 (uint32_t)ctx->nr_events);
	int64_t reaped = ctx->completed_events > in_ring ?
				 ctx->completed_events - in_ring : 0;
	if (reaped == 0)
		return;
	ctx->completed_events -= reaped;
	ring_put_reqs(ctx, (int32_t)reaped);
}

/* Up to n request slots in one go: exactly those n one-by-one takes would get
 * before one meets an empty CPU cache. 0 means EAGAIN. */
static int32_t ring_take_reqs(struct ring_kioctx *ctx, int32_t n)
{
	if (ctx->cpu_reqs_available == 0) {
		if (ctx->reqs_available >= ctx->req_batch) {
			ctx->reqs_available -= ctx->req_batch;
			ctx->cpu_reqs_available = ctx->req_batch;
		} else {
			ring_user_refill_reqs(ctx);
			if (ctx->cpu_reqs_available == 0)
				return 0;
		}
	}
	int32_t k = n < ctx->cpu_reqs_available ? n : ctx->cpu_reqs_available;
	ctx->cpu_reqs_available -= k;
	return k;
}

/* lookup_ioctx: the table slot named by the ring header's id, if it is ours. */
static struct ring_kioctx *ring_lookup(struct ring_table *t, uint64_t ctx_id)
{
	uint32_t id = ((const struct ring_header *)(uintptr_t)ctx_id)->id;
	if (id >= t->nr)
		return NULL;
	struct ring_kioctx *ctx = t->table[id];
	if (!ctx || ctx->user_id != ctx_id || ctx->dead)
		return NULL;
	return ctx;
}

/* k events complete at the tail: data, data + 1, ..., obj, obj + 1, ...,
 * res 512, res2 0; one contiguous run per wrap of the ring. */
static void ring_complete(struct ring_header *ring, uint32_t nr, uint64_t data,
			  uint64_t obj, uint32_t k)
{
	struct io_event *ev = (struct io_event *)(ring + 1);
	uint32_t tail = ring->tail;
	while (k) {
		if (tail >= nr) /* only a forged tail; the model traps */
			die_probe("ring tail %u past the ring (%u slots)", tail, nr);
		uint32_t run = k < nr - tail ? k : nr - tail;
		struct io_event *at = ev + tail, *end = at + run;
		for (uint64_t d = data, o = obj; at < end; at++, d++, o++) {
			at->data = d;
			at->obj = o;
			at->res = IO_BYTES;
			at->res2 = 0;
		}
		data += run;
		obj += run;
		k -= run;
		tail += run;
		if (tail == nr)
			tail = 0;
	}
	ring->tail = tail;
}

/* io_submit of count preads (user data data, data + 1, ...) that complete at
 * once: submitted, or -errno. noinline: one lookup per call, as a call. */
static __attribute__((noinline)) int ring_submit(struct ring_table *t,
						 uint64_t ctx_id, int32_t count,
						 uint64_t data)
{
	if (count < 0)
		return -EINVAL;
	struct ring_kioctx *ctx = ring_lookup(t, ctx_id);
	if (!ctx)
		return -EINVAL;
	int32_t nr = count < ctx->nr_events ? count : ctx->nr_events;
	if (nr <= 0)
		return 0;
	int32_t submitted = 0;
	while (submitted < nr) {
		/* Slots come in runs between two decisions of the accounting;
		 * each run's events are written before the next decision. */
		int32_t k = ring_take_reqs(ctx, nr - submitted);
		if (!k)
			break;
		ring_complete(ctx->ring, (uint32_t)ctx->nr_events,
			      data + (uint64_t)submitted, (uint64_t)submitted,
			      (uint32_t)k);
		ctx->completed_events += k;
		submitted += k;
	}
	return submitted > 0 ? submitted : -EAGAIN;
}

/* libaio-style reap of up to max events from the ring at addr, user data
 * summed into ring_checksum: events reaped, or -errno. */
static __attribute__((noinline)) int ring_user_reap(uint64_t addr, int32_t max)
{
	struct ring_header *h = (struct ring_header *)(uintptr_t)addr;
	const struct io_event *ev = (const struct io_event *)(h + 1);
	if (h->magic != RING_MAGIC || h->incompat_features != 0 || h->nr == 0)
		return -EINVAL;
	uint32_t head = h->head, tail = h->tail, slots = h->nr;
	int32_t count = 0;
	while (head != tail && count < max) {
		/* A head past the ring (forged) names memory outside it. */
		if (head >= slots)
			return -EFAULT;
		/* A run: up to the tail or the ring's end, and max. */
		uint32_t to_end = tail > head ? (tail < slots ? tail : slots) - head :
						slots - head;
		uint32_t n = to_end < (uint32_t)(max - count) ? to_end :
							       (uint32_t)(max - count);
		uint64_t sum = ring_checksum;
		for (const struct io_event *at = ev + head, *end = at + n; at < end; at++)
			sum += at->data;
		ring_checksum = sum;
		count += (int32_t)n;
		head += n;
		if (head == slots)
			head = 0;
	}
	h->head = head;
	return count;
}

static void loop_ring(const struct params *p)
{
	size_t bytes = sizeof(struct ring_header) +
		       (size_t)p->nr * sizeof(struct io_event);
	void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die_probe("mmap of the ring: %s", errno_name(errno));
	struct ring_header *ring = mem;
	int cpus = possible_cpus();
	struct ring_kioctx ctx = {
		.user_id = (uint64_t)(uintptr_t)mem,
		.ring = ring,
		.nr_events = (int32_t)p->nr,
		.reqs_available = (int32_t)p->nr - 1,
		.req_batch = (int32_t)((p->nr - 1) / (cpus * 4)) > 1 ?
				     (int32_t)((p->nr - 1) / (cpus * 4)) : 1,
	};
	struct ring_table table = {.nr = 1, .table = {&ctx}};
	ring->id = 0; /* the table slot */
	ring->nr = (uint32_t)p->nr;
	ring->head = ring->tail = 0;
	ring->magic = RING_MAGIC;
	ring->compat_features = 1;
	ring->incompat_features = 0;
	ring->header_length = sizeof *ring;
	uint64_t ctx_id = ctx.user_id;
	long rounds = p->iterations / p->batch, events = rounds * p->batch;
	uint64_t data = 0;
	ring_checksum = 0;
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		/* As assembly/batch.ts ring_loop: submit up to a batch, reap up
		 * to a batch. A submit can fall short of the batch when the
		 * slot accounting strands slots (batch near nr - 1); the loop
		 * then goes on until the sample's events are all done. */
		for (long done = 0; done < events;) {
			long want = events - done < p->batch ? events - done : p->batch;
			int got = ring_submit(&table, ctx_id, (int32_t)want, data);
			if (got <= 0)
				die_probe("ring submit of %ld events: %s", want,
					  errno_name(-got));
			data += (uint64_t)got;
			done += got;
			int reaped = ring_user_reap(ctx_id, (int32_t)p->batch);
			if (reaped != got)
				die_probe("ring reap returned %d, %d submitted",
					  reaped, got);
		}
		sample_ns[s] = (double)(now_ns() - t0) / (double)events;
	}
	munmap(mem, bytes);
	/* Every event submitted was reaped once: the sum of 0 .. data - 1. */
	uint64_t want = data % 2 ? data * ((data - 1) / 2) : (data / 2) * (data - 1);
	if (ring_checksum != want)
		die_probe("ring checksum %llu, expected %llu",
			  (unsigned long long)ring_checksum, (unsigned long long)want);
	struct params q = *p;
	q.iterations = events;
	timing_header("ring", "ns/event", &q);
	outf(",\"batch\":%ld,\"nr\":%ld,\"checksum\":%llu", p->batch, p->nr,
	     (unsigned long long)ring_checksum);
	timing_samples(&q);
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

static int cmd_time(int argc, char **argv)
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
	pin_one_cpu();
	if (strcmp(loop, "getevents") == 0) {
		p.timeout_ns = param(argc, argv, "timeout_ns", 0, 0, 999999999);
		p.min_nr = param(argc, argv, "min_nr", 1, 0, 1);
		p.iterations = param(argc, argv, "iterations",
				     p.timeout_ns ? 100 : 10000, 1, 100000000);
		loop_getevents(&p);
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
	} else {
		die_probe("unknown timing loop \"%s\" (getevents, submit-reap, churn, "
			  "remap, ring)", loop);
	}
	flush_out();
	return 0;
}

int main(int argc, char **argv)
{
	/* Die with the CLI that started us (src/kernel/exec.ts), even if it is
	 * SIGKILLed; if it already died before the prctl, leave now. */
	const char *parent = getenv("AIO_RING_BENCH_PARENT");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (parent && atol(parent) != (long)getppid())
		return 1;
	page_size = sysconf(_SC_PAGESIZE);
	if (argc >= 2 && strcmp(argv[1], "check") == 0 && argc == 2)
		return cmd_check();
	if (argc >= 2 && strcmp(argv[1], "scenario") == 0 && argc == 2)
		return cmd_scenario();
	if (argc >= 3 && strcmp(argv[1], "time") == 0)
		return cmd_time(argc - 2, argv + 2);
	die_probe("usage: probe check | probe scenario < wire | probe time LOOP "
		  "[key=value ...]");
	return 2;
}
