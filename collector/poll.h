/*
 * poll: the collector's SNMP engine.  net-snmp (libnetsnmp) is the stack:
 * one long-lived single session (snmp_sess_*) and UDP socket per target,
 * opened once, connect()ed so the kernel drops replies from other sources,
 * all driven by one thread's epoll loop and our timer heap (sched.c).  We
 * own scheduling, the concurrency window, timeouts with exponential backoff
 * (net-snmp's own retransmission is off), the run deadline, the GET
 * batching and table walks (walk.c); net-snmp owns BER, request matching
 * and USM.  See /work/shared/notes/net-snmp.md for why.
 *
 * Every net-snmp call is made from the thread that called poll_engine_new().
 * The engine's parts (poll_engine.c set-up, poll_target.c the per-target
 * state machine, poll_loop.c the event loop, poll_sess.c net-snmp's
 * start-up) share poll_int.h; nothing else sees them.
 */
#ifndef PT_POLL_H
#define PT_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "collector/run_arena.h"
#include "collector/sample.h"
#include "collector/targets.h"
#include "config/config.h"

struct poll_engine;

struct poll_progress {
	size_t		pp_total;
	size_t		pp_done;
	size_t		pp_ok;
	size_t		pp_timeout;
	size_t		pp_error;
	uint64_t	pp_elapsed_ns;
};

/* Called at most every ~100 ms during a run, and once at its end. */
typedef void	poll_progress_fn(void *arg, const struct poll_progress *p);

struct poll_stats {
	uint64_t	ps_requests;	/* PDUs sent, retransmissions included */
	uint64_t	ps_retries;	/* retransmissions after a timeout */
	uint64_t	ps_late;	/* replies for a request already done */
	uint64_t	ps_refused;	/* ICMP port unreachable seen */
	uint64_t	ps_cut;		/* targets cut at a byte budget */
};

/*
 * Initialise net-snmp (once per process: quiet, no config files, no
 * persistent state, its log routed to ours), raise RLIMIT_NOFILE to fit,
 * and open one session per target of tl (both borrowed for the engine's
 * life).  Returns a new engine, free with poll_engine_free(); NULL with a
 * message in err.
 */
struct poll_engine *poll_engine_new(const struct cfg_collector *cc,
		    const struct target_list *tl, char *err, size_t errlen);
/*
 * Poll every target once.  samples[i] (tl_n of them) is filled for target
 * i; strings and arrays come from the arena.  run_start_ms is the wall
 * time stamped into every sample.  What the samples take from the arena
 * stays within the config's byte budgets: a target whose result would take
 * more than max_target_mb, or more than what the run has left of
 * max_run_mb, keeps what it had, is marked SAMPLE_ERROR with an error
 * saying which budget cut it, and the run goes on.  Returns 0, or -1 on a
 * fatal local error (ENOMEM, epoll) with a message in err.
 */
int		 poll_engine_run(struct poll_engine *pe, struct sample *samples,
		    struct run_arena *arena, uint64_t run_start_ms,
		    poll_progress_fn *progress, void *arg,
		    struct poll_stats *stats, char *err, size_t errlen);
void		 poll_engine_free(struct poll_engine *pe);

#endif
