/*
 * pin: a direct-mapped table from a source (address and port) to the
 * snapshot generation and last answered OID of its walk (see pin.h).
 */
#include <stdlib.h>

#include "agent/pin.h"
#include "lib/addr.h"

struct pin_slot {
	struct addr_key	ps_key;		/* ak_len 0: free */
	uint64_t	ps_gen;
	uint64_t	ps_last;
};

struct pin_table {
	struct pin_slot	pt_slots[PIN_SLOTS];
};

struct pin_table *
pin_new(void)
{
	return calloc(1, sizeof(struct pin_table));
}

void
pin_free(struct pin_table *t)
{
	free(t);
}

uint64_t
pin_oid_hash(const struct oid *o)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < o->o_len; i++) {
		h ^= o->o_id[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ o->o_len;
}

/* A pin only picks a snapshot: no seed is needed against collisions. */
static size_t
pin_index(const struct addr_key *k)
{
	return addr_key_hash(k, 0) % PIN_SLOTS;
}

uint64_t
pin_find(const struct pin_table *t, const struct sockaddr *src,
    uint64_t cont)
{
	const struct pin_slot *s;
	struct addr_key k;

	if (addr_key(src, true, &k) == -1)
		return 0;
	s = &t->pt_slots[pin_index(&k)];
	if (!addr_key_equal(&s->ps_key, &k) || s->ps_last != cont)
		return 0;
	return s->ps_gen;
}

void
pin_note(struct pin_table *t, const struct sockaddr *src, uint64_t gen,
    uint64_t last)
{
	struct pin_slot *s;
	struct addr_key k;

	if (addr_key(src, true, &k) == -1)
		return;
	s = &t->pt_slots[pin_index(&k)];
	s->ps_key = k;
	s->ps_gen = gen;
	s->ps_last = last;
}
