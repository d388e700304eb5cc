/*
 * test_budget: agent/budget.c, the reply-byte budget per source: a burst
 * then the rate, exactly (times are passed in, no clock), sources apart,
 * exempt prefixes, a full table whose newcomers evict the most rested
 * bucket, a reconfiguration, and budget off.  Not the engine's use of it
 * (test_engine.c) nor a flood on the wire (agent_hostile.sh).
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "agent/budget.h"
#include "tests/harness.h"

#define SEC	1000000000ULL

static struct sockaddr_in
v4(const char *a, uint16_t port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons(port);
	(void)inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

#define SA(s)	((const struct sockaddr *)&(s))

static void
a_source_gets_its_burst_then_its_rate(void)
{
	struct budget *b = budget_new();
	struct sockaddr_in s = v4("192.0.2.1", 161);
	uint64_t t = 5 * SEC;
	int i;

	CHECK(b != NULL);
	budget_configure(b, 1000, 3000, NULL, 0);
	for (i = 0; i < 3; i++)
		CHECK(budget_take(b, SA(s), 1000, t));
	CHECK(!budget_take(b, SA(s), 1, t));
	/* Half a second refills 500 octets, to the octet. */
	CHECK(!budget_take(b, SA(s), 501, t + SEC / 2));
	CHECK(budget_take(b, SA(s), 500, t + SEC / 2));
	CHECK(!budget_take(b, SA(s), 1, t + SEC / 2));
	/* A thousand refills of a microsecond each add up: 1 octet per ms. */
	for (i = 1; i <= 1000; i++)
		(void)budget_take(b, SA(s), 0, t + SEC / 2 + (uint64_t)i * 1000);
	CHECK(budget_take(b, SA(s), 1, t + SEC / 2 + 1000 * 1000));
	CHECK(!budget_take(b, SA(s), 1, t + SEC / 2 + 1000 * 1000));
	/* Idle for an hour: full, never more than the burst. */
	CHECK(!budget_take(b, SA(s), 3001, t + 3600 * SEC));
	CHECK(budget_take(b, SA(s), 3000, t + 3600 * SEC));
	budget_free(b);
}

static void
sources_are_apart_and_ports_do_not_matter(void)
{
	struct budget *b = budget_new();
	struct sockaddr_in a1 = v4("192.0.2.1", 1000), a2 = v4("192.0.2.1", 2000);
	struct sockaddr_in other = v4("192.0.2.2", 1000);

	CHECK(b != NULL);
	budget_configure(b, 1, 1000, NULL, 0);
	CHECK(budget_take(b, SA(a1), 1000, SEC));
	/* A forger changing ports still drains the victim's one bucket. */
	CHECK(!budget_take(b, SA(a2), 1, SEC));
	CHECK(budget_take(b, SA(other), 1000, SEC));
	budget_free(b);
}

static void
exempt_sources_and_a_budget_off_are_never_refused(void)
{
	struct budget *b = budget_new();
	struct sockaddr_in lo = v4("127.0.0.5", 1), far = v4("192.0.2.9", 1);
	struct sockaddr_in6 lo6;
	struct addr_cidr ex[2];
	int i;

	CHECK(b != NULL);
	CHECK_INT(addr_parse_cidr("127.0.0.0/8", &ex[0], NULL), ==, 0);
	CHECK_INT(addr_parse_cidr("::1/128", &ex[1], NULL), ==, 0);
	memset(&lo6, 0, sizeof(lo6));
	lo6.sin6_family = AF_INET6;
	lo6.sin6_addr = in6addr_loopback;
	budget_configure(b, 1, 1000, ex, 2);
	for (i = 0; i < 100; i++) {
		CHECK(budget_take(b, SA(lo), 65507, SEC));
		CHECK(budget_take(b, SA(lo6), 65507, SEC));
	}
	CHECK(!budget_take(b, SA(far), 1001, SEC));
	budget_configure(b, 0, 1000, NULL, 0);
	for (i = 0; i < 100; i++)
		CHECK(budget_take(b, SA(far), 65507, SEC));
	budget_free(b);
}

static void
a_full_table_evicts_the_fullest_bucket_not_a_drained_one(void)
{
	struct budget *b = budget_new();
	struct sockaddr_in s, victim = v4("198.51.100.1", 1);
	char a[32];
	int i, refused = 0;

	CHECK(b != NULL);
	budget_configure(b, 1, 100, NULL, 0);
	/* The victim is drained; then many times the table of newcomers. */
	CHECK(budget_take(b, SA(victim), 100, SEC));
	for (i = 0; i < 4 * BUDGET_SLOTS; i++) {
		snprintf(a, sizeof(a), "10.%d.%d.%d", (i >> 16) & 255,
		    (i >> 8) & 255, i & 255);
		s = v4(a, 1);
		/* Each newcomer is answered: it starts with a full bucket. */
		if (!budget_take(b, SA(s), 1, SEC))
			refused++;
	}
	CHECK_INT(refused, ==, 0);
	/*
	 * Each newcomer took the place of the fullest bucket of its set,
	 * never of the drained victim: a flood of forged sources cannot
	 * make the agent forget whom it already answered enough.
	 */
	CHECK(!budget_take(b, SA(victim), 1, SEC));
	budget_free(b);
}

static void
a_lower_burst_cuts_the_buckets_at_once(void)
{
	struct budget *b = budget_new();
	struct sockaddr_in s = v4("192.0.2.1", 1);

	CHECK(b != NULL);
	budget_configure(b, 1, 10000, NULL, 0);
	CHECK(budget_take(b, SA(s), 1, SEC));
	budget_configure(b, 1, 100, NULL, 0);
	CHECK(!budget_take(b, SA(s), 101, SEC));
	CHECK(budget_take(b, SA(s), 100, SEC));
	budget_free(b);
}

int
main(void)
{
	RUN(a_source_gets_its_burst_then_its_rate);
	RUN(sources_are_apart_and_ports_do_not_matter);
	RUN(exempt_sources_and_a_budget_off_are_never_refused);
	RUN(a_full_table_evicts_the_fullest_bucket_not_a_drained_one);
	RUN(a_lower_burst_cuts_the_buckets_at_once);
	return t_done();
}
