/*
 * privsep: the root helper that opens the config file (see privsep.h).
 * The protocol is one byte asking, one answer: an int errno (0 on
 * success), with the descriptor attached when it is 0.  SOCK_SEQPACKET
 * keeps each answer whole.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/privsep.h"

/* The helper's end of the socket, once everything else is closed. */
#define PRIVSEP_FD	3

union privsep_ctl {
	struct cmsghdr	pc_align;
	char		pc_buf[CMSG_SPACE(sizeof(int))];
};

/* Send err, and fd when err is 0. */
static void
privsep_answer(int sock, int err, int fd)
{
	union privsep_ctl ctl;
	struct msghdr m;
	struct cmsghdr *c;
	struct iovec iov;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	iov.iov_base = &err;
	iov.iov_len = sizeof(err);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (err == 0) {
		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.pc_buf;
		m.msg_controllen = sizeof(ctl.pc_buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &m, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
}

/* The helper: answer until the agent's end closes. */
static void __attribute__((noreturn))
privsep_helper(const char *path)
{
	char c;
	ssize_t n;
	int fd;

	/* Named apart from the agent in ps and in our own process table. */
	(void)prctl(PR_SET_NAME, "proctel-priv", 0, 0, 0);
	/* Should the agent die without closing, go too. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	for (;;) {
		n = read(PRIVSEP_FD, &c, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		/* O_NONBLOCK: a FIFO put in the config's place cannot hang us. */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		privsep_answer(PRIVSEP_FD, fd == -1 ? errno : 0, fd);
		if (fd != -1)
			close(fd);
	}
}

int
privsep_start(const char *path, pid_t *pid, char *errbuf, size_t errlen)
{
	int sv[2], saved;
	pid_t p;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		(void)snprintf(errbuf, errlen, "socketpair: %s",
		    strerror(errno));
		return -1;
	}
	if ((p = fork()) == -1) {
		saved = errno;
		close(sv[0]);
		close(sv[1]);
		(void)snprintf(errbuf, errlen, "fork: %s", strerror(saved));
		return -1;
	}
	if (p == 0) {
		/* Keep stdio (fds 0..2) and the socket alone: no listen socket. */
		if (dup2(sv[1], PRIVSEP_FD) == -1 ||
		    close_range(PRIVSEP_FD + 1, UINT_MAX, 0) == -1)
			_exit(1);
		privsep_helper(path);
	}
	close(sv[1]);
	*pid = p;
	return sv[0];
}

int
privsep_open(int sock)
{
	union privsep_ctl ctl;
	struct pollfd pfd;
	struct msghdr m;
	struct cmsghdr *c;
	struct iovec iov;
	ssize_t n;
	int err = 0, fd = -1, r;
	char ask = 'o';

	do
		n = send(sock, &ask, 1, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n != 1)
		return -1;
	pfd.fd = sock;
	pfd.events = POLLIN;
	do
		r = poll(&pfd, 1, PRIVSEP_TIMEOUT_MS);
	while (r == -1 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	if (r <= 0)
		return -1;
	memset(&m, 0, sizeof(m));
	iov.iov_base = &err;
	iov.iov_len = sizeof(err);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.pc_buf;
	m.msg_controllen = sizeof(ctl.pc_buf);
	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == 0) {
		errno = EPIPE;
		return -1;
	}
	if (n != (ssize_t)sizeof(err)) {
		if (n != -1)
			errno = EPROTO;
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (err != 0) {
		if (fd != -1)
			close(fd);
		errno = err;
		return -1;
	}
	if (fd == -1)
		errno = EPROTO;
	return fd;
}

void
privsep_stop(int sock, pid_t pid)
{
	if (sock != -1)
		close(sock);
	if (pid > 0)
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
}
