/*
 * v3cli: a manager's SNMPv3 messages over the agent's codec and keys.
 * Each step is the RFCs' for the sending side (RFC 3414 sec. 3.1, RFC
 * 3826 sec. 3.1.3), as agent/v3.c does for the receiving side.
 */
#include <string.h>

#include "snmp/v3cli.h"

/* msgMaxSize we announce: the largest UDP payload, as net-snmp does. */
#define V3CLI_MAX_SIZE		65507

/* A password's localized key (Kul) for protocol a. */
static int
v3cli_kul(enum usm_auth a, const char *pw, const uint8_t *eid, size_t eidlen,
    uint8_t *kul)
{
	uint8_t ku[USM_KEY_MAX];
	int rc;

	if (pw == NULL)
		return USM_EINVAL;
	if ((rc = usm_password_to_key(a, pw, strlen(pw), ku)) == 0)
		rc = usm_key_localize(a, ku, eid, eidlen, kul);
	explicit_bzero(ku, sizeof(ku));
	return rc;
}

int
v3cli_init(struct v3cli *c, const char *user, enum usm_auth a,
    const char *auth_pw, enum usm_priv p, const char *priv_pw,
    const uint8_t *engine_id, size_t engine_id_len)
{
	uint8_t akul[USM_KEY_MAX], pkul[USM_KEY_MAX], pkey[USM_PRIV_KEY_MAX];
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (strlen(user) > SNMP_V3_MAX_USER ||
	    engine_id_len > SNMP_MAX_ENGINE_ID)
		return SNMP_EINVAL;
	memcpy(c->c_user, user, strlen(user));
	c->c_user_len = strlen(user);
	memcpy(c->c_engine_id, engine_id, engine_id_len);
	c->c_engine_id_len = engine_id_len;
	c->c_salt = 1;
	if (a != USM_AUTH_NONE) {
		rc = v3cli_kul(a, auth_pw, engine_id, engine_id_len, akul);
		c->c_level |= SNMP_V3_FLAG_AUTH;
	}
	if (rc == 0 && p != USM_PRIV_NONE) {
		rc = v3cli_kul(a, priv_pw, engine_id, engine_id_len, pkul);
		if (rc == 0)
			rc = usm_priv_key_derive(a, p, pkul, engine_id,
			    engine_id_len, pkey);
		c->c_level |= SNMP_V3_FLAG_PRIV;
	}
	if (rc == 0)
		rc = usm_keys_set(&c->c_keys, a, akul, p, pkey);
	explicit_bzero(akul, sizeof(akul));
	explicit_bzero(pkul, sizeof(pkul));
	explicit_bzero(pkey, sizeof(pkey));
	return rc;
}

/* The header of a message of c's at flags. */
static void
v3cli_out(const struct v3cli *c, int32_t msg_id, uint8_t flags,
    const uint8_t *salt, struct snmp_v3_out *o)
{
	memset(o, 0, sizeof(*o));
	o->o_msg_id = msg_id;
	o->o_max_size = V3CLI_MAX_SIZE;
	o->o_flags = flags;
	o->o_engine_id = c->c_engine_id;
	o->o_engine_id_len = c->c_engine_id_len;
	o->o_boots = c->c_boots;
	o->o_time = c->c_time;
	o->o_user = c->c_user;
	o->o_user_len = c->c_user_len;
	if (flags & SNMP_V3_FLAG_AUTH)
		o->o_auth_len = usm_keys_mac_len(&c->c_keys);
	if (flags & SNMP_V3_FLAG_PRIV) {
		o->o_priv = salt;
		o->o_priv_len = USM_SALT_LEN;
	}
}

int
v3cli_probe(int32_t msg_id, uint8_t *buf, size_t cap, size_t *len)
{
	struct snmp_v3_out o;
	struct snmp_v3_layout l;
	struct snmp_reply r;
	const uint8_t *msg;
	size_t scoped;
	int rc;

	memset(&o, 0, sizeof(o));
	o.o_msg_id = msg_id;
	o.o_max_size = V3CLI_MAX_SIZE;
	o.o_flags = SNMP_V3_FLAG_REPORTABLE;
	if ((rc = snmp_reply_init_scoped(&r, buf, cap,
	    snmp_v3_scoped_max(&o, cap), NULL, 0, NULL, 0, msg_id)) != 0 ||
	    (rc = snmp_reply_set_type(&r, SNMP_PDU_GET)) != 0 ||
	    (rc = snmp_reply_finish(&r, 0, 0, &msg, &scoped)) != 0 ||
	    (rc = snmp_v3_wrap(&o, buf, cap, cap, scoped, &l)) != 0)
		return rc;
	*len = l.l_len;
	return 0;
}

int
v3cli_learn(const uint8_t *msg, size_t len, uint8_t *eid, size_t *eid_len,
    int32_t *boots, int32_t *time)
{
	struct snmp_v3_msg h;
	int rc;

	if ((rc = snmp_v3_decode(msg, len, &h)) != 0)
		return rc;
	memcpy(eid, h.v3_engine_id, h.v3_engine_id_len);
	*eid_len = h.v3_engine_id_len;
	*boots = h.v3_boots;
	*time = h.v3_time;
	return 0;
}

size_t
v3cli_scoped_max(const struct v3cli *c, uint8_t flags, size_t limit)
{
	static const uint8_t salt[USM_SALT_LEN];
	struct snmp_v3_out o;

	v3cli_out(c, 0, flags, salt, &o);
	return snmp_v3_scoped_max(&o, limit);
}

int
v3cli_wrap(struct v3cli *c, int32_t msg_id, uint8_t flags, uint8_t *buf,
    size_t cap, size_t scoped_len, size_t *len)
{
	uint8_t salt[USM_SALT_LEN];
	struct snmp_v3_out o;
	struct snmp_v3_layout l;
	uint8_t level = flags & (SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV);
	int i, rc;

	if ((level & ~c->c_level) != 0)
		return SNMP_EINVAL;
	for (i = 0; i < USM_SALT_LEN; i++)
		salt[i] = (uint8_t)(c->c_salt >> (56 - 8 * i));
	v3cli_out(c, msg_id, flags, salt, &o);
	if ((rc = snmp_v3_wrap(&o, buf, cap, cap, scoped_len, &l)) != 0)
		return rc;
	if (flags & SNMP_V3_FLAG_PRIV) {
		c->c_salt++;
		if ((rc = usm_priv_encrypt(&c->c_keys, (uint32_t)c->c_boots,
		    (uint32_t)c->c_time, salt, USM_SALT_LEN,
		    buf + l.l_data_off, l.l_data_len)) != 0)
			return rc;
	}
	if ((flags & SNMP_V3_FLAG_AUTH) &&
	    (rc = usm_auth_sign(&c->c_keys, buf, l.l_len, l.l_auth_off)) != 0)
		return rc;
	*len = l.l_len;
	return 0;
}

int
v3cli_open(const struct v3cli *c, const uint8_t *msg, size_t len,
    uint8_t *plain, struct snmp_v3_msg *h, struct snmp_msg *m,
    struct snmp_varbind *vbs, size_t cap)
{
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = snmp_v3_decode(msg, len, h)) != 0)
		return rc;
	if ((h->v3_flags & SNMP_V3_FLAG_AUTH) &&
	    (h->v3_auth_len != usm_keys_mac_len(&c->c_keys) ||
	    (rc = usm_auth_verify(&c->c_keys, msg, len,
	    h->v3_auth_off)) != 0))
		return USM_EDIGEST;
	if (!h->v3_encrypted)
		return snmp_v3_scoped_decode(h->v3_data, h->v3_data_len,
		    false, m, vbs, cap);
	if ((rc = usm_priv_decrypt(&c->c_keys, (uint32_t)h->v3_boots,
	    (uint32_t)h->v3_time, h->v3_priv, h->v3_priv_len, h->v3_data,
	    h->v3_data_len, plain)) != 0)
		return rc;
	return snmp_v3_scoped_decode(plain, h->v3_data_len, true, m, vbs,
	    cap);
}
