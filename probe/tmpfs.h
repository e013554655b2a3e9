/* tmpfs.c: the test file on a tmpfs of the scenario's size. */
#ifndef TMPFS_H
#define TMPFS_H

/* Moves the test file (every descriptor kind of io.h, at the numbers it
 * has) onto a new tmpfs of `bytes` bytes, holding 16 KiB as the memfd does. */
void use_tmpfs(long bytes);

#endif
