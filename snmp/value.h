/*
 * value: one SNMP value, as decoded from or to be encoded into a varbind.
 * Strings are views: decoded strings point into the datagram, strings to
 * encode point to memory the caller keeps alive until encoding is done.
 */
#ifndef PT_VALUE_H
#define PT_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "snmp/oid.h"

/* BER tags, RFC 3416 section 3 and RFC 2578 section 7.1. */
#define BER_INTEGER		0x02
#define BER_OCTET_STRING	0x04
#define BER_NULL		0x05
#define BER_OBJECT_ID		0x06
#define BER_SEQUENCE		0x30
#define BER_IPADDRESS		0x40
#define BER_COUNTER32		0x41
#define BER_GAUGE32		0x42	/* also Unsigned32 */
#define BER_TIMETICKS		0x43
#define BER_OPAQUE		0x44
#define BER_COUNTER64		0x46
#define BER_NOSUCHOBJECT	0x80	/* v2c exceptions, RFC 3416 sec. 3 */
#define BER_NOSUCHINSTANCE	0x81
#define BER_ENDOFMIBVIEW	0x82

struct snmp_value {
	uint8_t		val_type;	/* a BER_* tag */
	union {
		int64_t		 val_int;	/* INTEGER, in 32-bit range */
		uint64_t	 val_uint;	/* Counter32/64, Gauge32, TimeTicks */
		struct {
			const uint8_t	*ptr;
			size_t		 len;
		}		 val_str;	/* OCTET STRING, Opaque, IpAddress
						 * (4 bytes); OBJECT IDENTIFIER
						 * when decoded (content octets,
						 * checked by the decoder) */
		const struct oid *val_oid;	/* OBJECT IDENTIFIER to encode */
	};
};

#endif
