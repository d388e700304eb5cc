/*
 * test_engine_v3: the protocol engine with SNMPv3 (agent/engine.c calling
 * agent/v3.c) and with views, over the registry of engine_fixture.h and
 * the snmpEngine/usmStats module.  Requests come from snmp/v3cli.h acting
 * as a manager, replies are opened with the user's keys.  What v3.c
 * decides alone (every Report, every rule of RFC 3414) is
 * test_agent_v3*.c's; here: that a request it lets through is served as a
 * v2c one, within the user's view, and answered at its level; that the
 * engine counts v3.c's drops where the SNMPv2-MIB says; that tooBig, SET,
 * GETBULK's cut and the reply budget hold for v3; and that community
 * views work as user views do.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "agent/v3.h"
#include "lib/clock.h"
#include "snmp/v3cli.h"
#include "tests/unit/engine_fixture.h"

#define PW		"maplesyrup"
#define AUTHPRIV	(SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV)
#define REPORTABLE	SNMP_V3_FLAG_REPORTABLE
#define BOOTS		7
#define ENGINE		"1.3.6.1.6.3.10.2.1."
#define USMSTATS	"1.3.6.1.6.3.15.1.1."

static const uint8_t eid[] = { 0x80, 0x00, 0x1f, 0x88, 0x04, 't', 'e',
    's', 't' };
static struct v3 *v3;
static struct v3cli cli_full, cli_narrow, cli_auth, cli_wrongpriv;
static struct snmp_v3_msg rh;		/* the last v3 reply's header */
static size_t reqlen;			/* the last v3 request's length */
static uint8_t plain[BIG];
static char u_full[] = "full", u_narrow[] = "narrow", u_auth[] = "auth";
static char pw[] = PW;
/* narrow reads sysName.0 and the table, nothing else. */
static struct oid narrow_view[2];
static struct oid comm_view[1];
static struct cfg_user users[3];
static struct cfg_community comms_view[1];

static void
users_setup(void)
{
	static const struct { char *name; enum cfg_auth_proto a;
	    enum cfg_priv_proto p; } u[3] = {
		{ u_full, CFG_AUTH_SHA256, CFG_PRIV_AES },
		{ u_narrow, CFG_AUTH_SHA, CFG_PRIV_AES256 },
		{ u_auth, CFG_AUTH_MD5, CFG_PRIV_NONE },
	};
	size_t i;

	narrow_view[0] = O(SYS "5.0");
	narrow_view[1] = O(FAKE "2");
	for (i = 0; i < 3; i++) {
		memset(&users[i], 0, sizeof(users[i]));
		users[i].cu_name = u[i].name;
		users[i].cu_auth_proto = u[i].a;
		users[i].cu_auth_password = pw;
		users[i].cu_priv_proto = u[i].p;
		users[i].cu_priv_password = u[i].p != CFG_PRIV_NONE ? pw : NULL;
		users[i].cu_level = u[i].p != CFG_PRIV_NONE ? CFG_AUTHPRIV :
		    CFG_AUTHNOPRIV;
		users[i].cu_view.cv_all = true;
		users[i].cu_expose_cmdline = -1;
	}
	users[1].cu_view.cv_all = false;
	users[1].cu_view.cv_subtrees = narrow_view;
	users[1].cu_view.cv_n = 2;
	if (v3cli_init(&cli_full, "full", USM_AUTH_SHA256, PW,
	    USM_PRIV_AES128, PW, eid, sizeof(eid)) != 0 ||
	    v3cli_init(&cli_narrow, "narrow", USM_AUTH_SHA1, PW,
	    USM_PRIV_AES256, PW, eid, sizeof(eid)) != 0 ||
	    v3cli_init(&cli_auth, "auth", USM_AUTH_MD5, PW, USM_PRIV_NONE,
	    NULL, eid, sizeof(eid)) != 0 ||
	    v3cli_init(&cli_wrongpriv, "full", USM_AUTH_SHA256, PW,
	    USM_PRIV_AES128, "not the password", eid, sizeof(eid)) != 0)
		abort();
	cli_full.c_boots = cli_narrow.c_boots = cli_auth.c_boots =
	    cli_wrongpriv.c_boots = BOOTS;
}

/* A fresh engine serving v3 with the users above. */
static void
fresh_v3(void)
{
	char err[128];

	fresh();
	conf.ca_users = users;
	conf.ca_nusers = 3;
	engine_set_conf(eng, &conf);
	v3_free(v3);
	if ((v3 = v3_new(eid, sizeof(eid), BOOTS, 1472)) == NULL ||
	    v3_set_users(v3, users, 3, err, sizeof(err)) != 0)
		abort();
	engine_set_v3(eng, v3, clock_mono_ms());
}

static void
v3_teardown(void)
{
	v3_free(v3);
}

/*
 * Send a request of c's at level flags from loopback (a, b: GETBULK's
 * non-repeaters and max-repetitions); open the reply into rh, rm and
 * rvbs.  Returns the reply's length, 0 when none.
 */
static size_t
v3ask(struct v3cli *c, uint8_t flags, uint8_t type, int32_t a, int32_t b,
    const char **oids, size_t n, const struct sockaddr_in *src)
{
	struct snmp_reply r;
	struct snmp_value null;
	const uint8_t *msg;
	size_t i, scoped, len, got;
	struct oid o;

	memset(&null, 0, sizeof(null));
	null.val_type = BER_NULL;
	if (snmp_reply_init_scoped(&r, reqbuf, sizeof(reqbuf),
	    v3cli_scoped_max(c, flags, sizeof(reqbuf)), eid, sizeof(eid),
	    NULL, 0, 4711) != 0 || snmp_reply_set_type(&r, type) != 0)
		abort();
	for (i = 0; i < n; i++) {
		o = O(oids[i]);
		if (snmp_reply_add(&r, &o, &null) != 0)
			abort();
	}
	if (snmp_reply_finish(&r, a, b, &msg, &scoped) != 0 ||
	    v3cli_wrap(c, 99, flags | REPORTABLE, reqbuf, sizeof(reqbuf),
	    scoped, &len) != 0)
		abort();
	reqlen = len;
	memset(&rm, 0, sizeof(rm));
	got = engine_handle(eng, reqbuf, len, (const struct sockaddr *)src,
	    out, sizeof(out));
	if (got > 0) {
		CHECK(got <= conf.ca_max_message_size);
		CHECK_INT(v3cli_open(c, out, got, plain, &rh, &rm, rvbs,
		    SNMP_MAX_VARBINDS), ==, 0);
	}
	return got;
}

/* The last reply is a Response at level flags to request-id 4711. */
static void
check_response(uint8_t flags)
{
	CHECK_INT(rh.v3_flags, ==, flags);
	CHECK_INT(rh.v3_msg_id, ==, 99);
	CHECK_INT(rm.m_pdu_type, ==, SNMP_PDU_RESPONSE);
	CHECK_INT(rm.m_request_id, ==, 4711);
}

static void
without_users_v3_is_a_bad_version(void)
{
	size_t len;

	fresh();
	CHECK_INT(v3cli_probe(5, reqbuf, sizeof(reqbuf), &len), ==, 0);
	CHECK_NOREPLY(ask(len, &src_lo, sizeof(out)));
	CHECK_U64(engine_counters(eng)->ec_in_bad_versions, ==, 1);
	CHECK_U64(engine_counters(eng)->ec_in_pkts, ==, 1);
}

static void
discovery_gets_the_report_with_the_engine_its_boots_and_time(void)
{
	uint8_t id[SNMP_MAX_ENGINE_ID];
	int32_t boots = 0, t = -1;
	size_t len, n, idlen = 0;

	fresh_v3();
	CHECK_INT(v3cli_probe(5, reqbuf, sizeof(reqbuf), &len), ==, 0);
	n = engine_handle(eng, reqbuf, len, (const struct sockaddr *)&src_lo,
	    out, sizeof(out));
	CHECK(n > 0);
	CHECK_INT(v3cli_learn(out, n, id, &idlen, &boots, &t), ==, 0);
	CHECK_MEM(id, idlen, eid, sizeof(eid));
	CHECK_INT(boots, ==, BOOTS);
	CHECK_INT(t, ==, 0);
	CHECK_U64(v3_counters(v3)->vc_unknown_engine_ids, ==, 1);
	CHECK_U64(engine_counters(eng)->ec_in_pkts, ==, 1);
	CHECK_U64(engine_counters(eng)->ec_in_bad_versions, ==, 0);
}

static void
an_authpriv_get_is_answered_encrypted_with_the_engine_objects(void)
{
	const char *oids[] = { SYS "5.0", ENGINE "1.0", ENGINE "2.0",
	    ENGINE "3.0", ENGINE "4.0", USMSTATS "4.0", "1.3.6.1.4.1.9.1.0" };

	fresh_v3();
	CHECK(v3ask(&cli_full, AUTHPRIV, SNMP_PDU_GET, 0, 0, oids, 7,
	    &src_lo) > 0);
	check_response(AUTHPRIV);
	CHECK(rh.v3_encrypted);
	CHECK_ERR(0, 0);
	CHECK(names_are(7, SYS "5.0", ENGINE "1.0", ENGINE "2.0",
	    ENGINE "3.0", ENGINE "4.0", USMSTATS "4.0", "1.3.6.1.4.1.9.1.0"));
	CHECK_VSTR(0, "web-1");
	CHECK_MEM(rvbs[1].vb_value.val_str.ptr, rvbs[1].vb_value.val_str.len,
	    eid, sizeof(eid));
	CHECK_INT(rvbs[2].vb_value.val_int, ==, BOOTS);
	CHECK_INT(rvbs[3].vb_value.val_type, ==, BER_INTEGER);
	CHECK(rvbs[3].vb_value.val_int >= 0 && rvbs[3].vb_value.val_int < 5);
	CHECK_INT(rvbs[4].vb_value.val_int, ==, 1472);
	CHECK_INT(rvbs[5].vb_value.val_type, ==, BER_COUNTER32);
	CHECK_INT(rvbs[6].vb_value.val_type, ==, BER_NOSUCHOBJECT);
	/* The ScopedPDU names this engine as its context. */
	CHECK_MEM(rm.m_context_engine_id, rm.m_context_engine_id_len, eid,
	    sizeof(eid));
	CHECK_U64(engine_counters(eng)->ec_in_pkts, ==, 1);
}

static void
getbulk_and_getnext_answer_as_in_v2c(void)
{
	const char *start[] = { FAKE "1" };
	struct oid v2names[12];
	size_t i, n;

	fresh_v3();
	CHECK(bulk(0, 12, start, 1, sizeof(out)) > 0);
	n = rm.m_nvbs;
	CHECK_U64(n, ==, 12);
	for (i = 0; i < n && i < 12; i++)
		v2names[i] = rvbs[i].vb_oid;
	CHECK(v3ask(&cli_auth, SNMP_V3_FLAG_AUTH, SNMP_PDU_GETBULK, 0, 12,
	    start, 1, &src_lo) > 0);
	check_response(SNMP_V3_FLAG_AUTH);
	CHECK_U64(rm.m_nvbs, ==, n);
	for (i = 0; i < n && i < rm.m_nvbs; i++)
		CHECK(oid_cmp(&rvbs[i].vb_oid, &v2names[i]) == 0);
	CHECK(v3ask(&cli_auth, SNMP_V3_FLAG_AUTH, SNMP_PDU_GETNEXT, 0, 0,
	    start, 1, &src_lo) > 0);
	CHECK(names_are(1, FAKE "1.1.0"));
	/* Past the end (usmStatsDecryptionErrors): endOfMibView. */
	start[0] = USMSTATS "6.0";
	CHECK(v3ask(&cli_auth, SNMP_V3_FLAG_AUTH, SNMP_PDU_GETNEXT, 0, 0,
	    start, 1, &src_lo) > 0);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
}

static void
a_users_view_hides_the_rest_from_get_getnext_and_getbulk(void)
{
	const char *get[] = { SYS "5.0", SYS "1.0", FAKE "2.3", FAKE "1.1.0" };
	const char *from[] = { "1.3" };
	const char *mid[] = { FAKE "2.399" };

	fresh_v3();
	CHECK(v3ask(&cli_narrow, AUTHPRIV, SNMP_PDU_GET, 0, 0, get, 4,
	    &src_lo) > 0);
	check_response(AUTHPRIV);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_NOSUCHOBJECT);
	CHECK_INT(rvbs[2].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_INT(rvbs[3].vb_value.val_type, ==, BER_NOSUCHOBJECT);
	/* A walk from the top: sysName.0 (an instance as a view), the table. */
	CHECK(v3ask(&cli_narrow, AUTHPRIV, SNMP_PDU_GETBULK, 0, 4, from, 1,
	    &src_lo) > 0);
	CHECK(names_are(4, SYS "5.0", FAKE "2.1", FAKE "2.2", FAKE "2.3"));
	/* The last row, then nothing: the view ends there. */
	CHECK(v3ask(&cli_narrow, AUTHPRIV, SNMP_PDU_GETBULK, 0, 3, mid, 1,
	    &src_lo) > 0);
	CHECK(names_are(2, FAKE "2.400", FAKE "2.400"));
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
	/* The snmp group, outside the view, is not there either. */
	from[0] = "1.3.6.1.2.1.2";
	CHECK(v3ask(&cli_narrow, AUTHPRIV, SNMP_PDU_GETNEXT, 0, 0, from, 1,
	    &src_lo) > 0);
	CHECK(names_are(1, FAKE "2.1"));
	/* Another user sees everything. */
	CHECK(v3ask(&cli_full, AUTHPRIV, SNMP_PDU_GETNEXT, 0, 0, from, 1,
	    &src_lo) > 0);
	CHECK(names_are(1, "1.3.6.1.2.1.11.1.0"));
}

static void
a_community_view_works_as_a_user_view(void)
{
	const char *get[] = { SYS "5.0", FAKE "1.1.0" };
	const char *from[] = { "1.3" };

	fresh();
	comm_view[0] = O(FAKE "1");
	comms_view[0] = comms[0];
	comms_view[0].cc_view.cv_all = false;
	comms_view[0].cc_view.cv_subtrees = comm_view;
	comms_view[0].cc_view.cv_n = 1;
	conf.ca_communities = comms_view;
	conf.ca_ncommunities = 1;
	engine_set_conf(eng, &conf);
	(void)ask_get(V2, SNMP_PDU_GET, get, 2);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_NOSUCHOBJECT);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_GAUGE32);
	(void)ask_get(V1, SNMP_PDU_GET, get, 2);
	CHECK_ERR(SNMP_ERRSTAT_NOSUCHNAME, 1);
	(void)ask_get(V2, SNMP_PDU_GETNEXT, from, 1);
	CHECK(names_are(1, FAKE "1.1.0"));
	/* v1 skips the Counter64 and ends at the view's end. */
	(void)ask_get(V1, SNMP_PDU_GETNEXT, get + 1, 1);
	CHECK(names_are(1, FAKE "1.3.0"));
	get[0] = FAKE "1.3.0";
	(void)ask_get(V1, SNMP_PDU_GETNEXT, get, 1);
	CHECK_ERR(SNMP_ERRSTAT_NOSUCHNAME, 1);
	conf.ca_communities = comms;
	conf.ca_ncommunities = 2;
}

static void
set_is_not_writable_and_not_a_bad_community_use(void)
{
	const char *oids[] = { SYS "5.0", SYS "6.0" };

	fresh_v3();
	CHECK(v3ask(&cli_full, AUTHPRIV, SNMP_PDU_SET, 0, 0, oids, 2,
	    &src_lo) > 0);
	check_response(AUTHPRIV);
	CHECK_ERR(SNMP_ERRSTAT_NOTWRITABLE, 1);
	CHECK(names_are(2, SYS "5.0", SYS "6.0"));
	CHECK_U64(engine_counters(eng)->ec_in_bad_community_uses, ==, 0);
}

static void
replies_stay_within_max_message_size_toobig_and_bulk_cut(void)
{
	const char *rows[60], *start[] = { FAKE "2" };
	char names[60][32];
	size_t i;

	fresh_v3();
	for (i = 0; i < 60; i++) {
		(void)snprintf(names[i], sizeof(names[i]), FAKE "2.%zu", i + 1);
		rows[i] = names[i];
	}
	/* 60 rows of 20-octet strings do not fit in 1472 octets. */
	CHECK(v3ask(&cli_full, AUTHPRIV, SNMP_PDU_GET, 0, 0, rows, 60,
	    &src_lo) > 0);
	check_response(AUTHPRIV);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_U64(rm.m_nvbs, ==, 0);
	CHECK(v3ask(&cli_full, AUTHPRIV, SNMP_PDU_GETBULK, 0, 200, start, 1,
	    &src_lo) > 0);
	CHECK_ERR(0, 0);
	CHECK(rm.m_nvbs > 20 && rm.m_nvbs < 60);
	CHECK_U64(engine_counters(eng)->ec_silent_drops, ==, 0);
}

static void
a_wrong_privacy_key_is_a_silent_parse_error(void)
{
	const char *oids[] = { SYS "5.0" };

	fresh_v3();
	CHECK_NOREPLY(v3ask(&cli_wrongpriv, AUTHPRIV, SNMP_PDU_GET, 0, 0,
	    oids, 1, &src_lo));
	CHECK_U64(engine_counters(eng)->ec_in_asn_parse_errs, ==, 1);
	CHECK_U64(v3_counters(v3)->vc_decryption_errors, ==, 0);
}

static void
below_the_users_level_is_authorization_error(void)
{
	const char *oids[] = { SYS "5.0" };

	fresh_v3();
	CHECK(v3ask(&cli_full, SNMP_V3_FLAG_AUTH, SNMP_PDU_GET, 0, 0, oids, 1,
	    &src_lo) > 0);
	check_response(SNMP_V3_FLAG_AUTH);
	CHECK_ERR(SNMP_ERRSTAT_AUTHORIZATIONERROR, 0);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_NULL);
}

static void
the_reply_budget_holds_for_reports_and_responses(void)
{
	const char *oids[] = { SYS "1.0" };
	size_t len, answered = 0, reports = 0, i;

	/* Room for a few replies of about 130 octets, then none. */
	conf.ca_reply_rate = 1;
	conf.ca_reply_burst = 500;
	fresh_v3();
	for (i = 0; i < 10; i++)
		if (v3ask(&cli_full, AUTHPRIV, SNMP_PDU_GET, 0, 0, oids, 1,
		    &src_far) > 0)
			answered++;
	CHECK(answered >= 1 && answered < 10);
	CHECK_U64(engine_counters(eng)->ec_budget_drops, ==, 10 - answered);
	/* What is left is less than one Response: two Reports do not fit. */
	CHECK_INT(v3cli_probe(5, reqbuf, sizeof(reqbuf), &len), ==, 0);
	for (i = 0; i < 2; i++)
		if (engine_handle(eng, reqbuf, len,
		    (const struct sockaddr *)&src_far, out, sizeof(out)) > 0)
			reports++;
	CHECK_U64(reports, <=, 1);
	CHECK_U64(engine_counters(eng)->ec_budget_drops, ==,
	    12 - answered - reports);
	conf.ca_reply_rate = 0;
	conf.ca_reply_burst = 0;
}

static void
reloaded_users_take_effect_at_once(void)
{
	const char *oids[] = { SYS "1.0" };
	char err[128];

	fresh_v3();
	CHECK(v3ask(&cli_narrow, AUTHPRIV, SNMP_PDU_GET, 0, 0, oids, 1,
	    &src_lo) > 0);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_NOSUCHOBJECT);
	/* Users reordered and narrow's view lifted, as a reload would. */
	users[1].cu_view.cv_all = true;
	CHECK_INT(v3_set_users(v3, users + 1, 2, err, sizeof(err)), ==, 0);
	conf.ca_users = users + 1;
	conf.ca_nusers = 2;
	engine_set_conf(eng, &conf);
	CHECK(v3ask(&cli_narrow, AUTHPRIV, SNMP_PDU_GET, 0, 0, oids, 1,
	    &src_lo) > 0);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK(v3ask(&cli_full, AUTHPRIV, SNMP_PDU_GET, 0, 0, oids, 1,
	    &src_lo) > 0);
	CHECK_INT(rm.m_pdu_type, ==, SNMP_PDU_REPORT);
	users[1].cu_view.cv_all = false;
}

static void
counters_add_up_for_mutated_v3_requests(void)
{
	const char *oids[] = { SYS "5.0" };
	const struct engine_counters *c;
	static uint8_t good[BIG];
	size_t len, i, sent = 0, answered = 0;

	fresh_v3();
	CHECK(v3ask(&cli_full, AUTHPRIV, SNMP_PDU_GET, 0, 0, oids, 1,
	    &src_lo) > 0);
	sent++;
	answered++;
	/* The request as sent, then with each octet flipped in turn. */
	len = reqlen;
	memcpy(good, reqbuf, len);
	for (i = 0; i < len; i++) {
		memcpy(reqbuf, good, len);
		reqbuf[i] ^= 0x5a;
		if (engine_handle(eng, reqbuf, len,
		    (const struct sockaddr *)&src_lo, out, sizeof(out)) > 0)
			answered++;
		sent++;
	}
	c = engine_counters(eng);
	CHECK_U64(c->ec_in_pkts, ==, sent);
	/*
	 * Every datagram is answered (a Report, at least) or counted: by the
	 * engine, or by v3.c when it is a security drop with no Report.
	 */
	CHECK_U64(answered + c->ec_in_asn_parse_errs + c->ec_silent_drops +
	    c->ec_in_bad_versions + v3_counters(v3)->vc_unknown_security_models +
	    v3_counters(v3)->vc_invalid_msgs, >=, sent);
	CHECK(answered > 2);
}

int
main(void)
{
	setup();
	if (mib_v3_register(mib) == -1 || atexit(v3_teardown) != 0)
		abort();
	users_setup();
	RUN(without_users_v3_is_a_bad_version);
	RUN(discovery_gets_the_report_with_the_engine_its_boots_and_time);
	RUN(an_authpriv_get_is_answered_encrypted_with_the_engine_objects);
	RUN(getbulk_and_getnext_answer_as_in_v2c);
	RUN(a_users_view_hides_the_rest_from_get_getnext_and_getbulk);
	RUN(a_community_view_works_as_a_user_view);
	RUN(set_is_not_writable_and_not_a_bad_community_use);
	RUN(replies_stay_within_max_message_size_toobig_and_bulk_cut);
	RUN(a_wrong_privacy_key_is_a_silent_parse_error);
	RUN(below_the_users_level_is_authorization_error);
	RUN(the_reply_budget_holds_for_reports_and_responses);
	RUN(reloaded_users_take_effect_at_once);
	RUN(counters_add_up_for_mutated_v3_requests);
	return t_done();
}
