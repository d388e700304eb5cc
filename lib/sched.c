/*
 * sched: a binary min-heap of timers indexed by id (see sched.h).  It is
 * not an event loop: its users (the collector's poll_loop.c, lib/ev.c) read
 * the clock and ask what is due.  Ties are broken by id so the order is
 * deterministic.
 */
#include <stdlib.h>

#include "lib/sched.h"

#define SCHED_NONE	UINT32_MAX

struct sched_ent {
	uint64_t	se_when;
	uint32_t	se_id;
};

struct sched {
	struct sched_ent	*s_heap;
	uint32_t		*s_pos;		/* id -> heap slot, or SCHED_NONE */
	size_t			 s_n;
	size_t			 s_nids;
};

struct sched *
sched_new(size_t nids)
{
	struct sched *s;
	size_t i;

	if (nids >= SCHED_NONE)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->s_nids = nids;
	/* calloc checks n * size for overflow; ask for one slot at least. */
	s->s_heap = calloc(nids ? nids : 1, sizeof(*s->s_heap));
	s->s_pos = calloc(nids ? nids : 1, sizeof(*s->s_pos));
	if (s->s_heap == NULL || s->s_pos == NULL)
		goto fail;
	for (i = 0; i < nids; i++)
		s->s_pos[i] = SCHED_NONE;
	return s;
fail:
	sched_free(s);
	return NULL;
}

void
sched_free(struct sched *s)
{
	if (s == NULL)
		return;
	free(s->s_heap);
	free(s->s_pos);
	free(s);
}

static int
sched_less(const struct sched_ent *a, const struct sched_ent *b)
{
	if (a->se_when != b->se_when)
		return a->se_when < b->se_when;
	return a->se_id < b->se_id;
}

static void
sched_place(struct sched *s, size_t i, struct sched_ent e)
{
	s->s_heap[i] = e;
	s->s_pos[e.se_id] = (uint32_t)i;
}

static void
sched_up(struct sched *s, size_t i)
{
	struct sched_ent e = s->s_heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!sched_less(&e, &s->s_heap[parent]))
			break;
		sched_place(s, i, s->s_heap[parent]);
		i = parent;
	}
	sched_place(s, i, e);
}

static void
sched_down(struct sched *s, size_t i)
{
	struct sched_ent e = s->s_heap[i];

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m;

		if (l >= s->s_n)
			break;
		m = l;
		if (r < s->s_n && sched_less(&s->s_heap[r], &s->s_heap[l]))
			m = r;
		if (!sched_less(&s->s_heap[m], &e))
			break;
		sched_place(s, i, s->s_heap[m]);
		i = m;
	}
	sched_place(s, i, e);
}

/* Entry i changed: it may need to go up or down, never both. */
static void
sched_fix(struct sched *s, size_t i)
{
	if (i > 0 && sched_less(&s->s_heap[i], &s->s_heap[(i - 1) / 2]))
		sched_up(s, i);
	else
		sched_down(s, i);
}

void
sched_set(struct sched *s, uint32_t id, uint64_t when)
{
	size_t i;

	if (id >= s->s_nids)
		return;
	if (s->s_pos[id] != SCHED_NONE) {
		i = s->s_pos[id];
		s->s_heap[i].se_when = when;
		sched_fix(s, i);
		return;
	}
	i = s->s_n++;
	s->s_heap[i].se_when = when;
	s->s_heap[i].se_id = id;
	s->s_pos[id] = (uint32_t)i;
	sched_up(s, i);
}

void
sched_cancel(struct sched *s, uint32_t id)
{
	size_t i;

	if (id >= s->s_nids || s->s_pos[id] == SCHED_NONE)
		return;
	i = s->s_pos[id];
	s->s_pos[id] = SCHED_NONE;
	s->s_n--;
	if (i == s->s_n)
		return;
	/* Move the last entry into the hole and restore the order. */
	sched_place(s, i, s->s_heap[s->s_n]);
	sched_fix(s, i);
}

bool
sched_armed(const struct sched *s, uint32_t id)
{
	return id < s->s_nids && s->s_pos[id] != SCHED_NONE;
}

bool
sched_peek(const struct sched *s, uint32_t *id, uint64_t *when)
{
	if (s->s_n == 0)
		return false;
	if (id != NULL)
		*id = s->s_heap[0].se_id;
	if (when != NULL)
		*when = s->s_heap[0].se_when;
	return true;
}

bool
sched_pop_due(struct sched *s, uint64_t now, uint32_t *id)
{
	uint32_t top;

	if (s->s_n == 0 || s->s_heap[0].se_when > now)
		return false;
	top = s->s_heap[0].se_id;
	sched_cancel(s, top);
	if (id != NULL)
		*id = top;
	return true;
}

size_t
sched_count(const struct sched *s)
{
	return s->s_n;
}

uint64_t
sched_next_slot(uint64_t origin, uint64_t interval, uint64_t last,
    uint64_t now)
{
	uint64_t k, from;

	if (interval == 0)
		return now > last ? now : last;
	from = now > last ? now : last + 1;
	if (from <= origin)
		return origin + interval;
	/* The first multiple of interval past origin that is >= from. */
	k = (from - origin + interval - 1) / interval;
	return origin + k * interval;
}
