/*
 * engine_fixture: what test_engine.c and test_engine_bulk.c share, one
 * copy: a registry with the system and snmp groups plus a synthetic
 * region (1.3.6.1.4.1.99999: three scalars and a 400-row table), an
 * agent config with two communities and its reload, a fresh engine per
 * test, requests encoded with the codec's own builder (mkreq) and
 * replies decoded into rm/rvbs (ask).  Static, like the harness: each
 * test is a program of its own and includes this once.  Not here: the
 * cases themselves, and the codec-only helpers (test_util.h).
 */
#ifndef PT_ENGINE_FIXTURE_H
#define PT_ENGINE_FIXTURE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "agent/engine.h"
#include "agent/mib.h"
#include "config/config.h"
#include "lib/addr.h"
#include "snmp/ber.h"
#include "snmp/pdu.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

#define BIG	65536
#define V1	SNMP_VERSION_1
#define V2	SNMP_VERSION_2C
/* The last reply's error-status and error-index. */
#define CHECK_ERR(st, ix) do {						\
	CHECK_INT(rm.m_error_status, ==, (st));				\
	CHECK_INT(rm.m_error_index, ==, (ix));				\
} while (0)
/* No reply: the request was dropped. */
#define CHECK_NOREPLY(x)	CHECK_U64((x), ==, 0)
#define SYS	"1.3.6.1.2.1.1."		/* the system group */
/* The value of reply varbind i is the string literal lit. */
#define CHECK_VSTR(i, lit)						\
	CHECK_MEM(rvbs[(i)].vb_value.val_str.ptr,			\
	    rvbs[(i)].vb_value.val_str.len, (lit), sizeof(lit) - 1)
#define FAKE	"1.3.6.1.4.1.99999."	/* the synthetic region */

/* The synthetic region 1.3.6.1.4.1.99999: scalars .1.{1,2,3}.0 and a
 * table .2.N (N = 1..TABLE_ROWS) of 20-octet strings. */
#define TABLE_ROWS	400
static const char row_text[] = "abcdefghijklmnopqrst";

/* "public" from loopback, "lan" from 192.168/16; conf2 is a reload. */
static struct addr_cidr lo[2], lan[1];
static char n_public[] = "public", n_lan[] = "lan", n_reloaded[] = "reloaded";
static char sys_name[] = "web-1", sys_contact[] = "ops@example.com",
    sys_location[] = "rack 12";
static struct cfg_community comms[] = {
    { .cc_name = n_public, .cc_allow = lo, .cc_nallow = 2,
      .cc_view = { .cv_all = true } },
    { .cc_name = n_lan, .cc_allow = lan, .cc_nallow = 1,
      .cc_view = { .cv_all = true } } };
static struct cfg_community comms2[] = {
    { .cc_name = n_reloaded, .cc_allow = lo, .cc_nallow = 2,
      .cc_view = { .cv_all = true } } };
static struct cfg_agent conf, conf2;
static struct mib *mib;
static struct engine *eng;
static struct procfs_snapshot snap;
static struct sockaddr_in src_lo, src_far;
static struct snmp_varbind rvbs[SNMP_MAX_VARBINDS];	/* the last reply */
static struct snmp_msg rm;
static uint8_t out[BIG];
static uint8_t reqbuf[BIG];
static int snap_calls;
/* What the engine last asked the snapshot callback. */
static uint64_t snap_gen;
static bool snap_walk;

TU_UNUSED static bool
oid_eq(const struct oid *a, const char *s)
{
	struct oid b = O(s);

	return oid_cmp(a, &b) == 0;
}

/*
 * Does the reply hold exactly n varbinds named as the n strings given?
 * Prints the first mismatch, so the CHECK around it says where.
 */
TU_UNUSED static int
names_are(size_t n, ...)
{
	char buf[OID_STR_MAX];
	va_list ap;
	size_t i;
	int ok = 1;

	if (rm.m_nvbs != n) {
		fprintf(stderr, "  %zu varbinds, want %zu\n", rm.m_nvbs, n);
		return 0;
	}
	va_start(ap, n);
	for (i = 0; i < n && ok; i++) {
		const char *want = va_arg(ap, const char *);

		if (!oid_eq(&rvbs[i].vb_oid, want)) {
			oid_format(&rvbs[i].vb_oid, buf, sizeof(buf));
			fprintf(stderr, "  varbind %zu is %s, want %s\n", i,
			    buf, want);
			ok = 0;
		}
	}
	va_end(ap);
	return ok;
}

/* The region's scalars .1.{1,2,3}.0: a Gauge32, a Counter64, an INTEGER. */
static const struct snmp_value fake_scalars[3] = {
	{ .val_type = BER_GAUGE32, .val_uint = 11 },
	{ .val_type = BER_COUNTER64, .val_uint = UINT64_C(1) << 40 },
	{ .val_type = BER_INTEGER, .val_int = -33 },
};

TU_UNUSED static int
fake_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	const uint32_t *id = oid->o_id;

	(void)arg;
	(void)ctx;
	if (oid->o_len == 9 && id[7] == 2 && id[8] >= 1 &&
	    id[8] <= TABLE_ROWS) {
		val->val_type = BER_OCTET_STRING;
		val->val_str.ptr = (const uint8_t *)row_text;
		val->val_str.len = sizeof(row_text) - 1;
		return MIB_OK;
	}
	if (oid->o_len == 10 && id[7] == 1 && id[8] >= 1 && id[8] <= 3 &&
	    id[9] == 0) {
		*val = fake_scalars[id[8] - 1];
		return MIB_OK;
	}
	return MIB_NOSUCHINSTANCE;
}

/* Linear over every instance in order: fine for a test region. */
TU_UNUSED static int
fake_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	struct oid o;
	uint32_t k;

	for (k = 0; k < 3 + TABLE_ROWS; k++) {
		o = O(k < 3 ? FAKE "1" : FAKE "2");
		oid_append(&o, k < 3 ? k + 1 : k - 2);
		if (k < 3)
			oid_append(&o, 0);
		if (oid_cmp(&o, after) > 0) {
			*found = o;
			return fake_get(arg, ctx, found, val);
		}
	}
	return MIB_END;
}

TU_UNUSED static const struct procfs_snapshot *
snap_fn(void *arg, uint64_t gen, bool walk, uint64_t now_ms)
{
	(void)arg;
	(void)now_ms;
	snap_gen = gen;
	snap_walk = walk;
	snap_calls++;
	return &snap;
}

TU_UNUSED static void
setup_conf(void)
{
	const char *errstr = NULL;

	if (addr_parse_cidr("127.0.0.0/8", &lo[0], &errstr) == -1 ||
	    addr_parse_cidr("::1/128", &lo[1], &errstr) == -1 ||
	    addr_parse_cidr("192.168.0.0/16", &lan[0], &errstr) == -1)
		abort();
	conf.ca_communities = comms;
	conf.ca_ncommunities = 2;
	conf.ca_sys_name = sys_name;
	conf.ca_sys_contact = sys_contact;
	conf.ca_sys_location = sys_location;
	/* No reply budget (rate 0), and the old fixed GETBULK cap. */
	conf.ca_max_bulk_varbinds = 10000;
	conf2 = conf;
	conf2.ca_communities = comms2;
	conf2.ca_ncommunities = 1;
	conf2.ca_sys_name = NULL;	/* the host name then */
	src_lo.sin_family = AF_INET;
	src_lo.sin_port = htons(40000);
	src_lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	src_far = src_lo;
	src_far.sin_addr.s_addr = htonl(0x0a010203);	/* 10.1.2.3 */
}

/* Free what setup() and fresh() made: at exit, after the cases ran. */
static void
teardown(void)
{
	engine_free(eng);
	mib_free(mib);
}

/* The registry and config, once per program; freed at exit. */
TU_UNUSED static void
setup(void)
{
	struct oid o = O("1.3.6.1.4.1.99999");

	setup_conf();
	mib = mib_new();
	if (mib == NULL || mib_system_register(mib) == -1 ||
	    mib_snmp_register(mib) == -1 ||
	    mib_register(mib, &o, fake_get, fake_next, NULL) == -1) {
		fprintf(stderr, "mib setup failed\n");
		abort();
	}
	if (atexit(teardown) != 0)
		abort();
}

/* A fresh engine per test, so counters start at zero. */
TU_UNUSED static void
fresh(void)
{
	engine_free(eng);
	conf.ca_max_message_size = 1472;
	eng = engine_new(mib, &conf, snap_fn, NULL);
	if (eng == NULL)
		abort();
}

/*
 * Encode a request with the codec's builder.  For GETBULK, a and b are
 * non-repeaters and max-repetitions; otherwise error-status and -index.
 */
TU_UNUSED static size_t
mkreq(int32_t version, const char *community, uint8_t type, int32_t reqid,
    int32_t a, int32_t b, const char **oids, size_t n)
{
	struct snmp_reply r;
	struct snmp_value null;
	const uint8_t *msg;
	struct oid o;
	size_t i, len = 0;

	memset(&null, 0, sizeof(null));
	null.val_type = BER_NULL;
	if (snmp_reply_init(&r, reqbuf, sizeof(reqbuf), sizeof(reqbuf),
	    version, (const uint8_t *)community, strlen(community),
	    reqid) != 0 || snmp_reply_set_type(&r, type) != 0)
		abort();
	for (i = 0; i < n; i++) {
		o = O(oids[i]);
		if (snmp_reply_add(&r, &o, &null) != 0)
			abort();
	}
	if (snmp_reply_finish(&r, a, b, &msg, &len) != 0)
		abort();
	return len;
}

static size_t	ask(size_t, const struct sockaddr_in *, size_t);

/* Encode and send a request with n varbinds; the reply length or 0. */
TU_UNUSED static size_t
sendq(int32_t version, const char *community, uint8_t type,
    const struct sockaddr_in *src, const char **oids, size_t n)
{
	size_t len = mkreq(version, community, type, 4711, 0, 0, oids, n);

	return ask(len, src, sizeof(out));
}

/* Send reqbuf[0..len) from src; decode the reply into rm (0 if none). */
TU_UNUSED static size_t
ask(size_t len, const struct sockaddr_in *src, size_t outcap)
{
	struct snmp_msg *m = &rm;
	size_t n;

	memset(m, 0, sizeof(*m));
	n = engine_handle(eng, reqbuf, len, (const struct sockaddr *)src, out,
	    outcap);
	if (n > 0) {
		CHECK(n <= outcap);
		CHECK_INT(snmp_msg_decode(out, n, m, rvbs, SNMP_MAX_VARBINDS),
		    ==, 0);
		CHECK_INT(m->m_pdu_type, ==, SNMP_PDU_RESPONSE);
	}
	return n;
}

TU_UNUSED static size_t
ask_get(int32_t version, uint8_t type, const char **oids, size_t n)
{
	size_t len = mkreq(version, "public", type, 4711, 0, 0, oids, n);
	size_t r = ask(len, &src_lo, sizeof(out));

	CHECK(r > 0);
	CHECK_INT(rm.m_request_id, ==, 4711);
	CHECK_INT(rm.m_version, ==, version);
	return r;
}

/* A GETBULK from loopback, "public", request-id 77; the reply length. */
TU_UNUSED static size_t
bulk(int32_t n, int32_t mrep, const char **oids, size_t nvb, size_t outcap)
{
	size_t len = mkreq(V2, "public", SNMP_PDU_GETBULK, 77,
	    n, mrep, oids, nvb);

	return ask(len, &src_lo, outcap);
}

#endif /* PT_ENGINE_FIXTURE_H */
