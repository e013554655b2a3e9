/* io.c: the test file and the I/O buffers. */
#ifndef IO_H
#define IO_H

#include "probe.h"

/* io_submit's file (step flag), in the order of assembly/abi/codes.ts
 * (FD_RDWR ... FD_APPEND) and of the wire's words (fd_words). */
enum { FD_RDWR, FD_BAD, FD_RDONLY, FD_WRONLY, FD_APPEND, FD_KINDS };
/* The descriptor of each kind (FD_BAD: a number no file is open on). */
extern int io_fds[FD_KINDS];
extern char io_buf[MAX_IO_BYTES];
extern struct iocb *iocbs;
extern struct iocb **iocb_ptrs;
extern struct io_event *events;
void setup_io_file(void);
void alloc_buffers(long max_iocbs, long max_events);

#endif
