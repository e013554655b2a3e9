#include "ring_loop.h"
#include "out.h"
#include "samples.h"
#include "sys.h"

/* The two timed functions start on a 64-byte boundary: their speed must not
 * depend on how much code the linker happens to place before them (seen:
 * 3.8 vs 4.5 ns/event for the same instructions at two offsets). */
#define RING_HOT __attribute__((noinline, aligned(64)))

/* Native C version of the WASM core's batch ring path (assembly/aio.ts
 * io_submit and user_reap, assembly/kioctx.ts take_reqs), same algorithm and
 * bookkeeping, per batch rather than per event. One context, in slot 0 of
 * an ioctx table, with a ring in the kernel's layout. Mainline semantics:
 * per-CPU request slots, the header id is the table slot. Helpers below are
 * used by loop_ring alone. */

/* struct kioctx: the request-slot accounting of the model. */
struct ring_kioctx {
	uint64_t user_id; /* ring address: the context id */
	struct ring_header *ring;
	int32_t nr_events; /* ring slots (the header's nr) */
	int32_t cpu_reqs_available; /* the CPU cache of request slots */
	int32_t reqs_available; /* the global counter */
	int32_t req_batch;
	uint32_t tail; /* ctx->tail; the header's is a copy user space may overwrite */
	int32_t completed_events; /* at most nr: each completion but the first credits beyond the ring */
	int dead;
};

/* mm->ioctx_table, one slot used. */
struct ring_table {
	uint32_t nr;
	struct ring_kioctx *table[1];
};

static uint64_t ring_checksum; /* sum of the user data reaped, mod 2^64 */

/* i % nr without a division when i is in the ring already (always, unless
 * user space forged the head), as assembly/ring.ts ringIndex. */
static uint32_t ring_index(uint32_t i, uint32_t nr)
{
	return i < nr ? i : i % nr;
}

static uint32_t ring_events_in(uint32_t head, uint32_t tail, uint32_t nr)
{
	head = ring_index(head, nr);
	return head <= tail ? tail - head : nr - (head - tail);
}

/* Per-CPU slots back: whole batches over twice req_batch spill to the global
 * counter. */
static void ring_put_reqs(struct ring_kioctx *ctx, int32_t n)
{
	int32_t batch = ctx->req_batch, cpu = ctx->cpu_reqs_available + n;
	while (cpu >= batch * 2) {
		cpu -= batch;
		ctx->reqs_available += batch;
	}
	ctx->cpu_reqs_available = cpu;
}

/* Credits completed events that are not between head (modulo nr) and the
 * context's tail (FINDINGS 51). */
static void ring_refill_reqs(struct ring_kioctx *ctx, uint32_t head)
{
	int32_t in_ring = (int32_t)ring_events_in(head, ctx->tail, (uint32_t)ctx->nr_events);
	int32_t reaped = ctx->completed_events > in_ring ?
				 ctx->completed_events - in_ring : 0;
	if (reaped == 0)
		return;
	ctx->completed_events -= reaped;
	ring_put_reqs(ctx, reaped);
}

/* At a failed take: the credit, from the header's head. */
static void ring_user_refill_reqs(struct ring_kioctx *ctx)
{
	if (ctx->completed_events > 0)
		ring_refill_reqs(ctx, ctx->ring->head);
}

/* Up to n request slots in one go: exactly those n one-by-one takes would get
 * before one meets an empty CPU cache. 0 means EAGAIN. */
static int32_t ring_take_reqs(struct ring_kioctx *ctx, int32_t n)
{
	if (ctx->cpu_reqs_available == 0) {
		if (ctx->reqs_available >= ctx->req_batch) {
			ctx->reqs_available -= ctx->req_batch;
			ctx->cpu_reqs_available = ctx->req_batch;
		} else {
			ring_user_refill_reqs(ctx);
			if (ctx->cpu_reqs_available == 0)
				return 0;
		}
	}
	int32_t k = n < ctx->cpu_reqs_available ? n : ctx->cpu_reqs_available;
	ctx->cpu_reqs_available -= k;
	return k;
}

/* Takes up to n slots and completes their blocks as n one-by-one takes, each
 * followed by its completion, would, in closed form (assembly/kioctx.ts
 * take_and_complete): a first block whose completion credits user reaps goes
 * alone, then a run up to the block that lands the tail on the head takes
 * batch after batch, crediting at most at its last completion. The caller
 * writes the events from ctx->tail. head is modulo nr. 0 means EAGAIN. */
static int32_t ring_take_and_complete(struct ring_kioctx *ctx, int32_t n, uint32_t head)
{
	uint32_t nr = (uint32_t)ctx->nr_events, tail = ctx->tail;
	uint32_t in_ring = head <= tail ? tail - head : nr - (head - tail);
	int32_t k = 0;
	if (ctx->completed_events > (int32_t)in_ring) {
		if (!ring_take_reqs(ctx, 1))
			return 0;
		tail = tail + 1 == nr ? 0 : tail + 1;
		in_ring = tail == head ? 0 : in_ring + 1;
		int32_t completed = ctx->completed_events + 1;
		if (completed > 1 && completed > (int32_t)in_ring) {
			ctx->completed_events = (int32_t)in_ring;
			ring_put_reqs(ctx, completed - (int32_t)in_ring);
		} else {
			ctx->completed_events = completed;
		}
		if (n == 1)
			return 1;
		k = 1;
	}
	int32_t to_head = (int32_t)(nr - in_ring);
	int32_t want = n - k < to_head ? n - k : to_head;
	int32_t batch = ctx->req_batch, cpu = ctx->cpu_reqs_available;
	int32_t global = ctx->reqs_available;
	int32_t got = want < cpu ? want : cpu;
	cpu -= got;
	/* With fewer than a batch left globally the take fails: nothing to credit. */
	while (got < want && global >= batch) {
		int32_t m = want - got < batch ? want - got : batch;
		global -= batch;
		cpu = batch - m;
		got += m;
	}
	ctx->cpu_reqs_available = cpu;
	ctx->reqs_available = global;
	int32_t completed = ctx->completed_events + got;
	if (got == to_head && completed > 1) {
		ctx->completed_events = 0;
		ring_put_reqs(ctx, completed);
	} else {
		ctx->completed_events = completed;
	}
	return k + got;
}

/* lookup_ioctx: the table slot named by the ring header's id, if it is ours. */
static struct ring_kioctx *ring_lookup(struct ring_table *t, uint64_t ctx_id)
{
	uint32_t id = ((const struct ring_header *)(uintptr_t)ctx_id)->id;
	if (id >= t->nr)
		return NULL;
	struct ring_kioctx *ctx = t->table[id];
	if (!ctx || ctx->user_id != ctx_id || ctx->dead)
		return NULL;
	return ctx;
}

/* k events complete at the context's tail: data, data + 1, ..., obj, obj + 1,
 * ..., res 512, res2 0; one contiguous run per wrap of the ring. The new
 * tail, also copied to the header. */
static uint32_t ring_complete(struct ring_header *ring, uint32_t nr,
			      uint32_t tail, uint64_t data, uint64_t obj,
			      uint32_t k)
{
	struct io_event *ev = (struct io_event *)(ring + 1);
	while (k) {
		uint32_t run = k < nr - tail ? k : nr - tail;
		struct io_event *at = ev + tail, *end = at + run;
		for (uint64_t d = data, o = obj; at < end; at++, d++, o++) {
			at->data = d;
			at->obj = o;
			at->res = IO_BYTES;
			at->res2 = 0;
		}
		data += run;
		obj += run;
		k -= run;
		tail += run;
		if (tail == nr)
			tail = 0;
	}
	ring->tail = tail;
	return tail;
}

/* io_submit of count preads (user data data, data + 1, ...) that complete at
 * once: submitted, or -errno. noinline: one lookup per call, as a call. */
static RING_HOT int ring_submit(struct ring_table *t, uint64_t ctx_id,
				int32_t count, uint64_t data)
{
	if (count < 0)
		return -EINVAL;
	struct ring_kioctx *ctx = ring_lookup(t, ctx_id);
	if (!ctx)
		return -EINVAL;
	int32_t nr = count < ctx->nr_events ? count : ctx->nr_events;
	if (nr <= 0)
		return 0;
	/* The header's head, read once: nothing in the call stores it. */
	uint32_t head = ring_index(ctx->ring->head, (uint32_t)ctx->nr_events);
	int32_t submitted = 0;
	while (submitted < nr) {
		/* Slots come in runs between two decisions of the accounting
		 * (every completion but the first credits from the head,
		 * FINDINGS 51); each run's events are written before the next. */
		uint32_t from = ctx->tail;
		int32_t k = ring_take_and_complete(ctx, nr - submitted, head);
		if (!k)
			break;
		ctx->tail = ring_complete(ctx->ring, (uint32_t)ctx->nr_events, from,
					  data + (uint64_t)submitted,
					  (uint64_t)submitted, (uint32_t)k);
		submitted += k;
	}
	return submitted > 0 ? submitted : -EAGAIN;
}

/* libaio-style reap of up to max events from the ring at addr, user data
 * summed into ring_checksum: events reaped, or -errno. */
static RING_HOT int ring_user_reap(uint64_t addr, int32_t max)
{
	struct ring_header *h = (struct ring_header *)(uintptr_t)addr;
	const struct io_event *ev = (const struct io_event *)(h + 1);
	if (h->magic != RING_MAGIC || h->incompat_features != 0 || h->nr == 0)
		return -EINVAL;
	uint32_t head = h->head, tail = h->tail, slots = h->nr;
	int32_t count = 0;
	while (head != tail && count < max) {
		/* A head past the ring (forged) names memory outside it. */
		if (head >= slots)
			return -EFAULT;
		/* A run: up to the tail or the ring's end, and max. */
		uint32_t to_end = tail > head ? (tail < slots ? tail : slots) - head :
						slots - head;
		uint32_t n = to_end < (uint32_t)(max - count) ? to_end :
							       (uint32_t)(max - count);
		uint64_t sum = ring_checksum;
		for (const struct io_event *at = ev + head, *end = at + n; at < end; at++)
			sum += at->data;
		ring_checksum = sum;
		count += (int32_t)n;
		head += n;
		if (head == slots)
			head = 0;
	}
	h->head = head;
	return count;
}

/* Zero-timeout io_getevents(ctx, min_nr, nr) on the model's
 * mainline path (assembly/aio.ts io_getevents and aio_read_events): lookup,
 * the head/tail read, and the read of up to nr events (none on an empty
 * ring). Events read, or -errno. */
static RING_HOT int ring_getevents(struct ring_table *t, uint64_t ctx_id,
				   int32_t min_nr, int32_t nr)
{
	struct ring_kioctx *ctx = ring_lookup(t, ctx_id);
	if (!ctx || min_nr < 0 || min_nr > nr)
		return -EINVAL;
	struct ring_header *ring = ctx->ring;
	const struct io_event *ev = (const struct io_event *)(ring + 1);
	uint32_t slots = (uint32_t)ctx->nr_events;
	/* Fewer than min_nr events in the ring arm no timer at timeout 0 (3.19+):
	 * the read goes on with what there is. */
	/* Head and tail as stored, each modulo nr unless equal (then nothing is
	 * read and the head is left as it is). */
	uint32_t raw_head = ring->head, raw_tail = ring->tail;
	uint32_t head = raw_head == raw_tail ? raw_head : ring_index(raw_head, slots);
	uint32_t in = raw_head == raw_tail ? 0 : ring_events_in(head, ring_index(raw_tail, slots), slots);
	int32_t k = (int64_t)in < nr ? (int32_t)in : nr;
	for (uint32_t left = (uint32_t)k; left;) {
		uint32_t run = left < slots - head ? left : slots - head;
		/* Per run, as assembly/sink.ts sink_run. */
		uint64_t sum = ring_checksum;
		for (uint32_t i = 0; i < run; i++)
			sum += ev[head + i].data;
		ring_checksum = sum;
		left -= run;
		head += run;
		if (head == slots)
			head = 0;
	}
	/* No slot comes back here: the next completion or a refill credits
	 * them (FINDINGS 51), as assembly/aio.ts aio_read_events. */
	ring->head = head;
	return k;
}

/* One context in slot 0 of a one-slot table, its ring of p->nr slots in
 * the kernel's layout, mainline accounting. Returns the ring's memory. */
static void *ring_setup(const struct params *p, struct ring_kioctx *ctx,
			struct ring_table *table, size_t *bytes)
{
	*bytes = sizeof(struct ring_header) + (size_t)p->nr * sizeof(struct io_event);
	void *mem = mmap(NULL, *bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die_probe("mmap of the ring: %s", errno_name(errno));
	struct ring_header *ring = mem;
	int32_t batch = (int32_t)((p->nr - 1) / (possible_cpus() * 4));
	*ctx = (struct ring_kioctx){
		.user_id = (uint64_t)(uintptr_t)mem,
		.ring = ring,
		.nr_events = (int32_t)p->nr,
		.reqs_available = (int32_t)p->nr - 1,
		.req_batch = batch > 1 ? batch : 1,
	};
	*table = (struct ring_table){.nr = 1, .table = {ctx}};
	ring->id = 0; /* the table slot */
	ring->nr = (uint32_t)p->nr;
	ring->head = ring->tail = 0;
	ring->magic = RING_MAGIC;
	ring->compat_features = 1;
	ring->incompat_features = 0;
	ring->header_length = sizeof *ring;
	ring_checksum = 0;
	return mem;
}

void loop_ring(const struct params *p)
{
	struct ring_kioctx ctx;
	struct ring_table table;
	size_t bytes;
	void *mem = ring_setup(p, &ctx, &table, &bytes);
	uint64_t ctx_id = ctx.user_id;
	long rounds = p->iterations / p->batch, events = rounds * p->batch;
	uint64_t data = 0;
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		/* As assembly/batch.ts ring_loop: submit up to a batch, reap up
		 * to a batch. A submit can fall short of the batch when the
		 * slot accounting strands slots (batch near nr - 1); the loop
		 * then goes on until the sample's events are all done. */
		for (long done = 0; done < events;) {
			long want = events - done < p->batch ? events - done : p->batch;
			int got = ring_submit(&table, ctx_id, (int32_t)want, data);
			if (got <= 0)
				die_probe("ring submit of %ld events: %s", want,
					  errno_name(-got));
			data += (uint64_t)got;
			done += got;
			int reaped = ring_user_reap(ctx_id, (int32_t)p->batch);
			if (reaped != got)
				die_probe("ring reap returned %d, %d submitted",
					  reaped, got);
		}
		sample_ns[s] = (double)(now_ns() - t0) / (double)events;
	}
	munmap(mem, bytes);
	/* Every event submitted was reaped once: the sum of 0 .. data - 1. */
	uint64_t want = data % 2 ? data * ((data - 1) / 2) : (data / 2) * (data - 1);
	if (ring_checksum != want)
		die_probe("ring checksum %llu, expected %llu",
			  (unsigned long long)ring_checksum, (unsigned long long)want);
	struct params q = *p;
	q.iterations = events;
	timing_header("ring", "ns/event", &q);
	outf(",\"batch\":%ld,\"nr\":%ld,\"checksum\":%llu", p->batch, p->nr,
	     (unsigned long long)ring_checksum);
	timing_samples(&q);
}

/* `iterations` zero-timeout io_getevents(ctx, 1, 1) calls on an empty ring
 * (the WASM core's getevents_calls): ns per call. */
void loop_ring_getevents(const struct params *p)
{
	struct ring_kioctx ctx;
	struct ring_table table;
	size_t bytes;
	void *mem = ring_setup(p, &ctx, &table, &bytes);
	long reaped = 0;
	for (long s = 0; s < p->samples; s++) {
		uint64_t t0 = now_ns();
		for (long k = 0; k < p->iterations; k++) {
			int r = ring_getevents(&table, ctx.user_id, 1, 1);
			if (r < 0)
				die_probe("ring getevents: %s", errno_name(-r));
			reaped += r;
			/* Each call reads the ring again, as each WASM call does. */
			__asm__ volatile("" ::: "memory");
		}
		sample_ns[s] = (double)(now_ns() - t0) / (double)p->iterations;
	}
	munmap(mem, bytes);
	if (reaped != 0)
		die_probe("ring getevents read %ld events from an empty ring", reaped);
	timing_header("ring-getevents", "ns/call", p);
	outf(",\"nr\":%ld", p->nr);
	timing_samples(p);
}
