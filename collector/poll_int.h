/*
 * poll_int: what the parts of the poll engine share, and nothing else
 * includes (the unit tests aside): the engine and per-target structs, the
 * state machine's entry points (poll_target.c), the set-up of a run
 * (poll_engine.c), the event loop's callback context (poll_loop.c) and
 * net-snmp's start-up (poll_sess.c).  net-snmp types appear here, which
 * is why it is not poll.h.
 */
#ifndef PT_POLL_INT_H
#define PT_POLL_INT_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include <stdbool.h>
#include <stdint.h>

#include "collector/poll.h"
#include "collector/walk.h"

/* Varbinds per GET; an agent answering tooBig gets halves. */
#define POLL_VARBINDS_MAX	32
/* GETBULK max-repetitions: ~25 rows of one column fit 1472 bytes. */
#define POLL_BULK_REPS		25
/* Backoff stops doubling here (never below the attempt before). */
#define POLL_TIMEOUT_MAX_MS	60000
#define POLL_PROGRESS_NS	100000000ULL
#define POLL_EVENTS		1024
/* New targets started per loop turn: replies get read between bursts. */
#define POLL_START_BATCH	128

/* The callback's magic carries (generation << 32 | target id). */
_Static_assert(sizeof(uintptr_t) >= 8, "poll needs 64-bit pointers");

enum poll_phase { PH_WAIT = 0, PH_PROBE, PH_GET, PH_WALK, PH_DONE };
enum poll_next { NX_NONE = 0, NX_STEP, NX_FINISH };

/* One target's state; pe_t[target id]. */
struct ptgt {
	void		*pt_sess;	/* net-snmp single session */
	int		 pt_fd;
	uint32_t	 pt_gen;	/* logical request number */
	uint32_t	 pt_slot;
	uint8_t		 pt_phase;
	uint8_t		 pt_next;	/* what the callback asks for */
	bool		 pt_pending;	/* a logical request is outstanding */
	bool		 pt_v3_ready;	/* engineID known, user created */
	bool		 pt_refused;	/* ICMP port unreachable seen */
	uint8_t		 pt_status;	/* enum sample_status, at NX_FINISH */
	uint16_t	 pt_attempt;	/* of the current logical request */
	uint16_t	 pt_chunk;	/* max varbinds per GET (tooBig halves) */
	uint16_t	 pt_reps;	/* GETBULK max-repetitions */
	uint32_t	 pt_timeout_ms;	/* of the current attempt */
	uint32_t	 pt_mlo, pt_mhi;	/* metrics of the current GET */
	uint32_t	 pt_table;	/* table being walked */
	uint64_t	 pt_t_first;	/* first send, CLOCK_MONOTONIC ns */
	uint64_t	 pt_t_last;	/* last reply */
	size_t		 pt_bytes;	/* of the run's arena, this run */
	const char	*pt_err;
};

struct poll_engine {
	const struct cfg_collector *pe_cc;
	const struct target_list *pe_tl;
	size_t			 pe_n;
	struct ptgt		*pe_t;
	struct walk		*pe_walks;	/* one per window slot */
	uint32_t		*pe_free;	/* free slot stack */
	size_t			 pe_nfree;
	size_t			 pe_nslots;
	struct sched		*pe_sched;
	int			 pe_ep;
	netsnmp_large_fd_set	 pe_lfs;
	bool			 pe_lfs_init;
	struct oid		*pe_entries;	/* per table: the subtree walked */
	struct poll_v3reg	*pe_v3reg;
	size_t			 pe_max_target;	/* byte budgets, from the config */
	size_t			 pe_max_run;
	/* Per run. */
	struct sample		*pe_samples;
	struct run_arena	*pe_arena;
	struct poll_stats	 pe_stats;
	size_t			 pe_bytes;	/* every target's pt_bytes */
	size_t			 pe_next_start;
	size_t			 pe_done, pe_ok, pe_timeout, pe_error;
	bool			 pe_nomem;
};

/*
 * The engine of the run in progress, for the net-snmp callback: one
 * thread makes every net-snmp call, and the callback's magic already
 * carries the target and generation.  Set by poll_loop.c.
 */
extern struct poll_engine *poll_active;

static inline const char *
poll_name(const struct poll_engine *pe, uint32_t tid)
{
	return pe->pe_tl->tl_targets[tid]->ct_name;
}

/* poll_engine.c: forget the last run, stamp the samples, free the slots. */
void	poll_reset(struct poll_engine *pe, struct sample *samples,
	    struct run_arena *arena, uint64_t run_start_ms);

/* poll_target.c: the per-target state machine. */
/* Take a window slot and send tid's first request. */
void	poll_start(struct poll_engine *pe, uint32_t tid);
/* tid is done: fill its sample, give its slot back (idempotent). */
void	poll_finish(struct poll_engine *pe, uint32_t tid,
	    enum sample_status st, const char *msg);
/* tid's timer fired: retry with backoff, or finish it. */
void	poll_timer(struct poll_engine *pe, uint32_t tid);
/* tid's socket is readable: let net-snmp read it, act on the callback. */
void	poll_read(struct poll_engine *pe, uint32_t tid);
/*
 * The timeout of the attempt after one of prev_ms: doubled up to
 * POLL_TIMEOUT_MAX_MS, and never shorter than prev_ms.
 */
uint32_t poll_next_timeout(uint32_t prev_ms);

/* poll_sess.c: the start-up side of net-snmp. */
struct poll_keys;
struct poll_v3reg;
/* Quiet, file-free net-snmp init, once per process. */
int	poll_sess_lib_init(char *err, size_t errlen);
/* Raise RLIMIT_NOFILE to fit ntargets sessions and a margin. */
int	poll_sess_nofile(size_t ntargets, char *err, size_t errlen);
struct poll_keys *poll_keys_new(void);
void	poll_keys_free(struct poll_keys *ks);
/* Open ct's session (v3: no blocking probe); its socket in *fd. */
void	*poll_sess_open(const struct cfg_target *ct, struct poll_keys *ks,
	    int *fd, char *err, size_t errlen);
struct poll_v3reg *poll_v3reg_new(void);
void	poll_v3reg_free(struct poll_v3reg *r);
/*
 * After the engineID probe of target tid: create its USM user.  Returns
 * 0, -1 when net-snmp refused, or -2 when target *other already uses this
 * engineID and user with other credentials.
 */
int	poll_sess_v3_user(struct poll_v3reg *r, void *sess, uint32_t tid,
	    uint32_t *other);
/*
 * Forget the session's engineID (and that its user was created) so the
 * next request discovers it again.  An agent reinstalled with a new
 * engineID answers the old one with an unauthenticated Report that
 * net-snmp drops, so poll_target.c calls this when a v3 target times out
 * completely, or reports unknownEngineID.
 */
void	poll_sess_v3_forget(void *sess);

#endif
