/* iocb.c: io_submit's control blocks, built from a step. */
#ifndef IOCB_H
#define IOCB_H

#include "wire.h"

/* Fills iocbs[0..count) and iocb_ptrs from the step: its file, opcode,
 * user data, flags and priority, and its buffer or iovec array (a sync
 * block carries none). `resfd`: the descriptor IOCB_FLAG_RESFD names, or
 * -1 for none. The step's NULL and unmapped entries are not set here. */
void fill_iocbs(const struct step *st, long count, int resfd);

/* Whether the probe may give a block class RT: CAP_SYS_ADMIN or
 * CAP_SYS_NICE, which the models take the process to hold. */
int rt_capable(void);

#endif
