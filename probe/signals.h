/* signals.c: SIGUSR1 for io_pgetevents steps (FINDINGS 37). */
#ifndef SIGNALS_H
#define SIGNALS_H

#include "wire.h"

/* SIGUSR1 handler runs so far: a step compares before and after. */
extern volatile sig_atomic_t usr1_handled;
void setup_signals(void);
/* SIGUSR1 is pending (raised while blocked). */
int usr1_pending(void);
/* io_getevents, or io_pgetevents with the step's signal argument. */
long getevents_call(const struct step *st, uintptr_t ctx, struct io_event *ev, struct timespec *ts);

#endif
