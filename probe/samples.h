/* samples.c: a timing loop's parameters and what it reports, the loop's
 * JSON line with its samples of ns per call, event or op. */
#ifndef SAMPLES_H
#define SAMPLES_H

#include "probe.h"

struct params {
	long iterations, samples, timeout_ns, min_nr, batch, contexts, nr;
};

extern double sample_ns[1000];
/* Opens the loop's JSON line: loop, unit, iterations, kernel release. */
void timing_header(const char *loop, const char *unit, const struct params *p);
/* Closes it with the samples. */
void timing_samples(const struct params *p);

#endif
