/*
 * loadgen.h: what the two load generators (bench/loadgen.c for v1/v2c,
 * bench/loadgen3.c for SNMPv3) share, one copy: the connected socket to
 * the server, the window of requests in flight (batched with sendmmsg and
 * recvmmsg, each request's id marked in a ring until its answer or a
 * silence), and the server's CPU from /proc.  Header-only (static), as each C file of bench/ is a
 * program of its own; include it once per program.
 */
#ifndef PT_BENCH_LOADGEN_H
#define PT_BENCH_LOADGEN_H

#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"

#define LG_BATCH	32
#define LG_WINDOW_MAX	1024
/* Ids in flight, indexed by sequence: a power of two > LG_WINDOW_MAX. */
#define LG_RING		4096
#define LG_SEQ_MASK	0x00ffffffu	/* low 24 bits: sequence */
#define LG_PROCS_MAX	16		/* high bits: sender index + 1 */
#define LG_REQ_MAX	1024		/* one GET of one OID, any version */
#define LG_REP_MAX	2048

/*
 * One sender's window.  Large (its buffers): keep it static.  Requests
 * carry ids base | sequence, so a reply to another sender, or to a
 * request given up, is told apart.
 */
struct lg_window {
	int		 w_fd;
	int32_t		 w_base;
	uint32_t	 w_seq;
	size_t		 w_inflight;
	size_t		 w_max;
	int32_t		 w_ring[LG_RING];
	uint8_t		 w_sbuf[LG_BATCH][LG_REQ_MAX];
	uint8_t		 w_rbuf[LG_BATCH][LG_REP_MAX];
	struct mmsghdr	 w_sm[LG_BATCH], w_rm[LG_BATCH];
	struct iovec	 w_siov[LG_BATCH], w_riov[LG_BATCH];
};

/* Encode the request with this id into buf (LG_REQ_MAX); its length. */
typedef size_t (*lg_build_fn)(void *arg, int32_t id, uint8_t *buf);
/* Judge one reply; lg_window_take() says whether it answers one of ours. */
typedef void (*lg_judge_fn)(void *arg, struct lg_window *w,
    const uint8_t *buf, size_t len);

/* A UDP socket connected to target (HOST:PORT); exits on failure. */
static int
lg_open_target(const char *prog, const char *target)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	const char *errstr;
	int fd;

	if (addr_parse_endpoint(target, 161, &ss, &sslen, &errstr) == -1) {
		fprintf(stderr, "%s: %s: %s\n", prog, target, errstr);
		exit(2);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&ss, sslen) == -1) {
		fprintf(stderr, "%s: socket: %s\n", prog, strerror(errno));
		exit(1);
	}
	return fd;
}

/* Sender index's window of max requests on the connected socket fd. */
static void
lg_window_init(struct lg_window *w, int fd, int index, size_t max)
{
	/* A lost datagram must not stall the window: wake up. */
	struct timeval tv = { .tv_sec = 0, .tv_usec = 20000 };
	int i;

	memset(w, 0, sizeof(*w));
	w->w_fd = fd;
	w->w_base = (int32_t)((uint32_t)(index + 1) << 24);
	w->w_seq = 1;
	w->w_max = max;
	for (i = 0; i < LG_BATCH; i++) {
		w->w_siov[i] = (struct iovec){ w->w_sbuf[i], 0 };
		w->w_riov[i] = (struct iovec){ w->w_rbuf[i], LG_REP_MAX };
		w->w_sm[i].msg_hdr.msg_iov = &w->w_siov[i];
		w->w_sm[i].msg_hdr.msg_iovlen = 1;
		w->w_rm[i].msg_hdr.msg_iov = &w->w_riov[i];
		w->w_rm[i].msg_hdr.msg_iovlen = 1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/*
 * Is id one of this window's requests in flight?  Then it leaves the
 * window (answered right or wrong, it frees its slot): true.
 */
static bool
lg_window_take(struct lg_window *w, int32_t id)
{
	size_t slot = (size_t)((uint32_t)id & (LG_RING - 1));

	if ((id & ~(int32_t)LG_SEQ_MASK) != w->w_base || w->w_ring[slot] != id)
		return false;
	w->w_ring[slot] = 0;
	w->w_inflight--;
	return true;
}

/*
 * One round: send until the window is full (or the socket refuses), then
 * judge what has come back.  Returns 1 when a silence made it give up
 * every request in flight (lost on loopback, a queue overflow), else 0.
 */
static int
lg_window_round(struct lg_window *w, lg_build_fn build, lg_judge_fn judge,
    void *arg)
{
	int32_t id;
	size_t k;
	int i, n;

	while (w->w_inflight < w->w_max) {
		k = w->w_max - w->w_inflight > LG_BATCH ? LG_BATCH :
		    w->w_max - w->w_inflight;
		for (i = 0; i < (int)k; i++) {
			id = w->w_base | (int32_t)((w->w_seq + (uint32_t)i) &
			    LG_SEQ_MASK);
			w->w_siov[i].iov_len = build(arg, id, w->w_sbuf[i]);
			w->w_ring[(uint32_t)id & (LG_RING - 1)] = id;
		}
		n = sendmmsg(w->w_fd, w->w_sm, (unsigned)k, 0);
		/* Unsent requests leave the ring: never in flight. */
		for (i = n < 0 ? 0 : n; i < (int)k; i++)
			w->w_ring[(w->w_seq + (uint32_t)i) & (LG_RING - 1)] = 0;
		if (n <= 0)
			break;
		w->w_seq += (uint32_t)n;
		w->w_inflight += (size_t)n;
	}
	n = recvmmsg(w->w_fd, w->w_rm, LG_BATCH, MSG_WAITFORONE, NULL);
	if (n > 0) {
		for (i = 0; i < n; i++)
			judge(arg, w, w->w_rbuf[i], w->w_rm[i].msg_len);
		return 0;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return 0;
	memset(w->w_ring, 0, sizeof(w->w_ring));
	w->w_inflight = 0;
	return 1;
}

/* utime + stime of pid in clock ticks, or 0 when unknown. */
static unsigned long long
lg_cpu_ticks(const char *pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	if (pid == NULL)
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	    &ut, &st) != 2)
		return 0;
	return ut + st;
}

#endif
