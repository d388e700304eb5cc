/*
 * agentx_io: proctel-agent as an AgentX subagent of the host's snmpd
 * (DESIGN.md "AgentX"), on the agent's one event loop (lib/ev.h).  It
 * connects to the master that agent.yaml's `agentx:` names (a UNIX socket
 * path, or tcp:HOST:PORT) without blocking, moves octets between the socket
 * and the session state machine (agentx_sess.h), runs the session's
 * timers, reconnects after a capped, jittered backoff, and logs each change
 * of state once.  Each request is answered from a MIB context built as the
 * UDP engine builds its own (engine_ctx()), and a walk through snmpd stays
 * on the snapshot it began on.  A master that stalls or sends garbage
 * costs the loop a bounded amount of work per wakeup and never blocks it.
 * Not here: the protocol (agentx_sess.c), the answers (agentx_serve.c),
 * the config (config/agentx_conf.c), the MIB objects that show this
 * module's state (mib_agentx.c).
 */
#ifndef PT_AGENTX_IO_H
#define PT_AGENTX_IO_H

#include <stdint.h>

struct agentx_io;
struct cfg_agentx;
struct engine;
struct ev;
struct mib;

/* Our own PDUs' Response timeout, and Ping after this long idle. */
#define AGENTX_IO_RESPONSE_MS	5000
#define AGENTX_IO_PING_MS	15000
/* Reconnect backoff: the first step and the cap (agentx_backoff_ms()). */
#define AGENTX_IO_BACKOFF_MS	1000
#define AGENTX_IO_BACKOFF_MAX_MS 60000
/* A TCP connect() still in progress after this long has failed. */
#define AGENTX_IO_CONNECT_MS	5000
/* A Close we queued is given this long to leave before we hang up. */
#define AGENTX_IO_FLUSH_MS	1000

/* The session as a whole; the values are PROCTEL-MIB ptAgentxState's. */
enum agentx_io_state {
	AGENTX_IO_OFF = 1,		/* no `agentx:` section */
	AGENTX_IO_CONNECTING,		/* connect() in progress */
	AGENTX_IO_OPENING,		/* Open sent */
	AGENTX_IO_REGISTERING,		/* Registers sent */
	AGENTX_IO_OPEN,			/* serving */
	AGENTX_IO_WAITING,		/* to reconnect after a backoff */
};

/* For the MIB and logs; counters since agentx_io_new(). */
struct agentx_io_status {
	enum agentx_io_state	 as_state;
	const char		*as_master;	/* as configured; NULL when off */
	uint64_t		 as_opens;	/* sessions that reached OPEN */
	uint64_t		 as_requests;	/* Get, GetNext, GetBulk answered */
	uint64_t		 as_bad_pdus;	/* PDUs from the master refused:
						 * undecodable, unframeable,
						 * unexpected, not a master's */
	uint64_t		 as_failures;	/* attempts that never reached
						 * OPEN */
};

/*
 * Returns a new subagent, off, answering from mib through e (both borrowed,
 * they must outlive it), or NULL with errno set.  Free with
 * agentx_io_free().  Its own MIB objects are mib_agentx_register()'s.
 */
struct agentx_io *agentx_io_new(struct engine *e, const struct mib *mib);

/*
 * Go on ev (borrowed; it must outlive io; takes one of its timers) and
 * apply ax as agentx_io_configure() does.  0, or -1 with errno set.
 */
int	agentx_io_start(struct agentx_io *io, struct ev *ev,
	    const struct cfg_agentx *ax);

/*
 * Apply a (reloaded) `agentx:` section, copied: off to on connects; a
 * changed master, subtrees or timeout closes the session and reconnects
 * at once with the new one; on to off closes it.  An unchanged section
 * changes nothing.  0, or -1 with errno set (ENOMEM: the old session is
 * closed and the subagent stays off).
 */
int	agentx_io_configure(struct agentx_io *io, const struct cfg_agentx *ax);

/*
 * Close the session (Close with reason shutdown, sent if the socket takes
 * it within a moment), hang up and free.  NULL is a no-op.
 */
void	agentx_io_free(struct agentx_io *io);

void	agentx_io_status(const struct agentx_io *io,
	    struct agentx_io_status *st);

/* The fixed name of a state, for logs and tests. */
const char *agentx_io_strstate(enum agentx_io_state state);

#endif
