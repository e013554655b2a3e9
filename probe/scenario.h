/* scenario.c: the scenario commands. */
#ifndef SCENARIO_H
#define SCENARIO_H

int cmd_scenario(void);
int cmd_scenarios(int argc, char **argv);

#endif
