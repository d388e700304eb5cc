/*
 * selfmetrics: the collector's own health as one more struct sample, for
 * the target "proctel-collector" (host: this machine's name; label shard
 * "K/N" when sharded), so that every sink writes it with its own code:
 * Prometheus families proctel_collector_*, JSON Lines and SQLite metrics
 * collector_*, influx fields collector_*.  Which sinks get it is the
 * output's `self_metrics` key (DESIGN.md "Remote stores and
 * self-metrics"; proctel.yaml(5) lists the names).  Alerts never see it.
 *
 * Metrics (this run): collector_targets, collector_answered,
 * collector_timeouts, collector_errors, collector_retries,
 * collector_late_replies, collector_run_duration_ms (run start until the
 * samples go to the sinks), collector_rtt_p50_us and collector_rtt_p99_us
 * (first request to last reply of the answered targets).  Table
 * collector_sinks, one row per sink indexed "TYPE:WHERE" (the URL without
 * credentials or query), with samples_written, samples_spooled,
 * samples_lost and spool_backlog of that sink's previous run: a run's own
 * outcome is only known once it is written.  A sink with no previous run
 * (the first run of a file sink) has no row.
 */
#ifndef PT_SELFMETRICS_H
#define PT_SELFMETRICS_H

#include <stddef.h>
#include <stdint.h>

#include "collector/run.h"
#include "collector/run_arena.h"
#include "collector/sample.h"

struct sink;
struct selfm;

/*
 * The pseudo-target and its label (shard_n > 1: shard="K/N").  Returns a
 * new selfm, free with selfm_free(); NULL on ENOMEM.
 */
struct selfm	*selfm_new(uint32_t shard_k, uint32_t shard_n);
void		 selfm_free(struct selfm *m);
/*
 * Fill *out for this run: rr's counts, the answered samples' latencies,
 * run_ms for the duration, and the sinks' previous outcomes.  Strings and
 * arrays come from the arena.  Returns 0, or -1 on ENOMEM.
 */
int		 selfm_fill(struct selfm *m, struct sample *out,
		    const struct run_result *rr, const struct sample *samples,
		    size_t n, struct sink *const *sinks, size_t nsinks,
		    uint64_t time_ms, double run_ms, struct run_arena *a);

#endif
