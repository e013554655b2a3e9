/* /proc/self/maps: which mapping holds an address, is it a ring, and which
 * ring file (inode) it maps. */
#include "probe.h"

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
		int path_off = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %lu %n", &s, &e, &inode,
			   &path_off) >= 3) {
			struct vma v = {s, e, 0, inode};
			/* Rings are files of the internal aio filesystem: shown as
			 * "/[aio] (deleted)" on 6.18. */
			v.is_aio = path_off > 0 &&
				   strncmp(line + path_off, "/[aio]", 6) == 0;
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

/* Finds a VMA mapping the ring file with this inode; 0 if found. */
int find_ring_vma(unsigned long inode, struct vma *v)
{
	return each_vma(maps_ring, &inode, v);
}
