/* The scenario commands (supervise.c) and the child that runs one
 * scenario's steps (scenario.c). */
#ifndef SCENARIO_H
#define SCENARIO_H

/* Runs the parsed scenario's steps, writing *progress before each, and
 * exits; zero_page says whether read faults map the zero page here. */
void run_scenario_child(volatile int *progress, int zero_page);

int cmd_scenario(void);
int cmd_scenarios(int argc, char **argv);

#endif
