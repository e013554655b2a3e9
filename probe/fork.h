/* fork.c: the forked child of a fork, fork_mremap or fork_calls step. */
#ifndef FORK_H
#define FORK_H

#include "wire.h"

/* A child's exit status when it met a scenario error: it has printed the
 * whole document itself, and its parent ends without a word. */
#define FORK_SCENARIO_ERROR 4

/* In a forked child: 1; and in a fork_calls child, the call running now
 * (a scenario error names its field "calls.K.FIELD"), else -1. */
extern int in_fork_child, fork_call;

/* Runs body(i, st) in a forked child, which then exits, and appends what
 * it printed to this process's output. */
void run_forked(int i, const struct step *st, void (*body)(int, const struct step *));

#endif
