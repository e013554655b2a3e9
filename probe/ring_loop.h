/* ring_loop.c: the native C ring loops, anchors of the WASM core. */
#ifndef RING_LOOP_H
#define RING_LOOP_H

#include "samples.h"

void loop_ring(const struct params *p);
void loop_ring_getevents(const struct params *p);

#endif
