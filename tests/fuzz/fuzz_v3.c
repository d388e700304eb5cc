/*
 * fuzz_v3: libFuzzer target for the agent's SNMPv3 path, agent/v3.c over
 * snmp/v3.c and snmp/usm.c, with the users of the captures configured.
 * The first input octet picks how the rest is used:
 *  - even: as a datagram (header, USM parameters, digest, time window,
 *    decryption, ScopedPDU), answered as the engine would when dispatched;
 *  - odd: as the plaintext ScopedPDU of a request this target seals
 *    correctly (octet 2 picks the user and level), so fuzzing reaches
 *    decryption and the ScopedPDU decoder past a valid HMAC.
 * Beyond "no crash": every datagram sent decodes, fits its limit, echoes
 * the msgID, and verifies with the user's keys when signed; a sealed
 * ScopedPDU is dispatched exactly when it decodes as a served request;
 * an accepted ScopedPDU re-encodes no longer than it came.  Seeds:
 * tests/fuzz/corpus/v3/ (the captures, and the ScopedPDUs inside them).
 * Run through tests/fuzz/run.sh (make fuzz).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/v3.h"
#include "config/config.h"
#include "snmp/usm.h"
#include "snmp/v3.h"
#include "tests/unit/test_util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(e) do {							\
	if (!(e))							\
		abort();						\
} while (0)

#define NOW	7
#define MAXMSG	(1 << 16)

/* snmpd's engine of the captures and some of its users. */
static const uint8_t eid[] = { 0x80, 0x00, 0x1f, 0x88, 0x04, 'p', 'r', 'o',
	'c', 't', 'e', 'l' };
static const struct {
	const char		*name;
	enum cfg_auth_proto	 auth;
	enum cfg_priv_proto	 priv;
	enum usm_auth		 ua;
	enum usm_priv		 up;
} fu[] = {
	{ "usha256", CFG_AUTH_SHA256, CFG_PRIV_AES, USM_AUTH_SHA256,
	    USM_PRIV_AES128 },
	{ "ua192", CFG_AUTH_SHA, CFG_PRIV_AES192, USM_AUTH_SHA1,
	    USM_PRIV_AES192 },
	{ "ua256c", CFG_AUTH_MD5, CFG_PRIV_AES256C, USM_AUTH_MD5,
	    USM_PRIV_AES256_REEDER },
	{ "uauth", CFG_AUTH_SHA, CFG_PRIV_NONE, USM_AUTH_SHA1,
	    USM_PRIV_NONE },
	{ "unoauth", CFG_AUTH_NONE, CFG_PRIV_NONE, USM_AUTH_NONE,
	    USM_PRIV_NONE },
};
#define NFU	(sizeof(fu) / sizeof(fu[0]))

static struct v3 *v;
static struct usm_keys keys[NFU];	/* the client's copy */
static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];
static struct snmp_varbind back[SNMP_MAX_VARBINDS];
static uint8_t req[MAXMSG], out[MAXMSG], plain[MAXMSG];

static void
setup(void)
{
	static char pw[] = "maplesyrup";
	struct cfg_user cu[NFU];
	uint8_t ku[USM_KEY_MAX], akul[USM_KEY_MAX], pkul[USM_KEY_MAX];
	uint8_t pkey[USM_PRIV_KEY_MAX];
	char err[128];
	size_t i;

	REQUIRE((v = v3_new(eid, sizeof(eid), 1, 65507)) != NULL);
	memset(cu, 0, sizeof(cu));
	for (i = 0; i < NFU; i++) {
		cu[i].cu_name = (char *)(uintptr_t)fu[i].name;
		cu[i].cu_auth_proto = fu[i].auth;
		cu[i].cu_priv_proto = fu[i].priv;
		cu[i].cu_auth_password = fu[i].auth != CFG_AUTH_NONE ? pw :
		    NULL;
		cu[i].cu_priv_password = fu[i].priv != CFG_PRIV_NONE ? pw :
		    NULL;
		cu[i].cu_level = CFG_NOAUTH;
		if (fu[i].ua != USM_AUTH_NONE) {
			REQUIRE(usm_password_to_key(fu[i].ua, pw, 10, ku) == 0);
			REQUIRE(usm_key_localize(fu[i].ua, ku, eid,
			    sizeof(eid), akul) == 0);
			REQUIRE(usm_key_localize(fu[i].ua, ku, eid,
			    sizeof(eid), pkul) == 0);
		}
		if (fu[i].up != USM_PRIV_NONE)
			REQUIRE(usm_priv_key_derive(fu[i].ua, fu[i].up, pkul,
			    eid, sizeof(eid), pkey) == 0);
		REQUIRE(usm_keys_set(&keys[i], fu[i].ua, akul, fu[i].up,
		    pkey) == 0);
	}
	REQUIRE(v3_set_users(v, cu, NFU, err, sizeof(err)) == 0);
}

static const struct usm_keys *
keys_of(const uint8_t *name, size_t len)
{
	size_t i;

	for (i = 0; i < NFU; i++)
		if (strlen(fu[i].name) == len &&
		    memcmp(fu[i].name, name, len) == 0)
			return &keys[i];
	return NULL;
}

/* What any datagram the agent sends must be. */
static void
check_sent(const struct snmp_v3_msg *rq, const uint8_t *msg, size_t len,
    size_t limit)
{
	const struct usm_keys *k;
	struct snmp_v3_msg h;
	struct snmp_msg m;

	REQUIRE(len > 0 && len <= limit);
	REQUIRE(snmp_v3_decode(msg, len, &h) == 0);
	REQUIRE(h.v3_msg_id == rq->v3_msg_id);
	REQUIRE((h.v3_flags & SNMP_V3_FLAG_REPORTABLE) == 0);
	REQUIRE(h.v3_engine_id_len == sizeof(eid));
	if (h.v3_flags & SNMP_V3_FLAG_AUTH) {
		REQUIRE((k = keys_of(h.v3_user, h.v3_user_len)) != NULL);
		REQUIRE(usm_auth_verify(k, msg, len, h.v3_auth_off) == 0);
		if (h.v3_encrypted) {
			REQUIRE(usm_priv_decrypt(k, (uint32_t)h.v3_boots,
			    (uint32_t)h.v3_time, h.v3_priv, h.v3_priv_len,
			    h.v3_data, h.v3_data_len, plain) == 0);
			REQUIRE(snmp_v3_scoped_decode(plain, h.v3_data_len,
			    false, &m, back, SNMP_MAX_VARBINDS) == 0);
			return;
		}
	}
	REQUIRE(!h.v3_encrypted);
	REQUIRE(snmp_v3_scoped_decode(h.v3_data, h.v3_data_len, false, &m,
	    back, SNMP_MAX_VARBINDS) == 0);
}

/* Answer a dispatched request as the engine would: echo its names. */
static void
answer(const struct snmp_v3_msg *rq, const struct snmp_msg *m,
    const struct v3_txn *t)
{
	struct snmp_reply r;
	struct snmp_value null;
	const uint8_t *msg;
	size_t i, slen, olen;

	memset(&null, 0, sizeof(null));
	null.val_type = BER_NULL;
	REQUIRE(snmp_reply_init_scoped(&r, out, sizeof(out), t->t_scoped_max,
	    m->m_context_engine_id, m->m_context_engine_id_len,
	    m->m_context_name, m->m_context_name_len, m->m_request_id) == 0);
	for (i = 0; i < m->m_nvbs; i++)
		if (snmp_reply_add(&r, &m->m_vbs[i].vb_oid, &null) != 0)
			break;
	/* Not even an empty PDU fits: the engine counts a silent drop. */
	if (snmp_reply_finish(&r, 0, 0, &msg, &slen) != 0)
		return;
	REQUIRE(v3_respond(v, t, NOW, out, sizeof(out), slen, &olen) ==
	    V3_SEND);
	check_sent(rq, out, olen, t->t_limit);
}

static void
receive(const uint8_t *msg, size_t len, size_t outcap)
{
	struct snmp_v3_msg h;
	struct snmp_msg m;
	struct v3_txn t;
	size_t olen;
	enum v3_action a;

	a = v3_receive(v, msg, len, NOW, &m, vbs, SNMP_MAX_VARBINDS, &t, out,
	    outcap, &olen);
	if (a == V3_SEND) {
		REQUIRE(snmp_v3_decode(msg, len, &h) == 0);
		check_sent(&h, out, olen, outcap);
	} else
		REQUIRE(olen == 0);
	if (a == V3_DISPATCH) {
		REQUIRE(snmp_v3_decode(msg, len, &h) == 0);
		REQUIRE(m.m_pdu_type == SNMP_PDU_GET ||
		    m.m_pdu_type == SNMP_PDU_GETNEXT ||
		    m.m_pdu_type == SNMP_PDU_GETBULK ||
		    m.m_pdu_type == SNMP_PDU_SET);
		answer(&h, &m, &t);
	}
}

/*
 * Seal data as the ScopedPDU of a request from user u at level flags,
 * with a correct header, salt and digest.
 */
static void
sealed(const uint8_t *data, size_t size, uint8_t pick)
{
	static const uint8_t salt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	size_t u = pick % NFU, len;
	struct snmp_v3_out o;
	struct snmp_v3_layout l;
	struct snmp_msg m;
	struct v3_txn t;
	uint8_t flags = SNMP_V3_FLAG_REPORTABLE;
	bool served;
	int rc;

	if (size > 4096)
		return;
	if (fu[u].ua != USM_AUTH_NONE && (pick & 0x10))
		flags |= SNMP_V3_FLAG_AUTH;
	if (fu[u].up != USM_PRIV_NONE && (pick & 0x20))
		flags |= SNMP_V3_FLAG_AUTH | SNMP_V3_FLAG_PRIV;
	memset(&o, 0, sizeof(o));
	o.o_msg_id = 1;
	o.o_max_size = 65507;
	o.o_flags = flags;
	o.o_engine_id = eid;
	o.o_engine_id_len = sizeof(eid);
	o.o_boots = 1;
	o.o_time = NOW;
	o.o_user = (const uint8_t *)fu[u].name;
	o.o_user_len = strlen(fu[u].name);
	o.o_auth_len = (flags & SNMP_V3_FLAG_AUTH) ?
	    usm_keys_mac_len(&keys[u]) : 0;
	o.o_priv = (flags & SNMP_V3_FLAG_PRIV) ? salt : NULL;
	o.o_priv_len = (flags & SNMP_V3_FLAG_PRIV) ? 8 : 0;
	memcpy(req, data, size);
	REQUIRE(snmp_v3_wrap(&o, req, sizeof(req), sizeof(req), size, &l) ==
	    0);
	if (flags & SNMP_V3_FLAG_PRIV)
		REQUIRE(usm_priv_encrypt(&keys[u], 1, NOW, salt, 8,
		    req + l.l_data_off, l.l_data_len) == 0);
	if (flags & SNMP_V3_FLAG_AUTH)
		REQUIRE(usm_auth_sign(&keys[u], req, l.l_len,
		    l.l_auth_off) == 0);
	/* Is it a ScopedPDU the agent serves in its own context? */
	rc = snmp_v3_scoped_decode(data, size,
	    (flags & SNMP_V3_FLAG_PRIV) != 0, &m, back, SNMP_MAX_VARBINDS);
	if (rc == 0 && msg_reencode(&m, plain, sizeof(plain), &len) == 0)
		REQUIRE(len <= size);
	served = (rc == 0 || rc == SNMP_ETOOMANY) &&
	    (m.m_pdu_type == SNMP_PDU_GET || m.m_pdu_type == SNMP_PDU_GETNEXT ||
	    m.m_pdu_type == SNMP_PDU_GETBULK || m.m_pdu_type == SNMP_PDU_SET) &&
	    m.m_context_name_len == 0 && (m.m_context_engine_id_len == 0 ||
	    (m.m_context_engine_id_len == sizeof(eid) &&
	    memcmp(m.m_context_engine_id, eid, sizeof(eid)) == 0));
	len = l.l_len;
	REQUIRE((v3_receive(v, req, len, NOW, &m, vbs, SNMP_MAX_VARBINDS, &t,
	    out, sizeof(out), &len) == V3_DISPATCH) == served);
	receive(req, l.l_len, sizeof(out));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (v == NULL)
		setup();
	if (size < 2)
		return 0;
	if (data[0] & 1) {
		sealed(data + 2, size - 2, data[1]);
		return 0;
	}
	receive(data + 1, size - 1, sizeof(out));
	/* A small reply buffer: answers that do not fit are dropped. */
	receive(data + 1, size - 1, (size_t)data[size - 1] * 2);
	return 0;
}
