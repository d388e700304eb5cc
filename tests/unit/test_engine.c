/*
 * test_engine: engine_handle driven with datagrams built by the codec's
 * own encoder (and a few hand-made byte arrays), against a registry with
 * the system and snmp groups plus a synthetic region; replies are decoded
 * with the codec's decoder.  Every protocol rule of DESIGN.md "Protocol
 * behaviour" has a case here or in test_engine_bulk.c.  No sockets:
 * test_mib covers the registry alone and the integration tests cover the
 * wire.  GET, GETNEXT, SET, access, counters and reload here; GETBULK and
 * every cut to the message size: test_engine_bulk.c.  The fixture:
 * engine_fixture.h.
 */
#include "snmp/contract.h"
#include "tests/unit/engine_fixture.h"

static void
v2c_get_answers_the_system_group(void)
{
	const char *oids[] = { SYS "1.0", SYS "2.0", SYS "3.0", SYS "4.0",
	    SYS "5.0", SYS "6.0", SYS "7.0" };
	struct oid o, agent_oid;

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
	contract_oid(CONTRACT_ptAgentOID, &agent_oid);
	CHECK(oid_cmp(&o, &agent_oid) == 0);
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
	setup();
	RUN(v2c_get_answers_the_system_group);
	RUN(v2c_get_miss_answers_exceptions_per_varbind);
	RUN(v1_get_miss_is_no_such_name_with_the_index_and_varbinds_echoed);
	RUN(v1_never_returns_a_counter64);
	RUN(getnext_walks_across_groups);
	RUN(getnext_past_the_end_is_end_of_mib_view_or_no_such_name);
	RUN(unanswerable_varbinds_are_gen_err_at_their_index);
	RUN(set_is_refused_as_not_writable_or_no_such_name);
	RUN(a_bad_community_gets_no_reply_and_is_counted);
	RUN(a_source_outside_the_allow_list_gets_no_reply);
	RUN(other_versions_are_counted_and_dropped);
	RUN(garbage_and_truncated_messages_are_parse_errors);
	RUN(pdus_an_agent_does_not_serve_are_dropped);
	RUN(counters_are_visible_through_the_snmp_group);
	RUN(a_reloaded_config_takes_effect_at_once);
	RUN(mutated_requests_are_answered_or_counted);
	return t_done();
}
