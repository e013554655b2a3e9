/* Emulated read faults without the zero page (see fault_watch.h). */
#include "fault_watch.h"
#include "maps.h"
#include "out.h"
#include "sys.h"

int emulating;

int watch_ctx(struct fault_watch *w, uintptr_t ctx)
{
	w->n = 0;
	if (!emulating)
		return 0;
	uintptr_t first = ctx & ~(uintptr_t)(page_size - 1);
	uintptr_t last = (ctx + sizeof(unsigned) - 1) & ~(uintptr_t)(page_size - 1);
	int refused = 0;
	for (uintptr_t pg = first; w->n < 2; pg = last) {
		struct vma v;
		/* ENOMEM (nothing mapped) counts as resident: nothing to allocate there. */
		if (mincore((void *)pg, (size_t)page_size, &w->before[w->n]) != 0)
			w->before[w->n] = 1;
		if (!(w->before[w->n] & 1) && find_vma(pg, &v) == 0 && takes_no_write_back(&v))
			refused = -1;
		w->page[w->n++] = pg;
		if (pg == last)
			break;
	}
	return refused;
}

void allocate_read_pages(const struct fault_watch *w)
{
	int saved = errno; /* the syscall's, for its result */
	for (int k = 0; k < w->n; k++) {
		unsigned char now;
		struct vma v;
		unsigned char byte;
		if (w->before[k] & 1 || mincore((void *)w->page[k], (size_t)page_size, &now) != 0 || !(now & 1))
			continue;
		if (find_vma(w->page[k], &v) != 0 || v.is_aio || v.inode != 0)
			continue;
		if (safe_read(w->page[k], &byte, 1) != 0 || safe_write(w->page[k], &byte, 1) != 0)
			die_probe("cannot write back the page at %#lx: %s", (unsigned long)w->page[k], strerror(errno));
	}
	errno = saved;
}

int takes_no_write_back(const struct vma *v)
{
	return !v->is_aio && v->inode == 0 && v->readable && !v->writable;
}
