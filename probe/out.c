/* JSON output of the probe (buffered, written in one go) and errno and
 * signal names. */
#include "out.h"

static char *out;
static size_t out_len, out_cap;

void outf(const char *fmt, ...)
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

void out_json_string(const char *s)
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

void out_discard(void)
{
	out_len = 0;
}

size_t out_mark(void)
{
	return out_len;
}

char out_peek(size_t at)
{
	return at < out_len ? out[at] : 0;
}

const char *out_since(size_t mark, size_t *len)
{
	*len = mark < out_len ? out_len - mark : 0;
	return out + mark;
}

void out_insert(size_t mark, const char *text)
{
	size_t n = strlen(text), tail = out_len - mark;
	outf("%s", text); /* grows the buffer by n; the bytes are moved into place below */
	memmove(out + mark + n, out + mark, tail);
	memcpy(out + mark, text, n);
}

void out_truncate(size_t mark)
{
	if (mark < out_len)
		out_len = mark;
}

void flush_out(void)
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

void die_probe(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	out_discard();
	outf("{\"probe_error\":");
	out_json_string(msg);
	outf("}\n");
	flush_out();
	exit(1);
}

/* ---------- errno names ---------- */

const char *errno_name(int e)
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
	case EFBIG: return "EFBIG";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ETIME: return "ETIME";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECANCELED: return "ECANCELED";
	case EOVERFLOW: return "EOVERFLOW";
	case EINPROGRESS: return "EINPROGRESS";
	default:
		snprintf(buf, sizeof buf, "ERRNO_%d", e);
		return buf;
	}
}

const char *signal_name(int sig)
{
	static char buf[32];
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, sizeof buf, "SIG%s", abbrev);
	else
		snprintf(buf, sizeof buf, "SIG%d", sig);
	return buf;
}
