/*
 * oid: object identifiers in dotted text and as sub-identifier arrays.
 * Parsing, printing, ordering and building only; the BER form of an OID
 * lives in ber.c.  No allocation, no I/O.
 */
#include <string.h>

#include "snmp/oid.h"

int
oid_parse(const char *s, struct oid *out, const char **errstr)
{
	const char *p = s;
	struct oid o;
	uint64_t v;
	size_t digits;

	o.o_len = 0;
	if (s == NULL || *s == '\0') {
		if (errstr != NULL)
			*errstr = "empty OID";
		return -1;
	}
	if (*p == '.')
		p++;
	for (;;) {
		v = 0;
		digits = 0;
		/*
		 * Check the bound before every step so a 40-digit run can
		 * never wrap the accumulator.
		 */
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (uint64_t)(*p - '0');
			if (v > UINT32_MAX) {
				if (errstr != NULL)
					*errstr =
					    "sub-identifier over 4294967295";
				return -1;
			}
			digits++;
			p++;
		}
		if (digits == 0) {
			if (errstr != NULL)
				*errstr = *p == '\0' || *p == '.' ?
				    "empty component" : "not a digit";
			return -1;
		}
		if (o.o_len >= OID_MAX_LEN) {
			if (errstr != NULL)
				*errstr = "more than 128 sub-identifiers";
			return -1;
		}
		o.o_id[o.o_len++] = (uint32_t)v;
		if (*p == '\0')
			break;
		if (*p != '.') {
			if (errstr != NULL)
				*errstr = "not a digit";
			return -1;
		}
		p++;
	}
	*out = o;
	return 0;
}

int
oid_format(const struct oid *o, char *buf, size_t size)
{
	char tmp[11];
	size_t pos = 0, i, n;
	uint32_t v;

	if (size == 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < o->o_len; i++) {
		/* Digits are produced backwards into tmp, then copied. */
		n = 0;
		v = o->o_id[i];
		do {
			tmp[sizeof(tmp) - 1 - n] = (char)('0' + v % 10);
			v /= 10;
			n++;
		} while (v != 0);
		if (i > 0) {
			if (1 >= size - pos) {
				buf[pos] = '\0';
				return -1;
			}
			buf[pos++] = '.';
		}
		if (n >= size - pos) {
			buf[pos] = '\0';
			return -1;
		}
		memcpy(buf + pos, tmp + sizeof(tmp) - n, n);
		pos += n;
	}
	buf[pos] = '\0';
	return (int)pos;
}

int
oid_cmp(const struct oid *a, const struct oid *b)
{
	size_t i, n = a->o_len < b->o_len ? a->o_len : b->o_len;

	for (i = 0; i < n; i++) {
		if (a->o_id[i] != b->o_id[i])
			return a->o_id[i] < b->o_id[i] ? -1 : 1;
	}
	if (a->o_len == b->o_len)
		return 0;
	return a->o_len < b->o_len ? -1 : 1;
}

bool
oid_is_prefix(const struct oid *prefix, const struct oid *o)
{
	size_t i;

	if (prefix->o_len > o->o_len)
		return false;
	/*
	 * Walks ask this several times per varbind, mostly of prefixes that
	 * do match: where they do not, the last sub-ids differ most often,
	 * so they go first, and memcmp does the rest faster than a loop
	 * (measured).
	 */
	if ((i = prefix->o_len) == 0)
		return true;
	if (prefix->o_id[i - 1] != o->o_id[i - 1])
		return false;
	return memcmp(prefix->o_id, o->o_id, (i - 1) * sizeof(o->o_id[0])) ==
	    0;
}

int
oid_set(struct oid *o, const uint32_t *ids, size_t n)
{
	if (n > OID_MAX_LEN)
		return -1;
	if (n > 0)
		memcpy(o->o_id, ids, n * sizeof(ids[0]));
	o->o_len = n;
	return 0;
}

int
oid_append(struct oid *o, uint32_t id)
{
	if (o->o_len >= OID_MAX_LEN)
		return -1;
	o->o_id[o->o_len++] = id;
	return 0;
}
