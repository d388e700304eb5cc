/*
 * test_agentx_serve: what a session answers to Get, GetNext and GetBulk
 * (agent/agentx_serve.c, RFC 2741 sec. 7.2.3), through a session over a
 * real registry: exceptions and nothing outside the registered subtrees,
 * include and range ends, walks across subtrees, GetBulk equal to the
 * GetNexts it stands for and cut at its caps, errors; and the same
 * registry and snapshot serving the UDP engine and AgentX alike over the
 * real PROCTEL-MIB on this host's /proc.  Session states and sequences:
 * test_agentx_sess.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "agent/agentx_serve.h"
#include "agent/engine.h"
#include "agent/pin.h"
#include "config/config.h"
#include "lib/addr.h"
#include "lib/clock.h"
#include "snmp/contract.h"
#include "tests/unit/agentx_fixture.h"

static const char *const pt_only[] = { PT };
static const char *const pt_and_table[] = { PT, TABLE };

static const struct agentx_pdu *
get(struct agentx_sess *s, const struct fx_range *r, size_t n)
{
	return fx_ask(s, AGENTX_PDU_GET, 0, 0, r, n, 1);
}

static const struct agentx_pdu *
next(struct agentx_sess *s, const char *start, bool include, const char *end)
{
	struct fx_range r = { start, include, end };

	return fx_ask(s, AGENTX_PDU_GETNEXT, 0, 0, &r, 1, 1);
}

static void
get_answers_values_and_exceptions_and_nothing_outside_the_subtree(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	static const struct fx_range r[] = { { PT ".1.1.1.0", false, NULL },
	    { PT ".1.1.5.0", false, NULL }, { PT ".1.3.1.0", false, NULL },
	    { "1.3.6.1.2.1.1.1.0", false, NULL }, { SIBLING ".0", false,
	    NULL }, { PT, false, NULL }, { PT ".1.2.3.0", true, PT_END } };
	const struct agentx_pdu *p;
	struct agentx_iter it;
	struct agentx_varbind vb;

	fx_open(s, 0);
	p = get(s, r, 7);
	CHECK_INT(p->p_error, ==, 0);
	CHECK(fx_varbinds_are(p, 7, (const char *[]){ VB_GAUGE PT ".1.1.1.0",
	    VB_NOINST PT ".1.1.5.0", VB_NOOBJ PT ".1.3.1.0",
	    VB_NOOBJ "1.3.6.1.2.1.1.1.0", VB_NOOBJ SIBLING ".0",
	    VB_NOOBJ PT, VB_STR PT ".1.2.3.0" }));
	agentx_iter_init(&it, p);
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
	CHECK_U64(vb.av_value.val_uint, ==, 7);
	agentx_sess_free(s);
}

static void
getnext_honours_include_and_the_end_of_its_range(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, 0);

	fx_open(s, 0);
	CHECK(fx_varbinds_are(next(s, PT ".1.1.1.0", true, NULL), 1,
	    (const char *[]){ VB_GAUGE PT ".1.1.1.0" }));
	CHECK(fx_varbinds_are(next(s, PT ".1.1.1.0", false, NULL), 1,
	    (const char *[]){ VB_GAUGE PT ".1.1.6.0" }));
	/* include on an OID that is no instance: the next one. */
	CHECK(fx_varbinds_are(next(s, PT ".1.1.2", true, NULL), 1,
	    (const char *[]){ VB_GAUGE PT ".1.1.6.0" }));
	/* The end is exclusive. */
	CHECK(fx_varbinds_are(next(s, PT ".1.1.6.0", false, PT ".1.2"), 1,
	    (const char *[]){ VB_END PT ".1.1.6.0" }));
	CHECK(fx_varbinds_are(next(s, PT ".1.1.6.0", false, PT ".1.2.3.0"),
	    1, (const char *[]){ VB_END PT ".1.1.6.0" }));
	CHECK(fx_varbinds_are(next(s, PT ".1.1.6.0", false, PT ".1.2.3.0.1"),
	    1, (const char *[]){ VB_STR PT ".1.2.3.0" }));
	CHECK(fx_varbinds_are(next(s, PT ".1.1.1.0", true, PT ".1.1.1.0"), 1,
	    (const char *[]){ VB_END PT ".1.1.1.0" }));
	CHECK(fx_varbinds_are(next(s, PT ".1.2", false, PT ".1.1"), 1,
	    (const char *[]){ VB_END PT ".1.2" }));
	agentx_sess_free(s);
}

static void
getnext_never_leaves_the_registered_subtrees(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, 0);

	fx_open(s, 0);
	/* From far below: sysDescr is in the registry, not registered. */
	CHECK(fx_varbinds_are(next(s, "1.3.6.1", false, NULL), 1,
	    (const char *[]){ VB_GAUGE PT ".1.1.1.0" }));
	CHECK(fx_varbinds_are(next(s, "1.3.6.1.4.1.8072.9999.9999", true,
	    PT_END), 1, (const char *[]){ VB_GAUGE PT ".1.1.1.0" }));
	CHECK(fx_varbinds_are(next(s, "", false, NULL), 1,
	    (const char *[]){ VB_GAUGE PT ".1.1.1.0" }));
	/* Past the last instance: the sibling region is not ours. */
	CHECK(fx_varbinds_are(next(s, PT ".1.2.3.0", false, NULL), 1,
	    (const char *[]){ VB_END PT ".1.2.3.0" }));
	CHECK(fx_varbinds_are(next(s, "2.0", false, NULL), 1,
	    (const char *[]){ VB_END "2.0" }));
	agentx_sess_free(s);
}

static void
getnext_crosses_from_one_subtree_into_the_next(void)
{
	struct agentx_sess *s = fx_new(pt_and_table, 2, 0);
	static const struct fx_range r[] = { { PT ".1.2.3.0", false, NULL },
	    { "1.3.6.1.5", false, NULL }, { TABLE ".20000", false, NULL },
	    { TABLE ".7.1", false, NULL }, { PT ".1.2.3.0", false, PT_END } };

	fx_open(s, 0);
	CHECK(fx_varbinds_are(fx_ask(s, AGENTX_PDU_GETNEXT, 0, 0, r, 5, 1), 5,
	    (const char *[]){ VB_GAUGE TABLE ".1", VB_GAUGE TABLE ".1",
	    VB_END TABLE ".20000", VB_GAUGE TABLE ".8",
	    VB_END PT ".1.2.3.0" }));
	agentx_sess_free(s);
}

static void
a_walk_visits_every_instance_once_in_order(void)
{
	static const char *const want[] = { PT ".1.1.1.0", PT ".1.1.6.0",
	    PT ".1.2.3.0" };
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	struct agentx_iter it;
	struct agentx_varbind vb;
	char cur[OID_STR_MAX] = "1.3.6.1.4.1.8072.9999.9999";
	size_t i;

	fx_open(s, 0);
	for (i = 0; i <= 3; i++) {
		agentx_iter_init(&it, next(s, cur, i == 0, PT_END));
		CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
		(void)oid_format(&vb.av_name, cur, sizeof(cur));
		if (i < 3)
			CHECK_STR(cur, want[i]);
		else
			CHECK_INT(vb.av_value.val_type, ==, BER_ENDOFMIBVIEW);
	}
	agentx_sess_free(s);
}

/*
 * The varbinds a GetBulk must give, computed with single GetNexts: N
 * non-repeaters, then up to M rounds over the rest, stopping after a
 * round where every repeater is at its end.  Compared with the GetBulk.
 */
/* One GetNext, its answer's name and type kept in names[k], types[k]. */
static char names[512][OID_STR_MAX];
static uint8_t types[512];

static void
record_next(struct agentx_sess *s, size_t k, const char *start, bool include,
    const char *end)
{
	struct agentx_iter it;
	struct agentx_varbind vb;

	agentx_iter_init(&it, next(s, start, include, end));
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
	(void)oid_format(&vb.av_name, names[k], OID_STR_MAX);
	types[k] = vb.av_value.val_type;
}

/*
 * The varbinds a GetBulk must give, computed with single GetNexts: nn
 * non-repeaters, then up to m rounds over the R others, each from the
 * previous round's answers, stopping after a round where every repeater
 * is at its end.  Then the GetBulk itself, compared.
 */
static void
bulk_equals_getnexts(struct agentx_sess *s, uint16_t n, uint16_t m,
    const struct fx_range *r, size_t nr)
{
	struct agentx_iter it;
	struct agentx_varbind vb;
	const struct agentx_pdu *p;
	char got[OID_STR_MAX];
	size_t i, j, k = 0, rep, base, nn = n < nr ? n : nr, R = nr - nn;
	bool all;

	for (i = 0; i < nn; i++, k++)
		record_next(s, k, r[i].start, r[i].include, r[i].end);
	for (rep = 0; rep < m && R > 0; rep++) {
		base = k - R;
		if (rep > 0) {
			for (all = true, j = 0; j < R; j++)
				all = all && types[base + j] ==
				    BER_ENDOFMIBVIEW;
			if (all)
				break;
		}
		for (j = 0; j < R; j++, k++) {
			if (rep == 0)
				record_next(s, k, r[nn + j].start,
				    r[nn + j].include, r[nn + j].end);
			else if (types[base + j] == BER_ENDOFMIBVIEW) {
				memcpy(names[k], names[base + j], OID_STR_MAX);
				types[k] = BER_ENDOFMIBVIEW;
			} else
				record_next(s, k, names[base + j], false,
				    r[nn + j].end);
		}
	}
	p = fx_ask(s, AGENTX_PDU_GETBULK, n, m, r, nr, 1);
	CHECK_INT(p->p_error, ==, 0);
	CHECK_U64(p->p_nitems, ==, k);
	agentx_iter_init(&it, p);
	for (i = 0; i < k && i < p->p_nitems; i++) {
		CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
		(void)oid_format(&vb.av_name, got, sizeof(got));
		CHECK_STR(got, names[i]);
		CHECK_INT(vb.av_value.val_type, ==, types[i]);
	}
}

static void
getbulk_equals_the_getnexts_it_stands_for(void)
{
	static const struct fx_range r[] = { { PT, true, NULL },
	    { PT ".1.1.1.0", false, NULL }, { TABLE ".19998", false, NULL },
	    { PT ".1.1", false, PT ".1.2" } };
	struct agentx_sess *s = fx_new(pt_and_table, 2, 0);

	fx_open(s, 0);
	bulk_equals_getnexts(s, 1, 3, r, 3);
	bulk_equals_getnexts(s, 0, 5, r, 4);
	bulk_equals_getnexts(s, 2, 4, r, 4);
	bulk_equals_getnexts(s, 4, 9, r, 4);
	bulk_equals_getnexts(s, 9, 9, r, 4);
	bulk_equals_getnexts(s, 1, 0, r, 4);
	bulk_equals_getnexts(s, 0, 1, r + 2, 1);
	/* Every repeater ended in the first round: one round only. */
	bulk_equals_getnexts(s, 0, 50, r + 3, 1);
	CHECK_U64(fx_ask(s, AGENTX_PDU_GETBULK, 0, 50, r + 3, 1, 1)->p_nitems,
	    ==, 3);
	agentx_sess_free(s);
}

static void
getbulk_stops_at_its_varbind_cap(void)
{
	static const struct fx_range r = { TABLE, false, NULL };
	struct agentx_sess *s = fx_new(pt_and_table, 2, 0);
	const struct agentx_pdu *p;
	struct agentx_iter it;
	struct agentx_varbind vb;
	size_t i;

	fx_open(s, 0);
	p = fx_ask(s, AGENTX_PDU_GETBULK, 0, 65535, &r, 1, 1);
	CHECK_U64(p->p_nitems, ==, AGENTX_SESS_BULK_MAX);
	agentx_iter_init(&it, p);
	for (i = 1; agentx_iter_varbind(&it, &vb) == 1; i++)
		if (vb.av_name.o_id[5] != i || vb.av_value.val_uint != i)
			break;
	CHECK_U64(i, ==, AGENTX_SESS_BULK_MAX + 1);
	agentx_sess_free(s);
}

/* agentx_serve() alone, into a Response of cap octets. */
static size_t
serve_into(uint8_t type, uint16_t n, uint16_t m, const struct fx_range *r,
    size_t nr, size_t cap, struct agentx_pdu *resp)
{
	static struct agentx_serve sv;
	static struct agentx_pdu req;
	static uint8_t out[4096];
	static const bool reg[2] = { true, true };
	struct agentx_sess_mib mib = fx_sess_mib;
	struct oid sub[2] = { O(PT), O(TABLE) };
	struct agentx_writer w;
	struct agentx_hdr h = au_hdr(AGENTX_PDU_RESPONSE, BE, 0, 0, 0);
	size_t len;

	mib.sm_mib = fx_mib;
	agentx_serve_init(&sv, &mib, sub, reg, 2);
	len = fx_request(fx_req_buf, type, BE, 1, 2, NULL, n, m, r, nr);
	CHECK_INT(agentx_pdu_decode(fx_req_buf, len, &req), ==, 0);
	agentx_write_init(&w, out, cap, &h, NULL, 0);
	agentx_write_response(&w, 0, 0, 0);
	agentx_serve(&sv, &req, &w, 1);
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	CHECK(len <= cap);
	CHECK_INT(agentx_pdu_decode(out, len, resp), ==, 0);
	return len;
}

static void
a_response_that_does_not_fit_is_cut_or_too_big(void)
{
	static const struct fx_range r[] = { { TABLE, false, NULL },
	    { PT ".1.2.3.0", true, NULL } };
	struct agentx_pdu p;
	size_t cap;

	/* GetBulk: each table varbind takes 16 octets after 28 of heads. */
	for (cap = 28 + 16; cap < 300; cap += 5) {
		serve_into(AGENTX_PDU_GETBULK, 0, 100, r, 1, cap, &p);
		CHECK_INT(p.p_error, ==, 0);
		CHECK_U64(p.p_nitems, ==, (cap - 28) / 16);
	}
	serve_into(AGENTX_PDU_GETBULK, 0, 100, r, 1, 28 + 15, &p);
	CHECK_INT(p.p_error, ==, SNMP_ERRSTAT_TOOBIG);
	CHECK_U64(p.p_nitems, ==, 0);
	/* Get and GetNext: all or tooBig, never a part. */
	serve_into(AGENTX_PDU_GETNEXT, 0, 0, r, 2, 1000, &p);
	CHECK_U64(p.p_nitems, ==, 2);
	serve_into(AGENTX_PDU_GETNEXT, 0, 0, r, 2, 28 + 16 + 40, &p);
	CHECK_INT(p.p_error, ==, SNMP_ERRSTAT_TOOBIG);
	CHECK_INT(p.p_index, ==, 0);
	CHECK_U64(p.p_nitems, ==, 0);
	serve_into(AGENTX_PDU_GET, 0, 0, r + 1, 1, 30, &p);
	CHECK_INT(p.p_error, ==, SNMP_ERRSTAT_TOOBIG);
}

/* A region whose values cannot be encoded: a module's bug. */
static int
bad_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	(void)ctx;
	(void)oid;
	val->val_type = BER_SEQUENCE;
	return MIB_OK;
}

static int
bad_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	struct oid o = O("1.3.6.1.8.1");

	if (oid_cmp(after, &o) >= 0)
		return MIB_END;
	*found = o;
	return bad_get(arg, ctx, found, val);
}

static void
errors_are_answered_with_no_varbinds(void)
{
	static const char *const subs[] = { PT, "1.3.6.1.8" };
	static const struct fx_range r[] = { { PT ".1.1.1.0", false, NULL },
	    { "1.3.6.1.8.1", false, NULL } };
	static const struct fx_range rb[] = { { PT ".1.1.1.0", false, NULL },
	    { "1.3.6.1.8", false, NULL } };
	struct oid bad = O("1.3.6.1.8");
	struct agentx_sess *s;
	const struct agentx_pdu *p;
	int before;

	CHECK_INT(mib_register(fx_mib, &bad, bad_get, bad_next, NULL), ==, 0);
	s = fx_new(subs, 2, 0);
	fx_open(s, 0);
	p = get(s, r, 2);
	CHECK_INT(p->p_error, ==, SNMP_ERRSTAT_GENERR);
	CHECK_INT(p->p_index, ==, 2);
	CHECK_U64(p->p_nitems, ==, 0);
	p = fx_ask(s, AGENTX_PDU_GETBULK, 1, 3, rb, 2, 1);
	CHECK_INT(p->p_error, ==, SNMP_ERRSTAT_GENERR);
	CHECK_INT(p->p_index, ==, 2);
	CHECK_U64(p->p_nitems, ==, 0);
	/* No context from the MIB: genErr, index 0; one begin per PDU. */
	fx_no_ctx = 1;
	before = fx_begins;
	p = get(s, r, 2);
	CHECK_INT(p->p_error, ==, SNMP_ERRSTAT_GENERR);
	CHECK_INT(p->p_index, ==, 0);
	p = fx_ask(s, AGENTX_PDU_GETBULK, 0, 9, r, 1, 1);
	CHECK_INT(p->p_error, ==, SNMP_ERRSTAT_GENERR);
	CHECK_INT(fx_begins - before, ==, 2);
	fx_no_ctx = 0;
	agentx_sess_free(s);
}

static void
a_walk_step_names_what_it_continues_from_and_answered_last(void)
{
	static const struct fx_range r[] = { { PT ".1.1.1.0", false, NULL },
	    { PT ".1.1.6.0", false, NULL } };
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	struct oid o;
	int ends;

	fx_open(s, 0);
	ends = fx_ends;
	(void)get(s, r, 1);
	CHECK(!fx_walk);
	CHECK_U64(fx_cont, ==, 0);
	CHECK_INT(fx_ends, ==, ends);
	(void)next(s, PT ".1.1.1.0", false, NULL);
	o = O(PT ".1.1.1.0");
	CHECK(fx_walk);
	CHECK_U64(fx_cont, ==, pin_oid_hash(&o));
	CHECK_INT(fx_ends, ==, ends + 1);
	o = O(PT ".1.1.6.0");
	CHECK_U64(fx_last, ==, pin_oid_hash(&o));
	/* Two ranges: the last one's start; the last answer. */
	(void)fx_ask(s, AGENTX_PDU_GETNEXT, 0, 0, r, 2, 1);
	CHECK_U64(fx_cont, ==, pin_oid_hash(&o));
	CHECK_INT(fx_ends, ==, ends + 2);
	o = O(PT ".1.2.3.0");
	CHECK_U64(fx_last, ==, pin_oid_hash(&o));
	/* A failed one is not a step. */
	fx_no_ctx = 1;
	(void)next(s, PT ".1.1.1.0", false, NULL);
	CHECK_INT(fx_ends, ==, ends + 2);
	fx_no_ctx = 0;
	agentx_sess_free(s);
}

/* ---- the same registry over UDP and AgentX ---- */

static struct procfs_snapshot real_snap;
static struct cfg_agent real_conf;
static struct engine *real_eng;
static struct mib_ctx real_ctx;
static size_t real_hint;

static const struct procfs_snapshot *
real_snap_fn(void *arg, uint64_t gen, bool walk, uint64_t now_ms)
{
	(void)arg;
	(void)gen;
	(void)walk;
	(void)now_ms;
	return &real_snap;
}

static const struct mib_ctx *
real_begin(void *arg, bool walk, uint64_t cont, uint64_t now_ms)
{
	(void)arg;
	(void)cont;
	/* As agent/agentx_io.c builds it: the engine's own way. */
	engine_ctx(real_eng, &real_ctx, 0, walk, now_ms, &real_hint);
	return &real_ctx;
}

/* One UDP GETNEXT of after through the engine: 0, or 1 past the end. */
/* PROCTEL-MIB, the subtree the session registers here. */
static struct oid proctel_base;
/* The real /proc, without command lines. */
static const struct procfs_opts real_opts = { false, 0 };

static int
udp_next(const struct oid *after, struct oid *found, struct snmp_value *v,
    uint8_t *strbuf)
{
	static struct snmp_varbind vbs[4];
	static uint8_t req[512], resp[4096];
	struct sockaddr_in src;
	struct snmp_reply r;
	struct snmp_value null;
	struct snmp_msg m;
	const uint8_t *msg;
	size_t len;

	memset(&null, 0, sizeof(null));
	null.val_type = BER_NULL;
	CHECK_INT(snmp_reply_init(&r, req, sizeof(req), sizeof(req),
	    SNMP_VERSION_2C, (const uint8_t *)"public", 6, 1), ==, 0);
	CHECK_INT(snmp_reply_set_type(&r, SNMP_PDU_GETNEXT), ==, 0);
	CHECK_INT(snmp_reply_add(&r, after, &null), ==, 0);
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &len), ==, 0);
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	len = engine_handle(real_eng, req, len, (struct sockaddr *)&src, resp,
	    sizeof(resp));
	if (len == 0 || snmp_msg_decode(resp, len, &m, vbs, 4) != 0 ||
	    m.m_nvbs != 1)
		return -1;
	*found = vbs[0].vb_oid;
	*v = vbs[0].vb_value;
	if (v->val_type == BER_OCTET_STRING) {
		memcpy(strbuf, v->val_str.ptr, v->val_str.len);
		v->val_str.ptr = strbuf;
	}
	return v->val_type == BER_ENDOFMIBVIEW ||
	    !oid_is_prefix(&proctel_base, found);
}

static void
the_same_registry_and_snapshot_serve_udp_and_agentx_alike(void)
{
	static struct addr_cidr lo;
	static char public[] = "public";
	static struct cfg_community comm = { .cc_name = public,
	    .cc_allow = &lo, .cc_nallow = 1, .cc_view = { .cv_all = true } };
	struct agentx_sess_conf c;
	struct agentx_sess_mib sm;
	struct agentx_sess *s;
	struct mib *m;
	struct oid cur, ucur, found, snapage;
	struct snmp_value uv;
	struct agentx_iter it;
	struct agentx_varbind vb;
	const char *errstr = NULL;
	char text[OID_STR_MAX];
	uint8_t strbuf[4096];
	size_t steps = 0;

	contract_oid(CONTRACT_proctelMIB, &proctel_base);
	cur = proctel_base;
	if (procfs_snapshot_take("/proc", &real_opts, &real_snap) != 0) {
		T_SKIP("/proc cannot be read");
		return;
	}
	CHECK_INT(addr_parse_cidr("127.0.0.0/8", &lo, &errstr), ==, 0);
	real_conf.ca_communities = &comm;
	real_conf.ca_ncommunities = 1;
	m = mib_new();
	CHECK(m != NULL && mib_system_register(m) == 0 &&
	    mib_snmp_register(m) == 0 && mib_host_register(m) == 0 &&
	    mib_proctel_register(m) == 0);
	real_eng = engine_new(m, &real_conf, real_snap_fn, NULL);
	memset(&c, 0, sizeof(c));
	c.sc_subtrees = &proctel_base;
	c.sc_nsubtrees = 1;
	c.sc_response_ms = 1000;
	sm.sm_mib = m;
	sm.sm_begin = real_begin;
	sm.sm_arg = NULL;
	sm.sm_end = NULL;
	s = agentx_sess_new(&c, &sm, &errstr);
	CHECK(s != NULL);
	fx_open(s, clock_mono_ms());
	snapage = O(PT ".1.1.13.0");
	ucur = cur;
	/* Walk both, step by step, until AgentX says endOfMibView. */
	for (;;) {
		(void)oid_format(&cur, text, sizeof(text));
		agentx_iter_init(&it, next(s, text, false, NULL));
		CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
		if (udp_next(&ucur, &found, &uv, strbuf) != 0) {
			CHECK_INT(vb.av_value.val_type, ==, BER_ENDOFMIBVIEW);
			break;
		}
		CHECK_INT(oid_cmp(&vb.av_name, &found), ==, 0);
		CHECK_INT(vb.av_value.val_type, ==, uv.val_type);
		if (oid_cmp(&found, &snapage) != 0 && (uv.val_type ==
		    BER_OCTET_STRING ? vb.av_value.val_str.len !=
		    uv.val_str.len || memcmp(vb.av_value.val_str.ptr,
		    uv.val_str.ptr, uv.val_str.len) != 0 :
		    vb.av_value.val_uint != uv.val_uint)) {
			(void)oid_format(&found, text, sizeof(text));
			T_FAIL_("value of %s differs", text);
		}
		if (oid_cmp(&vb.av_name, &found) != 0 || ++steps > 100000)
			break;
		cur = vb.av_name;
		ucur = found;
	}
	/* Every process has rows: far more than the scalars. */
	CHECK(steps > 20);
	agentx_sess_free(s);
	engine_free(real_eng);
	mib_free(m);
	procfs_snapshot_free(&real_snap);
}

int
main(void)
{
	fx_setup();
	RUN(get_answers_values_and_exceptions_and_nothing_outside_the_subtree);
	RUN(getnext_honours_include_and_the_end_of_its_range);
	RUN(getnext_never_leaves_the_registered_subtrees);
	RUN(getnext_crosses_from_one_subtree_into_the_next);
	RUN(a_walk_visits_every_instance_once_in_order);
	RUN(getbulk_equals_the_getnexts_it_stands_for);
	RUN(getbulk_stops_at_its_varbind_cap);
	RUN(a_response_that_does_not_fit_is_cut_or_too_big);
	RUN(errors_are_answered_with_no_varbinds);
	RUN(a_walk_step_names_what_it_continues_from_and_answered_last);
	RUN(the_same_registry_and_snapshot_serve_udp_and_agentx_alike);
	mib_free(fx_mib);
	return t_done();
}
