/* io_submit's control blocks, built from a step. */
#include "iocb.h"
#include "io.h"
#include "out.h"
#include <linux/capability.h>

void fill_iocbs(const struct step *st, long count, int resfd)
{
	int sync = st->cmd == IOCB_CMD_FSYNC || st->cmd == IOCB_CMD_FDSYNC;
	/* A vectored block's buffer is an iovec array, aio_nbytes its segment
	 * count; segment k lies in the I/O buffer right after segment k - 1,
	 * so the segments' bytes are distinct (UIO_MAXIOV segments of at most
	 * MAX_IOV_SEGMENT_BYTES fit in it; one that would not is in an array
	 * the kernel refuses unread, EINVAL, and points at the start). An
	 * unreadable array is one segment at NULL or unmapped. */
	static struct iovec iov[MAX_IOV_SEGMENTS];
	uint64_t buf = (uint64_t)(uintptr_t)io_buf, nbytes = (uint64_t)st->nbytes;
	if (st->iov == IOV_ARRAY) {
		size_t at = 0;
		for (long k = 0; k < st->iov_n; k++) {
			size_t len = iov_lens[st->iov_at + k];
			if (at + len > MAX_IO_BYTES)
				at = 0;
			iov[k] = (struct iovec){io_buf + at, len};
			at += len;
		}
		buf = (uint64_t)(uintptr_t)iov;
		nbytes = (uint64_t)st->iov_n;
	} else if (st->iov != IOV_NONE) {
		buf = st->iov == IOV_NULL ? 0 : BOGUS_ADDR;
		nbytes = 1;
	}
	for (long k = 0; k < count; k++) {
		struct iocb *cb = &iocbs[k];
		memset(cb, 0, sizeof *cb);
		cb->aio_data = (uint64_t)(st->n2 + k);
		cb->aio_lio_opcode = (uint16_t)st->cmd;
		cb->aio_fildes = (uint32_t)io_fds[st->flag];
		cb->aio_flags = (uint32_t)st->aio_flags;
		if (resfd >= 0) {
			cb->aio_flags |= IOCB_FLAG_RESFD;
			cb->aio_resfd = (uint32_t)resfd;
		}
		if (st->ioprio != IOPRIO_NONE) {
			cb->aio_flags |= IOCB_FLAG_IOPRIO;
			cb->aio_reqprio = (int16_t)(uint16_t)st->ioprio;
		}
		if (!sync) /* a sync block carries no buffer */
			cb->aio_buf = buf;
		cb->aio_nbytes = nbytes;
		cb->aio_offset = st->offset;
		cb->aio_rw_flags = (int)(uint32_t)st->rw_flags;
		iocb_ptrs[k] = cb;
	}
}

int rt_capable(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0)
		die_probe("capget: %s", strerror(errno));
	return (d[0].effective & (1u << CAP_SYS_ADMIN | 1u << CAP_SYS_NICE)) != 0;
}
