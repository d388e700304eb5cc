/*
 * Unit tests of collector/sched.c: the timer heap (order, re-arming,
 * cancelling, many timers against a sorted reference) and the daemon's
 * drift-free run slots.
 */
#include <stdlib.h>

#include "collector/sched.h"
#include "tests/harness.h"

static void
timers_pop_in_deadline_order(void)
{
	struct sched *s = sched_new(8);
	uint32_t id;

	CHECK(s != NULL);
	sched_set(s, 3, 300);
	sched_set(s, 1, 100);
	sched_set(s, 2, 200);
	CHECK_INT(sched_count(s), ==, 3);
	CHECK(!sched_pop_due(s, 99, &id));
	CHECK(sched_pop_due(s, 250, &id));
	CHECK_INT(id, ==, 1);
	CHECK(sched_pop_due(s, 250, &id));
	CHECK_INT(id, ==, 2);
	CHECK(!sched_pop_due(s, 250, &id));
	CHECK(sched_pop_due(s, 1000, &id));
	CHECK_INT(id, ==, 3);
	CHECK_INT(sched_count(s), ==, 0);
	sched_free(s);
}

static void
rearming_moves_a_timer_and_cancel_removes_it(void)
{
	struct sched *s = sched_new(4);
	uint64_t when;
	uint32_t id;

	sched_set(s, 0, 50);
	sched_set(s, 1, 60);
	sched_set(s, 0, 70);	/* later now */
	CHECK_INT(sched_count(s), ==, 2);
	CHECK(sched_peek(s, &id, &when));
	CHECK_INT(id, ==, 1);
	CHECK_U64(when, ==, 60);
	sched_set(s, 0, 10);	/* earlier again */
	CHECK(sched_peek(s, &id, NULL));
	CHECK_INT(id, ==, 0);
	sched_cancel(s, 0);
	CHECK(!sched_armed(s, 0));
	sched_cancel(s, 0);	/* twice is a no-op */
	sched_cancel(s, 3);	/* never armed */
	sched_set(s, 9, 1);	/* out of range: ignored */
	CHECK_INT(sched_count(s), ==, 1);
	CHECK(sched_pop_due(s, 100, &id));
	CHECK_INT(id, ==, 1);
	CHECK(!sched_peek(s, NULL, NULL));
	sched_free(s);
	sched_free(NULL);
}

static void
equal_deadlines_pop_by_id(void)
{
	struct sched *s = sched_new(5);
	uint32_t id, i;

	for (i = 5; i-- > 0;)
		sched_set(s, i, 42);
	for (i = 0; i < 5; i++) {
		CHECK(sched_pop_due(s, 42, &id));
		CHECK_INT(id, ==, i);
	}
	sched_free(s);
}

/* A deterministic generator, so a failure reproduces. */
static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

static void
ten_thousand_random_operations_match_a_reference(void)
{
	enum { N = 1000, OPS = 10000 };
	struct sched *s = sched_new(N);
	static uint64_t ref[N];	/* 0: not armed */
	uint32_t x = 1, id, i, op;
	uint64_t now = 0, when, prev = 0;
	size_t armed = 0;
	int bad = 0;

	for (op = 0; op < OPS; op++) {
		id = lcg(&x) % N;
		if (lcg(&x) % 4 == 0) {
			sched_cancel(s, id);
			if (ref[id] != 0)
				armed--;
			ref[id] = 0;
		} else {
			when = now + 1 + lcg(&x) % 5000;
			sched_set(s, id, when);
			if (ref[id] == 0)
				armed++;
			ref[id] = when;
		}
		if (op % 10 == 0) {
			now += 300;
			prev = 0;
			while (sched_pop_due(s, now, &id)) {
				if (ref[id] == 0 || ref[id] > now || ref[id] < prev)
					bad++;
				prev = ref[id];
				ref[id] = 0;
				armed--;
			}
		}
		if (sched_count(s) != armed)
			bad++;
	}
	for (i = 0; i < N; i++)
		if ((ref[i] != 0) != sched_armed(s, i))
			bad++;
	CHECK_INT(bad, ==, 0);
	sched_free(s);
}

static void
daemon_slots_never_drift_and_skip_missed_ones(void)
{
	/* origin 1000, interval 60: slots 1060, 1120, 1180 ... */
	CHECK_U64(sched_next_slot(1000, 60, 1000, 1005), ==, 1060);
	/* A run that ended late still starts the next on the grid. */
	CHECK_U64(sched_next_slot(1000, 60, 1060, 1119), ==, 1120);
	CHECK_U64(sched_next_slot(1000, 60, 1060, 1120), ==, 1120);
	/* Overran two slots: skip them, do not run back to back. */
	CHECK_U64(sched_next_slot(1000, 60, 1060, 1200), ==, 1240);
	/* Never the same slot twice, even when now has not moved. */
	CHECK_U64(sched_next_slot(1000, 60, 1120, 1120), ==, 1180);
}

int
main(void)
{
	RUN(timers_pop_in_deadline_order);
	RUN(rearming_moves_a_timer_and_cancel_removes_it);
	RUN(equal_deadlines_pop_by_id);
	RUN(ten_thousand_random_operations_match_a_reference);
	RUN(daemon_slots_never_drift_and_skip_missed_ones);
	return t_done();
}
