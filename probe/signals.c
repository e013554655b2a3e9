/* The scenario's signal: SIGUSR1 kept blocked and counted, and the
 * io_pgetevents signal argument a step asks for. */
#include "signals.h"

/* SIGUSR1 stays blocked, with a handler that counts: a raise is pending
 * until an io_pgetevents mask lets it in (FINDINGS 37). */
static sigset_t mask_empty, mask_usr1;
volatile sig_atomic_t usr1_handled;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_handled++;
}

void setup_signals(void)
{
	sigemptyset(&mask_empty);
	sigemptyset(&mask_usr1);
	sigaddset(&mask_usr1, SIGUSR1);
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_BLOCK, &mask_usr1, NULL);
	/* A write past RLIMIT_FSIZE then answers -EFBIG instead of killing the probe. */
	signal(SIGXFSZ, SIG_IGN);
}

int usr1_pending(void)
{
	sigset_t p;
	return sigpending(&p) == 0 && sigismember(&p, SIGUSR1);
}

/* io_getevents, or io_pgetevents with the step's signal argument. */
long getevents_call(const struct step *st, uintptr_t ctx, struct io_event *ev, struct timespec *ts)
{
	if (st->op == OP_IO_GETEVENTS)
		return sys_io_getevents(ctx, st->n1, st->n2, ev, ts);
	struct aio_sigset u = {NULL, (size_t)st->sigsetsize};
	const struct aio_sigset *usig = &u;
	switch (st->sig) {
	case SIG_NOUSIG:
		usig = NULL;
		break;
	case SIG_USIG_BOGUS:
		usig = (const struct aio_sigset *)BOGUS_ADDR;
		break;
	case SIG_MASK_UNBLOCK:
		u.sigmask = &mask_empty;
		break;
	case SIG_MASK_BLOCK:
		u.sigmask = &mask_usr1;
		break;
	case SIG_MASK_BOGUS:
		u.sigmask = (const sigset_t *)BOGUS_ADDR;
		break;
	}
	return sys_io_pgetevents(ctx, st->n1, st->n2, ev, ts, usig);
}
