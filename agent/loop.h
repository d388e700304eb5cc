/*
 * loop: the agent's request loop on the shared event loop (lib/ev.h).
 * Every listen socket is watched by ev; datagrams are received and
 * answered in batches with recvmmsg/sendmmsg, each request handed to the
 * engine, each reply sent from the address its request came to
 * (listen.c).  All buffers are allocated by loop_new(): answering requests
 * allocates nothing and makes no system call but the batched receive and
 * send.  Signals, timers and the /proc refresh are other users of the same
 * ev, in the same thread, so a reload never races a request.
 */
#ifndef PT_LOOP_H
#define PT_LOOP_H

#include <stdint.h>

struct engine;
struct ev;
struct loop;

/* Datagrams per recvmmsg/sendmmsg call. */
#define LOOP_BATCH	32
/*
 * Bytes kept per received datagram.  Requests are small (a GETBULK is under
 * 100 bytes, a 100-varbind GET under 4 KiB) and RFC 3417 section 3.2 only
 * obliges an agent to take 484; 32 slots of 64 KiB would be 2 MiB of the
 * agent's 3 MB budget.  A longer datagram arrives cut (MSG_TRUNC); the cut
 * bytes are still given to the engine, whose strict BER refuses a length
 * running past the end and counts snmpInASNParseErrs, as RFC 3418 names it.
 */
#define LOOP_RECV_SLOT	8192

/* Counters for logs and tests; the SNMP counters live in the engine. */
struct loop_stats {
	uint64_t	ls_received;	/* datagrams received */
	uint64_t	ls_replied;	/* replies handed to the kernel */
	uint64_t	ls_truncated;	/* requests over LOOP_RECV_SLOT bytes */
	uint64_t	ls_send_dropped; /* lost to a full send buffer */
	uint64_t	ls_send_errors;	/* replies refused by sendmmsg */
	uint64_t	ls_recv_errors;	/* recvmmsg failures, not EAGAIN */
};

/*
 * Returns a new loop answering through e on ev (both borrowed, they must
 * outlive the loop), replies capped at max_message_size (484..65507), or
 * NULL with errno set.  Free with loop_free().
 */
struct loop *loop_new(struct engine *e, struct ev *ev,
	    uint32_t max_message_size);
/* Stops watching and closes every socket given to loop_add_socket(). */
void	loop_free(struct loop *l);

/*
 * Serve a bound UDP socket (from listen_open()) from ev_run(); the loop
 * owns fd from now on, also on failure.  Returns 0, or -1 with errno set.
 */
int	loop_add_socket(struct loop *l, int fd);

/* A reloaded max_message_size; takes effect with the next request. */
void	loop_set_max_message(struct loop *l, uint32_t max_message_size);

const struct loop_stats *loop_stats(const struct loop *l);

#endif
