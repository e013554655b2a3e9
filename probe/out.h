/* out.c: the output buffer (written out in one go at the end), errno and
 * signal names. */
#ifndef OUT_H
#define OUT_H

#include "probe.h"

void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_json_string(const char *s);
void out_discard(void); /* drops what is buffered, for an error line instead */
size_t out_mark(void);   /* bytes buffered now */
void out_truncate(size_t mark); /* back to an earlier mark */
void out_insert(size_t mark, const char *text); /* text put in at an earlier mark */
char out_peek(size_t at);       /* a buffered byte, 0 past the end */
const char *out_since(size_t mark, size_t *len); /* what was buffered after a mark */
void flush_out(void);
/* {"probe_error":msg} as the only output, exit 1. */
__attribute__((noreturn, format(printf, 1, 2))) void die_probe(const char *fmt, ...);
const char *errno_name(int e);
const char *signal_name(int sig);

#endif
