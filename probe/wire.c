/* The scenario wire format (see probe.h) parsed into steps. */
#include "wire.h"
#include "out.h"
#include <limits.h>
#include <sys/eventfd.h>

const char *const op_names[] = {
	"io_setup", "io_destroy", "io_submit", "io_getevents", "user_reap",
	"ring", "mmap", "munmap", "mremap", "fork_mremap", "page", "io_cancel",
	"io_pgetevents", "raise", "ftruncate", "setrlimit_fsize", "eventfd",
	"eventfd_read", "fork_calls", "repeat", "pipe", "pipe_write", "pipe_read",
	"store_head", "store_event", "ring_events", "fill", "peek",
	"thread_getevents", "thread_join", "buf_fill", "buf_peek",
};

/* SIG_* by name, as src/kernel/wire.ts SIG_WORDS writes them. */
static const char *const sig_words[] = {
	"nousig", "bogus", "null", "unblock", "block", "maskbogus",
};

/* io_submit's opcode by name, as src/kernel/wire.ts writes the step's cmd. */
static const struct {
	const char *word;
	int cmd;
} cmd_words[] = {
	{"pread", IOCB_CMD_PREAD}, {"pwrite", IOCB_CMD_PWRITE},
	{"fsync", IOCB_CMD_FSYNC}, {"fdsync", IOCB_CMD_FDSYNC},
	{"bad", 99}, /* no such IOCB_CMD_* */
	{"noop", IOCB_CMD_NOOP}, {"preadv", IOCB_CMD_PREADV},
	{"pwritev", IOCB_CMD_PWRITEV}, {"poll", IOCB_CMD_POLL},
};

/* FD_* by name, as src/kernel/wire.ts writes io_submit's fd. */
static const char *const fd_words[] = {
	"ok", "bad", "rdonly", "wronly", "append", "direct",
};

/* RESFD_NONE, RESFD_BAD, RESFD_FILE (-1, -2, -3) by name: -1 - their index. */
static const char *const resfd_words[] = {
	"-", "bad", "file",
};

struct step steps[MAX_STEPS];
struct step child_steps[MAX_STEPS];
int nchild_steps;
struct step body_steps[MAX_STEPS];
uint32_t iov_lens[MAX_SCENARIO_SEGMENTS];
static long iov_used; /* of iov_lens, by the scenario parsed so far */
int nsteps;
int no_zero_page_wanted;
long tmpfs_bytes;

static long parse_long(const char *tok, int line)
{
	char *end;
	errno = 0;
	long v = strtol(tok, &end, 10);
	if (errno || *end)
		die_probe("wire line %d: bad number \"%s\"", line, tok);
	return v;
}

/* A number from lo to hi; outside them "WHAT out of range". */
static long parse_range(const char *tok, long lo, long hi, int line, const char *what)
{
	long v = parse_long(tok, line);
	if (v < lo || v > hi)
		die_probe("wire line %d: %s out of range", line, what);
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
	if (strcmp(tok, "-1") == 0) {
		a.kind = A_ALL_ONES;
		return a;
	}
	int n = 0;
	if (sscanf(tok, "N%d+%ld+%ld%n", &a.name, &a.pages, &a.bytes, &n) != 3 ||
	    tok[n] || a.name < 0 || a.name >= MAX_NAMES)
		die_probe("wire line %d: bad address \"%s\"", line, tok);
	a.kind = A_NAME;
	return a;
}

/* The index of `s` among the `n` words, or -1. */
static int word_index(const char *const *words, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return (int)i;
	return -1;
}

/* A flag word: `word` gives `value`, "0" gives 0, anything else is refused. */
static int parse_flag(const char *tok, const char *word, int value, int line, const char *what)
{
	if (strcmp(tok, word) == 0)
		return value;
	if (strcmp(tok, "0") != 0)
		die_probe("wire line %d: bad %s", line, what);
	return 0;
}

/* One of a field's words, as the value it stands for; any other is a wire error naming the field. */
struct word {
	const char *word;
	int value;
};
#define PARSE_WORD(tok, words, line, what) parse_word(tok, words, sizeof words / sizeof *words, line, what)
static int parse_word(const char *tok, const struct word *words, size_t n, int line, const char *what)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(tok, words[k].word) == 0)
			return words[k].value;
	die_probe("wire line %d: bad %s", line, what);
}

/* mremap's FLAGS word (probe.h): 0, maymove, dontunmap or maymove+dontunmap. */
static const struct word mremap_flag_words[] = {
	{"0", 0},
	{"maymove", MREMAP_MAYMOVE},
	{"dontunmap", MREMAP_DONTUNMAP},
	{"maymove+dontunmap", MREMAP_MAYMOVE | MREMAP_DONTUNMAP},
};
/* mmap's FLAGS, MAP and PROT words. */
static const struct word mmap_flag_words[] = {{"noreplace", MAP_FIXED_NOREPLACE}, {"replace", MAP_FIXED}};
static const struct word map_type_words[] = {{"shared", MAP_SHARED}, {"private", MAP_PRIVATE}};
static const struct word prot_words[] = {{"rw", PROT_READ | PROT_WRITE}, {"r", PROT_READ}, {"w", PROT_WRITE}, {"none", PROT_NONE}};

/* An io_submit entry index, or "-" for none (-1). */
static long parse_entry(const char *tok, int line, const char *what)
{
	long k = strcmp(tok, "-") == 0 ? -1 : parse_long(tok, line);
	if (k < -1 || k > MAX_BATCH)
		die_probe("wire line %d: bad %s", line, what);
	return k;
}

/* A pointer argument: `dflt` (the probe's own, A_NONE) or one the kernel
 * cannot use (0, bogus, -1), never a name. */
static struct addr parse_unusable(const char *tok, const char *dflt, int line, const char *what)
{
	struct addr a = {A_NONE, -1, 0, 0};
	if (strcmp(tok, dflt) == 0)
		return a;
	a = parse_addr(tok, line);
	if (a.kind == A_NAME)
		die_probe("wire line %d: bad %s", line, what);
	return a;
}

/* io_submit's iovec array (IOV in probe.h): its segments go to iov_lens. */
static void parse_iov(const char *tok, int line, struct step *st)
{
	if (strcmp(tok, "-") == 0) {
		st->iov = IOV_NONE;
		return;
	}
	if (strcmp(tok, "null") == 0 || strcmp(tok, "bogus") == 0) {
		st->iov = *tok == 'n' ? IOV_NULL : IOV_BOGUS;
		return;
	}
	if (*tok != 'v')
		die_probe("wire line %d: bad iov", line);
	st->iov = IOV_ARRAY;
	st->iov_at = iov_used;
	for (const char *p = tok + 1; *p;) {
		char *end;
		errno = 0;
		long len = strtol(p, &end, 10);
		if (errno || end == p || (*end && *end != ',') || len < 0 || len > MAX_IOV_SEGMENT_BYTES)
			die_probe("wire line %d: bad iov segment", line);
		if (st->iov_n == MAX_IOV_SEGMENTS || iov_used == MAX_SCENARIO_SEGMENTS)
			die_probe("wire line %d: more than %d segments in an array or %d in a scenario",
				  line, MAX_IOV_SEGMENTS, MAX_SCENARIO_SEGMENTS);
		iov_lens[iov_used++] = (uint32_t)len;
		st->iov_n++;
		p = *end ? end + 1 : end;
	}
}

/* One condition of a repeat's UNTIL (probe.h), `len` bytes at tok; its body
 * step K is checked once the body is read. */
static void parse_condition(const char *tok, size_t len, int line, struct until *u)
{
	static const char *const cmp_words[] = {"eq", "ne", "lt", "le", "gt", "ge"};
	char text[96], kind[8], word[16];
	int n = 0, m = 0;
	if (len >= sizeof text)
		die_probe("wire line %d: bad until", line);
	memcpy(text, tok, len);
	text[len] = 0;
	if (strcmp(text, "rest") == 0) {
		u->kind = UNTIL_REST;
		return;
	}
	if (sscanf(text, "%d:%7[a-z2]:%n", &u->step, kind, &n) != 2 || n == 0 || u->step < -1)
		die_probe("wire line %d: bad until", line);
	if (strcmp(kind, "errno") == 0) {
		if (sscanf(text + n, "%15[A-Za-z0-9_]%n", word, &m) != 1 || text[n + m])
			die_probe("wire line %d: bad until", line);
		u->kind = UNTIL_ERRNO;
		/* "" is success: the result's errno is null. */
		snprintf(u->errno_word, sizeof u->errno_word, "%s", strcmp(word, "null") == 0 ? "" : word);
		return;
	}
	if (strcmp(kind, "ret") == 0) {
		u->kind = UNTIL_RET;
	} else if (strcmp(kind, "res") == 0 || strcmp(kind, "res2") == 0) {
		u->kind = kind[3] ? UNTIL_RES2 : UNTIL_RES;
		char *end;
		u->event = strtol(text + n, &end, 10);
		if (end == text + n || *end != ':' || u->event < 0 || u->event >= MAX_BATCH)
			die_probe("wire line %d: bad until", line);
		n = (int)(end + 1 - text);
	} else {
		die_probe("wire line %d: bad until", line);
	}
	if (sscanf(text + n, "%2[a-z]%n", word, &m) != 1 || text[n + m] != ':' ||
	    (u->cmp = word_index(cmp_words, sizeof cmp_words / sizeof *cmp_words, word)) < 0)
		die_probe("wire line %d: bad until", line);
	u->value = parse_long(text + n + m + 1, line);
}

/* A repeat's UNTIL (probe.h): "-", or its conditions joined by commas. */
static void parse_until(const char *tok, int line, struct step *st)
{
	st->nuntil = 0;
	if (strcmp(tok, "-") == 0)
		return;
	for (const char *p = tok;; p++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (st->nuntil == MAX_UNTIL_CONDITIONS)
			die_probe("wire line %d: more than %d until conditions", line, MAX_UNTIL_CONDITIONS);
		parse_condition(p, len, line, &st->until[st->nuntil++]);
		if (!comma)
			return;
		p = comma;
	}
}

/* One step; `member`: a call of the fork_calls step before it. */
static void parse_step(char *text, int line, struct step *st, int member)
{
	char *all[18], **tok = all;
	int nt = 0;
	for (char *save, *t = strtok_r(text, " ", &save); t;
	     t = strtok_r(NULL, " ", &save)) {
		if (nt == 18)
			die_probe("wire line %d: too many fields", line);
		all[nt++] = t;
	}
	/* "fork LINE": LINE is the step the child runs. */
	int in_child = nt > 1 && strcmp(tok[0], "fork") == 0;
	tok += in_child;
	nt -= in_child;
	static const int want[] = {4, 2, 17, 6, 3, 2, 9, 3, 7, 4, 2, 3, 8, 1, 2, 2, 4, 2, 2, 5, 2, 3, 3, 3, 6, 4, 4, 3, 6, 2, 4, 3};
	int op = nt ? word_index(op_names, sizeof op_names / sizeof *op_names, tok[0]) : -1;
	if (op < 0)
		die_probe("wire line %d: unknown op", line);
	if (nt != want[op])
		die_probe("wire line %d: %s takes %d fields", line, tok[0],
			  want[op] - 1);
	memset(st, 0, sizeof *st);
	st->op = (enum op)op;
	st->name = -1;
	st->pipe = -1;
	st->in_child = in_child;
	switch (st->op) {
	case OP_IO_SETUP:
		st->n1 = parse_long(tok[1], line);
		st->name = parse_name(tok[2], line);
		st->flag = strcmp(tok[3], "null") == 0    ? CTXP_NULL
			   : strcmp(tok[3], "bogus") == 0 ? CTXP_BOGUS
							  : (int)parse_long(tok[3], line);
		if (st->flag < 0 || st->flag > CTXP_BOGUS)
			die_probe("wire line %d: bad ctxp", line);
		break;
	case OP_IO_DESTROY:
	case OP_RING:
	case OP_PAGE:
		st->a = parse_addr(tok[1], line);
		break;
	case OP_IO_CANCEL:
		st->a = parse_addr(tok[1], line);
		if (tok[2][0] == 's') {
			/* "s" STEP ":" BLOCK: a block of an earlier io_submit step. */
			char *colon = strchr(tok[2], ':');
			if (!colon)
				die_probe("wire line %d: bad iocb", line);
			*colon = 0;
			st->flag = CANCEL_SUBMITTED;
			st->n1 = parse_long(tok[2] + 1, line);
			st->n2 = parse_long(colon + 1, line);
			if (st->n1 < 0 || st->n1 >= MAX_STEPS || st->n2 < 0 || st->n2 >= MAX_BATCH)
				die_probe("wire line %d: bad iocb", line);
			break;
		}
		st->to = parse_unusable(tok[2], "block", line, "iocb");
		break;
	case OP_IO_SUBMIT:
		st->a = parse_addr(tok[1], line);
		st->rest = strcmp(tok[2], "rest") == 0;
		st->n1 = st->rest ? 0 : parse_long(tok[2], line);
		st->cmd = -1;
		for (size_t k = 0; k < sizeof cmd_words / sizeof *cmd_words; k++)
			if (strcmp(tok[3], cmd_words[k].word) == 0)
				st->cmd = cmd_words[k].cmd;
		if (st->cmd < 0)
			die_probe("wire line %d: bad cmd", line);
		st->n2 = parse_long(tok[4], line);
		if (tok[5][0] == 'p' && (tok[5][1] == 'r' || tok[5][1] == 'w')) {
			/* "pr" or "pw" and a pipe step's name index: one of its ends. */
			st->flag = 0; /* FD_RDWR (io.h): the fd is overwritten with the pipe end */
			st->pipe_write = tok[5][1] == 'w';
			st->pipe = parse_name(tok[5] + 2, line);
			if (st->pipe < 0)
				die_probe("wire line %d: bad fd", line);
		} else {
			st->flag = word_index(fd_words, sizeof fd_words / sizeof *fd_words, tok[5]);
		}
		if (st->flag < 0)
			die_probe("wire line %d: bad fd", line);
		st->to = parse_unusable(tok[6], "ok", line, "iocb array");
		st->n3 = parse_entry(tok[7], line, "null entry");
		st->bogus_entry = parse_entry(tok[8], line, "bogus entry");
		st->nbytes = parse_range(tok[9], 0, MAX_IO_BYTES, line, "nbytes");
		st->offset = parse_long(tok[10], line);
		st->rw_flags = parse_range(tok[11], 0, UINT32_MAX, line, "rw_flags");
		int resfd = word_index(resfd_words, sizeof resfd_words / sizeof *resfd_words, tok[12]);
		if (resfd >= 0) {
			st->resfd = -1 - resfd;
		} else {
			struct addr efd = parse_addr(tok[12], line);
			if (efd.kind != A_NAME || efd.pages || efd.bytes)
				die_probe("wire line %d: bad resfd", line);
			st->resfd = efd.name;
		}
		st->ioprio = parse_range(tok[13], IOPRIO_NONE, 0xffff, line, "ioprio");
		st->aio_flags = parse_long(tok[14], line);
		if (st->aio_flags < 0 || st->aio_flags > UINT32_MAX ||
		    st->aio_flags & (IOCB_FLAG_RESFD | IOCB_FLAG_IOPRIO))
			die_probe("wire line %d: aio_flags out of range", line);
		parse_iov(tok[15], line, st);
		st->events = parse_long(tok[16], line);
		if (st->events < 0 || st->events > UINT32_MAX || (st->events && st->cmd != IOCB_CMD_POLL) ||
		    (st->pipe >= 0 && st->cmd != IOCB_CMD_POLL))
			die_probe("wire line %d: events and pipe ends are for poll blocks only", line);
		if ((st->iov != IOV_NONE) != (st->cmd == IOCB_CMD_PREADV || st->cmd == IOCB_CMD_PWRITEV))
			die_probe("wire line %d: an iovec array is for preadv and pwritev only, and they need one", line);
		break;
	case OP_EVENTFD:
		st->name = parse_name(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		if (st->name < 0 || st->n1 < 0 || st->n1 > UINT32_MAX)
			die_probe("wire line %d: bad eventfd", line);
		st->flag = parse_flag(tok[3], "semaphore", EFD_SEMAPHORE, line, "eventfd flags");
		break;
	case OP_EVENTFD_READ:
		st->n1 = parse_name(tok[1], line);
		if (st->n1 < 0)
			die_probe("wire line %d: bad eventfd", line);
		break;
	case OP_RAISE:
		break;
	case OP_PIPE:
		st->name = parse_name(tok[1], line);
		if (st->name < 0)
			die_probe("wire line %d: bad pipe", line);
		break;
	case OP_PIPE_WRITE:
	case OP_PIPE_READ:
		st->n1 = parse_name(tok[1], line);
		st->n2 = parse_long(tok[2], line);
		if (st->n1 < 0 || st->n2 < 0 || st->n2 > PIPE_MAX_BYTES)
			die_probe("wire line %d: bad pipe", line);
		break;
	case OP_REPEAT:
		st->n1 = parse_long(tok[1], line);
		st->n2 = strcmp(tok[2], "-") == 0 ? -1 : parse_long(tok[2], line);
		st->n3 = parse_long(tok[3], line);
		if (st->n1 < 1 || st->n1 > MAX_LOOP_TIMES || st->n2 == 0 || st->n2 < -1 || st->n2 > MAX_BATCH ||
		    st->n3 < 1 || st->n3 > MAX_LOOP_BODY)
			die_probe("wire line %d: bad repeat", line);
		parse_until(tok[4], line, st);
		break;
	case OP_IO_GETEVENTS:
	case OP_IO_PGETEVENTS:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		st->n2 = parse_long(tok[3], line);
		st->flag = strcmp(tok[4], "null") == 0     ? TIMEOUT_NULL
			   : strcmp(tok[4], "bogus") == 0 ? TIMEOUT_BOGUS
							  : TIMEOUT_NS;
		if (st->flag == TIMEOUT_NS)
			st->n3 = parse_long(tok[4], line);
		st->to = parse_unusable(tok[5], "ok", line, "events buffer");
		if (st->op == OP_IO_GETEVENTS)
			break;
		st->sig = word_index(sig_words, sizeof sig_words / sizeof *sig_words, tok[6]);
		if (st->sig < 0)
			die_probe("wire line %d: bad signal argument", line);
		st->sigsetsize = parse_long(tok[7], line);
		if (st->sigsetsize < 0)
			die_probe("wire line %d: bad sigsetsize", line);
		break;
	case OP_FTRUNCATE:
		st->n1 = parse_range(tok[1], 0, LONG_MAX, line, "size");
		break;
	case OP_SETRLIMIT_FSIZE:
		/* -1: RLIM_INFINITY */
		st->n1 = strcmp(tok[1], "infinity") == 0 ? -1 : parse_long(tok[1], line);
		if (st->n1 < -1)
			die_probe("wire line %d: limit out of range", line);
		break;
	case OP_USER_REAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		break;
	case OP_STORE_HEAD:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_range(tok[2], 0, UINT32_MAX, line, "head");
		break;
	case OP_STORE_EVENT:
		/* slot, data, res, res2: bounds as src/contract/scenario-schema.ts */
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		st->n2 = parse_long(tok[3], line);
		st->n3 = parse_long(tok[4], line);
		st->offset = parse_long(tok[5], line);
		if (st->n1 < 0 || st->n1 > MAX_BATCH || st->n2 < 0)
			die_probe("wire line %d: slot or data out of range", line);
		break;
	case OP_RING_EVENTS:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		st->n2 = parse_long(tok[3], line);
		if (st->n1 < 0 || st->n1 > MAX_BATCH || st->n2 < 0 || st->n2 > MAX_BATCH)
			die_probe("wire line %d: slot or count out of range", line);
		break;
	case OP_MMAP:
		st->n1 = parse_range(tok[1], 0, MAX_MAPPING_PAGES, line, "pages");
		st->name = parse_name(tok[2], line);
		st->a = parse_addr(tok[3], line);
		st->flag = PARSE_WORD(tok[4], mmap_flag_words, line, "mmap flags");
		if (st->flag == MAP_FIXED_NOREPLACE && st->a.kind == A_NONE)
			die_probe("wire line %d: noreplace without an address", line);
		/* ALIGN: 0, or a power of two of pages, for a mapping without an address. */
		st->n2 = parse_long(tok[5], line);
		if (st->n2 < 0 || st->n2 > MAX_ALIGN_PAGES || (st->n2 & (st->n2 - 1)) != 0 ||
		    (st->n2 != 0 && st->a.kind != A_NONE))
			die_probe("wire line %d: bad mmap align", line);
		st->n3 = PARSE_WORD(tok[6], map_type_words, line, "mmap map type");
		st->prot = PARSE_WORD(tok[7], prot_words, line, "mmap prot");
		/* FILE: "-" (anonymous memory) or the test file's page to map from. */
		st->file_page = strcmp(tok[8], "-") == 0 ? -1 : parse_range(tok[8], 0, MAX_MAPPING_PAGES, line, "file page");
		break;
	case OP_MUNMAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		break;
	case OP_MREMAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		st->n2 = parse_range(tok[3], 0, MAX_MAPPING_PAGES, line, "new_pages");
		st->to = parse_addr(tok[4], line);
		st->name = parse_name(tok[5], line);
		st->flag = PARSE_WORD(tok[6], mremap_flag_words, line, "mremap flags");
		break;
	case OP_FORK_MREMAP:
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_range(tok[2], 1, MAX_MAPPING_PAGES, line, "pages");
		st->to = parse_addr(tok[3], line);
		break;
	case OP_FILL:
	case OP_PEEK:
		/* n1 pages from the page holding a; fill: n2 the byte. */
		st->a = parse_addr(tok[1], line);
		st->n1 = parse_range(tok[2], 1, MAX_FILL_PAGES, line, "pages");
		if (st->op == OP_FILL)
			st->n2 = parse_range(tok[3], 0, 255, line, "value");
		break;
	case OP_BUF_FILL:
	case OP_BUF_PEEK:
		/* n1 bytes of io_buf from n3; buf_fill: n2 the byte. */
		st->n3 = parse_long(tok[1], line);
		st->n1 = parse_long(tok[2], line);
		if (st->n3 < 0 || st->n1 < 1 || st->n1 > MAX_IO_BYTES - st->n3)
			die_probe("wire line %d: range out of the I/O buffer", line);
		if (st->op == OP_BUF_FILL)
			st->n2 = parse_range(tok[3], 0, 255, line, "value");
		break;
	case OP_THREAD_GETEVENTS:
		/* name: the thread's; n1 MIN_NR; n2 NR; flag TIMEOUT_NS (n3) or TIMEOUT_NULL */
		st->name = parse_name(tok[1], line);
		st->a = parse_addr(tok[2], line);
		st->n1 = parse_long(tok[3], line);
		st->n2 = parse_long(tok[4], line);
		st->flag = strcmp(tok[5], "null") == 0 ? TIMEOUT_NULL : TIMEOUT_NS;
		if (st->flag == TIMEOUT_NS)
			st->n3 = parse_long(tok[5], line);
		if (st->name < 0 || st->n2 < 1 || st->n2 > MAX_THREAD_NR || st->n1 < 1 || st->n1 > st->n2 ||
		    (st->flag == TIMEOUT_NS && (st->n3 < MIN_THREAD_TIMEOUT_NS || st->n3 > MAX_THREAD_TIMEOUT_NS)))
			die_probe("wire line %d: bad thread_getevents", line);
		break;
	case OP_THREAD_JOIN:
		st->n1 = parse_name(tok[1], line);
		if (st->n1 < 0)
			die_probe("wire line %d: bad thread_join", line);
		break;
	case OP_FORK_CALLS:
		st->n1 = parse_long(tok[1], line);
		if (st->n1 < 1 || st->n1 > MAX_CHILD_CALLS)
			die_probe("wire line %d: fork_calls takes 1 to %d calls", line, MAX_CHILD_CALLS);
		break;
	}
	if ((st->op == OP_IO_SUBMIT || st->op == OP_IO_GETEVENTS || st->op == OP_IO_PGETEVENTS) &&
	    (st->op == OP_IO_SUBMIT ? st->n1 : st->n2) > MAX_BATCH)
		die_probe("wire line %d: count above %d", line, MAX_BATCH);
	if (st->op == OP_USER_REAP && st->n1 > MAX_BATCH)
		die_probe("wire line %d: max above %d", line, MAX_BATCH);
	/* What a child may call: a step that binds no name and touches nothing
	 * it shares with the parent (src/contract/scenario.ts ChildCall). */
	static const unsigned child_ops =
		1u << OP_IO_SETUP | 1u << OP_IO_DESTROY | 1u << OP_IO_SUBMIT |
		1u << OP_IO_GETEVENTS | 1u << OP_IO_CANCEL | 1u << OP_RING |
		1u << OP_MUNMAP | 1u << OP_MREMAP | 1u << OP_PAGE |
		1u << OP_RING_EVENTS;
	if (in_child && (!(child_ops >> st->op & 1) || st->name >= 0))
		die_probe("wire line %d: a forked child cannot run this", line);
	/* Poll blocks and io_cancel of a submitted block are top-level steps (src/scenario/pipe-poll.ts). */
	if ((in_child || member) && ((st->op == OP_IO_SUBMIT && st->cmd == IOCB_CMD_POLL) ||
				     (st->op == OP_IO_CANCEL && st->flag == CANCEL_SUBMITTED)))
		die_probe("wire line %d: a forked child cannot run this", line);
	/* A fork_calls child's calls (src/contract/scenario.ts ChildStep):
	 * names of its own, and the file and eventfds it shares. */
	static const unsigned member_ops = child_ops | 1u << OP_MMAP |
		1u << OP_FTRUNCATE | 1u << OP_EVENTFD_READ | 1u << OP_STORE_HEAD |
		1u << OP_STORE_EVENT | 1u << OP_FILL | 1u << OP_PEEK |
		1u << OP_BUF_FILL | 1u << OP_BUF_PEEK;
	if (member && (in_child || !(member_ops >> st->op & 1)))
		die_probe("wire line %d: a fork_calls child cannot run this", line);
}

/* Stdin, read as it comes: a batch of scenarios can be fed to a running
 * probe one after another, each answered as soon as it has run. */
static char in_buf[1 << 16];
static size_t in_len, in_pos;
static int in_eof;

/* The next line of stdin (without its newline) in line[cap]; 0 at the end. */
static int read_line(char *line, size_t cap, int line_no)
{
	size_t n = 0;
	for (;;) {
		if (in_pos == in_len) {
			if (in_eof)
				break;
			ssize_t r = read(0, in_buf, sizeof in_buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				die_probe("reading stdin: %s", strerror(errno));
			if (r == 0) {
				in_eof = 1;
				break;
			}
			in_len = (size_t)r;
			in_pos = 0;
		}
		char c = in_buf[in_pos++];
		if (c == '\n') {
			line[n] = 0;
			return 1;
		}
		if (n == cap - 1)
			die_probe("wire line %d longer than %zu bytes", line_no, cap - 1);
		line[n++] = c;
	}
	line[n] = 0;
	return n > 0;
}

/* Reads the body of the repeat `st` (the N lines after its own, probe.h)
 * into body_steps; the number of the last line read. */
static int read_body(struct step *st, char *line, size_t cap, int line_no, int *nbody)
{
	/* What a body may not hold: a loop, a descriptor per iteration, a process per iteration. */
	static const unsigned not_in_body = 1u << OP_REPEAT | 1u << OP_EVENTFD | 1u << OP_FORK_MREMAP |
		1u << OP_PIPE | 1u << OP_PIPE_WRITE | 1u << OP_PIPE_READ | 1u << OP_FILL | 1u << OP_PEEK |
		1u << OP_THREAD_GETEVENTS | 1u << OP_THREAD_JOIN | 1u << OP_BUF_FILL | 1u << OP_BUF_PEEK;
	int rests = 0;
	st->body_at = *nbody;
	for (long k = 0; k < st->n3; k++) {
		if (!read_line(line, cap, line_no + 1) || strcmp(line, "=") == 0)
			die_probe("wire line %d: the repeat's body ends after %ld of %ld lines", line_no, k, st->n3);
		line_no++;
		if (*nbody == MAX_STEPS)
			die_probe("more than %d steps", MAX_STEPS);
		struct step *b = &body_steps[(*nbody)++];
		parse_step(line, line_no, b, 0);
		if (not_in_body >> b->op & 1 || b->in_child || (b->op == OP_IO_SUBMIT && b->cmd == IOCB_CMD_POLL) ||
		    (b->op == OP_IO_CANCEL && b->flag == CANCEL_SUBMITTED))
			die_probe("wire line %d: a repeat's body holds calls only", line_no);
		/* A "rest" submit asks for at most the loop's blocks: the size buffers are allocated for. */
		if (b->rest)
			b->n1 = st->n2;
		rests += b->rest;
	}
	int until_rest = 0;
	for (int j = 0; j < st->nuntil; j++) {
		struct until *u = &st->until[j];
		if (u->kind == UNTIL_REST) {
			until_rest = 1;
			continue;
		}
		if (u->step == -1)
			u->step = (int)st->n3 - 1;
		if (u->step >= st->n3)
			die_probe("wire line %d: until reads a call the body does not have", line_no);
	}
	if ((st->n2 > 0) != (rests > 0) || (until_rest && st->n2 < 0))
		die_probe("wire line %d: blocks, \"rest\" counts and until rest go together", line_no);
	return line_no;
}

/* Parses the next scenario of stdin (up to a line "=" or the end) into
 * steps; 0 when stdin has nothing more. */
int next_scenario(void)
{
	/* An io_submit line holds up to MAX_IOV_SEGMENTS lengths of 7 digits. */
	static char line[1 << 15];
	int line_no = 0, any = 0, nbody = 0;
	long pending = 0; /* calls of the last fork_calls step still to come */
	long executed = 0;
	nsteps = 0;
	nchild_steps = 0;
	iov_used = 0;
	no_zero_page_wanted = 0;
	tmpfs_bytes = 0;
	while (read_line(line, sizeof line, line_no + 1)) {
		line_no++;
		any = 1;
		if (strcmp(line, "=") == 0)
			break;
		if (strcmp(line, "zero_page 0") == 0) {
			if (nsteps)
				die_probe("wire line %d: zero_page after a step", line_no);
			no_zero_page_wanted = 1;
		} else if (strncmp(line, "tmpfs ", 6) == 0) {
			if (nsteps || tmpfs_bytes)
				die_probe("wire line %d: tmpfs after a step or twice", line_no);
			tmpfs_bytes = parse_long(line + 6, line_no);
			if (tmpfs_bytes < MIN_TMPFS_BYTES || tmpfs_bytes > MAX_TMPFS_BYTES || tmpfs_bytes % 4096)
				die_probe("wire line %d: tmpfs size out of range", line_no);
		} else if (*line && pending) {
			if (nchild_steps == MAX_STEPS)
				die_probe("more than %d fork_calls calls", MAX_STEPS);
			parse_step(line, line_no, &child_steps[nchild_steps++], 1);
			pending--;
		} else if (*line) {
			if (nsteps + nbody == MAX_STEPS)
				die_probe("more than %d steps", MAX_STEPS);
			struct step *st = &steps[nsteps++];
			parse_step(line, line_no, st, 0);
			if (st->rest)
				die_probe("wire line %d: count \"rest\" outside a repeat", line_no);
			if (st->op == OP_FORK_CALLS) {
				pending = st->n1;
				st->n2 = nchild_steps;
			}
			if (st->op == OP_REPEAT)
				line_no = read_body(st, line, sizeof line, line_no, &nbody);
			executed += st->op == OP_REPEAT ? st->n1 * st->n3 : st->op == OP_FORK_CALLS ? st->n1 : 1;
			if (executed > MAX_EXECUTED_STEPS)
				die_probe("more than %d calls, a repeat's body counted its times over", MAX_EXECUTED_STEPS);
		}
	}
	if (pending)
		die_probe("wire line %d: fork_calls is missing %ld calls", line_no, pending);
	int eventfds = 0, pipes = 0;
	long polls = 0, content = 0, touched = 0;
	for (int i = 0; i < nsteps; i++) {
		if (steps[i].op == OP_EVENTFD && ++eventfds > MAX_EVENTFDS)
			die_probe("more than %d eventfd steps", MAX_EVENTFDS);
		if (steps[i].op == OP_PIPE && ++pipes > MAX_PIPES)
			die_probe("more than %d pipe steps", MAX_PIPES);
		if (steps[i].op == OP_IO_SUBMIT && steps[i].cmd == IOCB_CMD_POLL && steps[i].n1 > 0 &&
		    (polls += steps[i].n1) > MAX_POLL_BLOCKS)
			die_probe("more than %d poll blocks", MAX_POLL_BLOCKS);
		if (steps[i].op == OP_FILL || steps[i].op == OP_PEEK)
			content += steps[i].n1;
		if (steps[i].op == OP_BUF_FILL || steps[i].op == OP_BUF_PEEK)
			touched += steps[i].n1;
	}
	for (int k = 0; k < nchild_steps; k++) {
		if (child_steps[k].op == OP_FILL || child_steps[k].op == OP_PEEK)
			content += child_steps[k].n1;
		if (child_steps[k].op == OP_BUF_FILL || child_steps[k].op == OP_BUF_PEEK)
			touched += child_steps[k].n1;
	}
	if (content > MAX_CONTENT_PAGES)
		die_probe("fill and peek touch more than %d pages", MAX_CONTENT_PAGES);
	if (touched > MAX_BUF_TOUCH_BYTES)
		die_probe("buf_fill and buf_peek touch more than %d bytes", MAX_BUF_TOUCH_BYTES);
	return any;
}
