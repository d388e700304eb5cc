/*
 * test_clock: ISO 8601 formatting against known instants, buffer limits,
 * and the monotonic clocks' direction.  No timing in pass/fail.
 */
#include "tests/harness.h"
#include "lib/clock.h"

struct iso_case {
	uint64_t	 ms;
	const char	*want;
};

static const struct iso_case iso_cases[] = {
	{ 0, "1970-01-01T00:00:00Z" },
	{ 999, "1970-01-01T00:00:00Z" },
	{ 1000, "1970-01-01T00:00:01Z" },
	{ 951782400000ULL, "2000-02-29T00:00:00Z" },
	{ 1795428000000ULL, "2026-11-23T10:00:00Z" },
	{ 1795428059999ULL, "2026-11-23T10:00:59Z" },
	{ 4102444799000ULL, "2099-12-31T23:59:59Z" },
	{ 253402300799000ULL, "9999-12-31T23:59:59Z" },
};

static void
known_instants_format_exactly(void)
{
	size_t i;
	char buf[32];

	for (i = 0; i < sizeof(iso_cases) / sizeof(iso_cases[0]); i++) {
		CHECK_INT(clock_iso8601(iso_cases[i].ms, buf, sizeof(buf)), ==,
		    0);
		CHECK_STR(buf, iso_cases[i].want);
	}
}

static void
buffers_shorter_than_21_bytes_are_refused(void)
{
	char buf[21];

	CHECK_INT(clock_iso8601(0, buf, 20), ==, -1);
	CHECK_INT(clock_iso8601(0, buf, 0), ==, -1);
	CHECK_INT(clock_iso8601(0, NULL, 21), ==, -1);
	CHECK_INT(clock_iso8601(0, buf, 21), ==, 0);
	CHECK_STR(buf, "1970-01-01T00:00:00Z");
}

static void
years_past_9999_are_refused(void)
{
	char buf[64];

	CHECK_INT(clock_iso8601(253402300800000ULL, buf, sizeof(buf)), ==, -1);
	CHECK_INT(clock_iso8601(UINT64_MAX, buf, sizeof(buf)), ==, -1);
}

static void
monotonic_time_never_goes_back(void)
{
	uint64_t a, b, i;

	a = clock_mono_ns();
	for (i = 0; i < 1000; i++) {
		b = clock_mono_ns();
		CHECK_U64(b, >=, a);
		a = b;
	}
	CHECK_U64(clock_mono_ms(), >=, a / 1000000 - 1);
	CHECK_U64(clock_mono_ms(), >, 0);
}

static void
wall_time_is_after_2020(void)
{
	CHECK_U64(clock_wall_ms(), >, 1577836800000ULL);
}

int
main(void)
{
	RUN(known_instants_format_exactly);
	RUN(buffers_shorter_than_21_bytes_are_refused);
	RUN(years_past_9999_are_refused);
	RUN(monotonic_time_never_goes_back);
	RUN(wall_time_is_after_2020);
	return t_done();
}
