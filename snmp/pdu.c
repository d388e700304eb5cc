/*
 * pdu: SNMP v1/v2c Message and PDU structure on top of ber.c.  Decoding
 * fills a struct snmp_msg with views into the datagram and the caller's
 * varbind array; the reply builder encodes varbinds forward and, when
 * finished, moves them once behind headers built with exact lengths.
 * The PDU decoder and the builder also serve SNMPv3's ScopedPDU.  Not
 * here: the SNMPv3 message around a ScopedPDU (v3.c), the v1 Trap-PDU,
 * any I/O.
 */
#include <string.h>

#include "snmp/pdu.h"

const char *
snmp_strerror(int err)
{
	switch (err) {
	case SNMP_EV3:
		return "SNMPv3 message";
	case SNMP_EVERSION:
		return "unknown SNMP version";
	case SNMP_ECOMMUNITY:
		return "community longer than 255 octets";
	case SNMP_EPDUTYPE:
		return "unsupported PDU type";
	case SNMP_ETOOMANY:
		return "too many varbinds";
	case SNMP_ETRAILING:
		return "trailing bytes after the message";
	case SNMP_ENOFIT:
		return "reply would not fit";
	case SNMP_EINVAL:
		return "invalid argument";
	case SNMP_ECONTEXT:
		return "context engine ID or name longer than 32 octets";
	default:
		return ber_strerror(err);
	}
}

static bool
pdu_type_known(uint8_t t)
{
	return t >= SNMP_PDU_GET && t <= SNMP_PDU_REPORT &&
	    t != SNMP_PDU_TRAPV1;
}

int
snmp_msg_open(const uint8_t *buf, size_t len, struct ber_cursor *msg,
    int32_t *version)
{
	struct ber_cursor c;
	int rv;

	ber_cursor_init(&c, buf, len);
	if ((rv = ber_get_tlv(&c, BER_SEQUENCE, msg)) != 0)
		return rv;
	if (c.c_left != 0)
		return SNMP_ETRAILING;
	return ber_get_int32(msg, version);
}

int
snmp_msg_decode(const uint8_t *buf, size_t len, struct snmp_msg *m,
    struct snmp_varbind *vbs, size_t cap)
{
	struct ber_cursor msg, comm;
	int32_t version;
	int rv;

	memset(m, 0, sizeof(*m));
	m->m_vbs = vbs;
	if ((rv = snmp_msg_open(buf, len, &msg, &version)) != 0)
		return rv;
	m->m_version = version;
	m->m_have_version = true;
	if (version == SNMP_VERSION_3)
		return SNMP_EV3;
	if (version != SNMP_VERSION_1 && version != SNMP_VERSION_2C)
		return SNMP_EVERSION;

	if ((rv = ber_get_tlv(&msg, BER_OCTET_STRING, &comm)) != 0)
		return rv;
	if (comm.c_left > SNMP_MAX_COMMUNITY)
		return SNMP_ECOMMUNITY;
	m->m_community = comm.c_p;
	m->m_community_len = comm.c_left;
	return snmp_pdu_decode(msg.c_p, msg.c_left, m, vbs, cap);
}

int
snmp_pdu_decode(const uint8_t *buf, size_t len, struct snmp_msg *m,
    struct snmp_varbind *vbs, size_t cap)
{
	struct ber_cursor msg, pdu, vbl, vb, name;
	struct snmp_value scratch_val;
	struct oid scratch_oid;
	struct snmp_varbind *dst;
	size_t plen, limit;
	uint8_t tag;
	int rv;

	m->m_vbs = vbs;
	ber_cursor_init(&msg, buf, len);
	if ((rv = ber_get_header(&msg, &tag, &plen)) != 0)
		return rv;
	if (!pdu_type_known(tag))
		return (tag & 0xe0) == 0xa0 ? SNMP_EPDUTYPE : BER_ETAG;
	ber_cursor_init(&pdu, msg.c_p, plen);
	if (msg.c_left != plen)
		return BER_ETRAILING;
	m->m_pdu_type = tag;

	/*
	 * The one integer read leniently: gosnmp (snmp_exporter, Telegraf)
	 * pads request-ids to 4 octets, and a reply carries the value, not
	 * the bytes (gosnmp compares values).  version, error-status,
	 * error-index and values stay minimal as X.690 8.3.2 requires:
	 * no sender we know pads them, and each exception is one more
	 * shape of input to trust.
	 */
	if ((rv = ber_get_int32_padded(&pdu, &m->m_request_id)) != 0)
		return rv;
	m->m_have_request_id = true;
	if ((rv = ber_get_int32(&pdu, &m->m_error_status)) != 0)
		return rv;
	if ((rv = ber_get_int32(&pdu, &m->m_error_index)) != 0)
		return rv;
	if ((rv = ber_get_tlv(&pdu, BER_SEQUENCE, &vbl)) != 0)
		return rv;
	if (pdu.c_left != 0)
		return BER_ETRAILING;
	m->m_vbl = vbl.c_p;
	m->m_vbl_len = vbl.c_left;

	/*
	 * Past the cap, varbinds are still checked (into scratch space) so
	 * SNMP_ETOOMANY means "well-formed, only too long".
	 */
	limit = cap < SNMP_MAX_VARBINDS ? cap : SNMP_MAX_VARBINDS;
	while (vbl.c_left > 0) {
		if ((rv = ber_get_tlv(&vbl, BER_SEQUENCE, &vb)) != 0)
			return rv;
		if ((rv = ber_get_tlv(&vb, BER_OBJECT_ID, &name)) != 0)
			return rv;
		dst = m->m_nvbs < limit ? &vbs[m->m_nvbs] : NULL;
		rv = ber_oid_decode(name.c_p, name.c_left,
		    dst != NULL ? &dst->vb_oid : &scratch_oid);
		if (rv != 0)
			return rv;
		rv = ber_get_value(&vb,
		    dst != NULL ? &dst->vb_value : &scratch_val);
		if (rv != 0)
			return rv;
		if (vb.c_left != 0)
			return BER_ETRAILING;
		if (dst != NULL)
			m->m_nvbs++;
		m->m_nvbs_total++;
	}
	if (m->m_nvbs_total > m->m_nvbs)
		return SNMP_ETOOMANY;
	return 0;
}

/*
 * Size of the whole message around a VarBindList of vbl_len octets, and
 * the header in front of it when hdr is not NULL (hdr holds
 * SNMP_REPLY_HDR_MAX octets).  Returns the header length.
 */
static size_t
reply_header(const struct snmp_reply *r, size_t vbl_len, int32_t es,
    int32_t ei, size_t *total, uint8_t *hdr)
{
	struct ber_writer w;
	size_t pdu_len, msg_len;

	pdu_len = 2 + ber_int_size(r->r_request_id) +
	    2 + ber_int_size(es) + 2 + ber_int_size(ei) +
	    1 + ber_len_size(vbl_len) + vbl_len;
	/* v3: contextEngineID where v1/v2c have the version. */
	msg_len = (r->r_version == SNMP_VERSION_3 ?
	    1 + ber_len_size(r->r_context_engine_id_len) +
	    r->r_context_engine_id_len : 2 + ber_int_size(r->r_version)) +
	    1 + ber_len_size(r->r_community_len) + r->r_community_len +
	    1 + ber_len_size(pdu_len) + pdu_len;
	*total = 1 + ber_len_size(msg_len) + msg_len;
	if (hdr != NULL) {
		/* Cannot fail: SNMP_REPLY_HDR_MAX covers the worst case. */
		ber_writer_init(&w, hdr, SNMP_REPLY_HDR_MAX);
		(void)ber_put_header(&w, BER_SEQUENCE, msg_len);
		if (r->r_version == SNMP_VERSION_3)
			(void)ber_put_string(&w, BER_OCTET_STRING,
			    r->r_context_engine_id,
			    r->r_context_engine_id_len);
		else
			(void)ber_put_int(&w, BER_INTEGER, r->r_version);
		(void)ber_put_string(&w, BER_OCTET_STRING, r->r_community,
		    r->r_community_len);
		(void)ber_put_header(&w, r->r_pdu_type, pdu_len);
		(void)ber_put_int(&w, BER_INTEGER, r->r_request_id);
		(void)ber_put_int(&w, BER_INTEGER, es);
		(void)ber_put_int(&w, BER_INTEGER, ei);
		(void)ber_put_header(&w, BER_SEQUENCE, vbl_len);
	}
	return *total - vbl_len;
}

/* Bring the varbinds back to the start of buf after a finish. */
static void
reply_unfinish(struct snmp_reply *r)
{
	if (r->r_vbl_off != 0) {
		memmove(r->r_buf, r->r_buf + r->r_vbl_off, r->r_vbl_len);
		r->r_vbl_off = 0;
	}
}

int
snmp_reply_init(struct snmp_reply *r, uint8_t *buf, size_t cap,
    size_t max_msg, int32_t version, const uint8_t *community,
    size_t community_len, int32_t request_id)
{
	size_t total;

	memset(r, 0, sizeof(*r));
	if (community_len > SNMP_MAX_COMMUNITY)
		return SNMP_ECOMMUNITY;
	r->r_buf = buf;
	r->r_limit = buf == NULL ? 0 : cap < max_msg ? cap : max_msg;
	r->r_version = version;
	r->r_community = community;
	r->r_community_len = community_len;
	r->r_request_id = request_id;
	r->r_pdu_type = SNMP_PDU_RESPONSE;
	/* Length fields only grow with what they measure: a bound. */
	r->r_hdr_bound = reply_header(r, r->r_limit, 0, 0, &total, NULL);
	return 0;
}

int
snmp_reply_init_scoped(struct snmp_reply *r, uint8_t *buf, size_t cap,
    size_t max_scoped, const uint8_t *context_engine_id,
    size_t context_engine_id_len, const uint8_t *context_name,
    size_t context_name_len, int32_t request_id)
{
	size_t total;
	int rv;

	if (context_engine_id_len > SNMP_MAX_ENGINE_ID ||
	    context_name_len > SNMP_MAX_CONTEXT_NAME) {
		memset(r, 0, sizeof(*r));
		return SNMP_ECONTEXT;
	}
	if ((rv = snmp_reply_init(r, buf, cap, max_scoped, SNMP_VERSION_3,
	    context_name, context_name_len, request_id)) != 0)
		return rv;
	r->r_context_engine_id = context_engine_id;
	r->r_context_engine_id_len = context_engine_id_len;
	r->r_hdr_bound = reply_header(r, r->r_limit, 0, 0, &total, NULL);
	return 0;
}

int
snmp_reply_set_type(struct snmp_reply *r, uint8_t pdu_type)
{
	if (!pdu_type_known(pdu_type))
		return SNMP_EINVAL;
	r->r_pdu_type = pdu_type;
	return 0;
}

int
snmp_reply_add(struct snmp_reply *r, const struct oid *name,
    const struct snmp_value *v)
{
	struct ber_writer w;
	size_t oid_len, val_size, vb_len, vb_size, total;
	int rv;

	if ((rv = ber_oid_content_len(name, &oid_len)) != 0)
		return rv;
	if ((rv = ber_value_size(v, &val_size)) != 0)
		return rv;
	/* Each term is below 2^17, so nothing here can wrap. */
	if (val_size > r->r_limit)
		return SNMP_ENOFIT;
	vb_len = 1 + ber_len_size(oid_len) + oid_len + val_size;
	vb_size = 1 + ber_len_size(vb_len) + vb_len;
	if (vb_size > r->r_limit - r->r_vbl_len)
		return SNMP_ENOFIT;
	/* Sized exactly only near the limit, where the bound may be loose. */
	if (r->r_hdr_bound > r->r_limit ||
	    r->r_vbl_len + vb_size > r->r_limit - r->r_hdr_bound) {
		(void)reply_header(r, r->r_vbl_len + vb_size, 0, 0, &total,
		    NULL);
		if (total > r->r_limit)
			return SNMP_ENOFIT;
	}
	reply_unfinish(r);
	ber_writer_init(&w, r->r_buf + r->r_vbl_len, vb_size);
	if ((rv = ber_put_header(&w, BER_SEQUENCE, vb_len)) != 0 ||
	    (rv = ber_put_oid_len(&w, name, oid_len)) != 0 ||
	    (rv = ber_put_value(&w, v)) != 0)
		return rv;	/* not reached: every size was checked */
	r->r_vbl_len += vb_size;
	r->r_nvbs++;
	return 0;
}

size_t
snmp_reply_count(const struct snmp_reply *r)
{
	return r->r_nvbs;
}

void
snmp_reply_clear(struct snmp_reply *r)
{
	r->r_vbl_off = 0;
	r->r_vbl_len = 0;
	r->r_nvbs = 0;
}

int
snmp_reply_echo(struct snmp_reply *r, const struct snmp_msg *req)
{
	size_t total;

	if (req->m_vbl_len > r->r_limit)
		return SNMP_ENOFIT;
	(void)reply_header(r, req->m_vbl_len, 0, 0, &total, NULL);
	if (total > r->r_limit)
		return SNMP_ENOFIT;
	r->r_vbl_off = 0;
	if (req->m_vbl_len > 0)
		memmove(r->r_buf, req->m_vbl, req->m_vbl_len);
	r->r_vbl_len = req->m_vbl_len;
	r->r_nvbs = req->m_nvbs_total;
	return 0;
}

int
snmp_reply_finish(struct snmp_reply *r, int32_t error_status,
    int32_t error_index, const uint8_t **msg, size_t *len)
{
	uint8_t hdr[SNMP_REPLY_HDR_MAX];
	size_t hlen, total;

	(void)reply_header(r, r->r_vbl_len, error_status, error_index,
	    &total, NULL);
	if (total > r->r_limit)
		return SNMP_ENOFIT;
	hlen = reply_header(r, r->r_vbl_len, error_status, error_index,
	    &total, hdr);
	if (r->r_vbl_off != hlen) {
		memmove(r->r_buf + hlen, r->r_buf + r->r_vbl_off,
		    r->r_vbl_len);
		r->r_vbl_off = hlen;
	}
	memcpy(r->r_buf, hdr, hlen);
	*msg = r->r_buf;
	*len = total;
	return 0;
}
