/* threads.c: the threads of thread_getevents and thread_join steps. */
#ifndef THREADS_H
#define THREADS_H

#include "probe.h"

/* Starts thread `name` in io_getevents(ctx, min_nr, nr, timeout_ns ns, or
 * no timeout when negative) and waits until it sleeps in the kernel (1) or
 * has returned (0); -1, starting nothing, while another thread still waits
 * on the context ctx names. */
int thread_start(int name, uintptr_t ctx, long min_nr, long nr, long timeout_ns);

/* Joins thread `name`: its io_getevents's return value, errno in *err and
 * the events in out[]; *forever set (nothing joined) when it still waits
 * with no timeout. */
long thread_join(int name, struct io_event *out, int *err, int *forever);

/* After a call of the main thread: until every waiting thread sleeps in the
 * kernel again or has returned (a completion may have woken one). */
void threads_settle(void);

#endif
