/*
 * strnum: whole-string decimal number parsing with range checks, the
 * strtonum idiom.  Decimal only: "0x10" and "010" mean what a reader of a
 * config file expects ("invalid" and ten).  No locale, no white space.
 */
#include <errno.h>
#include <stdlib.h>

#include "lib/strnum.h"

static int
strnum_fail(const char **errstr, const char *why)
{
	if (errstr != NULL)
		*errstr = why;
	return -1;
}

static int
strnum_digits_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
strnum_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **errstr)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts spaces, signs and wraps "-1"; refuse them first. */
	if (s == NULL || !strnum_digits_ok(s))
		return strnum_fail(errstr, "invalid");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return strnum_fail(errstr, "invalid");
	if (errno == ERANGE || v > max)
		return strnum_fail(errstr, "too large");
	if (v < min)
		return strnum_fail(errstr, "too small");
	if (out != NULL)
		*out = v;
	if (errstr != NULL)
		*errstr = NULL;
	return 0;
}

int
strnum_i64(const char *s, int64_t min, int64_t max, int64_t *out,
    const char **errstr)
{
	long long v;
	char *end;
	const char *digits;

	if (s == NULL)
		return strnum_fail(errstr, "invalid");
	digits = (*s == '-' || *s == '+') ? s + 1 : s;
	if (!strnum_digits_ok(digits))
		return strnum_fail(errstr, "invalid");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return strnum_fail(errstr, "invalid");
	if (errno == ERANGE)
		return strnum_fail(errstr, *s == '-' ? "too small" :
		    "too large");
	if (v < min)
		return strnum_fail(errstr, "too small");
	if (v > max)
		return strnum_fail(errstr, "too large");
	if (out != NULL)
		*out = v;
	if (errstr != NULL)
		*errstr = NULL;
	return 0;
}
