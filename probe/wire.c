/* The scenario wire format (see probe.h) parsed into steps. */
#include "probe.h"

const char *const op_names[] = {
	"io_setup", "io_destroy", "io_submit", "io_getevents", "user_reap",
	"ring", "mmap", "munmap", "mremap", "fork_mremap", "page",
};

struct step steps[MAX_STEPS];
int nsteps;

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
static char *in_next; /* where the next scenario of the input starts */

/* Reads all of stdin: one scenario, or several separated by lines "=". */
void read_input(void)
{
	read_all(0, in_buf, sizeof in_buf, "the scenario wire on stdin");
	in_next = in_buf;
}

/* Parses the next scenario of the input into steps; 0 when none is left. */
int next_scenario(void)
{
	if (!in_next || !*in_next)
		return 0;
	nsteps = 0;
	int line = 0;
	char *p = in_next;
	while (*p) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		line++;
		char *rest = nl ? nl + 1 : p + strlen(p);
		if (strcmp(p, "=") == 0) {
			p = rest;
			break;
		}
		if (*p) {
			if (nsteps == MAX_STEPS)
				die_probe("more than %d steps", MAX_STEPS);
			parse_step(p, line, &steps[nsteps++]);
		}
		p = rest;
	}
	in_next = p;
	return 1;
}
