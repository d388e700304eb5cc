/*
 * agentx_write: the AgentX writer and the PDUs a subagent sends (RFC 2741
 * sec. 5, 6.2), forward into a caller's buffer in the byte order the
 * header names.  Each put checks that its whole element fits before it
 * writes its first octet, so a put that does not fit writes nothing and
 * the writer keeps that first error.  Reading: agentx.c.
 */
#include <string.h>

#include "snmp/agentx.h"

static const uint32_t ax_internet[AGENTX_INTERNET_LEN] = AGENTX_INTERNET;

static void
ax_store32(uint8_t *p, uint32_t v, bool be)
{
	if (be) {
		p[0] = (uint8_t)(v >> 24);
		p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
	} else {
		p[3] = (uint8_t)(v >> 24);
		p[2] = (uint8_t)(v >> 16);
		p[1] = (uint8_t)(v >> 8);
		p[0] = (uint8_t)v;
	}
}

static void
ax_store16(uint8_t *p, uint16_t v, bool be)
{
	p[be ? 0 : 1] = (uint8_t)(v >> 8);
	p[be ? 1 : 0] = (uint8_t)v;
}

/*
 * Room for n more octets, or the writer's (new) error.  Every put calls
 * this once with its whole size before writing, so a put that does not
 * fit writes nothing.
 */
static uint8_t *
ax_reserve(struct agentx_writer *w, size_t n)
{
	uint8_t *p;

	if (w->w_err != 0)
		return NULL;
	if (n > w->w_cap - w->w_len) {
		w->w_err = AGENTX_ENOSPACE;
		return NULL;
	}
	p = w->w_buf + w->w_len;
	w->w_len += n;
	return p;
}

int
agentx_write_u8x4(struct agentx_writer *w, uint8_t a, uint8_t b, uint8_t c,
    uint8_t d)
{
	uint8_t *p;

	if ((p = ax_reserve(w, 4)) == NULL)
		return w->w_err;
	p[0] = a;
	p[1] = b;
	p[2] = c;
	p[3] = d;
	return 0;
}

int
agentx_write_u16x2(struct agentx_writer *w, uint16_t a, uint16_t b)
{
	uint8_t *p;

	if ((p = ax_reserve(w, 4)) == NULL)
		return w->w_err;
	ax_store16(p, a, w->w_be);
	ax_store16(p + 2, b, w->w_be);
	return 0;
}

int
agentx_write_u32(struct agentx_writer *w, uint32_t v)
{
	uint8_t *p;

	if ((p = ax_reserve(w, 4)) == NULL)
		return w->w_err;
	ax_store32(p, v, w->w_be);
	return 0;
}

static int
ax_write_u64(struct agentx_writer *w, uint64_t v)
{
	uint8_t *p;

	if ((p = ax_reserve(w, 8)) == NULL)
		return w->w_err;
	ax_store32(p, (uint32_t)(w->w_be ? v >> 32 : v), w->w_be);
	ax_store32(p + 4, (uint32_t)(w->w_be ? v : v >> 32), w->w_be);
	return 0;
}

void
agentx_write_init(struct agentx_writer *w, uint8_t *buf, size_t cap,
    const struct agentx_hdr *h, const uint8_t *context, size_t context_len)
{
	uint8_t *p;

	memset(w, 0, sizeof(*w));
	w->w_buf = buf;
	w->w_cap = cap;
	w->w_be = (h->h_flags & AGENTX_F_NETWORK_BYTE_ORDER) != 0;
	if ((p = ax_reserve(w, AGENTX_HDR_LEN)) != NULL) {
		p[0] = h->h_version;
		p[1] = h->h_type;
		p[2] = h->h_flags;
		p[3] = 0;
		ax_store32(p + 4, h->h_session_id, w->w_be);
		ax_store32(p + 8, h->h_transaction_id, w->w_be);
		ax_store32(p + 12, h->h_packet_id, w->w_be);
		ax_store32(p + 16, 0, w->w_be);
	}
	if ((h->h_flags & AGENTX_F_NON_DEFAULT_CONTEXT) != 0)
		(void)agentx_write_octets(w, context, context_len);
	w->w_body = w->w_len;
}

int
agentx_write_oid(struct agentx_writer *w, const struct oid *o, bool include)
{
	size_t skip = 0, n, i;
	uint8_t prefix = 0, *p;

	if (w->w_err != 0)
		return w->w_err;
	if (o != NULL && o->o_len > OID_MAX_LEN) {
		w->w_err = AGENTX_EVALUE;
		return w->w_err;
	}
	n = o != NULL ? o->o_len : 0;
	if (n > AGENTX_INTERNET_LEN && memcmp(o->o_id, ax_internet,
	    sizeof(ax_internet)) == 0 && o->o_id[AGENTX_INTERNET_LEN] != 0 &&
	    o->o_id[AGENTX_INTERNET_LEN] <= UINT8_MAX) {
		prefix = (uint8_t)o->o_id[AGENTX_INTERNET_LEN];
		skip = AGENTX_INTERNET_LEN + 1;
	}
	if ((p = ax_reserve(w, AGENTX_OID_HEAD + 4 * (n - skip))) == NULL)
		return w->w_err;
	p[0] = (uint8_t)(n - skip);
	p[1] = prefix;
	p[2] = include ? 1 : 0;
	p[3] = 0;
	for (i = skip; i < n; i++)
		ax_store32(p + AGENTX_OID_HEAD + 4 * (i - skip), o->o_id[i],
		    w->w_be);
	return 0;
}

int
agentx_write_octets(struct agentx_writer *w, const uint8_t *s, size_t len)
{
	size_t npad;
	uint8_t *p;

	if (w->w_err != 0)
		return w->w_err;
	if (s == NULL && len > 0) {
		w->w_err = AGENTX_EINVAL;
		return w->w_err;
	}
	/* Past the payload limit it could never be sent; also no wrap. */
	if (len > AGENTX_MAX_PAYLOAD) {
		w->w_err = AGENTX_ENOSPACE;
		return w->w_err;
	}
	npad = (4 - len % 4) % 4;
	if ((p = ax_reserve(w, 4 + len + npad)) == NULL)
		return w->w_err;
	ax_store32(p, (uint32_t)len, w->w_be);
	if (len > 0)
		memcpy(p + 4, s, len);
	memset(p + 4 + len, 0, npad);
	return 0;
}

int
agentx_write_range(struct agentx_writer *w, const struct agentx_range *r)
{
	size_t mark = w->w_len;

	if (agentx_write_oid(w, &r->ar_start, r->ar_include) != 0 ||
	    agentx_write_oid(w, &r->ar_end, false) != 0) {
		/* Whole or nothing: drop a start put without its end. */
		w->w_len = mark;
		return w->w_err;
	}
	return 0;
}

/* Check a value before anything of its varbind is written. */
static int
ax_value_ok(const struct snmp_value *v)
{
	switch (v->val_type) {
	case BER_INTEGER:
		return v->val_int >= INT32_MIN && v->val_int <= INT32_MAX;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		return v->val_uint <= UINT32_MAX;
	case BER_IPADDRESS:
		return v->val_str.len == 4;
	case BER_OBJECT_ID:
		return v->val_oid != NULL && v->val_oid->o_len <= OID_MAX_LEN;
	case BER_OCTET_STRING:
	case BER_OPAQUE:
		return v->val_str.len == 0 || v->val_str.ptr != NULL;
	case BER_COUNTER64:
	case BER_NULL:
	case BER_NOSUCHOBJECT:
	case BER_NOSUCHINSTANCE:
	case BER_ENDOFMIBVIEW:
		return 1;
	default:
		return 0;
	}
}

static int
ax_write_varbind(struct agentx_writer *w, const struct oid *name,
    const struct snmp_value *v, bool oid_include)
{
	size_t mark = w->w_len;

	if (w->w_err != 0)
		return w->w_err;
	if (!ax_value_ok(v)) {
		w->w_err = AGENTX_EVALUE;
		return w->w_err;
	}
	(void)agentx_write_u16x2(w, v->val_type, 0);
	(void)agentx_write_oid(w, name, false);
	switch (v->val_type) {
	case BER_INTEGER:
		(void)agentx_write_u32(w, (uint32_t)(int32_t)v->val_int);
		break;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		(void)agentx_write_u32(w, (uint32_t)v->val_uint);
		break;
	case BER_COUNTER64:
		(void)ax_write_u64(w, v->val_uint);
		break;
	case BER_OCTET_STRING:
	case BER_OPAQUE:
	case BER_IPADDRESS:
		(void)agentx_write_octets(w, v->val_str.ptr, v->val_str.len);
		break;
	case BER_OBJECT_ID:
		(void)agentx_write_oid(w, v->val_oid, oid_include);
		break;
	default:
		break;
	}
	if (w->w_err != 0)
		w->w_len = mark;
	return w->w_err;
}

int
agentx_write_varbind(struct agentx_writer *w, const struct oid *name,
    const struct snmp_value *v)
{
	return ax_write_varbind(w, name, v, false);
}

int
agentx_write_decoded(struct agentx_writer *w, const struct agentx_varbind *vb)
{
	struct snmp_value v = vb->av_value;

	if (v.val_type == BER_OBJECT_ID)
		v.val_oid = &vb->av_oid;
	return ax_write_varbind(w, &vb->av_name, &v, vb->av_oid_include);
}

int
agentx_write_response(struct agentx_writer *w, uint32_t sysuptime,
    uint16_t error, uint16_t index)
{
	size_t mark = w->w_len;

	if (agentx_write_u32(w, sysuptime) != 0 ||
	    agentx_write_u16x2(w, error, index) != 0) {
		w->w_len = mark;
		return w->w_err;
	}
	return 0;
}

void
agentx_write_response_error(struct agentx_writer *w, uint16_t error,
    uint16_t index)
{
	if (w->w_len < w->w_body + 8)
		return;
	ax_store16(w->w_buf + w->w_body + 4, error, w->w_be);
	ax_store16(w->w_buf + w->w_body + 6, index, w->w_be);
}

size_t
agentx_write_mark(const struct agentx_writer *w)
{
	return w->w_err == 0 ? w->w_len : SIZE_MAX;
}

void
agentx_write_rewind(struct agentx_writer *w, size_t mark)
{
	if (mark == SIZE_MAX || mark > w->w_len)
		return;
	w->w_len = mark;
	w->w_err = 0;
}

int
agentx_write_finish(struct agentx_writer *w, size_t *len)
{
	size_t payload;

	*len = 0;
	if (w->w_err != 0)
		return w->w_err;
	payload = w->w_len - AGENTX_HDR_LEN;
	if (payload > AGENTX_MAX_PAYLOAD)
		return AGENTX_EBIG;
	if (payload % 4 != 0)
		return AGENTX_EINVAL;
	ax_store32(w->w_buf + 16, (uint32_t)payload, w->w_be);
	*len = w->w_len;
	return 0;
}

static void
ax_begin(struct agentx_writer *w, uint8_t *buf, size_t cap,
    const struct agentx_hdr *h, uint8_t type, const uint8_t *context,
    size_t context_len)
{
	struct agentx_hdr hh = *h;

	hh.h_type = type;
	agentx_write_init(w, buf, cap, &hh, context, context_len);
}

int
agentx_encode_open(uint8_t *buf, size_t cap, const struct agentx_hdr *h,
    uint8_t timeout, const struct oid *id, const uint8_t *descr,
    size_t descr_len, size_t *len)
{
	struct agentx_writer w;

	ax_begin(&w, buf, cap, h, AGENTX_PDU_OPEN, NULL, 0);
	(void)agentx_write_u8x4(&w, timeout, 0, 0, 0);
	(void)agentx_write_oid(&w, id, false);
	(void)agentx_write_octets(&w, descr, descr_len);
	return agentx_write_finish(&w, len);
}

int
agentx_encode_close(uint8_t *buf, size_t cap, const struct agentx_hdr *h,
    uint8_t reason, size_t *len)
{
	struct agentx_writer w;

	ax_begin(&w, buf, cap, h, AGENTX_PDU_CLOSE, NULL, 0);
	(void)agentx_write_u8x4(&w, reason, 0, 0, 0);
	return agentx_write_finish(&w, len);
}

/* Register and Unregister share a layout but for their first octet. */
static int
ax_encode_reg(uint8_t type, uint8_t *buf, size_t cap,
    const struct agentx_hdr *h, const uint8_t *context, size_t context_len,
    uint8_t timeout, uint8_t priority, const struct oid *subtree,
    uint8_t range_subid, uint32_t upper_bound, size_t *len)
{
	struct agentx_writer w;

	ax_begin(&w, buf, cap, h, type, context, context_len);
	(void)agentx_write_u8x4(&w, timeout, priority, range_subid, 0);
	(void)agentx_write_oid(&w, subtree, false);
	if (range_subid != 0)
		(void)agentx_write_u32(&w, upper_bound);
	return agentx_write_finish(&w, len);
}

int
agentx_encode_register(uint8_t *buf, size_t cap, const struct agentx_hdr *h,
    const uint8_t *context, size_t context_len, uint8_t timeout,
    uint8_t priority, const struct oid *subtree, uint8_t range_subid,
    uint32_t upper_bound, size_t *len)
{
	return ax_encode_reg(AGENTX_PDU_REGISTER, buf, cap, h, context,
	    context_len, timeout, priority, subtree, range_subid, upper_bound,
	    len);
}

int
agentx_encode_unregister(uint8_t *buf, size_t cap,
    const struct agentx_hdr *h, const uint8_t *context, size_t context_len,
    uint8_t priority, const struct oid *subtree, uint8_t range_subid,
    uint32_t upper_bound, size_t *len)
{
	return ax_encode_reg(AGENTX_PDU_UNREGISTER, buf, cap, h, context,
	    context_len, 0, priority, subtree, range_subid, upper_bound, len);
}

int
agentx_encode_ping(uint8_t *buf, size_t cap, const struct agentx_hdr *h,
    const uint8_t *context, size_t context_len, size_t *len)
{
	struct agentx_writer w;

	ax_begin(&w, buf, cap, h, AGENTX_PDU_PING, context, context_len);
	return agentx_write_finish(&w, len);
}
