/*
 * agentx_sess: one AgentX subagent session (RFC 2741) as a state machine
 * with no socket and no clock of its own.  The owner connects to the
 * master (a UNIX socket or TCP), hands the session the octets it reads and
 * the time, sends the octets the session queues, and calls it back at the
 * deadline it names.  The session opens, registers its subtrees, answers
 * the master's Get, GetNext and GetBulk from the agent's MIB registry
 * (agent/mib.h), refuses every SET as a read-only subagent must, pings
 * when the master is idle and notices a master that stops answering.
 * Not here: connecting and reconnecting (the owner, with
 * agentx_backoff_ms()), logging (the owner logs each state change, with
 * agentx_sess_strwhy()), the wire format (snmp/agentx.h).
 *
 * States:
 *	CLOSED --start--> OPENING --Response ok--> REGISTERING (one subtree
 *	at a time) --last Response ok--> OPEN
 * and back to CLOSED from any state on: agentx_sess_close() (we queue
 * Close), agentx_sess_lost() (the connection ended), the master's Close,
 * Open or Register refused, no Response in time, a stream that cannot be
 * framed or a Response that cannot be decoded (we queue Close
 * parseError), a PDU a master never sends (Close protocolError), or a
 * failed Ping.  Once CLOSED the owner sends what is queued, if it can,
 * closes the connection and reconnects after a backoff; input is ignored
 * until the next agentx_sess_start().
 *
 * What is answered (RFC 2741 sec. 7.2): requests are served in
 * REGISTERING (for the subtrees already registered) and OPEN.
 *  - Get: each SearchRange's start, when inside a registered subtree,
 *    is looked up with mib_get(); outside them it is noSuchObject.
 *  - GetNext: the first instance > start (>= when include is set), inside
 *    a registered subtree and < end unless end is the null OID; else
 *    endOfMibView named by the start (sec. 7.2.3.2).
 *  - GetBulk: non_repeaters ranges as GetNext, then max_repetitions rounds
 *    over the rest, each continuing from the previous round's answer with
 *    include clear (sec. 7.2.3.3); cut where the response is full, and
 *    after a round in which every repeater is at endOfMibView.
 *  - TestSet: notWritable, index 1 (nothing is writable; noError for an
 *    empty list).  CommitSet: noError only after a TestSet of the same
 *    transaction that succeeded (an empty one), else commitFailed.
 *    UndoSet: noError (nothing was changed).  CleanupSet: no answer
 *    (sec. 7.2.4.4).
 *  - A request whose h.sessionID is not ours: notOpen (sec. 7.2.2); with
 *    a non-empty context: unsupportedContext (we register only the
 *    default one; an empty context with NON_DEFAULT_CONTEXT, as net-snmp
 *    sends, is the default).  A request whose header frames but whose
 *    payload does not decode: parseError, and the session goes on.
 *  - Responses carry sysUpTime 0 and no varbinds on error.  A Response
 *    that matches nothing outstanding is counted and ignored.
 * Every PDU we send is in network byte order and without a context.
 *
 * Memory: the receive buffer holds one largest PDU, the send buffer two
 * largest responses and room for the session's own PDUs; both are
 * allocated in agentx_sess_new(), never per PDU.  A request is processed
 * only when a largest response fits behind what waits to be sent, so a
 * master that does not read stops our reading (agentx_sess_rxbuf() gives
 * no room), never our memory.
 */
#ifndef PT_AGENTX_SESS_H
#define PT_AGENTX_SESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/mib.h"
#include "snmp/oid.h"

/* Subtrees one session registers: a handful in practice. */
#define AGENTX_SESS_MAX_SUBTREES	32
/* Open's o.descr is copied into the session, up to this many octets. */
#define AGENTX_SESS_MAX_DESCR		255
/*
 * GetBulk: varbinds computed per request at most, whatever
 * max_repetitions says (as the UDP engine's ENGINE_BULK_MAX_VARBINDS).
 */
#define AGENTX_SESS_BULK_MAX		10000

enum agentx_sess_state {
	AGENTX_S_CLOSED = 0,
	AGENTX_S_OPENING,	/* Open sent, its Response awaited */
	AGENTX_S_REGISTERING,	/* a Register sent, its Response awaited */
	AGENTX_S_OPEN,		/* every subtree registered */
};

/* Why the session is (or was last) closed; agentx_sess_why(). */
enum agentx_sess_why {
	AGENTX_W_NONE = 0,	/* never started, or still up */
	AGENTX_W_LOCAL,		/* agentx_sess_close(); detail: reason */
	AGENTX_W_LOST,		/* agentx_sess_lost(): EOF or error */
	AGENTX_W_MASTER_CLOSE,	/* the master's Close; detail: c.reason */
	AGENTX_W_OPEN_REFUSED,	/* detail: res.error */
	AGENTX_W_REGISTER_REFUSED, /* detail: res.error */
	AGENTX_W_PING_REFUSED,	/* a Ping answered with an error (notOpen:
				 * the master forgot us); detail: res.error */
	AGENTX_W_TIMEOUT,	/* no Response in time, or our Ping could
				 * not even be queued; detail: PDU type */
	AGENTX_W_PARSE,		/* detail: the agentx_error */
	AGENTX_W_PROTOCOL,	/* a PDU a master does not send; detail:
				 * its type */
};

struct agentx_sess_conf {
	const struct oid	*sc_subtrees;	/* registered in this order */
	size_t			 sc_nsubtrees;	/* 1..AGENTX_SESS_MAX_SUBTREES */
	const struct oid	*sc_id;		/* Open o.id; NULL: null OID */
	const char		*sc_descr;	/* Open o.descr; NULL: "" */
	uint8_t			 sc_timeout_s;	/* Open and Register timeout;
						 * 0: the master's default */
	uint8_t			 sc_priority;	/* r.priority; RFC default 127 */
	uint32_t		 sc_response_ms; /* time allowed for the
						  * Response to Open, Register
						  * and Ping (> 0) */
	uint32_t		 sc_ping_ms;	/* Ping after this long without
						 * a PDU from the master; 0:
						 * never */
};

/*
 * The MIB the session answers from: the agent's registry, the same one
 * the UDP engine serves.  sm_begin is called once before the first lookup
 * of each Get, GetNext and GetBulk with the current time, and returns the
 * context its lookups read (one snapshot per PDU, as the engine takes one
 * per message); it may return NULL when it has none, and the request is
 * then answered genErr.  sm_mib and whatever sm_begin returns are
 * borrowed; the session never keeps a context past the PDU.
 *
 * Walks: a master walks a subagent with GetNext PDUs each starting from
 * the previous answer (notes/agentx.md sec. 4), so, as the UDP engine
 * does with a manager's requests (agent/pin.h), the owner can answer a
 * walk from the snapshot it began on.  For GetNext and GetBulk, walk is
 * true and cont is pin_oid_hash() of the start of the last SearchRange;
 * once such a PDU is answered without error, sm_end (optional, NULL: not
 * called) gets the hash of the last name in the Response.
 */
struct agentx_sess_mib {
	const struct mib	*sm_mib;
	const struct mib_ctx	*(*sm_begin)(void *arg, bool walk,
				    uint64_t cont, uint64_t now_ms);
	void			*sm_arg;
	void			(*sm_end)(void *arg, uint64_t last);
};

/* Counters since agentx_sess_new(), across connections. */
struct agentx_sess_stats {
	uint64_t	ss_pdus_in;	/* whole PDUs framed */
	uint64_t	ss_pdus_out;	/* PDUs queued */
	uint64_t	ss_requests;	/* Get, GetNext, GetBulk answered */
	uint64_t	ss_sets;	/* TestSet, CommitSet, UndoSet,
					 * CleanupSet received */
	uint64_t	ss_parse_errors; /* requests answered parseError */
	uint64_t	ss_not_open;	/* answered notOpen */
	uint64_t	ss_bad_context;	/* answered unsupportedContext */
	uint64_t	ss_unexpected;	/* Responses matching nothing */
	uint64_t	ss_pings;	/* Pings sent */
	uint64_t	ss_opens;	/* sessions that reached OPEN */
	int		ss_last_error;	/* last agentx_error seen, or 0 */
};

struct agentx_sess;

/*
 * Returns a new, CLOSED session (free with agentx_sess_free()), or NULL
 * with *errstr: no subtree, too many, an empty or overlapping one, a
 * sc_response_ms of 0, out of memory.  conf is copied; mib is borrowed.
 */
struct agentx_sess *agentx_sess_new(const struct agentx_sess_conf *conf,
	    const struct agentx_sess_mib *mib, const char **errstr);
void	agentx_sess_free(struct agentx_sess *s);

/*
 * The connection is up: forget the previous connection's octets, queue
 * Open and go OPENING.  first_packet_id numbers our PDUs from there (pick
 * it at random, as net-snmp does, so a restarted agent's Responses are
 * not mistaken for the old one's).
 */
void	agentx_sess_start(struct agentx_sess *s, uint64_t now_ms,
	    uint32_t first_packet_id);

/*
 * Receiving.  rxbuf gives where the next read() may write and how much;
 * room 0 means: stop reading until agentx_sess_sent() made room.  After
 * reading n octets there, call agentx_sess_received(): every whole PDU is
 * processed that the send buffer has room to answer.  agentx_sess_input()
 * copies from elsewhere and does the same; it returns the octets taken,
 * fewer than len only when the receive buffer is full.
 */
void	agentx_sess_rxbuf(struct agentx_sess *s, uint8_t **p, size_t *room);
void	agentx_sess_received(struct agentx_sess *s, size_t n, uint64_t now_ms);
size_t	agentx_sess_input(struct agentx_sess *s, const uint8_t *p, size_t len,
	    uint64_t now_ms);

/*
 * Sending: the octets queued (*len 0: nothing), and that the first n of
 * them went out (which may let waiting PDUs be processed).
 */
void	agentx_sess_txbuf(const struct agentx_sess *s, const uint8_t **p,
	    size_t *len);
void	agentx_sess_sent(struct agentx_sess *s, size_t n, uint64_t now_ms);

/*
 * Timers: the monotonic time at which agentx_sess_tick() has something to
 * do (a Response overdue, a Ping due), or UINT64_MAX.  tick may be called
 * early or late; it does what is due at now_ms.
 */
uint64_t agentx_sess_deadline(const struct agentx_sess *s);
void	agentx_sess_tick(struct agentx_sess *s, uint64_t now_ms);

/* Orderly end: queue Close(reason) unless CLOSED, then CLOSED. */
void	agentx_sess_close(struct agentx_sess *s, uint8_t reason);
/*
 * The connection ended: CLOSED, queued octets dropped.  A session that
 * was CLOSED already keeps its reason.
 */
void	agentx_sess_lost(struct agentx_sess *s);

enum agentx_sess_state agentx_sess_state(const struct agentx_sess *s);
/* The master's h.sessionID for us (valid from REGISTERING on). */
uint32_t agentx_sess_id(const struct agentx_sess *s);
/* Why it last closed (enum agentx_sess_why), with *detail if not NULL. */
int	agentx_sess_why(const struct agentx_sess *s, int *detail);
const char *agentx_sess_strwhy(int why);
const char *agentx_sess_strstate(int state);
const struct agentx_sess_stats *agentx_sess_stats(const struct agentx_sess *s);

/*
 * Reconnect delay after `failures` consecutive failed attempts (0 for the
 * first retry): base_ms doubled per failure and capped at cap_ms, then
 * jittered down by up to half, uniformly from rnd: the result is in
 * [d - d/2, d] for that step d.  Agents restarted together so spread out,
 * and no delay is shorter than half its step.  Pure.
 */
uint64_t agentx_backoff_ms(unsigned failures, uint32_t base_ms,
	    uint32_t cap_ms, uint32_t rnd);

#endif
