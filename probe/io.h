/* io.c: the test file and the I/O buffers. */
#ifndef IO_H
#define IO_H

#include "probe.h"

/* io_submit's file (step flag), in the order of assembly/abi/codes.ts
 * (FD_RDWR ... FD_DIRECT) and of the wire's words (fd_words). */
enum { FD_RDWR, FD_BAD, FD_RDONLY, FD_WRONLY, FD_APPEND, FD_DIRECT, FD_KINDS };
/* The descriptor of each kind (FD_BAD: a number no file is open on;
 * FD_DIRECT: -1 where the file takes no O_DIRECT, direct_errno saying why). */
extern int io_fds[FD_KINDS];
extern int direct_errno;
/* The eventfd each sync block's completion signals (IOCB_FLAG_RESFD). */
extern int sync_efd;
extern char io_buf[MAX_IO_BYTES];
extern struct iocb *iocbs;
extern struct iocb **iocb_ptrs;
extern struct io_event *events;
void setup_io_file(void);
/* The first n of `events` as a result carries them: ,"data":[...],"res":[...]
 * and, with res2, ,"res2":[...]. */
void out_events(long n, int res2);
/* The file at dir/path (openat) opened again in each mode but read-write
 * into fds[FD_RDONLY ... FD_DIRECT]: an open that fails dies, but for
 * O_DIRECT's, which leaves -1 and its errno in direct_errno. */
void open_modes(int dir, const char *path, int *fds);
/* Why a step cannot submit on fd "direct" here (FD_DIRECT is -1). */
const char *direct_refusal(void);
/* Waits until the n sync blocks an io_submit took have completed: the
 * kernel completes them from a workqueue, after the call returns, and the
 * models at once (FINDINGS 43). Dies after a few seconds; keeps errno. */
void await_sync_blocks(long n);
/* A scenario's eventfd's counter, read without changing it. */
uint64_t eventfd_count(int efd);
/* await_sync_blocks for sync blocks that signal a scenario's eventfd: waits
 * until its counter reaches `target`, leaving the counter as the kernel made it. */
void await_eventfd_count(int efd, uint64_t target);
void alloc_buffers(long max_iocbs, long max_events);

#endif
