/*
 * v3: the SNMPv3 message (RFC 3412 sec. 6) with the User-based Security
 * Model's parameters (RFC 3414 sec. 2.4), decoded from a datagram into
 * views and encoded around a ScopedPDU in a caller's buffer; and the
 * ScopedPDU itself, whose PDU pdu.c decodes and builds.  The wire format
 * only: whether a message is authentic, in time, decryptable or allowed is
 * for snmp/usm.h (the cryptography) and agent/v3.c (the RFCs' rules).  The
 * prefix is snmp_v3_.  No allocation, no I/O, no logging.
 *
 * The message, as decoded and written (RFC 3412 sec. 6, RFC 3414 sec. 2.4):
 *	SEQUENCE { msgVersion INTEGER 3,
 *	    msgGlobalData SEQUENCE { msgID, msgMaxSize, msgFlags OCTET STRING
 *		(SIZE(1)), msgSecurityModel },
 *	    msgSecurityParameters OCTET STRING containing SEQUENCE {
 *		msgAuthoritativeEngineID, -Boots, -Time, msgUserName,
 *		msgAuthenticationParameters, msgPrivacyParameters },
 *	    msgData: a plaintext ScopedPDU SEQUENCE, or an OCTET STRING
 *		holding the encrypted ScopedPDU }
 */
#ifndef PT_V3_H
#define PT_V3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/pdu.h"

/* msgFlags bits, RFC 3412 sec. 6.4. */
#define SNMP_V3_FLAG_AUTH	0x01
#define SNMP_V3_FLAG_PRIV	0x02
#define SNMP_V3_FLAG_REPORTABLE	0x04
/* SnmpSecurityModel of USM, RFC 3411 sec. 5. */
#define SNMP_V3_SECMODEL_USM	3
/* msgMaxSize is INTEGER (484..2147483647), RFC 3412 sec. 6. */
#define SNMP_V3_MIN_MSG_SIZE	484
/* msgUserName is OCTET STRING (SIZE(0..32)), RFC 3414 sec. 2.4. */
#define SNMP_V3_MAX_USER	32
/*
 * Encoding only: the longest msgAuthenticationParameters is
 * HMAC-SHA-512's 384 bits (RFC 7860 sec. 4.2), the msgPrivacyParameters
 * of every privacy protocol 8 octets (RFC 3826 sec. 3.1.2.1).  Decoding
 * takes any length: judging it is USM's (wrongDigest, decryptionError).
 */
#define SNMP_V3_MAX_AUTH_PARAMS	48
#define SNMP_V3_MAX_PRIV_PARAMS	8
/*
 * A decrypted ScopedPDU may be followed by up to 16 octets of padding:
 * pysnmp pads AES-CFB's plaintext with 1 to 16 zeros to whole 16-octet
 * blocks, and snmpd ignores them as RFC 3414 sec. 8.3.2 has DES's padding
 * ignored.
 */
#define SNMP_V3_MAX_PAD		16
/*
 * The most a message can add in front of its ScopedPDU: every field above
 * at its longest (lengths of 5 octets, integers of 6, strings at their
 * caps) comes to under 200 octets.
 */
#define SNMP_V3_HDR_MAX		256

/* Refusals; pdu.h's and ber.h's codes pass through too. */
enum snmp_v3_error {
	SNMP_V3_EMSGID = -60,	/* msgID negative (INTEGER (0..2^31-1)) */
	SNMP_V3_EMAXSIZE = -61,	/* msgMaxSize below 484 */
	SNMP_V3_EFLAGS = -62,	/* msgFlags not exactly one octet */
	SNMP_V3_ESECMODEL = -63, /* msgSecurityModel below 1 */
	SNMP_V3_EDATA = -64,	/* msgData neither SEQUENCE nor OCTET STRING */
	SNMP_V3_EENGINEID = -65, /* msgAuthoritativeEngineID over 32 octets */
	SNMP_V3_EBOOTS = -66,	/* msgAuthoritativeEngineBoots negative */
	SNMP_V3_ETIME = -67,	/* msgAuthoritativeEngineTime negative */
	SNMP_V3_EUSER = -68,	/* msgUserName over 32 octets */
	SNMP_V3_ECTXENGINE = -69, /* contextEngineID over 32 octets */
	SNMP_V3_ECTXNAME = -70,	/* contextName over 32 octets */
	/*
	 * Not malformed: a security model other than USM.  The header is
	 * decoded (v3_have_header), its parameters are not.
	 */
	SNMP_V3_ENOTUSM = -71,
};

/*
 * A decoded message.  Pointers are views into the datagram, valid as long
 * as it is.  The v3_have_* flags say how far decoding got, so a failed
 * decode still tells the caller what it needs to count or answer.
 */
struct snmp_v3_msg {
	bool		 v3_have_header;	/* msgID..msgSecurityModel */
	bool		 v3_have_usm;		/* the USM parameters */
	int32_t		 v3_msg_id;
	int32_t		 v3_max_size;
	uint8_t		 v3_flags;		/* SNMP_V3_FLAG_* */
	int32_t		 v3_sec_model;
	const uint8_t	*v3_engine_id;		/* msgAuthoritativeEngineID */
	size_t		 v3_engine_id_len;
	int32_t		 v3_boots;
	int32_t		 v3_time;
	const uint8_t	*v3_user;
	size_t		 v3_user_len;
	const uint8_t	*v3_auth;		/* msgAuthenticationParameters */
	size_t		 v3_auth_len;
	size_t		 v3_auth_off;		/* v3_auth - the datagram */
	const uint8_t	*v3_priv;		/* msgPrivacyParameters */
	size_t		 v3_priv_len;
	/*
	 * msgData: when plaintext, the whole ScopedPDU TLV (for
	 * snmp_v3_scoped_decode); when encrypted, the OCTET STRING's
	 * content.
	 */
	bool		 v3_encrypted;
	const uint8_t	*v3_data;
	size_t		 v3_data_len;
};

/*
 * Decode one datagram.  Returns 0 (header and USM parameters decoded,
 * msgData located but not decoded), or:
 *  - a ber_error for malformed BER anywhere (the USM parameters must fill
 *    their OCTET STRING exactly), SNMP_ETRAILING after the message;
 *  - SNMP_EVERSION when msgVersion is not 3;
 *  - SNMP_V3_EMSGID .. SNMP_V3_EUSER for a field outside its range;
 *  - SNMP_V3_ENOTUSM, with v3_have_header set.
 * msgID may be padded to 4 octets, as gosnmp writes it (ber.h's
 * ber_get_int32_padded, like a v1/v2c request-id); other integers must be
 * minimal.
 */
int	snmp_v3_decode(const uint8_t *buf, size_t len, struct snmp_v3_msg *m);

/*
 * Decode a ScopedPDU, the SEQUENCE that fills [buf, buf + len), into m
 * (m_version SNMP_VERSION_3, the context views, the PDU as snmp_pdu_decode
 * gives it) and vbs.  When decrypted is true, up to SNMP_V3_MAX_PAD octets
 * may follow the SEQUENCE and are ignored.  Returns
 * snmp_pdu_decode's codes, SNMP_ETRAILING, SNMP_V3_ECTXENGINE or
 * SNMP_V3_ECTXNAME.
 */
int	snmp_v3_scoped_decode(const uint8_t *buf, size_t len, bool decrypted,
	    struct snmp_msg *m, struct snmp_varbind *vbs, size_t cap);

/* A static string for any snmp_v3_error, snmp_error or ber_error code. */
const char *snmp_v3_strerror(int err);

/*
 * The header of an outgoing message: every field the caller chooses.
 * Strings are borrowed until snmp_v3_wrap returns.
 */
struct snmp_v3_out {
	int32_t		 o_msg_id;
	int32_t		 o_max_size;
	uint8_t		 o_flags;	/* PRIV: msgData is an OCTET STRING */
	const uint8_t	*o_engine_id;
	size_t		 o_engine_id_len;
	int32_t		 o_boots;
	int32_t		 o_time;
	const uint8_t	*o_user;
	size_t		 o_user_len;
	size_t		 o_auth_len;	/* zeros written; 0 without auth */
	const uint8_t	*o_priv;	/* msgPrivacyParameters */
	size_t		 o_priv_len;
};

/* Where the cryptography goes in a wrapped message. */
struct snmp_v3_layout {
	size_t		 l_len;		/* the whole message */
	size_t		 l_auth_off;	/* o_auth_len zero octets to sign */
	size_t		 l_data_off;	/* the ScopedPDU, to encrypt in place */
	size_t		 l_data_len;
};

/*
 * The longest ScopedPDU that, wrapped with h, makes a message of at most
 * limit octets; 0 when none does.  For snmp_reply_init_scoped's
 * max_scoped.  The ciphertext of every privacy protocol here is as long as
 * its plaintext (AES-CFB, RFC 3826 sec. 3.1.3), so encryption adds only
 * the OCTET STRING header, which this counts.
 */
size_t	snmp_v3_scoped_max(const struct snmp_v3_out *h, size_t limit);

/*
 * Make the ScopedPDU at buf[0..scoped_len) a whole message with header h,
 * in place: it moves behind the header, and the message starts at buf.
 * msgAuthenticationParameters are o_auth_len zero octets at l_auth_off
 * (HMAC the whole message, then write the MAC there); with
 * SNMP_V3_FLAG_PRIV in o_flags, msgData is an OCTET STRING whose content,
 * still plaintext at l_data_off, the caller encrypts in place.  Returns 0,
 * SNMP_ENOFIT when the message would exceed min(cap, limit) (buf is then
 * unchanged), or SNMP_EINVAL for a field out of range (a negative integer,
 * msgMaxSize below 484, a string over its cap).
 */
int	snmp_v3_wrap(const struct snmp_v3_out *h, uint8_t *buf, size_t cap,
	    size_t limit, size_t scoped_len, struct snmp_v3_layout *l);

/*
 * Is [id, id + len) an SnmpEngineID as RFC 3411 sec. 5 defines it?  5 to
 * 32 octets, not all zeros nor all 0xff; with bit 8 of the first octet
 * clear (RFC 1910's form) exactly 12 octets; otherwise the fifth octet
 * names the format: 1 IPv4 (9 octets in all), 2 IPv6 (21), 3 MAC (11),
 * 4 text and 5 octets (6 or more), 128..255 enterprise-specific; 0 and
 * 6..127 are reserved.  Returns true, or false with *errstr saying why.
 */
bool	snmp_v3_engine_id_valid(const uint8_t *id, size_t len,
	    const char **errstr);

#endif
