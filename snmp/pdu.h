/*
 * pdu: SNMP v1/v2c messages (RFC 1157, RFC 3416, RFC 1901) decoded from a
 * datagram into views and a caller's varbind array, and replies encoded
 * into a caller's buffer.  The same PDU decoder and reply builder serve
 * SNMPv3's ScopedPDU (RFC 3412 sec. 6: snmp_pdu_decode and
 * snmp_reply_init_scoped; the message around it is snmp/v3.h's).  The
 * message API carries the prefix snmp_.  Not here: I/O, community checks,
 * counters, MIB lookups (agent/engine.c) and the SNMPv3 message header and
 * security (snmp/v3.h, snmp/usm.h; snmp_msg_decode only identifies a v3
 * message, SNMP_EV3).  No allocation, no logging.
 */
#ifndef PT_PDU_H
#define PT_PDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/ber.h"
#include "snmp/oid.h"
#include "snmp/value.h"

/* msgVersion values: RFC 1157 (0), RFC 1901 (1), RFC 3412 (3). */
#define SNMP_VERSION_1		0
#define SNMP_VERSION_2C		1
#define SNMP_VERSION_3		3

/* PDU tags, context-specific constructed, RFC 3416 sec. 3 and RFC 1157. */
#define SNMP_PDU_GET		0xa0	/* GetRequest-PDU */
#define SNMP_PDU_GETNEXT	0xa1	/* GetNextRequest-PDU */
#define SNMP_PDU_RESPONSE	0xa2	/* Response-PDU (v1 GetResponse) */
#define SNMP_PDU_SET		0xa3	/* SetRequest-PDU */
#define SNMP_PDU_TRAPV1		0xa4	/* v1 Trap-PDU: not decoded */
#define SNMP_PDU_GETBULK	0xa5	/* GetBulkRequest-PDU */
#define SNMP_PDU_INFORM		0xa6	/* InformRequest-PDU */
#define SNMP_PDU_TRAP2		0xa7	/* SNMPv2-Trap-PDU */
#define SNMP_PDU_REPORT		0xa8	/* Report-PDU */

/* error-status values, RFC 3416 sec. 3 (0-5 are also RFC 1157's). */
#define SNMP_ERRSTAT_NOERROR			0
#define SNMP_ERRSTAT_TOOBIG			1
#define SNMP_ERRSTAT_NOSUCHNAME			2
#define SNMP_ERRSTAT_BADVALUE			3
#define SNMP_ERRSTAT_READONLY			4
#define SNMP_ERRSTAT_GENERR			5
#define SNMP_ERRSTAT_NOACCESS			6
#define SNMP_ERRSTAT_WRONGTYPE			7
#define SNMP_ERRSTAT_WRONGLENGTH		8
#define SNMP_ERRSTAT_WRONGENCODING		9
#define SNMP_ERRSTAT_WRONGVALUE			10
#define SNMP_ERRSTAT_NOCREATION			11
#define SNMP_ERRSTAT_INCONSISTENTVALUE		12
#define SNMP_ERRSTAT_RESOURCEUNAVAILABLE	13
#define SNMP_ERRSTAT_COMMITFAILED		14
#define SNMP_ERRSTAT_UNDOFAILED			15
#define SNMP_ERRSTAT_AUTHORIZATIONERROR		16
#define SNMP_ERRSTAT_NOTWRITABLE		17
#define SNMP_ERRSTAT_INCONSISTENTNAME		18

/*
 * Varbinds decoded per message.  RFC 3416 sets no limit; 256 keeps the
 * caller's array small while far above what a 1472-octet request (about
 * 12 octets per smallest varbind) could carry to be useful; beyond it the
 * agent answers tooBig (SNMP_ETOOMANY).
 */
#define SNMP_MAX_VARBINDS	256
/*
 * Community strings: RFC 1157 sets no limit; 255 octets is what net-snmp
 * accepts (its COMMUNITY_MAX_LEN of 256 holds a NUL too) and keeps the
 * length field to two octets.  Longer ones are refused (SNMP_ECOMMUNITY).
 */
#define SNMP_MAX_COMMUNITY	255
/*
 * Largest header a reply can have in front of its VarBindList: outer
 * SEQUENCE, version, community, PDU, request-id, error-status,
 * error-index, VarBindList identifiers and 5-octet lengths.
 */
#define SNMP_REPLY_HDR_MAX	(SNMP_MAX_COMMUNITY + 64)
/*
 * A ScopedPDU's contextEngineID is an SnmpEngineID, at most 32 octets, and
 * its contextName an SnmpAdminString (SIZE(0..32)) (RFC 3411 sec. 5).  So
 * the two strings together stay under SNMP_MAX_COMMUNITY and a scoped
 * reply's header under SNMP_REPLY_HDR_MAX.
 */
#define SNMP_MAX_ENGINE_ID	32
#define SNMP_MAX_CONTEXT_NAME	32

/* Message-level refusals; ber_error codes (-1..-39) pass through too. */
enum snmp_error {
	SNMP_EV3 = -40,		/* msgVersion 3: identified, not decoded */
	SNMP_EVERSION = -41,	/* msgVersion not 0, 1 or 3 */
	SNMP_ECOMMUNITY = -42,	/* community over SNMP_MAX_COMMUNITY */
	SNMP_EPDUTYPE = -43,	/* PDU tag not one of SNMP_PDU_* decoded */
	SNMP_ETOOMANY = -44,	/* more varbinds than fit (see decode) */
	SNMP_ETRAILING = -45,	/* bytes after the message */
	SNMP_ENOFIT = -46,	/* encode: reply would exceed its limit */
	SNMP_EINVAL = -47,	/* encode: bad argument (e.g. PDU type) */
	SNMP_ECONTEXT = -48,	/* encode: context engine ID or name over 32 */
};

/* One decoded (or to-be-encoded) variable binding. */
struct snmp_varbind {
	struct oid		vb_oid;
	struct snmp_value	vb_value;
};

/*
 * A decoded message.  All pointers are views into the datagram, valid as
 * long as it is.  The m_have_* flags say how far decoding got, so a
 * failing decode still tells the agent what it needs to count or answer.
 */
struct snmp_msg {
	bool			 m_have_version;	/* m_version valid */
	bool			 m_have_request_id;	/* community, pdu type,
							 * request-id valid */
	int32_t			 m_version;	/* SNMP_VERSION_* */
	const uint8_t		*m_community;	/* v1/v2c only */
	size_t			 m_community_len;
	/* v3 only (snmp_v3_scoped_decode): the ScopedPDU's context. */
	const uint8_t		*m_context_engine_id;
	size_t			 m_context_engine_id_len;
	const uint8_t		*m_context_name;
	size_t			 m_context_name_len;
	uint8_t			 m_pdu_type;	/* SNMP_PDU_* */
	int32_t			 m_request_id;
	int32_t			 m_error_status; /* GETBULK: non-repeaters */
	int32_t			 m_error_index;	/* GETBULK: max-repetitions */
	struct snmp_varbind	*m_vbs;		/* the caller's array */
	size_t			 m_nvbs;	/* varbinds stored in m_vbs */
	size_t			 m_nvbs_total;	/* varbinds in the message */
	const uint8_t		*m_vbl;		/* VarBindList content octets */
	size_t			 m_vbl_len;
};

/*
 * Decode one datagram.  vbs[0..cap) receives the varbinds (OIDs decoded;
 * values as ber_get_value gives them).  Returns 0, or:
 *  - a ber_error for malformed BER anywhere, or SNMP_ETRAILING;
 *  - SNMP_EV3 / SNMP_EVERSION with m_have_version set (snmpInBadVersions);
 *    a v3 message is read only as far as its version;
 *  - SNMP_ECOMMUNITY, SNMP_EPDUTYPE;
 *  - SNMP_ETOOMANY when the message has more than min(cap,
 *    SNMP_MAX_VARBINDS) varbinds.  It is returned only when the whole
 *    message is otherwise well-formed; m_have_request_id is set, m_nvbs
 *    varbinds are stored and m_nvbs_total counts them all, so an agent can
 *    answer tooBig.
 * The decoder checks syntax only: which PDU types a version may carry and
 * what error-status means are the caller's to judge.  Long-form lengths
 * may be longer than needed (RFC 3417 sec. 8) and the request-id may be
 * padded to 4 octets (gosnmp); every other integer must be minimal.  So
 * the builder, fed the decoded fields, gives a message never longer than
 * buf, and the same bytes exactly when buf used the shortest forms.
 */
int	snmp_msg_decode(const uint8_t *buf, size_t len, struct snmp_msg *m,
	    struct snmp_varbind *vbs, size_t cap);

/*
 * Open a message of any version: the SEQUENCE that exactly fills [buf,
 * buf + len), and its msgVersion INTEGER.  *msg is left on what follows
 * the version.  Returns 0, a ber_error or SNMP_ETRAILING.
 */
int	snmp_msg_open(const uint8_t *buf, size_t len, struct ber_cursor *msg,
	    int32_t *version);

/*
 * Decode one PDU, the TLV that exactly fills [buf, buf + len), into m's
 * PDU fields (m_pdu_type through m_vbl_len) and vbs, with
 * snmp_msg_decode's rules and refusals (BER_ETRAILING for bytes after the
 * PDU).  m's other fields are left alone, so the caller zeroes m first.
 * The SNMPv3 ScopedPDU decoder shares it with snmp_msg_decode.
 */
int	snmp_pdu_decode(const uint8_t *buf, size_t len, struct snmp_msg *m,
	    struct snmp_varbind *vbs, size_t cap);

/* A static string for any snmp_error or ber_error code. */
const char *snmp_strerror(int err);

/*
 * Reply builder.  Callers embed the struct; its members are private.
 * Varbinds are encoded forward from the start of buf; snmp_reply_finish
 * moves them behind the headers, so the finished message always starts at
 * buf.  Usage:
 *	snmp_reply_init(&r, out, outcap, max_msg, req.m_version,
 *	    req.m_community, req.m_community_len, req.m_request_id);
 *	for each answer: if (snmp_reply_add(&r, &oid, &val) == SNMP_ENOFIT)
 *		stop (GETBULK) or snmp_reply_clear() and answer tooBig (GET);
 *	snmp_reply_finish(&r, SNMP_ERRSTAT_NOERROR, 0, &msg, &len);
 */
struct snmp_reply {
	uint8_t		*r_buf;
	size_t		 r_limit;	/* min(cap, max_msg) */
	size_t		 r_vbl_off;	/* varbinds at r_buf[off..off+len) */
	size_t		 r_vbl_len;
	size_t		 r_nvbs;
	int32_t		 r_version;	/* SNMP_VERSION_3: a ScopedPDU */
	const uint8_t	*r_community;	/* v3: the contextName */
	size_t		 r_community_len;
	const uint8_t	*r_context_engine_id;	/* v3 only */
	size_t		 r_context_engine_id_len;
	int32_t		 r_request_id;
	uint8_t		 r_pdu_type;
	/*
	 * Headers around a VarBindList of r_limit octets, the most any
	 * smaller list needs: while varbinds plus this fit, add() need not
	 * size the headers exactly.
	 */
	size_t		 r_hdr_bound;
};

/*
 * Start a Response-PDU reply into buf[0..cap), never longer than max_msg
 * octets in all.  community is borrowed until the last finish.  Returns 0
 * or SNMP_ECOMMUNITY (community_len > SNMP_MAX_COMMUNITY).  A limit too
 * small for any message shows as SNMP_ENOFIT from add or finish.
 */
int	snmp_reply_init(struct snmp_reply *r, uint8_t *buf, size_t cap,
	    size_t max_msg, int32_t version, const uint8_t *community,
	    size_t community_len, int32_t request_id);

/*
 * Start a reply that is an SNMPv3 ScopedPDU (RFC 3412 sec. 6: SEQUENCE {
 * contextEngineID, contextName, PDU }) rather than a whole message; the
 * rest of the builder works as for v1/v2c, with max_scoped the most the
 * ScopedPDU may take (snmp_v3_scoped_max() computes it from the message
 * size).  Both strings are borrowed until the last finish.  Returns 0 or
 * SNMP_ECONTEXT (a string over SNMP_MAX_ENGINE_ID / _CONTEXT_NAME).
 */
int	snmp_reply_init_scoped(struct snmp_reply *r, uint8_t *buf, size_t cap,
	    size_t max_scoped, const uint8_t *context_engine_id,
	    size_t context_engine_id_len, const uint8_t *context_name,
	    size_t context_name_len, int32_t request_id);

/*
 * Make the builder encode another PDU type (requests, traps: used by the
 * tests and any client).  For GETBULK, finish's error_status and
 * error_index are non-repeaters and max-repetitions.  Returns 0 or
 * SNMP_EINVAL for a tag that is not SNMP_PDU_* (or is SNMP_PDU_TRAPV1).
 */
int	snmp_reply_set_type(struct snmp_reply *r, uint8_t pdu_type);

/*
 * Append one varbind (BER_OBJECT_ID values from val_oid).  Returns 0; or
 * SNMP_ENOFIT when the whole message, finished with error-status and
 * error-index 0, would exceed min(cap, max_msg); or a ber_error when the
 * OID or value cannot be encoded.  On any error the builder is exactly as
 * before the call.
 */
int	snmp_reply_add(struct snmp_reply *r, const struct oid *name,
	    const struct snmp_value *v);

/* Varbinds added so far. */
size_t	snmp_reply_count(const struct snmp_reply *r);

/* Drop every varbind added (e.g. to answer tooBig with an empty list). */
void	snmp_reply_clear(struct snmp_reply *r);

/*
 * Replace the varbinds with the request's own VarBindList, copied as it
 * came (RFC 3416 sec. 4.2.1, RFC 1157 sec. 4.1.2: error responses carry
 * the request's varbinds), with any long-form lengths it used.  req must
 * have decoded with 0 (the bytes are then known good) and must not
 * overlap buf.  Returns 0 or SNMP_ENOFIT (builder unchanged).
 */
int	snmp_reply_echo(struct snmp_reply *r, const struct snmp_msg *req);

/*
 * Write the headers and return the message: *msg == buf, *len octets.
 * Returns 0, or SNMP_ENOFIT when non-zero error fields make the message
 * longer than the limit (by at most 8 octets; answer tooBig then).  The
 * builder stays usable: clear, echo, add and finish may follow (each
 * first moves the varbinds back), so a failed reply can become tooBig.
 */
int	snmp_reply_finish(struct snmp_reply *r, int32_t error_status,
	    int32_t error_index, const uint8_t **msg, size_t *len);

#endif
