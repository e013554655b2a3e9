/* io.c: the test file and the I/O buffers. */
#ifndef IO_H
#define IO_H

#include "probe.h"

extern int io_fd, bad_fd;
extern char io_buf[MAX_IO_BYTES];
extern struct iocb *iocbs;
extern struct iocb **iocb_ptrs;
extern struct io_event *events;
void setup_io_file(void);
void alloc_buffers(long max_iocbs, long max_events);

#endif
