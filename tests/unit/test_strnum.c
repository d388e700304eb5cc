/*
 * test_strnum: strnum_u64 and strnum_i64 against a table of edges, signs,
 * overflow and garbage.  Not a test of strtoull itself.
 */
#include <stdint.h>

#include "tests/harness.h"
#include "lib/strnum.h"

struct u64_case {
	const char	*s;
	uint64_t	 min, max;
	int		 rc;
	uint64_t	 want;
	const char	*err;
};

static const struct u64_case u64_cases[] = {
	{ "0", 0, 10, 0, 0, NULL },
	{ "10", 0, 10, 0, 10, NULL },
	{ "11", 0, 10, -1, 0, "too large" },
	{ "4", 5, 10, -1, 0, "too small" },
	{ "5", 5, 10, 0, 5, NULL },
	{ "18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX, NULL },
	{ "18446744073709551616", 0, UINT64_MAX, -1, 0, "too large" },
	{ "99999999999999999999999", 0, UINT64_MAX, -1, 0, "too large" },
	{ "007", 0, 10, 0, 7, NULL },
	{ "", 0, 10, -1, 0, "invalid" },
	{ "-1", 0, 10, -1, 0, "invalid" },
	{ "-0", 0, 10, -1, 0, "invalid" },
	{ "+1", 0, 10, -1, 0, "invalid" },
	{ " 1", 0, 10, -1, 0, "invalid" },
	{ "1 ", 0, 10, -1, 0, "invalid" },
	{ "1x", 0, 10, -1, 0, "invalid" },
	{ "0x10", 0, 100, -1, 0, "invalid" },
	{ "1.0", 0, 10, -1, 0, "invalid" },
	{ "1e3", 0, 10000, -1, 0, "invalid" },
	{ "abc", 0, 10, -1, 0, "invalid" },
	{ "65535", 1, 65535, 0, 65535, NULL },
	{ "65536", 1, 65535, -1, 0, "too large" },
};

struct i64_case {
	const char	*s;
	int64_t		 min, max;
	int		 rc;
	int64_t		 want;
	const char	*err;
};

static const struct i64_case i64_cases[] = {
	{ "0", -10, 10, 0, 0, NULL },
	{ "-10", -10, 10, 0, -10, NULL },
	{ "-11", -10, 10, -1, 0, "too small" },
	{ "+10", -10, 10, 0, 10, NULL },
	{ "11", -10, 10, -1, 0, "too large" },
	{ "-0", -10, 10, 0, 0, NULL },
	{ "9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX, NULL },
	{ "9223372036854775808", INT64_MIN, INT64_MAX, -1, 0, "too large" },
	{ "-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN, NULL },
	{ "-9223372036854775809", INT64_MIN, INT64_MAX, -1, 0, "too small" },
	{ "-99999999999999999999", INT64_MIN, INT64_MAX, -1, 0, "too small" },
	{ "", -10, 10, -1, 0, "invalid" },
	{ "-", -10, 10, -1, 0, "invalid" },
	{ "+", -10, 10, -1, 0, "invalid" },
	{ "--1", -10, 10, -1, 0, "invalid" },
	{ "+-1", -10, 10, -1, 0, "invalid" },
	{ " -1", -10, 10, -1, 0, "invalid" },
	{ "-1 ", -10, 10, -1, 0, "invalid" },
	{ "1_000", 0, 10000, -1, 0, "invalid" },
};

static void
unsigned_numbers_match_the_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(u64_cases) / sizeof(u64_cases[0]); i++) {
		const struct u64_case *c = &u64_cases[i];
		uint64_t v = 12345;
		const char *err = "unset";
		int rc = strnum_u64(c->s, c->min, c->max, &v, &err);

		CHECK_INT(rc, ==, c->rc);
		if (c->rc == 0) {
			CHECK_U64(v, ==, c->want);
			CHECK(err == NULL);
		} else {
			CHECK_STR(err, c->err);
			/* A failed parse leaves the output alone. */
			CHECK_U64(v, ==, 12345);
		}
		if (rc != c->rc)
			fprintf(stderr, "  case \"%s\"\n", c->s);
	}
}

static void
signed_numbers_match_the_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(i64_cases) / sizeof(i64_cases[0]); i++) {
		const struct i64_case *c = &i64_cases[i];
		int64_t v = 12345;
		const char *err = "unset";
		int rc = strnum_i64(c->s, c->min, c->max, &v, &err);

		CHECK_INT(rc, ==, c->rc);
		if (c->rc == 0) {
			CHECK_INT(v, ==, c->want);
			CHECK(err == NULL);
		} else {
			CHECK_STR(err, c->err);
			CHECK_INT(v, ==, 12345);
		}
		if (rc != c->rc)
			fprintf(stderr, "  case \"%s\"\n", c->s);
	}
}

static void
null_input_and_null_outputs_are_safe(void)
{
	const char *err = NULL;
	uint64_t u;
	int64_t i;

	CHECK_INT(strnum_u64(NULL, 0, 1, &u, &err), ==, -1);
	CHECK_STR(err, "invalid");
	CHECK_INT(strnum_i64(NULL, 0, 1, &i, &err), ==, -1);
	CHECK_STR(err, "invalid");
	CHECK_INT(strnum_u64("1", 0, 1, NULL, NULL), ==, 0);
	CHECK_INT(strnum_i64("x", 0, 1, NULL, NULL), ==, -1);
}

int
main(void)
{
	RUN(unsigned_numbers_match_the_table);
	RUN(signed_numbers_match_the_table);
	RUN(null_input_and_null_outputs_are_safe);
	return t_done();
}
