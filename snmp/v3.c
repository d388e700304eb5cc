/*
 * v3: the SNMPv3 message and USM parameters on top of ber.c, and the
 * ScopedPDU on top of pdu.c.  Decoding yields views; encoding writes the
 * header once its lengths are known and moves the ScopedPDU behind it, as
 * snmp_reply_finish does with varbinds.  Not here: cryptography (usm.c),
 * the RFCs' decisions (agent/v3.c).
 */
#include <string.h>

#include "snmp/v3.h"

const char *
snmp_v3_strerror(int err)
{
	switch (err) {
	case SNMP_V3_EMSGID:
		return "negative msgID";
	case SNMP_V3_EMAXSIZE:
		return "msgMaxSize below 484";
	case SNMP_V3_EFLAGS:
		return "msgFlags not one octet";
	case SNMP_V3_ESECMODEL:
		return "msgSecurityModel below 1";
	case SNMP_V3_EDATA:
		return "msgData neither a ScopedPDU nor an OCTET STRING";
	case SNMP_V3_EENGINEID:
		return "msgAuthoritativeEngineID longer than 32 octets";
	case SNMP_V3_EBOOTS:
		return "negative msgAuthoritativeEngineBoots";
	case SNMP_V3_ETIME:
		return "negative msgAuthoritativeEngineTime";
	case SNMP_V3_EUSER:
		return "msgUserName longer than 32 octets";
	case SNMP_V3_ECTXENGINE:
		return "contextEngineID longer than 32 octets";
	case SNMP_V3_ECTXNAME:
		return "contextName longer than 32 octets";
	case SNMP_V3_ENOTUSM:
		return "security model other than USM";
	default:
		return snmp_strerror(err);
	}
}

/* An OCTET STRING of at most max octets, else toolong. */
static int
v3_get_string(struct ber_cursor *c, size_t max, int toolong,
    const uint8_t **p, size_t *len)
{
	struct ber_cursor s;
	int rv;

	if ((rv = ber_get_tlv(c, BER_OCTET_STRING, &s)) != 0)
		return rv;
	if (s.c_left > max)
		return toolong;
	*p = s.c_p;
	*len = s.c_left;
	return 0;
}

/* An INTEGER in 0..2^31-1 (min..), else range. */
static int
v3_get_nonneg(struct ber_cursor *c, int32_t min, int range, int32_t *v)
{
	int rv;

	if ((rv = ber_get_int32(c, v)) != 0)
		return rv;
	return *v < min ? range : 0;
}

/* UsmSecurityParameters, RFC 3414 sec. 2.4, filling [p, p + len). */
static int
v3_decode_usm(const uint8_t *buf, const uint8_t *p, size_t len,
    struct snmp_v3_msg *m)
{
	struct ber_cursor c, seq;
	int rv;

	ber_cursor_init(&c, p, len);
	if ((rv = ber_get_tlv(&c, BER_SEQUENCE, &seq)) != 0)
		return rv;
	if (c.c_left != 0)
		return BER_ETRAILING;
	if ((rv = v3_get_string(&seq, SNMP_MAX_ENGINE_ID, SNMP_V3_EENGINEID,
	    &m->v3_engine_id, &m->v3_engine_id_len)) != 0 ||
	    (rv = v3_get_nonneg(&seq, 0, SNMP_V3_EBOOTS, &m->v3_boots)) != 0 ||
	    (rv = v3_get_nonneg(&seq, 0, SNMP_V3_ETIME, &m->v3_time)) != 0 ||
	    (rv = v3_get_string(&seq, SNMP_V3_MAX_USER, SNMP_V3_EUSER,
	    &m->v3_user, &m->v3_user_len)) != 0 ||
	    (rv = v3_get_string(&seq, SIZE_MAX, 0, &m->v3_auth,
	    &m->v3_auth_len)) != 0 ||
	    (rv = v3_get_string(&seq, SIZE_MAX, 0, &m->v3_priv,
	    &m->v3_priv_len)) != 0)
		return rv;
	if (seq.c_left != 0)
		return BER_ETRAILING;
	m->v3_auth_off = (size_t)(m->v3_auth - buf);
	return 0;
}

int
snmp_v3_decode(const uint8_t *buf, size_t len, struct snmp_v3_msg *m)
{
	struct ber_cursor msg, gd, flags, sp;
	const uint8_t *data;
	size_t dlen;
	uint8_t tag;
	int32_t version;
	int rv;

	memset(m, 0, sizeof(*m));
	if ((rv = snmp_msg_open(buf, len, &msg, &version)) != 0)
		return rv;
	if (version != SNMP_VERSION_3)
		return SNMP_EVERSION;

	if ((rv = ber_get_tlv(&msg, BER_SEQUENCE, &gd)) != 0)
		return rv;
	/* gosnmp writes msgID in 4 octets, whatever its value. */
	if ((rv = ber_get_int32_padded(&gd, &m->v3_msg_id)) != 0)
		return rv;
	if (m->v3_msg_id < 0)
		return SNMP_V3_EMSGID;
	if ((rv = v3_get_nonneg(&gd, SNMP_V3_MIN_MSG_SIZE, SNMP_V3_EMAXSIZE,
	    &m->v3_max_size)) != 0)
		return rv;
	if ((rv = ber_get_tlv(&gd, BER_OCTET_STRING, &flags)) != 0)
		return rv;
	if (flags.c_left != 1)
		return SNMP_V3_EFLAGS;
	m->v3_flags = flags.c_p[0];
	if ((rv = v3_get_nonneg(&gd, 1, SNMP_V3_ESECMODEL,
	    &m->v3_sec_model)) != 0)
		return rv;
	if (gd.c_left != 0)
		return BER_ETRAILING;

	if ((rv = ber_get_tlv(&msg, BER_OCTET_STRING, &sp)) != 0)
		return rv;
	/* msgData: ScopedPduData ::= CHOICE { plaintext, encryptedPDU }. */
	data = msg.c_p;
	if ((rv = ber_get_header(&msg, &tag, &dlen)) != 0)
		return rv;
	if (tag == BER_SEQUENCE) {
		m->v3_data = data;
		m->v3_data_len = (size_t)(msg.c_p - data) + dlen;
	} else if (tag == BER_OCTET_STRING) {
		m->v3_encrypted = true;
		m->v3_data = msg.c_p;
		m->v3_data_len = dlen;
	} else
		return (tag & ~BER_CONSTRUCTED) == BER_OCTET_STRING ?
		    BER_ECONSTRUCTED : SNMP_V3_EDATA;
	if (msg.c_left != dlen)
		return BER_ETRAILING;
	m->v3_have_header = true;

	if (m->v3_sec_model != SNMP_V3_SECMODEL_USM)
		return SNMP_V3_ENOTUSM;
	if ((rv = v3_decode_usm(buf, sp.c_p, sp.c_left, m)) != 0)
		return rv;
	m->v3_have_usm = true;
	return 0;
}

int
snmp_v3_scoped_decode(const uint8_t *buf, size_t len, bool decrypted,
    struct snmp_msg *m, struct snmp_varbind *vbs, size_t cap)
{
	struct ber_cursor c, seq;
	int rv;

	memset(m, 0, sizeof(*m));
	m->m_vbs = vbs;
	ber_cursor_init(&c, buf, len);
	if ((rv = ber_get_tlv(&c, BER_SEQUENCE, &seq)) != 0)
		return rv;
	if (c.c_left != 0 && (!decrypted || c.c_left > SNMP_V3_MAX_PAD))
		return SNMP_ETRAILING;
	m->m_version = SNMP_VERSION_3;
	m->m_have_version = true;
	if ((rv = v3_get_string(&seq, SNMP_MAX_ENGINE_ID, SNMP_V3_ECTXENGINE,
	    &m->m_context_engine_id, &m->m_context_engine_id_len)) != 0 ||
	    (rv = v3_get_string(&seq, SNMP_MAX_CONTEXT_NAME, SNMP_V3_ECTXNAME,
	    &m->m_context_name, &m->m_context_name_len)) != 0)
		return rv;
	return snmp_pdu_decode(seq.c_p, seq.c_left, m, vbs, cap);
}

static size_t
v3_int_tlv(int64_t v)
{
	return 2 + ber_int_size(v);
}

static size_t
v3_str_tlv(size_t len)
{
	return 1 + ber_len_size(len) + len;
}

/* Lengths of a message around a ScopedPDU of scoped_len octets. */
struct v3_sizes {
	size_t		 s_gd;		/* msgGlobalData content */
	size_t		 s_usm;		/* UsmSecurityParameters content */
	size_t		 s_msg;		/* the outer SEQUENCE's content */
	size_t		 s_total;
};

static void
v3_size(const struct snmp_v3_out *h, size_t scoped_len, struct v3_sizes *s)
{
	size_t data;

	s->s_gd = v3_int_tlv(h->o_msg_id) + v3_int_tlv(h->o_max_size) +
	    v3_str_tlv(1) + v3_int_tlv(SNMP_V3_SECMODEL_USM);
	s->s_usm = v3_str_tlv(h->o_engine_id_len) + v3_int_tlv(h->o_boots) +
	    v3_int_tlv(h->o_time) + v3_str_tlv(h->o_user_len) +
	    v3_str_tlv(h->o_auth_len) + v3_str_tlv(h->o_priv_len);
	data = (h->o_flags & SNMP_V3_FLAG_PRIV) ? v3_str_tlv(scoped_len) :
	    scoped_len;
	s->s_msg = v3_int_tlv(SNMP_VERSION_3) + v3_str_tlv(s->s_gd) +
	    v3_str_tlv(v3_str_tlv(s->s_usm)) + data;
	s->s_total = v3_str_tlv(s->s_msg);
}

static bool
v3_out_valid(const struct snmp_v3_out *h)
{
	return h->o_msg_id >= 0 && h->o_max_size >= SNMP_V3_MIN_MSG_SIZE &&
	    h->o_boots >= 0 && h->o_time >= 0 &&
	    h->o_engine_id_len <= SNMP_MAX_ENGINE_ID &&
	    h->o_user_len <= SNMP_V3_MAX_USER &&
	    h->o_auth_len <= SNMP_V3_MAX_AUTH_PARAMS &&
	    h->o_priv_len <= SNMP_V3_MAX_PRIV_PARAMS;
}

size_t
snmp_v3_scoped_max(const struct snmp_v3_out *h, size_t limit)
{
	struct v3_sizes s;
	size_t n;
	int i;

	if (!v3_out_valid(h))
		return 0;
	/* The header only grows with the ScopedPDU: start from below. */
	v3_size(h, limit, &s);
	if (s.s_total - limit >= limit)
		return 0;
	n = limit - (s.s_total - limit);
	/* Length fields can be a few octets shorter for n: take them. */
	for (i = 0; i < 8; i++) {
		v3_size(h, n + 1, &s);
		if (s.s_total > limit)
			break;
		n++;
	}
	return n;
}

int
snmp_v3_wrap(const struct snmp_v3_out *h, uint8_t *buf, size_t cap,
    size_t limit, size_t scoped_len, struct snmp_v3_layout *l)
{
	static const uint8_t zeros[SNMP_V3_MAX_AUTH_PARAMS];
	uint8_t hdr[SNMP_V3_HDR_MAX], flags = h->o_flags;
	struct ber_writer w;
	struct v3_sizes s;
	size_t hlen;

	if (!v3_out_valid(h))
		return SNMP_EINVAL;
	if (limit > cap)
		limit = cap;
	if (scoped_len > limit)
		return SNMP_ENOFIT;
	v3_size(h, scoped_len, &s);
	if (s.s_total > limit)
		return SNMP_ENOFIT;
	/* Cannot fail: SNMP_V3_HDR_MAX covers every field at its cap. */
	ber_writer_init(&w, hdr, sizeof(hdr));
	(void)ber_put_header(&w, BER_SEQUENCE, s.s_msg);
	(void)ber_put_int(&w, BER_INTEGER, SNMP_VERSION_3);
	(void)ber_put_header(&w, BER_SEQUENCE, s.s_gd);
	(void)ber_put_int(&w, BER_INTEGER, h->o_msg_id);
	(void)ber_put_int(&w, BER_INTEGER, h->o_max_size);
	(void)ber_put_string(&w, BER_OCTET_STRING, &flags, 1);
	(void)ber_put_int(&w, BER_INTEGER, SNMP_V3_SECMODEL_USM);
	(void)ber_put_header(&w, BER_OCTET_STRING, v3_str_tlv(s.s_usm));
	(void)ber_put_header(&w, BER_SEQUENCE, s.s_usm);
	(void)ber_put_string(&w, BER_OCTET_STRING, h->o_engine_id,
	    h->o_engine_id_len);
	(void)ber_put_int(&w, BER_INTEGER, h->o_boots);
	(void)ber_put_int(&w, BER_INTEGER, h->o_time);
	(void)ber_put_string(&w, BER_OCTET_STRING, h->o_user, h->o_user_len);
	(void)ber_put_header(&w, BER_OCTET_STRING, h->o_auth_len);
	l->l_auth_off = w.w_pos;
	(void)ber_put_raw(&w, zeros, h->o_auth_len);
	(void)ber_put_string(&w, BER_OCTET_STRING, h->o_priv, h->o_priv_len);
	if (flags & SNMP_V3_FLAG_PRIV)
		(void)ber_put_header(&w, BER_OCTET_STRING, scoped_len);
	hlen = w.w_pos;
	if (scoped_len > 0)
		memmove(buf + hlen, buf, scoped_len);
	memcpy(buf, hdr, hlen);
	l->l_len = s.s_total;
	l->l_data_off = hlen;
	l->l_data_len = scoped_len;
	return 0;
}

bool
snmp_v3_engine_id_valid(const uint8_t *id, size_t len, const char **errstr)
{
	size_t i, zero = 0, ones = 0;
	size_t want = 0;

	if (len < 5 || len > SNMP_MAX_ENGINE_ID) {
		*errstr = "an engine ID has 5 to 32 octets";
		return false;
	}
	for (i = 0; i < len; i++) {
		zero += id[i] == 0x00;
		ones += id[i] == 0xff;
	}
	if (zero == len || ones == len) {
		*errstr = "an engine ID may not be all zeros or all 0xff";
		return false;
	}
	if ((id[0] & 0x80) == 0) {
		if (len != 12) {
			*errstr = "an engine ID in RFC 1910's form (first bit "
			    "0) has 12 octets";
			return false;
		}
		return true;
	}
	switch (id[4]) {
	case 1:
		want = 9;	/* IPv4 address */
		break;
	case 2:
		want = 21;	/* IPv6 address */
		break;
	case 3:
		want = 11;	/* MAC address */
		break;
	case 4:			/* text */
	case 5:			/* octets */
		if (len < 6) {
			*errstr = "an engine ID of format 4 or 5 needs at "
			    "least one octet after the format";
			return false;
		}
		return true;
	default:
		if (id[4] >= 128)	/* enterprise-specific */
			return true;
		*errstr = "an engine ID's format octet (the fifth) is "
		    "reserved (0 or 6..127)";
		return false;
	}
	if (len != want) {
		*errstr = "an engine ID of format 1, 2 or 3 carries a whole "
		    "IPv4, IPv6 or MAC address";
		return false;
	}
	return true;
}
