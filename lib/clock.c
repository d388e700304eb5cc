/*
 * clock: monotonic and wall time in nanoseconds and milliseconds, and the
 * ISO 8601 UTC form used in outputs.  No time zones, no sub-second text.
 */
#include <stdio.h>
#include <time.h>

#include "lib/clock.h"

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	/* Only fails for an invalid clock id, which these are not. */
	if (clock_gettime(id, &ts) == -1)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t
clock_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t
clock_mono_ms(void)
{
	return clock_ns(CLOCK_MONOTONIC) / 1000000ULL;
}

uint64_t
clock_wall_ms(void)
{
	return clock_ns(CLOCK_REALTIME) / 1000000ULL;
}

int
clock_iso8601(uint64_t ms, char *buf, unsigned long size)
{
	struct tm tm;
	time_t t;
	int n;

	if (buf == NULL || size < 21)
		return -1;
	t = (time_t)(ms / 1000);
	if (gmtime_r(&t, &tm) == NULL)
		goto fail;
	/* Years past 9999 would not fit the fixed 20-character form. */
	if (tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
		goto fail;
	n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	if (n < 0 || (unsigned long)n >= size)
		goto fail;
	return 0;
fail:
	buf[0] = '\0';
	return -1;
}
