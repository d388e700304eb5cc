/*
 * ber: the strict subset of BER (X.690) that SNMP v1/v2c uses, read
 * through a bounds-checked cursor and written forward into a caller's
 * buffer.  Single-octet tags only; definite lengths only, in the short
 * form or in a long form of at most 4 octets that may carry redundant
 * leading zeros (RFC 3417 sec. 8 permits senders those; the writer always
 * uses the shortest form); minimal integers only, except through
 * ber_get_int32_padded.  Everything else is refused with its own code and
 * nothing is repaired.  No allocation, no I/O, no logging.  Messages and
 * PDUs are pdu.h's business; this layer knows TLVs, integers, OIDs and
 * values.
 */
#ifndef PT_BER_H
#define PT_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/oid.h"
#include "snmp/value.h"

/*
 * A length field of more than 4 octets describes more than 4 GiB, which no
 * UDP datagram holds (X.690 8.1.3.5 would allow 126).
 */
#define BER_MAX_LEN_OCTETS	4
/*
 * SNMP v1/v2c nests constructed types exactly 4 deep: Message, PDU,
 * VarBindList, VarBind (RFC 3416 sec. 3, RFC 1157 sec. 4.1).  A
 * constructed value inside a VarBind would be a fifth level.
 */
#define BER_MAX_DEPTH		4
/* Bit 6 of the identifier octet: constructed encoding (X.690 8.1.2.5). */
#define BER_CONSTRUCTED		0x20
/* Low five bits all set: high-tag-number form (X.690 8.1.2.4). */
#define BER_TAG_HIGH		0x1f
/* Longest encodings: INTEGER content of an int32, of a uint64 with pad. */
#define BER_INT32_MAX_OCTETS	4
#define BER_UINT64_MAX_OCTETS	9

/* Every refusal has its own code; pdu.h's codes continue below -40. */
enum ber_error {
	BER_OK = 0,
	BER_ETRUNC = -1,	/* header or content past the end of the data */
	BER_EINDEFINITE = -2,	/* indefinite length (0x80) */
	BER_ELENLONG = -3,	/* length field over BER_MAX_LEN_OCTETS */
	/*
	 * -4 is unused: it was "length not in its shortest form", which RFC
	 * 3417 sec. 8 allows.  The other codes keep their numbers.
	 */
	BER_EHIGHTAG = -5,	/* high-tag-number form */
	BER_ETAG = -6,		/* a specific tag was required, another found */
	BER_ECONSTRUCTED = -7,	/* constructed encoding of a primitive type */
	BER_EDEPTH = -8,	/* nesting deeper than BER_MAX_DEPTH */
	BER_ETRAILING = -9,	/* bytes left after the last element */
	BER_EINTEMPTY = -10,	/* INTEGER with no content octets */
	BER_EINTNONMIN = -11,	/* INTEGER not in its shortest form */
	BER_EINTRANGE = -12,	/* INTEGER outside its type's range */
	BER_ENULLLEN = -13,	/* NULL (or v2c exception) with content */
	BER_EOIDEMPTY = -14,	/* OBJECT IDENTIFIER with no content */
	BER_EOIDTRUNC = -15,	/* last sub-identifier octet has bit 8 set */
	BER_EOIDNONMIN = -16,	/* sub-identifier starting with 0x80 */
	BER_EOIDSUB = -17,	/* sub-identifier over 2^32-1 */
	BER_EOIDLEN = -18,	/* more than OID_MAX_LEN sub-identifiers */
	BER_EOIDARC = -19,	/* encode: under 2 arcs or bad first arcs */
	BER_EIPADDR = -20,	/* IpAddress not exactly 4 octets */
	BER_EVALTYPE = -21,	/* not a value type SNMP v1/v2c defines */
	BER_EVALUE = -22,	/* encode: value out of range for its type */
	BER_ENOSPACE = -23,	/* encode: output buffer too small */
};

/*
 * A read cursor over untrusted bytes: every read tests n > left first.
 * Callers embed it; the members are the interface.
 */
struct ber_cursor {
	const uint8_t	*c_p;
	size_t		 c_left;
};

/* A forward writer into a caller's buffer; callers embed it. */
struct ber_writer {
	uint8_t		*w_buf;
	size_t		 w_cap;
	size_t		 w_pos;		/* bytes written so far */
};

/* A static string naming a ber_error (or "unknown error"). */
const char *ber_strerror(int err);

/* Start a cursor over [p, p + len). */
void	ber_cursor_init(struct ber_cursor *c, const uint8_t *p, size_t len);

/*
 * Read one identifier and length.  On success *tag is the whole identifier
 * octet (class, constructed bit and number, e.g. 0x30 or 0xa2), *len the
 * content length (already checked to be <= what is left), and the cursor
 * points at the content.  A long-form length may use more octets than
 * needed (82 00 05 is 5: RFC 3417 sec. 8), up to BER_MAX_LEN_OCTETS.
 * Refuses BER_ETRUNC, BER_EHIGHTAG, BER_EINDEFINITE, BER_ELENLONG (also
 * for the reserved 0xff).  The cursor is unchanged on error.
 */
int	ber_get_header(struct ber_cursor *c, uint8_t *tag, size_t *len);

/*
 * Read one TLV whose identifier must be want (BER_ETAG otherwise, or
 * BER_ECONSTRUCTED when want is primitive and its constructed form was
 * found).  *content becomes a cursor over the content octets and c moves
 * past the TLV.  Typical use: ber_get_tlv(&c, BER_SEQUENCE, &seq).
 */
int	ber_get_tlv(struct ber_cursor *c, uint8_t want,
	    struct ber_cursor *content);

/* Read an INTEGER TLV (tag BER_INTEGER) in int32 range. */
int	ber_get_int32(struct ber_cursor *c, int32_t *v);

/*
 * As ber_get_int32, but content of at most BER_INT32_MAX_OCTETS octets
 * may carry redundant sign octets (02 04 00 76 d2 f7 is 0x76d2f7, 02 04
 * ff ff ff fe is -2): a fixed-width Integer32 as gosnmp writes request-ids.
 * Longer content is judged as ber_get_int32 does (BER_EINTNONMIN,
 * BER_EINTRANGE).  Only for the request-id field; see snmp_msg_decode.
 */
int	ber_get_int32_padded(struct ber_cursor *c, int32_t *v);

/*
 * Decode INTEGER content octets as a signed integer of at most 32 bits:
 * BER_EINTEMPTY, BER_EINTNONMIN, BER_EINTRANGE.
 */
int	ber_decode_int32(const uint8_t *p, size_t len, int32_t *v);

/*
 * Decode INTEGER content octets as an unsigned integer below 2^bits (bits
 * is 32 or 64).  One leading 0x00 is allowed (and required) before a first
 * octet with bit 8 set; a negative encoding is BER_EINTRANGE.
 */
int	ber_decode_uint(const uint8_t *p, size_t len, unsigned bits,
	    uint64_t *v);

/*
 * Decode OBJECT IDENTIFIER content octets into o (X.690 8.19: the first
 * sub-identifier is 40 * arc1 + arc2, arc1 in 0..2).  Refuses
 * BER_EOIDEMPTY, BER_EOIDTRUNC, BER_EOIDNONMIN, BER_EOIDSUB (each encoded
 * sub-identifier must be <= 2^32-1) and BER_EOIDLEN (more than
 * OID_MAX_LEN arcs).  o is unchanged on error.
 */
int	ber_oid_decode(const uint8_t *p, size_t len, struct oid *o);

/*
 * Encode o as OBJECT IDENTIFIER content octets (no tag, no length) into
 * buf; *outlen gets the length.  Refuses BER_EOIDARC (fewer than two arcs,
 * arc1 > 2, arc2 >= 40 under arc1 0 or 1, or 40 * arc1 + arc2 > 2^32-1)
 * and BER_ENOSPACE.  buf is then in an unspecified state.
 */
int	ber_oid_encode(const struct oid *o, uint8_t *buf, size_t cap,
	    size_t *outlen);

/* Content length of o's encoding, or a negative ber_error (BER_EOIDARC). */
int	ber_oid_content_len(const struct oid *o, size_t *len);

/*
 * Read one varbind value TLV into v: any BER_* type of value.h.  Strings,
 * Opaque, IpAddress and OBJECT IDENTIFIER become views into the data
 * (val_str; an OID's content is validated as ber_oid_decode would).
 * Refuses BER_EVALTYPE for an unknown tag, BER_ECONSTRUCTED for the
 * constructed form of a known one, BER_EDEPTH for any other constructed
 * value, plus the integer, NULL and IpAddress codes.
 */
int	ber_get_value(struct ber_cursor *c, struct snmp_value *v);

/* Octets a definite length field for len takes (1..5). */
size_t	ber_len_size(size_t len);
/* Octets the minimal content of a signed / unsigned integer takes. */
size_t	ber_int_size(int64_t v);
size_t	ber_uint_size(uint64_t v);

/*
 * Size of v's whole TLV, or a negative ber_error when v cannot be encoded
 * (BER_EVALTYPE, BER_EVALUE: INTEGER outside int32 or a 32-bit type over
 * 2^32-1, BER_EIPADDR, BER_EOIDARC).  BER_OBJECT_ID values are encoded
 * from val_oid.
 */
int	ber_value_size(const struct snmp_value *v, size_t *size);

/* Start a writer over buf[0..cap). */
void	ber_writer_init(struct ber_writer *w, uint8_t *buf, size_t cap);

/*
 * The ber_put_* functions append one element and return 0, or
 * BER_ENOSPACE (the writer is then unchanged) or a value error.
 */
int	ber_put_header(struct ber_writer *w, uint8_t tag, size_t len);
int	ber_put_raw(struct ber_writer *w, const void *p, size_t len);
/* INTEGER-encoded tags: minimal two's complement. */
int	ber_put_int(struct ber_writer *w, uint8_t tag, int64_t v);
/* Unsigned types: minimal, with a 0x00 pad when bit 8 would be set. */
int	ber_put_uint(struct ber_writer *w, uint8_t tag, uint64_t v);
int	ber_put_string(struct ber_writer *w, uint8_t tag, const void *p,
	    size_t len);
int	ber_put_oid(struct ber_writer *w, const struct oid *o);
/*
 * ber_put_oid for an o that ber_oid_content_len() accepted, len being what
 * it said: the encoder's hot path measures each OID once, not twice.
 */
int	ber_put_oid_len(struct ber_writer *w, const struct oid *o, size_t len);
/* Any value of value.h (see ber_value_size for its refusals). */
int	ber_put_value(struct ber_writer *w, const struct snmp_value *v);

#endif
