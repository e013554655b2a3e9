/* Scenario supervision: each scenario runs in a forked child
 * (run_scenario_child, scenario.c) under a per-step watchdog; the parent
 * reports what the child printed, or how it died. */
#include "scenario.h"
#include "io.h"
#include "maps.h"
#include "out.h"
#include "sys.h"
#include "wire.h"
#include <sys/time.h>

static volatile int *progress; /* shared with the child: step running now */
static int zero_page; /* zero_page_reads(), measured once before any child runs */

#ifndef SCENARIO_SECONDS
#define SCENARIO_SECONDS 60 /* watchdog: how long one step may run */
#endif
/* The watchdog is per step, not per scenario: the parent looks at the
 * child's progress once a second and kills it only when one step has run
 * longer than `seconds` plus its own io_getevents timeout. A long scenario
 * that keeps moving (thousands of io_destroy calls, each waiting for an RCU
 * grace period) runs to the end; a step that hangs is named. */
static volatile sig_atomic_t alarm_rang, watchdog_fired;
static int watched_step, stalled_limit;
static struct timespec watched_since;

static void on_alarm(int sig)
{
	(void)sig;
	alarm_rang = 1;
}

/* A step's own io_getevents timeouts in seconds, a repeat's body counted its times over. */
static double timeout_seconds(const struct step *st)
{
	if (st->op == OP_REPEAT) {
		double body = 0;
		for (int k = 0; k < st->n3; k++)
			body += timeout_seconds(&body_steps[st->body_at + k]);
		return body * (double)st->n1;
	}
	/* A join may wait out its thread's timeout. */
	if (st->op == OP_THREAD_JOIN)
		return MAX_THREAD_TIMEOUT_NS / 1e9;
	if ((st->op != OP_IO_GETEVENTS && st->op != OP_IO_PGETEVENTS) || st->flag != TIMEOUT_NS || st->n3 <= 0)
		return 0;
	return (double)st->n3 / 1e9;
}

/* Seconds the step may run: the watchdog's plus the step's own timeouts
 * (a repeat as a whole gets the watchdog's once). */
static int step_limit(int seconds, int i)
{
	if (i < 0 || i >= nsteps)
		return seconds;
	const struct step *st = &steps[i];
	if (st->op == OP_FORK_CALLS) {
		/* Its child waits out each of its calls' timeouts. */
		long ns = 0;
		for (long k = 0; k < st->n1; k++) {
			const struct step *c = &child_steps[st->n2 + k];
			if (c->op == OP_IO_GETEVENTS && c->flag == TIMEOUT_NS && c->n3 > 0)
				ns += c->n3;
		}
		return seconds + (int)((ns + 999999999L) / 1000000000L);
	}
	double t = timeout_seconds(st);
	if (t > 86400)
		return seconds + 86400;
	return seconds + (int)t + (t > (int)t); /* rounded up */
}

/* A tick every second until stopped: a tick that lands outside a wait is
 * not lost, the next one interrupts the wait. */
static void watchdog_ticks(int on)
{
	struct itimerval it = {{on, 0}, {on, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static void watchdog_start(void)
{
	alarm_rang = 0;
	watchdog_fired = 0;
	watched_step = *progress;
	clock_gettime(CLOCK_MONOTONIC, &watched_since);
	watchdog_ticks(1);
}

/* After an interrupted wait: whether the step under way ran too long. */
static int watchdog_due(int seconds)
{
	if (!alarm_rang)
		return watchdog_fired;
	alarm_rang = 0;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int step = *progress;
	if (step != watched_step) {
		watched_step = step;
		watched_since = now;
	} else if (now.tv_sec - watched_since.tv_sec >= step_limit(seconds, step)) {
		stalled_limit = step_limit(seconds, step);
		watchdog_fired = 1;
		return 1;
	}
	return 0;
}

static void report_killed(int status)
{
	char msg[200];
	if (watchdog_fired)
		snprintf(msg, sizeof msg,
			 "the step did not finish within %d s on the live kernel",
			 stalled_limit);
	else
		snprintf(msg, sizeof msg,
			 "the scenario process was killed by %s (the step "
			 "unmapped or moved memory the process itself needs)",
			 signal_name(WTERMSIG(status)));
	outf("{\"probe_error\":");
	out_json_string(msg);
	outf(",\"step\":%d}\n", *progress);
	flush_out();
}

static void setup_progress(void)
{
	progress = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED)
		die_probe("mmap: %s", strerror(errno));
	/* No SA_RESTART: the alarm must interrupt waitpid and read. */
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

/* Waits for the scenario child under the watchdog; its status. */
static int wait_child(pid_t pid, int seconds)
{
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			die_probe("waitpid: %s", strerror(errno));
		if (watchdog_due(seconds))
			kill(pid, SIGKILL);
	}
	watchdog_ticks(0);
	return status;
}

/* The scenario runs in a fresh child so that what it maps, moves or breaks
 * dies with it; a child killed by a signal is reported with its step. */
int cmd_scenario(void)
{
	if (!next_scenario())
		nsteps = 0;
	zero_page = zero_page_reads();
	setup_progress();
	*progress = -1;
	pid_t pid = fork();
	if (pid < 0)
		die_probe("fork: %s", strerror(errno));
	if (pid == 0)
		run_scenario_child(progress, zero_page);
	watchdog_start();
	int status = wait_child(pid, SCENARIO_SECONDS);
	if (WIFSIGNALED(status)) {
		report_killed(status);
		return 1;
	}
	return WEXITSTATUS(status);
}

/* Runs one parsed scenario in a child whose output comes back through a
 * pipe, and prints exactly one line for it whatever happens to the child. */
/* Children whose result is in but whose exit (freeing their contexts)
 * is still under way: reaped later, without waiting on them now. */
static pid_t exiting[64];
static int nexiting;

static void reap_exiting(int block)
{
	for (int i = 0; i < nexiting;) {
		int status;
		pid_t r = waitpid(exiting[i], &status, block ? 0 : WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR)) {
			i++;
			continue;
		}
		exiting[i] = exiting[--nexiting];
	}
}

static void run_one_piped(int seconds, int settle)
{
	int p[2];
	reap_exiting(settle || nexiting == (int)(sizeof exiting / sizeof *exiting));
	*progress = -1;
	pid_t pid = fork_piped(p);
	if (pid == 0) {
		if (dup2(p[1], 1) < 0)
			_exit(3);
		close(p[1]);
		run_scenario_child(progress, zero_page);
	}
	watchdog_start();
	size_t before = out_mark();
	char buf[65536];
	for (;;) {
		ssize_t n = read(p[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR) {
			if (watchdog_due(seconds))
				kill(pid, SIGKILL);
			continue;
		}
		if (n <= 0)
			break;
		outf("%.*s", (int)n, buf);
	}
	close(p[0]);
	/* A whole line means the child finished its scenario: do not wait for its exit. */
	size_t end = out_mark();
	if (end > before && out_peek(end - 1) == '\n' && !watchdog_fired) {
		watchdog_ticks(0);
		exiting[nexiting++] = pid;
		flush_out();
		return;
	}
	int status = wait_child(pid, seconds);
	if (WIFSIGNALED(status)) {
		out_truncate(before);
		report_killed(status);
		return;
	}
	if (out_mark() == before)
		outf("{\"probe_error\":\"the scenario process exited with status "
		     "%d and printed nothing\",\"step\":%d}\n",
		     WEXITSTATUS(status), *progress);
	flush_out();
}

/* Many scenarios in one probe, one after the other, each in its own child:
 * what a fuzzer needs. cpu=N pins the probe (and so its children) to that
 * CPU, so several probes can share a machine's CPUs; seconds=S is the
 * watchdog per step (plus the step's own timeout); settle=1 lets each child finish exiting (its
 * contexts freed, aio-nr given back) before the next starts. */
int cmd_scenarios(int argc, char **argv)
{
	long cpu = -1, seconds = SCENARIO_SECONDS, settle = 0;
	for (int i = 0; i < argc; i++) {
		char *end;
		if (strncmp(argv[i], "cpu=", 4) == 0) {
			cpu = strtol(argv[i] + 4, &end, 10);
			if (*end || cpu < 0 || cpu >= CPU_SETSIZE)
				die_probe("bad argument \"%s\"", argv[i]);
		} else if (strncmp(argv[i], "seconds=", 8) == 0) {
			seconds = strtol(argv[i] + 8, &end, 10);
			if (*end || seconds < 1 || seconds > 3600)
				die_probe("bad argument \"%s\"", argv[i]);
		} else if (strcmp(argv[i], "settle=1") == 0) {
			settle = 1;
		} else {
			die_probe("bad argument \"%s\" (cpu=N, seconds=S, settle=1)", argv[i]);
		}
	}
	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof set, &set) != 0)
			die_probe("sched_setaffinity cpu %ld: %s", cpu, strerror(errno));
	}
	zero_page = zero_page_reads();
	setup_progress();
	/* One test file for the whole batch: every child reads and writes it at offset 0. */
	setup_io_file();
	while (next_scenario())
		run_one_piped((int)seconds, (int)settle);
	reap_exiting(1);
	return 0;
}
