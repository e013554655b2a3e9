/* observe.c: scenario memory read as the models see it. */
#ifndef OBSERVE_H
#define OBSERVE_H

#include "probe.h"

/* user_reap's result fields: up to max events reaped from the ring at ctx
 * in user space, as libaio does, and its head moved past them. */
void user_reap_fields(uintptr_t ctx, long max);
/* ring's result fields: the header at ctx and its mapping's pages. */
void ring_fields(uintptr_t ctx);

#endif
