/* /proc/self/maps: which mapping holds an address, is it a ring, and which
 * ring file (inode) it maps. */
#include "maps.h"
#include "io.h"
#include "out.h"
#include "sys.h"
#include <sys/stat.h>

static char maps_buf[1 << 22];

static void read_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		die_probe("cannot open /proc/self/maps: %s", strerror(errno));
	read_all(fd, maps_buf, sizeof maps_buf, "/proc/self/maps");
	close(fd);
}

/* Calls match(v, arg) for each VMA until it returns non-zero; 0 if found. */
static int each_vma(int (*match)(const struct vma *, const void *), const void *arg,
		    struct vma *out)
{
	read_maps();
	for (char *line = maps_buf; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		unsigned long s, e, inode;
		char perms[5] = "";
		int path_off = 0;
		if (sscanf(line, "%lx-%lx %4s %*s %*s %lu %n", &s, &e, perms, &inode,
			   &path_off) >= 4) {
			struct vma v = {.start = s, .end = e, .inode = inode, .writable = perms[1] == 'w'};
			/* Rings are files of the internal aio filesystem: shown as
			 * "/[aio] (deleted)" on 6.18. */
			v.is_aio = path_off > 0 &&
				   strncmp(line + path_off, "/[aio]", 6) == 0;
			/* x86-64 has no write-only page: PROT_WRITE alone reads too (FINDINGS 62). */
			v.readable = perms[0] == 'r' || v.writable;
			/* shmem_zero_setup's file, on 6.1, 6.12 and 6.18 alike. */
			v.shared_anon = perms[3] == 's' && path_off > 0 &&
					strncmp(line + path_off, "/dev/zero", 9) == 0;
			if (match(&v, arg)) {
				*out = v;
				return 0;
			}
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}

static int holds(const struct vma *v, const void *addr)
{
	return *(const uintptr_t *)addr >= v->start && *(const uintptr_t *)addr < v->end;
}

static int maps_ring(const struct vma *v, const void *inode)
{
	return v->is_aio && v->inode == *(const unsigned long *)inode;
}

/* Finds the VMA holding addr in /proc/self/maps; 0 if found. */
int find_vma(uintptr_t addr, struct vma *v)
{
	return each_vma(holds, &addr, v);
}

/* The fence page place_like_the_models put above the scenario's mappings:
 * what lies at and above it is the probe's, never the scenario's. */
static uintptr_t fence_page = UINTPTR_MAX;

int maps_test_file(const struct vma *v)
{
	struct stat file;
	if (fstat(io_fds[FD_RDWR], &file) != 0)
		die_probe("fstat of the test file: %s", strerror(errno));
	return !v->is_aio && v->inode == (unsigned long)file.st_ino;
}

int scenario_anon(uintptr_t addr, uintptr_t *end, struct vma *vma)
{
	struct vma v;
	if (addr >= fence_page || find_vma(addr, &v) != 0 || v.is_aio)
		return 0;
	v.is_file = maps_test_file(&v);
	if (v.inode != 0 && !v.shared_anon && !v.is_file)
		return 0;
	*end = v.end < fence_page ? v.end : fence_page;
	*vma = v;
	return 1;
}

/* Finds a VMA mapping the ring file with this inode; 0 if found. */
int find_ring_vma(unsigned long inode, struct vma *v)
{
	return each_vma(maps_ring, &inode, v);
}

/*
 * The kernel puts a mapping without an address in the highest gap below the
 * mmap base that fits it: next to the probe's own libraries and buffers,
 * which differ between builds, kernels and runs. A scenario's first mapping
 * could land in a small gap there, or merge with memory the probe has
 * written and take its anon_vma (which pins a moved piece's page offset, so
 * it never merges at its new place: FINDINGS 33). The models place the first
 * mapping below nothing at all. So: every gap above the large free area
 * (the ones a top-down search meets first) but the stack's is plugged with
 * inaccessible, unreserved address space, and a fence page goes at the top
 * of the free area; the scenario's mappings (and rings) then follow one
 * another down from the fence, as in the models. Gaps below the free area
 * are never reached and stay open: the "bogus" address lies in one when the
 * probe is static and its heap sits low (the guest's probe).
 */
#define MAX_GAPS 1024
void place_like_the_models(void)
{
	static uintptr_t gap_start[MAX_GAPS], gap_end[MAX_GAPS];
	int n = 0, largest = -1;
	uintptr_t prev_end = 0;
	read_maps();
	for (char *line = maps_buf; *line;) {
		char *nl = strchr(line, '\n');
		unsigned long s, e;
		if (sscanf(line, "%lx-%lx", &s, &e) == 2) {
			if (nl)
				*nl = 0;
			/* The stack's gap stays for it to grow into; above it
			 * is no user address space. */
			if (strstr(line, "[stack]"))
				break;
			if (prev_end && s > prev_end) {
				if (n == MAX_GAPS)
					die_probe("more than %d gaps in /proc/self/maps", MAX_GAPS);
				gap_start[n] = prev_end;
				gap_end[n] = s;
				if (largest < 0 || s - prev_end > gap_end[largest] - gap_start[largest])
					largest = n;
				n++;
			}
			if (e > prev_end)
				prev_end = e;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (largest < 0)
		die_probe("no free area in /proc/self/maps");
	const int prot = PROT_NONE;
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	for (int i = largest + 1; i < n; i++) {
		void *at = (void *)gap_start[i];
		if (mmap(at, gap_end[i] - gap_start[i], prot, flags | MAP_FIXED_NOREPLACE, -1, 0) != at)
			die_probe("cannot plug the gap at %#lx: %s", (unsigned long)gap_start[i], strerror(errno));
	}
	/* The fence starts at a multiple of twice the largest align, as the
	 * models' ceiling does: an aligned mmap (aligned_area) then lands
	 * where theirs does, and so does every mapping after it. */
	const uintptr_t unit = 2 * (uintptr_t)MAX_ALIGN_PAGES * (uintptr_t)page_size;
	uintptr_t fence = (gap_end[largest] - (uintptr_t)page_size) & ~(unit - 1);
	if (fence <= gap_start[largest])
		die_probe("the free area below %#lx holds no %#lx boundary", (unsigned long)gap_end[largest],
			  (unsigned long)unit);
	if (mmap((void *)fence, gap_end[largest] - fence, prot, flags | MAP_FIXED_NOREPLACE, -1, 0) != (void *)fence)
		die_probe("cannot place the fence at %#lx: %s", (unsigned long)fence, strerror(errno));
	fence_page = fence;
}

/* The models' floor (mmap_min_addr), src/model/mm.ts MMAP_FLOOR_PAGE. */
#define FLOOR_ADDR 0x10000ul

uintptr_t aligned_area(long pages, long align)
{
	const uintptr_t len = (uintptr_t)pages * (uintptr_t)page_size;
	const uintptr_t unit = (uintptr_t)align * (uintptr_t)page_size;
	uintptr_t best = 0, prev_end = FLOOR_ADDR;
	read_maps();
	for (char *line = maps_buf; *line && prev_end < fence_page;) {
		char *nl = strchr(line, '\n');
		unsigned long s, e;
		if (sscanf(line, "%lx-%lx", &s, &e) == 2) {
			uintptr_t top = s < fence_page ? s : fence_page;
			if (top > prev_end && top - prev_end >= len) {
				/* The highest odd multiple of unit at or below top - len. */
				uintptr_t m = (top - len) / unit;
				if (m % 2 == 0)
					m--;
				if (m != UINTPTR_MAX && m * unit >= prev_end)
					best = m * unit;
			}
			if (e > prev_end)
				prev_end = e;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return best;
}

/*
 * Whether a read fault on private anonymous memory maps the shared zero page
 * (1) or allocates a page, giving the VMA an anon_vma (0; FINDINGS 33): one
 * byte of a fresh read-write page is read, then smaps tells its Rss, which
 * counts an allocated page and not the zero page. The page is a VMA of its
 * own, between two inaccessible pages, so that it merges with nothing.
 */
int zero_page_reads(void)
{
	char *m = mmap(NULL, 3 * (size_t)page_size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die_probe("zero page check: mmap: %s", strerror(errno));
	char *page = m + page_size;
	if (mprotect(page, (size_t)page_size, PROT_READ | PROT_WRITE) != 0)
		die_probe("zero page check: mprotect: %s", strerror(errno));
	(void)*(volatile char *)page;
	int fd = open("/proc/self/smaps", O_RDONLY);
	if (fd < 0)
		die_probe("cannot open /proc/self/smaps: %s", strerror(errno));
	read_all(fd, maps_buf, sizeof maps_buf, "/proc/self/smaps");
	close(fd);
	char head[32];
	snprintf(head, sizeof head, "%lx-", (unsigned long)page);
	const char *at = maps_buf;
	while ((at = strstr(at, head)) && at != maps_buf && at[-1] != '\n')
		at++;
	const char *rss = at ? strstr(at, "\nRss:") : NULL;
	long kb = -1;
	if (!rss || sscanf(rss + 5, "%ld", &kb) != 1 || kb < 0)
		die_probe("zero page check: no Rss for %#lx in /proc/self/smaps", (unsigned long)page);
	munmap(m, 3 * (size_t)page_size);
	return kb == 0;
}
