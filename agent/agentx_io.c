/*
 * agentx_io: the subagent's connection to the master on lib/ev (see
 * agentx_io.h).  One socket, one timer.  After every event the session is
 * asked what it wants (io_sync): what is queued is written at once, and
 * the socket is watched for output only while the kernel would not take
 * it all, for input only while the session has room, and the timer is set
 * to the session's deadline.  A session that closed is given its queued
 * Close for a moment, then the socket is closed and a reconnect scheduled
 * after agentx_backoff_ms(): the first retry after about a second, each
 * failure doubling it up to a minute, reset once a session is open again.
 *
 * Logging: each change of the session's state once.  Reaching OPEN is
 * info; losing an open session is a warning; a failed attempt (connect
 * refused, Open refused, no answer, garbage) is a warning the first time
 * and debug while the same failure repeats, so a master that stays away
 * costs one line, not one per retry.
 *
 * Walks: requests continuing a walk (their start is what an earlier
 * GetNext was answered) are served from that answer's snapshot; a small
 * table of recent answers stands in for pin.h's table of managers, since
 * the master hides who asks.
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agentx_io.h"
#include "agent/agentx_sess.h"
#include "agent/engine.h"
#include "agent/mib.h"
#include "agent/version.h"
#include "config/config.h"
#include "lib/clock.h"
#include "lib/ev.h"
#include "lib/log.h"
#include "snmp/agentx.h"
#include "snmp/contract.h"

/* Walks followed at once through the master (a few managers at a time). */
#define IO_PINS		16
/*
 * Reads per wakeup: each takes up to AGENTX_MAX_PDU octets, so a master
 * flooding us costs the loop at most this much work before UDP is served.
 */
#define IO_READS	2
/* At exit or reload, wait this long at most for our Close to leave. */
#define IO_CLOSE_WAIT_MS	200
/* Open's o.priority: RFC 2741 sec. 6.2.3's default. */
#define IO_PRIORITY	127

struct io_pin {
	uint64_t	ip_last;	/* pin_oid_hash of the last answer */
	uint64_t	ip_gen;		/* the snapshot it came from */
};

struct agentx_io {
	struct engine		*io_engine;
	struct ev		*io_ev;
	int			 io_timer;
	struct agentx_sess_mib	 io_sm;
	/* The `agentx:` section in force, copied. */
	bool			 io_on;
	char			*io_master;
	bool			 io_tcp;
	struct sockaddr_storage	 io_addr;
	socklen_t		 io_addrlen;
	struct oid		*io_sub;
	size_t			 io_nsub;
	uint32_t		 io_timeout_s;
	struct oid		 io_id;		/* Open o.id: sysObjectID */
	/* The session and its connection. */
	struct agentx_sess	*io_sess;
	int			 io_fd;
	enum agentx_io_state	 io_state;
	bool			 io_flushing;	/* closed, Close still queued */
	bool			 io_was_open;	/* this connection reached OPEN */
	uint64_t		 io_opens_seen;	/* the session's ss_opens */
	int			 io_errno;	/* why the socket failed; 0: EOF */
	uint64_t		 io_deadline;	/* connect, retry or flush */
	unsigned		 io_failures;	/* in a row, for the backoff */
	int			 io_fail_key;	/* last failure logged; 0 none */
	/* Requests. */
	struct mib_ctx		 io_ctx;
	size_t			 io_row_hint;
	struct io_pin		 io_pins[IO_PINS];
	int			 io_pin_slot;	/* of this request, or -1 */
	unsigned		 io_pin_next;
	/* Counters: of sessions replaced by a reload, and our own. */
	uint64_t		 io_old_opens;
	uint64_t		 io_old_requests;
	uint64_t		 io_old_bad;
	uint64_t		 io_bad_closes;
	uint64_t		 io_failed;
};

static void	io_sync(struct agentx_io *, uint64_t);
static void	io_connect(struct agentx_io *, uint64_t);

const char *
agentx_io_strstate(enum agentx_io_state state)
{
	switch (state) {
	case AGENTX_IO_OFF:
		return "off";
	case AGENTX_IO_CONNECTING:
		return "connecting";
	case AGENTX_IO_OPENING:
		return "opening";
	case AGENTX_IO_REGISTERING:
		return "registering";
	case AGENTX_IO_OPEN:
		return "open";
	case AGENTX_IO_WAITING:
		return "waiting to reconnect";
	default:
		return "unknown";
	}
}

/* Jitter for the backoff and our first packetID: need not be strong. */
static uint32_t
io_random(void)
{
	uint32_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
		return r;
	return (uint32_t)(clock_mono_ns() ^ ((uint64_t)getpid() << 16));
}

/* ---- the MIB context of one request ---- */

static const struct mib_ctx *
io_begin(void *arg, bool walk, uint64_t cont, uint64_t now_ms)
{
	struct agentx_io *io = arg;
	uint64_t gen = 0;
	int i;

	io->io_pin_slot = -1;
	for (i = 0; walk && cont != 0 && i < IO_PINS; i++)
		if (io->io_pins[i].ip_last == cont) {
			io->io_pin_slot = i;
			gen = io->io_pins[i].ip_gen;
			break;
		}
	engine_ctx(io->io_engine, &io->io_ctx, gen, walk, now_ms,
	    &io->io_row_hint);
	return &io->io_ctx;
}

/* A walk step answered: its next step continues from last. */
static void
io_end(void *arg, uint64_t last)
{
	struct agentx_io *io = arg;
	struct io_pin *p;

	if (io->io_pin_slot >= 0)
		p = &io->io_pins[io->io_pin_slot];
	else
		p = &io->io_pins[io->io_pin_next++ % IO_PINS];
	p->ip_last = last;
	p->ip_gen = io->io_ctx.mc_snap->ps_gen;
}

/* ---- life cycle ---- */

struct agentx_io *
agentx_io_new(struct engine *e, const struct mib *mib)
{
	struct agentx_io *io;

	if ((io = calloc(1, sizeof(*io))) == NULL)
		return NULL;
	io->io_engine = e;
	io->io_timer = -1;
	io->io_fd = -1;
	io->io_state = AGENTX_IO_OFF;
	io->io_pin_slot = -1;
	io->io_sm.sm_mib = mib;
	io->io_sm.sm_begin = io_begin;
	io->io_sm.sm_end = io_end;
	io->io_sm.sm_arg = io;
	contract_oid(CONTRACT_ptAgentOID, &io->io_id);
	return io;
}

static void
io_arm(struct agentx_io *io)
{
	uint64_t when = UINT64_MAX;

	switch (io->io_state) {
	case AGENTX_IO_OFF:
		break;
	case AGENTX_IO_CONNECTING:
	case AGENTX_IO_WAITING:
		when = io->io_deadline;
		break;
	default:
		when = agentx_sess_deadline(io->io_sess);
		break;
	}
	if (when == UINT64_MAX)
		ev_timer_cancel(io->io_ev, io->io_timer);
	else
		ev_timer_at(io->io_ev, io->io_timer, when);
}

static void
io_set_state(struct agentx_io *io, enum agentx_io_state st)
{
	if (io->io_state == st)
		return;
	io->io_state = st;
	if (st != AGENTX_IO_OPEN && st != AGENTX_IO_WAITING)
		log_debug("agentx %s: %s", io->io_master,
		    agentx_io_strstate(st));
}

static void
io_close_fd(struct agentx_io *io)
{
	if (io->io_fd == -1)
		return;
	ev_fd_del(io->io_ev, io->io_fd);
	close(io->io_fd);
	io->io_fd = -1;
	io->io_flushing = false;
}

/*
 * The connection is over (or never was): hang up, count, log (see the
 * top of the file) and schedule the next attempt.  cause says why; key
 * tells one kind of failure from another.
 */
static void
io_hangup(struct agentx_io *io, uint64_t now, const char *cause, int key)
{
	uint64_t delay;

	io_close_fd(io);
	if (agentx_sess_state(io->io_sess) != AGENTX_S_CLOSED)
		agentx_sess_lost(io->io_sess);
	delay = agentx_backoff_ms(io->io_failures++, AGENTX_IO_BACKOFF_MS,
	    AGENTX_IO_BACKOFF_MAX_MS, io_random());
	io->io_deadline = now + delay;
	if (io->io_was_open)
		log_warnx("agentx %s: session closed: %s; reconnecting in "
		    "%llu ms", io->io_master, cause, (unsigned long long)delay);
	else if (key != io->io_fail_key)
		log_warnx("agentx %s: %s; retrying in %llu ms, then less "
		    "often (repeats are logged at debug level)",
		    io->io_master, cause, (unsigned long long)delay);
	else
		log_debug("agentx %s: %s; retrying in %llu ms", io->io_master,
		    cause, (unsigned long long)delay);
	if (!io->io_was_open)
		io->io_failed++;
	io->io_fail_key = key;
	io->io_was_open = false;
	io_set_state(io, AGENTX_IO_WAITING);
	io_arm(io);
}

/* The session ended: say why, in words, and hang up. */
static void
io_session_over(struct agentx_io *io, uint64_t now)
{
	char cause[160];
	int why, detail;

	why = agentx_sess_why(io->io_sess, &detail);
	if (why == AGENTX_W_PARSE || why == AGENTX_W_PROTOCOL)
		io->io_bad_closes++;
	switch (why) {
	case AGENTX_W_LOST:
		(void)snprintf(cause, sizeof(cause), "%s (%s)",
		    agentx_sess_strwhy(why), io->io_errno == 0 ?
		    "end of stream" : strerror(io->io_errno));
		break;
	case AGENTX_W_PARSE:
		(void)snprintf(cause, sizeof(cause), "%s (%s)",
		    agentx_sess_strwhy(why), agentx_strerror(detail));
		break;
	case AGENTX_W_TIMEOUT:
	case AGENTX_W_PROTOCOL:
		(void)snprintf(cause, sizeof(cause), "%s (PDU type %d)",
		    agentx_sess_strwhy(why), detail);
		break;
	case AGENTX_W_LOCAL:
	case AGENTX_W_MASTER_CLOSE:
		(void)snprintf(cause, sizeof(cause), "%s (reason %d)",
		    agentx_sess_strwhy(why), detail);
		break;
	default:
		(void)snprintf(cause, sizeof(cause), "%s (error %d)",
		    agentx_sess_strwhy(why), detail);
		break;
	}
	io_hangup(io, now, cause, (why << 16) | (detail & 0xffff));
}

static void
io_connect_failed(struct agentx_io *io, uint64_t now, int err)
{
	char cause[160];

	(void)snprintf(cause, sizeof(cause), "cannot connect: %s",
	    strerror(err));
	io_hangup(io, now, cause, -err);
}

/*
 * Write what the session queued until done or the kernel takes no more.
 * false when the connection failed (io_errno says how).
 */
static bool
io_send(struct agentx_io *io, uint64_t now)
{
	const uint8_t *p;
	size_t len;
	ssize_t n;

	for (;;) {
		agentx_sess_txbuf(io->io_sess, &p, &len);
		if (len == 0)
			return true;
		n = send(io->io_fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			/* May answer requests that waited for room. */
			agentx_sess_sent(io->io_sess, (size_t)n, now);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		io->io_errno = n == 0 ? EPIPE : errno;
		return false;
	}
}

/* Read what the session has room for, at most IO_READS times. */
static bool
io_recv(struct agentx_io *io, uint64_t now)
{
	uint8_t *p;
	size_t room;
	ssize_t n;
	int i;

	for (i = 0; i < IO_READS; i++) {
		if (agentx_sess_state(io->io_sess) == AGENTX_S_CLOSED)
			return true;
		agentx_sess_rxbuf(io->io_sess, &p, &room);
		if (room == 0)
			return true;
		n = recv(io->io_fd, p, room, MSG_DONTWAIT);
		if (n > 0) {
			agentx_sess_received(io->io_sess, (size_t)n, now);
			if (!io_send(io, now))
				return false;
			if ((size_t)n < room)
				return true;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return true;
		io->io_errno = n == 0 ? 0 : errno;
		return false;
	}
	return true;
}

static enum agentx_io_state
io_state_of(enum agentx_sess_state ss)
{
	switch (ss) {
	case AGENTX_S_OPENING:
		return AGENTX_IO_OPENING;
	case AGENTX_S_REGISTERING:
		return AGENTX_IO_REGISTERING;
	case AGENTX_S_OPEN:
		return AGENTX_IO_OPEN;
	default:
		return AGENTX_IO_WAITING;
	}
}

/*
 * Did the session reach OPEN since we last looked?  Its counter says so
 * even when what came in the same read closed it again.
 */
static void
io_note_open(struct agentx_io *io)
{
	uint64_t opens = agentx_sess_stats(io->io_sess)->ss_opens;

	if (opens == io->io_opens_seen)
		return;
	io->io_opens_seen = opens;
	io->io_was_open = true;
	io->io_failures = 0;
	io->io_fail_key = 0;
	log_info("agentx %s: open, session %u, %zu subtree%s registered",
	    io->io_master, agentx_sess_id(io->io_sess), io->io_nsub,
	    io->io_nsub == 1 ? "" : "s");
}

/* After every event on a connected socket: see the top of the file. */
static void
io_sync(struct agentx_io *io, uint64_t now)
{
	const uint8_t *tx;
	uint8_t *rx;
	size_t txlen, room;

	if (!io_send(io, now))
		agentx_sess_lost(io->io_sess);
	io_note_open(io);
	agentx_sess_txbuf(io->io_sess, &tx, &txlen);
	if (agentx_sess_state(io->io_sess) == AGENTX_S_CLOSED) {
		if (txlen == 0 || (io->io_flushing && now >= io->io_deadline)) {
			io_session_over(io, now);
			return;
		}
		if (!io->io_flushing) {
			io->io_flushing = true;
			io->io_deadline = now + AGENTX_IO_FLUSH_MS;
		}
		(void)ev_fd_want(io->io_ev, io->io_fd, false, true);
		io_set_state(io, AGENTX_IO_WAITING);
		io_arm(io);
		return;
	}
	io_set_state(io, io_state_of(agentx_sess_state(io->io_sess)));
	agentx_sess_rxbuf(io->io_sess, &rx, &room);
	/*
	 * No room and nothing to send cannot happen (the session stops
	 * reading only while its answers wait); were it to, the socket
	 * would be watched for nothing and a hang-up would spin the loop.
	 */
	if ((room == 0 && txlen == 0) ||
	    ev_fd_want(io->io_ev, io->io_fd, room > 0, txlen > 0) == -1) {
		io->io_errno = room == 0 ? EPROTO : errno;
		agentx_sess_lost(io->io_sess);
		io_session_over(io, now);
		return;
	}
	io_arm(io);
}

static void
io_on_fd(struct ev *ev, int fd, void *arg)
{
	struct agentx_io *io = arg;
	uint64_t now = clock_mono_ms();
	socklen_t len;
	int err;

	(void)ev;
	if (io->io_state == AGENTX_IO_CONNECTING) {
		err = 0;
		len = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		if (err != 0) {
			io_connect_failed(io, now, err);
			return;
		}
		log_debug("agentx %s: connected", io->io_master);
		agentx_sess_start(io->io_sess, now, io_random());
		io_sync(io, now);
		return;
	}
	if (agentx_sess_state(io->io_sess) != AGENTX_S_CLOSED &&
	    !io_recv(io, now))
		agentx_sess_lost(io->io_sess);
	io_sync(io, now);
}

static void
io_on_timer(struct ev *ev, int id, void *arg)
{
	struct agentx_io *io = arg;
	uint64_t now = clock_mono_ms();

	(void)ev;
	(void)id;
	switch (io->io_state) {
	case AGENTX_IO_OFF:
		return;
	case AGENTX_IO_CONNECTING:
		if (now >= io->io_deadline)
			io_connect_failed(io, now, ETIMEDOUT);
		else
			io_arm(io);
		return;
	case AGENTX_IO_WAITING:
		if (io->io_fd != -1)
			io_sync(io, now);
		else if (now >= io->io_deadline)
			io_connect(io, now);
		else
			io_arm(io);
		return;
	default:
		agentx_sess_tick(io->io_sess, now);
		io_sync(io, now);
		return;
	}
}

/* A new non-blocking connection to the master. */
static void
io_connect(struct agentx_io *io, uint64_t now)
{
	struct sockaddr_un sun;
	int fd, r, one = 1;

	if (io->io_tcp)
		fd = socket(io->io_addr.ss_family, SOCK_STREAM |
		    SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	else
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		io_connect_failed(io, now, errno);
		return;
	}
	if (io->io_tcp) {
		/* Small PDUs, each waited for: do not let Nagle hold one. */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		r = connect(fd, (const struct sockaddr *)&io->io_addr,
		    io->io_addrlen);
	} else {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		/* The config refused a path that does not fit. */
		(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s",
		    io->io_master);
		r = connect(fd, (const struct sockaddr *)&sun, sizeof(sun));
	}
	if (r == -1 && errno != EINPROGRESS) {
		r = errno;
		close(fd);
		io_connect_failed(io, now, r);
		return;
	}
	if (ev_fd_add(io->io_ev, fd, io_on_fd, io) == -1) {
		r = errno;
		close(fd);
		io_connect_failed(io, now, r);
		return;
	}
	io->io_fd = fd;
	io->io_errno = 0;
	io->io_was_open = false;
	if (r == -1) {
		/* TCP: io_on_fd() learns the outcome when it is writable. */
		io->io_deadline = now + AGENTX_IO_CONNECT_MS;
		io_set_state(io, AGENTX_IO_CONNECTING);
		(void)ev_fd_want(io->io_ev, fd, false, true);
		io_arm(io);
		return;
	}
	log_debug("agentx %s: connected", io->io_master);
	agentx_sess_start(io->io_sess, now, io_random());
	io_sync(io, now);
}

/*
 * Close the session with reason and wait a moment for the Close to leave
 * (blocking, at most IO_CLOSE_WAIT_MS: at exit or on a reload only), then
 * hang up.  The session's counters are kept.
 */
static void
io_stop(struct agentx_io *io, uint8_t reason)
{
	const struct agentx_sess_stats *ss;
	struct pollfd pfd;
	const uint8_t *p;
	uint64_t now, end;
	size_t len;

	if (io->io_sess == NULL)
		return;
	if (io->io_fd != -1 && io->io_state != AGENTX_IO_CONNECTING &&
	    agentx_sess_state(io->io_sess) != AGENTX_S_CLOSED) {
		agentx_sess_close(io->io_sess, reason);
		end = clock_mono_ms() + IO_CLOSE_WAIT_MS;
		for (;;) {
			now = clock_mono_ms();
			if (!io_send(io, now))
				break;
			agentx_sess_txbuf(io->io_sess, &p, &len);
			if (len == 0 || now >= end)
				break;
			pfd.fd = io->io_fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, (int)(end - now)) <= 0)
				break;
		}
	}
	io_close_fd(io);
	ss = agentx_sess_stats(io->io_sess);
	io->io_old_opens += ss->ss_opens;
	io->io_old_requests += ss->ss_requests;
	io->io_old_bad += ss->ss_parse_errors + ss->ss_unexpected;
	agentx_sess_free(io->io_sess);
	io->io_sess = NULL;
	if (io->io_ev != NULL)
		ev_timer_cancel(io->io_ev, io->io_timer);
	io->io_state = AGENTX_IO_OFF;
}

static void
io_conf_clear(struct agentx_io *io)
{
	free(io->io_master);
	free(io->io_sub);
	io->io_master = NULL;
	io->io_sub = NULL;
	io->io_nsub = 0;
	io->io_on = false;
}

static bool
io_conf_equal(const struct agentx_io *io, const struct cfg_agentx *ax)
{
	size_t i;

	if (!ax->cax_enabled || !io->io_on)
		return ax->cax_enabled == io->io_on;
	if (strcmp(io->io_master, ax->cax_master) != 0 ||
	    io->io_timeout_s != ax->cax_timeout_s ||
	    io->io_nsub != ax->cax_nsubtrees)
		return false;
	for (i = 0; i < io->io_nsub; i++)
		if (oid_cmp(&io->io_sub[i], &ax->cax_subtrees[i]) != 0)
			return false;
	return true;
}

/* Copy ax in and make its session; -1 (ENOMEM, or EINVAL from the session). */
static int
io_conf_set(struct agentx_io *io, const struct cfg_agentx *ax)
{
	static const char descr[] = "proctel-agent " PROCTEL_VERSION;
	struct agentx_sess_conf sc;
	const char *errstr = NULL;

	io->io_master = strdup(ax->cax_master);
	io->io_sub = calloc(ax->cax_nsubtrees, sizeof(*io->io_sub));
	if (io->io_master == NULL || io->io_sub == NULL) {
		io_conf_clear(io);
		errno = ENOMEM;
		return -1;
	}
	memcpy(io->io_sub, ax->cax_subtrees,
	    ax->cax_nsubtrees * sizeof(*io->io_sub));
	io->io_nsub = ax->cax_nsubtrees;
	io->io_tcp = ax->cax_tcp;
	io->io_addr = ax->cax_addr;
	io->io_addrlen = ax->cax_addrlen;
	io->io_timeout_s = ax->cax_timeout_s;
	memset(&sc, 0, sizeof(sc));
	sc.sc_subtrees = io->io_sub;
	sc.sc_nsubtrees = io->io_nsub;
	sc.sc_id = &io->io_id;
	sc.sc_descr = descr;
	sc.sc_timeout_s = (uint8_t)(io->io_timeout_s > 255 ? 255 :
	    io->io_timeout_s);
	sc.sc_priority = IO_PRIORITY;
	sc.sc_response_ms = AGENTX_IO_RESPONSE_MS;
	sc.sc_ping_ms = AGENTX_IO_PING_MS;
	io->io_opens_seen = 0;
	if ((io->io_sess = agentx_sess_new(&sc, &io->io_sm, &errstr)) ==
	    NULL) {
		log_warnx("agentx %s: %s", io->io_master, errstr);
		io_conf_clear(io);
		errno = EINVAL;
		return -1;
	}
	io->io_on = true;
	return 0;
}

int
agentx_io_configure(struct agentx_io *io, const struct cfg_agentx *ax)
{
	bool was_on = io->io_on;

	if (io_conf_equal(io, ax))
		return 0;
	if (was_on) {
		log_info("agentx %s: %s", io->io_master, ax->cax_enabled ?
		    "configuration changed, reconnecting" :
		    "turned off, closing the session");
		io_stop(io, ax->cax_enabled ? AGENTX_REASON_OTHER :
		    AGENTX_REASON_SHUTDOWN);
		io_conf_clear(io);
	}
	if (!ax->cax_enabled)
		return 0;
	if (io_conf_set(io, ax) == -1)
		return -1;
	io->io_failures = 0;
	io->io_fail_key = 0;
	memset(io->io_pins, 0, sizeof(io->io_pins));
	if (!was_on)
		log_info("agentx %s: subagent of the master there, %zu "
		    "subtree%s", io->io_master, io->io_nsub,
		    io->io_nsub == 1 ? "" : "s");
	if (io->io_ev != NULL)
		io_connect(io, clock_mono_ms());
	return 0;
}

int
agentx_io_start(struct agentx_io *io, struct ev *ev,
    const struct cfg_agentx *ax)
{
	if (io->io_ev != NULL) {
		errno = EBUSY;
		return -1;
	}
	if ((io->io_timer = ev_timer_new(ev, io_on_timer, io)) == -1) {
		errno = ENOMEM;
		return -1;
	}
	io->io_ev = ev;
	return agentx_io_configure(io, ax);
}

void
agentx_io_free(struct agentx_io *io)
{
	struct agentx_io_status st;

	if (io == NULL)
		return;
	if (io->io_on) {
		agentx_io_status(io, &st);
		log_info("agentx %s: closing at exit; %llu requests answered "
		    "in %llu sessions", io->io_master,
		    (unsigned long long)st.as_requests,
		    (unsigned long long)st.as_opens);
	}
	io_stop(io, AGENTX_REASON_SHUTDOWN);
	io_conf_clear(io);
	free(io);
}

void
agentx_io_status(const struct agentx_io *io, struct agentx_io_status *st)
{
	const struct agentx_sess_stats *ss = NULL;

	memset(st, 0, sizeof(*st));
	if (io->io_sess != NULL)
		ss = agentx_sess_stats(io->io_sess);
	st->as_state = io->io_state;
	st->as_master = io->io_on ? io->io_master : NULL;
	st->as_opens = io->io_old_opens + (ss != NULL ? ss->ss_opens : 0);
	st->as_requests = io->io_old_requests +
	    (ss != NULL ? ss->ss_requests : 0);
	st->as_bad_pdus = io->io_old_bad + io->io_bad_closes +
	    (ss != NULL ? ss->ss_parse_errors + ss->ss_unexpected : 0);
	st->as_failures = io->io_failed;
}
