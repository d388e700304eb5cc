/*
 * listen: open the agent's UDP sockets and translate received pktinfo into
 * the pktinfo of the reply.  This file neither loops nor logs; see
 * listen.h for the contract and loop.c for the batching.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/listen.h"

/* Requested socket receive buffer, bytes (the kernel doubles it). */
#define LISTEN_RCVBUF	(1024 * 1024)

static int
listen_fail(int fd, const char *what, char *errbuf, size_t errlen)
{
	int saved = errno;

	/* Truncation of the message is acceptable: it is only text. */
	(void)snprintf(errbuf, errlen, "%s: %s", what, strerror(saved));
	if (fd != -1)
		close(fd);
	errno = saved;
	return -1;
}

int
listen_open(const struct sockaddr *sa, socklen_t salen, char *errbuf,
    size_t errlen)
{
	int fd, on = 1, rcvbuf = LISTEN_RCVBUF;

	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return listen_fail(-1, "socket", errbuf, errlen);
	}
	fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP);
	if (fd == -1)
		return listen_fail(-1, "socket", errbuf, errlen);
	if (sa->sa_family == AF_INET6) {
		/*
		 * Without V6ONLY a "[::]" socket would also take IPv4 and
		 * collide with a "0.0.0.0" socket on the same port.
		 */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on)) == -1)
			return listen_fail(fd, "setsockopt IPV6_V6ONLY",
			    errbuf, errlen);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
		    sizeof(on)) == -1)
			return listen_fail(fd, "setsockopt IPV6_RECVPKTINFO",
			    errbuf, errlen);
	} else {
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on,
		    sizeof(on)) == -1)
			return listen_fail(fd, "setsockopt IP_PKTINFO",
			    errbuf, errlen);
	}
	/*
	 * A queued datagram costs the socket about 800 bytes of kernel
	 * memory whatever its size, so the default 208 KiB buffer drops a
	 * burst of more than ~256 requests arriving while we sleep.  Ask for
	 * more; the kernel caps it at net.core.rmem_max, and a refusal only
	 * leaves the default, so failure is not an error.
	 */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, sa, salen) == -1)
		return listen_fail(fd, "bind", errbuf, errlen);
	return fd;
}

/*
 * Write one control message (level, type, len bytes of data) into ctl,
 * which the callers have checked holds CMSG_SPACE(len); returns that space.
 */
static size_t
listen_put_cmsg(void *ctl, int level, int type, const void *data, size_t len)
{
	struct cmsghdr *sc;
	struct msghdr m;

	memset(&m, 0, sizeof(m));
	m.msg_control = ctl;
	m.msg_controllen = CMSG_SPACE(len);
	memset(ctl, 0, CMSG_SPACE(len));
	sc = CMSG_FIRSTHDR(&m);
	sc->cmsg_level = level;
	sc->cmsg_type = type;
	sc->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(sc), data, len);
	return CMSG_SPACE(len);
}

/*
 * IPv4: the reply's source is the kernel's ipi_spec_dst, with ifindex 0 so
 * routing picks the interface (a query to an alias on lo must not be
 * forced out of a particular device).  For a unicast request the kernel
 * sets it to the request's destination (fib_compute_spec_dst()); for a
 * broadcast, subnet-directed (10.1.2.255) as well as limited, or a
 * multicast one, to a unicast address of the receiving interface, which
 * is what a reply must come from (RFC 1122 sec. 3.2.1.3: a broadcast
 * address is never a source) and what snmpd ends up using.  The header's
 * destination (ipi_addr) alone cannot tell a subnet broadcast from a host.
 */
static size_t
listen_reply_v4(const struct cmsghdr *rc, void *ctl, size_t ctlcap)
{
	struct in_pktinfo ri, si;

	if (rc->cmsg_len < CMSG_LEN(sizeof(ri)) ||
	    ctlcap < CMSG_SPACE(sizeof(si)))
		return 0;
	memcpy(&ri, CMSG_DATA(rc), sizeof(ri));
	memset(&si, 0, sizeof(si));
	si.ipi_spec_dst = ri.ipi_spec_dst;
	si.ipi_ifindex = 0;
	if (si.ipi_spec_dst.s_addr == 0)
		return 0;
	return listen_put_cmsg(ctl, IPPROTO_IP, IP_PKTINFO, &si, sizeof(si));
}

/*
 * IPv6: answer from the request's destination address.  The interface
 * index is kept only for link-local addresses, which mean nothing without
 * it; a multicast destination is answered from an address the kernel
 * picks on the receiving interface.
 */
static size_t
listen_reply_v6(const struct cmsghdr *rc, void *ctl, size_t ctlcap)
{
	struct in6_pktinfo ri, si;

	if (rc->cmsg_len < CMSG_LEN(sizeof(ri)) ||
	    ctlcap < CMSG_SPACE(sizeof(si)))
		return 0;
	memcpy(&ri, CMSG_DATA(rc), sizeof(ri));
	memset(&si, 0, sizeof(si));
	if (IN6_IS_ADDR_MULTICAST(&ri.ipi6_addr)) {
		si.ipi6_addr = in6addr_any;
		si.ipi6_ifindex = ri.ipi6_ifindex;
	} else {
		si.ipi6_addr = ri.ipi6_addr;
		si.ipi6_ifindex = IN6_IS_ADDR_LINKLOCAL(&ri.ipi6_addr) ?
		    ri.ipi6_ifindex : 0;
	}
	return listen_put_cmsg(ctl, IPPROTO_IPV6, IPV6_PKTINFO, &si,
	    sizeof(si));
}

size_t
listen_reply_ctl(const struct msghdr *rcv, void *ctl, size_t ctlcap)
{
	struct msghdr m;
	struct cmsghdr *rc;

	if (rcv->msg_control == NULL || rcv->msg_controllen == 0 ||
	    (rcv->msg_flags & MSG_CTRUNC))
		return 0;
	/* CMSG_NXTHDR takes a non-const msghdr; walk a copy. */
	m = *rcv;
	for (rc = CMSG_FIRSTHDR(&m); rc != NULL; rc = CMSG_NXTHDR(&m, rc)) {
		if (rc->cmsg_level == IPPROTO_IP &&
		    rc->cmsg_type == IP_PKTINFO)
			return listen_reply_v4(rc, ctl, ctlcap);
		if (rc->cmsg_level == IPPROTO_IPV6 &&
		    rc->cmsg_type == IPV6_PKTINFO)
			return listen_reply_v6(rc, ctl, ctlcap);
	}
	return 0;
}
