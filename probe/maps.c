/* /proc/self/maps: which mapping holds an address, and is it a ring. */
#include "probe.h"

static char maps_buf[1 << 22];

/* Finds the VMA holding addr in /proc/self/maps; 0 if found. */
int find_vma(uintptr_t addr, struct vma *v)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		die_probe("cannot open /proc/self/maps: %s", strerror(errno));
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, maps_buf + len, sizeof maps_buf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_probe("cannot read /proc/self/maps: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof maps_buf - 1)
			die_probe("/proc/self/maps larger than %zu bytes", len);
	}
	close(fd);
	maps_buf[len] = 0;
	for (char *line = maps_buf; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		unsigned long s, e;
		int path_off = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &s, &e,
			   &path_off) >= 2 &&
		    addr >= s && addr < e) {
			v->start = s;
			v->end = e;
			/* Rings are files of the internal aio filesystem: shown as
			 * "/[aio] (deleted)" on 6.18. */
			v->is_aio = path_off > 0 &&
				    strncmp(line + path_off, "/[aio]", 6) == 0;
			return 0;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}
