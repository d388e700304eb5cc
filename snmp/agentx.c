/*
 * agentx: reading AgentX PDUs (RFC 2741).  Reading goes through a cursor
 * that tests n > left before every access, in the byte order the PDU's
 * header names; a list (SearchRanges or VarBinds) is checked whole by the
 * decoder and read item by item afterwards, so a PDU of any length costs
 * no storage.  Not here: writing (agentx_write.c), what the PDUs mean to
 * a session (agent/agentx_sess.c).
 */
#include <string.h>

#include "snmp/agentx.h"

static const uint32_t ax_internet[AGENTX_INTERNET_LEN] = AGENTX_INTERNET;

const char *
agentx_strerror(int err)
{
	switch (err) {
	case 0:
		return "no error";
	case AGENTX_ETRUNC:
		return "truncated: a field runs past the end of the PDU";
	case AGENTX_EVERSION:
		return "h.version is not 1";
	case AGENTX_ETYPE:
		return "h.type is not a PDU type of RFC 2741";
	case AGENTX_EFLAGS:
		return "a reserved flag bit is set";
	case AGENTX_ERESERVED:
		return "a reserved field is not zero";
	case AGENTX_EALIGN:
		return "payload length is not a multiple of 4";
	case AGENTX_EBIG:
		return "payload length over the limit";
	case AGENTX_ETRAILING:
		return "octets after the last field";
	case AGENTX_EOIDLEN:
		return "OID over 128 sub-identifiers";
	case AGENTX_EINCLUDE:
		return "include field over 1, or set in a name or a range end";
	case AGENTX_EPADDING:
		return "octet string padding not zero";
	case AGENTX_EVALTYPE:
		return "unknown varbind type";
	case AGENTX_EIPADDR:
		return "IpAddress not 4 octets";
	case AGENTX_ERANGESUBID:
		return "range_subid or upper_bound outside the subtree";
	case AGENTX_EREASON:
		return "unknown Close reason";
	case AGENTX_ENOSPACE:
		return "would not fit the buffer";
	case AGENTX_EVALUE:
		return "value cannot be encoded as its type";
	case AGENTX_EINVAL:
		return "invalid argument";
	default:
		return "unknown error";
	}
}

/* ---- reading ---- */

struct ax_cur {
	const uint8_t	*c_p;
	size_t		 c_left;
	bool		 c_be;
};

static int
ax_get_raw(struct ax_cur *c, size_t n, const uint8_t **p)
{
	if (n > c->c_left)
		return AGENTX_ETRUNC;
	*p = c->c_p;
	c->c_p += n;
	c->c_left -= n;
	return 0;
}

static uint32_t
ax_load32(const uint8_t *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static int
ax_get_u32(struct ax_cur *c, uint32_t *v)
{
	const uint8_t *p;
	int rc;

	if ((rc = ax_get_raw(c, 4, &p)) != 0)
		return rc;
	*v = ax_load32(p, c->c_be);
	return 0;
}

/* Counter64: the more significant half first in network byte order. */
static int
ax_get_u64(struct ax_cur *c, uint64_t *v)
{
	uint32_t a, b;
	int rc;

	if ((rc = ax_get_u32(c, &a)) != 0 || (rc = ax_get_u32(c, &b)) != 0)
		return rc;
	*v = c->c_be ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
	return 0;
}

/*
 * Two 16-bit fields (every 16-bit field of RFC 2741 comes in a pair): as
 * one 32-bit word, the first field is its high half in network byte order
 * and its low half otherwise.
 */
static int
ax_get_u16x2(struct ax_cur *c, uint16_t *a, uint16_t *b)
{
	uint32_t v;
	int rc;

	if ((rc = ax_get_u32(c, &v)) != 0)
		return rc;
	*a = (uint16_t)(c->c_be ? v >> 16 : v);
	*b = (uint16_t)(c->c_be ? v : v >> 16);
	return 0;
}

/*
 * An Object Identifier, RFC 2741 sec. 5.1.  out may be NULL to check and
 * skip one.  include_ok: the field may be 1 (a SearchRange start only).
 */
static int
ax_get_oid(struct ax_cur *c, struct oid *out, bool *include, bool include_ok)
{
	const uint8_t *h, *p;
	size_t n, total, i;
	int rc;

	if ((rc = ax_get_raw(c, AGENTX_OID_HEAD, &h)) != 0)
		return rc;
	n = h[0];
	total = n + (h[1] != 0 ? AGENTX_INTERNET_LEN + 1 : 0);
	if (h[3] != 0)
		return AGENTX_ERESERVED;
	if (h[2] > 1 || (h[2] == 1 && !include_ok))
		return AGENTX_EINCLUDE;
	if (total > OID_MAX_LEN)
		return AGENTX_EOIDLEN;
	if ((rc = ax_get_raw(c, n * 4, &p)) != 0)
		return rc;
	if (include != NULL)
		*include = h[2] == 1;
	if (out == NULL)
		return 0;
	out->o_len = 0;
	if (h[1] != 0) {
		memcpy(out->o_id, ax_internet, sizeof(ax_internet));
		out->o_id[AGENTX_INTERNET_LEN] = h[1];
		out->o_len = AGENTX_INTERNET_LEN + 1;
	}
	for (i = 0; i < n; i++)
		out->o_id[out->o_len++] = ax_load32(p + 4 * i, c->c_be);
	return 0;
}

/* An Octet String, RFC 2741 sec. 5.3: length, octets, zero padding. */
static int
ax_get_octets(struct ax_cur *c, const uint8_t **p, size_t *len)
{
	const uint8_t *pad = NULL;
	uint32_t n;
	size_t npad, i;
	int rc;

	if ((rc = ax_get_u32(c, &n)) != 0)
		return rc;
	if (n > c->c_left)
		return AGENTX_ETRUNC;
	*len = n;
	npad = (4 - n % 4) % 4;
	/* n <= c_left, so n + npad cannot wrap. */
	if (n + npad > c->c_left)
		return AGENTX_ETRUNC;
	(void)ax_get_raw(c, n, p);
	(void)ax_get_raw(c, npad, &pad);
	for (i = 0; i < npad; i++)
		if (pad[i] != 0)
			return AGENTX_EPADDING;
	return 0;
}

static int
ax_get_range(struct ax_cur *c, struct agentx_range *r)
{
	int rc;

	if ((rc = ax_get_oid(c, r != NULL ? &r->ar_start : NULL,
	    r != NULL ? &r->ar_include : NULL, true)) != 0)
		return rc;
	return ax_get_oid(c, r != NULL ? &r->ar_end : NULL, NULL, false);
}

/* A VarBind, RFC 2741 sec. 5.4; vb may be NULL to check and skip one. */
static int
ax_get_varbind(struct ax_cur *c, struct agentx_varbind *vb)
{
	struct snmp_value v;
	uint16_t type, reserved;
	uint32_t u32;
	int rc;

	if ((rc = ax_get_u16x2(c, &type, &reserved)) != 0)
		return rc;
	if (reserved != 0)
		return AGENTX_ERESERVED;
	if ((rc = ax_get_oid(c, vb != NULL ? &vb->av_name : NULL, NULL,
	    false)) != 0)
		return rc;
	if (vb != NULL)
		vb->av_oid_include = false;
	memset(&v, 0, sizeof(v));
	v.val_type = (uint8_t)type;
	switch (type) {
	case BER_INTEGER:
		rc = ax_get_u32(c, &u32);
		v.val_int = (int32_t)u32;
		break;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		rc = ax_get_u32(c, &u32);
		v.val_uint = u32;
		break;
	case BER_COUNTER64:
		rc = ax_get_u64(c, &v.val_uint);
		break;
	case BER_OCTET_STRING:
	case BER_OPAQUE:
	case BER_IPADDRESS:
		rc = ax_get_octets(c, &v.val_str.ptr, &v.val_str.len);
		if (rc == 0 && type == BER_IPADDRESS && v.val_str.len != 4)
			rc = AGENTX_EIPADDR;
		break;
	case BER_OBJECT_ID:
		/* net-snmp sets include in OID values; it means nothing there. */
		rc = ax_get_oid(c, vb != NULL ? &vb->av_oid : NULL,
		    vb != NULL ? &vb->av_oid_include : NULL, true);
		if (vb != NULL)
			v.val_oid = &vb->av_oid;
		break;
	case BER_NULL:
	case BER_NOSUCHOBJECT:
	case BER_NOSUCHINSTANCE:
	case BER_ENDOFMIBVIEW:
		break;
	default:
		return AGENTX_EVALTYPE;
	}
	if (rc == 0 && vb != NULL)
		vb->av_value = v;
	return rc;
}

int
agentx_hdr_decode(const uint8_t *buf, size_t len, struct agentx_hdr *h)
{
	bool be;

	memset(h, 0, sizeof(*h));
	if (len < AGENTX_HDR_LEN)
		return AGENTX_ETRUNC;
	h->h_version = buf[0];
	h->h_type = buf[1];
	h->h_flags = buf[2];
	be = (h->h_flags & AGENTX_F_NETWORK_BYTE_ORDER) != 0;
	h->h_session_id = ax_load32(buf + 4, be);
	h->h_transaction_id = ax_load32(buf + 8, be);
	h->h_packet_id = ax_load32(buf + 12, be);
	h->h_payload_len = ax_load32(buf + 16, be);
	if (h->h_version != AGENTX_VERSION)
		return AGENTX_EVERSION;
	if (h->h_type < AGENTX_PDU_OPEN || h->h_type > AGENTX_PDU_RESPONSE)
		return AGENTX_ETYPE;
	if ((h->h_flags & ~AGENTX_F_DEFINED) != 0)
		return AGENTX_EFLAGS;
	if (buf[3] != 0)
		return AGENTX_ERESERVED;
	if (h->h_payload_len % 4 != 0)
		return AGENTX_EALIGN;
	if (h->h_payload_len > AGENTX_MAX_PAYLOAD)
		return AGENTX_EBIG;
	return 0;
}

int
agentx_frame(const uint8_t *buf, size_t len, size_t *pdu_len)
{
	struct agentx_hdr h;
	int rc;

	*pdu_len = 0;
	if (len < AGENTX_HDR_LEN)
		return 0;
	if ((rc = agentx_hdr_decode(buf, len, &h)) != 0)
		return rc;
	*pdu_len = AGENTX_HDR_LEN + (size_t)h.h_payload_len;
	return len >= *pdu_len ? 1 : 0;
}

/* Check a whole list, counting its items; the cursor ends at its end. */
static int
ax_check_list(struct ax_cur *c, struct agentx_pdu *p, bool ranges)
{
	int rc;

	p->p_list = c->c_p;
	p->p_list_len = c->c_left;
	p->p_list_ranges = ranges;
	while (c->c_left > 0) {
		rc = ranges ? ax_get_range(c, NULL) : ax_get_varbind(c, NULL);
		if (rc != 0)
			return rc;
		p->p_nitems++;
	}
	return 0;
}

/* r.range_subid indexes r.subtree from 1 (RFC 2741 sec. 6.2.3). */
static int
ax_get_upper_bound(struct ax_cur *c, struct agentx_pdu *p)
{
	int rc;

	if (p->p_range_subid == 0)
		return 0;
	if ((rc = ax_get_u32(c, &p->p_upper_bound)) != 0)
		return rc;
	if (p->p_range_subid > p->p_oid.o_len ||
	    p->p_upper_bound < p->p_oid.o_id[p->p_range_subid - 1])
		return AGENTX_ERANGESUBID;
	return 0;
}

/* The payload after any context, laid out as RFC 2741 sec. 6.2 says. */
static int
ax_decode_body(struct ax_cur *c, struct agentx_pdu *p)
{
	const uint8_t *f;
	int rc;

	switch (p->p_hdr.h_type) {
	case AGENTX_PDU_OPEN:
		if ((rc = ax_get_raw(c, 4, &f)) != 0)
			return rc;
		if (f[1] != 0 || f[2] != 0 || f[3] != 0)
			return AGENTX_ERESERVED;
		p->p_timeout = f[0];
		if ((rc = ax_get_oid(c, &p->p_oid, NULL, false)) != 0)
			return rc;
		return ax_get_octets(c, &p->p_descr, &p->p_descr_len);
	case AGENTX_PDU_CLOSE:
		if ((rc = ax_get_raw(c, 4, &f)) != 0)
			return rc;
		if (f[1] != 0 || f[2] != 0 || f[3] != 0)
			return AGENTX_ERESERVED;
		if (f[0] < AGENTX_REASON_OTHER || f[0] > AGENTX_REASON_BYMANAGER)
			return AGENTX_EREASON;
		p->p_reason = f[0];
		return 0;
	case AGENTX_PDU_REGISTER:
	case AGENTX_PDU_UNREGISTER:
		if ((rc = ax_get_raw(c, 4, &f)) != 0)
			return rc;
		/* Unregister's first octet is reserved (sec. 6.2.4). */
		if (f[3] != 0 || (p->p_hdr.h_type == AGENTX_PDU_UNREGISTER &&
		    f[0] != 0))
			return AGENTX_ERESERVED;
		if (p->p_hdr.h_type == AGENTX_PDU_REGISTER)
			p->p_timeout = f[0];
		p->p_priority = f[1];
		p->p_range_subid = f[2];
		if ((rc = ax_get_oid(c, &p->p_oid, NULL, false)) != 0)
			return rc;
		return ax_get_upper_bound(c, p);
	case AGENTX_PDU_GETBULK:
		if ((rc = ax_get_u16x2(c, &p->p_non_repeaters,
		    &p->p_max_repetitions)) != 0)
			return rc;
		/* FALLTHROUGH */
	case AGENTX_PDU_GET:
	case AGENTX_PDU_GETNEXT:
		return ax_check_list(c, p, true);
	case AGENTX_PDU_RESPONSE:
		if ((rc = ax_get_u32(c, &p->p_sysuptime)) != 0 ||
		    (rc = ax_get_u16x2(c, &p->p_error, &p->p_index)) != 0)
			return rc;
		/* FALLTHROUGH */
	case AGENTX_PDU_TESTSET:
	case AGENTX_PDU_NOTIFY:
	case AGENTX_PDU_INDEXALLOCATE:
	case AGENTX_PDU_INDEXDEALLOCATE:
		return ax_check_list(c, p, false);
	case AGENTX_PDU_ADDAGENTCAPS:
		if ((rc = ax_get_oid(c, &p->p_oid, NULL, false)) != 0)
			return rc;
		return ax_get_octets(c, &p->p_descr, &p->p_descr_len);
	case AGENTX_PDU_REMOVEAGENTCAPS:
		return ax_get_oid(c, &p->p_oid, NULL, false);
	default:
		/* CommitSet, UndoSet, CleanupSet, Ping: nothing more. */
		return 0;
	}
}

int
agentx_pdu_decode(const uint8_t *buf, size_t len, struct agentx_pdu *p)
{
	struct ax_cur c;
	struct agentx_hdr h;
	int rc;

	rc = agentx_hdr_decode(buf, len, &h);
	memset(p, 0, sizeof(*p));
	p->p_hdr = h;
	if (rc != 0)
		return rc;
	if (len - AGENTX_HDR_LEN < h.h_payload_len)
		return AGENTX_ETRUNC;
	if (len - AGENTX_HDR_LEN > h.h_payload_len)
		return AGENTX_ETRAILING;
	c.c_p = buf + AGENTX_HDR_LEN;
	c.c_left = h.h_payload_len;
	c.c_be = (h.h_flags & AGENTX_F_NETWORK_BYTE_ORDER) != 0;
	if ((h.h_flags & AGENTX_F_NON_DEFAULT_CONTEXT) != 0 &&
	    (rc = ax_get_octets(&c, &p->p_context, &p->p_context_len)) != 0)
		return rc;
	if ((rc = ax_decode_body(&c, p)) != 0)
		return rc;
	return c.c_left == 0 ? 0 : AGENTX_ETRAILING;
}

void
agentx_iter_init(struct agentx_iter *it, const struct agentx_pdu *p)
{
	it->it_p = p->p_list;
	it->it_left = p->p_list != NULL ? p->p_list_len : 0;
	it->it_be = (p->p_hdr.h_flags & AGENTX_F_NETWORK_BYTE_ORDER) != 0;
	it->it_ranges = p->p_list_ranges;
}

void
agentx_iter_init_written(struct agentx_iter *it, const struct agentx_writer *w,
    size_t from, size_t to)
{
	bool ok = from <= to && to <= w->w_len;

	it->it_p = ok ? w->w_buf + from : NULL;
	it->it_left = ok ? to - from : 0;
	it->it_be = w->w_be;
	it->it_ranges = false;
}

static int
ax_iter_item(struct agentx_iter *it, bool ranges, struct agentx_range *r,
    struct agentx_varbind *vb)
{
	struct ax_cur c;
	int rc;

	if (it->it_left == 0)
		return 0;
	if (it->it_ranges != ranges)
		return AGENTX_EINVAL;
	c.c_p = it->it_p;
	c.c_left = it->it_left;
	c.c_be = it->it_be;
	rc = ranges ? ax_get_range(&c, r) : ax_get_varbind(&c, vb);
	if (rc != 0)
		return rc;
	it->it_p = c.c_p;
	it->it_left = c.c_left;
	return 1;
}

int
agentx_iter_range(struct agentx_iter *it, struct agentx_range *r)
{
	return ax_iter_item(it, true, r, NULL);
}

int
agentx_iter_varbind(struct agentx_iter *it, struct agentx_varbind *vb)
{
	return ax_iter_item(it, false, NULL, vb);
}
