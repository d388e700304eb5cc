/*
 * run: one poll run of every selected target.  It resets the run's memory,
 * has the poll engine fill one struct sample per target, draws the progress line,
 * hands the samples to every sink and to the alerts, and reports counts for
 * the summary line and the exit status.  The memory the samples point to
 * is the run's arena (run_arena.h), reset at the start of each run.
 */
#ifndef PT_RUN_H
#define PT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/sample.h"
#include "collector/targets.h"
#include "config/config.h"

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
	uint64_t	 rr_cut;	/* results cut at a byte budget (errors) */
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
