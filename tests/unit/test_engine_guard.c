/*
 * test_engine_guard: the engine's defences and walk bookkeeping: a v1
 * tooBig echoes the request's varbinds (RFC 1157 sec. 4.1.2), GETBULK stops
 * at max_bulk_varbinds, replies over a source's reply budget are dropped
 * and counted in ptAgentReplyDrops and snmpSilentDrops while another
 * source is answered, and a walk that continues asks for the snapshot it
 * began on.  Same fixture as test_engine.c (engine_fixture.h).
 */
#include "tests/unit/engine_fixture.h"

static void
v1_toobig_echoes_the_request_varbinds(void)
{
	static char names[20][32];
	const char *oids[20];
	size_t i;

	fresh();
	for (i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), FAKE "2.%zu", i + 1);
		oids[i] = names[i];
	}
	/* 20 rows of 20 octets do not fit in 484; their names do. */
	conf.ca_max_message_size = 484;
	CHECK(sendq(V1, "public", SNMP_PDU_GET, &src_lo, oids, 20) > 0);
	CHECK_INT(rm.m_request_id, ==, 4711);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 20);
	CHECK(oid_eq(&rvbs[0].vb_oid, names[0]));
	CHECK(oid_eq(&rvbs[19].vb_oid, names[19]));
	CHECK_INT(rvbs[19].vb_value.val_type, ==, BER_NULL);
	/* v2c: an empty list (RFC 3416 sec. 4.2.1). */
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, oids, 20) > 0);
	CHECK_ERR(SNMP_ERRSTAT_TOOBIG, 0);
	CHECK_INT(rm.m_nvbs, ==, 0);
	conf.ca_max_message_size = 1472;
}

static void
getbulk_stops_at_max_bulk_varbinds(void)
{
	static const char *one[] = { FAKE "2" };
	static const char *four[] = { SYS "1", SYS "2", FAKE "2", FAKE "2" };

	fresh();
	conf.ca_max_message_size = 65507;
	conf.ca_max_bulk_varbinds = 100;
	CHECK(bulk(0, 1000, one, 1, sizeof(out)) > 0);
	CHECK_ERR(0, 0);
	CHECK_INT(rm.m_nvbs, ==, 100);
	/* Non-repeaters count too: 2 of them, then 3 repeater varbinds. */
	conf.ca_max_bulk_varbinds = 5;
	CHECK(bulk(2, 10, four, 4, sizeof(out)) > 0);
	CHECK_INT(rm.m_nvbs, ==, 5);
	CHECK(oid_eq(&rvbs[0].vb_oid, SYS "1.0"));
	CHECK(oid_eq(&rvbs[4].vb_oid, FAKE "2.2"));
	conf.ca_max_bulk_varbinds = 10000;
	conf.ca_max_message_size = 1472;
}

static void
replies_over_the_budget_are_dropped_and_counted(void)
{
	static const char *one[] = { FAKE "2" };
	static const char *get[] = { SYS "5.0" };
	struct sockaddr_in other = src_lo;
	const struct engine_counters *ec;
	size_t n, sent = 0, answered = 0, dropped = 0, i;

	fresh();
	/* Loopback is not exempt here: one octet a second, 3000 at once. */
	conf.ca_reply_rate = 1;
	conf.ca_reply_burst = 3000;
	engine_set_conf(eng, &conf);
	for (i = 0; i < 20; i++) {
		n = bulk(0, 30, one, 1, sizeof(out));
		if (n > 0) {
			answered++;
			sent += n;
		} else
			dropped++;
	}
	ec = engine_counters(eng);
	CHECK_INT(sent, <=, 3000);
	CHECK_INT(answered, >, 0);
	CHECK_INT(dropped, >, 0);
	CHECK_U64(ec->ec_budget_drops, ==, dropped);
	CHECK_U64(ec->ec_silent_drops, ==, dropped);
	/* Another source has its own budget, and the counters are served. */
	other.sin_addr.s_addr = htonl(0x7f000002);
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &other, get, 1) > 0);
	CHECK_ERR(0, 0);
	conf.ca_reply_rate = 0;
	engine_set_conf(eng, &conf);
}

static void
a_walk_that_continues_asks_for_the_snapshot_it_began_on(void)
{
	static const char *start[] = { FAKE "2" };
	static const char *next[] = { FAKE "2.1" };
	static const char *skip[] = { FAKE "2.7" };
	static const char *two[] = { FAKE "2.3", FAKE "2.2" };
	struct sockaddr_in port2 = src_lo;

	fresh();
	snap.ps_gen = 5;
	CHECK(sendq(V2, "public", SNMP_PDU_GETNEXT, &src_lo, start, 1) > 0);
	CHECK_U64(snap_gen, ==, 0);
	CHECK(snap_walk);
	CHECK(oid_eq(&rvbs[0].vb_oid, FAKE "2.1"));
	/* The next step names what was answered: the same snapshot. */
	CHECK(sendq(V2, "public", SNMP_PDU_GETNEXT, &src_lo, next, 1) > 0);
	CHECK_U64(snap_gen, ==, 5);
	/* Not a continuation: another OID, another port, a GET. */
	CHECK(sendq(V2, "public", SNMP_PDU_GETNEXT, &src_lo, skip, 1) > 0);
	CHECK_U64(snap_gen, ==, 0);
	port2.sin_port = htons(40001);
	CHECK(sendq(V2, "public", SNMP_PDU_GETNEXT, &port2, next, 1) > 0);
	CHECK_U64(snap_gen, ==, 0);
	CHECK(sendq(V2, "public", SNMP_PDU_GET, &src_lo, next, 1) > 0);
	CHECK_U64(snap_gen, ==, 0);
	CHECK(!snap_walk);
	/* GETBULK: the request's last varbind against the reply's last. */
	CHECK(bulk(0, 2, start, 1, sizeof(out)) > 0);
	CHECK(oid_eq(&rvbs[1].vb_oid, FAKE "2.2"));
	CHECK(bulk(0, 2, two, 2, sizeof(out)) > 0);
	CHECK_U64(snap_gen, ==, 5);
	snap.ps_gen = 0;
}

int
main(void)
{
	setup();
	RUN(v1_toobig_echoes_the_request_varbinds);
	RUN(getbulk_stops_at_max_bulk_varbinds);
	RUN(replies_over_the_budget_are_dropped_and_counted);
	RUN(a_walk_that_continues_asks_for_the_snapshot_it_began_on);
	return t_done();
}
