/*
 * Unit tests of collector/walk.c without a network: replies are built as
 * net-snmp varbind lists and PDUs in memory.  Covers every walk stop
 * condition (end of table, endOfMibView, a loop, an empty reply, a
 * sub-identifier over 2^32-1), max_rows, the grouping into rows, value
 * conversion of every type, and GET reply handling (tooBig, v1
 * noSuchName, mismatched replies).
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "collector/run_arena.h"
#include "collector/walk.h"
#include "config/config.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

/* Append "prefix.a.b" with an integer or string value. */
static void
add(netsnmp_variable_list **vl, const char *text, u_char type,
    const void *val, size_t len)
{
	struct oid x = O(text);
	oid name[OID_MAX_LEN];
	size_t i;

	for (i = 0; i < x.o_len; i++)
		name[i] = x.o_id[i];
	snmp_varlist_add_variable(vl, name, x.o_len, type, val, len);
}

static void
add_int(netsnmp_variable_list **vl, const char *text, long v)
{
	add(vl, text, ASN_INTEGER, &v, sizeof(v));
}

static void
add_str(netsnmp_variable_list **vl, const char *text, const char *s)
{
	add(vl, text, ASN_OCTET_STR, s, strlen(s));
}

#define ZP	"1.3.6.1.4.1.8072.9999.9999.1.1.4.1"

static void
a_walk_ends_at_the_end_of_the_table_and_groups_rows(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O(ZP), want;
	struct sample_table t;

	walk_begin(&w, &e, 0);
	/* Column-major, as GETBULK returns it: col 2 then col 3. */
	add_str(&vl, ZP ".2.812", "bash");
	add_str(&vl, ZP ".2.900", "make");
	add_int(&vl, ZP ".3.812", 3);
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_MORE);
	want = O(ZP ".3.812");
	CHECK_INT(oid_cmp(walk_next_oid(&w), &want), ==, 0);
	snmp_free_varbind(vl);
	vl = NULL;
	add_int(&vl, ZP ".3.900", 1);
	add_int(&vl, "1.3.6.1.4.1.8072.9999.9999.1.1.5.0", 7);	/* outside */
	add_int(&vl, ZP ".3.999", 1);	/* after the end: ignored */
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_SUBTREE);
	snmp_free_varbind(vl);
	CHECK_INT(walk_build(&w, "zp", a, &t), ==, 0);
	CHECK_STR(t.st_name, "zp");
	CHECK_INT(t.st_nrows, ==, 2);
	if (t.st_nrows == 2) {
		CHECK_STR(t.st_rows[0].sr_index, "812");
		CHECK_INT(t.st_rows[0].sr_ncols, ==, 2);
		CHECK_STR(t.st_rows[0].sr_cols[0].sv_name, "ptZpName");
		CHECK_MEM(t.st_rows[0].sr_cols[0].sv_str,
		    t.st_rows[0].sr_cols[0].sv_len, "bash", 4);
		CHECK_STR(t.st_rows[0].sr_cols[1].sv_name, "ptZpZombies");
		CHECK_INT(t.st_rows[0].sr_cols[1].sv_int, ==, 3);
		CHECK_STR(t.st_rows[1].sr_index, "900");
		CHECK_INT(t.st_rows[1].sr_cols[1].sv_int, ==, 1);
	}
	run_arena_free(a);
}

static void
end_of_mib_view_and_empty_replies_end_a_walk(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O(ZP);

	walk_begin(&w, &e, 0);
	add(&vl, ZP ".2.5", SNMP_ENDOFMIBVIEW, NULL, 0);
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_MIBVIEW);
	snmp_free_varbind(vl);
	vl = NULL;
	walk_begin(&w, &e, 0);
	add(&vl, ZP ".2.5", SNMP_NOSUCHOBJECT, NULL, 0);
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_MIBVIEW);
	snmp_free_varbind(vl);
	walk_begin(&w, &e, 0);
	CHECK_INT(walk_feed(&w, NULL, a), ==, WALK_END_EMPTY);
	run_arena_free(a);
}

static void
an_oid_that_does_not_increase_stops_the_walk(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O(ZP);
	struct sample_table t;

	walk_begin(&w, &e, 0);
	add_str(&vl, ZP ".2.10", "x");
	add_str(&vl, ZP ".2.10", "x");	/* the same again: a loop */
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_LOOP);
	snmp_free_varbind(vl);
	vl = NULL;
	walk_begin(&w, &e, 0);
	add_str(&vl, ZP ".2.10", "x");
	add_str(&vl, ZP ".2.9", "y");	/* backwards */
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_LOOP);
	CHECK_INT(walk_build(&w, "zp", a, &t), ==, 0);
	CHECK_INT(t.st_nrows, ==, 1);
	snmp_free_varbind(vl);
	vl = NULL;
	/* The entry OID itself is not inside the table. */
	walk_begin(&w, &e, 0);
	add_str(&vl, ZP, "x");
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_SUBTREE);
	snmp_free_varbind(vl);
	run_arena_free(a);
}

static void
a_sub_identifier_over_32_bits_stops_the_walk(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O(ZP);
	oid name[OID_MAX_LEN];
	long v = 1;
	size_t i;

	for (i = 0; i < e.o_len; i++)
		name[i] = e.o_id[i];
	name[i++] = 2;
	name[i++] = (oid)0x100000000ULL;
	walk_begin(&w, &e, 0);
	snmp_varlist_add_variable(&vl, name, i, ASN_INTEGER, &v, sizeof(v));
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_BADOID);
	snmp_free_varbind(vl);
	run_arena_free(a);
}

static void
max_rows_cuts_each_column_and_skips_to_the_next(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O(ZP), want = O(ZP ".3");
	struct sample_table t;

	walk_begin(&w, &e, 2);
	add_str(&vl, ZP ".2.1", "a");
	add_str(&vl, ZP ".2.2", "b");
	add_str(&vl, ZP ".2.3", "c");	/* third row: over max_rows */
	add_str(&vl, ZP ".2.4", "d");
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_MORE);
	CHECK_INT(oid_cmp(walk_next_oid(&w), &want), ==, 0);
	CHECK(w.w_truncated);
	snmp_free_varbind(vl);
	vl = NULL;
	add_int(&vl, ZP ".3.1", 10);
	add_int(&vl, ZP ".3.2", 20);
	add_int(&vl, ZP ".3.3", 30);
	add_int(&vl, ZP ".4.1", 40);	/* skipped with the rest */
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_MORE);
	want = O(ZP ".4");
	CHECK_INT(oid_cmp(walk_next_oid(&w), &want), ==, 0);
	snmp_free_varbind(vl);
	vl = NULL;
	add_int(&vl, ZP ".4.1", 40);
	add_int(&vl, ZP ".4.2", 50);
	add(&vl, ZP ".4.2", SNMP_ENDOFMIBVIEW, NULL, 0);
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_MIBVIEW);
	snmp_free_varbind(vl);
	CHECK_INT(walk_build(&w, "zp", a, &t), ==, 0);
	CHECK_INT(t.st_nrows, ==, 2);
	if (t.st_nrows == 2) {
		CHECK_INT(t.st_rows[0].sr_ncols, ==, 3);
		CHECK_INT(t.st_rows[1].sr_ncols, ==, 3);
		CHECK_INT(t.st_rows[1].sr_cols[2].sv_int, ==, 50);
	}
	run_arena_free(a);
}

/*
 * An agent answering column after column of increasing OIDs (each column
 * within max_rows) would keep a walk going, and growing, until the run's
 * deadline: the walk stops after WALK_MAX_COLUMNS columns instead.
 */
static void
endless_new_columns_stop_the_walk_at_the_column_cap(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O(ZP);
	struct sample_table t;
	enum walk_status st = WALK_MORE;
	char name[80];
	int col, feeds = 0;

	walk_begin(&w, &e, 1);
	/* Ten columns per reply, each with one row, forever. */
	for (col = 1; st == WALK_MORE && feeds < 1000; feeds++) {
		for (int k = 0; k < 10; k++, col++) {
			(void)snprintf(name, sizeof(name), ZP ".%d.1", col);
			add_int(&vl, name, col);
		}
		st = walk_feed(&w, vl, a);
		snmp_free_varbind(vl);
		vl = NULL;
	}
	CHECK_INT(st, ==, WALK_END_COLUMNS);
	CHECK_INT(feeds, <, 1000);
	CHECK_U64(w.w_nentries, ==, WALK_MAX_COLUMNS);
	CHECK_INT(walk_build(&w, "zp", a, &t), ==, 0);
	CHECK_INT(t.st_nrows, ==, 1);
	if (t.st_nrows == 1)
		CHECK_INT(t.st_rows[0].sr_ncols, ==, WALK_MAX_COLUMNS);
	run_arena_free(a);
}

/*
 * Rows of big strings stop the walk once the bytes it was allowed are
 * spent; what it took from the arena, rows built included, is no more than
 * it counted.
 */
static void
endless_big_strings_stop_the_walk_at_its_allowance(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O(ZP);
	struct sample_table t;
	enum walk_status st = WALK_MORE;
	static char big[60001];
	char name[80];
	int row = 1, feeds = 0;

	memset(big, 'x', sizeof(big) - 1);
	walk_begin(&w, &e, 1000000);
	walk_allow(&w, 8 << 20);
	for (; st == WALK_MORE && feeds < 10000; feeds++) {
		(void)snprintf(name, sizeof(name), ZP ".2.%d", row++);
		add_str(&vl, name, big);
		st = walk_feed(&w, vl, a);
		snmp_free_varbind(vl);
		vl = NULL;
	}
	CHECK_INT(st, ==, WALK_END_BUDGET);
	CHECK_INT(feeds, <, 10000);
	CHECK_U64(walk_bytes(&w), <=, 8 << 20);
	CHECK_U64(w.w_nentries, <=, (8 << 20) / 60000);
	CHECK_U64(w.w_nentries, >=, (8 << 20) / 60000 - 10);
	CHECK_INT(walk_build(&w, "zp", a, &t), ==, 0);
	CHECK_U64(t.st_nrows, ==, w.w_nentries);
	CHECK_U64(run_arena_used(a), <=, walk_bytes(&w));
	run_arena_free(a);
}

/*
 * The worst case for walk_build(): every varbind a row of its own, with
 * the longest index an OID may have, in a column without a name, holding
 * no bytes.  The arena still holds no more than the walk counted, so a
 * budget checked against walk_bytes() holds once rows are built.
 */
static void
building_rows_never_takes_more_than_the_walk_counted(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O("1.3.6.1.4.1.99999.7.1");
	struct sample_table t;
	char name[OID_STR_MAX + 64];
	size_t len, i, rows = 0;
	int k;

	walk_begin(&w, &e, 0);
	for (k = 0; k < 200; k++) {
		len = (size_t)snprintf(name, sizeof(name),
		    "1.3.6.1.4.1.99999.7.1.77.%d", k + 1);
		/* 1.3.6.1.4.1.99999.7.1.77 is 11 long: fill up to 128. */
		for (i = 12; i < OID_MAX_LEN; i++)
			len += (size_t)snprintf(name + len, sizeof(name) - len,
			    ".4294967295");
		add_int(&vl, name, k);
		CHECK_INT(walk_feed(&w, vl, a), ==, WALK_MORE);
		snmp_free_varbind(vl);
		vl = NULL;
	}
	CHECK_INT(walk_build(&w, "t", a, &t), ==, 0);
	rows = t.st_nrows;
	CHECK_U64(rows, ==, 200);
	CHECK_STR(t.st_rows[0].sr_cols[0].sv_name, "77");
	CHECK_U64(run_arena_used(a), <=, walk_bytes(&w));
	run_arena_free(a);
}

static void
an_unknown_table_given_by_its_table_oid_is_unshifted(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL;
	struct walk w;
	struct oid e = O("1.3.6.1.2.1.2.2");	/* ifTable, not ifEntry */
	struct sample_table t;

	walk_begin(&w, &e, 0);
	add_int(&vl, "1.3.6.1.2.1.2.2.1.1.1", 1);
	add_int(&vl, "1.3.6.1.2.1.2.2.1.1.2", 2);
	add_str(&vl, "1.3.6.1.2.1.2.2.1.2.1", "lo");
	add_str(&vl, "1.3.6.1.2.1.2.2.1.2.2", "eth0");
	add_str(&vl, "1.3.6.1.2.1.2.3.0", "end");
	CHECK_INT(walk_feed(&w, vl, a), ==, WALK_END_SUBTREE);
	snmp_free_varbind(vl);
	CHECK_INT(walk_build(&w, "if", a, &t), ==, 0);
	CHECK_INT(t.st_nrows, ==, 2);
	if (t.st_nrows == 2) {
		CHECK_STR(t.st_rows[1].sr_index, "2");
		CHECK_STR(t.st_rows[1].sr_cols[0].sv_name, "1");
		CHECK_STR(t.st_rows[1].sr_cols[1].sv_name, "2");
		CHECK_MEM(t.st_rows[1].sr_cols[1].sv_str,
		    t.st_rows[1].sr_cols[1].sv_len, "eth0", 4);
	}
	run_arena_free(a);
}

static void
every_value_type_converts(void)
{
	struct run_arena *a = run_arena_new();
	netsnmp_variable_list *vl = NULL, *v;
	struct sample_value sv[9];
	struct counter64 c64 = { 0x1, 0x2 };
	u_long u = 4294967295UL;
	u_char ip[4] = { 10, 0, 0, 254 };
	oid obj[] = { 1, 3, 6, 1, 4, 1, 8072 };
	long neg = -5;
	size_t i;

	add(&vl, "1.1", ASN_INTEGER, &neg, sizeof(neg));
	add(&vl, "1.2", ASN_COUNTER, &u, sizeof(u));
	add(&vl, "1.3", ASN_GAUGE, &u, sizeof(u));
	add(&vl, "1.4", ASN_TIMETICKS, &u, sizeof(u));
	add(&vl, "1.5", ASN_COUNTER64, &c64, sizeof(c64));
	add(&vl, "1.6", ASN_OCTET_STR, "a\0b", 3);
	add(&vl, "1.7", ASN_IPADDRESS, ip, 4);
	add(&vl, "1.8", ASN_OBJECT_ID, obj, sizeof(obj));
	add(&vl, "1.9", SNMP_NOSUCHINSTANCE, NULL, 0);
	for (v = vl, i = 0; v != NULL && i < 9; v = v->next_variable, i++)
		CHECK_INT(walk_value_convert(v, a, &sv[i]), ==, 0);
	CHECK_INT(sv[0].sv_kind, ==, SV_INT);
	CHECK_INT(sv[0].sv_int, ==, -5);
	CHECK_INT(sv[0].sv_asn_type, ==, ASN_INTEGER);
	for (i = 1; i < 4; i++) {
		CHECK_INT(sv[i].sv_kind, ==, SV_UINT);
		CHECK_U64(sv[i].sv_uint, ==, 4294967295ULL);
	}
	CHECK_INT(sv[4].sv_kind, ==, SV_UINT);
	CHECK_U64(sv[4].sv_uint, ==, 0x100000002ULL);
	CHECK_INT(sv[5].sv_kind, ==, SV_STRING);
	CHECK_MEM(sv[5].sv_str, sv[5].sv_len, "a\0b", 3);
	CHECK_INT(sv[6].sv_kind, ==, SV_STRING);
	CHECK_STR(sv[6].sv_str, "10.0.0.254");
	CHECK_STR(sv[7].sv_str, "1.3.6.1.4.1.8072");
	CHECK_INT(sv[8].sv_kind, ==, SV_ABSENT);
	snmp_free_varbind(vl);
	run_arena_free(a);
}

static struct cfg_metric metrics[4];

static void
metrics_init(void)
{
	static char n0[] = "m0", n1[] = "m1", n2[] = "m2", n3[] = "m3";
	const char *errstr;

	metrics[0].cm_name = n0;
	metrics[1].cm_name = n1;
	metrics[2].cm_name = n2;
	metrics[3].cm_name = n3;
	(void)oid_parse("1.3.6.1.2.1.1.1.0", &metrics[0].cm_oid, &errstr);
	(void)oid_parse("1.3.6.1.2.1.1.3.0", &metrics[1].cm_oid, &errstr);
	(void)oid_parse("1.3.6.1.2.1.1.5.0", &metrics[2].cm_oid, &errstr);
	(void)oid_parse("1.3.6.1.2.1.1.6.0", &metrics[3].cm_oid, &errstr);
}

static netsnmp_pdu *
reply(long errstat, long errindex)
{
	netsnmp_pdu *p = snmp_pdu_create(SNMP_MSG_RESPONSE);

	p->errstat = errstat;
	p->errindex = errindex;
	return p;
}

static void
get_replies_fill_values_split_on_toobig_and_drop_v1_nosuchname(void)
{
	struct run_arena *a = run_arena_new();
	struct sample_value vals[4];
	netsnmp_pdu *p;
	uint16_t chunk = 32;
	char why[128];

	metrics_init();
	memset(vals, 0, sizeof(vals));
	p = reply(SNMP_ERR_TOOBIG, 0);
	CHECK_INT(walk_get_reply(p, metrics, vals, 0, 4, &chunk, a, SIZE_MAX,
	    why, sizeof(why)), ==, WALK_GET_AGAIN);
	CHECK_INT(chunk, ==, 2);
	snmp_free_pdu(p);
	/* v1: the agent names varbind 2 (m1) noSuchName. */
	p = reply(SNMP_ERR_NOSUCHNAME, 2);
	CHECK_INT(walk_get_reply(p, metrics, vals, 0, 2, &chunk, a, SIZE_MAX,
	    why, sizeof(why)), ==, WALK_GET_AGAIN);
	CHECK_INT(vals[1].sv_kind, ==, SV_ABSENT);
	CHECK_STR(vals[1].sv_name, "m1");
	snmp_free_pdu(p);
	/* Asked again for m0 alone (m1 is resolved). */
	p = reply(SNMP_ERR_NOERROR, 0);
	add_str(&p->variables, "1.3.6.1.2.1.1.1.0", "descr");
	CHECK_INT(walk_get_reply(p, metrics, vals, 0, 2, &chunk, a, SIZE_MAX,
	    why, sizeof(why)), ==, WALK_GET_DONE);
	CHECK_STR(vals[0].sv_name, "m0");
	CHECK_STR(vals[0].sv_str, "descr");
	snmp_free_pdu(p);
	/* A reply with another OID than asked is an error. */
	p = reply(SNMP_ERR_NOERROR, 0);
	add_str(&p->variables, "1.3.6.1.2.1.1.6.0", "where");
	CHECK_INT(walk_get_reply(p, metrics, vals, 2, 4, &chunk, a, SIZE_MAX,
	    why, sizeof(why)), ==, WALK_GET_ERROR);
	snmp_free_pdu(p);
	/* A short reply too. */
	p = reply(SNMP_ERR_NOERROR, 0);
	add_str(&p->variables, "1.3.6.1.2.1.1.5.0", "name");
	CHECK_INT(walk_get_reply(p, metrics, vals, 2, 4, &chunk, a, SIZE_MAX,
	    why, sizeof(why)), ==, WALK_GET_ERROR);
	snmp_free_pdu(p);
	/* tooBig for a single varbind, and genErr, are errors. */
	memset(vals, 0, sizeof(vals));
	p = reply(SNMP_ERR_TOOBIG, 0);
	CHECK_INT(walk_get_reply(p, metrics, vals, 3, 4, &chunk, a, SIZE_MAX,
	    why, sizeof(why)), ==, WALK_GET_ERROR);
	snmp_free_pdu(p);
	p = reply(SNMP_ERR_GENERR, 1);
	CHECK_INT(walk_get_reply(p, metrics, vals, 0, 4, &chunk, a, SIZE_MAX,
	    why, sizeof(why)), ==, WALK_GET_ERROR);
	snmp_free_pdu(p);
	run_arena_free(a);
}

static void
a_get_reply_over_its_allowance_converts_nothing(void)
{
	struct run_arena *a = run_arena_new();
	struct sample_value vals[4];
	netsnmp_pdu *p;
	uint16_t chunk = 32;
	static char big[1001];
	char why[128];

	metrics_init();
	memset(vals, 0, sizeof(vals));
	memset(big, 'y', sizeof(big) - 1);
	p = reply(SNMP_ERR_NOERROR, 0);
	add_str(&p->variables, "1.3.6.1.2.1.1.5.0", "name");
	add_str(&p->variables, "1.3.6.1.2.1.1.6.0", big);
	/* Both strings need 16 + 1008 bytes of the arena. */
	CHECK_INT(walk_get_reply(p, metrics, vals, 2, 4, &chunk, a, 1023,
	    why, sizeof(why)), ==, WALK_GET_BUDGET);
	CHECK(vals[2].sv_name == NULL && vals[3].sv_name == NULL);
	CHECK_U64(run_arena_used(a), ==, 0);
	CHECK_INT(walk_get_reply(p, metrics, vals, 2, 4, &chunk, a, 1024,
	    why, sizeof(why)), ==, WALK_GET_DONE);
	CHECK_U64(run_arena_used(a), ==, 1024);
	CHECK_MEM(vals[3].sv_str, vals[3].sv_len, big, sizeof(big) - 1);
	snmp_free_pdu(p);
	run_arena_free(a);
}

static void
the_arena_survives_big_and_many_allocations_and_resets(void)
{
	struct run_arena *a = run_arena_new();
	char *p;
	size_t i;
	int bad = 0;

	for (i = 0; i < 10000; i++) {
		p = run_arena_alloc(a, 100);
		if (p == NULL || ((uintptr_t)p & 15) != 0 || p[99] != 0)
			bad++;
		else
			memset(p, 0xff, 100);
	}
	CHECK(run_arena_alloc(a, 1 << 20) != NULL);
	CHECK(run_arena_calloc(a, SIZE_MAX / 2, 4) == NULL);
	CHECK(run_arena_alloc(a, SIZE_MAX) == NULL);
	CHECK_INT(bad, ==, 0);
	run_arena_reset(a);
	CHECK_U64(run_arena_size(a), <=, 1 << 20);
	p = run_arena_alloc(a, 10);
	CHECK(p != NULL && p[0] == 0);
	run_arena_free(a);
	run_arena_free(NULL);
}

int
main(void)
{
	RUN(a_walk_ends_at_the_end_of_the_table_and_groups_rows);
	RUN(end_of_mib_view_and_empty_replies_end_a_walk);
	RUN(an_oid_that_does_not_increase_stops_the_walk);
	RUN(a_sub_identifier_over_32_bits_stops_the_walk);
	RUN(max_rows_cuts_each_column_and_skips_to_the_next);
	RUN(endless_new_columns_stop_the_walk_at_the_column_cap);
	RUN(endless_big_strings_stop_the_walk_at_its_allowance);
	RUN(building_rows_never_takes_more_than_the_walk_counted);
	RUN(a_get_reply_over_its_allowance_converts_nothing);
	RUN(an_unknown_table_given_by_its_table_oid_is_unshifted);
	RUN(every_value_type_converts);
	RUN(get_replies_fill_values_split_on_toobig_and_drop_v1_nosuchname);
	RUN(the_arena_survives_big_and_many_allocations_and_resets);
	return t_done();
}
