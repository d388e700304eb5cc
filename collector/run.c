/*
 * run: one poll run (see run.h): the progress line, the summary, and
 * handing the samples to sinks and alerts.  It knows nothing of SNMP;
 * the poll engine fills the samples into the run's arena (run_arena.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/alert.h"
#include "collector/exitcodes.h"
#include "collector/poll.h"
#include "collector/run.h"
#include "collector/run_arena.h"
#include "collector/selfmetrics.h"
#include "collector/sink.h"
#include "lib/clock.h"
#include "lib/log.h"

struct run {
	const struct cfg_collector	*r_cc;
	const struct target_list	*r_tl;
	struct poll_engine		*r_pe;
	struct sink			**r_sinks;
	size_t				 r_nsinks;
	struct alert_runner		*r_ar;
	struct run_opts			 r_opts;
	struct run_arena		*r_arena;
	struct sample			*r_samples;	/* one per target, then
							 * the self-metrics */
	struct selfm			*r_selfm;
	bool				 r_drawn;	/* a progress line is up */
};

struct run *
run_new(const struct cfg_collector *cc, const struct target_list *tl,
    struct poll_engine *pe, struct sink **sinks, size_t nsinks,
    struct alert_runner *ar, const struct run_opts *opts)
{
	struct run *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->r_cc = cc;
	r->r_tl = tl;
	r->r_pe = pe;
	r->r_sinks = sinks;
	r->r_nsinks = nsinks;
	r->r_ar = ar;
	if (opts != NULL)
		r->r_opts = *opts;
	r->r_arena = run_arena_new();
	r->r_samples = calloc(tl->tl_n + 1, sizeof(*r->r_samples));
	r->r_selfm = selfm_new(r->r_opts.ro_shard_k, r->r_opts.ro_shard_n);
	if (r->r_arena == NULL || r->r_samples == NULL || r->r_selfm == NULL) {
		run_free(r);
		return NULL;
	}
	return r;
}

void
run_free(struct run *r)
{
	if (r == NULL)
		return;
	run_arena_free(r->r_arena);
	free(r->r_samples);
	selfm_free(r->r_selfm);
	free(r);
}

/* Redrawn in place: carriage return, the line, clear to end of line. */
static void
run_progress(void *arg, const struct poll_progress *p)
{
	struct run *r = arg;
	char line[160];
	int n;

	n = snprintf(line, sizeof(line), "\r%zu/%zu targets, %zu answered, "
	    "%zu timed out, %zu errors, %.1f s\033[K", p->pp_done, p->pp_total,
	    p->pp_ok, p->pp_timeout, p->pp_error,
	    (double)p->pp_elapsed_ns / 1e9);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	/* A failed write to a terminal only loses a progress frame. */
	if (write(STDERR_FILENO, line, (size_t)n) == n)
		r->r_drawn = true;
}

static void
run_progress_clear(struct run *r)
{
	static const char clear[] = "\r\033[K";

	if (!r->r_drawn)
		return;
	if (write(STDERR_FILENO, clear, sizeof(clear) - 1) < 0)
		return;
	r->r_drawn = false;
}

/* What the remote sinks spooled or lost, for the summary line ("" when none). */
static const char *
run_remote_note(const struct run_result *rr, char *buf, size_t size)
{
	int n;

	if (rr->rr_spooled == 0 && rr->rr_lost == 0)
		return "";
	n = snprintf(buf, size, ", %llu samples spooled, %llu lost",
	    (unsigned long long)rr->rr_spooled,
	    (unsigned long long)rr->rr_lost);
	return n > 0 && (size_t)n < size ? buf : "";
}

int
run_once(struct run *r, struct run_result *res)
{
	struct run_result rr;
	struct poll_stats ps;
	struct sink_outcome so;
	uint64_t start_ms, t0, ts;
	size_t i, fired, failed;
	char err[256];
	bool self;
	int rc, status = EXIT_ALL_ANSWERED;

	memset(&rr, 0, sizeof(rr));
	run_arena_reset(r->r_arena);
	start_ms = clock_wall_ms();
	t0 = clock_mono_ns();
	rc = poll_engine_run(r->r_pe, r->r_samples, r->r_arena, start_ms,
	    r->r_opts.ro_progress ? run_progress : NULL, r, &ps, err,
	    sizeof(err));
	run_progress_clear(r);
	if (rc == -1) {
		log_warnx("run: %s", err);
		status = EXIT_SOME_FAILED;
	}
	rr.rr_total = r->r_tl->tl_n;
	for (i = 0; i < r->r_tl->tl_n; i++) {
		switch (r->r_samples[i].sa_status) {
		case SAMPLE_OK:
			rr.rr_ok++;
			break;
		case SAMPLE_TIMEOUT:
			rr.rr_timeout++;
			break;
		default:
			rr.rr_error++;
			break;
		}
	}
	rr.rr_retries = ps.ps_retries;
	rr.rr_late = ps.ps_late;
	rr.rr_cut = ps.ps_cut;
	/* One line per run, not one per target: a hostile fleet is many. */
	if (rr.rr_cut > 0)
		log_warnx("run: %llu target results cut at a byte budget "
		    "(max_target_mb, max_run_mb; see their errors)",
		    (unsigned long long)rr.rr_cut);
	/* The self-metrics sample follows the targets' for the sinks that take it. */
	self = selfm_fill(r->r_selfm, &r->r_samples[r->r_tl->tl_n], &rr,
	    r->r_samples, r->r_tl->tl_n, r->r_sinks, r->r_nsinks, start_ms,
	    (double)(clock_mono_ns() - t0) / 1e6, r->r_arena) == 0;
	if (!self)
		log_warnx("run: out of memory for the self-metrics");
	for (i = 0; i < r->r_nsinks; i++) {
		sink_set_deadline(r->r_sinks[i], t0 +
		    (uint64_t)r->r_cc->cc_deadline_s * 1000000000ULL);
		ts = clock_mono_ns();
		if (sink_write_run(r->r_sinks[i], r->r_samples, r->r_tl->tl_n +
		    (self && sink_wants_self(r->r_sinks[i])), err,
		    sizeof(err)) == -1) {
			log_warnx("sink: %s", err);
			rr.rr_sink_failures++;
		}
		(void)sink_get_outcome(r->r_sinks[i], &so);
		rr.rr_spooled += so.so_spooled;
		rr.rr_lost += so.so_rejected + so.so_lost;
		sink_describe(r->r_sinks[i], err, sizeof(err));
		log_debug("sink %s: %llu samples in %.3f s", err,
		    (unsigned long long)so.so_written,
		    (double)(clock_mono_ns() - ts) / 1e9);
	}
	if (r->r_ar != NULL) {
		failed = 0;
		fired = alert_run(r->r_ar, r->r_samples, r->r_tl->tl_n, &failed);
		rr.rr_alerts = fired;
		rr.rr_alert_failures = failed;
		if (failed > 0)
			log_warnx("alerts: %zu of %zu commands failed", failed,
			    fired);
	}
	rr.rr_wall_s = (double)(clock_mono_ns() - t0) / 1e9;
	if (r->r_opts.ro_summary)
		log_info("run: %zu targets, %zu answered, %zu timeouts, "
		    "%zu errors, %llu retries, %llu late replies, %.3f s%s",
		    rr.rr_total, rr.rr_ok, rr.rr_timeout, rr.rr_error,
		    (unsigned long long)rr.rr_retries,
		    (unsigned long long)rr.rr_late, rr.rr_wall_s,
		    run_remote_note(&rr, err, sizeof(err)));
	if (rr.rr_ok != rr.rr_total || rr.rr_sink_failures > 0)
		status = EXIT_SOME_FAILED;
	else if (status == EXIT_ALL_ANSWERED && rr.rr_spooled > 0)
		status = EXIT_SPOOLED;
	if (res != NULL)
		*res = rr;
	return status;
}
