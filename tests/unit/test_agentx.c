/*
 * test_agentx: snmp/agentx.c against the PDUs captured between net-snmp
 * 5.9.3's snmpd as master and its own subagent (little-endian) and a
 * hand-made big-endian subagent (tests/unit/agentx/, notes/agentx.md):
 * every capture decoded field by field, every capture encoded again byte
 * for byte, and our encoders giving the subagent's PDUs byte for byte.
 * Refusals, limits and mutations: test_agentx_limits.c.
 */
#include <stdint.h>
#include <string.h>

#include "snmp/agentx.h"
#include "snmp/pdu.h"
#include "tests/harness.h"
#include "tests/unit/agentx_util.h"
#include "tests/unit/test_util.h"

#define PT	"1.3.6.1.4.1.8072.9999.9999.1"

static uint8_t buf[1024], out[1024];
static struct agentx_pdu pdu;

static size_t
load(const char *name)
{
	size_t n = au_capture(name, buf, sizeof(buf));

	CHECK_INT(agentx_pdu_decode(buf, n, &pdu), ==, 0);
	return n;
}

static void
oid_is(const struct oid *o, const char *text)
{
	struct oid want = O(text);

	if (oid_cmp(o, &want) != 0) {
		char got[OID_STR_MAX];

		(void)oid_format(o, got, sizeof(got));
		T_FAIL_("oid %s, want %s", got, text);
	}
}

static void
hdr_is(uint8_t type, uint8_t flags, uint32_t sid, uint32_t tid, uint32_t pid,
    uint32_t payload)
{
	CHECK_INT(pdu.p_hdr.h_version, ==, AGENTX_VERSION);
	CHECK_INT(pdu.p_hdr.h_type, ==, type);
	CHECK_INT(pdu.p_hdr.h_flags, ==, flags);
	CHECK_U64(pdu.p_hdr.h_session_id, ==, sid);
	CHECK_U64(pdu.p_hdr.h_transaction_id, ==, tid);
	CHECK_U64(pdu.p_hdr.h_packet_id, ==, pid);
	CHECK_U64(pdu.p_hdr.h_payload_len, ==, payload);
}

/* The next range of the list, and its fields. */
static void
range_is(struct agentx_iter *it, const char *start, bool include,
    const char *end)
{
	struct agentx_range r;

	CHECK_INT(agentx_iter_range(it, &r), ==, 1);
	oid_is(&r.ar_start, start);
	CHECK_INT(r.ar_include, ==, include);
	if (end == NULL)
		CHECK_U64(r.ar_end.o_len, ==, 0);
	else
		oid_is(&r.ar_end, end);
}

static void
varbind_is(struct agentx_iter *it, const char *name, uint8_t type,
    uint64_t u)
{
	struct agentx_varbind vb;

	CHECK_INT(agentx_iter_varbind(it, &vb), ==, 1);
	oid_is(&vb.av_name, name);
	CHECK_INT(vb.av_value.val_type, ==, type);
	if (type == BER_GAUGE32 || type == BER_TIMETICKS)
		CHECK_U64(vb.av_value.val_uint, ==, u);
}

static void
open_and_its_response_decode_field_by_field(void)
{
	struct agentx_iter it;
	struct agentx_varbind vb;
	size_t n;

	n = load("01-open");
	CHECK_U64(n, ==, 80);
	hdr_is(AGENTX_PDU_OPEN, 0, 0, 0, 1025353953, 60);
	CHECK_INT(pdu.p_timeout, ==, 1);
	oid_is(&pdu.p_oid, "1.3.6.1.4.1.8072.3.2.10");
	CHECK_MEM(pdu.p_descr, pdu.p_descr_len, "Net-SNMP AgentX sub-agent",
	    25);
	CHECK(pdu.p_descr == buf + 20 + 4 + 4 + 20 + 4);
	CHECK(pdu.p_context == NULL);
	CHECK_U64(pdu.p_nitems, ==, 0);

	load("02-response-open");
	hdr_is(AGENTX_PDU_RESPONSE, 0, 5, 0, 1025353953, 68);
	CHECK_U64(pdu.p_sysuptime, ==, 200);
	CHECK_INT(pdu.p_error, ==, 0);
	CHECK_INT(pdu.p_index, ==, 0);
	CHECK_U64(pdu.p_nitems, ==, 1);
	agentx_iter_init(&it, &pdu);
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
	oid_is(&vb.av_name, "1.3.6.1.4.1.8072.3.2.10");
	CHECK_INT(vb.av_value.val_type, ==, BER_OCTET_STRING);
	CHECK_MEM(vb.av_value.val_str.ptr, vb.av_value.val_str.len,
	    "Net-SNMP AgentX sub-agent", 25);
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 0);
}

static void
register_with_an_empty_context_decodes_field_by_field(void)
{
	struct agentx_iter it;

	load("03-register");
	hdr_is(AGENTX_PDU_REGISTER, AGENTX_F_NON_DEFAULT_CONTEXT, 5, 0,
	    1025353954, 32);
	CHECK(pdu.p_context == buf + 24);
	CHECK_U64(pdu.p_context_len, ==, 0);
	CHECK_INT(pdu.p_timeout, ==, 255);
	CHECK_INT(pdu.p_priority, ==, 127);
	CHECK_INT(pdu.p_range_subid, ==, 0);
	oid_is(&pdu.p_oid, PT);

	load("04-response-register");
	CHECK_U64(pdu.p_nitems, ==, 1);
	agentx_iter_init(&it, &pdu);
	varbind_is(&it, PT, BER_NULL, 0);
}

static void
notify_values_of_every_kind_it_carries_decode(void)
{
	struct agentx_iter it;
	struct agentx_varbind vb;

	load("05-notify-coldstart");
	hdr_is(AGENTX_PDU_NOTIFY, 0, 5, 0, 1025353956, 140);
	CHECK_U64(pdu.p_nitems, ==, 3);
	agentx_iter_init(&it, &pdu);
	varbind_is(&it, "1.3.6.1.2.1.1.3.0", BER_TIMETICKS, 200);
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
	oid_is(&vb.av_name, "1.3.6.1.6.3.1.1.4.1.0");
	CHECK_INT(vb.av_value.val_type, ==, BER_OBJECT_ID);
	CHECK(vb.av_value.val_oid == &vb.av_oid);
	oid_is(&vb.av_oid, "1.3.6.1.6.3.1.1.5.1");
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
	oid_is(&vb.av_oid, "1.3.6.1.4.1.8072.3.2.10");
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 0);
	/* Asking a VarBindList for ranges is a misuse, not a crash. */
	agentx_iter_init(&it, &pdu);
	CHECK_INT(agentx_iter_range(&it, &(struct agentx_range){0}), ==,
	    AGENTX_EINVAL);
}

static void
get_carries_search_ranges_ending_in_the_null_oid(void)
{
	struct agentx_iter it;
	struct agentx_range r;

	load("07-get");
	hdr_is(AGENTX_PDU_GET, AGENTX_F_NON_DEFAULT_CONTEXT, 5, 1, 2, 136);
	CHECK_U64(pdu.p_context_len, ==, 0);
	CHECK_U64(pdu.p_nitems, ==, 3);
	CHECK(pdu.p_list_ranges);
	agentx_iter_init(&it, &pdu);
	range_is(&it, PT ".1.1.1.0", false, NULL);
	range_is(&it, PT ".1.1.6.0", false, NULL);
	range_is(&it, PT ".1.1.5.0", false, NULL);
	CHECK_INT(agentx_iter_range(&it, &r), ==, 0);
	CHECK_INT(agentx_iter_range(&it, &r), ==, 0);
}

static void
response_to_get_carries_gauges_and_an_exception(void)
{
	struct agentx_iter it;

	load("08-response-get");
	hdr_is(AGENTX_PDU_RESPONSE, AGENTX_F_NON_DEFAULT_CONTEXT, 5, 1, 2,
	    152);
	CHECK_U64(pdu.p_sysuptime, ==, 0);
	agentx_iter_init(&it, &pdu);
	varbind_is(&it, PT ".1.1.1.0", BER_GAUGE32, 7);
	varbind_is(&it, PT ".1.1.6.0", BER_GAUGE32, 2);
	varbind_is(&it, PT ".1.1.5.0", BER_NOSUCHINSTANCE, 0);
}

static void
getnext_ranges_carry_include_and_an_upper_bound(void)
{
	struct agentx_iter it;

	load("09-getnext-from-below");
	hdr_is(AGENTX_PDU_GETNEXT, AGENTX_F_NON_DEFAULT_CONTEXT, 5, 3, 4, 52);
	agentx_iter_init(&it, &pdu);
	range_is(&it, PT, true, "1.3.6.1.4.1.8072.9999.9999.2");

	load("11-getnext-walk-step");
	agentx_iter_init(&it, &pdu);
	range_is(&it, PT ".1.1.1.0", false, "1.3.6.1.4.1.8072.9999.9999.2");

	load("14-response-endofmibview");
	agentx_iter_init(&it, &pdu);
	varbind_is(&it, PT ".1.2.3.0", BER_ENDOFMIBVIEW, 0);

	load("15-getnext-bulk-repetition");
	hdr_is(AGENTX_PDU_GETNEXT, AGENTX_F_NON_DEFAULT_CONTEXT, 5, 13, 15,
	    68);
}

static void
ping_close_and_their_responses_decode(void)
{
	load("16-ping");
	hdr_is(AGENTX_PDU_PING, 0, 5, 0, 1025353957, 0);
	load("17-response-ping");
	hdr_is(AGENTX_PDU_RESPONSE, 0, 5, 0, 1025353957, 8);
	CHECK_U64(pdu.p_sysuptime, ==, 906);
	CHECK_U64(pdu.p_nitems, ==, 0);
	load("20-close");
	hdr_is(AGENTX_PDU_CLOSE, 0, 5, 0, 1025353964, 4);
	CHECK_INT(pdu.p_reason, ==, AGENTX_REASON_SHUTDOWN);
	load("21-response-close");
	CHECK_U64(pdu.p_sysuptime, ==, 807);
}

static void
big_endian_session_decodes_the_same_fields(void)
{
	struct agentx_iter it;
	struct agentx_varbind vb;
	const uint8_t be = AGENTX_F_NETWORK_BYTE_ORDER;

	load("22-be-open");
	hdr_is(AGENTX_PDU_OPEN, be, 0, 0, 1, 28);
	CHECK_INT(pdu.p_timeout, ==, 5);
	CHECK_U64(pdu.p_oid.o_len, ==, 0);
	CHECK_MEM(pdu.p_descr, pdu.p_descr_len, "proctel BE test", 15);

	load("23-be-response-open");
	hdr_is(AGENTX_PDU_RESPONSE, be, 5, 0, 1, 44);
	CHECK_U64(pdu.p_sysuptime, ==, 107);
	agentx_iter_init(&it, &pdu);
	CHECK_INT(agentx_iter_varbind(&it, &vb), ==, 1);
	oid_is(&vb.av_name, "0.0");

	load("24-be-register");
	hdr_is(AGENTX_PDU_REGISTER, be, 5, 0, 2, 28);
	CHECK(pdu.p_context == NULL);
	CHECK_INT(pdu.p_timeout, ==, 5);
	CHECK_INT(pdu.p_priority, ==, 127);
	oid_is(&pdu.p_oid, PT);

	load("26-be-get");
	hdr_is(AGENTX_PDU_GET, be, 5, 1, 2, 44);
	agentx_iter_init(&it, &pdu);
	range_is(&it, PT ".1.1.1.0", false, NULL);

	load("27-be-response-get");
	agentx_iter_init(&it, &pdu);
	varbind_is(&it, PT ".1.1.1.0", BER_GAUGE32, 99);

	load("28-be-close");
	hdr_is(AGENTX_PDU_CLOSE, be, 5, 0, 3, 4);
	CHECK_INT(pdu.p_reason, ==, AGENTX_REASON_SHUTDOWN);
	load("29-be-response-close");
	CHECK_U64(pdu.p_sysuptime, ==, 248);
}

static void
every_capture_encodes_again_byte_for_byte(void)
{
	size_t i, n, len;

	for (i = 0; i < AU_NCAPTURES; i++) {
		n = au_capture(au_captures[i], buf, sizeof(buf));
		CHECK_INT(agentx_pdu_decode(buf, n, &pdu), ==, 0);
		CHECK_INT(au_reencode(&pdu, pdu.p_hdr.h_flags, out,
		    sizeof(out), &len), ==, 0);
		CHECK_MEM(out, len, buf, n);
		if (len != n || memcmp(out, buf, n) != 0)
			fprintf(stderr, "  capture %s\n", au_captures[i]);
	}
}

static void
every_capture_survives_a_change_of_byte_order(void)
{
	struct agentx_pdu back;
	size_t i, n, len, len2;
	uint8_t again[1024];

	for (i = 0; i < AU_NCAPTURES; i++) {
		n = au_capture(au_captures[i], buf, sizeof(buf));
		CHECK_INT(agentx_pdu_decode(buf, n, &pdu), ==, 0);
		CHECK_INT(au_reencode(&pdu, pdu.p_hdr.h_flags ^
		    AGENTX_F_NETWORK_BYTE_ORDER, out, sizeof(out), &len), ==, 0);
		CHECK_U64(len, ==, n);
		CHECK_INT(agentx_pdu_decode(out, len, &back), ==, 0);
		CHECK_U64(back.p_hdr.h_packet_id, ==, pdu.p_hdr.h_packet_id);
		CHECK_U64(back.p_nitems, ==, pdu.p_nitems);
		CHECK_INT(oid_cmp(&back.p_oid, &pdu.p_oid), ==, 0);
		/* And back again: the original bytes. */
		CHECK_INT(au_reencode(&back, pdu.p_hdr.h_flags, again,
		    sizeof(again), &len2), ==, 0);
		CHECK_MEM(again, len2, buf, n);
	}
}

static void
same_as_capture(const char *name, const uint8_t *p, size_t len)
{
	size_t n = au_capture(name, buf, sizeof(buf));

	CHECK_MEM(p, len, buf, n);
	if (len != n || memcmp(p, buf, n) != 0)
		fprintf(stderr, "  capture %s\n", name);
}

static void
subagent_encoders_give_net_snmps_bytes(void)
{
	struct agentx_hdr h;
	struct oid id = O("1.3.6.1.4.1.8072.3.2.10"), pt = O(PT);
	const char *descr = "Net-SNMP AgentX sub-agent";
	size_t len;

	h = au_hdr(0, 0, 0, 0, 1025353953);
	CHECK_INT(agentx_encode_open(out, sizeof(out), &h, 1, &id,
	    (const uint8_t *)descr, strlen(descr), &len), ==, 0);
	same_as_capture("01-open", out, len);
	h = au_hdr(0, AGENTX_F_NON_DEFAULT_CONTEXT, 5, 0, 1025353954);
	CHECK_INT(agentx_encode_register(out, sizeof(out), &h, NULL, 0, 255,
	    127, &pt, 0, 0, &len), ==, 0);
	same_as_capture("03-register", out, len);
	h = au_hdr(0, 0, 5, 0, 1025353957);
	CHECK_INT(agentx_encode_ping(out, sizeof(out), &h, NULL, 0, &len), ==,
	    0);
	same_as_capture("16-ping", out, len);
	h = au_hdr(0, 0, 5, 0, 1025353964);
	CHECK_INT(agentx_encode_close(out, sizeof(out), &h,
	    AGENTX_REASON_SHUTDOWN, &len), ==, 0);
	same_as_capture("20-close", out, len);
}

static void
subagent_encoders_give_the_big_endian_subagents_bytes(void)
{
	struct agentx_hdr h;
	struct oid pt = O(PT);
	size_t len;

	h = au_hdr(0, AGENTX_F_NETWORK_BYTE_ORDER, 0, 0, 1);
	CHECK_INT(agentx_encode_open(out, sizeof(out), &h, 5, NULL,
	    (const uint8_t *)"proctel BE test", 15, &len), ==, 0);
	same_as_capture("22-be-open", out, len);
	h = au_hdr(0, AGENTX_F_NETWORK_BYTE_ORDER, 5, 0, 2);
	CHECK_INT(agentx_encode_register(out, sizeof(out), &h, NULL, 0, 5, 127,
	    &pt, 0, 0, &len), ==, 0);
	same_as_capture("24-be-register", out, len);
	h = au_hdr(0, AGENTX_F_NETWORK_BYTE_ORDER, 5, 0, 3);
	CHECK_INT(agentx_encode_close(out, sizeof(out), &h,
	    AGENTX_REASON_SHUTDOWN, &len), ==, 0);
	same_as_capture("28-be-close", out, len);
}

/* A Response of up to three Gauge32 / exception varbinds, built by hand. */
static size_t
response(uint8_t flags, uint32_t tid, uint32_t pid, const char *const *names,
    const struct snmp_value *vals, size_t n)
{
	struct agentx_writer w;
	struct agentx_hdr h = au_hdr(AGENTX_PDU_RESPONSE, flags, 5, tid, pid);
	struct oid name;
	size_t i, len;

	agentx_write_init(&w, out, sizeof(out), &h, NULL, 0);
	CHECK_INT(agentx_write_response(&w, 0, 0, 0), ==, 0);
	for (i = 0; i < n; i++) {
		name = O(names[i]);
		CHECK_INT(agentx_write_varbind(&w, &name, &vals[i]), ==, 0);
	}
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	return len;
}

static void
response_writer_gives_the_subagents_answers(void)
{
	const uint8_t ctx = AGENTX_F_NON_DEFAULT_CONTEXT;
	const char *const get[] = { PT ".1.1.1.0", PT ".1.1.6.0",
	    PT ".1.1.5.0" };
	const char *const last[] = { PT ".1.2.3.0" };
	struct snmp_value v[3];
	size_t len;

	memset(v, 0, sizeof(v));
	v[0].val_type = v[1].val_type = BER_GAUGE32;
	v[0].val_uint = 7;
	v[1].val_uint = 2;
	v[2].val_type = BER_NOSUCHINSTANCE;
	len = response(ctx, 1, 2, get, v, 3);
	same_as_capture("08-response-get", out, len);
	len = response(ctx, 3, 4, get, v, 1);
	same_as_capture("10-response-getnext-first", out, len);
	len = response(ctx, 7, 8, get + 1, v + 1, 1);
	same_as_capture("12-response-getnext-step", out, len);
	v[0].val_type = BER_ENDOFMIBVIEW;
	len = response(ctx, 11, 12, last, v, 1);
	same_as_capture("14-response-endofmibview", out, len);
	v[0].val_type = BER_GAUGE32;
	v[0].val_uint = 99;
	len = response(AGENTX_F_NETWORK_BYTE_ORDER, 1, 2, get, v, 1);
	same_as_capture("27-be-response-get", out, len);
}

static void
a_response_error_is_patched_in_place(void)
{
	struct agentx_writer w;
	struct agentx_hdr h = au_hdr(AGENTX_PDU_RESPONSE,
	    AGENTX_F_NETWORK_BYTE_ORDER | AGENTX_F_NON_DEFAULT_CONTEXT, 9, 8, 7);
	size_t len;

	agentx_write_init(&w, out, sizeof(out), &h, (const uint8_t *)"ctx", 3);
	CHECK_INT(agentx_write_response(&w, 1234, 0, 0), ==, 0);
	agentx_write_response_error(&w, SNMP_ERRSTAT_NOTWRITABLE, 1);
	CHECK_INT(agentx_write_finish(&w, &len), ==, 0);
	CHECK_INT(agentx_pdu_decode(out, len, &pdu), ==, 0);
	CHECK_MEM(pdu.p_context, pdu.p_context_len, "ctx", 3);
	CHECK_U64(pdu.p_sysuptime, ==, 1234);
	CHECK_INT(pdu.p_error, ==, SNMP_ERRSTAT_NOTWRITABLE);
	CHECK_INT(pdu.p_index, ==, 1);
}

int
main(void)
{
	RUN(open_and_its_response_decode_field_by_field);
	RUN(register_with_an_empty_context_decodes_field_by_field);
	RUN(notify_values_of_every_kind_it_carries_decode);
	RUN(get_carries_search_ranges_ending_in_the_null_oid);
	RUN(response_to_get_carries_gauges_and_an_exception);
	RUN(getnext_ranges_carry_include_and_an_upper_bound);
	RUN(ping_close_and_their_responses_decode);
	RUN(big_endian_session_decodes_the_same_fields);
	RUN(every_capture_encodes_again_byte_for_byte);
	RUN(every_capture_survives_a_change_of_byte_order);
	RUN(subagent_encoders_give_net_snmps_bytes);
	RUN(subagent_encoders_give_the_big_endian_subagents_bytes);
	RUN(response_writer_gives_the_subagents_answers);
	RUN(a_response_error_is_patched_in_place);
	return t_done();
}
