/* The forked child of a scenario's fork, fork_mremap or fork_calls step:
 * it makes its calls and exits, with every context, in-flight block and
 * mapping it made (the kernel tears them down before waitpid returns,
 * FINDINGS 48); what it printed comes back through a pipe. */
#include "fork.h"
#include "out.h"
#include "sys.h"

int in_fork_child;
int fork_call = -1;

void run_forked(int i, const struct step *st, void (*body)(int, const struct step *))
{
	size_t mark = out_mark();
	int p[2];
	pid_t pid = fork_piped(p);
	if (pid == 0) {
		in_fork_child = 1;
		body(i, st);
		size_t len;
		const char *fields = out_since(mark, &len);
		while (len > 0) {
			ssize_t n = write(p[1], fields, len);
			if (n < 0 && errno != EINTR)
				_exit(1);
			if (n > 0) {
				fields += n;
				len -= (size_t)n;
			}
		}
		_exit(0);
	}
	/* Static: no allocation between steps (it would move the mappings). */
	static char got[1 << 12];
	size_t len = 0;
	for (;;) {
		ssize_t n = read(p[0], got, sizeof got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		outf("%.*s", (int)n, got);
		len += (size_t)n;
	}
	close(p[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_probe("waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status)) {
		out_truncate(mark);
		outf(",\"ret\":-1,\"errno\":\"SIGNAL:%s\"", signal_name(WTERMSIG(status)));
		return;
	}
	if (WEXITSTATUS(status) == FORK_SCENARIO_ERROR) {
		close(1);
		exit(0);
	}
	if (WEXITSTATUS(status) != 0 || len == 0)
		die_probe("fork child reported nothing (exit %d)", WEXITSTATUS(status));
}
