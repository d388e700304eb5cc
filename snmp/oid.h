/*
 * oid: object identifiers as arrays of 32-bit sub-identifiers, parsed from
 * and printed to dotted text, compared in lexicographic (MIB walk) order.
 * No allocation, no I/O.
 */
#ifndef PT_OID_H
#define PT_OID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 2578 section 3.5: at most 128 sub-identifiers, each < 2^32. */
#define OID_MAX_LEN	128
/* Longest text form: 128 sub-ids of up to 10 digits plus dots, and NUL. */
#define OID_STR_MAX	(OID_MAX_LEN * 11 + 1)

struct oid {
	uint32_t	o_id[OID_MAX_LEN];
	size_t		o_len;
};

/*
 * Parse "1.3.6.1.2.1" (an optional leading '.' is allowed).  Refuses empty
 * text, empty components, non-digits, leading '+'/'-', sub-ids over
 * 2^32-1 and more than OID_MAX_LEN components.  Returns 0, or -1 with
 * *errstr saying why.
 */
int	oid_parse(const char *s, struct oid *out, const char **errstr);
/*
 * Write the dotted form (no leading dot) into buf; returns the length, or
 * -1 when it would not fit (buf then holds a truncated, terminated string).
 */
int	oid_format(const struct oid *o, char *buf, size_t size);
/* <0, 0, >0 in lexicographic order; a proper prefix sorts first. */
int	oid_cmp(const struct oid *a, const struct oid *b);
/* Is prefix a prefix of (or equal to) o? */
bool	oid_is_prefix(const struct oid *prefix, const struct oid *o);
/* Set o from an array; returns 0, or -1 when n > OID_MAX_LEN. */
int	oid_set(struct oid *o, const uint32_t *ids, size_t n);
/* Append one sub-id; returns 0, or -1 when already OID_MAX_LEN long. */
int	oid_append(struct oid *o, uint32_t id);

#endif
