/*
 * test_agent_v3_rules: agent/v3.c on requests made here, one per rule of
 * RFC 3412 sec. 7.2 and RFC 3414 sec. 3.2 that the captures do not
 * reach: unknown security models, privacy without authentication, PDUs
 * without a handler, foreign contexts, a user's minimum level, the edges
 * of the time window, bad salts, MACs of the wrong length, unreportable
 * requests, replies that do not fit, and users reloaded all or nothing.
 * Each case checks the action, the counter, and the reply's level and
 * PDU, opened with the user's keys.  The requests come from our own
 * encoder acting as a client (test_v3.c proves it against net-snmp's).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/v3.h"
#include "snmp/usm.h"
#include "snmp/v3.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"
#include "tests/unit/v3_fixture.h"

#define MAXMSG	2048
#define BOOTS	3
#define NOW	1000
#define AUTHPRIV	(SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV)
#define REPORTABLE	SNMP_V3_FLAG_REPORTABLE

static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];
static uint8_t buf[MAXMSG], out[MAXMSG];
static uint8_t eid[32];
static size_t eidlen;

/* One request to make: zero fields mean the usual. */
struct rq {
	const char	*user;		/* default usha256 */
	uint8_t		 flags;		/* msgFlags as sent */
	int32_t		 boots;		/* default BOOTS (-1: 0) */
	int64_t		 time;		/* default NOW (-1: 0) */
	uint8_t		 pdu;		/* default GET */
	const char	*ctx_engine;	/* hex; default the agent's */
	const char	*ctx_name;
	size_t		 nvb;		/* default 1 */
	int32_t		 max_size;	/* default 65507 */
	size_t		 salt_len;	/* default 8 */
	size_t		 mac_len;	/* default the protocol's */
	int		 model;		/* default USM */
	bool		 plain_with_priv;
	bool		 enc_without_priv;
};

/* The users: the capture's, one with a minimum level, two Reeder ones. */
static struct cfg_user *
users(size_t *n)
{
	static struct cfg_user cu[V3F_NUSERS + 3];
	static char pw[] = V3F_PASSWORD;
	static char strict[] = "strict", c192[] = "ua192c", c256[] = "ua256c";

	memcpy(cu, v3f_cfg_users(), V3F_NUSERS * sizeof(cu[0]));
	cu[V3F_NUSERS] = cu[0];
	cu[V3F_NUSERS].cu_name = strict;
	cu[V3F_NUSERS + 1] = cu[2];
	cu[V3F_NUSERS + 1].cu_name = c192;
	cu[V3F_NUSERS + 1].cu_priv_proto = CFG_PRIV_AES192C;
	cu[V3F_NUSERS + 2] = cu[8];
	cu[V3F_NUSERS + 2].cu_name = c256;
	cu[V3F_NUSERS + 2].cu_priv_proto = CFG_PRIV_AES256C;
	cu[V3F_NUSERS + 2].cu_priv_password = pw;
	/* "strict" has SHA-256/AES keys and must use them. */
	cu[V3F_NUSERS].cu_level = CFG_AUTHPRIV;
	cu[0].cu_level = CFG_NOAUTH;
	*n = V3F_NUSERS + 3;
	return cu;
}

/* The fixture's protocols for a user name of users(). */
static struct v3f_user
proto_of(const char *name)
{
	struct v3f_user u = { name, CFG_AUTH_SHA256, CFG_PRIV_AES };
	const struct v3f_user *f;

	if (strcmp(name, "ua192c") == 0) {
		u.auth = CFG_AUTH_SHA;
		u.priv = CFG_PRIV_AES192C;
	} else if (strcmp(name, "ua256c") == 0) {
		u.auth = CFG_AUTH_MD5;
		u.priv = CFG_PRIV_AES256C;
	} else if ((f = v3f_user_find((const uint8_t *)name,
	    strlen(name))) != NULL) {
		u = *f;
		u.name = name;
	}
	return u;
}

static struct v3 *
agent(int32_t boots)
{
	struct cfg_user *cu;
	char err[128];
	struct v3 *v;
	size_t n;

	eidlen = hex(V3F_ENGINE, eid, sizeof(eid));
	if ((v = v3_new(eid, eidlen, boots, 65507)) == NULL)
		abort();
	cu = users(&n);
	if (v3_set_users(v, cu, n, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	return v;
}

/* Find the msgFlags octet of a message we wrapped: 04 01 F 02 01 03. */
static size_t
flags_at(const uint8_t *m, size_t len, uint8_t f)
{
	size_t i;

	for (i = 0; i + 6 <= len; i++)
		if (m[i] == 4 && m[i + 1] == 1 && m[i + 2] == f &&
		    m[i + 3] == 2 && m[i + 4] == 1 && m[i + 5] == 3)
			return i + 2;
	abort();
}

/* Encode q into buf as a client would; returns its length. */
static size_t
mkreq(const struct rq *q)
{
	static const struct oid sysname = { { 1, 3, 6, 1, 2, 1, 1, 5, 0 }, 9 };
	static const uint8_t salt[8] = { 0, 0, 0, 0, 0, 0, 0x12, 0x34 };
	struct v3f_user u = proto_of(q->user != NULL ? q->user : "usha256");
	struct snmp_reply r;
	struct snmp_value null;
	struct snmp_v3_out o;
	struct snmp_v3_layout l;
	struct usm_keys k;
	uint8_t ce[64];
	const uint8_t *msg;
	size_t slen, i, at, celen = eidlen;
	bool enc;

	memcpy(ce, eid, eidlen);
	if (q->ctx_engine != NULL)
		celen = hex(q->ctx_engine, ce, sizeof(ce));
	if (v3f_keys(&u, eid, eidlen, NULL, NULL, &k) != 0)
		abort();
	memset(&null, 0, sizeof(null));
	null.val_type = BER_NULL;
	if (snmp_reply_init_scoped(&r, buf, MAXMSG, MAXMSG, ce, celen,
	    (const uint8_t *)q->ctx_name, q->ctx_name != NULL ?
	    strlen(q->ctx_name) : 0, 4242) != 0 ||
	    snmp_reply_set_type(&r, q->pdu != 0 ? q->pdu : SNMP_PDU_GET) != 0)
		abort();
	for (i = 0; i < (q->nvb != 0 ? q->nvb : 1); i++)
		(void)snmp_reply_add(&r, &sysname, &null);
	(void)snmp_reply_finish(&r, 0, 0, &msg, &slen);
	enc = ((q->flags & SNMP_V3_FLAG_PRIV) && !q->plain_with_priv) ||
	    q->enc_without_priv;
	memset(&o, 0, sizeof(o));
	o.o_msg_id = 99;
	o.o_max_size = q->max_size != 0 ? q->max_size : 65507;
	o.o_flags = enc ? (q->flags | SNMP_V3_FLAG_PRIV) :
	    (q->flags & ~SNMP_V3_FLAG_PRIV);
	o.o_engine_id = eid;
	o.o_engine_id_len = eidlen;
	o.o_boots = q->boots < 0 ? 0 : q->boots != 0 ? q->boots : BOOTS;
	o.o_time = q->time < 0 ? 0 : q->time != 0 ? (int32_t)q->time : NOW;
	o.o_user = (const uint8_t *)u.name;
	o.o_user_len = strlen(u.name);
	if (q->flags & SNMP_V3_FLAG_AUTH)
		o.o_auth_len = q->mac_len != 0 ? q->mac_len :
		    usm_keys_mac_len(&k);
	if (enc && !q->enc_without_priv) {
		o.o_priv = salt;
		o.o_priv_len = q->salt_len != 0 ? q->salt_len : 8;
	}
	if (snmp_v3_wrap(&o, buf, MAXMSG, MAXMSG, slen, &l) != 0)
		abort();
	at = flags_at(buf, l.l_len, o.o_flags);
	buf[at] = q->flags;
	if (q->model != 0)
		buf[at + 3] = (uint8_t)q->model;
	if (enc && o.o_priv_len == 8)
		(void)usm_priv_encrypt(&k, (uint32_t)o.o_boots,
		    (uint32_t)o.o_time, salt, 8, buf + l.l_data_off,
		    l.l_data_len);
	if ((q->flags & SNMP_V3_FLAG_AUTH) &&
	    o.o_auth_len == usm_keys_mac_len(&k))
		(void)usm_auth_sign(&k, buf, l.l_len, l.l_auth_off);
	return l.l_len;
}

static enum v3_action
send_rq(struct v3 *v, const struct rq *q, struct snmp_msg *m,
    struct v3_txn *t, size_t outcap, size_t *olen)
{
	size_t n = mkreq(q);

	return v3_receive(v, buf, n, NOW, m, vbs, SNMP_MAX_VARBINDS, t, out,
	    outcap, olen);
}

/*
 * Open the agent's reply out[0..len) as user would: its msgFlags, then
 * the ScopedPDU into m.  Returns false when it does not verify or decode.
 */
static bool
open_reply(const char *user, size_t len, uint8_t *flags, struct snmp_msg *m)
{
	static uint8_t plain[MAXMSG];
	struct v3f_user u = proto_of(user);
	struct snmp_v3_msg h;
	struct usm_keys k;

	if (snmp_v3_decode(out, len, &h) != 0 ||
	    v3f_keys(&u, eid, eidlen, NULL, NULL, &k) != 0)
		return false;
	*flags = h.v3_flags;
	if ((h.v3_flags & SNMP_V3_FLAG_AUTH) &&
	    usm_auth_verify(&k, out, len, h.v3_auth_off) != 0)
		return false;
	if (h.v3_encrypted) {
		if (usm_priv_decrypt(&k, (uint32_t)h.v3_boots,
		    (uint32_t)h.v3_time, h.v3_priv, h.v3_priv_len, h.v3_data,
		    h.v3_data_len, plain) != 0)
			return false;
		memcpy(out, plain, h.v3_data_len);
		return snmp_v3_scoped_decode(out, h.v3_data_len, true, m, vbs,
		    SNMP_MAX_VARBINDS) == 0;
	}
	return snmp_v3_scoped_decode(h.v3_data, h.v3_data_len, false, m, vbs,
	    SNMP_MAX_VARBINDS) == 0;
}

/* The reply is a Report naming counter (its last arc before .0), at level. */
static void
check_report(const char *user, size_t len, uint32_t arc, uint8_t level)
{
	struct snmp_msg m;
	uint8_t flags = 0xff;

	CHECK(open_reply(user, len, &flags, &m));
	CHECK_INT(flags, ==, level);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_REPORT);
	CHECK_U64(m.m_nvbs, ==, 1);
	if (m.m_nvbs == 1)
		CHECK_INT(m.m_vbs[0].vb_oid.o_id[m.m_vbs[0].vb_oid.o_len - 2],
		    ==, arc);
}

static void
other_security_models_and_privacy_without_auth_are_dropped_and_counted(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE, .model = 2 };

	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DROP);
	CHECK_U64(v3_counters(v)->vc_unknown_security_models, ==, 1);
	q.model = 0;
	q.flags = SNMP_V3_FLAG_PRIV | REPORTABLE;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DROP);
	CHECK_U64(v3_counters(v)->vc_invalid_msgs, ==, 1);
	CHECK_U64(olen, ==, 0);
	v3_free(v);
}

static void
pdus_without_a_handler_are_counted_and_informs_get_a_report(void)
{
	static const uint8_t types[] = { SNMP_PDU_RESPONSE, SNMP_PDU_REPORT,
	    SNMP_PDU_TRAP2, SNMP_PDU_INFORM };
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t i, olen;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE };

	for (i = 0; i < sizeof(types); i++) {
		q.pdu = types[i];
		CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==,
		    types[i] == SNMP_PDU_INFORM ? V3_SEND : V3_DROP);
	}
	CHECK_U64(v3_counters(v)->vc_unknown_pdu_handlers, ==, 4);
	/* At the request's level: the requester proved its keys. */
	check_report("usha256", olen, 3, AUTHPRIV);
	v3_free(v);
}

static void
foreign_context_engines_and_named_contexts_get_reports(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen;
	struct rq q = { .flags = SNMP_V3_FLAG_AUTH | REPORTABLE,
	    .user = "uauth", .ctx_engine = "80001f880401" };

	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	check_report("uauth", olen, 3, SNMP_V3_FLAG_AUTH);
	q.ctx_engine = NULL;
	q.ctx_name = "other";
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	check_report("uauth", olen, 5, SNMP_V3_FLAG_AUTH);
	CHECK_U64(v3_counters(v)->vc_unknown_contexts, ==, 1);
	/* net-snmp's probe style: an empty contextEngineID is this engine. */
	q.ctx_name = NULL;
	q.ctx_engine = "";
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DISPATCH);
	CHECK_U64(m.m_context_engine_id_len, ==, 0);
	v3_free(v);
}

static void
a_request_under_its_users_level_gets_authorization_error(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	uint8_t flags;
	size_t olen;
	struct rq q = { .flags = SNMP_V3_FLAG_AUTH | REPORTABLE,
	    .user = "strict", .nvb = 2 };

	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	CHECK(open_reply("strict", olen, &flags, &m));
	CHECK_INT(flags, ==, SNMP_V3_FLAG_AUTH);
	CHECK_INT(m.m_pdu_type, ==, SNMP_PDU_RESPONSE);
	CHECK_INT(m.m_error_status, ==, SNMP_ERRSTAT_AUTHORIZATIONERROR);
	CHECK_INT(m.m_error_index, ==, 0);
	CHECK_INT(m.m_request_id, ==, 4242);
	CHECK_U64(m.m_nvbs, ==, 2);
	q.flags = REPORTABLE;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	CHECK(open_reply("strict", olen, &flags, &m));
	CHECK_INT(flags, ==, 0);
	CHECK_INT(m.m_error_status, ==, SNMP_ERRSTAT_AUTHORIZATIONERROR);
	/* At its level it is served; usha256 may use any level. */
	q.flags = AUTHPRIV | REPORTABLE;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DISPATCH);
	q.user = "usha256";
	q.flags = REPORTABLE;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DISPATCH);
	CHECK_INT(t.t_flags, ==, 0);
	v3_free(v);
}

static void
the_time_window_is_150_seconds_either_way_within_the_same_boots(void)
{
	static const struct { int32_t boots; int64_t time; bool ok; } c[] = {
	    { 0, NOW - 150, true }, { 0, NOW - 151, false },
	    { 0, NOW + 150, true }, { 0, NOW + 151, false },
	    { BOOTS + 1, 0, false }, { -1, 0, false }, { 0, -1, false } };
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t i, olen, bad = 0;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE };

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		q.boots = c[i].boots;
		q.time = c[i].time;
		CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==,
		    c[i].ok ? V3_DISPATCH : V3_SEND);
		if (!c[i].ok) {
			bad++;
			check_report("usha256", olen, 2, SNMP_V3_FLAG_AUTH);
		}
	}
	CHECK_U64(v3_counters(v)->vc_not_in_time_windows, ==, bad);
	v3_free(v);
	/* Boots latched at 2^31-1: nothing is ever in time. */
	v = agent(2147483647);
	q.boots = 2147483647;
	q.time = 0;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	CHECK_U64(v3_counters(v)->vc_not_in_time_windows, ==, 1);
	v3_free(v);
}

static void
bad_salts_and_plaintext_under_the_privacy_flag_are_decryption_errors(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE, .salt_len = 7 };

	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	check_report("usha256", olen, 6, 0);
	q.salt_len = 0;
	q.plain_with_priv = true;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	CHECK_U64(v3_counters(v)->vc_decryption_errors, ==, 2);
	/* The other way round the PDU does not parse: no Report. */
	q.plain_with_priv = false;
	q.enc_without_priv = true;
	q.flags = SNMP_V3_FLAG_AUTH | REPORTABLE;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DROP_PARSE);
	v3_free(v);
}

static void
a_mac_of_another_length_is_a_wrong_digest(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE, .mac_len = 12 };

	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	check_report("usha256", olen, 5, 0);
	CHECK_U64(v3_counters(v)->vc_wrong_digests, ==, 1);
	v3_free(v);
}

static void
unreportable_requests_are_counted_and_not_answered(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen;
	struct rq q = { .flags = AUTHPRIV, .user = "nosuchuser" };

	/* Encrypted: the flag decides. */
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DROP);
	CHECK_U64(v3_counters(v)->vc_unknown_user_names, ==, 1);
	/* Readable: the PDU's class decides, whatever the flag says. */
	q.flags = REPORTABLE;
	q.pdu = SNMP_PDU_RESPONSE;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DROP);
	CHECK_U64(v3_counters(v)->vc_unknown_user_names, ==, 2);
	q.flags = 0;
	q.pdu = SNMP_PDU_GET;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	check_report("usha256", olen, 3, 0);
	CHECK_INT(m.m_request_id, ==, 4242);
	v3_free(v);
}

static void
too_many_varbinds_are_dispatched_for_the_engines_toobig(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen, n;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE, .nvb = 5 };

	n = mkreq(&q);
	CHECK_INT(v3_receive(v, buf, n, NOW, &m, vbs, 2, &t, out, MAXMSG,
	    &olen), ==, V3_DISPATCH);
	CHECK_INT(t.t_decode, ==, SNMP_ETOOMANY);
	CHECK_U64(m.m_nvbs, ==, 2);
	CHECK_U64(m.m_nvbs_total, ==, 5);
	v3_free(v);
}

static void
replies_that_cannot_fit_are_dropped_and_limits_follow_msgmaxsize(void)
{
	struct v3 *v = agent(BOOTS);
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE, .boots = 9 };

	CHECK_INT(send_rq(v, &q, &m, &t, 60, &olen), ==, V3_DROP_NOFIT);
	q.boots = 0;
	q.max_size = 484;
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DISPATCH);
	CHECK_U64(t.t_limit, ==, 484);
	CHECK_INT(v3_respond(v, &t, NOW, out, MAXMSG, t.t_scoped_max, &olen),
	    ==, V3_SEND);
	CHECK_U64(olen, ==, 484);
	CHECK_INT(v3_respond(v, &t, NOW, out, MAXMSG, t.t_scoped_max + 1,
	    &olen), ==, V3_DROP_NOFIT);
	CHECK_INT(v3_respond(v, &t, NOW, out, 100, 50, &olen), ==,
	    V3_DROP_NOFIT);
	v3_free(v);
}

static void
every_privacy_user_round_trips_through_dispatch_and_respond(void)
{
	static const char *const names[] = { "usha", "usha224", "usha384",
	    "usha512", "ua192", "ua256", "ua256md5", "ua192c", "ua256c" };
	struct v3 *v = agent(BOOTS);
	struct snmp_reply r;
	struct snmp_msg m;
	struct v3_txn t;
	const uint8_t *msg;
	uint8_t flags;
	size_t i, olen, slen;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE };

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		q.user = names[i];
		CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==,
		    V3_DISPATCH);
		CHECK_INT(snmp_reply_init_scoped(&r, out, MAXMSG,
		    t.t_scoped_max, eid, eidlen, NULL, 0, 7), ==, 0);
		CHECK_INT(snmp_reply_finish(&r, 0, 0, &msg, &slen), ==, 0);
		CHECK_INT(v3_respond(v, &t, NOW, out, MAXMSG, slen, &olen),
		    ==, V3_SEND);
		CHECK(open_reply(names[i], olen, &flags, &m));
		CHECK_INT(flags, ==, AUTHPRIV);
		CHECK_INT(m.m_request_id, ==, 7);
	}
	v3_free(v);
}

static void
users_are_replaced_all_or_nothing_and_keys_may_be_given_localized(void)
{
	struct v3 *v = agent(BOOTS);
	struct cfg_user cu[2], *all;
	struct snmp_msg m;
	struct v3_txn t;
	uint8_t ku[USM_KEY_MAX];
	char err[128];
	size_t olen, n;
	struct rq q = { .flags = AUTHPRIV | REPORTABLE };

	all = users(&n);
	cu[0] = all[0];
	cu[1] = all[0];
	cu[1].cu_priv_proto = CFG_PRIV_DES;
	CHECK_INT(v3_set_users(v, cu, 2, err, sizeof(err)), ==, -1);
	CHECK(strstr(err, "usha256") != NULL && strstr(err, "DES") != NULL);
	cu[1] = all[9];		/* uauth, with a level it has no key for */
	cu[1].cu_level = CFG_AUTHPRIV;
	CHECK_INT(v3_set_users(v, cu, 2, err, sizeof(err)), ==, -1);
	CHECK(strstr(err, "uauth") != NULL);
	/* Nothing changed: strict is still there. */
	q.user = "strict";
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DISPATCH);
	/* usha256 with its localized keys in hex: auth Kul, priv Kul. */
	cu[0].cu_auth_password = NULL;
	cu[0].cu_priv_password = NULL;
	(void)usm_password_to_key(USM_AUTH_SHA256, V3F_PASSWORD, 10, ku);
	(void)usm_key_localize(USM_AUTH_SHA256, ku, eid, eidlen,
	    cu[0].cu_auth_key);
	memcpy(cu[0].cu_priv_key, cu[0].cu_auth_key, 32);
	cu[0].cu_auth_key_len = 32;
	cu[0].cu_priv_key_len = 32;
	CHECK_INT(v3_set_users(v, cu, 1, err, sizeof(err)), ==, 0);
	q.user = "usha256";
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DISPATCH);
	/* ... or the AES key itself (16 octets). */
	cu[0].cu_priv_key_len = 16;
	CHECK_INT(v3_set_users(v, cu, 1, err, sizeof(err)), ==, 0);
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_DISPATCH);
	cu[0].cu_priv_key_len = 20;
	CHECK_INT(v3_set_users(v, cu, 1, err, sizeof(err)), ==, -1);
	q.user = "strict";
	CHECK_INT(send_rq(v, &q, &m, &t, MAXMSG, &olen), ==, V3_SEND);
	check_report("strict", olen, 3, 0);
	v3_free(v);
}

static void
the_engine_refuses_bad_identities_and_reports_its_own(void)
{
	uint8_t id[40] = { 0x80, 0, 0x1f, 0x88, 5, 1, 2, 3 };
	const uint8_t *msg;
	struct v3 *v;
	size_t len;

	errno = 0;
	CHECK(v3_new(id, 4, 1, 1472) == NULL && errno == EINVAL);
	CHECK(v3_new(id, 33, 1, 1472) == NULL);
	CHECK(v3_new(id, 8, -1, 1472) == NULL);
	CHECK(v3_new(id, 8, 1, 483) == NULL);
	CHECK(v3_new(id, 8, 1, 65508) == NULL);
	if ((v = v3_new(id, 8, 42, 1472)) == NULL) {
		CHECK(!"v3_new");
		return;
	}
	msg = v3_engine_id(v, &len);
	CHECK_MEM(msg, len, id, 8);
	CHECK_INT(v3_boots(v), ==, 42);
	CHECK_U64(v3_max_msg(v), ==, 1472);
	v3_free(v);
	v3_free(NULL);
}

int
main(void)
{
	RUN(other_security_models_and_privacy_without_auth_are_dropped_and_counted);
	RUN(pdus_without_a_handler_are_counted_and_informs_get_a_report);
	RUN(foreign_context_engines_and_named_contexts_get_reports);
	RUN(a_request_under_its_users_level_gets_authorization_error);
	RUN(the_time_window_is_150_seconds_either_way_within_the_same_boots);
	RUN(bad_salts_and_plaintext_under_the_privacy_flag_are_decryption_errors);
	RUN(a_mac_of_another_length_is_a_wrong_digest);
	RUN(unreportable_requests_are_counted_and_not_answered);
	RUN(too_many_varbinds_are_dispatched_for_the_engines_toobig);
	RUN(replies_that_cannot_fit_are_dropped_and_limits_follow_msgmaxsize);
	RUN(every_privacy_user_round_trips_through_dispatch_and_respond);
	RUN(users_are_replaced_all_or_nothing_and_keys_may_be_given_localized);
	RUN(the_engine_refuses_bad_identities_and_reports_its_own);
	return t_done();
}
