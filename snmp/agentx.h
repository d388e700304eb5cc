/*
 * agentx: AgentX PDUs (RFC 2741) decoded from bytes into views and
 * encoded into a caller's buffer.  The codec beside the SNMP one (pdu.h),
 * under the same rules: no I/O, no logging, no allocation; every length is
 * checked before it is used; each way a PDU can be wrong is refused with
 * its own code and nothing is repaired.  Not here: the subagent session
 * and its state (agent/agentx_sess.h), sockets, MIB lookups.  Reading is
 * snmp/agentx.c, writing snmp/agentx_write.c.
 *
 * Strictness.  Reserved octets and flag bits, string padding and the
 * include field of a varbind name or a SearchRange end must be zero (an
 * include field is 0 or 1 where it is allowed); a Close reason
 * must be one RFC 2741 sec. 6.2.2 names.  With these, an accepted PDU
 * re-encoded from its decoded fields gives the same bytes, except that
 * the writer always uses the OID prefix compression of sec. 5.1 where it
 * applies, so it is never longer.  The one leniency is the context: a
 * context is read in any PDU whose NON_DEFAULT_CONTEXT flag is set, as
 * net-snmp sets the flag (with an empty context) on Responses too
 * (notes/agentx.md sec. 3).
 *
 * Byte order.  Each PDU says its own (h.flags NETWORK_BYTE_ORDER, RFC 2741
 * sec. 6.1); the decoder reads both and the writer writes whichever the
 * header it is given says.
 *
 * Varbind types are value.h's BER_* tags: RFC 2741 sec. 5.4 numbers them
 * the same (Integer 2 ... Counter64 70, noSuchObject 128 ... 130).
 */
#ifndef PT_AGENTX_H
#define PT_AGENTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/oid.h"
#include "snmp/value.h"

#define AGENTX_VERSION		1	/* h.version, RFC 2741 sec. 6.1 */
#define AGENTX_HDR_LEN		20
/*
 * Largest payload accepted or written.  RFC 2741 sets none.  A master
 * turns one SNMP message (at most 65507 octets over UDP) into one PDU per
 * subagent, and an AgentX OID takes 4 octets per sub-identifier where BER
 * takes 1 or 2: 256 KiB holds four times the largest message.
 */
#define AGENTX_MAX_PAYLOAD	(256 * 1024)
#define AGENTX_MAX_PDU		(AGENTX_HDR_LEN + AGENTX_MAX_PAYLOAD)

/*
 * OIDs, RFC 2741 sec. 5.1: a 4-octet head (n_subid, prefix, include,
 * reserved), then n_subid 4-octet sub-ids; a non-zero prefix p stands for
 * the AGENTX_INTERNET_LEN sub-ids 1.3.6.1 followed by p.
 */
#define AGENTX_OID_HEAD		4
#define AGENTX_INTERNET_LEN	4
#define AGENTX_INTERNET		{ 1, 3, 6, 1 }

/* h.type, RFC 2741 sec. 6.1. */
#define AGENTX_PDU_OPEN			1
#define AGENTX_PDU_CLOSE		2
#define AGENTX_PDU_REGISTER		3
#define AGENTX_PDU_UNREGISTER		4
#define AGENTX_PDU_GET			5
#define AGENTX_PDU_GETNEXT		6
#define AGENTX_PDU_GETBULK		7
#define AGENTX_PDU_TESTSET		8
#define AGENTX_PDU_COMMITSET		9
#define AGENTX_PDU_UNDOSET		10
#define AGENTX_PDU_CLEANUPSET		11
#define AGENTX_PDU_NOTIFY		12
#define AGENTX_PDU_PING			13
#define AGENTX_PDU_INDEXALLOCATE	14
#define AGENTX_PDU_INDEXDEALLOCATE	15
#define AGENTX_PDU_ADDAGENTCAPS		16
#define AGENTX_PDU_REMOVEAGENTCAPS	17
#define AGENTX_PDU_RESPONSE		18

/* h.flags, RFC 2741 sec. 6.1; bits 5-7 are reserved. */
#define AGENTX_F_INSTANCE_REGISTRATION	0x01
#define AGENTX_F_NEW_INDEX		0x02
#define AGENTX_F_ANY_INDEX		0x04
#define AGENTX_F_NON_DEFAULT_CONTEXT	0x08
#define AGENTX_F_NETWORK_BYTE_ORDER	0x10
#define AGENTX_F_DEFINED		0x1f

/*
 * res.error, RFC 2741 sec. 6.2.16: the SNMP error-status values of pdu.h
 * (SNMP_ERRSTAT_*, 0-18) and these.
 */
#define AGENTX_ERR_NOERROR			0
#define AGENTX_ERR_OPENFAILED			256
#define AGENTX_ERR_NOTOPEN			257
#define AGENTX_ERR_INDEXWRONGTYPE		258
#define AGENTX_ERR_INDEXALREADYALLOCATED	259
#define AGENTX_ERR_INDEXNONEAVAILABLE		260
#define AGENTX_ERR_INDEXNOTALLOCATED		261
#define AGENTX_ERR_UNSUPPORTEDCONTEXT		262
#define AGENTX_ERR_DUPLICATEREGISTRATION	263
#define AGENTX_ERR_UNKNOWNREGISTRATION		264
#define AGENTX_ERR_UNKNOWNAGENTCAPS		265
#define AGENTX_ERR_PARSEERROR			266
#define AGENTX_ERR_REQUESTDENIED		267
#define AGENTX_ERR_PROCESSINGERROR		268

/* c.reason, RFC 2741 sec. 6.2.2. */
#define AGENTX_REASON_OTHER		1
#define AGENTX_REASON_PARSEERROR	2
#define AGENTX_REASON_PROTOCOLERROR	3
#define AGENTX_REASON_TIMEOUTS		4
#define AGENTX_REASON_SHUTDOWN		5
#define AGENTX_REASON_BYMANAGER		6

/* Refusals; below pdu.h's codes (ber.h -1..-39, pdu.h -40..-59). */
enum agentx_error {
	AGENTX_ETRUNC = -60,	/* a field runs past the PDU or its payload */
	AGENTX_EVERSION = -61,	/* h.version not 1 */
	AGENTX_ETYPE = -62,	/* h.type not 1..18 */
	AGENTX_EFLAGS = -63,	/* a reserved h.flags bit set */
	AGENTX_ERESERVED = -64,	/* a reserved field not zero */
	AGENTX_EALIGN = -65,	/* payload_length not a multiple of 4 */
	AGENTX_EBIG = -66,	/* payload_length over AGENTX_MAX_PAYLOAD */
	AGENTX_ETRAILING = -67,	/* octets after the PDU or its last field */
	AGENTX_EOIDLEN = -68,	/* OID over OID_MAX_LEN sub-ids, prefix
				 * included */
	AGENTX_EINCLUDE = -69,	/* include over 1, or 1 in a name or an end */
	AGENTX_EPADDING = -70,	/* octet string padding not zero */
	AGENTX_EVALTYPE = -71,	/* varbind type RFC 2741 sec. 5.4 lacks */
	AGENTX_EIPADDR = -72,	/* IpAddress not 4 octets */
	AGENTX_ERANGESUBID = -73, /* range_subid past the subtree, or an
				   * upper_bound below its sub-id */
	AGENTX_EREASON = -74,	/* Close reason not 1..6 */
	AGENTX_ENOSPACE = -75,	/* encode: would not fit the buffer */
	AGENTX_EVALUE = -76,	/* encode: value out of range for its type,
				 * or an unknown type */
	AGENTX_EINVAL = -77,	/* encode: misuse (unaligned payload) */
};

/* A static string for any agentx_error (or "unknown error"). */
const char *agentx_strerror(int err);

/* The 20-octet header; h.reserved is always 0 and not kept. */
struct agentx_hdr {
	uint8_t		h_version;
	uint8_t		h_type;
	uint8_t		h_flags;
	uint32_t	h_session_id;
	uint32_t	h_transaction_id;
	uint32_t	h_packet_id;
	uint32_t	h_payload_len;
};

/*
 * A decoded PDU.  Pointers are views into the decoded bytes, valid as long
 * as they are.  Which members hold something depends on h_type:
 *  - context (any type whose flags say NON_DEFAULT_CONTEXT): p_context;
 *  - Open: p_timeout, p_oid (o.id), p_descr;
 *  - Close: p_reason;
 *  - Register: p_timeout, p_priority, p_range_subid, p_oid (r.subtree),
 *    p_upper_bound (when p_range_subid != 0); Unregister the same but
 *    p_timeout;
 *  - GetBulk: p_non_repeaters, p_max_repetitions;
 *  - AddAgentCaps: p_oid, p_descr; RemoveAgentCaps: p_oid;
 *  - Response: p_sysuptime, p_error, p_index;
 *  - Get, GetNext, GetBulk: a SearchRangeList in p_list; TestSet, Notify,
 *    IndexAllocate, IndexDeallocate, Response: a VarBindList in p_list.
 *    Either is checked whole by the decoder and read with agentx_iter_*.
 * Every other member is 0.
 */
struct agentx_pdu {
	struct agentx_hdr	 p_hdr;
	const uint8_t		*p_context;	/* NULL without the flag */
	size_t			 p_context_len;
	uint8_t			 p_timeout;
	uint8_t			 p_priority;
	uint8_t			 p_range_subid;
	uint8_t			 p_reason;
	uint32_t		 p_upper_bound;
	struct oid		 p_oid;
	const uint8_t		*p_descr;
	size_t			 p_descr_len;
	uint16_t		 p_non_repeaters;
	uint16_t		 p_max_repetitions;
	uint32_t		 p_sysuptime;
	uint16_t		 p_error;
	uint16_t		 p_index;
	const uint8_t		*p_list;
	size_t			 p_list_len;
	size_t			 p_nitems;	/* ranges or varbinds in p_list */
	bool			 p_list_ranges;	/* p_list holds SearchRanges */
};

/* One SearchRange, RFC 2741 sec. 5.2; a null end has o_len 0. */
struct agentx_range {
	struct oid	ar_start;
	struct oid	ar_end;
	bool		ar_include;
};

/*
 * One VarBind, RFC 2741 sec. 5.4.  Strings (OctetString, Opaque,
 * IpAddress) are views (av_value.val_str); an OID value is decoded into
 * av_oid and av_value.val_oid points there, so a copy of the struct must
 * repoint it.  av_oid_include: the include field of an OID value, which
 * net-snmp sets (to 1) though only a SearchRange gives it a meaning.
 */
struct agentx_varbind {
	struct oid		av_name;
	struct snmp_value	av_value;
	struct oid		av_oid;
	bool			av_oid_include;
};

/* A cursor over a decoded list; callers embed it, members are private. */
struct agentx_iter {
	const uint8_t	*it_p;
	size_t		 it_left;
	bool		 it_be;
	bool		 it_ranges;
};

/*
 * Decode the header at buf[0..len) (len >= AGENTX_HDR_LEN, more is
 * ignored).  Refuses AGENTX_ETRUNC, EVERSION, ETYPE, EFLAGS, ERESERVED,
 * EALIGN, EBIG.  *h is filled as far as it was read, even on error.
 */
int	agentx_hdr_decode(const uint8_t *buf, size_t len, struct agentx_hdr *h);

/*
 * Framing for a byte stream: is a whole PDU at the start of buf[0..len)?
 * Returns 1 and its length in *pdu_len; 0 when more octets are needed
 * (*pdu_len: the whole PDU's length once the header is in, else 0); or a
 * refusal of agentx_hdr_decode, after which the stream cannot be
 * resynchronised.  Only the header is judged here.
 */
int	agentx_frame(const uint8_t *buf, size_t len, size_t *pdu_len);

/*
 * Decode exactly one whole PDU, buf[0..len): the header, then the payload
 * as its type lays it out, every OID, string and varbind checked.
 * Returns 0, or the header's refusals, AGENTX_ETRUNC (len shorter than the
 * header says, or a field past the payload), AGENTX_ETRAILING (len longer,
 * or octets after the type's last field), and the field refusals
 * (ERESERVED, EOIDLEN, EINCLUDE, EPADDING, EVALTYPE, EIPADDR, ERANGESUBID,
 * EREASON).  *p is unspecified on error, except p->p_hdr as for
 * agentx_hdr_decode.
 */
int	agentx_pdu_decode(const uint8_t *buf, size_t len, struct agentx_pdu *p);

/* Start reading p's list (nothing to read when p has none). */
void	agentx_iter_init(struct agentx_iter *it, const struct agentx_pdu *p);
/*
 * Start reading the varbinds a writer put between two of its marks (the
 * session reads a GetBulk's previous round back this way).  Nothing to
 * read when the marks are not in order.
 */
struct agentx_writer;
void	agentx_iter_init_written(struct agentx_iter *it,
	    const struct agentx_writer *w, size_t from, size_t to);
/*
 * The next item: 1 with *r or *vb filled, 0 at the end, or a refusal (a
 * list the decoder checked has none; asking for ranges from a VarBindList
 * or the reverse is AGENTX_EINVAL).
 */
int	agentx_iter_range(struct agentx_iter *it, struct agentx_range *r);
int	agentx_iter_varbind(struct agentx_iter *it, struct agentx_varbind *vb);

/*
 * Writer: encodes one PDU forward into a caller's buffer.  Callers embed
 * it; members are private.  Each put is either written whole or, when it
 * would not fit (or cannot be encoded), not at all, and the writer then
 * keeps its first error: later puts do nothing and agentx_write_finish
 * returns it.  The payload is laid out by the caller, put by put, in the
 * order of RFC 2741 sec. 6.2; agentx_encode_* below do it for the PDUs a
 * subagent sends.  Usage:
 *	agentx_write_init(&w, buf, cap, &hdr, NULL, 0);
 *	agentx_write_response(&w, 0, AGENTX_ERR_NOERROR, 0);
 *	mark = agentx_write_mark(&w);
 *	if (agentx_write_varbind(&w, &name, &val) == AGENTX_ENOSPACE)
 *		agentx_write_rewind(&w, mark);	(and stop)
 *	agentx_write_finish(&w, &len);
 */
struct agentx_writer {
	uint8_t		*w_buf;
	size_t		 w_cap;
	size_t		 w_len;
	size_t		 w_body;	/* offset of the payload past context */
	bool		 w_be;
	int		 w_err;
};

/*
 * Start a PDU: the header from *h (its h_payload_len is ignored; byte
 * order from its flags) and, when h's flags say NON_DEFAULT_CONTEXT, the
 * context octets.  Errors show from the puts and finish.
 */
void	agentx_write_init(struct agentx_writer *w, uint8_t *buf, size_t cap,
	    const struct agentx_hdr *h, const uint8_t *context,
	    size_t context_len);
/* Each returns 0 or the writer's first error. */
int	agentx_write_u8x4(struct agentx_writer *w, uint8_t a, uint8_t b,
	    uint8_t c, uint8_t d);
int	agentx_write_u16x2(struct agentx_writer *w, uint16_t a, uint16_t b);
int	agentx_write_u32(struct agentx_writer *w, uint32_t v);
/* An OID (prefix-compressed when it can be); include only for a start. */
int	agentx_write_oid(struct agentx_writer *w, const struct oid *o,
	    bool include);
int	agentx_write_octets(struct agentx_writer *w, const uint8_t *p,
	    size_t len);
int	agentx_write_range(struct agentx_writer *w, const struct agentx_range *r);
/*
 * A VarBind of any value.h type (OIDs from val_oid).  AGENTX_EVALUE for a
 * type outside RFC 2741 sec. 5.4, an Integer outside int32, a 32-bit type
 * over 2^32-1, an IpAddress not 4 octets or a NULL val_oid.
 */
int	agentx_write_varbind(struct agentx_writer *w, const struct oid *name,
	    const struct snmp_value *v);
/*
 * A decoded VarBind again, as it came (the include field of an OID value
 * too); av_value.val_oid is not used, av_oid is.
 */
int	agentx_write_decoded(struct agentx_writer *w,
	    const struct agentx_varbind *vb);
/* A Response's fixed fields (RFC 2741 sec. 6.2.16); varbinds follow. */
int	agentx_write_response(struct agentx_writer *w, uint32_t sysuptime,
	    uint16_t error, uint16_t index);
/* Overwrite res.error and res.index of a Response begun above. */
void	agentx_write_response_error(struct agentx_writer *w, uint16_t error,
	    uint16_t index);
/* Octets written so far (a mark), and going back to one. */
size_t	agentx_write_mark(const struct agentx_writer *w);
/*
 * Drop what was put after mark.  Also clears the writer's error when that
 * error was not there yet at the mark, i.e. when mark was taken while
 * agentx_write_finish would have returned 0.
 */
void	agentx_write_rewind(struct agentx_writer *w, size_t mark);
/*
 * Write payload_length and return the PDU's length in *len.  Returns 0,
 * the first put's error, AGENTX_EBIG (payload over AGENTX_MAX_PAYLOAD) or
 * AGENTX_EINVAL (payload not a multiple of 4: a misuse of the puts).
 */
int	agentx_write_finish(struct agentx_writer *w, size_t *len);

/*
 * The PDUs a subagent sends (RFC 2741 sec. 6.2.1-6.2.4, 6.2.11), whole,
 * into buf[0..cap); *len gets the length.  h gives type-independent
 * fields (flags, ids); its h_type is set here.  id, subtree: NULL is the
 * null OID.  context: used when h's flags say NON_DEFAULT_CONTEXT.
 * Returns 0 or a writer error (AGENTX_ENOSPACE: would not fit).
 */
int	agentx_encode_open(uint8_t *buf, size_t cap, const struct agentx_hdr *h,
	    uint8_t timeout, const struct oid *id, const uint8_t *descr,
	    size_t descr_len, size_t *len);
int	agentx_encode_close(uint8_t *buf, size_t cap,
	    const struct agentx_hdr *h, uint8_t reason, size_t *len);
/* range_subid 0: no range, upper_bound unused. */
int	agentx_encode_register(uint8_t *buf, size_t cap,
	    const struct agentx_hdr *h, const uint8_t *context,
	    size_t context_len, uint8_t timeout, uint8_t priority,
	    const struct oid *subtree, uint8_t range_subid,
	    uint32_t upper_bound, size_t *len);
int	agentx_encode_unregister(uint8_t *buf, size_t cap,
	    const struct agentx_hdr *h, const uint8_t *context,
	    size_t context_len, uint8_t priority, const struct oid *subtree,
	    uint8_t range_subid, uint32_t upper_bound, size_t *len);
int	agentx_encode_ping(uint8_t *buf, size_t cap, const struct agentx_hdr *h,
	    const uint8_t *context, size_t context_len, size_t *len);

#endif
