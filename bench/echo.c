/*
 * echo: the loopback limit for the agent benchmark.  A bare UDP server
 * that answers every datagram with itself, batched with recvmmsg/sendmmsg
 * exactly as the agent batches, and does nothing else.  The agent's GET
 * rate is reported as a share of this server's rate, measured by the same
 * load generator in the same run.
 *
 * usage: echo ADDR:PORT [SECONDS]   (exits by itself after SECONDS, default 60)
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/addr.h"

#define BATCH	32
#define BUFSZ	2048

int
main(int argc, char **argv)
{
	static uint8_t bufs[BATCH][BUFSZ];
	struct mmsghdr msgs[BATCH];
	struct iovec iovs[BATCH];
	struct sockaddr_storage peers[BATCH], ss;
	socklen_t sslen;
	const char *errstr;
	time_t end;
	int fd, n, i;

	if (argc < 2) {
		fprintf(stderr, "usage: echo ADDR:PORT [SECONDS]\n");
		return 2;
	}
	if (addr_parse_endpoint(argv[1], 0, &ss, &sslen, &errstr) == -1) {
		fprintf(stderr, "echo: %s: %s\n", argv[1], errstr);
		return 2;
	}
	end = time(NULL) + (argc > 2 ? atoi(argv[2]) : 60);
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&ss, sslen) == -1) {
		perror("echo: bind");
		return 1;
	}
	while (time(NULL) < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		for (i = 0; i < BATCH; i++) {
			iovs[i].iov_base = bufs[i];
			iovs[i].iov_len = BUFSZ;
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_iov = &iovs[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &peers[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(peers[i]);
		}
		n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		for (i = 0; i < n; i++)
			iovs[i].iov_len = msgs[i].msg_len;
		(void)sendmmsg(fd, msgs, n, 0);
	}
	return 0;
}
