/*
 * addr: IPv4/IPv6 endpoints ("127.0.0.1:161", "[::1]:161", "::1" with a
 * default port) and CIDR prefixes ("10.0.0.0/8", "::1/128", a bare address
 * meaning a host prefix), parsed without name resolution, and matching of a
 * socket address against a prefix.  An IPv4-mapped IPv6 source
 * (::ffff:a.b.c.d) matches IPv4 prefixes.
 */
#ifndef PT_ADDR_H
#define PT_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct addr_cidr {
	int		ac_family;	/* AF_INET or AF_INET6 */
	uint8_t		ac_addr[16];	/* network order, 4 used for AF_INET */
	unsigned	ac_prefix;	/* 0..32 or 0..128 */
};

/*
 * Parse "host:port", "[v6]:port", or, when default_port != 0, also a bare
 * "host" / "v6".  Numeric only.  Returns 0, or -1 with *errstr set.
 */
int	addr_parse_endpoint(const char *s, uint16_t default_port,
	    struct sockaddr_storage *ss, socklen_t *sslen, const char **errstr);
/*
 * Parse "a.b.c.d/n", "v6/n" or a bare address (full-length prefix).  Host
 * bits set beyond the prefix ("10.0.0.1/8") are refused, not masked.
 */
int	addr_parse_cidr(const char *s, struct addr_cidr *out,
	    const char **errstr);
/* Does sa (AF_INET or AF_INET6) fall inside cidr? */
bool	addr_cidr_match(const struct addr_cidr *cidr, const struct sockaddr *sa);
/*
 * A compact, comparable key for a source: its family, address and, with
 * with_port, its port; an IPv4-mapped IPv6 address keys as the IPv4 one.
 * Keys are equal when ak_len and the first ak_len octets are.
 */
struct addr_key {
	uint8_t		ak_len;
	uint8_t		ak_bytes[19];	/* family, 16 address octets, port */
};
/* 0, or -1 when sa is neither AF_INET nor AF_INET6. */
int	addr_key(const struct sockaddr *sa, bool with_port, struct addr_key *k);
bool	addr_key_equal(const struct addr_key *a, const struct addr_key *b);
/* FNV-1a of the key, mixed with seed (a random one defeats collisions). */
uint64_t addr_key_hash(const struct addr_key *k, uint64_t seed);

/*
 * Format sa as "1.2.3.4:161" or "[::1]:161" into buf (size >= 64 always
 * suffices); returns buf.
 */
char	*addr_format(const struct sockaddr *sa, char *buf, unsigned long size);

#endif
