/*
 * test_mib_hint: the walk fast paths give the answers of the slow ones.
 * mib_next() tries the region that answered last before searching, and the
 * table helper tries the row after the one it answered last (the hint in
 * mib_ctx.mc_row_hint) before its binary search.  Both are only hints, so
 * every answer here is checked against a reference computed without them:
 * for `after` values of every shape, in an order that keeps the hints
 * wrong as often as right, across a snapshot swap, and for every hint
 * value.  Not here: the MIB modules' values (test_mib_modules.c) or the
 * registry's other rules (test_mib.c).
 */
#include <stdint.h>
#include <string.h>

#include "agent/mib.h"
#include "agent/mib_table.h"
#include "agent/procfs.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

#define BASE		"1.3.6.1.4.1.99"
#define NREF		512	/* room for every instance of either snapshot */
#define NAFTER		4096

static struct procfs_proc procs_a[] = {
	{ .pp_pid = 1 }, { .pp_pid = 2 }, { .pp_pid = 5 }, { .pp_pid = 7 },
	{ .pp_pid = 127 }, { .pp_pid = 128 }, { .pp_pid = 300 },
	{ .pp_pid = 16384 }, { .pp_pid = 32768 }, { .pp_pid = 4194303 },
	{ .pp_pid = INT32_MAX - 1 },
};
static struct procfs_proc procs_b[] = {
	{ .pp_pid = 2 }, { .pp_pid = 3 }, { .pp_pid = 5 }, { .pp_pid = 6 },
	{ .pp_pid = 128 }, { .pp_pid = 129 }, { .pp_pid = 20000 },
};
static struct procfs_zparent zp_a[] = {
	{ .zp_pid = 1 }, { .zp_pid = 300 }, { .zp_pid = 301 },
};
static struct procfs_snapshot snap_a = { .ps_procs = procs_a,
	.ps_count = sizeof(procs_a) / sizeof(procs_a[0]),
	.ps_zparents = zp_a, .ps_nzparents = sizeof(zp_a) / sizeof(zp_a[0]) };
static struct procfs_snapshot snap_b = { .ps_procs = procs_b,
	.ps_count = sizeof(procs_b) / sizeof(procs_b[0]) };
static struct procfs_snapshot snap_empty;

static struct oid proc_entry, zp_entry;
/* Columns 2, 3 and 5 of the process table; 1 and 2 of the other. */
static struct mib_table proc_t = { &proc_entry, 0x2c, MIB_ROWS_PROCS, NULL };
static struct mib_table zp_t = { &zp_entry, 0x06, MIB_ROWS_ZPARENTS, NULL };

static struct mib *reg;
static struct mib_ctx ctx;
static struct oid ref[NREF];	/* every instance, in walk order */
static size_t nref;
static struct oid afters[NAFTER];
static size_t nafter;

static void
cell(const struct mib_ctx *c, uint32_t col, size_t row, struct snmp_value *v)
{
	(void)c;
	mib_set_int(v, (int64_t)col * 1000 + (int64_t)row);
}

static int
scalar_get(void *arg, const struct mib_ctx *c, const struct oid *oid,
    struct snmp_value *v)
{
	(void)arg;
	(void)c;
	mib_set_int(v, mib_scalar_object(oid));
	return MIB_OK;
}

static int
build(void)
{
	static const uint32_t first[] = { 1, 2 }, last[] = { 1 };
	struct oid g;

	proc_entry = O(BASE ".1.1");
	zp_entry = O(BASE ".2.1");
	proc_t.mt_cell = cell;
	zp_t.mt_cell = cell;
	if ((reg = mib_new()) == NULL)
		return -1;
	g = O(BASE ".0");
	if (mib_register_scalars(reg, &g, first, 2, scalar_get, NULL) != 0)
		return -1;
	g = O(BASE ".3");
	if (mib_register_scalars(reg, &g, last, 1, scalar_get, NULL) != 0)
		return -1;
	return mib_table_register(reg, &proc_t) == 0 &&
	    mib_table_register(reg, &zp_t) == 0 ? 0 : -1;
}

static void
ref_add(const char *s, uint32_t a, uint32_t b, int n)
{
	struct oid o = O(s);

	if (n >= 1)
		(void)oid_append(&o, a);
	if (n >= 2)
		(void)oid_append(&o, b);
	if (nref < NREF)
		ref[nref++] = o;
}

/* The instances of reg over s, in order, written out by hand. */
static void
ref_build(const struct procfs_snapshot *s)
{
	static const uint32_t pcols[] = { 2, 3, 5 }, zcols[] = { 1, 2 };
	size_t c, r;

	nref = 0;
	ref_add(BASE ".0.1.0", 0, 0, 0);
	ref_add(BASE ".0.2.0", 0, 0, 0);
	for (c = 0; c < 3; c++)
		for (r = 0; r < s->ps_count; r++)
			ref_add(BASE ".1.1", pcols[c],
			    (uint32_t)s->ps_procs[r].pp_pid, 2);
	for (c = 0; c < 2; c++)
		for (r = 0; r < s->ps_nzparents; r++)
			ref_add(BASE ".2.1", zcols[c],
			    (uint32_t)s->ps_zparents[r].zp_pid, 2);
	ref_add(BASE ".3.1.0", 0, 0, 0);
}

static void
after_add(const struct oid *o)
{
	if (nafter < NAFTER)
		afters[nafter++] = *o;
}

/*
 * `after` values of every shape: each instance of either snapshot, one
 * sub-id more or less, the last sub-id one up or down, cut short, and the
 * OIDs around and between the regions.
 */
static void
afters_build(void)
{
	static const char *const extra[] = { "0", "1.3", "1.3.6.1.4.1.98.9",
		BASE, BASE ".0", BASE ".1", BASE ".1.1", BASE ".1.1.1",
		BASE ".1.1.2", BASE ".1.1.4.7", BASE ".1.1.5.2147483647",
		BASE ".1.1.5.4294967295", BASE ".1.1.6", BASE ".1.1.31.1",
		BASE ".1.1.32", BASE ".1.1.4294967295", BASE ".1.2",
		BASE ".2.1.2.301.0", BASE ".2.1.3", BASE ".3.1.0",
		BASE ".3.1.0.0", BASE ".4", "2" };
	const struct procfs_snapshot *ss[] = { &snap_a, &snap_b };
	struct oid o;
	size_t i, k;

	nafter = 0;
	for (k = 0; k < 2; k++) {
		ref_build(ss[k]);
		for (i = 0; i < nref; i++) {
			o = ref[i];
			after_add(&o);
			(void)oid_append(&o, 0);
			after_add(&o);
			o = ref[i];
			o.o_id[o.o_len - 1]++;
			after_add(&o);
			o.o_id[o.o_len - 1] -= 2;
			after_add(&o);
			o.o_len--;
			after_add(&o);
		}
	}
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		o = O(extra[i]);
		after_add(&o);
	}
}

/* The first reference instance after a, or NULL at the end. */
static const struct oid *
ref_next(const struct oid *a)
{
	size_t i;

	for (i = 0; i < nref; i++)
		if (oid_cmp(&ref[i], a) > 0)
			return &ref[i];
	return NULL;
}

/*
 * Ask mib_next about every `after`, in steps of `stride` through the list
 * (so consecutive questions jump about), each answer checked against the
 * reference.  Returns the mismatches.
 */
static int
check_all(size_t stride)
{
	const struct oid *want;
	struct oid f;
	struct snmp_value v;
	char buf[OID_STR_MAX];
	size_t i, k;
	int rc, bad = 0;

	for (i = 0, k = 0; i < nafter; i++, k = (k + stride) % nafter) {
		memset(&v, 0, sizeof(v));
		rc = mib_next(reg, &ctx, &afters[k], &f, &v);
		want = ref_next(&afters[k]);
		if ((want == NULL) != (rc == MIB_END) ||
		    (want != NULL && (rc != MIB_OK ||
		    oid_cmp(&f, want) != 0))) {
			if (bad++ < 3) {
				(void)oid_format(&afters[k], buf, sizeof(buf));
				T_FAIL_("next(%s) wrong", buf);
			}
		}
	}
	return bad;
}

static void
next_answers_as_the_reference_in_any_order_with_or_without_hints(void)
{
	size_t hint = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.mc_snap = &snap_a;
	ref_build(&snap_a);
	CHECK(nref > 40);
	CHECK(nafter > 200);
	/* Stride 1 keeps the hints mostly right, 7 and 97 mostly wrong. */
	CHECK_INT(check_all(1), ==, 0);
	CHECK_INT(check_all(7), ==, 0);
	ctx.mc_row_hint = &hint;
	CHECK_INT(check_all(1), ==, 0);
	CHECK_INT(check_all(97), ==, 0);
	/* A new snapshot: the remembered row is now someone else's. */
	ctx.mc_snap = &snap_b;
	ref_build(&snap_b);
	CHECK_INT(check_all(1), ==, 0);
	CHECK_INT(check_all(13), ==, 0);
	ctx.mc_snap = &snap_empty;
	ref_build(&snap_empty);
	CHECK_INT(check_all(1), ==, 0);
	ctx.mc_snap = &snap_a;
	ref_build(&snap_a);
	CHECK_INT(check_all(3), ==, 0);
}

/* A walk that steps its own cursor sees every instance once, in order. */
static void
a_hinted_walk_visits_every_instance_in_order(void)
{
	struct oid cur = O("1");
	struct snmp_value v;
	size_t hint = 0, n = 0;
	int bad = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.mc_snap = &snap_a;
	ctx.mc_row_hint = &hint;
	ref_build(&snap_a);
	while (n < NREF && mib_next(reg, &ctx, &cur, &cur, &v) == MIB_OK) {
		if (n >= nref || oid_cmp(&cur, &ref[n]) != 0)
			bad++;
		n++;
	}
	CHECK_INT(bad, ==, 0);
	CHECK_INT(n, ==, nref);
}

/* Each table alone: the hinted next equals the plain one for any hint. */
static void
check_table(const struct mib_table *t, const struct procfs_snapshot *s,
    int *bad)
{
	struct oid f1, f2;
	uint32_t c1, c2;
	size_t i, h, hint, r1, r2, count;
	int rc1, rc2;

	count = t->mt_rows == MIB_ROWS_PROCS ? s->ps_count : s->ps_nzparents;
	for (i = 0; i < nafter; i++) {
		rc1 = mib_table_next(t, s, &afters[i], &f1, &c1, &r1);
		for (h = 0; h <= count + 3; h++) {
			hint = h == count + 3 ? SIZE_MAX : h;
			rc2 = mib_table_next_hinted(t, s, &afters[i], &f2,
			    &c2, &r2, &hint);
			if (rc1 != rc2 || (rc1 == MIB_OK && (c1 != c2 ||
			    r1 != r2 || oid_cmp(&f1, &f2) != 0 ||
			    hint != r1 + 1)))
				(*bad)++;
		}
	}
}

static void
the_hinted_table_next_answers_as_the_plain_one_for_every_hint(void)
{
	int bad = 0;

	check_table(&proc_t, &snap_a, &bad);
	check_table(&proc_t, &snap_b, &bad);
	check_table(&proc_t, &snap_empty, &bad);
	check_table(&zp_t, &snap_a, &bad);
	check_table(&zp_t, &snap_b, &bad);
	CHECK_INT(bad, ==, 0);
}

/* The row after the hinted one is taken only when it is the right one. */
static void
a_wrong_hint_falls_back_to_the_search(void)
{
	struct oid a = O(BASE ".1.1.3.128"), f, w = O(BASE ".1.1.3.300");
	uint32_t col;
	size_t row, hint;

	/* Right: row 5 is pid 128, so the answer is row 6. */
	hint = 6;
	CHECK_INT(mib_table_next_hinted(&proc_t, &snap_a, &a, &f, &col, &row,
	    &hint), ==, MIB_OK);
	CHECK(oid_cmp(&f, &w) == 0);
	CHECK_INT(row, ==, 6);
	CHECK_INT(hint, ==, 7);
	/* Wrong (row 2 is pid 5): the search still finds row 6. */
	hint = 3;
	CHECK_INT(mib_table_next_hinted(&proc_t, &snap_a, &a, &f, &col, &row,
	    &hint), ==, MIB_OK);
	CHECK(oid_cmp(&f, &w) == 0);
	CHECK_INT(row, ==, 6);
	/* Row 4 is pid 127 <= 128, but row 5 (128) is not > 128. */
	hint = 5;
	CHECK_INT(mib_table_next_hinted(&proc_t, &snap_a, &a, &f, &col, &row,
	    &hint), ==, MIB_OK);
	CHECK_INT(row, ==, 6);
	/* A pid between rows: 200 lies between 128 and 300. */
	a = O(BASE ".1.1.3.200");
	hint = 6;
	CHECK_INT(mib_table_next_hinted(&proc_t, &snap_a, &a, &f, &col, &row,
	    &hint), ==, MIB_OK);
	CHECK(oid_cmp(&f, &w) == 0);
}

int
main(void)
{
	if (build() != 0) {
		fprintf(stderr, "test_mib_hint: cannot build the registry\n");
		return 1;
	}
	afters_build();
	RUN(next_answers_as_the_reference_in_any_order_with_or_without_hints);
	RUN(a_hinted_walk_visits_every_instance_in_order);
	RUN(the_hinted_table_next_answers_as_the_plain_one_for_every_hint);
	RUN(a_wrong_hint_falls_back_to_the_search);
	mib_free(reg);
	return t_done();
}
