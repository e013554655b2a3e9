/* timing.c: the `time` command, one timing loop. */
#ifndef TIMING_H
#define TIMING_H

int cmd_time(int argc, char **argv);

#endif
