/* aio-nr is the machine's: another process that sets up or frees contexts
 * during a run can change an answer bound by aio-max-nr. The run expects
 * aio-nr to be what it found at the start plus what its own io_setup and
 * io_destroy steps changed; after each other step, a different figure
 * counts that step (the kernel backend then says so). A change in the
 * middle of one of those steps is taken as the step's own: it shows at a
 * later step. */
#include "aio_nr.h"
#include "out.h"
#include "sys.h"

static const char AIO_NR_PATH[] = "/proc/sys/fs/aio-nr";
static long expected, last;
static int moved;

long aio_nr_start(void)
{
	return expected = last = read_long_file(AIO_NR_PATH);
}

void aio_nr_after_step(int accounts)
{
	long now = read_long_file(AIO_NR_PATH);
	if (accounts)
		expected += now - last;
	else if (now != expected)
		moved++;
	last = now;
}

void out_aio_nr_moved(void)
{
	if (moved)
		outf(",\"aio_nr_moved\":%d", moved);
}
