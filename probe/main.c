/* probe check | probe scenario(s) < wire | probe time LOOP key=value... */
#include "out.h"
#include "sys.h"
#include "scenario.h"
#include "timing.h"

/* Availability: can this process create an AIO context at all? */
static int cmd_check(void)
{
	aio_context_t ctx = 0;
	struct utsname u;
	uname(&u);
	if (sys_io_setup(1, &ctx) != 0) {
		int e = errno;
		outf("{\"available\":false,\"kernel\":");
		out_json_string(u.release);
		outf(",\"reason\":");
		char msg[160];
		snprintf(msg, sizeof msg, "io_setup(1) failed with %s%s",
			 errno_name(e),
			 e == ENOSYS ? " (kernel built without AIO)"
			 : e == EAGAIN ? " (fs.aio-max-nr exhausted)"
			 : e == EPERM ? " (blocked by a seccomp filter?)"
				       : "");
		out_json_string(msg);
		outf("}\n");
		flush_out();
		return 0;
	}
	sys_io_destroy(ctx);
	outf("{\"available\":true,\"kernel\":");
	out_json_string(u.release);
	outf(",\"reason\":null}\n");
	flush_out();
	return 0;
}

int main(int argc, char **argv)
{
	/* Die with the CLI that started us (src/kernel/exec.ts), even if it is
	 * SIGKILLed; if it already died before the prctl, leave now. */
	const char *parent = getenv("AIO_RING_BENCH_PARENT");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (parent && atol(parent) != (long)getppid())
		return 1;
	page_size = sysconf(_SC_PAGESIZE);
	if (argc >= 2 && strcmp(argv[1], "check") == 0 && argc == 2)
		return cmd_check();
	if (argc >= 2 && strcmp(argv[1], "scenario") == 0 && argc == 2)
		return cmd_scenario();
	if (argc >= 2 && strcmp(argv[1], "scenarios") == 0)
		return cmd_scenarios(argc - 2, argv + 2);
	if (argc >= 3 && strcmp(argv[1], "time") == 0)
		return cmd_time(argc - 2, argv + 2);
	die_probe("usage: probe check | probe scenario < wire | probe scenarios "
		  "[cpu=N] [seconds=S] [settle=1] < wires | probe time LOOP [key=value ...]");
	return 2;
}
