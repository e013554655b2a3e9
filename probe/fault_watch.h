/* fault_watch.c: read faults without the zero page, emulated on a kernel
 * that maps it. */
#ifndef FAULT_WATCH_H
#define FAULT_WATCH_H

#include "probe.h"
#include "maps.h"

/*
 * Read faults without the zero page, on a kernel that maps it (FINDINGS 33,
 * 35): a page of ctx's ring id that a syscall read-faulted in now maps the
 * zero page, and writing it back allocates a page and gives its VMA an
 * anon_vma, as the read fault would have on such a kernel. The probe asks
 * mincore rather than assuming which calls read: only pages the kernel
 * really touched change. Nothing else in a scenario faults anonymous memory.
 */
struct fault_watch {
	uintptr_t page[2];
	unsigned char before[2];
	int n;
};

/* This scenario asked for no zero page on a kernel that maps it. */
extern int emulating;
/* Before a syscall that may read ctx's ring id: which of its pages are
 * resident; -1 when one is read-only private memory, whose read fault the
 * emulation cannot make (no write-back), else 0. */
int watch_ctx(struct fault_watch *w, uintptr_t ctx);
/* After it: write back each page the syscall read-faulted in. */
void allocate_read_pages(const struct fault_watch *w);
/* Whether v is read-only private anonymous memory: a read fault there takes
 * no write-back, so the emulation cannot make one (FINDINGS 59). */
int takes_no_write_back(const struct vma *v);
#define NO_WRITE_BACK_REFUSAL \
	"a read fault on read-only private memory cannot be emulated without the zero page (no write-back)"

#endif
