/*
 * test_agentx_sess: agent/agentx_sess.c driven by a fake master through
 * whole sessions: the big-endian subagent's session of the captures
 * reproduced byte for byte, net-snmp's master PDUs (little-endian, empty
 * contexts) answered as its own subagent answered them, PDUs split
 * across reads and several in one read, and every bad sequence: refused
 * Open and Register, the master's Close, PDUs a master does not send,
 * unreadable streams and payloads, wrong sessions and contexts, SETs,
 * timeouts and Pings, a master that does not read, lost connections; the
 * reconnect backoff.  What Get, GetNext and GetBulk answer:
 * test_agentx_serve.c.
 */
#include "tests/unit/agentx_fixture.h"

static uint8_t cap[1024], want[1024];
static const char *const pt_only[] = { PT };

static bool
oid_eq_text(const struct oid *o, const char *text)
{
	struct oid t = O(text);

	return oid_cmp(o, &t) == 0;
}

/* Capture name, decoded, encoded as we send: network order, no context. */
static size_t
as_we_send(const char *name, uint8_t *out)
{
	struct agentx_pdu p;
	size_t n = au_capture(name, cap, sizeof(cap)), len = 0;

	CHECK_INT(agentx_pdu_decode(cap, n, &p), ==, 0);
	CHECK_INT(au_reencode(&p, BE, out, sizeof(want), &len), ==, 0);
	return len;
}

static void
feed_capture(struct agentx_sess *s, const char *name, uint64_t now)
{
	size_t n = au_capture(name, cap, sizeof(cap));

	fx_feed(s, cap, n, now);
}

static void
the_big_endian_session_of_the_captures_is_reproduced_byte_for_byte(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, FX_PING_MS);
	size_t n, len;
	int detail;

	fx_processes = 99;
	agentx_sess_start(s, 0, 1);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_OPENING);
	len = fx_drain(s, 0);
	n = au_capture("22-be-open", cap, sizeof(cap));
	CHECK_MEM(fx_buf, len, cap, n);
	feed_capture(s, "23-be-response-open", 1);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_REGISTERING);
	CHECK_U64(agentx_sess_id(s), ==, 5);
	len = fx_drain(s, 1);
	n = au_capture("24-be-register", cap, sizeof(cap));
	CHECK_MEM(fx_buf, len, cap, n);
	feed_capture(s, "25-be-response-register", 2);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_OPEN);
	CHECK_U64(fx_drain(s, 2), ==, 0);
	feed_capture(s, "26-be-get", 3);
	len = fx_drain(s, 3);
	n = au_capture("27-be-response-get", cap, sizeof(cap));
	CHECK_MEM(fx_buf, len, cap, n);
	agentx_sess_close(s, AGENTX_REASON_SHUTDOWN);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_CLOSED);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_LOCAL);
	CHECK_INT(detail, ==, AGENTX_REASON_SHUTDOWN);
	len = fx_drain(s, 4);
	n = au_capture("28-be-close", cap, sizeof(cap));
	CHECK_MEM(fx_buf, len, cap, n);
	/* The master's answer to Close comes after we are closed: ignored. */
	feed_capture(s, "29-be-response-close", 5);
	CHECK_U64(fx_drain(s, 5), ==, 0);
	CHECK_U64(agentx_sess_stats(s)->ss_opens, ==, 1);
	fx_processes = 7;
	agentx_sess_free(s);
}

/* Our answer to a captured master PDU is net-snmp's answer, as we send. */
static void
answers_as_captured(struct agentx_sess *s, const char *req, const char *resp,
    uint64_t now)
{
	size_t len, wlen;

	feed_capture(s, req, now);
	len = fx_drain(s, now);
	wlen = as_we_send(resp, want);
	CHECK_MEM(fx_buf, len, want, wlen);
	if (len != wlen || memcmp(fx_buf, want, len) != 0)
		fprintf(stderr, "  answering %s\n", req);
}

static void
net_snmps_master_pdus_get_its_subagents_answers(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, FX_PING_MS);
	struct agentx_pdu *p;
	size_t len, wlen;

	agentx_sess_start(s, 0, 1025353953);
	CHECK_U64(fx_sent(s, 0), ==, 1);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, 1025353953);
	/* 02 answers packetID 1025353953 with sessionID 5, little-endian. */
	feed_capture(s, "02-response-open", 1);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_REGISTERING);
	CHECK_U64(fx_sent(s, 1), ==, 1);
	p = &fx_pdus[0];
	CHECK_INT(p->p_hdr.h_type, ==, AGENTX_PDU_REGISTER);
	CHECK_U64(p->p_hdr.h_packet_id, ==, 1025353954);
	CHECK_U64(p->p_hdr.h_session_id, ==, 5);
	CHECK_INT(p->p_hdr.h_flags, ==, BE);
	CHECK_INT(p->p_priority, ==, 127);
	CHECK(oid_eq_text(&p->p_oid, PT));
	feed_capture(s, "04-response-register", 2);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_OPEN);
	/* Get, GetNext from below the region, a walk, its end. */
	answers_as_captured(s, "07-get", "08-response-get", 3);
	answers_as_captured(s, "09-getnext-from-below",
	    "10-response-getnext-first", 4);
	answers_as_captured(s, "11-getnext-walk-step",
	    "12-response-getnext-step", 5);
	answers_as_captured(s, "13-getnext-last", "14-response-endofmibview",
	    6);
	/* The bulk repetition is a walk step: 12's answer, 15's ids. */
	feed_capture(s, "15-getnext-bulk-repetition", 7);
	CHECK_U64(fx_sent(s, 7), ==, 1);
	CHECK_U64(fx_pdus[0].p_hdr.h_transaction_id, ==, 13);
	CHECK(fx_varbinds_are(&fx_pdus[0], 1,
	    (const char *[]){ VB_GAUGE PT ".1.1.6.0" }));
	/* The retransmitted Get: each copy answered alike. */
	feed_capture(s, "18-get-retransmitted", 8);
	len = fx_drain(s, 8);
	memcpy(want, fx_buf, len);
	feed_capture(s, "18-get-retransmitted", 9);
	CHECK_U64(fx_drain(s, 9), ==, len);
	CHECK_MEM(fx_buf, len, want, len);
	CHECK_U64(agentx_sess_stats(s)->ss_requests, ==, 7);
	/* Idle for the Ping interval: Ping, packetID after Register's. */
	CHECK_U64(agentx_sess_deadline(s), ==, 9 + FX_PING_MS);
	agentx_sess_tick(s, 9 + FX_PING_MS);
	CHECK_U64(fx_sent(s, 9 + FX_PING_MS), ==, 1);
	CHECK_INT(fx_pdus[0].p_hdr.h_type, ==, AGENTX_PDU_PING);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, 1025353955);
	/* 17 answers net-snmp's Ping (…957), not ours: counted, ignored. */
	feed_capture(s, "17-response-ping", 10 + FX_PING_MS);
	CHECK_U64(agentx_sess_stats(s)->ss_unexpected, ==, 1);
	fx_feed(s, fx_req_buf, fx_response(fx_req_buf, 0, 5, 1025353955, 0),
	    11 + FX_PING_MS);
	CHECK_U64(agentx_sess_deadline(s), ==, 11 + 2 * FX_PING_MS);
	/* Shutdown: Close reason 5, as 20 but in network byte order. */
	agentx_sess_close(s, AGENTX_REASON_SHUTDOWN);
	len = fx_drain(s, 12);
	wlen = as_we_send("20-close", want);
	CHECK_U64(len, ==, wlen);
	CHECK_MEM(fx_buf, 12, want, 12);
	CHECK_MEM(fx_buf + 16, len - 16, want + 16, wlen - 16);
	CHECK(memcmp(fx_buf + 12, "\x3d\x1d\xa8\xe4", 4) == 0);
	agentx_sess_free(s);
}

static void
pdus_split_across_reads_and_packed_in_one_read_are_all_answered(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	uint8_t stream[512];
	size_t n = 0, i, one;

	fx_open(s, 0);
	one = au_capture("07-get", stream, sizeof(stream));
	/* One octet at a time: nothing until the last one. */
	for (i = 0; i + 1 < one; i++) {
		fx_feed(s, stream + i, 1, 1);
		CHECK_U64(fx_drain(s, 1), ==, 0);
	}
	fx_feed(s, stream + i, 1, 1);
	CHECK_U64(fx_sent(s, 1), ==, 1);
	/* Three requests and half a fourth in one read. */
	n = au_capture("07-get", stream, sizeof(stream));
	n += au_capture("09-getnext-from-below", stream + n,
	    sizeof(stream) - n);
	n += au_capture("11-getnext-walk-step", stream + n,
	    sizeof(stream) - n);
	one = au_capture("13-getnext-last", stream + n, sizeof(stream) - n);
	fx_feed(s, stream, n + one / 2, 2);
	CHECK_U64(fx_sent(s, 2), ==, 3);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, 2);
	CHECK_U64(fx_pdus[1].p_hdr.h_packet_id, ==, 4);
	CHECK_U64(fx_pdus[2].p_hdr.h_packet_id, ==, 8);
	fx_feed(s, stream + n + one / 2, one - one / 2, 3);
	CHECK_U64(fx_sent(s, 3), ==, 1);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, 12);
	CHECK_U64(agentx_sess_stats(s)->ss_pdus_in, ==, 2 + 1 + 4);
	agentx_sess_free(s);
}

static void
a_stream_that_cannot_be_framed_closes_with_parse_error(void)
{
	static const struct {
		size_t	at;
		uint8_t	v;
		int	err;
	} bad[] = {
		{ 0, 2, AGENTX_EVERSION },
		{ 1, 40, AGENTX_ETYPE },
		{ 2, 0x40, AGENTX_EFLAGS },
		{ 19, 0x7f, AGENTX_EBIG },
		{ 16, 0x37, AGENTX_EALIGN },
	};
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	size_t i, n;
	int detail;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx_open(s, 0);
		n = au_capture("07-get", cap, sizeof(cap));
		cap[bad[i].at] = bad[i].v;
		fx_feed(s, cap, n, 1);
		CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_CLOSED);
		CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_PARSE);
		CHECK_INT(detail, ==, bad[i].err);
		CHECK_U64(fx_sent(s, 1), ==, 1);
		CHECK_INT(fx_pdus[0].p_hdr.h_type, ==, AGENTX_PDU_CLOSE);
		CHECK_INT(fx_pdus[0].p_reason, ==, AGENTX_REASON_PARSEERROR);
		/* Closed: the rest of the stream is ignored. */
		fx_feed(s, cap, n, 2);
		CHECK_U64(fx_drain(s, 2), ==, 0);
	}
	agentx_sess_free(s);
}

static void
a_request_whose_payload_does_not_decode_is_answered_parse_error(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	size_t n;

	fx_open(s, 0);
	n = au_capture("07-get", cap, sizeof(cap));
	cap[27] = 1;	/* the first start OID's reserved octet */
	fx_feed(s, cap, n, 1);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_OPEN);
	CHECK_U64(fx_sent(s, 1), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_PARSEERROR);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, 2);
	CHECK_U64(fx_pdus[0].p_nitems, ==, 0);
	CHECK_U64(agentx_sess_stats(s)->ss_parse_errors, ==, 1);
	CHECK_INT(agentx_sess_stats(s)->ss_last_error, ==, AGENTX_ERESERVED);
	/* And the next good one is served. */
	answers_as_captured(s, "09-getnext-from-below",
	    "10-response-getnext-first", 2);
	/* A Response that does not decode is not answerable: Close. */
	n = au_capture("17-response-ping", cap, sizeof(cap));
	cap[16] = 12;
	memset(cap + n, 0xff, 4);
	fx_feed(s, cap, n + 4, 3);
	CHECK_INT(agentx_sess_why(s, NULL), ==, AGENTX_W_PARSE);
	agentx_sess_free(s);
}

static void
wrong_sessions_contexts_and_states_get_the_rfcs_errors(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	const struct fx_range r = { PT ".1.1.1.0", false, NULL };
	size_t len;

	/* A request before the session exists: notOpen. */
	agentx_sess_start(s, 0, 1);
	(void)fx_drain(s, 0);
	len = fx_request(fx_req_buf, AGENTX_PDU_GET, BE, 1, 2, NULL, 0, 0, &r,
	    1);
	fx_feed(s, fx_req_buf, len, 0);
	CHECK_U64(fx_sent(s, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_NOTOPEN);
	fx_open(s, 1);
	/* Another sessionID: notOpen. */
	len = fx_request(fx_req_buf, AGENTX_PDU_GET, BE, 1, 2, NULL, 0, 0, &r,
	    1);
	fx_req_buf[7] = 6;
	fx_feed(s, fx_req_buf, len, 2);
	CHECK_U64(fx_sent(s, 2), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_NOTOPEN);
	/* A context we did not register in; an empty one is the default. */
	len = fx_request(fx_req_buf, AGENTX_PDU_GET, BE, 1, 3, "ctx", 0, 0, &r,
	    1);
	fx_feed(s, fx_req_buf, len, 3);
	CHECK_U64(fx_sent(s, 3), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_UNSUPPORTEDCONTEXT);
	len = fx_request(fx_req_buf, AGENTX_PDU_GET, BE, 1, 4, "", 0, 0, &r, 1);
	fx_feed(s, fx_req_buf, len, 4);
	CHECK_U64(fx_sent(s, 4), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_NOERROR);
	CHECK(fx_varbinds_are(&fx_pdus[0], 1,
	    (const char *[]){ VB_GAUGE PT ".1.1.1.0" }));
	CHECK(fx_pdus[0].p_context == NULL);
	CHECK_U64(agentx_sess_stats(s)->ss_not_open, ==, 2);
	CHECK_U64(agentx_sess_stats(s)->ss_bad_context, ==, 1);
	agentx_sess_free(s);
}

/* Feed a SET-phase PDU of transaction tid with nvb varbinds. */
static size_t
set_phase(struct agentx_sess *s, uint8_t type, uint32_t tid, size_t nvb)
{
	static const struct fx_range r[2] = { { PT ".1.1.1.0", false, NULL },
	    { PT ".1.1.6.0", false, NULL } };
	size_t len;

	len = fx_request(fx_req_buf, type, BE, tid, tid * 10 + type, NULL, 0,
	    0, r, nvb);
	fx_feed(s, fx_req_buf, len, 1);
	return fx_sent(s, 1);
}

static void
every_set_is_refused_as_a_read_only_subagent_must(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, 0);

	fx_open(s, 0);
	CHECK_U64(set_phase(s, AGENTX_PDU_TESTSET, 1, 2), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, SNMP_ERRSTAT_NOTWRITABLE);
	CHECK_INT(fx_pdus[0].p_index, ==, 1);
	CHECK_U64(fx_pdus[0].p_nitems, ==, 0);
	/* The master should not commit after that; if it does: failed. */
	CHECK_U64(set_phase(s, AGENTX_PDU_COMMITSET, 1, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, SNMP_ERRSTAT_COMMITFAILED);
	CHECK_U64(set_phase(s, AGENTX_PDU_UNDOSET, 1, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_NOERROR);
	CHECK_U64(set_phase(s, AGENTX_PDU_CLEANUPSET, 1, 0), ==, 0);
	/* An empty TestSet changes nothing, so its commit succeeds. */
	CHECK_U64(set_phase(s, AGENTX_PDU_TESTSET, 2, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_NOERROR);
	CHECK_U64(set_phase(s, AGENTX_PDU_COMMITSET, 2, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, AGENTX_ERR_NOERROR);
	CHECK_U64(set_phase(s, AGENTX_PDU_COMMITSET, 3, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, SNMP_ERRSTAT_COMMITFAILED);
	CHECK_U64(set_phase(s, AGENTX_PDU_CLEANUPSET, 2, 0), ==, 0);
	CHECK_U64(set_phase(s, AGENTX_PDU_COMMITSET, 2, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_error, ==, SNMP_ERRSTAT_COMMITFAILED);
	CHECK_U64(agentx_sess_stats(s)->ss_sets, ==, 9);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_OPEN);
	agentx_sess_free(s);
}

static void
the_masters_close_ends_the_session_without_an_answer(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, FX_PING_MS);
	struct agentx_hdr h = au_hdr(0, BE, FX_SID, 0, 0);
	size_t len;
	int detail;

	fx_open(s, 0);
	CHECK_INT(agentx_encode_close(fx_req_buf, AGENTX_MAX_PDU, &h,
	    AGENTX_REASON_BYMANAGER, &len), ==, 0);
	fx_feed(s, fx_req_buf, len, 1);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_CLOSED);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_MASTER_CLOSE);
	CHECK_INT(detail, ==, AGENTX_REASON_BYMANAGER);
	CHECK_U64(fx_drain(s, 1), ==, 0);
	CHECK_U64(agentx_sess_deadline(s), ==, UINT64_MAX);
	agentx_sess_tick(s, 1 + FX_PING_MS);
	CHECK_U64(fx_drain(s, 1 + FX_PING_MS), ==, 0);
	agentx_sess_free(s);
}

static void
pdus_a_master_never_sends_close_with_protocol_error(void)
{
	static const char *const caps[] = { "01-open", "03-register",
	    "05-notify-coldstart", "16-ping" };
	struct agentx_sess *s = fx_new(pt_only, 1, 0);
	size_t i;
	int detail;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		fx_open(s, 0);
		feed_capture(s, caps[i], 1);
		CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_PROTOCOL);
		CHECK_INT(detail, ==, cap[1]);
		CHECK_U64(fx_sent(s, 1), ==, 1);
		CHECK_INT(fx_pdus[0].p_reason, ==,
		    AGENTX_REASON_PROTOCOLERROR);
	}
	agentx_sess_free(s);
}

static void
a_refused_open_or_registration_ends_the_session(void)
{
	static const char *const two[] = { PT, TABLE };
	struct agentx_sess *s = fx_new(two, 2, 0);
	int detail;

	agentx_sess_start(s, 0, 1);
	fx_answer(s, 0, AGENTX_ERR_OPENFAILED);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_OPEN_REFUSED);
	CHECK_INT(detail, ==, AGENTX_ERR_OPENFAILED);
	CHECK_U64(fx_drain(s, 0), ==, 0);	/* no session: no Close */
	/* The first subtree registers, the second is taken already. */
	agentx_sess_start(s, 1, 1);
	fx_answer(s, 1, AGENTX_ERR_NOERROR);
	fx_answer(s, 1, AGENTX_ERR_NOERROR);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_REGISTERING);
	CHECK_U64(fx_sent(s, 1), ==, 1);
	CHECK_INT(fx_pdus[0].p_hdr.h_type, ==, AGENTX_PDU_REGISTER);
	fx_feed(s, fx_req_buf, fx_response(fx_req_buf, BE, FX_SID,
	    fx_pdus[0].p_hdr.h_packet_id, AGENTX_ERR_DUPLICATEREGISTRATION), 2);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_REGISTER_REFUSED);
	CHECK_INT(detail, ==, AGENTX_ERR_DUPLICATEREGISTRATION);
	CHECK_U64(fx_sent(s, 2), ==, 1);
	CHECK_INT(fx_pdus[0].p_hdr.h_type, ==, AGENTX_PDU_CLOSE);
	CHECK_INT(fx_pdus[0].p_reason, ==, AGENTX_REASON_OTHER);
	agentx_sess_free(s);
}

static void
requests_are_served_for_the_subtrees_registered_so_far(void)
{
	static const char *const two[] = { PT, TABLE };
	static const struct fx_range r[2] = { { PT ".1.1.6.0", false, NULL },
	    { TABLE ".3", false, NULL } };
	struct agentx_sess *s = fx_new(two, 2, 0);
	const struct agentx_pdu *p;

	agentx_sess_start(s, 0, 1);
	fx_answer(s, 0, AGENTX_ERR_NOERROR);
	fx_answer(s, 0, AGENTX_ERR_NOERROR);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_REGISTERING);
	/* The second Register is outstanding, so it is still to be sent. */
	CHECK_U64(fx_sent(s, 0), ==, 1);
	p = fx_ask(s, AGENTX_PDU_GET, 0, 0, r, 2, 1);
	CHECK(fx_varbinds_are(p, 2, (const char *[]){ VB_GAUGE PT ".1.1.6.0",
	    VB_NOOBJ TABLE ".3" }));
	agentx_sess_free(s);
}

static void
no_answer_in_time_closes_the_session_at_its_deadline(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, FX_PING_MS);
	int detail;

	/* Open unanswered: closed at the deadline, no Close (no session). */
	agentx_sess_start(s, 100, 1);
	(void)fx_drain(s, 100);
	CHECK_U64(agentx_sess_deadline(s), ==, 100 + FX_RESPONSE_MS);
	agentx_sess_tick(s, 99 + FX_RESPONSE_MS);
	CHECK_INT(agentx_sess_state(s), ==, AGENTX_S_OPENING);
	agentx_sess_tick(s, 100 + FX_RESPONSE_MS);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_TIMEOUT);
	CHECK_INT(detail, ==, AGENTX_PDU_OPEN);
	CHECK_U64(fx_drain(s, 100), ==, 0);
	/* Register unanswered: Close(timeouts). */
	agentx_sess_start(s, 0, 1);
	fx_answer(s, 0, AGENTX_ERR_NOERROR);
	(void)fx_drain(s, 0);
	agentx_sess_tick(s, 5 * FX_RESPONSE_MS);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_TIMEOUT);
	CHECK_INT(detail, ==, AGENTX_PDU_REGISTER);
	CHECK_U64(fx_sent(s, 0), ==, 1);
	CHECK_INT(fx_pdus[0].p_reason, ==, AGENTX_REASON_TIMEOUTS);
	/* Ping unanswered, as from a stopped master. */
	fx_open(s, 0);
	agentx_sess_tick(s, FX_PING_MS);
	CHECK_U64(fx_sent(s, FX_PING_MS), ==, 1);
	CHECK_INT(fx_pdus[0].p_hdr.h_type, ==, AGENTX_PDU_PING);
	CHECK_U64(agentx_sess_deadline(s), ==, FX_PING_MS + FX_RESPONSE_MS);
	agentx_sess_tick(s, FX_PING_MS + FX_RESPONSE_MS);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_TIMEOUT);
	CHECK_INT(detail, ==, AGENTX_PDU_PING);
	agentx_sess_free(s);
}

static void
pings_go_out_only_when_the_master_is_idle(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, FX_PING_MS);
	const struct fx_range r = { PT ".1.1.1.0", false, NULL };
	int detail;

	fx_open(s, 0);
	CHECK_U64(agentx_sess_deadline(s), ==, FX_PING_MS);
	/* A request at 3000 postpones the Ping to 8000. */
	(void)fx_ask(s, AGENTX_PDU_GET, 0, 0, &r, 1, 3000);
	CHECK_U64(agentx_sess_deadline(s), ==, 3000 + FX_PING_MS);
	agentx_sess_tick(s, FX_PING_MS);
	CHECK_U64(fx_drain(s, FX_PING_MS), ==, 0);
	agentx_sess_tick(s, 3000 + FX_PING_MS);
	CHECK_U64(agentx_sess_stats(s)->ss_pings, ==, 1);
	/* A Ping answered notOpen: the master forgot us. */
	fx_answer(s, 3000 + FX_PING_MS, AGENTX_ERR_NOTOPEN);
	CHECK_INT(agentx_sess_why(s, &detail), ==, AGENTX_W_PING_REFUSED);
	CHECK_INT(detail, ==, AGENTX_ERR_NOTOPEN);
	/* Without an interval there is no Ping and no deadline. */
	agentx_sess_free(s);
	s = fx_new(pt_only, 1, 0);
	fx_open(s, 0);
	CHECK_U64(agentx_sess_deadline(s), ==, UINT64_MAX);
	agentx_sess_tick(s, UINT64_MAX / 2);
	CHECK_U64(fx_drain(s, 0), ==, 0);
	agentx_sess_free(s);
}

/* A GetBulk of 16000 table rows: a Response of about 256 KiB. */
static size_t
big_bulk(uint8_t *buf, uint32_t pid)
{
	static const struct fx_range r = { TABLE, false, NULL };

	return fx_request(buf, AGENTX_PDU_GETBULK, BE, 1, pid, NULL, 0, 16000,
	    &r, 1);
}

static void
a_master_that_does_not_read_stops_our_reading_not_our_memory(void)
{
	static const char *const tab[] = { TABLE };
	struct agentx_sess *s = fx_new(tab, 1, 0);
	const uint8_t *p;
	uint8_t *rx;
	size_t len, qlen, room, room0;

	fx_open(s, 0);
	agentx_sess_rxbuf(s, &rx, &room0);
	len = big_bulk(fx_req_buf, 10);
	len += big_bulk(fx_req_buf + len, 11);
	len += big_bulk(fx_req_buf + len, 12);
	fx_feed(s, fx_req_buf, len, 1);
	/* Two answers queued; the third request waits in the rx buffer. */
	agentx_sess_txbuf(s, &p, &qlen);
	CHECK(qlen > AGENTX_MAX_PDU && qlen <= 2 * AGENTX_MAX_PDU);
	agentx_sess_rxbuf(s, &rx, &room);
	CHECK_U64(room, ==, room0 - len / 3);
	CHECK_U64(agentx_sess_stats(s)->ss_requests, ==, 2);
	/* Sending lets it through. */
	CHECK_U64(fx_sent(s, 2), ==, 2);
	CHECK_U64(agentx_sess_stats(s)->ss_requests, ==, 3);
	CHECK_U64(fx_sent(s, 2), ==, 1);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, 12);
	agentx_sess_rxbuf(s, &rx, &room);
	CHECK_U64(room, ==, room0);
	/* Partial writes: the rest stays queued, in order. */
	len = big_bulk(fx_req_buf, 13);
	fx_feed(s, fx_req_buf, len, 3);
	agentx_sess_txbuf(s, &p, &qlen);
	agentx_sess_sent(s, 100, 3);
	agentx_sess_txbuf(s, &p, &len);
	CHECK_U64(len, ==, qlen - 100);
	agentx_sess_sent(s, len, 3);
	agentx_sess_txbuf(s, &p, &len);
	CHECK_U64(len, ==, 0);
	agentx_sess_free(s);
}

static void
a_lost_connection_drops_the_queue_and_a_restart_begins_afresh(void)
{
	struct agentx_sess *s = fx_new(pt_only, 1, FX_PING_MS);
	size_t len;

	fx_open(s, 0);
	feed_capture(s, "07-get", 1);
	agentx_sess_lost(s);
	CHECK_INT(agentx_sess_why(s, NULL), ==, AGENTX_W_LOST);
	CHECK_U64(fx_drain(s, 1), ==, 0);
	/* Closing again keeps the first reason and queues nothing. */
	agentx_sess_close(s, AGENTX_REASON_SHUTDOWN);
	CHECK_INT(agentx_sess_why(s, NULL), ==, AGENTX_W_LOST);
	CHECK_U64(fx_drain(s, 1), ==, 0);
	/* Half a PDU was left from the old connection: forgotten. */
	fx_open(s, 2);
	len = au_capture("07-get", cap, sizeof(cap));
	fx_feed(s, cap, len / 2, 3);
	agentx_sess_lost(s);
	agentx_sess_start(s, 4, 77);
	CHECK_INT(agentx_sess_why(s, NULL), ==, AGENTX_W_NONE);
	CHECK_U64(fx_sent(s, 4), ==, 1);
	CHECK_INT(fx_pdus[0].p_hdr.h_type, ==, AGENTX_PDU_OPEN);
	CHECK_U64(fx_pdus[0].p_hdr.h_packet_id, ==, 77);
	CHECK_U64(fx_pdus[0].p_hdr.h_session_id, ==, 0);
	CHECK_U64(agentx_sess_stats(s)->ss_opens, ==, 2);
	agentx_sess_free(s);
}

static void
a_session_refuses_a_configuration_it_cannot_serve(void)
{
	struct agentx_sess_conf c;
	struct agentx_sess_mib m = fx_sess_mib;
	struct oid sub[AGENTX_SESS_MAX_SUBTREES + 1];
	const char *errstr = NULL;
	size_t i;

	m.sm_mib = fx_mib;
	for (i = 0; i <= AGENTX_SESS_MAX_SUBTREES; i++) {
		sub[i] = O(TABLE);
		oid_append(&sub[i], (uint32_t)i);
	}
	memset(&c, 0, sizeof(c));
	c.sc_subtrees = sub;
	c.sc_response_ms = 1;
	CHECK(agentx_sess_new(&c, &m, &errstr) == NULL && errstr != NULL);
	c.sc_nsubtrees = AGENTX_SESS_MAX_SUBTREES + 1;
	CHECK(agentx_sess_new(&c, &m, &errstr) == NULL);
	c.sc_nsubtrees = AGENTX_SESS_MAX_SUBTREES;
	agentx_sess_free(agentx_sess_new(&c, &m, &errstr));
	sub[1] = O(TABLE ".0.5");
	CHECK(agentx_sess_new(&c, &m, &errstr) == NULL);
	sub[1].o_len = 0;
	CHECK(agentx_sess_new(&c, &m, &errstr) == NULL);
	sub[1] = O(TABLE ".1");
	c.sc_response_ms = 0;
	CHECK(agentx_sess_new(&c, &m, &errstr) == NULL);
	c.sc_response_ms = 1;
	m.sm_mib = NULL;
	CHECK(agentx_sess_new(&c, &m, &errstr) == NULL);
	agentx_sess_free(NULL);
}

static void
backoff_doubles_to_its_cap_and_jitters_down_by_at_most_half(void)
{
	unsigned f;
	uint64_t d, step = 1000;

	for (f = 0; f < 10; f++) {
		d = agentx_backoff_ms(f, 1000, 60000, 0);
		CHECK_U64(d, ==, step);
		CHECK_U64(agentx_backoff_ms(f, 1000, 60000, UINT32_MAX), >=,
		    step - step / 2);
		CHECK_U64(agentx_backoff_ms(f, 1000, 60000, (uint32_t)step / 2),
		    ==, step - step / 2);
		step = step * 2 > 60000 ? 60000 : step * 2;
	}
	CHECK_U64(agentx_backoff_ms(UINT32_MAX, 1000, 60000, 0), ==, 60000);
	CHECK_U64(agentx_backoff_ms(UINT32_MAX, 1000, UINT32_MAX, 0), ==,
	    UINT32_MAX);
	CHECK_U64(agentx_backoff_ms(3, 0, 60000, 12345), ==, 0);
	CHECK_U64(agentx_backoff_ms(0, 90000, 60000, 0), ==, 60000);
	for (f = 0; f < 1000; f++) {
		d = agentx_backoff_ms(4, 1000, 60000, f * 2654435761u);
		CHECK(d >= 8000 && d <= 16000);
	}
}

static void
every_state_and_reason_has_a_name(void)
{
	int i;

	for (i = AGENTX_S_CLOSED; i <= AGENTX_S_OPEN; i++)
		CHECK(strcmp(agentx_sess_strstate(i), "unknown state") != 0);
	for (i = AGENTX_W_NONE; i <= AGENTX_W_PROTOCOL; i++)
		CHECK(strcmp(agentx_sess_strwhy(i), "unknown reason") != 0);
	CHECK_STR(agentx_sess_strwhy(99), "unknown reason");
	CHECK_STR(agentx_sess_strstate(99), "unknown state");
}

int
main(void)
{
	fx_setup();
	RUN(the_big_endian_session_of_the_captures_is_reproduced_byte_for_byte);
	RUN(net_snmps_master_pdus_get_its_subagents_answers);
	RUN(pdus_split_across_reads_and_packed_in_one_read_are_all_answered);
	RUN(a_stream_that_cannot_be_framed_closes_with_parse_error);
	RUN(a_request_whose_payload_does_not_decode_is_answered_parse_error);
	RUN(wrong_sessions_contexts_and_states_get_the_rfcs_errors);
	RUN(every_set_is_refused_as_a_read_only_subagent_must);
	RUN(the_masters_close_ends_the_session_without_an_answer);
	RUN(pdus_a_master_never_sends_close_with_protocol_error);
	RUN(a_refused_open_or_registration_ends_the_session);
	RUN(requests_are_served_for_the_subtrees_registered_so_far);
	RUN(no_answer_in_time_closes_the_session_at_its_deadline);
	RUN(pings_go_out_only_when_the_master_is_idle);
	RUN(a_master_that_does_not_read_stops_our_reading_not_our_memory);
	RUN(a_lost_connection_drops_the_queue_and_a_restart_begins_afresh);
	RUN(a_session_refuses_a_configuration_it_cannot_serve);
	RUN(backoff_doubles_to_its_cap_and_jitters_down_by_at_most_half);
	RUN(every_state_and_reason_has_a_name);
	mib_free(fx_mib);
	return t_done();
}
