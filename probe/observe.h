/* observe.c: scenario memory read as the models see it. */
#ifndef OBSERVE_H
#define OBSERVE_H

#include "probe.h"

/* user_reap's result fields: up to max events reaped from the ring at ctx
 * in user space, as libaio does, and its head moved past them. */
void user_reap_fields(uintptr_t ctx, long max);
/* store_head's and store_event's result fields: the len bytes at addr
 * stored, if ring pages hold them all (EFAULT: unmapped or past the ring;
 * EINVAL: other memory, which a scenario never writes). */
void store_fields(uintptr_t addr, const void *buf, size_t len);
/* ring_events's result fields: count events from slot on at ctx, no wrap. */
void ring_events_fields(uintptr_t ctx, long slot, long count);
/* ring's result fields: the header at ctx and its mapping's pages. */
void ring_fields(uintptr_t ctx);

#endif
