/* A repeat step on the live kernel (docs/scenario-format.md, `repeat`;
 * src/scenario/repeat.ts runs it for the models): its body up to `times`
 * times, stopping early when its until holds after an iteration. Each
 * iteration's results replace the one before in the output buffer, so only
 * the last iteration's are printed, after the loop's own fields. */
#include "loop.h"
#include "out.h"

/* What an until reads of a body call: its result's ret and errno, which
 * every op writes as ,"ret":N and ,"errno":null or ,"errno":"NAME", and
 * where its result lies in the output, for the events' res and res2. */
struct outcome {
	int has_ret;
	long ret;
	char err[24]; /* "" for null */
	size_t at, len;
};

static void read_outcome(size_t mark, struct outcome *o)
{
	size_t len;
	const char *text = out_since(mark, &len);
	o->at = mark;
	o->len = len;
	const char *r = memmem(text, len, ",\"ret\":", 7);
	o->has_ret = r != NULL;
	o->ret = r ? strtol(r + 7, NULL, 10) : 0;
	o->err[0] = 0;
	const char *e = memmem(text, len, ",\"errno\":\"", 10);
	if (e) {
		e += 10;
		size_t n = 0;
		while (n < sizeof o->err - 1 && e[n] != '"')
			n++;
		memcpy(o->err, e, n);
		o->err[n] = 0;
	}
}

static int compare(int cmp, long a, long b)
{
	switch (cmp) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	default: return a >= b;
	}
}

/* The res (or res2) of event e in a result, which a reap writes as
 * ,"res":[N,...] (,"res2":[N,...]); 0 when it reaped no event e. */
static int read_event_field(const struct outcome *o, const char *key, long e, long *v)
{
	size_t len;
	const char *text = out_since(o->at, &len), *end = text + o->len;
	size_t klen = strlen(key);
	const char *p = memmem(text, o->len, key, klen);
	if (!p)
		return 0;
	for (p += klen; e > 0; e--) {
		while (p < end && *p != ',' && *p != ']')
			p++;
		if (p >= end || *p == ']')
			return 0;
		p++;
	}
	if (p >= end || *p == ']')
		return 0;
	*v = strtol(p, NULL, 10);
	return 1;
}

static int until_holds(const struct until *u, const struct outcome *last, long rest)
{
	long v;
	switch (u->kind) {
	case UNTIL_REST:
		return rest == 0;
	case UNTIL_ERRNO:
		return strcmp(last[u->step].err, u->errno_word) == 0;
	case UNTIL_RET:
		return last[u->step].has_ret && compare(u->cmp, last[u->step].ret, u->value);
	case UNTIL_RES:
		return read_event_field(&last[u->step], ",\"res\":[", u->event, &v) && compare(u->cmp, v, u->value);
	default:
		return read_event_field(&last[u->step], ",\"res2\":[", u->event, &v) && compare(u->cmp, v, u->value);
	}
}

/* Whether any of a repeat's conditions holds. */
static int any_holds(const struct step *st, const struct outcome *last, long rest)
{
	for (int j = 0; j < st->nuntil; j++)
		if (until_holds(&st->until[j], last, rest))
			return 1;
	return 0;
}

void run_repeat(int i, const struct step *st, body_call_fn *call)
{
	const struct step *body = &body_steps[st->body_at];
	int n = (int)st->n3;
	long rest = st->n2, iterations = 0;
	long totals[MAX_LOOP_BODY] = {0};
	int has_total[MAX_LOOP_BODY] = {0};
	struct outcome last[MAX_LOOP_BODY];
	size_t mark = out_mark();
	int met = 0;
	while (iterations < st->n1 && !met) {
		out_truncate(mark);
		outf(",\"last\":[");
		for (int k = 0; k < n; k++) {
			struct step s = body[k];
			if (s.rest)
				s.n1 = rest;
			size_t at = out_mark();
			call(i, k, &s);
			read_outcome(at, &last[k]);
			/* ring and page write no ret: their totals are null. */
			has_total[k] = last[k].has_ret;
			if (last[k].has_ret && !last[k].err[0]) {
				totals[k] += last[k].ret;
				if (s.rest)
					rest -= last[k].ret;
			}
		}
		outf("]");
		iterations++;
		met = any_holds(st, last, rest);
	}
	/* The loop's own fields go before its last iteration's results. */
	char head[64 + MAX_LOOP_BODY * 24];
	int len = snprintf(head, sizeof head, ",\"iterations\":%ld,\"until_met\":%s", iterations, met ? "true" : "false");
	if (st->n2 > 0)
		len += snprintf(head + len, sizeof head - (size_t)len, ",\"rest\":%ld", rest);
	len += snprintf(head + len, sizeof head - (size_t)len, ",\"ret_total\":[");
	for (int k = 0; k < n; k++)
		len += has_total[k] ? snprintf(head + len, sizeof head - (size_t)len, "%s%ld", k ? "," : "", totals[k])
				    : snprintf(head + len, sizeof head - (size_t)len, "%snull", k ? "," : "");
	snprintf(head + len, sizeof head - (size_t)len, "]");
	out_insert(mark, head);
}
