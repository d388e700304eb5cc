/*
 * loop: the agent's single-threaded event loop.  One epoll set holds every
 * listen socket and a signalfd; datagrams are received and answered in
 * batches with recvmmsg/sendmmsg, each request handed to the engine, each
 * reply sent from the address its request came to (listen.c).  All buffers
 * are allocated by loop_new(): answering requests allocates nothing.
 * Signals are delivered to a callback in the loop's thread, so a reload
 * never races a request.  Not thread-safe, and not meant to be.
 */
#ifndef PT_LOOP_H
#define PT_LOOP_H

#include <signal.h>
#include <stdint.h>

struct engine;
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

/* What a signal callback tells the loop. */
enum loop_action {
	LOOP_CONTINUE = 0,
	LOOP_STOP = 1,
};
typedef int (*loop_signal_fn)(void *arg, int signo);

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
 * Returns a new loop answering through e (borrowed, must outlive the loop),
 * replies capped at max_message_size (484..65507), or NULL with errno set.
 * Free with loop_free().
 */
struct loop *loop_new(struct engine *e, uint32_t max_message_size);
/* Closes every socket given to loop_add_socket() and the signalfd. */
void	loop_free(struct loop *l);

/*
 * Serve a bound UDP socket (from listen_open()); the loop owns fd from now
 * on, also on failure.  Returns 0, or -1 with errno set.
 */
int	loop_add_socket(struct loop *l, int fd);

/*
 * Block the signals in set for the whole process and deliver them to fn
 * (through a signalfd in the epoll set) while loop_run() runs.  Returns 0,
 * or -1 with errno set.
 */
int	loop_watch_signals(struct loop *l, const sigset_t *set,
	    loop_signal_fn fn, void *arg);

/* A reloaded max_message_size; takes effect with the next request. */
void	loop_set_max_message(struct loop *l, uint32_t max_message_size);

/*
 * Serve until a signal callback returns LOOP_STOP (returns 0) or epoll
 * itself fails (returns -1 with errno set).
 */
int	loop_run(struct loop *l);

const struct loop_stats *loop_stats(const struct loop *l);

#endif
