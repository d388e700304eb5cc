/*
 * budget: token buckets of reply octets in a set-associative table (see
 * budget.h).  Levels are kept in nano-octets (octets times 10^9), so a
 * refill of rate times elapsed nanoseconds is exact: frequent small
 * refills lose nothing to rounding.
 */
#include <sys/random.h>

#include <stdlib.h>
#include <string.h>

#include "agent/budget.h"

#define NS	1000000000ULL

struct budget_slot {
	struct addr_key	bs_key;		/* ak_len 0: free */
	uint64_t	bs_level;	/* nano-octets */
	uint64_t	bs_ns;		/* when bs_level was last brought up */
};

struct budget {
	uint64_t			 b_rate;	/* octets per second */
	uint64_t			 b_cap;		/* burst, nano-octets */
	const struct addr_cidr		*b_exempt;
	size_t				 b_nexempt;
	uint64_t			 b_seed;
	struct budget_slot		 b_slots[BUDGET_SLOTS];
};

_Static_assert(BUDGET_SLOTS % BUDGET_WAYS == 0, "whole sets");

struct budget *
budget_new(void)
{
	struct budget *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	/* A seed nobody outside knows, so no one can aim at one set. */
	if (getrandom(&b->b_seed, sizeof(b->b_seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(b->b_seed))
		b->b_seed = (uint64_t)(uintptr_t)b ^ 0x9e3779b97f4a7c15ULL;
	return b;
}

void
budget_free(struct budget *b)
{
	free(b);
}

void
budget_configure(struct budget *b, uint32_t rate, uint32_t burst,
    const struct addr_cidr *exempt, size_t nexempt)
{
	size_t i;

	b->b_rate = rate;
	b->b_cap = (uint64_t)burst * NS;
	b->b_exempt = exempt;
	b->b_nexempt = nexempt;
	for (i = 0; i < BUDGET_SLOTS; i++)
		if (b->b_slots[i].bs_level > b->b_cap)
			b->b_slots[i].bs_level = b->b_cap;
}

/* Bring a bucket up to now; the division keeps rate * dt from wrapping. */
static void
budget_refill(const struct budget *b, struct budget_slot *s, uint64_t now)
{
	uint64_t dt = now > s->bs_ns ? now - s->bs_ns : 0;

	if (dt >= (b->b_cap - s->bs_level) / b->b_rate)
		s->bs_level = b->b_cap;
	else
		s->bs_level += b->b_rate * dt;
	s->bs_ns = now;
}

bool
budget_take(struct budget *b, const struct sockaddr *src, size_t len,
    uint64_t now_ns)
{
	struct budget_slot *set, *s, *victim;
	struct addr_key k;
	uint64_t need;
	size_t i;

	if (b->b_rate == 0)
		return true;
	if (addr_key(src, false, &k) == -1)
		return false;
	for (i = 0; i < b->b_nexempt; i++)
		if (addr_cidr_match(&b->b_exempt[i], src))
			return true;
	set = &b->b_slots[addr_key_hash(&k, b->b_seed) %
	    (BUDGET_SLOTS / BUDGET_WAYS) * BUDGET_WAYS];
	victim = NULL;
	for (i = 0; i < BUDGET_WAYS; i++) {
		s = &set[i];
		if (s->bs_key.ak_len != 0 && addr_key_equal(&s->bs_key, &k))
			break;
		/* Replace a free slot, else the fullest bucket. */
		if (s->bs_key.ak_len != 0)
			budget_refill(b, s, now_ns);
		if (victim == NULL || s->bs_key.ak_len == 0 ||
		    (victim->bs_key.ak_len != 0 &&
		    s->bs_level > victim->bs_level))
			victim = s;
	}
	if (i == BUDGET_WAYS) {
		s = victim;
		s->bs_key = k;
		s->bs_level = b->b_cap;
		s->bs_ns = now_ns;
	} else
		budget_refill(b, s, now_ns);
	need = (uint64_t)len * NS;
	if (need > s->bs_level)
		return false;
	s->bs_level -= need;
	return true;
}
