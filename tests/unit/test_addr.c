/*
 * test_addr: endpoint and CIDR parsing, formatting and prefix matching,
 * table-driven.  Never touches the network or the resolver.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "tests/harness.h"
#include "lib/addr.h"

struct ep_case {
	const char	*s;
	uint16_t	 defport;
	const char	*want;	/* addr_format() of the result, or NULL */
	const char	*err;	/* errstr when want is NULL */
};

static const struct ep_case ep_cases[] = {
	{ "127.0.0.1:161", 0, "127.0.0.1:161", NULL },
	{ "127.0.0.1:16161", 161, "127.0.0.1:16161", NULL },
	{ "0.0.0.0:1", 0, "0.0.0.0:1", NULL },
	{ "255.255.255.255:65535", 0, "255.255.255.255:65535", NULL },
	{ "[::1]:161", 0, "[::1]:161", NULL },
	{ "[::]:16161", 0, "[::]:16161", NULL },
	{ "[2001:db8::1]:162", 0, "[2001:db8::1]:162", NULL },
	{ "[::ffff:10.0.0.1]:161", 0, "[::ffff:10.0.0.1]:161", NULL },
	{ "127.0.0.1", 161, "127.0.0.1:161", NULL },
	{ "::1", 161, "[::1]:161", NULL },
	{ "[::1]", 1161, "[::1]:1161", NULL },
	{ "127.0.0.1", 0, NULL, "missing port" },
	{ "::1", 0, NULL, "missing port" },
	{ "[::1]", 0, NULL, "missing port" },
	{ "", 161, NULL, "empty address" },
	{ ":161", 0, NULL, "empty host" },
	{ "[]:161", 0, NULL, "empty host" },
	{ "127.0.0.1:", 0, NULL, "empty port" },
	{ "[::1]:", 0, NULL, "empty port" },
	{ "127.0.0.1:0", 0, NULL, "invalid port (1..65535)" },
	{ "127.0.0.1:65536", 0, NULL, "invalid port (1..65535)" },
	{ "127.0.0.1:0161", 0, NULL, "invalid port (1..65535)" },
	{ "127.0.0.1:-1", 0, NULL, "invalid port (1..65535)" },
	{ "127.0.0.1:16x", 0, NULL, "invalid port (1..65535)" },
	{ "127.0.0.1: 161", 0, NULL, "invalid port (1..65535)" },
	{ "[::1:161", 0, NULL, "missing ']'" },
	{ "[::1]161", 0, NULL, "garbage after ']'" },
	{ "[127.0.0.1]:161", 0, NULL, "invalid IPv6 address" },
	{ "localhost:161", 0, NULL, "invalid IPv4 address" },
	{ "127.1:161", 0, NULL, "invalid IPv4 address" },
	{ "256.0.0.1:161", 0, NULL, "invalid IPv4 address" },
	{ "1.2.3.4.5:161", 0, NULL, "invalid IPv4 address" },
	{ ":::1", 161, NULL, "invalid IPv6 address" },
	{ "fe80::1%eth0", 161, NULL, "invalid IPv6 address" },
};

static void
endpoints_parse_and_format_as_the_table_says(void)
{
	size_t i;

	for (i = 0; i < sizeof(ep_cases) / sizeof(ep_cases[0]); i++) {
		const struct ep_case *c = &ep_cases[i];
		struct sockaddr_storage ss;
		socklen_t len = 0;
		const char *err = "unset";
		char buf[64];
		int rc;

		rc = addr_parse_endpoint(c->s, c->defport, &ss, &len, &err);
		if (c->want != NULL) {
			CHECK_INT(rc, ==, 0);
			if (rc == 0) {
				CHECK(err == NULL);
				CHECK_STR(addr_format((struct sockaddr *)&ss,
				    buf, sizeof(buf)), c->want);
				CHECK_INT(len, ==, ss.ss_family == AF_INET ?
				    sizeof(struct sockaddr_in) :
				    sizeof(struct sockaddr_in6));
			}
		} else {
			CHECK_INT(rc, ==, -1);
			CHECK_STR(err, c->err);
		}
		if ((rc == 0) != (c->want != NULL))
			fprintf(stderr, "  case \"%s\"\n", c->s);
	}
}

static void
an_over_long_endpoint_is_refused(void)
{
	char big[200];
	const char *err;
	struct sockaddr_storage ss;
	socklen_t len;

	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(addr_parse_endpoint(big, 161, &ss, &len, &err), ==, -1);
	CHECK_STR(err, "address too long");
}

struct cidr_case {
	const char	*s;
	int		 family;
	unsigned	 prefix;
	const char	*err;	/* NULL when it must parse */
};

static const struct cidr_case cidr_cases[] = {
	{ "10.0.0.0/8", AF_INET, 8, NULL },
	{ "0.0.0.0/0", AF_INET, 0, NULL },
	{ "192.168.1.7/32", AF_INET, 32, NULL },
	{ "192.168.1.7", AF_INET, 32, NULL },
	{ "::/0", AF_INET6, 0, NULL },
	{ "::1/128", AF_INET6, 128, NULL },
	{ "::1", AF_INET6, 128, NULL },
	{ "2001:db8::/32", AF_INET6, 32, NULL },
	{ "::ffff:0:0/96", AF_INET6, 96, NULL },
	{ "10.0.0.1/8", 0, 0, "host bits set beyond the prefix length" },
	{ "0.0.0.1/0", 0, 0, "host bits set beyond the prefix length" },
	{ "2001:db8::1/64", 0, 0, "host bits set beyond the prefix length" },
	{ "10.0.0.0/33", 0, 0, "invalid prefix length (0..32)" },
	{ "::/129", 0, 0, "invalid prefix length (0..128)" },
	{ "10.0.0.0/-1", 0, 0, "invalid prefix length (0..32)" },
	{ "10.0.0.0/08", 0, 0, "invalid prefix length (0..32)" },
	{ "10.0.0.0/8x", 0, 0, "invalid prefix length (0..32)" },
	{ "10.0.0.0/8/8", 0, 0, "invalid prefix length (0..32)" },
	{ "10.0.0.0/", 0, 0, "empty prefix length" },
	{ "/8", 0, 0, "invalid IPv4 address" },
	{ "10.0.0/8", 0, 0, "invalid IPv4 address" },
	{ "garbage", 0, 0, "invalid IPv4 address" },
	{ "::g/64", 0, 0, "invalid IPv6 address" },
	{ "", 0, 0, "empty prefix" },
};

static void
prefixes_parse_as_the_table_says(void)
{
	size_t i;

	for (i = 0; i < sizeof(cidr_cases) / sizeof(cidr_cases[0]); i++) {
		const struct cidr_case *c = &cidr_cases[i];
		struct addr_cidr ac;
		const char *err = "unset";
		int rc = addr_parse_cidr(c->s, &ac, &err);

		if (c->err == NULL) {
			CHECK_INT(rc, ==, 0);
			CHECK(err == NULL);
			CHECK_INT(ac.ac_family, ==, c->family);
			CHECK_INT(ac.ac_prefix, ==, c->prefix);
		} else {
			CHECK_INT(rc, ==, -1);
			CHECK_STR(err, c->err);
		}
		if ((rc == 0) != (c->err == NULL))
			fprintf(stderr, "  case \"%s\"\n", c->s);
	}
}

static void
sa_from(const char *ep, struct sockaddr_storage *ss)
{
	socklen_t len;
	const char *err;

	memset(ss, 0, sizeof(*ss));
	if (addr_parse_endpoint(ep, 161, ss, &len, &err) == -1)
		fprintf(stderr, "  bad fixture %s: %s\n", ep, err);
}

struct match_case {
	const char	*cidr;
	const char	*src;
	bool		 match;
};

static const struct match_case match_cases[] = {
	{ "127.0.0.0/8", "127.0.0.1", true },
	{ "127.0.0.0/8", "127.255.255.255", true },
	{ "127.0.0.0/8", "128.0.0.1", false },
	{ "0.0.0.0/0", "203.0.113.9", true },
	{ "0.0.0.0/0", "::1", false },
	{ "192.168.1.7/32", "192.168.1.7", true },
	{ "192.168.1.7/32", "192.168.1.6", false },
	{ "192.168.1.0/25", "192.168.1.127", true },
	{ "192.168.1.0/25", "192.168.1.128", false },
	{ "::1/128", "::1", true },
	{ "::1/128", "::2", false },
	{ "::/0", "2001:db8::5", true },
	{ "2001:db8::/33", "2001:db8:7fff::1", true },
	{ "2001:db8::/33", "2001:db8:8000::1", false },
	/* v4-mapped sources (a dual-stack socket) match IPv4 prefixes. */
	{ "127.0.0.0/8", "::ffff:127.0.0.1", true },
	{ "10.0.0.0/8", "::ffff:127.0.0.1", false },
	{ "0.0.0.0/0", "::ffff:1.2.3.4", true },
	{ "0.0.0.0/0", "::1", false },
	{ "127.0.0.0/8", "::127.0.0.1", false },
	/* And IPv4 sources match v4-mapped IPv6 prefixes. */
	{ "::ffff:0:0/96", "10.1.2.3", true },
	{ "::ffff:10.0.0.0/104", "10.1.2.3", true },
	{ "::ffff:10.0.0.0/104", "11.1.2.3", false },
	{ "::1/128", "127.0.0.1", false },
	{ "::/0", "127.0.0.1", true },
};

static void
sources_match_prefixes_as_the_table_says(void)
{
	size_t i;

	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		struct addr_cidr ac;
		struct sockaddr_storage ss;
		const char *err;
		bool got;

		CHECK_INT(addr_parse_cidr(c->cidr, &ac, &err), ==, 0);
		sa_from(c->src, &ss);
		got = addr_cidr_match(&ac, (struct sockaddr *)&ss);
		CHECK_INT(got, ==, c->match);
		if (got != c->match)
			fprintf(stderr, "  case %s vs %s\n", c->cidr, c->src);
	}
}

static void
unknown_families_and_nulls_never_match(void)
{
	struct addr_cidr ac;
	struct sockaddr_storage ss;
	const char *err;

	CHECK_INT(addr_parse_cidr("0.0.0.0/0", &ac, &err), ==, 0);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	CHECK(!addr_cidr_match(&ac, (struct sockaddr *)&ss));
	CHECK(!addr_cidr_match(NULL, (struct sockaddr *)&ss));
	CHECK(!addr_cidr_match(&ac, NULL));
}

static void
format_refuses_small_buffers_and_odd_families(void)
{
	struct sockaddr_storage ss;
	char buf[64], tiny[8];

	sa_from("[2001:db8::1]:65535", &ss);
	CHECK_STR(addr_format((struct sockaddr *)&ss, buf, sizeof(buf)),
	    "[2001:db8::1]:65535");
	CHECK_STR(addr_format((struct sockaddr *)&ss, tiny, sizeof(tiny)),
	    "?");
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	CHECK_STR(addr_format((struct sockaddr *)&ss, buf, sizeof(buf)), "?");
}

int
main(void)
{
	RUN(endpoints_parse_and_format_as_the_table_says);
	RUN(an_over_long_endpoint_is_refused);
	RUN(prefixes_parse_as_the_table_says);
	RUN(sources_match_prefixes_as_the_table_says);
	RUN(unknown_families_and_nulls_never_match);
	RUN(format_refuses_small_buffers_and_odd_families);
	return t_done();
}
