/*
 * agentx_fixture: what test_agentx_sess.c and test_agentx_serve.c share: a
 * real MIB registry (agent/mib.c) with synthetic regions, a session over
 * it, and a fake master: its PDUs built with the codec's writer, our
 * output drained and decoded.  The regions answer as the net-snmp `pass`
 * script of notes/agentx.md did, so captured master PDUs get the captured
 * answers:
 *	PT.1.1.1.0 = Gauge32 fx_processes (7), PT.1.1.6.0 = Gauge32 2, any
 *	other PT.1.1.x noSuchInstance; PT.1.2.3.0 = "proctel-test";
 * plus regions a session must not leak into (1.3.6.1.2.1.1.1, a scalar
 * sysDescr; PT's sibling 1.3.6.1.4.1.8072.9999.9999.2.1, a scalar) and a
 * long table 1.3.6.1.9.N = Gauge32 N (N = 1..FX_ROWS) for GetBulk.
 * Static, as engine_fixture.h: each test is a program of its own.
 */
#ifndef PT_AGENTX_FIXTURE_H
#define PT_AGENTX_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "agent/agentx_sess.h"
#include "agent/mib.h"
#include "snmp/agentx.h"
#include "snmp/pdu.h"
#include "tests/harness.h"
#include "tests/unit/agentx_util.h"
#include "tests/unit/test_util.h"

#define PT		"1.3.6.1.4.1.8072.9999.9999.1"
#define PT_END		"1.3.6.1.4.1.8072.9999.9999.2"
#define SIBLING		"1.3.6.1.4.1.8072.9999.9999.2.1"
#define TABLE		"1.3.6.1.9"
#define FX_ROWS		20000u
#define BE		AGENTX_F_NETWORK_BYTE_ORDER
#define CTX		AGENTX_F_NON_DEFAULT_CONTEXT
#define FX_SID		5u
#define FX_RESPONSE_MS	1000u
#define FX_PING_MS	5000u

struct fx_obj {
	const char		*fo_name;
	struct snmp_value	 fo_val;
	struct oid		 fo_oid;	/* parsed at setup */
};

/* A region answered from a sorted list of instances. */
struct fx_region {
	const char	*fr_prefix;
	struct fx_obj	 fr_objs[3];
	size_t		 fr_n;
};

static uint32_t fx_processes = 7;
#define FX_OBJ(name, ...)	{ .fo_name = (name), .fo_val = { __VA_ARGS__ } }
#define FX_STR(lit)	.val_type = BER_OCTET_STRING,			\
	.val_str = { (const uint8_t *)(lit), sizeof(lit) - 1 }
static struct fx_region fx_regions[] = {
	{ PT ".1.1", { FX_OBJ(PT ".1.1.1.0", .val_type = BER_GAUGE32),
	    FX_OBJ(PT ".1.1.6.0", .val_type = BER_GAUGE32, .val_uint = 2) },
	    2 },
	{ PT ".1.2", { FX_OBJ(PT ".1.2.3.0", FX_STR("proctel-test")) }, 1 },
	{ "1.3.6.1.2.1.1.1", { FX_OBJ("1.3.6.1.2.1.1.1.0",
	    FX_STR("sysDescr")) }, 1 },
	{ SIBLING, { FX_OBJ(SIBLING ".0", .val_type = BER_GAUGE32,
	    .val_uint = 42) }, 1 },
};
#define FX_NREGIONS	(sizeof(fx_regions) / sizeof(fx_regions[0]))

static struct mib *fx_mib;
static struct mib_ctx fx_ctx;
static struct procfs_snapshot fx_snap;
static int fx_begins;		/* sm_begin calls */
static int fx_no_ctx;		/* sm_begin returns NULL when set */
static uint8_t fx_buf[2 * AGENTX_MAX_PDU + 4096];	/* drained output */
static uint8_t fx_req_buf[AGENTX_MAX_PDU];
static struct agentx_pdu fx_pdus[64];

static int
fx_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	struct fx_region *r = arg;
	size_t i;

	(void)ctx;
	for (i = 0; i < r->fr_n; i++) {
		if (oid_cmp(&r->fr_objs[i].fo_oid, oid) == 0) {
			*val = r->fr_objs[i].fo_val;
			if (r == &fx_regions[0] && i == 0)
				val->val_uint = fx_processes;
			return MIB_OK;
		}
	}
	return MIB_NOSUCHINSTANCE;
}

static int
fx_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	struct fx_region *r = arg;
	size_t i;

	for (i = 0; i < r->fr_n; i++) {
		if (oid_cmp(&r->fr_objs[i].fo_oid, after) > 0) {
			*found = r->fr_objs[i].fo_oid;
			return fx_get(arg, ctx, found, val);
		}
	}
	return MIB_END;
}

/* The table 1.3.6.1.9.N, computed: no storage per row. */
static int
fx_table_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	(void)ctx;
	if (oid->o_len != 6 || oid->o_id[5] < 1 || oid->o_id[5] > FX_ROWS)
		return MIB_NOSUCHINSTANCE;
	val->val_type = BER_GAUGE32;
	val->val_uint = oid->o_id[5];
	return MIB_OK;
}

static int
fx_table_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	struct oid base = O(TABLE);
	uint32_t row = 1;

	/* After TABLE.N or anything under it comes TABLE.N+1. */
	if (oid_is_prefix(&base, after) && after->o_len > 5) {
		if (after->o_id[5] >= FX_ROWS)
			return MIB_END;
		row = after->o_id[5] + 1;
	} else if (oid_cmp(after, &base) > 0)
		return MIB_END;
	*found = base;
	oid_append(found, row);
	return fx_table_get(arg, ctx, found, val);
}

/* What the last sm_begin and sm_end were told. */
static bool fx_walk;
static uint64_t fx_cont, fx_last;
static int fx_ends;

static const struct mib_ctx *
fx_begin(void *arg, bool walk, uint64_t cont, uint64_t now_ms)
{
	(void)arg;
	fx_begins++;
	fx_walk = walk;
	fx_cont = cont;
	fx_ctx.mc_now_ms = now_ms;
	return fx_no_ctx ? NULL : &fx_ctx;
}

static void
fx_end(void *arg, uint64_t last)
{
	(void)arg;
	fx_ends++;
	fx_last = last;
}

static const struct agentx_sess_mib fx_sess_mib = { NULL, fx_begin, NULL,
	fx_end };

static void
fx_setup(void)
{
	struct oid o;
	size_t i, j;

	if ((fx_mib = mib_new()) == NULL)
		abort();
	for (i = 0; i < FX_NREGIONS; i++) {
		for (j = 0; j < fx_regions[i].fr_n; j++)
			fx_regions[i].fr_objs[j].fo_oid =
			    O(fx_regions[i].fr_objs[j].fo_name);
		o = O(fx_regions[i].fr_prefix);
		if (mib_register(fx_mib, &o, fx_get, fx_next,
		    &fx_regions[i]) == -1)
			abort();
	}
	o = O(TABLE);
	if (mib_register(fx_mib, &o, fx_table_get, fx_table_next, NULL) == -1)
		abort();
	fx_ctx.mc_snap = &fx_snap;
}

/*
 * A session over the fixture's registry serving the dotted subtrees,
 * with the big-endian subagent's Open (capture 22) unless told otherwise.
 */
AU_UNUSED static struct agentx_sess *
fx_new(const char *const *subtrees, size_t n, uint32_t ping_ms)
{
	struct agentx_sess_conf c;
	struct agentx_sess_mib m = fx_sess_mib;
	static struct oid sub[AGENTX_SESS_MAX_SUBTREES + 1];
	struct agentx_sess *s;
	const char *errstr = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		sub[i] = O(subtrees[i]);
	memset(&c, 0, sizeof(c));
	c.sc_subtrees = sub;
	c.sc_nsubtrees = n;
	c.sc_descr = "proctel BE test";
	c.sc_timeout_s = 5;
	c.sc_priority = 127;
	c.sc_response_ms = FX_RESPONSE_MS;
	c.sc_ping_ms = ping_ms;
	m.sm_mib = fx_mib;
	if ((s = agentx_sess_new(&c, &m, &errstr)) == NULL) {
		fprintf(stderr, "agentx_sess_new: %s\n", errstr);
		abort();
	}
	return s;
}

/* Take what the session queued (as a socket write would); its length. */
static size_t
fx_drain(struct agentx_sess *s, uint64_t now)
{
	const uint8_t *p;
	size_t len;

	agentx_sess_txbuf(s, &p, &len);
	if (len > sizeof(fx_buf))
		abort();
	memcpy(fx_buf, p, len);
	agentx_sess_sent(s, len, now);
	return len;
}

/* Drain and decode: the number of PDUs, in fx_pdus (views into fx_buf). */
static size_t
fx_sent(struct agentx_sess *s, uint64_t now)
{
	size_t len = fx_drain(s, now), off = 0, plen, n = 0;

	while (off < len && n < sizeof(fx_pdus) / sizeof(fx_pdus[0])) {
		if (agentx_frame(fx_buf + off, len - off, &plen) != 1 ||
		    agentx_pdu_decode(fx_buf + off, plen, &fx_pdus[n]) != 0) {
			fprintf(stderr, "  undecodable output at %zu\n", off);
			return SIZE_MAX;
		}
		off += plen;
		n++;
	}
	return n;
}

static void
fx_feed(struct agentx_sess *s, const uint8_t *p, size_t len, uint64_t now)
{
	CHECK_U64(agentx_sess_input(s, p, len, now), ==, len);
}

/* A master's Response to our PDU pid: error, no varbinds. */
static size_t
fx_response(uint8_t *buf, uint8_t flags, uint32_t sid, uint32_t pid,
    uint16_t error)
{
	struct agentx_writer w;
	struct agentx_hdr h = au_hdr(AGENTX_PDU_RESPONSE, flags, sid, 0, pid);
	size_t len;

	agentx_write_init(&w, buf, AGENTX_MAX_PDU, &h, NULL, 0);
	agentx_write_response(&w, 100, error, 0);
	if (agentx_write_finish(&w, &len) != 0)
		abort();
	return len;
}

/* Answer our one outstanding PDU (the last one sent) with error. */
static void
fx_answer(struct agentx_sess *s, uint64_t now, uint16_t error)
{
	size_t n = fx_sent(s, now), len;

	if (n == 0 || n == SIZE_MAX) {
		T_FAIL_("%s", "nothing to answer");
		return;
	}
	len = fx_response(fx_req_buf, BE, FX_SID,
	    fx_pdus[n - 1].p_hdr.h_packet_id, error);
	fx_feed(s, fx_req_buf, len, now);
}

/* Start s and answer Open and every Register: OPEN at time now. */
AU_UNUSED static void
fx_open(struct agentx_sess *s, uint64_t now)
{
	agentx_sess_start(s, now, 1);
	while (agentx_sess_state(s) == AGENTX_S_OPENING ||
	    agentx_sess_state(s) == AGENTX_S_REGISTERING)
		fx_answer(s, now, AGENTX_ERR_NOERROR);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_OPEN);
}

/* One SearchRange: start, include, end (NULL: the null OID). */
struct fx_range {
	const char	*start;
	bool		 include;
	const char	*end;
};

/*
 * A master's request: Get, GetNext or GetBulk over ranges, or TestSet
 * (ranges' starts as varbind names, Null values), CommitSet, UndoSet,
 * CleanupSet.  ctx: NULL for none, else the context with the flag set.
 */
static size_t
fx_request(uint8_t *buf, uint8_t type, uint8_t flags, uint32_t tid,
    uint32_t pid, const char *ctx, uint16_t nonrep, uint16_t maxrep,
    const struct fx_range *r, size_t n)
{
	struct agentx_writer w;
	struct agentx_hdr h = au_hdr(type, flags | (ctx != NULL ? CTX : 0),
	    FX_SID, tid, pid);
	struct agentx_range ar;
	struct snmp_value null;
	size_t i, len;

	agentx_write_init(&w, buf, AGENTX_MAX_PDU, &h, (const uint8_t *)ctx,
	    ctx != NULL ? strlen(ctx) : 0);
	if (type == AGENTX_PDU_GETBULK)
		agentx_write_u16x2(&w, nonrep, maxrep);
	memset(&null, 0, sizeof(null));
	null.val_type = BER_NULL;
	for (i = 0; i < n; i++) {
		memset(&ar, 0, sizeof(ar));
		if (r[i].start[0] != '\0')	/* "": the null OID */
			ar.ar_start = O(r[i].start);
		ar.ar_include = r[i].include;
		if (r[i].end != NULL)
			ar.ar_end = O(r[i].end);
		if (type == AGENTX_PDU_TESTSET)
			agentx_write_varbind(&w, &ar.ar_start, &null);
		else
			agentx_write_range(&w, &ar);
	}
	if (agentx_write_finish(&w, &len) != 0)
		abort();
	return len;
}

/* Feed a request and decode the one Response it must give. */
AU_UNUSED static const struct agentx_pdu *
fx_ask(struct agentx_sess *s, uint8_t type, uint16_t nonrep, uint16_t maxrep,
    const struct fx_range *r, size_t n, uint64_t now)
{
	static uint32_t pid = 1000;
	size_t len;

	pid++;
	len = fx_request(fx_req_buf, type, BE, 7, pid, NULL, nonrep, maxrep,
	    r, n);
	fx_feed(s, fx_req_buf, len, now);
	if (fx_sent(s, now) != 1) {
		T_FAIL_("%s", "not exactly one Response");
		return &fx_pdus[63];
	}
	CHECK_INT(fx_pdus[0].p_hdr.h_type, ==, AGENTX_PDU_RESPONSE);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, pid);
	return &fx_pdus[0];
}

/* Expected varbinds are written "TYPE OID", TYPE a value.h tag in decimal. */
#define VB_STR		"4 "
#define VB_GAUGE	"66 "
#define VB_NOOBJ	"128 "
#define VB_NOINST	"129 "
#define VB_END		"130 "

/*
 * Do the Response's varbinds name exactly these OIDs with these types?
 * Prints the first mismatch.
 */
static int
fx_varbinds_are(const struct agentx_pdu *p, size_t n, const char *const *want)
{
	struct agentx_iter it;
	struct agentx_varbind vb;
	char got[OID_STR_MAX];
	const char *sp;
	size_t i;
	int type;

	if (p->p_nitems != n) {
		fprintf(stderr, "  %zu varbinds, want %zu\n", p->p_nitems, n);
		return 0;
	}
	agentx_iter_init(&it, p);
	for (i = 0; i < n; i++) {
		if (agentx_iter_varbind(&it, &vb) != 1)
			return 0;
		type = atoi(want[i]);
		sp = strchr(want[i], ' ') + 1;
		(void)oid_format(&vb.av_name, got, sizeof(got));
		if (vb.av_value.val_type != type || strcmp(got, sp) != 0) {
			fprintf(stderr, "  varbind %zu is %d %s, want %s\n", i,
			    vb.av_value.val_type, got, want[i]);
			return 0;
		}
	}
	return 1;
}

#endif /* PT_AGENTX_FIXTURE_H */
