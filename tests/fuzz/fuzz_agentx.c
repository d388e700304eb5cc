/*
 * fuzz_agentx: libFuzzer target for the AgentX decoder (agentx_pdu_decode,
 * agentx_frame, the list iterators) and, whenever a PDU decodes, the
 * writer fed with its fields.  Beyond "no crash" it checks properties: an
 * accepted PDU encodes again no longer (the writer's prefix compression is
 * the only way to be shorter), the same bytes when as long, and as a
 * fixed point; its list yields exactly p_nitems items without error; it
 * survives a change of byte order and back; framing agrees with the
 * decoder.  Seeds: the captures of tests/unit/agentx/, as binary.
 * Run through tests/fuzz/run.sh (make fuzz).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/agentx.h"
#include "tests/unit/agentx_util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(e) do {							\
	if (!(e))							\
		abort();						\
} while (0)

static void
list_is_whole(const struct agentx_pdu *p)
{
	struct agentx_iter it;
	struct agentx_range r;
	struct agentx_varbind vb;
	size_t n = 0;
	int rc;

	agentx_iter_init(&it, p);
	if (p->p_list_ranges) {
		while ((rc = agentx_iter_range(&it, &r)) == 1)
			n++;
	} else {
		while ((rc = agentx_iter_varbind(&it, &vb)) == 1)
			n++;
	}
	REQUIRE(rc == 0 && n == p->p_nitems);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agentx_pdu p;
	size_t pdu_len;
	int rv, fr;

	rv = agentx_pdu_decode(data, size, &p);
	REQUIRE(rv <= 0 && (rv == 0 || (rv <= AGENTX_ETRUNC &&
	    rv >= AGENTX_EREASON)));
	fr = agentx_frame(data, size, &pdu_len);
	if (rv == 0) {
		REQUIRE(fr == 1 && pdu_len == size);
		list_is_whole(&p);
		REQUIRE(au_reencode_check(&p, data, size) == 0);
	}
	if (fr == 1) {
		REQUIRE(pdu_len <= size && pdu_len >= AGENTX_HDR_LEN);
		/* The first PDU of a stream decodes or is refused alone. */
		rv = agentx_pdu_decode(data, pdu_len, &p);
		REQUIRE(rv != AGENTX_ETRAILING || p.p_hdr.h_payload_len > 0);
		if (rv == 0)
			list_is_whole(&p);
	} else
		REQUIRE(fr <= 0);
	return 0;
}
