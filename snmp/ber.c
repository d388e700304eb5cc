/*
 * ber: strict BER primitives for SNMP v1/v2c.  Two leniencies, each for
 * senders that exist: long-form lengths with redundant leading zero
 * octets (RFC 3417 sec. 8 allows them) and, through ber_get_int32_padded
 * only, padded request-ids (gosnmp).  The writer is minimal throughout.
 * Reading goes through a cursor that tests n > left before every access;
 * writing goes forward into a caller's buffer and checks the whole
 * element fits before the first byte is written, so a failed put leaves
 * the writer unchanged.
 * Not here: message and PDU structure (pdu.c).  No allocation, no I/O.
 */
#include <string.h>

#include "snmp/ber.h"

const char *
ber_strerror(int err)
{
	switch (err) {
	case BER_OK:
		return "no error";
	case BER_ETRUNC:
		return "truncated: length beyond the end of the data";
	case BER_EINDEFINITE:
		return "indefinite length";
	case BER_ELENLONG:
		return "length field longer than 4 octets";
	case BER_EHIGHTAG:
		return "high-tag-number form";
	case BER_ETAG:
		return "unexpected tag";
	case BER_ECONSTRUCTED:
		return "constructed encoding of a primitive type";
	case BER_EDEPTH:
		return "nesting deeper than SNMP uses";
	case BER_ETRAILING:
		return "trailing bytes inside a constructed element";
	case BER_EINTEMPTY:
		return "INTEGER without content";
	case BER_EINTNONMIN:
		return "INTEGER not in its shortest form";
	case BER_EINTRANGE:
		return "INTEGER out of range for its type";
	case BER_ENULLLEN:
		return "NULL with content";
	case BER_EOIDEMPTY:
		return "OBJECT IDENTIFIER without content";
	case BER_EOIDTRUNC:
		return "OBJECT IDENTIFIER ends inside a sub-identifier";
	case BER_EOIDNONMIN:
		return "sub-identifier not in its shortest form";
	case BER_EOIDSUB:
		return "sub-identifier over 4294967295";
	case BER_EOIDLEN:
		return "OBJECT IDENTIFIER over 128 sub-identifiers";
	case BER_EOIDARC:
		return "OBJECT IDENTIFIER with invalid first arcs";
	case BER_EIPADDR:
		return "IpAddress not 4 octets";
	case BER_EVALTYPE:
		return "unknown value type";
	case BER_EVALUE:
		return "value out of range for its type";
	case BER_ENOSPACE:
		return "output buffer too small";
	default:
		return "unknown error";
	}
}

void
ber_cursor_init(struct ber_cursor *c, const uint8_t *p, size_t len)
{
	c->c_p = p;
	c->c_left = len;
}

int
ber_get_header(struct ber_cursor *c, uint8_t *tag, size_t *len)
{
	const uint8_t *p = c->c_p;
	size_t left = c->c_left, n, i, v;
	uint8_t t, l;

	if (1 > left)
		return BER_ETRUNC;
	t = p[0];
	if ((t & BER_TAG_HIGH) == BER_TAG_HIGH)
		return BER_EHIGHTAG;
	if (2 > left)
		return BER_ETRUNC;
	l = p[1];
	p += 2;
	left -= 2;
	if (l < 0x80)
		v = l;
	else if (l == 0x80)
		return BER_EINDEFINITE;
	else {
		/* Long form; 0xff (reserved by X.690) falls under too long. */
		n = l & 0x7f;
		if (n > BER_MAX_LEN_OCTETS)
			return BER_ELENLONG;
		if (n > left)
			return BER_ETRUNC;
		/*
		 * No minimality check: RFC 3417 sec. 8 lets senders use more
		 * length octets than needed (81 05, 82 00 05).  The 4-octet
		 * cap bounds v below 2^32, so nothing here can wrap.
		 */
		v = 0;
		for (i = 0; i < n; i++)
			v = v << 8 | p[i];
		p += n;
		left -= n;
	}
	if (v > left)
		return BER_ETRUNC;
	c->c_p = p;
	c->c_left = left;
	*tag = t;
	*len = v;
	return 0;
}

int
ber_get_tlv(struct ber_cursor *c, uint8_t want, struct ber_cursor *content)
{
	struct ber_cursor save = *c;
	uint8_t tag;
	size_t len;
	int rv;

	if ((rv = ber_get_header(c, &tag, &len)) != 0)
		return rv;
	if (tag != want) {
		*c = save;
		if ((want & BER_CONSTRUCTED) == 0 &&
		    tag == (want | BER_CONSTRUCTED))
			return BER_ECONSTRUCTED;
		return BER_ETAG;
	}
	content->c_p = c->c_p;
	content->c_left = len;
	c->c_p += len;
	c->c_left -= len;
	return 0;
}

/* Shared by signed and unsigned readers: X.690 8.3.2. */
static int
int_check_minimal(const uint8_t *p, size_t len)
{
	if (len == 0)
		return BER_EINTEMPTY;
	if (len >= 2 && ((p[0] == 0x00 && (p[1] & 0x80) == 0) ||
	    (p[0] == 0xff && (p[1] & 0x80) != 0)))
		return BER_EINTNONMIN;
	return 0;
}

/* Content of 1..BER_INT32_MAX_OCTETS octets, minimal or not, as int32. */
static void
int32_from_octets(const uint8_t *p, size_t len, int32_t *v)
{
	uint32_t u;
	size_t i;

	/* Sign-extend from the first octet, then shift in the rest. */
	u = (p[0] & 0x80) ? UINT32_MAX : 0;
	for (i = 0; i < len; i++)
		u = u << 8 | p[i];
	/* Two's complement conversion without implementation-defined casts. */
	if (u > INT32_MAX)
		*v = -(int32_t)(UINT32_MAX - u) - 1;
	else
		*v = (int32_t)u;
}

int
ber_decode_int32(const uint8_t *p, size_t len, int32_t *v)
{
	int rv;

	if ((rv = int_check_minimal(p, len)) != 0)
		return rv;
	if (len > BER_INT32_MAX_OCTETS)
		return BER_EINTRANGE;
	int32_from_octets(p, len, v);
	return 0;
}

int
ber_decode_uint(const uint8_t *p, size_t len, unsigned bits, uint64_t *v)
{
	uint64_t u = 0;
	size_t i;
	int rv;

	if ((rv = int_check_minimal(p, len)) != 0)
		return rv;
	if (p[0] & 0x80)
		return BER_EINTRANGE;
	/* Minimality already forces the 0x00 to be a needed pad. */
	if (p[0] == 0x00 && len > 1) {
		p++;
		len--;
	}
	if (len > bits / 8)
		return BER_EINTRANGE;
	for (i = 0; i < len; i++)
		u = u << 8 | p[i];
	*v = u;
	return 0;
}

int
ber_get_int32(struct ber_cursor *c, int32_t *v)
{
	struct ber_cursor save = *c, in;
	int rv;

	if ((rv = ber_get_tlv(c, BER_INTEGER, &in)) != 0)
		return rv;
	if ((rv = ber_decode_int32(in.c_p, in.c_left, v)) != 0)
		*c = save;
	return rv;
}

/*
 * X.690 8.3.2 wants minimal integers, but gosnmp (Prometheus
 * snmp_exporter, Telegraf) writes every request-id as 4 octets, so one
 * request in 256 (ids below 2^23) would be refused.  Any 1..4 octets are
 * a valid Integer32 in two's complement, whatever their sign octets.
 */
int
ber_get_int32_padded(struct ber_cursor *c, int32_t *v)
{
	struct ber_cursor save = *c, in;
	int rv;

	if ((rv = ber_get_tlv(c, BER_INTEGER, &in)) != 0)
		return rv;
	if (in.c_left == 0)
		rv = BER_EINTEMPTY;
	else if (in.c_left > BER_INT32_MAX_OCTETS)
		rv = ber_decode_int32(in.c_p, in.c_left, v);
	else
		int32_from_octets(in.c_p, in.c_left, v);
	if (rv != 0)
		*c = save;
	return rv;
}

/*
 * Walk OID content octets; store the arcs when out is not NULL.  Encoded
 * sub-identifiers are capped at 2^32-1 (RFC 2578 sec. 3.5), which also
 * bounds the second arc under arc 2 to 2^32-1-80.
 */
static int
oid_walk(const uint8_t *p, size_t len, struct oid *out)
{
	size_t i = 0, n = 0;
	uint64_t v;
	uint8_t b;

	if (len == 0)
		return BER_EOIDEMPTY;
	while (i < len) {
		/* A leading 0x80 octet adds nothing: X.690 8.19.2. */
		if (p[i] == 0x80)
			return BER_EOIDNONMIN;
		v = 0;
		do {
			if (i >= len)
				return BER_EOIDTRUNC;
			b = p[i++];
			v = v << 7 | (b & 0x7f);
			if (v > UINT32_MAX)
				return BER_EOIDSUB;
		} while (b & 0x80);
		if (n == 0) {
			if (n + 2 > OID_MAX_LEN)
				return BER_EOIDLEN;
			if (out != NULL) {
				if (v < 40) {
					out->o_id[0] = 0;
					out->o_id[1] = (uint32_t)v;
				} else if (v < 80) {
					out->o_id[0] = 1;
					out->o_id[1] = (uint32_t)(v - 40);
				} else {
					out->o_id[0] = 2;
					out->o_id[1] = (uint32_t)(v - 80);
				}
			}
			n = 2;
		} else {
			if (n + 1 > OID_MAX_LEN)
				return BER_EOIDLEN;
			if (out != NULL)
				out->o_id[n] = (uint32_t)v;
			n++;
		}
	}
	if (out != NULL)
		out->o_len = n;
	return 0;
}

int
ber_oid_decode(const uint8_t *p, size_t len, struct oid *o)
{
	int rv;

	/* Validate first so that o is untouched on error. */
	if ((rv = oid_walk(p, len, NULL)) != 0)
		return rv;
	return oid_walk(p, len, o);
}

static size_t
subid_size(uint32_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static int
oid_first_subid(const struct oid *o, uint32_t *first)
{
	uint64_t v;

	if (o->o_len < 2 || o->o_len > OID_MAX_LEN || o->o_id[0] > 2)
		return BER_EOIDARC;
	if (o->o_id[0] < 2 && o->o_id[1] >= 40)
		return BER_EOIDARC;
	v = (uint64_t)o->o_id[0] * 40 + o->o_id[1];
	if (v > UINT32_MAX)
		return BER_EOIDARC;
	*first = (uint32_t)v;
	return 0;
}

int
ber_oid_content_len(const struct oid *o, size_t *len)
{
	uint32_t first;
	size_t i, n;
	int rv;

	if ((rv = oid_first_subid(o, &first)) != 0)
		return rv;
	n = subid_size(first);
	for (i = 2; i < o->o_len; i++)
		n += subid_size(o->o_id[i]);
	*len = n;
	return 0;
}

static void
subid_write(uint8_t *p, uint32_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		p[n - 1 - i] = (uint8_t)((v & 0x7f) | (i > 0 ? 0x80 : 0));
		v >>= 7;
	}
}

/*
 * Write o's content octets; the caller has validated o with
 * ber_oid_content_len and checked the length fits.
 */
static void
oid_write(const struct oid *o, uint8_t *p)
{
	uint32_t first = o->o_id[0] * 40 + o->o_id[1];
	size_t i, n;

	n = subid_size(first);
	subid_write(p, first, n);
	p += n;
	for (i = 2; i < o->o_len; i++) {
		if (o->o_id[i] < 0x80) {	/* most sub-ids: one octet */
			*p++ = (uint8_t)o->o_id[i];
			continue;
		}
		n = subid_size(o->o_id[i]);
		subid_write(p, o->o_id[i], n);
		p += n;
	}
}

int
ber_oid_encode(const struct oid *o, uint8_t *buf, size_t cap, size_t *outlen)
{
	size_t len;
	int rv;

	if ((rv = ber_oid_content_len(o, &len)) != 0)
		return rv;
	if (len > cap)
		return BER_ENOSPACE;
	oid_write(o, buf);
	*outlen = len;
	return 0;
}

static bool
tag_is_value_type(uint8_t t)
{
	switch (t) {
	case BER_INTEGER:
	case BER_OCTET_STRING:
	case BER_NULL:
	case BER_OBJECT_ID:
	case BER_IPADDRESS:
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_OPAQUE:
	case BER_COUNTER64:
	case BER_NOSUCHOBJECT:
	case BER_NOSUCHINSTANCE:
	case BER_ENDOFMIBVIEW:
		return true;
	default:
		return false;
	}
}

int
ber_get_value(struct ber_cursor *c, struct snmp_value *v)
{
	struct ber_cursor save = *c;
	struct snmp_value out;
	const uint8_t *p;
	uint8_t tag;
	size_t len;
	int32_t i32;
	int rv;

	if ((rv = ber_get_header(c, &tag, &len)) != 0)
		return rv;
	p = c->c_p;
	memset(&out, 0, sizeof(out));
	out.val_type = tag;
	switch (tag) {
	case BER_INTEGER:
		if ((rv = ber_decode_int32(p, len, &i32)) == 0)
			out.val_int = i32;
		break;
	case BER_IPADDRESS:
		if (len != 4) {
			rv = BER_EIPADDR;
			break;
		}
		/* FALLTHROUGH */
	case BER_OCTET_STRING:
	case BER_OPAQUE:
		out.val_str.ptr = p;
		out.val_str.len = len;
		break;
	case BER_OBJECT_ID:
		if ((rv = oid_walk(p, len, NULL)) == 0) {
			out.val_str.ptr = p;
			out.val_str.len = len;
		}
		break;
	case BER_NULL:
	case BER_NOSUCHOBJECT:
	case BER_NOSUCHINSTANCE:
	case BER_ENDOFMIBVIEW:
		if (len != 0)
			rv = BER_ENULLLEN;
		break;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		rv = ber_decode_uint(p, len, 32, &out.val_uint);
		break;
	case BER_COUNTER64:
		rv = ber_decode_uint(p, len, 64, &out.val_uint);
		break;
	default:
		if ((tag & BER_CONSTRUCTED) == 0)
			rv = BER_EVALTYPE;
		else if (tag_is_value_type(tag & ~BER_CONSTRUCTED))
			rv = BER_ECONSTRUCTED;
		else
			rv = BER_EDEPTH;
		break;
	}
	if (rv != 0) {
		*c = save;
		return rv;
	}
	c->c_p += len;
	c->c_left -= len;
	*v = out;
	return 0;
}

size_t
ber_len_size(size_t len)
{
	size_t n = 1;

	if (len < 0x80)
		return 1;
	while (len != 0) {
		len >>= 8;
		n++;
	}
	return n;
}

size_t
ber_int_size(int64_t v)
{
	size_t n = 1;

	/* n octets hold -2^(8n-1) .. 2^(8n-1)-1. */
	while (n < 8) {
		int64_t lim = (int64_t)1 << (8 * n - 1);

		if (v >= -lim && v < lim)
			break;
		n++;
	}
	return n;
}

size_t
ber_uint_size(uint64_t v)
{
	size_t n = 1;

	/* n octets hold 0 .. 2^(8n-1)-1 with bit 8 of the first clear. */
	while (n < 9 && (v >> (8 * n - 1)) != 0)
		n++;
	return n;
}

/* Content length of a value, after checking it can be encoded. */
static int
value_content_len(const struct snmp_value *v, size_t *len)
{
	switch (v->val_type) {
	case BER_INTEGER:
		if (v->val_int < INT32_MIN || v->val_int > INT32_MAX)
			return BER_EVALUE;
		*len = ber_int_size(v->val_int);
		return 0;
	case BER_IPADDRESS:
		if (v->val_str.len != 4)
			return BER_EIPADDR;
		/* FALLTHROUGH */
	case BER_OCTET_STRING:
	case BER_OPAQUE:
		/*
		 * Past 2^32-1 the length field would need a fifth octet, and
		 * near SIZE_MAX the TLV size would wrap.
		 */
		if ((v->val_str.ptr == NULL && v->val_str.len != 0) ||
		    v->val_str.len > UINT32_MAX)
			return BER_EVALUE;
		*len = v->val_str.len;
		return 0;
	case BER_OBJECT_ID:
		if (v->val_oid == NULL)
			return BER_EVALUE;
		return ber_oid_content_len(v->val_oid, len);
	case BER_NULL:
	case BER_NOSUCHOBJECT:
	case BER_NOSUCHINSTANCE:
	case BER_ENDOFMIBVIEW:
		*len = 0;
		return 0;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		if (v->val_uint > UINT32_MAX)
			return BER_EVALUE;
		/* FALLTHROUGH */
	case BER_COUNTER64:
		*len = ber_uint_size(v->val_uint);
		return 0;
	default:
		return BER_EVALTYPE;
	}
}

int
ber_value_size(const struct snmp_value *v, size_t *size)
{
	size_t len;
	int rv;

	if ((rv = value_content_len(v, &len)) != 0)
		return rv;
	*size = 1 + ber_len_size(len) + len;
	return 0;
}

void
ber_writer_init(struct ber_writer *w, uint8_t *buf, size_t cap)
{
	w->w_buf = buf;
	w->w_cap = cap;
	w->w_pos = 0;
}

/* Is there room for n more octets? */
static bool
writer_room(const struct ber_writer *w, size_t n)
{
	return n <= w->w_cap - w->w_pos;
}

/* Identifier and length; the caller has checked the room. */
static void
header_write(struct ber_writer *w, uint8_t tag, size_t len)
{
	size_t n = ber_len_size(len), i;
	uint8_t *p = w->w_buf + w->w_pos;

	p[0] = tag;
	if (n == 1)
		p[1] = (uint8_t)len;
	else {
		p[1] = (uint8_t)(0x80 | (n - 1));
		for (i = 0; i < n - 1; i++)
			p[n - i] = (uint8_t)(len >> (8 * i));
	}
	w->w_pos += 1 + n;
}

int
ber_put_header(struct ber_writer *w, uint8_t tag, size_t len)
{
	size_t n = ber_len_size(len);

	if (n - 1 > BER_MAX_LEN_OCTETS)
		return BER_EVALUE;
	if (!writer_room(w, 1 + n))
		return BER_ENOSPACE;
	header_write(w, tag, len);
	return 0;
}

int
ber_put_raw(struct ber_writer *w, const void *p, size_t len)
{
	if (!writer_room(w, len))
		return BER_ENOSPACE;
	if (len > 0)
		memcpy(w->w_buf + w->w_pos, p, len);
	w->w_pos += len;
	return 0;
}

/* Write the low n octets of u, most significant first. */
static void
uint_write(struct ber_writer *w, uint64_t u, size_t n)
{
	size_t i, shift;

	for (i = 0; i < n; i++) {
		shift = 8 * (n - 1 - i);
		w->w_buf[w->w_pos++] = shift >= 64 ? 0 : (uint8_t)(u >> shift);
	}
}

int
ber_put_int(struct ber_writer *w, uint8_t tag, int64_t v)
{
	size_t n = ber_int_size(v);

	if (!writer_room(w, 2 + n))
		return BER_ENOSPACE;
	header_write(w, tag, n);
	uint_write(w, (uint64_t)v, n);
	return 0;
}

int
ber_put_uint(struct ber_writer *w, uint8_t tag, uint64_t v)
{
	size_t n = ber_uint_size(v);

	if (!writer_room(w, 2 + n))
		return BER_ENOSPACE;
	header_write(w, tag, n);
	uint_write(w, v, n);
	return 0;
}

int
ber_put_string(struct ber_writer *w, uint8_t tag, const void *p, size_t len)
{
	size_t n = ber_len_size(len);

	if (n - 1 > BER_MAX_LEN_OCTETS)
		return BER_EVALUE;
	if (len > w->w_cap || !writer_room(w, 1 + n + len))
		return BER_ENOSPACE;
	header_write(w, tag, len);
	if (len > 0)
		memcpy(w->w_buf + w->w_pos, p, len);
	w->w_pos += len;
	return 0;
}

int
ber_put_oid(struct ber_writer *w, const struct oid *o)
{
	size_t len;
	int rv;

	if ((rv = ber_oid_content_len(o, &len)) != 0)
		return rv;
	return ber_put_oid_len(w, o, len);
}

int
ber_put_oid_len(struct ber_writer *w, const struct oid *o, size_t len)
{
	if (!writer_room(w, 1 + ber_len_size(len) + len))
		return BER_ENOSPACE;
	header_write(w, BER_OBJECT_ID, len);
	oid_write(o, w->w_buf + w->w_pos);
	w->w_pos += len;
	return 0;
}

int
ber_put_value(struct ber_writer *w, const struct snmp_value *v)
{
	size_t size;
	int rv;

	if ((rv = ber_value_size(v, &size)) != 0)
		return rv;
	if (!writer_room(w, size))
		return BER_ENOSPACE;
	switch (v->val_type) {
	case BER_INTEGER:
		return ber_put_int(w, v->val_type, v->val_int);
	case BER_IPADDRESS:
	case BER_OCTET_STRING:
	case BER_OPAQUE:
		return ber_put_string(w, v->val_type, v->val_str.ptr,
		    v->val_str.len);
	case BER_OBJECT_ID:
		return ber_put_oid(w, v->val_oid);
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_COUNTER64:
		return ber_put_uint(w, v->val_type, v->val_uint);
	default:
		/* NULL and the v2c exceptions: ber_value_size vetted it. */
		return ber_put_header(w, v->val_type, 0);
	}
}
