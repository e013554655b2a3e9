/* sys.c: machine facts, memory access that never faults. */
#ifndef SYS_H
#define SYS_H

#include "probe.h"

extern long page_size;
long read_long_file(const char *path);
int possible_cpus(void);
void pin_one_cpu(void);
/* f(arg) with SIGSEGV and SIGBUS caught: 0, or the signal that stopped it. */
int catching_faults(void (*f)(void *), void *arg);
int safe_read(uintptr_t addr, void *buf, size_t len);
int safe_write(uintptr_t addr, const void *buf, size_t len);
size_t read_all(int fd, char *buf, size_t cap, const char *what);
pid_t fork_piped(int p[2]);

#endif
