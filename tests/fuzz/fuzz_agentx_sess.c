/*
 * fuzz_agentx_sess: libFuzzer target for the subagent session fed a
 * master's byte stream (agent/agentx_sess.c over the fixture's registry,
 * tests/unit/agentx_fixture.h).  The first input octet picks the start:
 * OPEN already (0), or OPENING with net-snmp's first packetID (1, so the
 * little-endian captures answer it) or 1 (2, for the big-endian ones);
 * the second where the stream is split in two reads; the rest is the
 * stream.  Beyond "no crash": everything the session queues is a
 * sequence of whole PDUs that decode, in network byte order; it answers
 * no more PDUs than it was sent plus its own; a closed session queues
 * nothing more and has a reason; timers fire without trouble.
 * Seeds: whole master sides of the captured sessions (corpus/agentx_sess).
 * Run through tests/fuzz/run.sh (make fuzz).
 */
#include "tests/unit/agentx_fixture.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(e) do {							\
	if (!(e))							\
		abort();						\
} while (0)

static struct agentx_sess *sess;

/* Everything queued decodes, whole, in network byte order. */
static size_t
output_is_sound(uint64_t now)
{
	size_t n = fx_sent(sess, now), i;

	REQUIRE(n != SIZE_MAX);
	for (i = 0; i < n && i < 64; i++)
		REQUIRE((fx_pdus[i].p_hdr.h_flags & BE) != 0 &&
		    fx_pdus[i].p_context == NULL);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const subs[] = { PT, TABLE };
	const struct agentx_sess_stats *st;
	uint64_t in0, out0;
	size_t split;

	if (sess == NULL) {
		fx_setup();
		sess = fx_new(subs, 2, FX_PING_MS);
	}
	if (size < 2)
		return 0;
	if (data[0] % 3 == 0)
		fx_open(sess, 0);
	else
		agentx_sess_start(sess, 0, data[0] % 3 == 1 ? 1025353953 : 1);
	REQUIRE(!t_cur_failed);
	(void)output_is_sound(0);
	st = agentx_sess_stats(sess);
	in0 = st->ss_pdus_in;
	out0 = st->ss_pdus_out;
	split = size > 2 ? data[1] % (size - 2) : 0;
	REQUIRE(agentx_sess_input(sess, data + 2, split, 1) <= split);
	(void)output_is_sound(1);
	(void)agentx_sess_input(sess, data + 2 + split, size - 2 - split, 2);
	(void)output_is_sound(2);
	/* Our own PDUs: the Registers, a Ping, a Close; the rest answers. */
	REQUIRE(st->ss_pdus_out - out0 <= st->ss_pdus_in - in0 + 4);
	agentx_sess_tick(sess, 3 + FX_PING_MS);
	(void)output_is_sound(3 + FX_PING_MS);
	agentx_sess_tick(sess, 4 + FX_PING_MS + FX_RESPONSE_MS);
	(void)output_is_sound(4 + FX_PING_MS + FX_RESPONSE_MS);
	if (agentx_sess_state(sess) == AGENTX_S_CLOSED) {
		REQUIRE(agentx_sess_why(sess, NULL) != AGENTX_W_NONE);
		REQUIRE(agentx_sess_deadline(sess) == UINT64_MAX);
		REQUIRE(agentx_sess_input(sess, data, size, 5) == size);
		REQUIRE(output_is_sound(5) == 0);
	}
	agentx_sess_lost(sess);
	REQUIRE(!t_cur_failed);
	return 0;
}
