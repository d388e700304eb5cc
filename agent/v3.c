/*
 * v3: RFC 3412 sec. 7.2 and RFC 3414 sec. 3.2 as one function over one
 * datagram, in the RFCs' order, each refusal counted in the counter that
 * names it and answered with the Report the RFCs ask for.  The rules, and
 * where this agent chose:
 *  - the Report's securityLevel is noAuthNoPriv, except notInTimeWindow's
 *    (authNoPriv, RFC 3414 sec. 3.2 step 7b) and the ones raised after
 *    USM accepted the request (unknown PDU handler or context), which go
 *    back at the request's level: the requester proved its keys;
 *  - a Report carries the request's msgID, user name and, when its PDU
 *    could be read, request-id (else 0: RFC 3412 sec. 7.1 step 3), and
 *    this engine's ID, boots and time (which discovery relies on);
 *  - it is sent only for a Confirmed-class PDU, or, when the PDU cannot
 *    be read (it is encrypted), if the reportable flag is set (RFC 3412
 *    sec. 6.4);
 *  - a request under its user's configured level gets authorizationError
 *    with error-index 0 (RFC 3413 sec. 3.2 step 5: VACM's noAccessEntry);
 *  - only the default context "" exists; contextEngineID must be ours
 *    or empty (net-snmp's probe sends it empty; we accept that for any
 *    request as net-snmp's agent does).
 * A wrong privacy key decrypts to garbage that fails to parse: that is
 * snmpInASNParseErrs and silence (RFC 3412 sec. 7.2 step 7), as snmpd
 * does; usmStatsDecryptionErrors counts only what cannot be decrypted at
 * all (a bad salt length, or privacy without an encrypted PDU).
 */
#include <sys/random.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/v3.h"
#include "config/config.h"
#include "snmp/usm.h"
#include "snmp/v3.h"

/* RFC 3414 sec. 2.2.3: the time window is 150 seconds either way. */
#define V3_TIME_WINDOW		150
/* RFC 3414 sec. 2.2.2: snmpEngineBoots latches at 2^31-1. */
#define V3_BOOTS_MAX		2147483647
/* The largest UDP payload: no datagram, so no ciphertext, is longer. */
#define V3_PLAIN_MAX		65535

struct v3_user {
	uint8_t			 u_name[SNMP_V3_MAX_USER];
	size_t			 u_name_len;
	uint8_t			 u_min_flags;	/* the configured level */
	uint8_t			 u_flags;	/* what its keys allow */
	struct usm_keys		 u_keys;
};

struct v3 {
	uint8_t			 v_engine_id[SNMP_MAX_ENGINE_ID];
	size_t			 v_engine_id_len;
	int32_t			 v_boots;
	size_t			 v_max_msg;
	uint64_t		 v_salt;
	struct v3_counters	 v_counters;
	struct v3_user		*v_users;
	size_t			 v_nusers;
	uint8_t			 v_plain[V3_PLAIN_MAX];
};

/* The counter a Report names, as OID sub-identifiers ending in .0. */
#define V3_OID(...)	{ .o_id = { __VA_ARGS__ }, \
	.o_len = sizeof((uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t) }
static const struct oid oid_unsupported_sec_levels =
    V3_OID(1, 3, 6, 1, 6, 3, 15, 1, 1, 1, 0);
static const struct oid oid_not_in_time_windows =
    V3_OID(1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0);
static const struct oid oid_unknown_user_names =
    V3_OID(1, 3, 6, 1, 6, 3, 15, 1, 1, 3, 0);
static const struct oid oid_unknown_engine_ids =
    V3_OID(1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0);
static const struct oid oid_wrong_digests =
    V3_OID(1, 3, 6, 1, 6, 3, 15, 1, 1, 5, 0);
static const struct oid oid_decryption_errors =
    V3_OID(1, 3, 6, 1, 6, 3, 15, 1, 1, 6, 0);
static const struct oid oid_unknown_pdu_handlers =
    V3_OID(1, 3, 6, 1, 6, 3, 11, 2, 1, 3, 0);
static const struct oid oid_unknown_contexts =
    V3_OID(1, 3, 6, 1, 6, 3, 12, 1, 5, 0);

/* What one datagram's processing carries from step to step. */
struct v3_in {
	struct v3		*in_v;
	const uint8_t		*in_req;
	size_t			 in_len;
	struct snmp_v3_msg	 in_h;
	struct snmp_msg		*in_m;
	bool			 in_pdu;	/* in_m decoded (0 or TOOMANY) */
	uint32_t		 in_now;
	uint8_t			*in_out;
	size_t			 in_outcap;
	size_t			*in_outlen;
};

static void
v3_users_free(struct v3_user *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		usm_keys_wipe(&u[i].u_keys);
	free(u);
}

struct v3 *
v3_new(const uint8_t *engine_id, size_t engine_id_len, int32_t boots,
    size_t max_msg)
{
	struct v3 *v;

	if (engine_id_len < 5 || engine_id_len > SNMP_MAX_ENGINE_ID ||
	    boots < 0 || max_msg < SNMP_V3_MIN_MSG_SIZE || max_msg > 65507) {
		errno = EINVAL;
		return NULL;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	memcpy(v->v_engine_id, engine_id, engine_id_len);
	v->v_engine_id_len = engine_id_len;
	v->v_boots = boots;
	v->v_max_msg = max_msg;
	/* A guessable salt is no worse than a counter; failure is not fatal. */
	if (getrandom(&v->v_salt, sizeof(v->v_salt), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(v->v_salt))
		v->v_salt = (uint64_t)(uintptr_t)v ^ 0x9e3779b97f4a7c15ULL;
	return v;
}

void
v3_free(struct v3 *v)
{
	if (v == NULL)
		return;
	v3_users_free(v->v_users, v->v_nusers);
	free(v);
}

static enum usm_auth
v3_auth_of(enum cfg_auth_proto a)
{
	switch (a) {
	case CFG_AUTH_MD5:
		return USM_AUTH_MD5;
	case CFG_AUTH_SHA:
		return USM_AUTH_SHA1;
	case CFG_AUTH_SHA224:
		return USM_AUTH_SHA224;
	case CFG_AUTH_SHA256:
		return USM_AUTH_SHA256;
	case CFG_AUTH_SHA384:
		return USM_AUTH_SHA384;
	case CFG_AUTH_SHA512:
		return USM_AUTH_SHA512;
	default:
		return USM_AUTH_NONE;
	}
}

/* DES maps to NONE: the caller refuses it. */
static enum usm_priv
v3_priv_of(enum cfg_priv_proto p)
{
	switch (p) {
	case CFG_PRIV_AES:
		return USM_PRIV_AES128;
	case CFG_PRIV_AES192:
		return USM_PRIV_AES192;
	case CFG_PRIV_AES256:
		return USM_PRIV_AES256;
	case CFG_PRIV_AES192C:
		return USM_PRIV_AES192_REEDER;
	case CFG_PRIV_AES256C:
		return USM_PRIV_AES256_REEDER;
	default:
		return USM_PRIV_NONE;
	}
}

/* A localized key: from the password, or the configured hex as it is. */
static const char *
v3_localize(const struct v3 *v, enum usm_auth a, const char *password,
    const uint8_t *key, size_t key_len, uint8_t *kul, size_t *kul_len)
{
	uint8_t ku[USM_KEY_MAX];
	int rv;

	if (password == NULL) {
		if (key_len > USM_KEY_MAX)
			return "key too long";
		memcpy(kul, key, key_len);
		*kul_len = key_len;
		return NULL;
	}
	if ((rv = usm_password_to_key(a, password, strlen(password),
	    ku)) == 0)
		rv = usm_key_localize(a, ku, v->v_engine_id,
		    v->v_engine_id_len, kul);
	explicit_bzero(ku, sizeof(ku));
	*kul_len = usm_auth_key_len(a);
	return rv == 0 ? NULL : usm_strerror(rv);
}

/* One user's keys from its config; NULL, or why not. */
static const char *
v3_user_make(const struct v3 *v, const struct cfg_user *c,
    struct v3_user *u)
{
	enum usm_auth a = v3_auth_of(c->cu_auth_proto);
	enum usm_priv p = v3_priv_of(c->cu_priv_proto);
	uint8_t akey[USM_KEY_MAX], pkul[USM_KEY_MAX], pkey[USM_PRIV_KEY_MAX];
	size_t alen = 0, plen = 0;
	const char *why = NULL;

	memset(u, 0, sizeof(*u));
	if (c->cu_name == NULL || c->cu_name[0] == '\0' ||
	    strlen(c->cu_name) > SNMP_V3_MAX_USER)
		return "a user name has 1 to 32 octets";
	u->u_name_len = strlen(c->cu_name);
	memcpy(u->u_name, c->cu_name, u->u_name_len);
	if (c->cu_priv_proto == CFG_PRIV_DES)
		return "DES is refused (see proctel.yaml(5))";
	if (p != USM_PRIV_NONE && a == USM_AUTH_NONE)
		return "privacy needs authentication";
	if (a != USM_AUTH_NONE) {
		why = v3_localize(v, a, c->cu_auth_password, c->cu_auth_key,
		    c->cu_auth_key_len, akey, &alen);
		if (why == NULL && alen != usm_auth_key_len(a))
			why = "auth_key has the wrong length";
		u->u_flags |= SNMP_V3_FLAG_AUTH;
	}
	if (why == NULL && p != USM_PRIV_NONE) {
		why = v3_localize(v, a, c->cu_priv_password, c->cu_priv_key,
		    c->cu_priv_key_len, pkul, &plen);
		/* A key of the cipher's length is final; Kul's is derived. */
		if (why == NULL && plen == usm_priv_key_len(p))
			memcpy(pkey, pkul, plen);
		else if (why == NULL && plen == usm_auth_key_len(a))
			why = usm_priv_key_derive(a, p, pkul, v->v_engine_id,
			    v->v_engine_id_len, pkey) == 0 ? NULL :
			    "cannot derive the privacy key";
		else if (why == NULL)
			why = "priv_key has the wrong length";
		u->u_flags |= SNMP_V3_FLAG_PRIV;
	}
	if (why == NULL && usm_keys_set(&u->u_keys, a, akey, p, pkey) != 0)
		why = "unsupported protocols";
	u->u_min_flags = c->cu_level == CFG_AUTHPRIV ?
	    SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV :
	    c->cu_level == CFG_AUTHNOPRIV ? SNMP_V3_FLAG_AUTH : 0;
	if ((u->u_min_flags & ~u->u_flags) != 0 && why == NULL)
		why = "level needs keys the user does not have";
	explicit_bzero(akey, sizeof(akey));
	explicit_bzero(pkul, sizeof(pkul));
	explicit_bzero(pkey, sizeof(pkey));
	return why;
}

int
v3_set_users(struct v3 *v, const struct cfg_user *users, size_t n,
    char *err, size_t errlen)
{
	struct v3_user *nu = NULL;
	const char *why;
	size_t i;

	if (n > 0 && (nu = calloc(n, sizeof(*nu))) == NULL) {
		(void)snprintf(err, errlen, "users: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((why = v3_user_make(v, &users[i], &nu[i])) != NULL) {
			(void)snprintf(err, errlen, "user %s: %s",
			    users[i].cu_name != NULL ? users[i].cu_name : "?",
			    why);
			v3_users_free(nu, n);
			return -1;
		}
	}
	v3_users_free(v->v_users, v->v_nusers);
	v->v_users = nu;
	v->v_nusers = n;
	return 0;
}

const struct v3_counters *
v3_counters(const struct v3 *v)
{
	return &v->v_counters;
}

const uint8_t *
v3_engine_id(const struct v3 *v, size_t *len)
{
	*len = v->v_engine_id_len;
	return v->v_engine_id;
}

int32_t
v3_boots(const struct v3 *v)
{
	return v->v_boots;
}

size_t
v3_max_msg(const struct v3 *v)
{
	return v->v_max_msg;
}

void
v3_set_max_msg(struct v3 *v, size_t max_msg)
{
	if (max_msg >= SNMP_V3_MIN_MSG_SIZE && max_msg <= 65507)
		v->v_max_msg = max_msg;
}

void
v3_set_salt(struct v3 *v, uint64_t salt)
{
	v->v_salt = salt;
}

static size_t
v3_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * The header of a message of ours at security level flags, for user name
 * user; the salt goes in salt when encrypting.
 */
static void
v3_out_init(const struct v3 *v, struct snmp_v3_out *o, int32_t msg_id,
    uint8_t flags, const uint8_t *user, size_t user_len,
    const struct usm_keys *k, uint32_t now, uint8_t *salt)
{
	memset(o, 0, sizeof(*o));
	o->o_msg_id = msg_id;
	o->o_max_size = (int32_t)v->v_max_msg;
	o->o_flags = flags;
	o->o_engine_id = v->v_engine_id;
	o->o_engine_id_len = v->v_engine_id_len;
	o->o_boots = v->v_boots;
	o->o_time = now > V3_BOOTS_MAX ? V3_BOOTS_MAX : (int32_t)now;
	o->o_user = user;
	o->o_user_len = user_len;
	if (flags & SNMP_V3_FLAG_AUTH)
		o->o_auth_len = usm_keys_mac_len(k);
	if (flags & SNMP_V3_FLAG_PRIV) {
		o->o_priv = salt;
		o->o_priv_len = USM_SALT_LEN;
	}
}

/*
 * Wrap the ScopedPDU at out[0..scoped_len), encrypt and sign it as o says
 * with keys k (RFC 3414 sec. 3.1 steps 4-6, RFC 3826 sec. 3.1.3).
 */
static enum v3_action
v3_seal(struct v3 *v, struct snmp_v3_out *o, uint8_t *salt,
    const struct usm_keys *k, uint8_t *out, size_t outcap, size_t limit,
    size_t scoped_len, size_t *outlen)
{
	struct snmp_v3_layout l;
	int i;

	if (o->o_flags & SNMP_V3_FLAG_PRIV) {
		/* RFC 3826 sec. 3.1.2.1: the salt is a 64-bit counter. */
		for (i = 0; i < USM_SALT_LEN; i++)
			salt[i] = (uint8_t)(v->v_salt >> (56 - 8 * i));
		v->v_salt++;
	}
	if (snmp_v3_wrap(o, out, outcap, limit, scoped_len, &l) != 0)
		return V3_DROP_NOFIT;
	if ((o->o_flags & SNMP_V3_FLAG_PRIV) &&
	    usm_priv_encrypt(k, (uint32_t)o->o_boots, (uint32_t)o->o_time,
	    salt, USM_SALT_LEN, out + l.l_data_off, l.l_data_len) != 0)
		return V3_DROP_NOFIT;	/* not reached: the keys were checked */
	if ((o->o_flags & SNMP_V3_FLAG_AUTH) &&
	    usm_auth_sign(k, out, l.l_len, l.l_auth_off) != 0)
		return V3_DROP_NOFIT;	/* not reached */
	*outlen = l.l_len;
	return V3_SEND;
}

/* Is a Report to this request allowed (RFC 3412 sec. 6.4)? */
static bool
v3_reportable(const struct v3_in *in)
{
	if (!in->in_pdu)
		return (in->in_h.v3_flags & SNMP_V3_FLAG_REPORTABLE) != 0;
	switch (in->in_m->m_pdu_type) {
	case SNMP_PDU_GET:
	case SNMP_PDU_GETNEXT:
	case SNMP_PDU_GETBULK:
	case SNMP_PDU_SET:
	case SNMP_PDU_INFORM:
		return true;	/* the Confirmed class, RFC 3411 sec. 2.8 */
	default:
		return false;
	}
}

/*
 * Send a Report naming counter (already raised to value), at noAuthNoPriv
 * or, with u, at the level flags with u's keys.
 */
static enum v3_action
v3_report(struct v3_in *in, const struct oid *counter, uint32_t value,
    const struct v3_user *u, uint8_t flags)
{
	struct v3 *v = in->in_v;
	const struct snmp_v3_msg *h = &in->in_h;
	struct snmp_v3_out o;
	struct snmp_reply r;
	struct snmp_value val;
	uint8_t salt[USM_SALT_LEN];
	const uint8_t *msg;
	size_t limit, scoped;
	int32_t reqid;

	if (!v3_reportable(in))
		return V3_DROP;
	reqid = in->in_m->m_have_request_id ? in->in_m->m_request_id : 0;
	limit = v3_min(v3_min(in->in_outcap, v->v_max_msg),
	    (size_t)h->v3_max_size);
	v3_out_init(v, &o, h->v3_msg_id, u != NULL ? flags : 0, h->v3_user,
	    h->v3_user_len, u != NULL ? &u->u_keys : NULL, in->in_now, salt);
	memset(&val, 0, sizeof(val));
	val.val_type = BER_COUNTER32;
	val.val_uint = value;
	if (snmp_reply_init_scoped(&r, in->in_out, in->in_outcap,
	    snmp_v3_scoped_max(&o, limit), v->v_engine_id,
	    v->v_engine_id_len, NULL, 0, reqid) != 0 ||
	    snmp_reply_set_type(&r, SNMP_PDU_REPORT) != 0 ||
	    snmp_reply_add(&r, counter, &val) != 0 ||
	    snmp_reply_finish(&r, SNMP_ERRSTAT_NOERROR, 0, &msg, &scoped) != 0)
		return V3_DROP_NOFIT;
	return v3_seal(v, &o, salt, u != NULL ? &u->u_keys : NULL,
	    in->in_out, in->in_outcap, limit, scoped, in->in_outlen);
}

static const struct v3_user *
v3_user_find(const struct v3 *v, const uint8_t *name, size_t len,
    size_t *index)
{
	size_t i;

	/* A handful of users: a scan is one cache line each. */
	for (i = 0; i < v->v_nusers; i++)
		if (v->v_users[i].u_name_len == len &&
		    memcmp(v->v_users[i].u_name, name, len) == 0) {
			*index = i;
			return &v->v_users[i];
		}
	return NULL;
}

static bool
v3_in_window(const struct v3 *v, const struct snmp_v3_msg *h, uint32_t now)
{
	int64_t d = (int64_t)h->v3_time - (int64_t)now;

	return v->v_boots != V3_BOOTS_MAX && h->v3_boots == v->v_boots &&
	    d <= V3_TIME_WINDOW && d >= -V3_TIME_WINDOW;
}

/*
 * authorizationError with the request's varbinds (or none, when there were
 * too many to echo), at the request's level.
 */
static enum v3_action
v3_deny(struct v3_in *in, const struct v3_user *u, uint8_t flags)
{
	struct v3 *v = in->in_v;
	const struct snmp_msg *m = in->in_m;
	struct snmp_v3_out o;
	struct snmp_reply r;
	uint8_t salt[USM_SALT_LEN];
	const uint8_t *msg;
	size_t limit, scoped;

	limit = v3_min(v3_min(in->in_outcap, v->v_max_msg),
	    (size_t)in->in_h.v3_max_size);
	v3_out_init(v, &o, in->in_h.v3_msg_id, flags, u->u_name,
	    u->u_name_len, &u->u_keys, in->in_now, salt);
	if (snmp_reply_init_scoped(&r, in->in_out, in->in_outcap,
	    snmp_v3_scoped_max(&o, limit), m->m_context_engine_id,
	    m->m_context_engine_id_len, m->m_context_name,
	    m->m_context_name_len, m->m_request_id) != 0)
		return V3_DROP_NOFIT;
	if (m->m_nvbs_total != m->m_nvbs || snmp_reply_echo(&r, m) != 0)
		snmp_reply_clear(&r);
	if (snmp_reply_finish(&r, SNMP_ERRSTAT_AUTHORIZATIONERROR, 0, &msg,
	    &scoped) != 0)
		return V3_DROP_NOFIT;
	return v3_seal(v, &o, salt, &u->u_keys, in->in_out, in->in_outcap,
	    limit, scoped, in->in_outlen);
}

/* RFC 3414 sec. 3.2 steps 3 to 7: who sent it, intact and in time? */
static enum v3_action
v3_usm(struct v3_in *in, const struct v3_user **up, size_t *index)
{
	struct v3 *v = in->in_v;
	struct v3_counters *c = &v->v_counters;
	const struct snmp_v3_msg *h = &in->in_h;
	const struct v3_user *u;
	uint8_t level = h->v3_flags & (SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV);

	if (h->v3_engine_id_len != v->v_engine_id_len ||
	    memcmp(h->v3_engine_id, v->v_engine_id, v->v_engine_id_len) != 0)
		return v3_report(in, &oid_unknown_engine_ids,
		    ++c->vc_unknown_engine_ids, NULL, 0);
	if ((u = v3_user_find(v, h->v3_user, h->v3_user_len, index)) == NULL)
		return v3_report(in, &oid_unknown_user_names,
		    ++c->vc_unknown_user_names, NULL, 0);
	if ((level & ~u->u_flags) != 0)
		return v3_report(in, &oid_unsupported_sec_levels,
		    ++c->vc_unsupported_sec_levels, NULL, 0);
	/* A MAC of another length cannot verify (RFC 7860 sec. 4.2.2). */
	if ((level & SNMP_V3_FLAG_AUTH) &&
	    (h->v3_auth_len != usm_keys_mac_len(&u->u_keys) ||
	    usm_auth_verify(&u->u_keys, in->in_req, in->in_len,
	    h->v3_auth_off) != 0))
		return v3_report(in, &oid_wrong_digests,
		    ++c->vc_wrong_digests, NULL, 0);
	/* Step 7: only an authentic message is judged by its time. */
	if ((level & SNMP_V3_FLAG_AUTH) && !v3_in_window(v, h, in->in_now))
		return v3_report(in, &oid_not_in_time_windows,
		    ++c->vc_not_in_time_windows, u, SNMP_V3_FLAG_AUTH);
	*up = u;
	return V3_DISPATCH;
}

enum v3_action
v3_receive(struct v3 *v, const uint8_t *req, size_t len, uint32_t now,
    struct snmp_msg *m, struct snmp_varbind *vbs, size_t cap,
    struct v3_txn *t, uint8_t *out, size_t outcap, size_t *outlen)
{
	struct v3_counters *c = &v->v_counters;
	struct v3_in in;
	struct snmp_v3_msg *h = &in.in_h;
	const struct v3_user *u = NULL;
	struct snmp_v3_out o;
	enum v3_action act;
	uint8_t level, salt[USM_SALT_LEN];
	size_t index = 0;
	int rc;

	memset(&in, 0, sizeof(in));
	memset(t, 0, sizeof(*t));
	memset(m, 0, sizeof(*m));
	*outlen = 0;
	in.in_v = v;
	in.in_req = req;
	in.in_len = len;
	in.in_m = m;
	in.in_now = now;
	in.in_out = out;
	in.in_outcap = outcap;
	in.in_outlen = outlen;

	/* RFC 3412 sec. 7.2 steps 1 to 4. */
	rc = snmp_v3_decode(req, len, h);
	if (rc == SNMP_V3_ENOTUSM) {
		c->vc_unknown_security_models++;
		return V3_DROP;
	}
	if (rc != 0)
		return V3_DROP_PARSE;
	level = h->v3_flags & (SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV);
	if (level == SNMP_V3_FLAG_PRIV) {
		c->vc_invalid_msgs++;
		return V3_DROP;
	}
	/*
	 * A plaintext ScopedPDU is read first: its PDU type decides whether
	 * an error is reported and its request-id goes in the Report.
	 */
	if (!h->v3_encrypted) {
		rc = snmp_v3_scoped_decode(h->v3_data, h->v3_data_len, false,
		    m, vbs, cap);
		in.in_pdu = rc == 0 || rc == SNMP_ETOOMANY;
	}

	if ((act = v3_usm(&in, &u, &index)) != V3_DISPATCH)
		return act;
	/* RFC 3414 sec. 3.2 step 8, and RFC 3412 sec. 7.2 step 7. */
	if (level & SNMP_V3_FLAG_PRIV) {
		if (!h->v3_encrypted || h->v3_data_len > sizeof(v->v_plain) ||
		    usm_priv_decrypt(&u->u_keys, (uint32_t)h->v3_boots,
		    (uint32_t)h->v3_time, h->v3_priv, h->v3_priv_len,
		    h->v3_data, h->v3_data_len, v->v_plain) != 0) {
			in.in_pdu = false;
			return v3_report(&in, &oid_decryption_errors,
			    ++c->vc_decryption_errors, NULL, 0);
		}
		rc = snmp_v3_scoped_decode(v->v_plain, h->v3_data_len, true,
		    m, vbs, cap);
		in.in_pdu = rc == 0 || rc == SNMP_ETOOMANY;
	}
	if (!in.in_pdu)
		return V3_DROP_PARSE;

	/* RFC 3412 sec. 4.2.2.1: which PDUs this engine has a handler for. */
	if (m->m_pdu_type != SNMP_PDU_GET && m->m_pdu_type != SNMP_PDU_GETNEXT &&
	    m->m_pdu_type != SNMP_PDU_GETBULK && m->m_pdu_type != SNMP_PDU_SET)
		return v3_report(&in, &oid_unknown_pdu_handlers,
		    ++c->vc_unknown_pdu_handlers, u, level);
	if (m->m_context_engine_id_len != 0 &&
	    (m->m_context_engine_id_len != v->v_engine_id_len ||
	    memcmp(m->m_context_engine_id, v->v_engine_id,
	    v->v_engine_id_len) != 0))
		return v3_report(&in, &oid_unknown_pdu_handlers,
		    ++c->vc_unknown_pdu_handlers, u, level);
	if (m->m_context_name_len != 0)
		return v3_report(&in, &oid_unknown_contexts,
		    ++c->vc_unknown_contexts, u, level);
	if ((u->u_min_flags & ~level) != 0)
		return v3_deny(&in, u, level);

	t->t_user = index;
	t->t_flags = level;
	t->t_decode = rc;
	t->t_msg_id = h->v3_msg_id;
	t->t_limit = v3_min(v3_min(outcap, v->v_max_msg),
	    (size_t)h->v3_max_size);
	v3_out_init(v, &o, h->v3_msg_id, level, u->u_name, u->u_name_len,
	    &u->u_keys, now, salt);
	t->t_scoped_max = snmp_v3_scoped_max(&o, t->t_limit);
	return V3_DISPATCH;
}

enum v3_action
v3_respond(struct v3 *v, const struct v3_txn *t, uint32_t now, uint8_t *out,
    size_t outcap, size_t scoped_len, size_t *outlen)
{
	const struct v3_user *u;
	struct snmp_v3_out o;
	uint8_t salt[USM_SALT_LEN];

	*outlen = 0;
	if (t->t_user >= v->v_nusers)
		return V3_DROP_NOFIT;
	u = &v->v_users[t->t_user];
	v3_out_init(v, &o, t->t_msg_id, t->t_flags, u->u_name, u->u_name_len,
	    &u->u_keys, now, salt);
	return v3_seal(v, &o, salt, &u->u_keys, out, outcap,
	    v3_min(t->t_limit, outcap), scoped_len, outlen);
}
