/*
 * The test file on a tmpfs of a scenario's size (its wire's "tmpfs BYTES"
 * line) instead of the memfd, whose space has no limit. The mount is a
 * detached one (fsopen, fsmount): no path reaches it, nothing outside the
 * scenario's process sees it, and it goes when the process's descriptors
 * close. It needs CAP_SYS_ADMIN; without it the scenario is refused.
 * huge=never: a page at a time, the way the models count (FINDINGS 49).
 */
#include "tmpfs.h"
#include "io.h"
#include "out.h"
#include <linux/mount.h>

static void configure(int fs, const char *key, const char *value)
{
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, value, 0) != 0)
		die_probe("tmpfs_bytes: the tmpfs refuses %s=%s: %s", key, value, strerror(errno));
}

void use_tmpfs(long bytes)
{
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		die_probe("tmpfs_bytes: cannot mount a tmpfs for the test file (fsopen: %s): "
			  "it needs CAP_SYS_ADMIN, run the probe as root", strerror(errno));
	char size[32];
	snprintf(size, sizeof size, "%ld", bytes);
	configure(fs, "size", size);
	configure(fs, "huge", "never");
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) != 0)
		die_probe("tmpfs_bytes: creating the tmpfs: %s", strerror(errno));
	int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		die_probe("tmpfs_bytes: fsmount: %s", strerror(errno));
	close(fs);
	int fds[FD_KINDS];
	fds[FD_RDWR] = openat(mnt, "file", O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fds[FD_RDWR] < 0)
		die_probe("tmpfs_bytes: creating the test file: %s", strerror(errno));
	static const char zeros[FILE_BYTES];
	if (write(fds[FD_RDWR], zeros, sizeof zeros) != (ssize_t)sizeof zeros)
		die_probe("tmpfs_bytes: writing the 16 KiB test file: %s", strerror(errno));
	open_modes(mnt, "file", fds);
	close(mnt);
	/* The same numbers as the memfd's: FD_BAD's stays free. */
	for (int k = 0; k < FD_KINDS; k++) {
		if (k == FD_BAD)
			continue;
		if (fds[k] < 0 || io_fds[k] < 0) {
			if (io_fds[k] >= 0)
				close(io_fds[k]);
			io_fds[k] = fds[k];
		} else if (dup2(fds[k], io_fds[k]) < 0) {
			die_probe("tmpfs_bytes: dup2: %s", strerror(errno));
		} else {
			close(fds[k]);
		}
	}
}
