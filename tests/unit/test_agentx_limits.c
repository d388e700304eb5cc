/*
 * test_agentx_limits: snmp/agentx.c's refusals and limits.  Each way a
 * PDU can be wrong gives its own code; every captured PDU cut at every
 * octet and with every octet flipped is refused or accepted, never
 * crashes, and when accepted encodes again no longer and the same when as
 * long; exact, limited and giant cases for OIDs, strings and payloads;
 * the writer at every buffer size, and every value type in both byte
 * orders.  The captures decoded field by field: test_agentx.c.
 */
#include <stdint.h>
#include <string.h>

#include "snmp/agentx.h"
#include "tests/harness.h"
#include "tests/unit/agentx_util.h"
#include "tests/unit/test_util.h"

#define PT	"1.3.6.1.4.1.8072.9999.9999.1"

static uint8_t buf[1024], out[1024];
static uint8_t big[AGENTX_MAX_PDU + 64], src[AGENTX_MAX_PAYLOAD + 8];
static struct agentx_pdu pdu;

static struct agentx_hdr
hdr(uint8_t type, uint8_t flags)
{
	return au_hdr(type, flags, 5, 0, 77);
}

/* The capture with one octet replaced, decoded. */
static int
patched(const char *name, size_t at, uint8_t v)
{
	size_t n = au_capture(name, buf, sizeof(buf));

	buf[at] = v;
	return agentx_pdu_decode(buf, n, &pdu);
}

/* The capture with its (little-endian) payload_length replaced. */
static int
with_payload_len(const char *name, size_t len, uint32_t payload)
{
	(void)au_capture(name, buf, sizeof(buf));
	buf[16] = (uint8_t)payload;
	buf[17] = (uint8_t)(payload >> 8);
	buf[18] = (uint8_t)(payload >> 16);
	buf[19] = (uint8_t)(payload >> 24);
	return agentx_pdu_decode(buf, len, &pdu);
}

static void
each_header_defect_has_its_own_code(void)
{
	size_t n = au_capture("16-ping", buf, sizeof(buf));

	CHECK_INT(agentx_pdu_decode(buf, n - 1, &pdu), ==, AGENTX_ETRUNC);
	CHECK_INT(agentx_pdu_decode(buf, 0, &pdu), ==, AGENTX_ETRUNC);
	CHECK_INT(patched("16-ping", 0, 2), ==, AGENTX_EVERSION);
	CHECK_INT(patched("16-ping", 0, 0), ==, AGENTX_EVERSION);
	CHECK_INT(patched("16-ping", 1, 0), ==, AGENTX_ETYPE);
	CHECK_INT(patched("16-ping", 1, 19), ==, AGENTX_ETYPE);
	CHECK_INT(patched("16-ping", 1, 0xff), ==, AGENTX_ETYPE);
	CHECK_INT(patched("16-ping", 2, 0x20), ==, AGENTX_EFLAGS);
	CHECK_INT(patched("16-ping", 2, 0x80), ==, AGENTX_EFLAGS);
	CHECK_INT(patched("16-ping", 3, 1), ==, AGENTX_ERESERVED);
	CHECK_INT(with_payload_len("16-ping", 20, 3), ==, AGENTX_EALIGN);
	CHECK_INT(with_payload_len("16-ping", 20, AGENTX_MAX_PAYLOAD + 4), ==,
	    AGENTX_EBIG);
	CHECK_INT(with_payload_len("16-ping", 20, 0xfffffffcU), ==,
	    AGENTX_EBIG);
	CHECK_INT(with_payload_len("16-ping", 20, 0xffffffffU), ==,
	    AGENTX_EALIGN);
	/* The header decoded as far as it was read, even on error. */
	CHECK_INT(pdu.p_hdr.h_type, ==, AGENTX_PDU_PING);
	CHECK_U64(pdu.p_hdr.h_payload_len, ==, 0xffffffffU);
}

static void
a_pdu_must_be_exactly_as_long_as_its_header_says(void)
{
	size_t n = au_capture("20-close", buf, sizeof(buf));

	memset(buf + n, 0, 8);
	CHECK_INT(agentx_pdu_decode(buf, n + 1, &pdu), ==, AGENTX_ETRAILING);
	CHECK_INT(agentx_pdu_decode(buf, n + 4, &pdu), ==, AGENTX_ETRAILING);
	/* Close with a payload of 8: octets after its reason. */
	CHECK_INT(with_payload_len("20-close", n + 4, 8), ==,
	    AGENTX_ETRAILING);
	CHECK_INT(with_payload_len("20-close", n - 4, 0), ==, AGENTX_ETRUNC);
	/* CommitSet carries nothing: four more octets are trailing. */
	CHECK_INT(patched("20-close", 1, AGENTX_PDU_COMMITSET), ==,
	    AGENTX_ETRAILING);
	CHECK_INT(with_payload_len("16-ping", 24, 4), ==, AGENTX_ETRAILING);
}

static void
each_field_defect_has_its_own_code(void)
{
	/* 01-open: timeout at 20, its reserved octets 21..23, id at 24. */
	CHECK_INT(patched("01-open", 22, 1), ==, AGENTX_ERESERVED);
	CHECK_INT(patched("01-open", 27, 1), ==, AGENTX_ERESERVED);
	CHECK_INT(patched("01-open", 26, 1), ==, AGENTX_EINCLUDE);
	CHECK_INT(patched("01-open", 26, 2), ==, AGENTX_EINCLUDE);
	CHECK_INT(patched("01-open", 24, 124), ==, AGENTX_EOIDLEN);
	CHECK_INT(patched("01-open", 24, 200), ==, AGENTX_EOIDLEN);
	CHECK_INT(patched("01-open", 24, 6), ==, AGENTX_ETRUNC);
	/* descr: 25 octets at 52, padding 77..79. */
	CHECK_INT(patched("01-open", 79, ' '), ==, AGENTX_EPADDING);
	CHECK_INT(patched("01-open", 48, 26), ==, 0);
	CHECK_INT(patched("01-open", 48, 24), ==, AGENTX_ETRAILING);
	CHECK_INT(patched("01-open", 48, 29), ==, AGENTX_ETRUNC);
	CHECK_INT(patched("01-open", 51, 0xff), ==, AGENTX_ETRUNC);
	/* 20-close: reason at 20. */
	CHECK_INT(patched("20-close", 20, 0), ==, AGENTX_EREASON);
	CHECK_INT(patched("20-close", 20, 7), ==, AGENTX_EREASON);
	CHECK_INT(patched("20-close", 23, 1), ==, AGENTX_ERESERVED);
	/* 05-notify: first varbind's type at 20, reserved 22, name at 24. */
	CHECK_INT(patched("05-notify-coldstart", 20, 0x30), ==,
	    AGENTX_EVALTYPE);
	CHECK_INT(patched("05-notify-coldstart", 21, 1), ==, AGENTX_EVALTYPE);
	CHECK_INT(patched("05-notify-coldstart", 22, 1), ==, AGENTX_ERESERVED);
	CHECK_INT(patched("05-notify-coldstart", 26, 1), ==, AGENTX_EINCLUDE);
	/* 09-getnext: start at 24 may include; the end at 48 may not. */
	CHECK_INT(patched("09-getnext-from-below", 26, 0), ==, 0);
	CHECK_INT(patched("09-getnext-from-below", 50, 1), ==,
	    AGENTX_EINCLUDE);
	/* 03-register: the context is a string; its length at 20. */
	CHECK_INT(patched("03-register", 20, 4), ==, AGENTX_ETRAILING);
	CHECK_INT(patched("03-register", 20, 1), ==, AGENTX_EPADDING);
	CHECK_INT(patched("03-register", 27, 1), ==, AGENTX_ERESERVED);
	/* range_subid 10 names the last sub-id (1) of the subtree. */
	CHECK_INT(patched("03-register", 26, 11), ==, AGENTX_ETRUNC);
	/* Unregister's first octet is reserved, Register's the timeout. */
	CHECK_INT(patched("03-register", 1, AGENTX_PDU_UNREGISTER), ==,
	    AGENTX_ERESERVED);
}

static void
range_subid_and_upper_bound_are_checked_against_the_subtree(void)
{
	struct agentx_hdr h = hdr(0, AGENTX_F_NETWORK_BYTE_ORDER);
	struct oid pt = O(PT ".1.2.7");
	size_t len;

	CHECK_INT(agentx_encode_register(out, sizeof(out), &h, NULL, 0, 0,
	    127, &pt, 13, 9, &len), ==, 0);
	CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
	CHECK_INT(pdu.p_range_subid, ==, 13);
	CHECK_U64(pdu.p_upper_bound, ==, 9);
	CHECK_INT(agentx_encode_register(out, sizeof(out), &h, NULL, 0, 0,
	    127, &pt, 13, 7, &len), ==, 0);
	CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
	CHECK_INT(agentx_encode_register(out, sizeof(out), &h, NULL, 0, 0,
	    127, &pt, 13, 6, &len), ==, 0);
	CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, AGENTX_ERANGESUBID);
	CHECK_INT(agentx_encode_register(out, sizeof(out), &h, NULL, 0, 0,
	    127, &pt, 14, 99, &len), ==, 0);
	CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, AGENTX_ERANGESUBID);
	CHECK_INT(agentx_encode_unregister(out, sizeof(out), &h, NULL, 0, 127,
	    &pt, 1, 1, &len), ==, 0);
	CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
	CHECK_INT(pdu.p_hdr.h_type, ==, AGENTX_PDU_UNREGISTER);
	CHECK_INT(pdu.p_priority, ==, 127);
}

/* A Get whose one range starts at an OID of n sub-ids (prefix p). */
static int
get_with_oid(size_t n, uint8_t prefix)
{
	struct agentx_writer w;
	struct agentx_hdr h = hdr(AGENTX_PDU_GET, AGENTX_F_NETWORK_BYTE_ORDER);
	size_t i, len;

	agentx_write_init(&w, big, sizeof(big), &h, NULL, 0);
	agentx_write_u8x4(&w, (uint8_t)n, prefix, 0, 0);
	for (i = 0; i < n; i++)
		agentx_write_u32(&w, (uint32_t)i);
	agentx_write_u8x4(&w, 0, 0, 0, 0);
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	return agentx_pdu_decode(big, len, &pdu);
}

static void
oids_are_capped_at_128_sub_ids_prefix_included(void)
{
	struct agentx_iter it;
	struct agentx_range r;

	CHECK_INT(get_with_oid(128, 0), ==, 0);
	agentx_iter_init(&it, &pdu);
	CHECK_INT(agentx_iter_range(&it, &r), ==, 1);
	CHECK_U64(r.ar_start.o_len, ==, 128);
	CHECK_U64(r.ar_start.o_id[127], ==, 127);
	CHECK_INT(get_with_oid(123, 4), ==, 0);
	agentx_iter_init(&it, &pdu);
	CHECK_INT(agentx_iter_range(&it, &r), ==, 1);
	CHECK_U64(r.ar_start.o_len, ==, 128);
	CHECK_U64(r.ar_start.o_id[4], ==, 4);
	CHECK_INT(get_with_oid(129, 0), ==, AGENTX_EOIDLEN);
	CHECK_INT(get_with_oid(124, 4), ==, AGENTX_EOIDLEN);
	CHECK_INT(get_with_oid(255, 255), ==, AGENTX_EOIDLEN);
	CHECK_INT(get_with_oid(0, 0), ==, 0);
	CHECK_INT(get_with_oid(0, 9), ==, 0);
}

static void
writer_compresses_the_internet_prefix_where_it_can(void)
{
	static const struct {
		const char	*oid;
		uint8_t		 n_subid, prefix;
	} cases[] = {
		{ "1.3.6.1.4", 0, 4 },
		{ "1.3.6.1.4.1.8072", 2, 4 },
		{ "1.3.6.1.255.7", 1, 255 },
		{ "1.3.6.1.256.7", 6, 0 },
		{ "1.3.6.1.0.7", 6, 0 },
		{ "1.3.6.1", 4, 0 },
		{ "1.3.6.2.4", 5, 0 },
		{ "0.0", 2, 0 },
	};
	struct agentx_writer w;
	struct agentx_hdr h = hdr(AGENTX_PDU_GET, 0);
	struct agentx_iter it;
	struct agentx_range r;
	struct oid want;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.ar_start = O(cases[i].oid);
		agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
		CHECK_INT(agentx_write_range(&w, &r), ==, 0);
		CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
		CHECK_INT(out[20], ==, cases[i].n_subid);
		CHECK_INT(out[21], ==, cases[i].prefix);
		CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
		agentx_iter_init(&it, &pdu);
		CHECK_INT(agentx_iter_range(&it, &r), ==, 1);
		want = O(cases[i].oid);
		CHECK_INT(oid_cmp(&r.ar_start, &want), ==, 0);
	}
}

static void
an_uncompressed_oid_is_accepted_and_written_shorter(void)
{
	size_t n = au_capture("26-be-get", buf, sizeof(buf)), len;
	uint8_t raw[256];
	size_t rn;

	/* 26's start, 1.3.6.1.4.1.8072...: n_subid 9, prefix 4, at 20. */
	memcpy(raw, buf, 20);
	raw[20] = 14;
	raw[21] = 0;
	raw[22] = 0;
	raw[23] = 0;
	memcpy(raw + 24, "\0\0\0\1\0\0\0\3\0\0\0\6\0\0\0\1\0\0\0\4", 20);
	memcpy(raw + 44, buf + 24, n - 24);
	rn = n + 20;
	raw[19] = (uint8_t)(buf[19] + 20);
	CHECK_INT(agentx_pdu_decode(raw, rn, &pdu), ==, 0);
	CHECK_INT(au_reencode(&pdu, pdu.p_hdr.h_flags, out, sizeof(out),
	    &len), ==, 0);
	CHECK_MEM(out, len, buf, n);
}

static void
strings_and_payloads_have_exact_and_giant_cases(void)
{
	struct agentx_writer w;
	struct agentx_hdr h = hdr(AGENTX_PDU_RESPONSE, 0);
	struct snmp_value v;
	struct oid null = { .o_len = 0 };
	size_t len, slen;

	/* A Response whose one string makes the payload exactly the cap. */
	slen = AGENTX_MAX_PAYLOAD - 8 - 4 - 4 - 4;
	memset(&v, 0, sizeof(v));
	v.val_type = BER_OCTET_STRING;
	v.val_str.ptr = src;
	v.val_str.len = slen;
	agentx_write_init(&w, big, sizeof(big), &h, NULL, 0);
	agentx_write_response(&w, 0, 0, 0);
	CHECK_INT(agentx_write_varbind(&w, &null, &v), ==, 0);
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	CHECK_U64(len, ==, AGENTX_MAX_PDU);
	CHECK_INT(agentx_pdu_decode(big, len, &pdu), ==, 0);
	/* Four octets more: the writer and the decoder refuse it. */
	v.val_str.len = slen + 4;
	agentx_write_init(&w, big, sizeof(big), &h, NULL, 0);
	agentx_write_response(&w, 0, 0, 0);
	CHECK_INT(agentx_write_varbind(&w, &null, &v), ==, 0);
	CHECK_INT(agentx_write_finish(&w, &len), ==, AGENTX_EBIG);
	/* A string longer than the payload can be, and one of 2^32-1. */
	v.val_str.len = AGENTX_MAX_PAYLOAD + 1;
	agentx_write_init(&w, big, sizeof(big), &h, NULL, 0);
	CHECK_INT(agentx_write_varbind(&w, &null, &v), ==, AGENTX_ENOSPACE);
	(void)au_capture("02-response-open", buf, sizeof(buf));
	memset(buf + 56, 0xff, 4);
	CHECK_INT(agentx_pdu_decode(buf, 88, &pdu), ==, AGENTX_ETRUNC);
	/* An empty one: its octets are read as a next varbind ("Net-"). */
	memset(buf + 56, 0, 4);
	CHECK_INT(agentx_pdu_decode(buf, 88, &pdu), ==, AGENTX_ERESERVED);
}

/* Every cut of every capture: ETRUNC, or a shorter list that is valid. */
static void
every_capture_cut_at_every_octet_is_refused_or_a_valid_prefix(void)
{
	struct agentx_pdu whole;
	size_t i, n, k;
	int rc;

	for (i = 0; i < AU_NCAPTURES; i++) {
		n = au_capture(au_captures[i], buf, sizeof(buf));
		CHECK_INT(agentx_pdu_decode(buf, n, &whole), ==, 0);
		for (k = 0; k < n; k++)
			CHECK_INT(agentx_pdu_decode(buf, k, &pdu), ==,
			    AGENTX_ETRUNC);
		/* Now the header agrees with the cut. */
		for (k = 20; k < n; k += 4) {
			memcpy(out, buf, k);
			if ((whole.p_hdr.h_flags &
			    AGENTX_F_NETWORK_BYTE_ORDER) != 0)
				out[19] = (uint8_t)(k - 20), out[18] = 0;
			else
				out[16] = (uint8_t)(k - 20), out[17] = 0;
			rc = agentx_pdu_decode(out, k, &pdu);
			if (rc == 0)
				CHECK(pdu.p_list != NULL &&
				    pdu.p_nitems < whole.p_nitems);
			else
				CHECK_INT(rc, ==, AGENTX_ETRUNC);
		}
	}
}

static void
every_octet_of_every_capture_flipped_is_refused_or_encodes_again(void)
{
	static const uint8_t masks[] = { 0x01, 0x02, 0x10, 0x80, 0xff };
	size_t i, n, k, m;
	uint8_t orig;
	int rc;

	for (i = 0; i < AU_NCAPTURES; i++) {
		n = au_capture(au_captures[i], buf, sizeof(buf));
		for (k = 0; k < n; k++) {
			for (m = 0; m < sizeof(masks); m++) {
				orig = buf[k];
				buf[k] ^= masks[m];
				rc = agentx_pdu_decode(buf, n, &pdu);
				if (rc == 0)
					CHECK_INT(au_reencode_check(&pdu, buf,
					    n), ==, 0);
				else
					CHECK(rc <= AGENTX_ETRUNC &&
					    rc >= AGENTX_EREASON);
				buf[k] = orig;
			}
		}
	}
}

static void
framing_finds_whole_pdus_in_a_stream(void)
{
	size_t n1, n2, len;
	uint8_t stream[256];

	n1 = au_capture("07-get", stream, sizeof(stream));
	n2 = au_capture("16-ping", stream + n1, sizeof(stream) - n1);
	CHECK_INT(agentx_frame(stream, 0, &len), ==, 0);
	CHECK_U64(len, ==, 0);
	CHECK_INT(agentx_frame(stream, 19, &len), ==, 0);
	CHECK_U64(len, ==, 0);
	CHECK_INT(agentx_frame(stream, 20, &len), ==, 0);
	CHECK_U64(len, ==, n1);
	CHECK_INT(agentx_frame(stream, n1 - 1, &len), ==, 0);
	CHECK_INT(agentx_frame(stream, n1, &len), ==, 1);
	CHECK_U64(len, ==, n1);
	CHECK_INT(agentx_frame(stream, n1 + n2, &len), ==, 1);
	CHECK_U64(len, ==, n1);
	CHECK_INT(agentx_frame(stream + n1, n2, &len), ==, 1);
	CHECK_U64(len, ==, 20);
	stream[n1] = 3;
	CHECK_INT(agentx_frame(stream + n1, n2, &len), ==, AGENTX_EVERSION);
	CHECK_INT(agentx_frame(stream + n1, 5, &len), ==, 0);
}

static void
the_writer_fits_whole_puts_or_nothing_at_every_size(void)
{
	struct agentx_hdr h = hdr(0, 0);
	struct oid id = O("1.3.6.1.4.1.8072.3.2.10");
	size_t cap, len, n = au_capture("01-open", buf, sizeof(buf));
	const char *descr = "Net-SNMP AgentX sub-agent";

	h.h_packet_id = 1025353953;
	h.h_session_id = 0;
	for (cap = 0; cap < n; cap++) {
		memset(out, 0xee, sizeof(out));
		CHECK_INT(agentx_encode_open(out, cap, &h, 1, &id,
		    (const uint8_t *)descr, strlen(descr), &len), ==,
		    AGENTX_ENOSPACE);
		CHECK_U64(len, ==, 0);
		CHECK_INT(out[cap], ==, 0xee);
	}
	CHECK_INT(agentx_encode_open(out, n, &h, 1, &id,
	    (const uint8_t *)descr, strlen(descr), &len), ==, 0);
	CHECK_MEM(out, len, buf, n);
}

static void
a_response_filled_to_its_limit_still_decodes(void)
{
	struct agentx_writer w;
	struct agentx_hdr h = hdr(AGENTX_PDU_RESPONSE,
	    AGENTX_F_NETWORK_BYTE_ORDER);
	struct oid name = O(PT ".1.3.1.2.1234");
	struct snmp_value v;
	size_t cap, added, mark, len;

	memset(&v, 0, sizeof(v));
	v.val_type = BER_OCTET_STRING;
	v.val_str.ptr = (const uint8_t *)"zombie";
	v.val_str.len = 6;
	for (cap = 20; cap < 400; cap += 7) {
		agentx_write_init(&w, out, cap, &h, NULL, 0);
		if (agentx_write_response(&w, 0, 0, 0) != 0) {
			CHECK(cap < 28);
			continue;
		}
		for (added = 0;; added++) {
			mark = agentx_write_mark(&w);
			if (agentx_write_varbind(&w, &name, &v) != 0)
				break;
		}
		CHECK_INT(agentx_write_varbind(&w, &name, &v), ==,
		    AGENTX_ENOSPACE);
		agentx_write_rewind(&w, mark);
		CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
		CHECK(len <= cap);
		CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
		CHECK_U64(pdu.p_nitems, ==, added);
	}
}

static void
values_the_writer_cannot_encode_are_refused_and_leave_no_trace(void)
{
	struct agentx_writer w;
	struct agentx_hdr h = hdr(AGENTX_PDU_RESPONSE, 0);
	struct oid name = O("1.3.6.1.2.1.1.3.0"), long_oid;
	struct snmp_value v;
	size_t i, len, mark;
	static const struct {
		uint8_t		type;
		int64_t		i;
		uint64_t	u;
		size_t		slen;
	} bad[] = {
		{ BER_INTEGER, (int64_t)INT32_MAX + 1, 0, 0 },
		{ BER_INTEGER, (int64_t)INT32_MIN - 1, 0, 0 },
		{ BER_GAUGE32, 0, (uint64_t)UINT32_MAX + 1, 0 },
		{ BER_COUNTER32, 0, UINT64_MAX, 0 },
		{ BER_TIMETICKS, 0, 1ULL << 32, 0 },
		{ BER_IPADDRESS, 0, 0, 3 },
		{ BER_IPADDRESS, 0, 0, 16 },
		{ BER_SEQUENCE, 0, 0, 0 },
		{ 0x47, 0, 0, 0 },
		{ BER_OBJECT_ID, 0, 0, 0 },
	};

	memset(&long_oid, 0, sizeof(long_oid));
	long_oid.o_len = OID_MAX_LEN + 1;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&v, 0, sizeof(v));
		v.val_type = bad[i].type;
		if (bad[i].type == BER_INTEGER)
			v.val_int = bad[i].i;
		else if (bad[i].type == BER_IPADDRESS) {
			v.val_str.ptr = buf;
			v.val_str.len = bad[i].slen;
		} else
			v.val_uint = bad[i].u;
		agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
		agentx_write_response(&w, 0, 0, 0);
		mark = agentx_write_mark(&w);
		CHECK_INT(agentx_write_varbind(&w, &name, &v), ==,
		    AGENTX_EVALUE);
		CHECK_U64(agentx_write_mark(&w), ==, SIZE_MAX);
		CHECK_INT(agentx_write_finish(&w, &len), ==, AGENTX_EVALUE);
		agentx_write_rewind(&w, mark);
		CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
		CHECK_U64(len, ==, 28);
	}
	memset(&v, 0, sizeof(v));
	v.val_type = BER_NULL;
	agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
	CHECK_INT(agentx_write_varbind(&w, &long_oid, &v), ==, AGENTX_EVALUE);
	agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
	CHECK_INT(agentx_write_octets(&w, NULL, 1), ==, AGENTX_EINVAL);
	/* A put that breaks 4-octet alignment is a misuse finish reports. */
	agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
	w.w_len += 2;
	CHECK_INT(agentx_write_finish(&w, &len), ==, AGENTX_EINVAL);
}

/* Each value in one byte order, decoded back. */
static void
value_round_trip(uint8_t flags, const struct snmp_value *v)
{
	struct agentx_writer w;
	struct agentx_hdr h = hdr(AGENTX_PDU_RESPONSE, flags);
	struct agentx_iter it;
	struct agentx_varbind vb;
	struct oid name = O("1.3.6.1.2.1.1.3.0");
	size_t len;

	agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
	agentx_write_response(&w, 0, 0, 0);
	CHECK_INT(agentx_write_varbind(&w, &name, v), ==, 0);
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
	agentx_iter_init(&it, &pdu);
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
	CHECK_INT(vb.av_value.val_type, ==, v->val_type);
	switch (v->val_type) {
	case BER_INTEGER:
		CHECK_INT(vb.av_value.val_int, ==, v->val_int);
		break;
	case BER_OBJECT_ID:
		CHECK_INT(oid_cmp(&vb.av_oid, v->val_oid), ==, 0);
		break;
	case BER_OCTET_STRING:
	case BER_OPAQUE:
	case BER_IPADDRESS:
		CHECK_MEM(vb.av_value.val_str.ptr, vb.av_value.val_str.len,
		    v->val_str.ptr, v->val_str.len);
		break;
	default:
		CHECK_U64(vb.av_value.val_uint, ==, v->val_uint);
	}
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 0);
}

static void
every_value_type_round_trips_in_both_byte_orders(void)
{
	static const uint8_t uints[] = { BER_COUNTER32, BER_GAUGE32,
	    BER_TIMETICKS, BER_NULL, BER_NOSUCHOBJECT, BER_NOSUCHINSTANCE,
	    BER_ENDOFMIBVIEW };
	struct snmp_value v;
	struct oid o = O("1.3.6.1.6.3.1.1.5.1");
	size_t i, f, slen;

	for (f = 0; f < 2; f++) {
		uint8_t flags = f ? AGENTX_F_NETWORK_BYTE_ORDER : 0;

		memset(&v, 0, sizeof(v));
		v.val_type = BER_INTEGER;
		v.val_int = INT32_MIN;
		value_round_trip(flags, &v);
		v.val_int = -5;
		value_round_trip(flags, &v);
		for (i = 0; i < sizeof(uints); i++) {
			memset(&v, 0, sizeof(v));
			v.val_type = uints[i];
			v.val_uint = uints[i] < BER_NULL + 1 ? 0 : UINT32_MAX;
			if (uints[i] >= BER_NOSUCHOBJECT)
				v.val_uint = 0;
			value_round_trip(flags, &v);
		}
		memset(&v, 0, sizeof(v));
		v.val_type = BER_COUNTER64;
		v.val_uint = 0x0102030405060708ULL;
		value_round_trip(flags, &v);
		memset(&v, 0, sizeof(v));
		v.val_type = BER_OBJECT_ID;
		v.val_oid = &o;
		value_round_trip(flags, &v);
		for (slen = 0; slen <= 9; slen++) {
			memset(&v, 0, sizeof(v));
			v.val_type = slen % 2 ? BER_OPAQUE : BER_OCTET_STRING;
			v.val_str.ptr = (const uint8_t *)"abcdefghi";
			v.val_str.len = slen;
			value_round_trip(flags, &v);
		}
		v.val_type = BER_IPADDRESS;
		v.val_str.len = 4;
		value_round_trip(flags, &v);
	}
}

static void
counter64_is_laid_out_in_the_pdus_byte_order(void)
{
	struct agentx_writer w;
	struct agentx_hdr h = hdr(AGENTX_PDU_RESPONSE,
	    AGENTX_F_NETWORK_BYTE_ORDER);
	struct oid null = { .o_len = 0 };
	struct snmp_value v;
	size_t len;

	memset(&v, 0, sizeof(v));
	v.val_type = BER_COUNTER64;
	v.val_uint = 0x0102030405060708ULL;
	agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
	agentx_write_response(&w, 0, 0, 0);
	agentx_write_varbind(&w, &null, &v);
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	CHECK_MEM(out + len - 8, 8, "\1\2\3\4\5\6\7\10", 8);
	h.h_flags = 0;
	agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
	agentx_write_response(&w, 0, 0, 0);
	agentx_write_varbind(&w, &null, &v);
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	CHECK_MEM(out + len - 8, 8, "\10\7\6\5\4\3\2\1", 8);
}

static void
getbulk_fields_and_a_context_decode_in_both_byte_orders(void)
{
	struct agentx_writer w;
	struct agentx_hdr h;
	struct agentx_range r;
	size_t f, len;

	for (f = 0; f < 2; f++) {
		h = hdr(AGENTX_PDU_GETBULK, AGENTX_F_NON_DEFAULT_CONTEXT |
		    (f ? AGENTX_F_NETWORK_BYTE_ORDER : 0));
		memset(&r, 0, sizeof(r));
		r.ar_start = O(PT);
		r.ar_include = true;
		r.ar_end = O("1.3.6.1.4.1.8072.9999.9999.2");
		agentx_write_init(&w, out, sizeof(out), &h,
		    (const uint8_t *)"public", 6);
		agentx_write_u16x2(&w, 1, 0x1234);
		agentx_write_range(&w, &r);
		agentx_write_range(&w, &r);
		CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
		CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
		CHECK_MEM(pdu.p_context, pdu.p_context_len, "public", 6);
		CHECK_INT(pdu.p_non_repeaters, ==, 1);
		CHECK_INT(pdu.p_max_repetitions, ==, 0x1234);
		CHECK_U64(pdu.p_nitems, ==, 2);
		CHECK(pdu.p_list_ranges);
	}
}

static void
every_refusal_has_its_own_message(void)
{
	int a, b;

	for (a = AGENTX_EINVAL; a <= AGENTX_ETRUNC; a++) {
		CHECK(strcmp(agentx_strerror(a), "unknown error") != 0);
		for (b = AGENTX_EINVAL; b < a; b++)
			CHECK(strcmp(agentx_strerror(a),
			    agentx_strerror(b)) != 0);
	}
	CHECK_STR(agentx_strerror(0), "no error");
	CHECK_STR(agentx_strerror(-1), "unknown error");
}

int
main(void)
{
	RUN(each_header_defect_has_its_own_code);
	RUN(a_pdu_must_be_exactly_as_long_as_its_header_says);
	RUN(each_field_defect_has_its_own_code);
	RUN(range_subid_and_upper_bound_are_checked_against_the_subtree);
	RUN(oids_are_capped_at_128_sub_ids_prefix_included);
	RUN(writer_compresses_the_internet_prefix_where_it_can);
	RUN(an_uncompressed_oid_is_accepted_and_written_shorter);
	RUN(strings_and_payloads_have_exact_and_giant_cases);
	RUN(every_capture_cut_at_every_octet_is_refused_or_a_valid_prefix);
	RUN(every_octet_of_every_capture_flipped_is_refused_or_encodes_again);
	RUN(framing_finds_whole_pdus_in_a_stream);
	RUN(the_writer_fits_whole_puts_or_nothing_at_every_size);
	RUN(a_response_filled_to_its_limit_still_decodes);
	RUN(values_the_writer_cannot_encode_are_refused_and_leave_no_trace);
	RUN(every_value_type_round_trips_in_both_byte_orders);
	RUN(counter64_is_laid_out_in_the_pdus_byte_order);
	RUN(getbulk_fields_and_a_context_decode_in_both_byte_orders);
	RUN(every_refusal_has_its_own_message);
	return t_done();
}
