/*
 * addr: numeric IPv4/IPv6 endpoints and CIDR prefixes, and matching a
 * socket address against a prefix.  Never resolves names (the collector's
 * config loader does that itself) and knows nothing of IPv6 zone ids.
 *
 * Choices: a CIDR with host bits set beyond the prefix ("10.0.0.1/8") is
 * refused rather than masked, because in an allow list it is almost always a
 * typo for a host or for a different prefix, and silently widening access is
 * the wrong way to fail.  Ports are 1..65535; a leading zero in a prefix
 * length or port is refused.  An IPv4-mapped IPv6 source (::ffff:a.b.c.d)
 * matches IPv4 prefixes, and an IPv4 source matches ::ffff:0:0/96 style
 * IPv6 prefixes, so dual-stack sockets behave like two sockets.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/strnum.h"

/* Longest text we accept: a full IPv6 address in brackets plus ":65535". */
#define ADDR_TEXT_MAX	(INET6_ADDRSTRLEN + 8)

static const uint8_t addr_v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static int
addr_fail(const char **errstr, const char *why)
{
	if (errstr != NULL)
		*errstr = why;
	return -1;
}

/* Decimal without sign, spaces or leading zeros, within [min, max]. */
static int
addr_number(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *errstr;

	if (s[0] == '0' && s[1] != '\0')
		return -1;
	return strnum_u64(s, min, max, out, &errstr);
}

static int
addr_fill(const char *host, int family, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *sslen)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*sslen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*sslen = sizeof(*sin6);
	}
	return 0;
}

int
addr_parse_endpoint(const char *s, uint16_t default_port,
    struct sockaddr_storage *ss, socklen_t *sslen, const char **errstr)
{
	char buf[ADDR_TEXT_MAX];
	const char *host, *portstr = NULL;
	char *p;
	int family;
	uint64_t port;
	size_t len;
	struct sockaddr_storage tmp;
	socklen_t tmplen;

	if (s == NULL || *s == '\0')
		return addr_fail(errstr, "empty address");
	len = strlen(s);
	if (len >= sizeof(buf))
		return addr_fail(errstr, "address too long");
	memcpy(buf, s, len + 1);

	if (buf[0] == '[') {
		/* "[v6]" or "[v6]:port" */
		p = strchr(buf, ']');
		if (p == NULL)
			return addr_fail(errstr, "missing ']'");
		*p++ = '\0';
		host = buf + 1;
		if (*p == ':')
			portstr = p + 1;
		else if (*p != '\0')
			return addr_fail(errstr, "garbage after ']'");
		family = AF_INET6;
	} else if ((p = strchr(buf, ':')) != NULL && strchr(p + 1, ':')
	    != NULL) {
		/* Two or more colons and no brackets: a bare IPv6 address. */
		host = buf;
		family = AF_INET6;
	} else {
		host = buf;
		if (p != NULL) {
			*p = '\0';
			portstr = p + 1;
		}
		family = AF_INET;
	}
	if (*host == '\0')
		return addr_fail(errstr, "empty host");
	if (portstr != NULL) {
		if (*portstr == '\0')
			return addr_fail(errstr, "empty port");
		if (addr_number(portstr, 1, 65535, &port) == -1)
			return addr_fail(errstr, "invalid port (1..65535)");
	} else if (default_port != 0)
		port = default_port;
	else
		return addr_fail(errstr, "missing port");

	if (addr_fill(host, family, (uint16_t)port, &tmp, &tmplen) == -1)
		return addr_fail(errstr, family == AF_INET ?
		    "invalid IPv4 address" : "invalid IPv6 address");
	if (ss != NULL)
		memcpy(ss, &tmp, sizeof(tmp));
	if (sslen != NULL)
		*sslen = tmplen;
	if (errstr != NULL)
		*errstr = NULL;
	return 0;
}

int
addr_parse_cidr(const char *s, struct addr_cidr *out, const char **errstr)
{
	char buf[ADDR_TEXT_MAX];
	struct addr_cidr c;
	char *slash;
	size_t len, alen, i;
	uint64_t prefix;
	unsigned maxp;

	if (s == NULL || *s == '\0')
		return addr_fail(errstr, "empty prefix");
	len = strlen(s);
	if (len >= sizeof(buf))
		return addr_fail(errstr, "prefix too long");
	memcpy(buf, s, len + 1);
	memset(&c, 0, sizeof(c));

	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (strchr(buf, ':') != NULL) {
		c.ac_family = AF_INET6;
		alen = 16;
		maxp = 128;
	} else {
		c.ac_family = AF_INET;
		alen = 4;
		maxp = 32;
	}
	if (inet_pton(c.ac_family, buf, c.ac_addr) != 1)
		return addr_fail(errstr, c.ac_family == AF_INET ?
		    "invalid IPv4 address" : "invalid IPv6 address");
	if (slash != NULL) {
		if (slash[1] == '\0')
			return addr_fail(errstr, "empty prefix length");
		if (addr_number(slash + 1, 0, maxp, &prefix) == -1)
			return addr_fail(errstr, c.ac_family == AF_INET ?
			    "invalid prefix length (0..32)" :
			    "invalid prefix length (0..128)");
	} else
		prefix = maxp;
	c.ac_prefix = (unsigned)prefix;

	for (i = 0; i < alen; i++) {
		unsigned bits = c.ac_prefix > i * 8 ? c.ac_prefix - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

		if ((c.ac_addr[i] & (uint8_t)~mask) != 0)
			return addr_fail(errstr,
			    "host bits set beyond the prefix length");
	}
	if (out != NULL)
		*out = c;
	if (errstr != NULL)
		*errstr = NULL;
	return 0;
}

static bool
addr_bits_match(const uint8_t *net, const uint8_t *a, unsigned prefix)
{
	unsigned full = prefix / 8, rest = prefix % 8;
	uint8_t mask;

	if (memcmp(net, a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff00 >> rest);
	return (net[full] & mask) == (a[full] & mask);
}

bool
addr_cidr_match(const struct addr_cidr *cidr, const struct sockaddr *sa)
{
	uint8_t a[16];

	if (cidr == NULL || sa == NULL)
		return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)
		    (const void *)sa;

		if (cidr->ac_family == AF_INET) {
			memcpy(a, &sin->sin_addr, 4);
			return addr_bits_match(cidr->ac_addr, a,
			    cidr->ac_prefix);
		}
		if (cidr->ac_family != AF_INET6)
			return false;
		memcpy(a, addr_v4mapped_prefix, 12);
		memcpy(a + 12, &sin->sin_addr, 4);
		return addr_bits_match(cidr->ac_addr, a, cidr->ac_prefix);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)
		    (const void *)sa;

		memcpy(a, &sin6->sin6_addr, 16);
		if (cidr->ac_family == AF_INET6)
			return addr_bits_match(cidr->ac_addr, a,
			    cidr->ac_prefix);
		if (cidr->ac_family != AF_INET)
			return false;
		if (memcmp(a, addr_v4mapped_prefix, 12) != 0)
			return false;
		return addr_bits_match(cidr->ac_addr, a + 12,
		    cidr->ac_prefix);
	}
	return false;
}

char *
addr_format(const struct sockaddr *sa, char *buf, unsigned long size)
{
	char host[INET6_ADDRSTRLEN];
	int n = -1;

	if (buf == NULL || size == 0)
		return buf;
	if (sa != NULL && sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)
		    (const void *)sa;

		if (inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host))
		    != NULL)
			n = snprintf(buf, size, "%s:%u", host,
			    (unsigned)ntohs(sin->sin_port));
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)
		    (const void *)sa;

		if (inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host))
		    != NULL)
			n = snprintf(buf, size, "[%s]:%u", host,
			    (unsigned)ntohs(sin6->sin6_port));
	}
	if (n < 0 || (unsigned long)n >= size)
		(void)snprintf(buf, size, "?");
	return buf;
}

int
addr_key(const struct sockaddr *sa, bool with_port, struct addr_key *k)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;
	const uint8_t *a;
	size_t alen;
	uint16_t port;

	memset(k, 0, sizeof(*k));
	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		a = (const uint8_t *)&sin->sin_addr;
		alen = 4;
		port = sin->sin_port;
	} else if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		a = sin6->sin6_addr.s6_addr;
		alen = 16;
		port = sin6->sin6_port;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			a += 12;
			alen = 4;
		}
	} else
		return -1;
	k->ak_bytes[0] = (uint8_t)alen;
	memcpy(k->ak_bytes + 1, a, alen);
	k->ak_len = (uint8_t)(1 + alen);
	if (with_port) {
		memcpy(k->ak_bytes + k->ak_len, &port, sizeof(port));
		k->ak_len += sizeof(port);
	}
	return 0;
}

bool
addr_key_equal(const struct addr_key *a, const struct addr_key *b)
{
	return a->ak_len == b->ak_len &&
	    memcmp(a->ak_bytes, b->ak_bytes, a->ak_len) == 0;
}

uint64_t
addr_key_hash(const struct addr_key *k, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < k->ak_len; i++) {
		h ^= k->ak_bytes[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
