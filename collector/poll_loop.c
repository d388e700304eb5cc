/*
 * poll_loop: the poll engine's event loop (see poll.h): one epoll wait
 * over every target's socket and the timer heap (sched.c), new targets
 * started into free window slots between bursts of replies, the progress
 * callback, and the run deadline.  What each event means to a target is
 * poll_target.c.
 */
#include <sys/epoll.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "collector/poll_int.h"
#include "collector/sched.h"
#include "lib/clock.h"

struct poll_engine *poll_active;

static void
poll_progress_emit(struct poll_engine *pe, uint64_t t0,
    poll_progress_fn *fn, void *arg)
{
	struct poll_progress p = { pe->pe_n, pe->pe_done, pe->pe_ok,
	    pe->pe_timeout, pe->pe_error, clock_mono_ns() - t0 };

	if (fn != NULL)
		fn(arg, &p);
}

/* The run deadline: everything not done is a timeout, now. */
static void
poll_deadline(struct poll_engine *pe)
{
	size_t i;

	for (i = 0; i < pe->pe_n; i++)
		if (pe->pe_t[i].pt_phase != PH_DONE)
			poll_finish(pe, (uint32_t)i, SAMPLE_TIMEOUT,
			    pe->pe_t[i].pt_phase == PH_WAIT ?
			    "run deadline reached before it was polled" :
			    "run deadline reached");
}

int
poll_engine_run(struct poll_engine *pe, struct sample *samples,
    struct run_arena *arena, uint64_t run_start_ms,
    poll_progress_fn *progress, void *arg, struct poll_stats *stats,
    char *err, size_t errlen)
{
	struct epoll_event evs[POLL_EVENTS];
	uint64_t t0, deadline, now, when, next, last_progress;
	uint32_t tid;
	u_int unknown0;
	size_t started;
	int i, n, ms, rc = 0;

	poll_reset(pe, samples, arena, run_start_ms);
	poll_active = pe;
	unknown0 = snmp_get_statistic(STAT_SNMPUNKNOWNPDUHANDLERS);
	t0 = clock_mono_ns();
	last_progress = t0;
	deadline = t0 + (uint64_t)pe->pe_cc->cc_deadline_s * 1000000000ULL;
	while (pe->pe_done < pe->pe_n) {
		now = clock_mono_ns();
		if (now >= deadline) {
			poll_deadline(pe);
			break;
		}
		for (started = 0; started < POLL_START_BATCH &&
		    pe->pe_nfree > 0 && pe->pe_next_start < pe->pe_n;
		    started++)
			poll_start(pe, (uint32_t)pe->pe_next_start++);
		if (pe->pe_nomem) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
		if (pe->pe_done >= pe->pe_n)
			break;
		when = deadline;
		if (sched_peek(pe->pe_sched, NULL, &next) && next < when)
			when = next;
		now = clock_mono_ns();
		if (pe->pe_nfree > 0 && pe->pe_next_start < pe->pe_n)
			ms = 0;
		else if (when <= now)
			ms = 0;
		else
			ms = (int)((when - now + 999999ULL) / 1000000ULL);
		if (progress != NULL && ms > 100)
			ms = 100;
		n = epoll_wait(pe->pe_ep, evs, POLL_EVENTS, ms);
		if (n == -1 && errno != EINTR) {
			snprintf(err, errlen, "epoll_wait: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (i = 0; i < n; i++) {
			tid = evs[i].data.u32;
			if (tid < pe->pe_n)
				poll_read(pe, tid);
		}
		now = clock_mono_ns();
		while (sched_pop_due(pe->pe_sched, now, &tid))
			poll_timer(pe, tid);
		if (progress != NULL && now - last_progress >= POLL_PROGRESS_NS) {
			last_progress = now;
			poll_progress_emit(pe, t0, progress, arg);
		}
	}
	if (rc == -1)
		poll_deadline(pe);
	poll_progress_emit(pe, t0, progress, arg);
	pe->pe_stats.ps_late += snmp_get_statistic(STAT_SNMPUNKNOWNPDUHANDLERS) -
	    unknown0;
	if (stats != NULL)
		*stats = pe->pe_stats;
	poll_active = NULL;
	return rc;
}
