/*
 * fuzz_message: libFuzzer target for the agent's datagram decoder
 * (snmp_msg_decode) and, whenever a datagram decodes, the reply builder
 * fed with its varbinds, as the agent would.  Beyond "no crash" it checks
 * properties: an accepted message re-encodes to one with the same values
 * that is never longer, byte for byte the same when as long (the decoder's
 * only leniencies, redundant length octets and a padded request-id, add
 * octets) and a fixed point of decode-encode; every reply we build
 * decodes, a reply never exceeds its limit, and a failed add changes
 * nothing.
 * Run through tests/fuzz/run.sh (make fuzz).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/ber.h"
#include "snmp/pdu.h"
#include "tests/unit/test_util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];
static struct snmp_varbind back[SNMP_MAX_VARBINDS];
static struct oid vals[SNMP_MAX_VARBINDS];
static uint8_t out[1 << 17], out2[1 << 17];

#define REQUIRE(e) do {							\
	if (!(e))							\
		abort();						\
} while (0)

/* The agent's path: answer with the request's varbinds under a limit. */
static void
reply_within(const struct snmp_msg *m, size_t limit)
{
	struct snmp_reply r;
	struct snmp_msg rm;
	struct snmp_value v;
	const uint8_t *msg;
	size_t i, len, before;
	int rv;

	REQUIRE(snmp_reply_init(&r, out, sizeof(out), limit, m->m_version,
	    m->m_community, m->m_community_len, m->m_request_id) == 0);
	for (i = 0; i < m->m_nvbs; i++) {
		v = vbs[i].vb_value;
		if (v.val_type == BER_OBJECT_ID)
			v.val_oid = &vals[i];
		before = snmp_reply_count(&r);
		rv = snmp_reply_add(&r, &vbs[i].vb_oid, &v);
		if (rv == SNMP_ENOFIT) {
			REQUIRE(snmp_reply_count(&r) == before);
			break;
		}
		REQUIRE(rv == 0);
	}
	rv = snmp_reply_finish(&r, SNMP_ERRSTAT_NOERROR, 0, &msg, &len);
	if (rv == 0) {
		REQUIRE(len <= limit);
		REQUIRE(snmp_msg_decode(msg, len, &rm, back,
		    SNMP_MAX_VARBINDS) == 0);
		REQUIRE(rm.m_request_id == m->m_request_id);
		REQUIRE(rm.m_nvbs == snmp_reply_count(&r));
		for (i = 0; i < rm.m_nvbs; i++)
			REQUIRE(oid_cmp(&back[i].vb_oid, &vbs[i].vb_oid) == 0);
	} else
		REQUIRE(rv == SNMP_ENOFIT);
	/* tooBig, and the error reply that echoes the request. */
	snmp_reply_clear(&r);
	if (snmp_reply_finish(&r, SNMP_ERRSTAT_TOOBIG, 0, &msg, &len) == 0)
		REQUIRE(len <= limit && snmp_msg_decode(msg, len, &rm, back,
		    SNMP_MAX_VARBINDS) == 0);
	if (snmp_reply_echo(&r, m) == 0 && snmp_reply_finish(&r,
	    SNMP_ERRSTAT_GENERR, 1, &msg, &len) == 0)
		REQUIRE(len <= limit && snmp_msg_decode(msg, len, &rm, back,
		    SNMP_MAX_VARBINDS) == 0);
}

static bool
same_value(const struct snmp_value *a, const struct snmp_value *b)
{
	if (a->val_type != b->val_type)
		return false;
	switch (a->val_type) {
	case BER_INTEGER:
		return a->val_int == b->val_int;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_COUNTER64:
		return a->val_uint == b->val_uint;
	case BER_OCTET_STRING:
	case BER_OPAQUE:
	case BER_IPADDRESS:
	case BER_OBJECT_ID:
		/* OID content has one encoding only (BER_EOIDNONMIN). */
		return a->val_str.len == b->val_str.len &&
		    (a->val_str.len == 0 || memcmp(a->val_str.ptr,
		    b->val_str.ptr, a->val_str.len) == 0);
	default:
		return true;
	}
}

/*
 * Decode-encode: never longer, identical when as long, the same values,
 * and a fixed point once re-encoded.
 */
static void
reencode_same(const struct snmp_msg *m, const uint8_t *data, size_t size)
{
	struct snmp_msg m2;
	size_t i, len, len2;

	REQUIRE(msg_reencode(m, out, sizeof(out), &len) == 0);
	REQUIRE(len <= size);
	if (len == size)
		REQUIRE(memcmp(out, data, size) == 0);
	REQUIRE(snmp_msg_decode(out, len, &m2, back, SNMP_MAX_VARBINDS) == 0);
	REQUIRE(m2.m_version == m->m_version &&
	    m2.m_community_len == m->m_community_len &&
	    (m->m_community_len == 0 || memcmp(m2.m_community,
	    m->m_community, m->m_community_len) == 0) &&
	    m2.m_pdu_type == m->m_pdu_type &&
	    m2.m_request_id == m->m_request_id &&
	    m2.m_error_status == m->m_error_status &&
	    m2.m_error_index == m->m_error_index && m2.m_nvbs == m->m_nvbs);
	for (i = 0; i < m->m_nvbs; i++) {
		REQUIRE(oid_cmp(&back[i].vb_oid, &vbs[i].vb_oid) == 0);
		REQUIRE(same_value(&back[i].vb_value, &vbs[i].vb_value));
	}
	REQUIRE(msg_reencode(&m2, out2, sizeof(out2), &len2) == 0);
	REQUIRE(len2 == len && memcmp(out2, out, len) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snmp_msg m;
	struct oid o;
	size_t i, n;
	int rv;

	rv = snmp_msg_decode(data, size, &m, vbs, SNMP_MAX_VARBINDS);
	REQUIRE(rv <= 0);
	if (rv == SNMP_ETOOMANY)
		REQUIRE(m.m_have_request_id && m.m_nvbs == SNMP_MAX_VARBINDS);
	if (rv != 0 && rv != SNMP_ETOOMANY)
		goto oid;
	for (i = 0; i < m.m_nvbs; i++) {
		if (vbs[i].vb_value.val_type == BER_OBJECT_ID)
			REQUIRE(ber_oid_decode(vbs[i].vb_value.val_str.ptr,
			    vbs[i].vb_value.val_str.len, &vals[i]) == 0);
	}
	if (rv == 0)
		reencode_same(&m, data, size);
	/* A limit taken from the input, so small limits get explored. */
	reply_within(&m, size > 0 ? (size_t)data[size - 1] * 8 : 484);
	reply_within(&m, 1472);
oid:
	/* The raw bytes as OID content: decode, and re-encode identically. */
	if (ber_oid_decode(data, size, &o) == 0) {
		REQUIRE(ber_oid_encode(&o, out, sizeof(out), &n) == 0);
		REQUIRE(n == size && memcmp(out, data, size) == 0);
	}
	return 0;
}
