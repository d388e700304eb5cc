/*
 * loop: the listen sockets on ev; batched receive, engine, batched send.
 * This file owns the buffers and the batching; the socket options and
 * pktinfo translation are listen.c's, the SNMP work engine.c's, and the
 * loop itself lib/ev.c's.
 *
 * Memory: LOOP_BATCH receive slots of LOOP_RECV_SLOT bytes, their address
 * and control buffers, and one reply arena of LOOP_ARENA bytes into which
 * the replies of a batch are written back to back.  Before each request the
 * arena must have max_message_size bytes free, else the replies so far are
 * sent first: with the default 1472-byte limit a whole batch of 32 replies
 * fits in one sendmmsg, and with the largest limit the arena still holds
 * one reply.  Pages are touched only as replies fill them, so the resident
 * cost follows the traffic, not the configured maximum.
 *
 * Fairness: the epoll set is level-triggered and each wakeup reads at most
 * LOOP_BURST batches from a socket, so one busy socket cannot starve the
 * others or the signalfd; what is left is reported again by the next
 * epoll_wait.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/engine.h"
#include "agent/listen.h"
#include "agent/loop.h"
#include "lib/addr.h"
#include "lib/clock.h"
#include "lib/ev.h"
#include "lib/log.h"

/* recvmmsg calls per socket per wakeup: 4 x 32 = 128 datagrams. */
#define LOOP_BURST	4
/* Reply arena; must hold one reply of the largest max_message_size. */
#define LOOP_ARENA	65536
#define LOOP_MAX_MSG	65507	/* config.h: max_message_size 484..65507 */
_Static_assert(LOOP_ARENA >= LOOP_MAX_MSG, "arena must hold one reply");
/* At most one warning about receive errors per this interval. */
#define LOOP_WARN_EVERY_MS	60000

/* Control buffer aligned for struct cmsghdr. */
union loop_ctl {
	struct cmsghdr	lc_align;
	char		lc_buf[LISTEN_CTL_SPACE];
};

struct loop {
	struct engine		*lp_engine;
	struct ev		*lp_ev;
	uint32_t		 lp_max_msg;
	int			*lp_fds;
	size_t			 lp_nfds;
	/* receive batch */
	struct mmsghdr		 lp_rmsg[LOOP_BATCH];
	struct iovec		 lp_riov[LOOP_BATCH];
	struct sockaddr_storage	 lp_rsrc[LOOP_BATCH];
	union loop_ctl		 lp_rctl[LOOP_BATCH];
	uint8_t			*lp_rbuf;	/* LOOP_BATCH slots */
	/* send batch */
	struct mmsghdr		 lp_smsg[LOOP_BATCH];
	struct iovec		 lp_siov[LOOP_BATCH];
	union loop_ctl		 lp_sctl[LOOP_BATCH];
	uint8_t			*lp_arena;	/* LOOP_ARENA */
	size_t			 lp_used;	/* arena bytes in use */
	unsigned		 lp_nsend;	/* replies waiting in lp_smsg */
	/* rate-limited warnings */
	uint64_t		 lp_warned_ms;
	bool			 lp_has_warned;
	struct loop_stats	 lp_stats;
};

struct loop *
loop_new(struct engine *e, struct ev *ev, uint32_t max_message_size)
{
	struct loop *l;
	int saved;
	size_t i;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->lp_engine = e;
	l->lp_ev = ev;
	loop_set_max_message(l, max_message_size);
	if ((l->lp_rbuf = calloc(LOOP_BATCH, LOOP_RECV_SLOT)) == NULL ||
	    (l->lp_arena = calloc(1, LOOP_ARENA)) == NULL)
		goto fail;
	/* The parts of each receive header that never change. */
	for (i = 0; i < LOOP_BATCH; i++) {
		l->lp_riov[i].iov_base = l->lp_rbuf + i * LOOP_RECV_SLOT;
		l->lp_riov[i].iov_len = LOOP_RECV_SLOT;
		l->lp_rmsg[i].msg_hdr.msg_iov = &l->lp_riov[i];
		l->lp_rmsg[i].msg_hdr.msg_iovlen = 1;
		l->lp_rmsg[i].msg_hdr.msg_name = &l->lp_rsrc[i];
		l->lp_rmsg[i].msg_hdr.msg_control = l->lp_rctl[i].lc_buf;
	}
	return l;

fail:
	saved = errno;
	loop_free(l);
	errno = saved;
	return NULL;
}

void
loop_free(struct loop *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->lp_nfds; i++) {
		ev_fd_del(l->lp_ev, l->lp_fds[i]);
		close(l->lp_fds[i]);
	}
	free(l->lp_fds);
	free(l->lp_rbuf);
	free(l->lp_arena);
	free(l);
}

static void	loop_serve(struct ev *, int, void *);

int
loop_add_socket(struct loop *l, int fd)
{
	int *fds, saved;

	fds = reallocarray(l->lp_fds, l->lp_nfds + 1, sizeof(*fds));
	if (fds == NULL || ev_fd_add(l->lp_ev, fd, loop_serve, l) == -1) {
		saved = errno;
		if (fds != NULL)
			l->lp_fds = fds;
		close(fd);
		errno = saved;
		return -1;
	}
	l->lp_fds = fds;
	l->lp_fds[l->lp_nfds++] = fd;
	return 0;
}

void
loop_set_max_message(struct loop *l, uint32_t max_message_size)
{
	if (max_message_size > LOOP_MAX_MSG)
		max_message_size = LOOP_MAX_MSG;
	l->lp_max_msg = max_message_size;
}

const struct loop_stats *
loop_stats(const struct loop *l)
{
	return &l->lp_stats;
}

static void
loop_debug_peer(const char *what, const struct sockaddr_storage *ss)
{
	char buf[64];

	if (log_get_level() < LOG_LEVEL_DEBUG)
		return;
	log_debug("%s %s", addr_format((const struct sockaddr *)ss, buf,
	    sizeof(buf)), what);
}

/*
 * Send the replies waiting in lp_smsg.  A full socket buffer drops the rest
 * of the batch (UDP: the manager retries); a reply the kernel refuses
 * (EPERM from a firewall, EINVAL for a source it will not use) is skipped
 * alone.  Each pass either sends or skips at least one reply, so this ends.
 */
static void
loop_flush(struct loop *l, int fd)
{
	char peer[64];
	unsigned i = 0;
	int r;

	while (i < l->lp_nsend) {
		r = sendmmsg(fd, &l->lp_smsg[i], l->lp_nsend - i, 0);
		if (r > 0) {
			l->lp_stats.ls_replied += (unsigned)r;
			i += (unsigned)r;
			continue;
		}
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			l->lp_stats.ls_send_dropped += l->lp_nsend - i;
			log_debug("send: socket buffer full, %u replies "
			    "dropped", l->lp_nsend - i);
			break;
		}
		l->lp_stats.ls_send_errors++;
		if (log_get_level() >= LOG_LEVEL_DEBUG)
			log_debug("send to %s failed: %s",
			    addr_format(l->lp_smsg[i].msg_hdr.msg_name, peer,
			    sizeof(peer)), strerror(errno));
		i++;
	}
	l->lp_nsend = 0;
	l->lp_used = 0;
}

/* Hand received datagram i to the engine and queue its reply, if any. */
static void
loop_answer(struct loop *l, int fd, unsigned i)
{
	struct msghdr *rh = &l->lp_rmsg[i].msg_hdr;
	struct msghdr *sh;
	size_t len, ctllen;
	unsigned k;

	if (rh->msg_flags & MSG_TRUNC) {
		l->lp_stats.ls_truncated++;
		loop_debug_peer("request longer than the receive slot, cut",
		    &l->lp_rsrc[i]);
	}
	if (LOOP_ARENA - l->lp_used < l->lp_max_msg)
		loop_flush(l, fd);
	len = engine_handle(l->lp_engine,
	    l->lp_riov[i].iov_base, l->lp_rmsg[i].msg_len,
	    (const struct sockaddr *)&l->lp_rsrc[i],
	    l->lp_arena + l->lp_used, LOOP_ARENA - l->lp_used);
	if (len == 0)
		return;

	k = l->lp_nsend;
	l->lp_siov[k].iov_base = l->lp_arena + l->lp_used;
	l->lp_siov[k].iov_len = len;
	l->lp_used += len;
	ctllen = listen_reply_ctl(rh, l->lp_sctl[k].lc_buf,
	    sizeof(l->lp_sctl[k].lc_buf));
	sh = &l->lp_smsg[k].msg_hdr;
	sh->msg_name = &l->lp_rsrc[i];
	sh->msg_namelen = rh->msg_namelen;
	sh->msg_iov = &l->lp_siov[k];
	sh->msg_iovlen = 1;
	sh->msg_control = ctllen > 0 ? l->lp_sctl[k].lc_buf : NULL;
	sh->msg_controllen = ctllen;
	sh->msg_flags = 0;
	l->lp_nsend++;
}

static void
loop_recv_warn(struct loop *l)
{
	uint64_t now = clock_mono_ms();

	if (l->lp_has_warned && now - l->lp_warned_ms < LOOP_WARN_EVERY_MS)
		return;
	log_warn("recvmmsg (%llu errors so far)",
	    (unsigned long long)l->lp_stats.ls_recv_errors);
	l->lp_has_warned = true;
	l->lp_warned_ms = now;
}

/* Read and answer up to LOOP_BURST batches from one socket. */
static void
loop_serve(struct ev *ev, int fd, void *arg)
{
	struct loop *l = arg;
	unsigned burst, i;
	int n;

	(void)ev;
	for (burst = 0; burst < LOOP_BURST; burst++) {
		/* recvmmsg overwrites these; reset them for every slot. */
		for (i = 0; i < LOOP_BATCH; i++) {
			l->lp_rmsg[i].msg_hdr.msg_namelen =
			    sizeof(l->lp_rsrc[i]);
			l->lp_rmsg[i].msg_hdr.msg_controllen =
			    sizeof(l->lp_rctl[i].lc_buf);
			l->lp_rmsg[i].msg_hdr.msg_flags = 0;
			l->lp_rmsg[i].msg_len = 0;
		}
		n = recvmmsg(fd, l->lp_rmsg, LOOP_BATCH, MSG_DONTWAIT, NULL);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR) {
				l->lp_stats.ls_recv_errors++;
				loop_recv_warn(l);
			}
			return;
		}
		l->lp_stats.ls_received += (unsigned)n;
		for (i = 0; i < (unsigned)n; i++)
			loop_answer(l, fd, i);
		loop_flush(l, fd);
		if (n < LOOP_BATCH)
			return;
	}
}

