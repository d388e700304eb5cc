/*
 * test_agent_v3: agent/v3.c replays the captured exchanges of
 * tests/vectors/usm/ in snmpd's place, with snmpd's engine ID, users,
 * boots and clock: every Report it sends is snmpd's, byte for byte (the
 * discovery probes of net-snmp and pysnmp, notInTimeWindow, wrongDigest,
 * unknown user, unsupported level, the restart), every request snmpd
 * answered is dispatched, and wrapping the same answer with the same
 * salt gives snmpd's Response byte for byte for every protocol pair but
 * DES (refused).  Not here: the rules on hand-made requests
 * (test_agent_v3_rules.c), the codec (test_v3.c).
 */
#include <stdlib.h>
#include <string.h>

#include "agent/v3.h"
#include "snmp/v3.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"
#include "tests/unit/v3_fixture.h"

#define MAXMSG	2048

static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];
static uint8_t req[MAXMSG], want[MAXMSG], out[MAXMSG];

/* An agent like the capturing snmpd, at boots; NULL on failure. */
static struct v3 *
agent(int32_t boots)
{
	uint8_t eid[32];
	char err[128];
	struct v3 *v;

	if ((v = v3_new(eid, hex(V3F_ENGINE, eid, sizeof(eid)), boots,
	    65507)) == NULL)
		return NULL;
	if (v3_set_users(v, v3f_cfg_users(), V3F_NUSERS, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "  %s\n", err);
		v3_free(v);
		return NULL;
	}
	return v;
}

/* Boots, time and salt of a captured reply. */
static void
reply_params(const uint8_t *msg, size_t len, int32_t *boots, uint32_t *now,
    uint64_t *salt)
{
	struct snmp_v3_msg h;
	size_t i;

	*boots = 0;
	*now = 0;
	*salt = 0;
	if (snmp_v3_decode(msg, len, &h) != 0)
		return;
	*boots = h.v3_boots;
	*now = (uint32_t)h.v3_time;
	for (i = 0; i < h.v3_priv_len; i++)
		*salt = *salt << 8 | h.v3_priv[i];
}

/* The counter value a captured Report carries. */
static uint32_t
report_value(const uint8_t *msg, size_t len)
{
	struct snmp_v3_msg h;
	struct snmp_msg m;

	if (snmp_v3_decode(msg, len, &h) != 0 || h.v3_encrypted ||
	    snmp_v3_scoped_decode(h.v3_data, h.v3_data_len, false, &m, vbs,
	    SNMP_MAX_VARBINDS) != 0 || m.m_nvbs != 1)
		return 0;
	return (uint32_t)m.m_vbs[0].vb_value.val_uint;
}

/*
 * Load request file rq and reply file rp (into req and want) and start an
 * agent at the reply's boots; its time and salt go to *now and *salt.
 * NULL when a file or the agent is missing.
 */
static struct v3 *
pair(const char *rq, const char *rp, size_t *rlen, size_t *wlen,
    uint32_t *now, uint64_t *salt)
{
	int32_t boots;

	*rlen = v3f_load(rq, req, sizeof(req));
	*wlen = v3f_load(rp, want, sizeof(want));
	if (*rlen == 0 || *wlen == 0)
		return NULL;
	reply_params(want, *wlen, &boots, now, salt);
	return agent(boots);
}

/*
 * Request file rq earns Report file rp: sent as many times as the
 * Report's counter says (the last reply is compared), at the Report's
 * boots and time.
 */
static void
check_report(const char *rq, const char *rp)
{
	struct v3_txn t;
	struct snmp_msg m;
	struct v3 *v;
	size_t rlen, wlen, olen = 0;
	uint32_t now, n, times;
	uint64_t salt;

	if ((v = pair(rq, rp, &rlen, &wlen, &now, &salt)) == NULL) {
		CHECK(!"capture files or agent");
		return;
	}
	times = report_value(want, wlen);
	CHECK_U64(times, >, 0);
	for (n = 0; n < times; n++)
		CHECK_INT(v3_receive(v, req, rlen, now, &m, vbs,
		    SNMP_MAX_VARBINDS, &t, out, sizeof(out), &olen), ==,
		    V3_SEND);
	if (memcmp(out, want, wlen) != 0)
		fprintf(stderr, "  %s -> %s differs\n", rq, rp);
	CHECK_MEM(out, olen, want, wlen);
	v3_free(v);
}

static void
discovery_probes_of_net_snmp_and_pysnmp_get_snmpds_reports(void)
{
	check_report("01-netsnmp-probe", "02-report-unknownEngineIDs");
	check_report("21-pysnmp-probe", "22-pysnmp-report-unknownEngineIDs");
}

static void
stale_clocks_get_snmpds_authenticated_not_in_time_window_reports(void)
{
	check_report("05-get-stale-boots0", "06-report-notInTimeWindows");
	check_report("23-pysnmp-timesync-get",
	    "24-pysnmp-report-notInTimeWindows");
	check_report("61-get-after-agent-restart",
	    "62-report-notInTimeWindows-after-restart");
}

static void
wrong_digest_unknown_user_and_level_get_snmpds_reports(void)
{
	check_report("09-get-wrong-auth-password", "10-report-wrongDigests");
	check_report("11-get-unknown-user", "12-report-unknownUserNames");
	check_report("13-get-authpriv-for-auth-only-user",
	    "14-report-unsupportedSecLevels");
}

/*
 * Request file rq is dispatched as a GET of sysName.0; answering
 * "usm-test" at Response file rp's time and salt gives rp.
 */
static void
check_answer(const char *rq, const char *rp)
{
	static const struct oid sysname = { { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, 9 };
	struct snmp_reply r;
	struct snmp_value val;
	struct v3_txn t;
	struct snmp_msg m;
	struct v3 *v;
	const uint8_t *msg;
	size_t rlen, wlen, slen, olen = 0;
	uint32_t now;
	uint64_t salt;

	if ((v = pair(rq, rp, &rlen, &wlen, &now, &salt)) == NULL) {
		CHECK(!"capture files or agent");
		return;
	}
	CHECK_INT(v3_receive(v, req, rlen, now, &m, vbs, SNMP_MAX_VARBINDS, &t,
	    out, sizeof(out), &olen), ==, V3_DISPATCH);
	CHECK_U64(olen, ==, 0);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_GET);
	CHECK_U64(m.m_nvbs, ==, 1);
	CHECK_INT(oid_cmp(&m.m_vbs[0].vb_oid, &sysname), ==, 0);
	CHECK_INT(t.t_decode, ==, 0);
	CHECK_U64(t.t_scoped_max, >, 1000);
	memset(&val, 0, sizeof(val));
	val.val_type = BER_OCTET_STRING;
	val.val_str.ptr = (const uint8_t *)"usm-test";
	val.val_str.len = 8;
	CHECK_INT(snmp_reply_init_scoped(&r, out, sizeof(out), t.t_scoped_max,
	    m.m_context_engine_id, m.m_context_engine_id_len,
	    m.m_context_name, m.m_context_name_len, m.m_request_id), ==, 0);
	CHECK_INT(snmp_reply_add(&r, &sysname, &val), ==, 0);
	CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &slen), ==, 0);
	v3_set_salt(v, salt);
	CHECK_INT(v3_respond(v, &t, now, out, sizeof(out), slen, &olen), ==,
	    V3_SEND);
	if (olen != wlen || memcmp(out, want, wlen) != 0)
		fprintf(stderr, "  %s -> %s differs\n", rq, rp);
	CHECK_MEM(out, olen, want, wlen);
	v3_free(v);
}

static void
every_request_snmpd_answered_gets_snmpds_response_but_des(void)
{
	check_answer("03-get-sha256-aes128", "04-response-sha256-aes128");
	check_answer("07-get-resent-in-window", "08-response-after-resync");
	check_answer("25-pysnmp-get", "26-pysnmp-response");
	check_answer("33-usha-get", "34-usha-response");
	check_answer("35-usha224-get", "36-usha224-response");
	check_answer("37-usha384-get", "38-usha384-response");
	check_answer("39-usha512-get", "40-usha512-response");
	check_answer("41-ua192-get", "42-ua192-response");
	check_answer("43-ua256-get", "44-ua256-response");
	check_answer("45-ua256md5-get", "46-ua256md5-response");
	check_answer("47-uauth-get", "48-uauth-response");
	check_answer("49-unoauth-get", "50-unoauth-response");
}

/* What one captured request earns from an agent at boots and now. */
static enum v3_action
replay(const char *rq, int32_t boots, uint32_t now, struct v3 **vp,
    size_t *olen)
{
	struct v3_txn t;
	struct snmp_msg m;
	size_t rlen = v3f_load(rq, req, sizeof(req));

	*olen = 0;
	if (rlen == 0 || (*vp = agent(boots)) == NULL)
		return (enum v3_action)-1;
	return v3_receive(*vp, req, rlen, now, &m, vbs, SNMP_MAX_VARBINDS, &t,
	    out, sizeof(out), olen);
}

static void
a_wrong_privacy_key_is_a_parse_error_and_silence_as_with_snmpd(void)
{
	const struct v3_counters *c;
	struct v3 *v = NULL;
	size_t olen;

	CHECK_INT(replay("15-get-wrong-priv-password-dropped", 1, 40, &v,
	    &olen), ==, V3_DROP_PARSE);
	CHECK_U64(olen, ==, 0);
	if (v == NULL)
		return;
	c = v3_counters(v);
	CHECK_U64(c->vc_decryption_errors, ==, 0);
	CHECK_U64(c->vc_wrong_digests, ==, 0);
	v3_free(v);
}

static void
a_des_request_is_an_unsupported_level_for_the_agent(void)
{
	struct snmp_v3_msg h;
	struct v3 *v = NULL;
	size_t olen;

	CHECK_INT(replay("31-umd5-get", 1, 40, &v, &olen), ==, V3_SEND);
	if (v == NULL)
		return;
	CHECK_U64(v3_counters(v)->vc_unsupported_sec_levels, ==, 1);
	CHECK_INT(snmp_v3_decode(out, olen, &h), ==, 0);
	CHECK_INT(h.v3_flags, ==, 0);
	CHECK_MEM(h.v3_user, h.v3_user_len, "umd5", 4);
	v3_free(v);
}

static void
the_resent_request_after_a_restart_is_dispatched(void)
{
	struct v3 *v = NULL;
	size_t olen;

	CHECK_INT(replay("63-get-resent-new-msgid", 6, 2, &v, &olen), ==,
	    V3_DISPATCH);
	v3_free(v);
	/* The same at the old boots: the window is boots and time. */
	CHECK_INT(replay("63-get-resent-new-msgid", 5, 2, &v, &olen), ==,
	    V3_SEND);
	v3_free(v);
}

int
main(void)
{
	RUN(discovery_probes_of_net_snmp_and_pysnmp_get_snmpds_reports);
	RUN(stale_clocks_get_snmpds_authenticated_not_in_time_window_reports);
	RUN(wrong_digest_unknown_user_and_level_get_snmpds_reports);
	RUN(every_request_snmpd_answered_gets_snmpds_response_but_des);
	RUN(a_wrong_privacy_key_is_a_parse_error_and_silence_as_with_snmpd);
	RUN(a_des_request_is_an_unsupported_level_for_the_agent);
	RUN(the_resent_request_after_a_restart_is_dispatched);
	return t_done();
}
