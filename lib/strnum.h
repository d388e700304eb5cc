/*
 * strnum: checked number parsing, the strtonum idiom.  The whole string must
 * be the number (no sign for unsigned, no spaces, no trailing text).  On
 * error returns -1 and sets *errstr to "invalid", "too small" or "too large";
 * on success returns 0 and sets *errstr to NULL.
 */
#ifndef PT_STRNUM_H
#define PT_STRNUM_H

#include <stdint.h>

int	strnum_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	    const char **errstr);
int	strnum_i64(const char *s, int64_t min, int64_t max, int64_t *out,
	    const char **errstr);

#endif
