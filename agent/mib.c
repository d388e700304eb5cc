/*
 * mib: the agent's OID registry, a sorted array of non-overlapping regions
 * found by binary search.  It routes GET to the one region whose prefix
 * contains the OID and GETNEXT to the first region at or after `after`,
 * moving on region by region.  It does not encode, count or authorize
 * (engine.c does) and knows nothing about any particular MIB (mib_*.c do).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "agent/mib.h"
#include "snmp/contract.h"

/* Scalars in one contract group; the largest (snmp) has 8. */
#define MIB_GROUP_MAX	32

struct mib_region {
	struct oid	 mr_prefix;
	mib_get_fn	 mr_get;
	mib_next_fn	 mr_next;
	void		*mr_arg;
	/* Set for mib_register_scalar(): mr_get answers object.0 only. */
	bool		 mr_scalar;
};

struct mib {
	struct mib_region	*m_regions;	/* sorted by prefix */
	size_t			 m_count;
	size_t			 m_cap;
	/*
	 * The region that answered the last mib_next(), a hint for the next
	 * one: a walk's cursor is usually inside it, and then no search is
	 * needed.  It is checked before use, so a stale value only costs the
	 * search.  Reached through a pointer because lookups take a const
	 * registry: the hint is not part of what the registry answers.
	 */
	size_t			*m_last;
	size_t			 m_last_store;
};

struct mib *
mib_new(void)
{
	struct mib *m;

	if ((m = calloc(1, sizeof(*m))) != NULL)
		m->m_last = &m->m_last_store;
	return m;
}

void
mib_free(struct mib *m)
{
	if (m == NULL)
		return;
	free(m->m_regions);
	free(m);
}

/* Index of the first region whose prefix sorts >= o (m_count when none). */
static size_t
mib_lower_bound(const struct mib *m, const struct oid *o)
{
	size_t lo = 0, hi = m->m_count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (oid_cmp(&m->m_regions[mid].mr_prefix, o) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The region whose prefix is a prefix of o, or NULL.  Only the last region
 * with prefix <= o can be it: any region sorting between a containing
 * prefix P and o would itself start with P, and regions do not overlap.
 */
static const struct mib_region *
mib_find(const struct mib *m, const struct oid *o, size_t *idx)
{
	size_t i = mib_lower_bound(m, o);

	if (i < m->m_count && oid_cmp(&m->m_regions[i].mr_prefix, o) == 0) {
		*idx = i;
		return &m->m_regions[i];
	}
	if (i > 0 && oid_is_prefix(&m->m_regions[i - 1].mr_prefix, o)) {
		*idx = i - 1;
		return &m->m_regions[i - 1];
	}
	*idx = i;
	return NULL;
}

/*
 * Insert a region in order.  A region needs a get, and a next unless it is
 * a scalar (whose next mib.c derives from its get).
 */
static int
mib_insert(struct mib *m, const struct oid *prefix, mib_get_fn get,
    mib_next_fn next, void *arg, bool scalar)
{
	struct mib_region *nr;
	size_t i, ncap;

	if (prefix->o_len == 0 || get == NULL || (next == NULL && !scalar))
		return -1;
	i = mib_lower_bound(m, prefix);
	/*
	 * Sorted and disjoint, so an overlap can only be with a neighbour:
	 * a region containing the new prefix sorts just before it, one the
	 * new prefix contains (or an equal one) sorts first at i.
	 */
	if (i > 0 && oid_is_prefix(&m->m_regions[i - 1].mr_prefix, prefix))
		return -1;
	if (i < m->m_count &&
	    oid_is_prefix(prefix, &m->m_regions[i].mr_prefix))
		return -1;
	if (m->m_count == m->m_cap) {
		ncap = m->m_cap == 0 ? 16 : m->m_cap * 2;
		if (ncap > SIZE_MAX / sizeof(*nr))
			return -1;
		nr = realloc(m->m_regions, ncap * sizeof(*nr));
		if (nr == NULL)
			return -1;
		m->m_regions = nr;
		m->m_cap = ncap;
	}
	memmove(&m->m_regions[i + 1], &m->m_regions[i],
	    (m->m_count - i) * sizeof(*nr));
	nr = &m->m_regions[i];
	memset(nr, 0, sizeof(*nr));
	nr->mr_prefix = *prefix;
	nr->mr_get = get;
	nr->mr_next = next;
	nr->mr_arg = arg;
	nr->mr_scalar = scalar;
	m->m_count++;
	return 0;
}

int
mib_register(struct mib *m, const struct oid *prefix, mib_get_fn get,
    mib_next_fn next, void *arg)
{
	return mib_insert(m, prefix, get, next, arg, false);
}

int
mib_register_scalar(struct mib *m, const struct oid *object, mib_get_fn get,
    void *arg)
{
	/* Room for the ".0" instance. */
	if (object->o_len >= OID_MAX_LEN)
		return -1;
	return mib_insert(m, object, get, NULL, arg, true);
}

int
mib_register_scalars(struct mib *m, const struct oid *group,
    const uint32_t *objs, size_t n, mib_get_fn get, void *arg)
{
	struct oid o;
	size_t i;

	for (i = 0; i < n; i++) {
		o = *group;
		if (oid_append(&o, objs[i]) == -1 ||
		    mib_register_scalar(m, &o, get, arg) == -1)
			return -1;
	}
	return 0;
}

int
mib_register_group(struct mib *m, int group, mib_get_fn get, void *arg)
{
	uint32_t objs[MIB_GROUP_MAX];
	struct oid o;
	size_t n;

	n = contract_children(group, CONTRACT_SCALAR, objs, MIB_GROUP_MAX);
	if (n > MIB_GROUP_MAX)
		return -1;
	contract_oid(group, &o);
	return mib_register_scalars(m, &o, objs, n, get, arg);
}

uint32_t
mib_scalar_object(const struct oid *instance)
{
	return instance->o_len >= 2 ? instance->o_id[instance->o_len - 2] : 0;
}

/* Is o exactly prefix.0 (a scalar's instance)? */
static bool
mib_is_instance0(const struct oid *prefix, const struct oid *o)
{
	return o->o_len == prefix->o_len + 1 && o->o_id[prefix->o_len] == 0 &&
	    oid_is_prefix(prefix, o);
}

static int
mib_region_get(const struct mib_region *r, const struct mib_ctx *ctx,
    const struct oid *oid, struct snmp_value *val)
{
	int rc;

	if (r->mr_scalar && !mib_is_instance0(&r->mr_prefix, oid))
		return MIB_NOSUCHINSTANCE;
	rc = r->mr_get(r->mr_arg, ctx, oid, val);
	if (rc != MIB_OK && rc != MIB_NOSUCHOBJECT && rc != MIB_NOSUCHINSTANCE)
		rc = MIB_NOSUCHINSTANCE;
	return rc;
}

static int
mib_region_next(const struct mib_region *r, const struct mib_ctx *ctx,
    const struct oid *after, struct oid *found, struct snmp_value *val)
{
	int rc;

	if (!r->mr_scalar)
		return r->mr_next(r->mr_arg, ctx, after, found, val);
	*found = r->mr_prefix;
	found->o_id[found->o_len++] = 0;
	if (oid_cmp(after, found) >= 0)
		return MIB_END;
	/* A scalar that is absent right now is skipped, not reported. */
	rc = r->mr_get(r->mr_arg, ctx, found, val);
	return rc == MIB_OK ? MIB_OK : MIB_END;
}

int
mib_get(const struct mib *m, const struct mib_ctx *ctx,
    const struct oid *oid, struct snmp_value *val)
{
	const struct mib_region *r;
	size_t i;

	r = mib_find(m, oid, &i);
	if (r == NULL)
		return MIB_NOSUCHOBJECT;
	return mib_region_get(r, ctx, oid, val);
}

/*
 * oid_cmp(a, b) for a and b known to agree on their first k sub-ids (both
 * under a region prefix k long): the comparison starts past them.
 */
static int
mib_cmp_from(const struct oid *a, const struct oid *b, size_t k)
{
	size_t i, n = a->o_len < b->o_len ? a->o_len : b->o_len;

	for (i = k; i < n; i++) {
		if (a->o_id[i] != b->o_id[i])
			return a->o_id[i] < b->o_id[i] ? -1 : 1;
	}
	if (a->o_len == b->o_len)
		return 0;
	return a->o_len < b->o_len ? -1 : 1;
}

/*
 * Starting at the region that contains `after` (or the first one after
 * it), ask each region in turn.  A region's answer is accepted only when
 * it is strictly greater than `after` and under the region's prefix, so a
 * misbehaving module costs its own region but never makes a walk go back,
 * repeat or loop: the loop visits each region at most once.
 */
int
mib_next(const struct mib *m, const struct mib_ctx *ctx,
    const struct oid *after, struct oid *found, struct snmp_value *val)
{
	const struct mib_region *r;
	struct oid a;
	size_t i, same;

	/*
	 * Callers may pass the same OID as after and found (stepping a
	 * cursor); a copy keeps `after` intact for the checks below.  Only
	 * then: the engine's walk passes two, and copies cost per varbind.
	 */
	if (after->o_len > OID_MAX_LEN)
		return MIB_END;
	if (after == found) {
		a.o_len = after->o_len;
		memcpy(a.o_id, after->o_id, a.o_len * sizeof(a.o_id[0]));
		after = &a;
	}
	/*
	 * i: the region containing after, else the first one past it.  The
	 * last region to answer is tried first: when it contains after it is
	 * the one mib_find() would return, as regions do not overlap.
	 */
	i = *m->m_last;
	if (i < m->m_count && oid_is_prefix(&m->m_regions[i].mr_prefix, after))
		same = m->m_regions[i].mr_prefix.o_len;
	else {
		same = mib_find(m, after, &i) != NULL ?
		    m->m_regions[i].mr_prefix.o_len : 0;
	}
	for (; i < m->m_count; i++, same = 0) {
		r = &m->m_regions[i];
		if (mib_region_next(r, ctx, after, found, val) != MIB_OK)
			continue;
		if (found->o_len > OID_MAX_LEN ||
		    !oid_is_prefix(&r->mr_prefix, found) ||
		    mib_cmp_from(found, after, same) <= 0)
			continue;
		*m->m_last = i;
		return MIB_OK;
	}
	return MIB_END;
}
