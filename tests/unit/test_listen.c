/*
 * test_listen: the agent's sockets (agent/listen.c) on real loopback
 * sockets: binding, refusing a port in use, IPv6-only sockets beside IPv4
 * ones, and the reply pktinfo that makes a wildcard socket answer from the
 * address a request was sent to (127.0.1.7 here, which Linux routes to lo
 * with no setup).  Not the event loop (the integration tests run it).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/listen.h"
#include "tests/harness.h"

/* Control buffer aligned for struct cmsghdr. */
union ctl {
	struct cmsghdr	c_align;
	char		c_buf[LISTEN_CTL_SPACE];
};

static void
sin4(struct sockaddr_in *sin, const char *addr, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	(void)inet_pton(AF_INET, addr, &sin->sin_addr);
}

static void
sin6(struct sockaddr_in6 *sin, const char *addr, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin6_family = AF_INET6;
	sin->sin6_port = htons(port);
	(void)inet_pton(AF_INET6, addr, &sin->sin6_addr);
}

static uint16_t
local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A client socket of family fam with a 2 s receive timeout. */
static int
client(int fam)
{
	struct timeval tv = { 2, 0 };
	int fd;

	if ((fd = socket(fam, SOCK_DGRAM, 0)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static bool
have_ipv6_loopback(void)
{
	struct sockaddr_in6 a;
	int fd;
	bool ok;

	if ((fd = socket(AF_INET6, SOCK_DGRAM, 0)) == -1)
		return false;
	sin6(&a, "::1", 0);
	ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

/*
 * Send "ping" from cfd to dst, receive it on sfd (nonblocking: wait with
 * the client's timeout by polling a few times), answer "pong" with the
 * pktinfo listen_reply_ctl() builds, and return in *from where the client
 * saw the reply come from.  Returns 0 or -1.
 */
static int
round_trip(int sfd, int cfd, const struct sockaddr *dst, socklen_t dstlen,
    struct sockaddr_storage *from, size_t *ctllen)
{
	struct sockaddr_storage src;
	union ctl rctl, sctl;
	struct msghdr m;
	struct iovec iov;
	char buf[64];
	socklen_t flen = sizeof(*from);
	ssize_t n = -1;
	int i;

	if (sendto(cfd, "ping", 4, 0, dst, dstlen) != 4)
		return -1;
	for (i = 0; i < 200 && n == -1; i++) {
		memset(&m, 0, sizeof(m));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		m.msg_name = &src;
		m.msg_namelen = sizeof(src);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = rctl.c_buf;
		m.msg_controllen = sizeof(rctl.c_buf);
		n = recvmsg(sfd, &m, 0);
		if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (n == -1)
			usleep(10000);
	}
	if (n != 4)
		return -1;
	*ctllen = listen_reply_ctl(&m, sctl.c_buf, sizeof(sctl.c_buf));
	iov.iov_base = "pong";
	iov.iov_len = 4;
	m.msg_control = *ctllen > 0 ? sctl.c_buf : NULL;
	m.msg_controllen = *ctllen;
	m.msg_flags = 0;
	if (sendmsg(sfd, &m, 0) != 4)
		return -1;
	n = recvfrom(cfd, buf, sizeof(buf), 0, (struct sockaddr *)from, &flen);
	return n == 4 && memcmp(buf, "pong", 4) == 0 ? 0 : -1;
}

static void
a_v4_socket_binds_and_a_port_in_use_is_refused(void)
{
	struct sockaddr_in a;
	char err[128] = "";
	int fd, fd2;

	sin4(&a, "127.0.0.1", 0);
	fd = listen_open((struct sockaddr *)&a, sizeof(a), err, sizeof(err));
	CHECK_INT(fd, >=, 0);
	if (fd == -1)
		return;
	sin4(&a, "127.0.0.1", local_port(fd));
	fd2 = listen_open((struct sockaddr *)&a, sizeof(a), err, sizeof(err));
	CHECK_INT(fd2, ==, -1);
	CHECK(strstr(err, "bind") != NULL);
	CHECK(strstr(err, strerror(EADDRINUSE)) != NULL);
	if (fd2 != -1)
		close(fd2);
	close(fd);
}

static void
an_unknown_family_is_refused(void)
{
	struct sockaddr_un u;
	char err[128] = "";

	memset(&u, 0, sizeof(u));
	u.sun_family = AF_UNIX;
	CHECK_INT(listen_open((struct sockaddr *)&u, sizeof(u), err,
	    sizeof(err)), ==, -1);
	CHECK(err[0] != '\0');
}

/*
 * The port comes from the IPv4 bind: a V6ONLY socket asking for port 0 may
 * be given a port some IPv4 socket already holds, since they do not
 * conflict, and the test would then fail for the wrong reason.  The rare
 * port held in IPv6 by someone else is retried, a bounded number of times.
 */
static void
v6_and_v4_wildcards_share_a_port(void)
{
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	char err[128] = "";
	int fd4, fd6 = -1, i;

	if (!have_ipv6_loopback()) {
		T_SKIP("no IPv6 loopback (::1) on this host");
		return;
	}
	for (i = 0; i < 20 && fd6 == -1; i++) {
		sin4(&a4, "0.0.0.0", 0);
		fd4 = listen_open((struct sockaddr *)&a4, sizeof(a4), err,
		    sizeof(err));
		CHECK_INT(fd4, >=, 0);
		if (fd4 == -1)
			return;
		sin6(&a6, "::", local_port(fd4));
		fd6 = listen_open((struct sockaddr *)&a6, sizeof(a6), err,
		    sizeof(err));
		if (fd6 == -1 && errno != EADDRINUSE)
			break;
		close(fd4);
	}
	CHECK_INT(fd6, >=, 0);
	if (fd6 == -1)
		printf("  %s\n", err);
	else
		close(fd6);
}

static void
a_wildcard_v4_socket_answers_from_the_alias_asked(void)
{
	struct sockaddr_in a, dst;
	struct sockaddr_storage from;
	char err[128] = "", text[INET_ADDRSTRLEN] = "";
	size_t ctllen = 0;
	int sfd, cfd;

	sin4(&a, "0.0.0.0", 0);
	sfd = listen_open((struct sockaddr *)&a, sizeof(a), err, sizeof(err));
	CHECK_INT(sfd, >=, 0);
	if (sfd == -1)
		return;
	cfd = client(AF_INET);
	sin4(&dst, "127.0.1.7", local_port(sfd));
	CHECK_INT(round_trip(sfd, cfd, (struct sockaddr *)&dst, sizeof(dst),
	    &from, &ctllen), ==, 0);
	CHECK_U64(ctllen, >, 0);
	CHECK_INT(from.ss_family, ==, AF_INET);
	(void)inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr,
	    text, sizeof(text));
	CHECK_STR(text, "127.0.1.7");
	close(cfd);
	close(sfd);
}

static void
a_wildcard_v6_socket_answers_from_the_address_asked(void)
{
	struct sockaddr_in6 a, dst;
	struct sockaddr_storage from;
	char err[128] = "", text[INET6_ADDRSTRLEN] = "";
	size_t ctllen = 0;
	int sfd, cfd;

	if (!have_ipv6_loopback()) {
		T_SKIP("no IPv6 loopback (::1) on this host");
		return;
	}
	sin6(&a, "::", 0);
	sfd = listen_open((struct sockaddr *)&a, sizeof(a), err, sizeof(err));
	CHECK_INT(sfd, >=, 0);
	if (sfd == -1)
		return;
	cfd = client(AF_INET6);
	sin6(&dst, "::1", local_port(sfd));
	CHECK_INT(round_trip(sfd, cfd, (struct sockaddr *)&dst, sizeof(dst),
	    &from, &ctllen), ==, 0);
	CHECK_U64(ctllen, >, 0);
	CHECK_INT(from.ss_family, ==, AF_INET6);
	(void)inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&from)->sin6_addr,
	    text, sizeof(text));
	CHECK_STR(text, "::1");
	close(cfd);
	close(sfd);
}

static void
no_or_truncated_control_data_gives_no_reply_control(void)
{
	union ctl rctl, sctl;
	struct msghdr m;

	memset(&m, 0, sizeof(m));
	CHECK_U64(listen_reply_ctl(&m, sctl.c_buf, sizeof(sctl.c_buf)), ==, 0);
	memset(rctl.c_buf, 0, sizeof(rctl.c_buf));
	m.msg_control = rctl.c_buf;
	m.msg_controllen = sizeof(rctl.c_buf);
	m.msg_flags = MSG_CTRUNC;
	CHECK_U64(listen_reply_ctl(&m, sctl.c_buf, sizeof(sctl.c_buf)), ==, 0);
}

/*
 * A request to dst whose pktinfo carries the kernel's spec_dst: the reply
 * must leave from spec_dst, with no interface forced.
 */
static void
check_v4_answered_from_spec_dst(const char *dst, const char *spec)
{
	union ctl rctl, sctl;
	struct in_pktinfo pi, out;
	struct msghdr m, sm;
	struct cmsghdr *c;
	size_t n;

	memset(&rctl, 0, sizeof(rctl));
	memset(&m, 0, sizeof(m));
	m.msg_control = rctl.c_buf;
	m.msg_controllen = CMSG_SPACE(sizeof(pi));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memset(&pi, 0, sizeof(pi));
	pi.ipi_ifindex = 3;
	CHECK_INT(inet_pton(AF_INET, dst, &pi.ipi_addr), ==, 1);
	CHECK_INT(inet_pton(AF_INET, spec, &pi.ipi_spec_dst), ==, 1);
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));

	n = listen_reply_ctl(&m, sctl.c_buf, sizeof(sctl.c_buf));
	CHECK_U64(n, ==, CMSG_SPACE(sizeof(out)));
	memset(&sm, 0, sizeof(sm));
	sm.msg_control = sctl.c_buf;
	sm.msg_controllen = n;
	c = CMSG_FIRSTHDR(&sm);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT(c->cmsg_type, ==, IP_PKTINFO);
	memcpy(&out, CMSG_DATA(c), sizeof(out));
	CHECK_INT(out.ipi_ifindex, ==, 0);
	CHECK_U64(out.ipi_spec_dst.s_addr, ==, pi.ipi_spec_dst.s_addr);
}

static void
a_v4_multicast_destination_is_answered_from_spec_dst(void)
{
	check_v4_answered_from_spec_dst("224.0.0.9", "10.1.2.3");
}

/* 10.1.2.255 looks like any host address; only the kernel knows. */
static void
a_v4_subnet_broadcast_is_answered_from_spec_dst(void)
{
	check_v4_answered_from_spec_dst("10.1.2.255", "10.1.2.3");
	check_v4_answered_from_spec_dst("255.255.255.255", "10.1.2.3");
}

int
main(void)
{
	RUN(a_v4_socket_binds_and_a_port_in_use_is_refused);
	RUN(an_unknown_family_is_refused);
	RUN(v6_and_v4_wildcards_share_a_port);
	RUN(a_wildcard_v4_socket_answers_from_the_alias_asked);
	RUN(a_wildcard_v6_socket_answers_from_the_address_asked);
	RUN(no_or_truncated_control_data_gives_no_reply_control);
	RUN(a_v4_multicast_destination_is_answered_from_spec_dst);
	RUN(a_v4_subnet_broadcast_is_answered_from_spec_dst);
	return t_done();
}
