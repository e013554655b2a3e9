/* Scenario memory read the way the models see it: libaio-style reaping
 * from a mapped ring and a ring header's fields. */
#include "observe.h"
#include "io.h"
#include "maps.h"
#include "out.h"
#include "sys.h"

/*
 * Reads scenario memory the way the models see it. Anonymous memory is
 * read only where a page is resident (written by fill, or read-faulted in
 * by a step); a page that is not reads as zeros and is not touched: a read
 * fault on kernels that map no zero page (the host's 6.18.44-fc-v1272)
 * allocates a page and gives the VMA an anon_vma, which changes how its
 * pieces merge after a move (FINDINGS 33); an observation must not change
 * what it observes. `seen` caches the VMA looked up last within one step.
 */
static int observe(uintptr_t addr, void *buf, size_t len, struct vma *seen)
{
	if (!(addr >= seen->start && addr + len <= seen->end) &&
	    find_vma(addr, seen) != 0)
		*seen = (struct vma){0};
	/* PROT_NONE memory faults, resident or not (its pages never are). */
	if (seen->end > seen->start && !seen->readable)
		return -1;
	if (seen->end > seen->start && !seen->is_aio && seen->inode == 0 &&
	    addr + len <= seen->end) {
		for (size_t done = 0; done < len;) {
			uintptr_t at = addr + done;
			uintptr_t page = at & ~(uintptr_t)(page_size - 1);
			size_t part = (size_t)(page + (uintptr_t)page_size - at);
			unsigned char resident;
			if (part > len - done)
				part = len - done;
			if (mincore((void *)page, (size_t)page_size, &resident) != 0)
				return -1;
			if (!(resident & 1))
				memset((char *)buf + done, 0, part);
			else if (safe_read(at, (char *)buf + done, part) != 0)
				return -1;
			done += part;
		}
		return 0;
	}
	return safe_read(addr, buf, len);
}

void user_reap_fields(uintptr_t ctx, long max)
{
	struct ring_header h;
	struct vma seen = {0};
	if (observe(ctx, &h, sizeof h, &seen) != 0) {
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
	while (n < max && head != h.tail) {
		uintptr_t at = ctx + sizeof h + (uintptr_t)head * sizeof(struct io_event);
		if (observe(at, &events[n], sizeof events[n], &seen) != 0) {
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

void ring_fields(uintptr_t ctx)
{
	struct ring_header h;
	struct vma v = {0};
	if (observe(ctx, &h, sizeof h, &v) != 0 || find_vma(ctx, &v) != 0) {
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

void store_fields(uintptr_t addr, const void *buf, size_t len)
{
	struct vma a, b;
	char probe_byte;
	const char *err = NULL;
	if (find_vma(addr, &a) != 0 || find_vma(addr + len - 1, &b) != 0)
		err = "EFAULT";
	else if (!a.is_aio || !b.is_aio)
		err = "EINVAL";
	/* A ring page past its file faults: test both ends before any byte is
	 * written, as the models do (nothing stored on a fault). */
	else if (safe_read(addr, &probe_byte, 1) != 0 ||
		 safe_read(addr + len - 1, &probe_byte, 1) != 0 ||
		 safe_write(addr, buf, len) != 0)
		err = "EFAULT";
	if (err)
		outf(",\"ret\":-1,\"errno\":\"%s\"", err);
	else
		outf(",\"ret\":0,\"errno\":null");
}

void ring_events_fields(uintptr_t ctx, long slot, long count)
{
	struct vma seen = {0};
	for (long k = 0; k < count; k++) {
		uintptr_t at = ctx + sizeof(struct ring_header) +
			       (uintptr_t)(slot + k) * sizeof(struct io_event);
		if (observe(at, &events[k], sizeof events[k], &seen) != 0) {
			outf(",\"ret\":-1,\"errno\":\"EFAULT\",\"data\":[],\"res\":[],\"res2\":[]");
			return;
		}
	}
	outf(",\"ret\":%ld,\"errno\":null", count);
	out_events(count, 1);
}
