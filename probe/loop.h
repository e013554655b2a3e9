/* loop.c: a repeat step, its body run up to its times, until its condition holds. */
#ifndef LOOP_H
#define LOOP_H

#include "wire.h"

/* Runs body call st (a copy, its "rest" count filled in) of repeat step i,
 * writing its result object numbered k in the body (scenario.c). */
typedef void body_call_fn(int i, int k, const struct step *st);

/* Writes repeat step i's result fields (its head is written): the
 * iterations, whether until held, the blocks left, each body call's rets
 * summed, and the last iteration's results. */
void run_repeat(int i, const struct step *st, body_call_fn *call);

#endif
