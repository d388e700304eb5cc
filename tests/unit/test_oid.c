/*
 * test_oid: dotted-text parsing and printing, ordering and building of
 * struct oid (snmp/oid.c).  The BER form of OIDs is tested in test_ber.c.
 */
#include <stdint.h>
#include <string.h>

#include "snmp/oid.h"
#include "tests/harness.h"

static void
parse_accepts_good_text_and_formats_it_back(void)
{
	static const struct {
		const char	*in;
		const char	*out;
		size_t		 len;
	} t[] = {
		{ "1.3.6.1.2.1", "1.3.6.1.2.1", 6 },
		{ ".1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.5.0", 9 },
		{ "0", "0", 1 },
		{ "0.0", "0.0", 2 },
		{ "2.999", "2.999", 2 },
		{ "1.4294967295", "1.4294967295", 2 },
		{ "007.08", "7.8", 2 },
	};
	struct oid o;
	char buf[OID_STR_MAX];
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err = NULL;
		CHECK_INT(oid_parse(t[i].in, &o, &err), ==, 0);
		CHECK_U64(o.o_len, ==, t[i].len);
		CHECK_INT(oid_format(&o, buf, sizeof(buf)), ==,
		    strlen(t[i].out));
		CHECK_STR(buf, t[i].out);
	}
}

static void
parse_refuses_bad_text_with_a_reason(void)
{
	static const char *bad[] = {
		"", ".", "1..2", "1.2.", "1.-2", "+1.2", "1.2a", "a", "1.2 ",
		" 1.2", "1.4294967296", "1.99999999999999999999999", "..1",
	};
	struct oid o;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		CHECK_INT(oid_parse(bad[i], &o, &err), ==, -1);
		CHECK(err != NULL);
	}
	CHECK_INT(oid_parse(NULL, &o, &err), ==, -1);
}

static void
parse_takes_128_components_and_refuses_129(void)
{
	char text[OID_STR_MAX + 16];
	struct oid o;
	const char *err;
	size_t i, pos = 0;

	for (i = 0; i < OID_MAX_LEN; i++) {
		text[pos++] = '7';
		text[pos++] = '.';
	}
	text[pos - 1] = '\0';
	CHECK_INT(oid_parse(text, &o, &err), ==, 0);
	CHECK_U64(o.o_len, ==, OID_MAX_LEN);
	text[pos - 1] = '.';
	text[pos++] = '7';
	text[pos] = '\0';
	CHECK_INT(oid_parse(text, &o, &err), ==, -1);
}

static void
format_reports_truncation_and_terminates(void)
{
	struct oid o;
	char buf[8];
	const char *err;

	CHECK_INT(oid_parse("1.3.6.1.4.1.8072", &o, &err), ==, 0);
	CHECK_INT(oid_format(&o, buf, sizeof(buf)), ==, -1);
	CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
	CHECK_INT(oid_format(&o, buf, 0), ==, -1);
	/* Exactly fitting: 16 characters and the NUL. */
	{
		char b17[17], b16[16];

		CHECK_INT(oid_format(&o, b17, sizeof(b17)), ==, 16);
		CHECK_INT(oid_format(&o, b16, sizeof(b16)), ==, -1);
	}
}

static void
format_prints_the_longest_oid_within_oid_str_max(void)
{
	struct oid o;
	char buf[OID_STR_MAX];
	size_t i;

	o.o_len = OID_MAX_LEN;
	for (i = 0; i < OID_MAX_LEN; i++)
		o.o_id[i] = UINT32_MAX;
	CHECK_INT(oid_format(&o, buf, sizeof(buf)), ==, OID_MAX_LEN * 11 - 1);
	o.o_len = 0;
	CHECK_INT(oid_format(&o, buf, sizeof(buf)), ==, 0);
	CHECK_STR(buf, "");
}

static void
cmp_orders_lexicographically_with_prefixes_first(void)
{
	static const char *sorted[] = {
		"0.0", "1", "1.3", "1.3.6", "1.3.6.1.2", "1.3.6.1.10",
		"1.3.7", "1.4294967295", "2", "2.0.0",
	};
	struct oid a, b;
	const char *err;
	size_t i, j;

	for (i = 0; i < sizeof(sorted) / sizeof(sorted[0]); i++) {
		CHECK_INT(oid_parse(sorted[i], &a, &err), ==, 0);
		for (j = 0; j < sizeof(sorted) / sizeof(sorted[0]); j++) {
			int want = i < j ? -1 : i > j ? 1 : 0;

			CHECK_INT(oid_parse(sorted[j], &b, &err), ==, 0);
			CHECK_INT(oid_cmp(&a, &b), ==, want);
		}
	}
}

static void
is_prefix_accepts_equal_and_shorter_only(void)
{
	struct oid p, o;
	const char *err;

	CHECK_INT(oid_parse("1.3.6.1", &p, &err), ==, 0);
	CHECK_INT(oid_parse("1.3.6.1.2", &o, &err), ==, 0);
	CHECK(oid_is_prefix(&p, &o));
	CHECK(oid_is_prefix(&p, &p));
	CHECK(!oid_is_prefix(&o, &p));
	CHECK_INT(oid_parse("1.3.6.2.2", &o, &err), ==, 0);
	CHECK(!oid_is_prefix(&p, &o));
	p.o_len = 0;
	CHECK(oid_is_prefix(&p, &o));
}

static void
set_and_append_stop_at_oid_max_len(void)
{
	uint32_t ids[OID_MAX_LEN + 1];
	struct oid o;
	size_t i;

	for (i = 0; i < OID_MAX_LEN + 1; i++)
		ids[i] = (uint32_t)i;
	CHECK_INT(oid_set(&o, ids, OID_MAX_LEN + 1), ==, -1);
	CHECK_INT(oid_set(&o, ids, 0), ==, 0);
	CHECK_U64(o.o_len, ==, 0);
	CHECK_INT(oid_set(&o, ids, OID_MAX_LEN - 1), ==, 0);
	CHECK_INT(oid_append(&o, 42), ==, 0);
	CHECK_U64(o.o_len, ==, OID_MAX_LEN);
	CHECK_U64(o.o_id[OID_MAX_LEN - 1], ==, 42);
	CHECK_INT(oid_append(&o, 43), ==, -1);
	CHECK_U64(o.o_len, ==, OID_MAX_LEN);
}

int
main(void)
{
	RUN(parse_accepts_good_text_and_formats_it_back);
	RUN(parse_refuses_bad_text_with_a_reason);
	RUN(parse_takes_128_components_and_refuses_129);
	RUN(format_reports_truncation_and_terminates);
	RUN(format_prints_the_longest_oid_within_oid_str_max);
	RUN(cmp_orders_lexicographically_with_prefixes_first);
	RUN(is_prefix_accepts_equal_and_shorter_only);
	RUN(set_and_append_stop_at_oid_max_len);
	return t_done();
}
