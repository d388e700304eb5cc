/*
 * test_engine_bulk: engine_handle's GETBULK (non-repeaters,
 * max-repetitions, the end of the MIB) and every cut of a reply to the
 * message size: a GETBULK filled to max_message_size or the caller's
 * buffer, tooBig only when nothing fits, a silent drop when not even
 * tooBig fits, and too many varbinds.  Same fixture as test_engine.c
 * (engine_fixture.h); GET, GETNEXT, SET, access and counters are there.
 */
#include "tests/unit/engine_fixture.h"

static void
getbulk_honours_non_repeaters_and_max_repetitions(void)
{
	const char *oids[] = { SYS "1.0", "1.3.6.1.2.1.1", FAKE "2" };

	fresh();
	CHECK(bulk(1, 3, oids, 3, sizeof(out)) > 0);
	CHECK_ERR(0, 0);
	CHECK(names_are(7, SYS "2.0", SYS "1.0", FAKE "2.1", SYS "2.0",
	    FAKE "2.2", SYS "3.0", FAKE "2.3"));
	/* Non-repeaters beyond the list count as the whole list. */
	CHECK(bulk(10, 3, oids, 3, sizeof(out)) > 0);
	CHECK_INT(rm.m_nvbs, ==, 3);
}

static void
getbulk_clamps_negative_values_to_zero(void)
{
	const char *oids[] = { SYS "1.0", "1.3.6.1.2.1.1" };

	fresh();
	CHECK(bulk(-5, -1, oids, 2, sizeof(out)) > 0);
	CHECK_ERR(0, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	CHECK(bulk(-1, 2, oids, 2, sizeof(out)) > 0);
	CHECK(names_are(4, SYS "2.0", SYS "1.0", SYS "3.0", SYS "2.0"));
	CHECK(bulk(1, -7, oids, 2, sizeof(out)) > 0);
	CHECK_INT(rm.m_nvbs, ==, 1);
}

static void
getbulk_stops_once_every_repeater_is_at_the_end(void)
{
	const char *oids[] = { FAKE "2.399", "2.5" };

	fresh();
	CHECK(bulk(0, 50, oids, 2, sizeof(out)) > 0);
	CHECK_ERR(0, 0);
	CHECK(names_are(4, FAKE "2.400", "2.5", FAKE "2.400", "2.5"));
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
	CHECK_INT(rvbs[2].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
	CHECK_INT(rvbs[3].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
}

static void
getbulk_is_cut_to_the_message_size_and_toobig_only_if_empty(void)
{
	const char *oids[] = { FAKE "2" };
	const char *half[] = { FAKE "2.200" };
	size_t n, i;

	fresh();
	conf.ca_max_message_size = 484;
	n = bulk(0, 1000, oids, 1, sizeof(out));
	CHECK(n > 0 && n <= 484);
	CHECK(n > 484 - 40);	/* filled, not merely short */
	CHECK_ERR(0, 0);
	CHECK(rm.m_nvbs > 5);
	for (i = 0; i < rm.m_nvbs; i++) {
		CHECK_INT(rvbs[i].vb_oid.o_len, ==, 9);
		CHECK_U64(rvbs[i].vb_oid.o_id[8], ==, i + 1);
	}
	/* The caller's buffer limits too: min(max_message_size, outcap). */
	conf.ca_max_message_size = 1472;
	n = bulk(0, 1000, oids, 1, 300);
	CHECK(n > 0 && n <= 300);
	CHECK(rm.m_nvbs > 2);
	/* tooBig only when not one varbind fits (header yes, a row no). */
	CHECK(bulk(0, 5, oids, 1, 45) > 0);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	/* A huge max-repetitions ends at the message size, quickly. */
	n = bulk(0, INT32_MAX, oids, 1, sizeof(out));
	CHECK(n > 0 && n <= 1472);
	/* With room for all: the last 200 rows, then the end. */
	conf.ca_max_message_size = 65507;
	n = bulk(0, INT32_MAX, half, 1, sizeof(out));
	CHECK_INT(rm.m_nvbs, ==, TABLE_ROWS / 2 + 1);
	if (rm.m_nvbs == TABLE_ROWS / 2 + 1)
		CHECK_INT(rvbs[TABLE_ROWS / 2].vb_value.val_type, ==,
		    BER_ENDOFMIBVIEW);
}

static void
getbulk_with_many_repeaters_and_huge_repetitions_stays_bounded(void)
{
	static const char *oids[100];
	size_t i, len, n;
	int rc;

	fresh();
	for (i = 0; i < 100; i++)
		oids[i] = i == 0 ? FAKE "2" : "2.5";
	conf.ca_max_message_size = 65507;
	len = mkreq(V2, "public", SNMP_PDU_GETBULK, 3, 0, INT32_MAX, oids, 100);
	n = engine_handle(eng, reqbuf, len, (const struct sockaddr *)&src_lo,
	    out, sizeof(out));
	CHECK(n > 0 && n <= 65507);
	/* More varbinds than the decoder stores: it still counts them. */
	memset(&rm, 0, sizeof(rm));
	rc = snmp_msg_decode(out, n, &rm, rvbs, SNMP_MAX_VARBINDS);
	CHECK_INT(rc, ==, SNMP_ETOOMANY);
	CHECK_ERR(0, 0);
	/* Whole rounds of 100 until the message was full. */
	CHECK(rm.m_nvbs_total > 1000);
	CHECK(rm.m_nvbs_total < 10000);
	CHECK_INT(rvbs[0].vb_value.val_type, ==, BER_OCTET_STRING);
	CHECK_INT(rvbs[1].vb_value.val_type, ==, BER_ENDOFMIBVIEW);
}

static void
get_too_large_is_toobig_with_no_varbinds(void)
{
	static char names[60][32];
	const char *oids[60];
	size_t i, len;

	fresh();
	for (i = 0; i < 60; i++) {
		snprintf(names[i], sizeof(names[i]), FAKE "2.%zu", i + 1);
		oids[i] = names[i];
	}
	conf.ca_max_message_size = 484;
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids, 60) > 0);
	CHECK_INT(rm.m_request_id, ==, 4711);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	CHECK(sendq(V1, "public", SNMP_PDU_GETNEXT, &src_lo, oids, 60) > 0);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	/* Not even the empty tooBig fits: silent drop, counted. */
	len = mkreq(V1, "public", SNMP_PDU_GETNEXT, 9, 0, 0, oids, 60);
	CHECK_U64(ask(len, &src_lo, 20), ==, 0);
	CHECK_U64(engine_counters(eng)->ec_silent_drops, ==, 1);
}

static void
too_many_varbinds_is_toobig_for_that_request(void)
{
	static const char *oids[SNMP_MAX_VARBINDS + 1];
	size_t i;

	fresh();
	for (i = 0; i < SNMP_MAX_VARBINDS + 1; i++)
		oids[i] = SYS "5.0";
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids,
	    SNMP_MAX_VARBINDS + 1) > 0);
	CHECK_INT(rm.m_request_id, ==, 4711);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	/* ... but still only for an authorized community. */
	CHECK_NOREPLY(sendq(V2, "nope", SNMP_PDU_GET, &src_lo, oids,
	    SNMP_MAX_VARBINDS + 1));
	/* Exactly the maximum is answered. */
	conf.ca_max_message_size = 65507;
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids,
	    SNMP_MAX_VARBINDS) > 0);
	CHECK_ERR(0, 0);
	CHECK_INT(rm.m_nvbs, ==, SNMP_MAX_VARBINDS);
}

int
main(void)
{
	setup();
	RUN(getbulk_honours_non_repeaters_and_max_repetitions);
	RUN(getbulk_clamps_negative_values_to_zero);
	RUN(getbulk_stops_once_every_repeater_is_at_the_end);
	RUN(getbulk_is_cut_to_the_message_size_and_toobig_only_if_empty);
	RUN(getbulk_with_many_repeaters_and_huge_repetitions_stays_bounded);
	RUN(get_too_large_is_toobig_with_no_varbinds);
	RUN(too_many_varbinds_is_toobig_for_that_request);
	return t_done();
}
