/*
 * test_mib: the OID registry alone, with synthetic regions: ordering and
 * binary search, overlap refusal, GET routing, GETNEXT across region
 * boundaries from every kind of `after`, scalar regions, and regions whose
 * next misbehaves.  The real MIB modules are exercised by test_engine.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/mib.h"
#include "snmp/oid.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

/* A synthetic table region: a sorted list of instances, value = index. */
struct fake_region {
	const char	*fr_prefix;
	const char	*fr_rows[8];	/* sorted, under fr_prefix */
	int		 fr_calls;
	int		 fr_mode;	/* enum fake_mode */
};

enum fake_mode {
	FAKE_GOOD = 0,
	FAKE_RETURNS_AFTER,	/* next returns `after` itself */
	FAKE_RETURNS_OUTSIDE,	/* next returns an OID outside its prefix */
	FAKE_RETURNS_SMALLER,	/* next returns the region's first row */
	FAKE_RETURNS_GARBAGE,	/* next returns an unknown result code */
};

static int
fake_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	struct fake_region *fr = arg;
	struct oid row;
	size_t i;

	(void)ctx;
	fr->fr_calls++;
	for (i = 0; i < 8 && fr->fr_rows[i] != NULL; i++) {
		row = O(fr->fr_rows[i]);
		if (oid_cmp(&row, oid) == 0) {
			val->val_type = BER_INTEGER;
			val->val_int = (int64_t)i;
			return MIB_OK;
		}
	}
	return MIB_NOSUCHINSTANCE;
}

static int
fake_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	struct fake_region *fr = arg;
	struct oid row;
	size_t i;

	(void)ctx;
	fr->fr_calls++;
	switch (fr->fr_mode) {
	case FAKE_RETURNS_AFTER:
		*found = *after;
		val->val_type = BER_INTEGER;
		val->val_int = 99;
		return MIB_OK;
	case FAKE_RETURNS_OUTSIDE:
		*found = O("1.3.6.1.99.99");
		val->val_type = BER_INTEGER;
		val->val_int = 99;
		return MIB_OK;
	case FAKE_RETURNS_SMALLER:
		*found = O(fr->fr_rows[0]);
		val->val_type = BER_INTEGER;
		val->val_int = 99;
		return MIB_OK;
	case FAKE_RETURNS_GARBAGE:
		return 12345;
	default:
		break;
	}
	for (i = 0; i < 8 && fr->fr_rows[i] != NULL; i++) {
		row = O(fr->fr_rows[i]);
		if (oid_cmp(&row, after) > 0) {
			*found = row;
			val->val_type = BER_INTEGER;
			val->val_int = (int64_t)i;
			return MIB_OK;
		}
	}
	return MIB_END;
}

static int
scalar_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)ctx;
	(void)oid;
	val->val_type = BER_GAUGE32;
	val->val_uint = (uint64_t)(uintptr_t)arg;
	return MIB_OK;
}

static int
absent_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	(void)ctx;
	(void)oid;
	(void)val;
	return MIB_NOSUCHINSTANCE;
}

static struct mib_ctx ctx;

static struct fake_region fa = { "1.3.6.1.2.1.25.4",
    { "1.3.6.1.2.1.25.4.2.1.1.1", "1.3.6.1.2.1.25.4.2.1.1.7",
      "1.3.6.1.2.1.25.4.2.1.2.1", NULL }, 0, FAKE_GOOD };
static struct fake_region fb = { "1.3.6.1.4.1.8072",
    { "1.3.6.1.4.1.8072.1.0", "1.3.6.1.4.1.8072.5.5.5", NULL }, 0,
    FAKE_GOOD };
/* A region with no rows at all: a walk must pass over it. */
static struct fake_region fempty = { "1.3.6.1.3", { NULL }, 0, FAKE_GOOD };

/* Registers, deliberately out of order: fb, a scalar, fempty, fa. */
static struct mib *
build(void)
{
	struct mib *m = mib_new();
	struct oid o;

	if (m == NULL)
		abort();
	o = O(fb.fr_prefix);
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fb), ==, 0);
	o = O("1.3.6.1.2.1.1.3");
	CHECK_INT(mib_register_scalar(m, &o, scalar_get, (void *)(uintptr_t)42), ==, 0);
	o = O(fempty.fr_prefix);
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fempty), ==, 0);
	o = O(fa.fr_prefix);
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fa), ==, 0);
	return m;
}

static int
next_is(struct mib *m, const char *after, const char *want)
{
	struct oid a = O(after), found, w;
	struct snmp_value v;
	int rc;

	memset(&found, 0, sizeof(found));
	rc = mib_next(m, &ctx, &a, &found, &v);
	if (want == NULL)
		return rc == MIB_END;
	w = O(want);
	if (rc != MIB_OK || oid_cmp(&found, &w) != 0) {
		char buf[OID_STR_MAX];

		oid_format(&found, buf, sizeof(buf));
		fprintf(stderr, "  next(%s) = %d %s, want %s\n", after, rc,
		    rc == MIB_OK ? buf : "-", want);
		return 0;
	}
	return 1;
}

static void
get_routes_to_the_region_containing_the_oid(void)
{
	struct mib *m = build();
	struct snmp_value v;
	struct oid o;

	o = O("1.3.6.1.2.1.25.4.2.1.1.7");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
	CHECK_INT(v.val_int, ==, 1);
	o = O("1.3.6.1.4.1.8072.5.5.5");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
	CHECK_INT(v.val_int, ==, 1);
	o = O("1.3.6.1.2.1.25.4.2.1.1.8");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHINSTANCE);
	mib_free(m);
}

static void
get_outside_every_region_is_no_such_object(void)
{
	struct mib *m = build();
	struct snmp_value v;
	struct oid o;

	o = O("1.3.6.1.2.1.25.5.1");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHOBJECT);
	o = O("1.3.6.1.2.1.25");	/* shorter than a prefix */
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHOBJECT);
	o = O("0.0");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHOBJECT);
	o = O("2.999");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHOBJECT);
	mib_free(m);
}

static void
an_empty_registry_answers_nothing(void)
{
	struct mib *m = mib_new();
	struct snmp_value v;
	struct oid o = O("1.3"), found;

	CHECK(m != NULL);
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHOBJECT);
	CHECK_INT(mib_next(m, &ctx, &o, &found, &v), ==, MIB_END);
	mib_free(m);
	mib_free(NULL);
}

static void
overlapping_prefixes_are_refused(void)
{
	struct mib *m = build();
	struct oid o;

	o = O("1.3.6.1.2.1.25.4");	/* equal */
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fa), ==, -1);
	o = O("1.3.6.1.2.1.25");	/* contains fa */
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fa), ==, -1);
	o = O("1.3.6.1.2.1.25.4.2.1.9");	/* inside fa */
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fa), ==, -1);
	o = O("1.3.6.1.2.1.1");		/* contains the scalar */
	CHECK_INT(mib_register_scalar(m, &o, scalar_get, NULL), ==, -1);
	o = O("1.3.6.1.2.1.1.3.0");	/* inside the scalar */
	CHECK_INT(mib_register_scalar(m, &o, scalar_get, NULL), ==, -1);
	o = O("1.3.6");			/* contains everything */
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fa), ==, -1);
	/* Neighbours that merely share a stem are fine. */
	o = O("1.3.6.1.2.1.25.40");
	CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fempty), ==, 0);
	o = O("1.3.6.1.2.1.1.2");
	CHECK_INT(mib_register_scalar(m, &o, scalar_get, (void *)(uintptr_t)7), ==, 0);
	/* A region needs callbacks. */
	o = O("1.3.6.1.9");
	CHECK_INT(mib_register(m, &o, fake_get, NULL, &fa), ==, -1);
	CHECK_INT(mib_register(m, &o, NULL, fake_next, &fa), ==, -1);
	mib_free(m);
}

static void
next_walks_in_order_across_region_boundaries(void)
{
	struct mib *m = build();

	/* Before everything. */
	CHECK(next_is(m, "0.0", "1.3.6.1.2.1.1.3.0"));
	CHECK(next_is(m, "1", "1.3.6.1.2.1.1.3.0"));
	/* From the scalar's instance into the next region, over fempty. */
	CHECK(next_is(m, "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.25.4.2.1.1.1"));
	CHECK(next_is(m, "1.3.6.1.2.1.25.4.2.1.1.1",
	    "1.3.6.1.2.1.25.4.2.1.1.7"));
	CHECK(next_is(m, "1.3.6.1.2.1.25.4.2.1.2.1", "1.3.6.1.4.1.8072.1.0"));
	CHECK(next_is(m, "1.3.6.1.3", "1.3.6.1.4.1.8072.1.0"));
	CHECK(next_is(m, "1.3.6.1.4.1.8072.1.0", "1.3.6.1.4.1.8072.5.5.5"));
	/* After everything. */
	CHECK(next_is(m, "1.3.6.1.4.1.8072.5.5.5", NULL));
	CHECK(next_is(m, "1.3.6.1.4.1.8073", NULL));
	CHECK(next_is(m, "2", NULL));
	mib_free(m);
}

static void
next_accepts_after_shorter_or_longer_than_a_prefix(void)
{
	struct mib *m = build();

	/* Shorter: a stem of the prefix. */
	CHECK(next_is(m, "1.3.6.1.2.1.25", "1.3.6.1.2.1.25.4.2.1.1.1"));
	CHECK(next_is(m, "1.3.6.1.4", "1.3.6.1.4.1.8072.1.0"));
	/* Equal to a prefix. */
	CHECK(next_is(m, "1.3.6.1.2.1.25.4", "1.3.6.1.2.1.25.4.2.1.1.1"));
	CHECK(next_is(m, "1.3.6.1.2.1.1.3", "1.3.6.1.2.1.1.3.0"));
	/* Longer: between and beyond instances. */
	CHECK(next_is(m, "1.3.6.1.2.1.25.4.2.1.1.1.5",
	    "1.3.6.1.2.1.25.4.2.1.1.7"));
	CHECK(next_is(m, "1.3.6.1.2.1.1.3.0.0", "1.3.6.1.2.1.25.4.2.1.1.1"));
	CHECK(next_is(m, "1.3.6.1.2.1.25.4.2.1.2.1.0", "1.3.6.1.4.1.8072.1.0"));
	/* Between regions. */
	CHECK(next_is(m, "1.3.6.1.2.1.2", "1.3.6.1.2.1.25.4.2.1.1.1"));
	mib_free(m);
}

static void
a_full_walk_is_strictly_increasing_and_complete(void)
{
	static const char *want[] = {
		"1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.25.4.2.1.1.1",
		"1.3.6.1.2.1.25.4.2.1.1.7", "1.3.6.1.2.1.25.4.2.1.2.1",
		"1.3.6.1.4.1.8072.1.0", "1.3.6.1.4.1.8072.5.5.5",
	};
	struct mib *m = build();
	struct oid cur = O("0"), found, w;
	struct snmp_value v;
	size_t n = 0;

	while (n < 100 && mib_next(m, &ctx, &cur, &found, &v) == MIB_OK) {
		CHECK(oid_cmp(&found, &cur) > 0);
		if (n < sizeof(want) / sizeof(want[0])) {
			w = O(want[n]);
			CHECK(oid_cmp(&found, &w) == 0);
		}
		cur = found;
		n++;
	}
	CHECK_INT(n, ==, sizeof(want) / sizeof(want[0]));
	mib_free(m);
}

static void
a_scalar_answers_only_its_zero_instance(void)
{
	struct mib *m = build();
	struct snmp_value v;
	struct oid o;

	o = O("1.3.6.1.2.1.1.3.0");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
	CHECK_INT(v.val_type, ==, BER_GAUGE32);
	CHECK_U64(v.val_uint, ==, 42);
	o = O("1.3.6.1.2.1.1.3");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHINSTANCE);
	o = O("1.3.6.1.2.1.1.3.1");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHINSTANCE);
	o = O("1.3.6.1.2.1.1.3.0.0");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHINSTANCE);
	mib_free(m);
}

/* Answers with the object sub-identifier of the instance it is asked. */
static int
object_get(void *arg, const struct mib_ctx *c, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	(void)c;
	val->val_type = BER_GAUGE32;
	val->val_uint = mib_scalar_object(oid);
	return MIB_OK;
}

static void
a_scalar_group_shares_one_get_that_sees_its_object(void)
{
	static const uint32_t objs[] = { 7, 1, 4 };
	struct mib *m = mib_new();
	struct snmp_value v;
	struct oid g = O("1.3.6.1.2.1.99"), o, f;

	CHECK_INT(mib_register_scalars(m, &g, objs, 3, object_get, NULL), ==,
	    0);
	o = O("1.3.6.1.2.1.99.4.0");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
	CHECK_U64(v.val_uint, ==, 4);
	o = O("1.3.6.1.2.1.99.2.0");
	CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_NOSUCHOBJECT);
	/* Registered out of order, walked in order. */
	o = O("1.3.6.1.2.1.99");
	CHECK_INT(mib_next(m, &ctx, &o, &f, &v), ==, MIB_OK);
	CHECK_U64(v.val_uint, ==, 1);
	CHECK_INT(mib_next(m, &ctx, &f, &f, &v), ==, MIB_OK);
	CHECK_U64(v.val_uint, ==, 4);
	CHECK_INT(mib_next(m, &ctx, &f, &f, &v), ==, MIB_OK);
	CHECK_U64(v.val_uint, ==, 7);
	CHECK_INT(mib_next(m, &ctx, &f, &f, &v), ==, MIB_END);
	/* A repeated object overlaps itself: refused. */
	CHECK_INT(mib_register_scalars(m, &g, objs, 1, object_get, NULL), ==,
	    -1);
	/* A group at the length limit leaves no room for object.0. */
	o.o_len = OID_MAX_LEN;
	CHECK_INT(mib_register_scalars(m, &o, objs, 1, object_get, NULL), ==,
	    -1);
	mib_free(m);
}

static void
an_absent_scalar_is_skipped_by_next(void)
{
	struct mib *m = build();
	struct oid o = O("1.3.6.1.2.1.1.1");

	CHECK_INT(mib_register_scalar(m, &o, absent_get, NULL), ==, 0);
	CHECK(next_is(m, "1.3.6.1.2.1.1", "1.3.6.1.2.1.1.3.0"));
	mib_free(m);
}

static void
a_misbehaving_next_is_skipped_and_never_loops(void)
{
	static const int modes[] = { FAKE_RETURNS_AFTER, FAKE_RETURNS_OUTSIDE,
	    FAKE_RETURNS_SMALLER, FAKE_RETURNS_GARBAGE };
	struct fake_region bad = { "1.3.6.1.2.1.25.4",
	    { "1.3.6.1.2.1.25.4.2.1.1.1", NULL }, 0, FAKE_GOOD };
	struct mib *m;
	struct oid o;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		m = mib_new();
		bad.fr_mode = modes[i];
		bad.fr_calls = 0;
		o = O(bad.fr_prefix);
		CHECK_INT(mib_register(m, &o, fake_get, fake_next, &bad), ==,
		    0);
		o = O(fb.fr_prefix);
		CHECK_INT(mib_register(m, &o, fake_get, fake_next, &fb), ==,
		    0);
		/* Inside the bad region: its answer is refused, fb follows. */
		CHECK(next_is(m, "1.3.6.1.2.1.25.4.2.1.1.1",
		    "1.3.6.1.4.1.8072.1.0"));
		/* Before it: found would be after `after` but is refused
		 * unless it is under the region and greater. */
		if (modes[i] == FAKE_RETURNS_SMALLER)
			CHECK(next_is(m, "1.3", "1.3.6.1.2.1.25.4.2.1.1.1"));
		else
			CHECK(next_is(m, "1.3", "1.3.6.1.4.1.8072.1.0"));
		CHECK_INT(bad.fr_calls, ==, 2);
		mib_free(m);
	}
}

static void
many_regions_stay_sorted(void)
{
	struct mib *m = mib_new();
	struct oid o, cur, found;
	struct snmp_value v;
	uint32_t i, n = 0;

	/* Insert 200 scalars in a scrambled order (37 is prime to 200). */
	for (i = 0; i < 200; i++) {
		o = O("1.3.6.1.4.1.8072.9");
		oid_append(&o, (i * 37) % 200 + 1);
		CHECK_INT(mib_register_scalar(m, &o, scalar_get,
		    (void *)(uintptr_t)((i * 37) % 200 + 1)), ==, 0);
	}
	cur = O("1");
	while (n < 1000 && mib_next(m, &ctx, &cur, &found, &v) == MIB_OK) {
		CHECK_INT(found.o_len, ==, 10);
		CHECK_U64(found.o_id[8], ==, n + 1);
		CHECK_U64(v.val_uint, ==, n + 1);
		cur = found;
		n++;
	}
	CHECK_INT(n, ==, 200);
	for (i = 1; i <= 200; i++) {
		o = O("1.3.6.1.4.1.8072.9");
		oid_append(&o, i);
		oid_append(&o, 0);
		CHECK_INT(mib_get(m, &ctx, &o, &v), ==, MIB_OK);
		CHECK_U64(v.val_uint, ==, i);
	}
	mib_free(m);
}

int
main(void)
{
	RUN(get_routes_to_the_region_containing_the_oid);
	RUN(get_outside_every_region_is_no_such_object);
	RUN(an_empty_registry_answers_nothing);
	RUN(overlapping_prefixes_are_refused);
	RUN(next_walks_in_order_across_region_boundaries);
	RUN(next_accepts_after_shorter_or_longer_than_a_prefix);
	RUN(a_full_walk_is_strictly_increasing_and_complete);
	RUN(a_scalar_answers_only_its_zero_instance);
	RUN(a_scalar_group_shares_one_get_that_sees_its_object);
	RUN(an_absent_scalar_is_skipped_by_next);
	RUN(a_misbehaving_next_is_skipped_and_never_loops);
	RUN(many_regions_stay_sorted);
	return t_done();
}
