/* A timing loop's JSON line: its parameters, the kernel, its samples. */
#include "samples.h"
#include "out.h"

double sample_ns[1000];

void timing_header(const char *loop, const char *unit, const struct params *p)
{
	struct utsname u;
	uname(&u);
	outf("{\"loop\":\"%s\",\"unit\":\"%s\",\"iterations\":%ld,\"kernel\":",
	     loop, unit, p->iterations);
	out_json_string(u.release);
}

void timing_samples(const struct params *p)
{
	outf(",\"samples\":[");
	for (long s = 0; s < p->samples; s++)
		outf("%s%.3f", s ? "," : "", sample_ns[s]);
	outf("]}\n");
}
