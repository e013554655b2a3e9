/* maps.c: the process's mappings, from /proc/self/maps. */
#ifndef MAPS_H
#define MAPS_H

#include "probe.h"

struct vma {
	uintptr_t start, end;
	int is_aio;
	unsigned long inode; /* of the mapped file; each ring has its own */
	int writable;        /* perms .w.. */
	int shared_anon;     /* MAP_SHARED anonymous memory: a shmem object, "/dev/zero (deleted)" */
	int readable;        /* perms r..., or .w.. (x86-64 reads a writable page) */
	int is_file;         /* a mapping of the test file (io_fds[FD_RDWR]'s inode), shared or private */
};

/* Finds the VMA holding addr in /proc/self/maps; 0 if found. */
int find_vma(uintptr_t addr, struct vma *v);
/* If the page at addr is the scenario's anonymous memory or a mapping of
 * the test file (private or shared, any protection, below the fence page),
 * 1, *end the end of that run of it and *vma its VMA; else 0. What fill and
 * peek reach, as the models' anonymous and file VMAs (an access there may
 * still fault: PROT_NONE, a write to read-only memory, a shared page past
 * its object's end, a file page past the file's last page). */
int scenario_anon(uintptr_t addr, uintptr_t *end, struct vma *vma);
/* Whether v maps the test file (its inode is io_fds[FD_RDWR]'s). */
int maps_test_file(const struct vma *v);
/* Finds a VMA mapping the ring file with this inode; 0 if found. */
int find_ring_vma(unsigned long inode, struct vma *v);
/* Makes the kernel place the scenario's mappings as the models do (maps.c). */
void place_like_the_models(void);
/* The highest address below the fence that is an odd multiple of align
 * pages with pages pages free from it (src/model/mm.ts alignedArea), 0 for
 * none: an mmap step's align. */
uintptr_t aligned_area(long pages, long align);
/* 1 if a read fault on private anonymous memory maps the zero page, 0 if it allocates. */
int zero_page_reads(void);

#endif
