/*
 * run: one poll run of every selected target.  It resets the run's memory,
 * has poll.c fill one struct sample per target, draws the progress line,
 * hands the samples to every sink and to the alerts, and reports counts for
 * the summary line and the exit status.  Also the run arena: every string
 * and array a run's samples point to comes from it, in chunks, and it is
 * reset (not freed) between daemon runs, so memory is allocated per run
 * and reused, never per datagram.
 */
#ifndef PT_RUN_H
#define PT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/sample.h"
#include "collector/targets.h"
#include "config/config.h"

struct run_arena;

/* Returns a new empty arena, free with run_arena_free(); NULL on ENOMEM. */
struct run_arena *run_arena_new(void);
/* size bytes, zeroed, 16-byte aligned, valid until the next reset; NULL on ENOMEM. */
void		*run_arena_alloc(struct run_arena *a, size_t size);
/* An array of n elements of size each, zeroed; NULL on overflow or ENOMEM. */
void		*run_arena_calloc(struct run_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of s[0..len) (s may hold NULs). */
char		*run_arena_strndup(struct run_arena *a, const char *s,
		    size_t len);
/* Forget every allocation; keeps the first chunk for the next run. */
void		 run_arena_reset(struct run_arena *a);
void		 run_arena_free(struct run_arena *a);
/* Bytes currently held in chunks (for tests and debugging). */
size_t		 run_arena_size(const struct run_arena *a);

struct poll_engine;
struct sink;
struct alert_runner;

struct run_opts {
	bool		 ro_progress;	/* redraw a progress line on stderr */
	bool		 ro_summary;	/* print the summary line */
	uint32_t	 ro_shard_k;	/* --shard K/N, for the self-metrics */
	uint32_t	 ro_shard_n;
};

struct run_result {
	size_t		 rr_total;
	size_t		 rr_ok;
	size_t		 rr_timeout;
	size_t		 rr_error;
	uint64_t	 rr_retries;	/* requests sent again after a timeout */
	uint64_t	 rr_late;	/* replies that came after their request
					 * was done (duplicates, late) */
	double		 rr_wall_s;
	size_t		 rr_sink_failures;
	uint64_t	 rr_spooled;	/* samples remote sinks spooled */
	uint64_t	 rr_lost;	/* samples remote sinks lost or had
					 * refused */
	size_t		 rr_alerts;
	size_t		 rr_alert_failures;
};

struct run;

/*
 * A run context over borrowed parts: the config, the target list, the poll
 * engine built on them, the opened sinks and the alert runner (may be NULL).
 * Returns NULL on ENOMEM.  Free with run_free() (which frees only its own
 * memory).
 */
struct run	*run_new(const struct cfg_collector *cc,
		    const struct target_list *tl, struct poll_engine *pe,
		    struct sink **sinks, size_t nsinks, struct alert_runner *ar,
		    const struct run_opts *opts);
/*
 * Poll every target once and write the sinks, all by the run's deadline
 * (deadline_s from its start).  Returns 0 when every target answered and
 * every sink wrote, 3 (EXIT_SPOOLED) when that holds but a remote store
 * left samples in its spool, else 1 (EXIT_SOME_FAILED).  res may be NULL.
 */
int		 run_once(struct run *r, struct run_result *res);
void		 run_free(struct run *r);

#endif
