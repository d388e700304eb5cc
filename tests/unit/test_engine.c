/*
 * test_engine: engine_handle driven with datagrams built by the codec's
 * own encoder (and a few hand-made byte arrays), against a registry with
 * the system and snmp groups plus a synthetic region; replies are decoded
 * with the codec's decoder.  Every protocol rule of DESIGN.md "Protocol
 * behaviour" has a case here.  No sockets: test_mib covers the registry
 * alone and the integration tests cover the wire.
 */
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
static struct cfg_community comms[] = { { n_public, lo, 2 },
    { n_lan, lan, 1 } };
static struct cfg_community comms2[] = { { n_reloaded, lo, 2 } };
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

static struct oid
O(const char *s)
{
	struct oid o;
	const char *errstr = NULL;

	memset(&o, 0, sizeof(o));
	if (oid_parse(s, &o, &errstr) == -1) {
		fprintf(stderr, "bad test oid %s: %s\n", s, errstr);
		abort();
	}
	return o;
}

static bool
oid_eq(const struct oid *a, const char *s)
{
	struct oid b = O(s);

	return oid_cmp(a, &b) == 0;
}

/*
 * Does the reply hold exactly n varbinds named as the n strings given?
 * Prints the first mismatch, so the CHECK around it says where.
 */
static int
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

static int
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
static int
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

static const struct procfs_snapshot *
snap_fn(void *arg)
{
	(void)arg;
	snap_calls++;
	return &snap;
}

static void
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

static void
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
}

/* A fresh engine per test, so counters start at zero. */
static void
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
static size_t
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
static size_t
sendq(int32_t version, const char *community, uint8_t type,
    const struct sockaddr_in *src, const char **oids, size_t n)
{
	size_t len = mkreq(version, community, type, 4711, 0, 0, oids, n);

	return ask(len, src, sizeof(out));
}

/* Send reqbuf[0..len) from src; decode the reply into rm (0 if none). */
static size_t
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

static size_t
ask_get(int32_t version, uint8_t type, const char **oids, size_t n)
{
	size_t len = mkreq(version, "public", type, 4711, 0, 0, oids, n);
	size_t r = ask(len, &src_lo, sizeof(out));

	CHECK(r > 0);
	CHECK_INT(rm.m_request_id, ==, 4711);
	CHECK_INT(rm.m_version, ==, version);
	return r;
}

static void
v2c_get_answers_the_system_group(void)
{
	const char *oids[] = { SYS "1.0", SYS "2.0", SYS "3.0", SYS "4.0",
	    SYS "5.0", SYS "6.0", SYS "7.0" };
	struct oid o;

	fresh();
	snap_calls = 0;
	ask_get(V2, SNMP_PDU_GET, oids, 7);
	CHECK_INT(snap_calls, ==, 1);
	CHECK_ERR(0, 0);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK(rvbs[0].vb_value.val_str.len > 14 &&
	    memcmp(rvbs[0].vb_value.val_str.ptr, "proctel-agent ", 14) == 0);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_OBJECT_ID);
	CHECK_INT(ber_oid_decode(rvbs[1].vb_value.val_str.ptr,
	    rvbs[1].vb_value.val_str.len, &o), ==, 0);
	CHECK(oid_cmp(&o, &mib_agent_oid) == 0);
	CHECK_INT(rvbs[2].vb_value.val_type, ==, BER_TIMETICKS);
	CHECK_U64(rvbs[2].vb_value.val_uint, <, 6000);
	CHECK_VSTR(3, "ops@example.com");
	CHECK_VSTR(4, "web-1");
	CHECK_VSTR(5, "rack 12");
	CHECK_INT(rvbs[6].vb_value.val_type, ==, BER_INTEGER);
	CHECK_INT(rvbs[6].vb_value.val_int, ==, 72);
	CHECK(names_are(7, oids[0], oids[1], oids[2], oids[3], oids[4],
	    oids[5], oids[6]));
}

static void
v2c_get_miss_answers_exceptions_per_varbind(void)
{
	const char *oids[] = { "1.3.6.1.2.1.99.1.0", SYS "1.1", SYS "5.0",
	    SYS "5", FAKE "2.999" };

	fresh();
	ask_get(V2, SNMP_PDU_GET, oids, 5);
	CHECK_ERR(0, 0);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_NOSUCHOBJECT);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_NOSUCHINSTANCE);
	CHECK_INT(rvbs[2].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_INT(rvbs[3].vb_value.val_type, ==, BER_NOSUCHINSTANCE);
	CHECK_INT(rvbs[4].vb_value.val_type, ==, BER_NOSUCHINSTANCE);
	CHECK(names_are(5, oids[0], oids[1], oids[2], oids[3], oids[4]));
}

static void
v1_get_miss_is_no_such_name_with_the_index_and_varbinds_echoed(void)
{
	const char *oids[] = { SYS "5.0", SYS "5.1", "1.3.6.1.2.1.99.0" };
	const char *hit[] = { SYS "5.0", FAKE "1.3.0" };

	fresh();
	ask_get(V1, SNMP_PDU_GET, hit, 2);
	CHECK_ERR(0, 0);
	CHECK(names_are(2, hit[0], hit[1]));
	CHECK_INT(rvbs[1].vb_value.val_int, ==, -33);
	ask_get(V1, SNMP_PDU_GET, oids, 3);
	CHECK_ERR(SNMP_ERRSTAT_NOSUCHNAME, 2);
	CHECK(names_are(3, oids[0], oids[1], oids[2]));
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_NULL);
}

static void
v1_never_returns_a_counter64(void)
{
	const char *get[] = { FAKE "1.1.0", FAKE "1.2.0" };
	const char *next[] = { FAKE "1.1.0" };

	fresh();
	ask_get(V1, SNMP_PDU_GET, get, 2);
	CHECK_ERR(SNMP_ERRSTAT_NOSUCHNAME, 2);
	ask_get(V1, SNMP_PDU_GETNEXT, next, 1);
	CHECK_ERR(0, 0);
	CHECK(names_are(1, FAKE "1.3.0"));
	/* v2c sees it. */
	ask_get(V2, SNMP_PDU_GETNEXT, next, 1);
	CHECK(names_are(1, FAKE "1.2.0"));
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_COUNTER64);
	CHECK_U64(rvbs[0].vb_value.val_uint, ==, UINT64_C(1) << 40);
}

static void
getnext_walks_across_groups(void)
{
	const char *oids[] = { "1.3.6.1.2.1.1", SYS "7.0",
	    "1.3.6.1.2.1.11.32.0", SYS "2.0.5", "0.1" };

	fresh();
	ask_get(V2, SNMP_PDU_GETNEXT, oids, 5);
	CHECK_ERR(0, 0);
	CHECK(names_are(5, SYS "1.0", "1.3.6.1.2.1.11.1.0", FAKE "1.1.0",
	    SYS "3.0", SYS "1.0"));
}

static void
getnext_past_the_end_is_end_of_mib_view_or_no_such_name(void)
{
	const char *oids[] = { SYS "1.0", FAKE "2.400" };

	fresh();
	ask_get(V2, SNMP_PDU_GETNEXT, oids, 2);
	CHECK_ERR(0, 0);
	CHECK(names_are(2, SYS "2.0", oids[1]));
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
	ask_get(V1, SNMP_PDU_GETNEXT, oids, 2);
	CHECK_ERR(SNMP_ERRSTAT_NOSUCHNAME, 2);
	CHECK(names_are(2, oids[0], oids[1]));
}

static size_t
bulk(int32_t n, int32_t mrep, const char **oids, size_t nvb, size_t outcap)
{
	size_t len = mkreq(V2, "public", SNMP_PDU_GETBULK, 77,
	    n, mrep, oids, nvb);

	return ask(len, &src_lo, outcap);
}

static void
getbulk_honours_non_repeaters_and_max_repetitions(void)
{
	const char *oids[] = { SYS "1.0", "1.3.6.1.2.1.1", FAKE "2" };

	fresh();
	CHECK(bulk(1, 3, oids, 3, sizeof(out)) > 0);
	CHECK_ERR(0, 0);
	CHECK(names_are(7, SYS "2.0", SYS "1.0", FAKE "2.1", SYS "2.0",
	    FAKE "2.2", SYS "3.0", FAKE "2.3"));
	/* Non-repeaters beyond the list count as the whole list. */
	CHECK(bulk(10, 3, oids, 3, sizeof(out)) > 0);
	CHECK_INT(rm.m_nvbs, ==, 3);
}

static void
getbulk_clamps_negative_values_to_zero(void)
{
	const char *oids[] = { SYS "1.0", "1.3.6.1.2.1.1" };

	fresh();
	CHECK(bulk(-5, -1, oids, 2, sizeof(out)) > 0);
	CHECK_ERR(0, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	CHECK(bulk(-1, 2, oids, 2, sizeof(out)) > 0);
	CHECK(names_are(4, SYS "2.0", SYS "1.0", SYS "3.0", SYS "2.0"));
	CHECK(bulk(1, -7, oids, 2, sizeof(out)) > 0);
	CHECK_INT(rm.m_nvbs, ==, 1);
}

static void
getbulk_stops_once_every_repeater_is_at_the_end(void)
{
	const char *oids[] = { FAKE "2.399", "2.5" };

	fresh();
	CHECK(bulk(0, 50, oids, 2, sizeof(out)) > 0);
	CHECK_ERR(0, 0);
	CHECK(names_are(4, FAKE "2.400", "2.5", FAKE "2.400", "2.5"));
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
	CHECK_INT(rvbs[2].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
	CHECK_INT(rvbs[3].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
}

static void
getbulk_is_cut_to_the_message_size_and_toobig_only_if_empty(void)
{
	const char *oids[] = { FAKE "2" };
	const char *half[] = { FAKE "2.200" };
	size_t n, i;

	fresh();
	conf.ca_max_message_size = 484;
	n = bulk(0, 1000, oids, 1, sizeof(out));
	CHECK(n > 0 && n <= 484);
	CHECK(n > 484 - 40);	/* filled, not merely short */
	CHECK_ERR(0, 0);
	CHECK(rm.m_nvbs > 5);
	for (i = 0; i < rm.m_nvbs; i++) {
		CHECK_INT(rvbs[i].vb_oid.o_len, ==, 9);
		CHECK_U64(rvbs[i].vb_oid.o_id[8], ==, i + 1);
	}
	/* The caller's buffer limits too: min(max_message_size, outcap). */
	conf.ca_max_message_size = 1472;
	n = bulk(0, 1000, oids, 1, 300);
	CHECK(n > 0 && n <= 300);
	CHECK(rm.m_nvbs > 2);
	/* tooBig only when not one varbind fits (header yes, a row no). */
	CHECK(bulk(0, 5, oids, 1, 45) > 0);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	/* A huge max-repetitions ends at the message size, quickly. */
	n = bulk(0, INT32_MAX, oids, 1, sizeof(out));
	CHECK(n > 0 && n <= 1472);
	/* With room for all: the last 200 rows, then the end. */
	conf.ca_max_message_size = 65507;
	n = bulk(0, INT32_MAX, half, 1, sizeof(out));
	CHECK_INT(rm.m_nvbs, ==, TABLE_ROWS / 2 + 1);
	if (rm.m_nvbs == TABLE_ROWS / 2 + 1)
		CHECK_INT(rvbs[TABLE_ROWS / 2].vb_value.val_type, ==,
		    BER_ENDOFMIBVIEW);
}

static void
getbulk_with_many_repeaters_and_huge_repetitions_stays_bounded(void)
{
	static const char *oids[100];
	size_t i, len, n;
	int rc;

	fresh();
	for (i = 0; i < 100; i++)
		oids[i] = i == 0 ? FAKE "2" : "2.5";
	conf.ca_max_message_size = 65507;
	len = mkreq(V2, "public", SNMP_PDU_GETBULK, 3, 0, INT32_MAX, oids, 100);
	n = engine_handle(eng, reqbuf, len, (const struct sockaddr *)&src_lo,
	    out, sizeof(out));
	CHECK(n > 0 && n <= 65507);
	/* More varbinds than the decoder stores: it still counts them. */
	memset(&rm, 0, sizeof(rm));
	rc = snmp_msg_decode(out, n, &rm, rvbs, SNMP_MAX_VARBINDS);
	CHECK_INT(rc, ==, SNMP_ETOOMANY);
	CHECK_ERR(0, 0);
	/* Whole rounds of 100 until the message was full. */
	CHECK(rm.m_nvbs_total > 1000);
	CHECK(rm.m_nvbs_total < 10000);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
}

static void
get_too_large_is_toobig_with_no_varbinds(void)
{
	static char names[60][32];
	const char *oids[60];
	size_t i, len;

	fresh();
	for (i = 0; i < 60; i++) {
		snprintf(names[i], sizeof(names[i]), FAKE "2.%zu", i + 1);
		oids[i] = names[i];
	}
	conf.ca_max_message_size = 484;
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids, 60) > 0);
	CHECK_INT(rm.m_request_id, ==, 4711);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	CHECK(sendq(V1, "public", SNMP_PDU_GETNEXT, &src_lo, oids, 60) > 0);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	/* Not even the empty tooBig fits: silent drop, counted. */
	len = mkreq(V1, "public", SNMP_PDU_GETNEXT, 9, 0, 0, oids, 60);
	CHECK_U64(ask(len, &src_lo, 20), ==, 0);
	CHECK_U64(engine_counters(eng)->ec_silent_drops, ==, 1);
}

/* A value with no encoding (an INTEGER past int32). */
static int
bad_get(void *arg, const struct mib_ctx *ctx, const struct oid *oid,
    struct snmp_value *val)
{
	(void)arg;
	(void)ctx;
	(void)oid;
	val->val_type = BER_INTEGER;
	val->val_int = INT64_C(1) << 40;
	return MIB_OK;
}

/* 1.3.6.1.4.1.99997.K for every K >= 1, each a Counter64: no v1 end. */
static int
c64_next(void *arg, const struct mib_ctx *ctx, const struct oid *after,
    struct oid *found, struct snmp_value *val)
{
	struct oid p = O("1.3.6.1.4.1.99997");
	uint32_t k = 1;

	(void)arg;
	(void)ctx;
	if (oid_is_prefix(&p, after) && after->o_len > p.o_len)
		k = after->o_id[p.o_len] + 1;
	*found = p;
	oid_append(found, k);
	val->val_type = BER_COUNTER64;
	val->val_uint = k;
	return MIB_OK;
}

/*
 * RFC 3416 sec. 4.2.1-4.2.3: a varbind that cannot be answered is genErr
 * with its 1-based index and the request's varbinds, for every PDU; so is
 * a v1 GETNEXT that meets more Counter64 objects than ENGINE_V1_SKIP_MAX.
 */
static void
unanswerable_varbinds_are_gen_err_at_their_index(void)
{
#define BAD	"1.3.6.1.4.1.99998"
	static const char *get2[] = { SYS "5.0", BAD ".1.0" };
	static const char *next2[] = { SYS "5.0", BAD };
	static const char *bulk2[] = { SYS "4", BAD };
	static const char *bulk1[] = { BAD, SYS "4" };
	static const char *c64[] = { "1.3.6.1.4.1.99997" };
	struct oid o = O(BAD ".1"), p = O("1.3.6.1.4.1.99997");
	struct mib *m;

	m = mib_new();
	if (m == NULL || mib_system_register(m) == -1 ||
	    mib_register_scalar(m, &o, bad_get, NULL) == -1 ||
	    mib_register(m, &p, bad_get, c64_next, NULL) == -1) {
		CHECK(!"bad mib");
		mib_free(m);
		return;
	}
	engine_free(eng);
	conf.ca_max_message_size = 1472;
	if ((eng = engine_new(m, &conf, snap_fn, NULL)) == NULL)
		abort();

	ask_get(V2, SNMP_PDU_GET, get2, 2);
	CHECK_ERR(SNMP_ERRSTAT_GENERR, 2);
	CHECK(names_are(2, SYS "5.0", BAD ".1.0"));
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_NULL);
	ask_get(V1, SNMP_PDU_GET, get2, 2);
	CHECK_ERR(SNMP_ERRSTAT_GENERR, 2);
	ask_get(V2, SNMP_PDU_GETNEXT, next2, 2);
	CHECK_ERR(SNMP_ERRSTAT_GENERR, 2);
	CHECK(names_are(2, SYS "5.0", BAD));
	/*
	 * GETBULK: a non-repeater, then the repeater that fails; then a
	 * failing first repeater, before anything was added.
	 */
	CHECK(bulk(1, 3, bulk2, 2, sizeof(out)) > 0);
	CHECK_ERR(SNMP_ERRSTAT_GENERR, 2);
	CHECK(names_are(2, SYS "4", BAD));
	CHECK(bulk(0, 3, bulk1, 2, sizeof(out)) > 0);
	CHECK_ERR(SNMP_ERRSTAT_GENERR, 1);
	/* v2c sees the first Counter64; v1 skips them, up to its cap. */
	ask_get(V2, SNMP_PDU_GETNEXT, c64, 1);
	CHECK_ERR(0, 0);
	CHECK(names_are(1, "1.3.6.1.4.1.99997.1"));
	ask_get(V1, SNMP_PDU_GETNEXT, c64, 1);
	CHECK_ERR(SNMP_ERRSTAT_GENERR, 1);

	engine_free(eng);
	eng = NULL;
	mib_free(m);
	fresh();
#undef BAD
}

static void
set_is_refused_as_not_writable_or_no_such_name(void)
{
	const char *oids[] = { SYS "5.0", SYS "6.0" };

	fresh();
	ask_get(V2, SNMP_PDU_SET, oids, 2);
	CHECK_ERR(SNMP_ERRSTAT_NOTWRITABLE, 1);
	CHECK_INT(rm.m_nvbs, ==, 2);
	CHECK(oid_eq(&rvbs[1].vb_oid, oids[1]));
	ask_get(V1, SNMP_PDU_SET, oids, 2);
	CHECK_ERR(SNMP_ERRSTAT_NOSUCHNAME, 1);
	CHECK_INT(rm.m_nvbs, ==, 2);
	CHECK_U64(engine_counters(eng)->ec_in_bad_community_uses, ==, 2);
}

static void
a_bad_community_gets_no_reply_and_is_counted(void)
{
	const char *oids[] = { SYS "5.0" };

	fresh();
	CHECK_NOREPLY(sendq(V2, "private", SNMP_PDU_GET, &src_lo, oids, 1));
	CHECK_NOREPLY(sendq(V1, "", SNMP_PDU_GET, &src_lo, oids, 1));
	CHECK_NOREPLY(sendq(V1, "publi", SNMP_PDU_GET, &src_lo, oids, 1));
	CHECK(sendq(V1, "public", SNMP_PDU_GET, &src_lo, oids, 1) > 0);
	CHECK_U64(engine_counters(eng)->ec_in_bad_community_names, ==, 3);
	CHECK_U64(engine_counters(eng)->ec_in_pkts, ==, 4);
}

static void
a_source_outside_the_allow_list_gets_no_reply(void)
{
	const char *oids[] = { SYS "5.0" };
	struct sockaddr_in in_lan = src_lo;
	struct sockaddr_in6 six;
	size_t len;

	fresh();
	CHECK_NOREPLY(sendq(V2, "public", SNMP_PDU_GET, &src_far, oids, 1));
	/* "lan" admits 192.168/16 only, and not loopback. */
	CHECK_NOREPLY(sendq(V2, "lan", SNMP_PDU_GET, &src_lo, oids, 1));
	in_lan.sin_addr.s_addr = htonl(0xc0a80105);
	CHECK(sendq(V2, "lan", SNMP_PDU_GET, &in_lan, oids, 1) > 0);
	CHECK_U64(engine_counters(eng)->ec_in_bad_community_names, ==, 2);
	/* IPv6 loopback is in public's list. */
	memset(&six, 0, sizeof(six));
	six.sin6_family = AF_INET6;
	six.sin6_addr = in6addr_loopback;
	len = mkreq(V2, "public", SNMP_PDU_GET, 1, 0, 0, oids, 1);
	CHECK(engine_handle(eng, reqbuf, len, (const struct sockaddr *)&six,
	    out, sizeof(out)) > 0);
	/* No source at all is never allowed. */
	CHECK_U64(engine_handle(eng, reqbuf, len, NULL, out, sizeof(out)),
	    ==, 0);
}

static void
other_versions_are_counted_and_dropped(void)
{
	/* A v3 message header: SEQUENCE { INTEGER 3, ... }. */
	static const uint8_t v3[] = { 0x30, 0x13, 0x02, 0x01, 0x03, 0x30,
	    0x0e, 0x02, 0x02, 0x12, 0x34, 0x02, 0x02, 0x05, 0xdc, 0x04, 0x01,
	    0x04, 0x02, 0x01, 0x03 };
	const char *oids[] = { SYS "5.0" };

	fresh();
	CHECK_U64(engine_handle(eng, v3, sizeof(v3),
	    (const struct sockaddr *)&src_lo, out, sizeof(out)), ==, 0);
	CHECK_NOREPLY(sendq(2, "public", SNMP_PDU_GET, &src_lo, oids, 1));
	CHECK_NOREPLY(sendq(-1, "public", SNMP_PDU_GET, &src_lo, oids, 1));
	CHECK_U64(engine_counters(eng)->ec_in_bad_versions, ==, 3);
	CHECK_U64(engine_counters(eng)->ec_in_asn_parse_errs, ==, 0);
}

static void
garbage_and_truncated_messages_are_parse_errors(void)
{
	static const uint8_t junk[] = { 0xde, 0xad, 0xbe, 0xef };
	const char *oids[] = { SYS "5.0" };
	size_t len, cut, drops = 0;

	fresh();
	memcpy(reqbuf, junk, sizeof(junk));
	CHECK_U64(ask(sizeof(junk), &src_lo, sizeof(out)), ==, 0);
	CHECK_U64(ask(0, &src_lo, sizeof(out)), ==, 0);
	len = mkreq(V2, "public", SNMP_PDU_GET, 1, 0, 0, oids, 1);
	for (cut = 1; cut < len; cut++, drops++)
		CHECK_U64(ask(cut, &src_lo, sizeof(out)), ==, 0);
	CHECK_U64(engine_counters(eng)->ec_in_asn_parse_errs, ==, drops + 2);
	CHECK_U64(engine_counters(eng)->ec_in_pkts, ==, drops + 2);
}

static void
pdus_an_agent_does_not_serve_are_dropped(void)
{
	static const uint8_t types[] = { SNMP_PDU_RESPONSE, SNMP_PDU_INFORM,
	    SNMP_PDU_TRAP2, SNMP_PDU_REPORT };
	const char *oids[] = { SYS "5.0" };
	size_t i, len;

	fresh();
	for (i = 0; i < sizeof(types); i++) {
		len = mkreq(V2, "public", types[i], 1, 0, 0, oids, 1);
		CHECK_U64(ask(len, &src_lo, sizeof(out)), ==, 0);
	}
	len = mkreq(V1, "public", SNMP_PDU_GETBULK, 1, 0, 5, oids, 1);
	CHECK_U64(ask(len, &src_lo, sizeof(out)), ==, 0);
	CHECK_U64(engine_counters(eng)->ec_in_asn_parse_errs, ==, 5);
	CHECK_U64(engine_counters(eng)->ec_in_bad_community_names, ==, 0);
}

static void
too_many_varbinds_is_toobig_for_that_request(void)
{
	static const char *oids[SNMP_MAX_VARBINDS + 1];
	size_t i;

	fresh();
	for (i = 0; i < SNMP_MAX_VARBINDS + 1; i++)
		oids[i] = SYS "5.0";
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids,
	    SNMP_MAX_VARBINDS + 1) > 0);
	CHECK_INT(rm.m_request_id, ==, 4711);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	/* ... but still only for an authorized community. */
	CHECK_NOREPLY(sendq(V2, "nope", SNMP_PDU_GET, &src_lo, oids,
	    SNMP_MAX_VARBINDS + 1));
	/* Exactly the maximum is answered. */
	conf.ca_max_message_size = 65507;
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids,
	    SNMP_MAX_VARBINDS) > 0);
	CHECK_ERR(0, 0);
	CHECK_INT(rm.m_nvbs, ==, SNMP_MAX_VARBINDS);
}

static void
counters_are_visible_through_the_snmp_group(void)
{
#define SNMPG	"1.3.6.1.2.1.11."
	const char *oids[] = { SNMPG "1.0", SNMPG "3.0", SNMPG "4.0",
	    SNMPG "5.0", SNMPG "6.0", SNMPG "30.0", SNMPG "31.0",
	    SNMPG "32.0" };
	/* In-pkts counts this request too; .30 is snmpEnableAuthenTraps. */
	static const uint64_t want[] = { 4, 1, 1, 0, 1, 2, 0, 0 };
	static const uint8_t junk[] = { 0x30, 0x00 };
	const struct snmp_value *v;
	size_t i;

	fresh();
	memcpy(reqbuf, junk, sizeof(junk));
	CHECK_NOREPLY(ask(sizeof(junk), &src_lo, sizeof(out)));
	CHECK_NOREPLY(sendq(V2, "wrong", SNMP_PDU_GET, &src_lo, oids, 1));
	CHECK_NOREPLY(sendq(2, "public", SNMP_PDU_GET, &src_lo, oids, 1));
	ask_get(V2, SNMP_PDU_GET, oids, 8);
	CHECK_INT(rm.m_nvbs, ==, 8);
	for (i = 0; i < 8; i++) {
		v = &rvbs[i].vb_value;
		CHECK_INT(v->val_type, ==,
		    i == 5 ? BER_INTEGER : BER_COUNTER32);
		CHECK_U64(i == 5 ? (uint64_t)v->val_int : v->val_uint, ==,
		    want[i]);
	}
#undef SNMPG
}

static void
a_reloaded_config_takes_effect_at_once(void)
{
	const char *oids[] = { SYS "5.0" };

	fresh();
	engine_set_conf(eng, &conf2);
	CHECK_NOREPLY(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids, 1));
	CHECK(sendq(V2, "reloaded", SNMP_PDU_GET, &src_lo, oids, 1) > 0);
	CHECK_INT(rm.m_nvbs, ==, 1);
	/* No sysName configured: the host name, never empty. */
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK(rvbs[0].vb_value.val_str.len > 0);
	CHECK(rvbs[0].vb_value.val_str.len != 5 ||
	    memcmp(rvbs[0].vb_value.val_str.ptr, "web-1", 5) != 0);
	CHECK_U64(engine_counters(eng)->ec_in_bad_community_names, ==, 1);
	engine_set_conf(eng, &conf);
}

/*
 * Deterministic mutation of good requests: every byte replaced by a few
 * values.  Nothing may crash, every reply must fit and decode, and every
 * datagram is counted exactly once as answered or dropped.
 */
static void
mutated_requests_are_answered_or_counted(void)
{
	static const uint8_t subst[] = { 0x00, 0x01, 0x7f, 0x80, 0x81, 0xff,
	    0x30, 0xa5 };
	const char *oids[] = { "1.3.6.1.2.1.1", FAKE "1.2.0" };
	const struct engine_counters *c;
	uint8_t good[512];
	size_t len, i, k, answered = 0, sent = 0, n;
	uint8_t type;

	fresh();
	for (type = SNMP_PDU_GET; type <= SNMP_PDU_GETBULK; type++) {
		if (type == SNMP_PDU_RESPONSE || type == SNMP_PDU_TRAPV1)
			continue;
		len = mkreq(V2, "public", type, 5, 1, 3, oids, 2);
		if (len > sizeof(good))
			return;
		memcpy(good, reqbuf, len);
		for (i = 0; i < len; i++) {
			for (k = 0; k < sizeof(subst); k++) {
				memcpy(reqbuf, good, len);
				reqbuf[i] = subst[k];
				n = ask(len, &src_lo, 512);
				sent++;
				if (n > 0)
					answered++;
			}
		}
	}
	c = engine_counters(eng);
	CHECK_U64(c->ec_in_pkts, ==, sent);
	CHECK_U64(answered + c->ec_in_asn_parse_errs + c->ec_in_bad_versions +
	    c->ec_in_bad_community_names + c->ec_silent_drops, ==, sent);
	CHECK(answered > 0);
}

int
main(void)
{
	int rc;

	setup();
	RUN(v2c_get_answers_the_system_group);
	RUN(v2c_get_miss_answers_exceptions_per_varbind);
	RUN(v1_get_miss_is_no_such_name_with_the_index_and_varbinds_echoed);
	RUN(v1_never_returns_a_counter64);
	RUN(getnext_walks_across_groups);
	RUN(getnext_past_the_end_is_end_of_mib_view_or_no_such_name);
	RUN(getbulk_honours_non_repeaters_and_max_repetitions);
	RUN(getbulk_clamps_negative_values_to_zero);
	RUN(getbulk_stops_once_every_repeater_is_at_the_end);
	RUN(getbulk_is_cut_to_the_message_size_and_toobig_only_if_empty);
	RUN(getbulk_with_many_repeaters_and_huge_repetitions_stays_bounded);
	RUN(get_too_large_is_toobig_with_no_varbinds);
	RUN(unanswerable_varbinds_are_gen_err_at_their_index);
	RUN(set_is_refused_as_not_writable_or_no_such_name);
	RUN(a_bad_community_gets_no_reply_and_is_counted);
	RUN(a_source_outside_the_allow_list_gets_no_reply);
	RUN(other_versions_are_counted_and_dropped);
	RUN(garbage_and_truncated_messages_are_parse_errors);
	RUN(pdus_an_agent_does_not_serve_are_dropped);
	RUN(too_many_varbinds_is_toobig_for_that_request);
	RUN(counters_are_visible_through_the_snmp_group);
	RUN(a_reloaded_config_takes_effect_at_once);
	RUN(mutated_requests_are_answered_or_counted);
	rc = t_done();
	engine_free(eng);
	mib_free(mib);
	return rc;
}
