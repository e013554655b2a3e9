/* aio_nr.c: the machine's aio-nr as a scenario run sees it. */
#ifndef AIO_NR_H
#define AIO_NR_H

#include "probe.h"

/* aio-nr now; what the run's own calls are counted from. */
long aio_nr_start(void);
/* After each step; `accounts`: a step that sets up or frees contexts. */
void aio_nr_after_step(int accounts);
/* ,"aio_nr_moved":N into the answer, when some step found it moved. */
void out_aio_nr_moved(void);

#endif
