/*
 * cache: two /proc snapshots, one in service and one filled beside the
 * loop by a refresh thread, swapped when it is done.  This file decides
 * when to refresh, which snapshot a request reads and what to do when a
 * refresh fails; reading /proc is procfs.c's job.
 *
 * The handover: the loop posts a job (which slot, what to read) under a
 * mutex and signals a condition variable; the thread takes the snapshot
 * into that slot, posts the result and writes an eventfd that the loop
 * watches.  Between post and result the loop never touches that slot, and
 * the thread touches nothing else, so the snapshots themselves need no
 * lock.  The request path (cache_snap) takes no lock and makes no system
 * call: it reads the slot in service and notes who asked when.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/cache.h"
#include "config/config.h"
#include "lib/clock.h"
#include "lib/ev.h"
#include "lib/log.h"

/* After a failed refresh, wait this long before reading /proc again. */
#define CACHE_RETRY_MS		1000
/* At most one warning about failed refreshes per this interval. */
#define CACHE_WARN_EVERY_MS	60000
/* The refresh thread's stack: a take needs about 16 KiB of it. */
#define CACHE_STACK		(256 * 1024)

/* What the refresh thread is asked to do, and what it answers. */
struct cache_job {
	unsigned		 cj_slot;
	char			 cj_root[PATH_MAX];
	struct procfs_opts	 cj_opts;
	uint64_t		 cj_conf_gen;	/* c_conf_gen when posted */
	int			 cj_result;	/* enum procfs_err */
};

struct cache {
	struct procfs_snapshot	 c_snap[2];
	unsigned		 c_cur;		/* the one in service */
	bool			 c_kept;	/* the other one, kept for walks */
	uint64_t		 c_kept_since;	/* when it was replaced */
	uint64_t		 c_walk_ms[2];	/* last walk step served from it */
	/* settings */
	char			 c_root[PATH_MAX];
	struct procfs_opts	 c_opts;
	uint32_t		 c_ttl_ms;
	uint64_t		 c_conf_gen;	/* changes with root or opts */
	/* when to refresh */
	bool			 c_asked;	/* a request since the last post */
	uint64_t		 c_asked_ms;	/* its time */
	bool			 c_force;	/* at once (a reload) */
	uint64_t		 c_retry_ms;	/* not before, after a failure */
	uint64_t		 c_gen;		/* generations handed out */
	/* the refresh thread */
	pthread_t		 c_thread;
	bool			 c_started;
	pthread_mutex_t		 c_mu;
	pthread_cond_t		 c_cv;
	bool			 c_posted;	/* under c_mu: a job to take */
	bool			 c_quit;	/* under c_mu */
	struct cache_job	 c_job;		/* under c_mu while posted */
	bool			 c_busy;	/* loop: posted, result not read */
	int			 c_donefd;
	struct ev		*c_ev;
	int			 c_timer;
	/* logs */
	uint64_t		 c_warned_ms;
	bool			 c_has_warned;
	uint64_t		 c_quiet;	/* failures not logged since */
	bool			 c_blind_logged;
	struct cache_stats	 c_stats;
};

/* Copy what a refresh reads from ca; -1 when proc_root is too long. */
static int
cache_settings(struct cache *c, const struct cfg_agent *ca)
{
	size_t n = strlen(ca->ca_proc_root);

	if (n >= sizeof(c->c_root))
		return -1;
	memcpy(c->c_root, ca->ca_proc_root, n + 1);
	c->c_opts.po_cmdline = cfg_agent_reads_cmdline(ca);
	c->c_opts.po_cmdline_budget = ca->ca_cmdline_budget;
	c->c_ttl_ms = ca->ca_cache_ttl_ms;
	return 0;
}

struct cache *
cache_new(const struct cfg_agent *ca)
{
	struct cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->c_donefd = -1;
	c->c_timer = -1;
	if (cache_settings(c, ca) == -1 ||
	    pthread_mutex_init(&c->c_mu, NULL) != 0) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	if (pthread_cond_init(&c->c_cv, NULL) != 0) {
		pthread_mutex_destroy(&c->c_mu);
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	if (c->c_started) {
		pthread_mutex_lock(&c->c_mu);
		c->c_quit = true;
		pthread_cond_signal(&c->c_cv);
		pthread_mutex_unlock(&c->c_mu);
		pthread_join(c->c_thread, NULL);
	}
	if (c->c_donefd != -1) {
		if (c->c_ev != NULL)
			ev_fd_del(c->c_ev, c->c_donefd);
		close(c->c_donefd);
	}
	pthread_cond_destroy(&c->c_cv);
	pthread_mutex_destroy(&c->c_mu);
	procfs_snapshot_free(&c->c_snap[0]);
	procfs_snapshot_free(&c->c_snap[1]);
	free(c);
}

/*
 * Say once that /proc hides processes from us (and when it stops): the
 * figures are then about our own processes only, and ptAgentProcView
 * tells collectors so.
 */
static void
cache_note_blind(struct cache *c, const struct procfs_snapshot *s)
{
	if (s->ps_hidden && !c->c_blind_logged)
		log_errorx("%s hides other users' processes from uid %ld "
		    "(hidepid?): the process figures are incomplete, and "
		    "ptAgentProcView says blind", c->c_root, (long)geteuid());
	else if (!s->ps_hidden && c->c_blind_logged)
		log_info("%s shows every process again", c->c_root);
	c->c_blind_logged = s->ps_hidden;
}

/* Put slot in service; the agent-wide counts go into the snapshot. */
static void
cache_swap(struct cache *c, unsigned slot, uint64_t now)
{
	struct procfs_snapshot *s = &c->c_snap[slot];
	unsigned old = c->c_cur;

	s->ps_gen = ++c->c_gen;
	s->ps_cuts_total = s->ps_cmdline_cuts;
	if (c->c_gen > 1)
		s->ps_cuts_total += c->c_snap[old].ps_cuts_total;
	c->c_cur = slot;
	c->c_walk_ms[slot] = 0;
	/* Keep the old one only when a walk was reading it just now. */
	c->c_kept = c->c_gen > 1 && c->c_walk_ms[old] != 0 &&
	    now - c->c_walk_ms[old] < CACHE_WALK_IDLE_MS;
	c->c_kept_since = now;
	if (c->c_kept)
		c->c_stats.cs_kept++;
	cache_note_blind(c, s);
}

int
cache_first(struct cache *c)
{
	int r;

	if ((r = procfs_snapshot_take(c->c_root, &c->c_opts,
	    &c->c_snap[0])) != 0)
		return r;
	c->c_stats.cs_inline++;
	cache_swap(c, 0, clock_mono_ms());
	return 0;
}

static void *
cache_thread(void *arg)
{
	struct cache *c = arg;
	struct cache_job job;
	uint64_t one = 1;
	ssize_t n;

	for (;;) {
		pthread_mutex_lock(&c->c_mu);
		while (!c->c_posted && !c->c_quit)
			pthread_cond_wait(&c->c_cv, &c->c_mu);
		if (c->c_quit) {
			pthread_mutex_unlock(&c->c_mu);
			return NULL;
		}
		job = c->c_job;
		c->c_posted = false;
		pthread_mutex_unlock(&c->c_mu);

		job.cj_result = procfs_snapshot_take(job.cj_root, &job.cj_opts,
		    &c->c_snap[job.cj_slot]);

		pthread_mutex_lock(&c->c_mu);
		c->c_job.cj_result = job.cj_result;
		pthread_mutex_unlock(&c->c_mu);
		do
			n = write(c->c_donefd, &one, sizeof(one));
		while (n == -1 && errno == EINTR);
	}
}

/* Warn about a failed refresh at most once per CACHE_WARN_EVERY_MS. */
static void
cache_warn(struct cache *c, int err, uint64_t now)
{
	if (c->c_has_warned && now - c->c_warned_ms < CACHE_WARN_EVERY_MS) {
		c->c_quiet++;
		return;
	}
	log_warnx("%s: cannot refresh the process snapshot: %s; serving the "
	    "one taken %llu ms ago (%llu similar failures not logged)",
	    c->c_root, procfs_strerror(err),
	    (unsigned long long)(now - c->c_snap[c->c_cur].ps_taken_ms),
	    (unsigned long long)c->c_quiet);
	c->c_has_warned = true;
	c->c_warned_ms = now;
	c->c_quiet = 0;
}

/* The refresh thread is done: swap, or keep the old one and say why. */
static void
cache_done(struct ev *ev, int fd, void *arg)
{
	struct cache *c = arg;
	struct cache_job job;
	uint64_t v, now;

	(void)ev;
	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v) || !c->c_busy)
		return;
	pthread_mutex_lock(&c->c_mu);
	job = c->c_job;
	pthread_mutex_unlock(&c->c_mu);
	c->c_busy = false;
	now = clock_mono_ms();
	if (job.cj_conf_gen != c->c_conf_gen) {
		/* Read under settings a reload has replaced: take again. */
		c->c_stats.cs_discarded++;
		c->c_force = true;
		return;
	}
	if (job.cj_result != PROCFS_OK) {
		c->c_stats.cs_failures++;
		c->c_retry_ms = now + CACHE_RETRY_MS;
		cache_warn(c, job.cj_result, now);
		return;
	}
	c->c_stats.cs_refreshes++;
	c->c_retry_ms = 0;
	cache_swap(c, job.cj_slot, now);
}

/* Nothing to do: the timer only wakes the loop, whose hook then looks. */
static void
cache_wake(struct ev *ev, int id, void *arg)
{
	(void)ev;
	(void)id;
	(void)arg;
}

/*
 * Before the loop sleeps: release a kept snapshot whose walks are over,
 * and start a refresh when one is due and its slot is free.  A wait that
 * has an end (a retry, a kept snapshot) arms the timer; a refresh that is
 * not due arms nothing, so an idle agent sleeps until a request comes.
 */
static void
cache_hook(struct ev *ev, void *arg)
{
	struct cache *c = arg;
	const struct procfs_snapshot *cur = &c->c_snap[c->c_cur];
	unsigned spare = c->c_cur ^ 1;
	uint64_t now, until;

	if (c->c_busy)
		return;
	/* Due: asked at least ttl after the snapshot in service was taken. */
	if (!c->c_force && (!c->c_asked ||
	    c->c_asked_ms < cur->ps_taken_ms ||
	    c->c_asked_ms - cur->ps_taken_ms < c->c_ttl_ms))
		return;
	now = clock_mono_ms();
	if (now < c->c_retry_ms) {
		ev_timer_at(ev, c->c_timer, c->c_retry_ms);
		return;
	}
	if (c->c_kept) {
		until = c->c_walk_ms[spare] + CACHE_WALK_IDLE_MS;
		if (until > c->c_kept_since + CACHE_GRACE_MAX_MS)
			until = c->c_kept_since + CACHE_GRACE_MAX_MS;
		if (now < until) {
			ev_timer_at(ev, c->c_timer, until);
			return;
		}
		c->c_kept = false;
	}
	pthread_mutex_lock(&c->c_mu);
	c->c_job.cj_slot = spare;
	memcpy(c->c_job.cj_root, c->c_root, sizeof(c->c_root));
	c->c_job.cj_opts = c->c_opts;
	c->c_job.cj_conf_gen = c->c_conf_gen;
	c->c_job.cj_result = PROCFS_OK;
	c->c_posted = true;
	pthread_cond_signal(&c->c_cv);
	pthread_mutex_unlock(&c->c_mu);
	c->c_busy = true;
	c->c_force = false;
	c->c_asked = false;
}

int
cache_start(struct cache *c, struct ev *ev)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int r, saved;

	if (c->c_started) {
		errno = EBUSY;
		return -1;
	}
	if ((c->c_donefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		return -1;
	if ((c->c_timer = ev_timer_new(ev, cache_wake, c)) == -1 ||
	    ev_hook_add(ev, cache_hook, c) == -1) {
		errno = ENOMEM;
		return -1;
	}
	if (ev_fd_add(ev, c->c_donefd, cache_done, c) == -1)
		return -1;
	c->c_ev = ev;
	/*
	 * The thread blocks every signal, so SIGHUP and SIGTERM always reach
	 * the loop's signalfd rather than kill the process from here.
	 */
	sigfillset(&all);
	if ((r = pthread_attr_init(&attr)) != 0) {
		errno = r;
		return -1;
	}
	(void)pthread_attr_setstacksize(&attr, CACHE_STACK);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&c->c_thread, &attr, cache_thread, c);
	saved = r;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		errno = saved;
		return -1;
	}
	c->c_started = true;
	return 0;
}

int
cache_configure(struct cache *c, const struct cfg_agent *ca)
{
	struct procfs_opts o = c->c_opts;
	bool root_changed;
	int r;

	root_changed = strcmp(ca->ca_proc_root, c->c_root) != 0;
	if (root_changed && (r = procfs_check(ca->ca_proc_root)) != 0)
		return r;
	if (cache_settings(c, ca) == -1)
		return PROCFS_ENOROOT;
	/*
	 * A snapshot taken under the old settings must not stay in service:
	 * switching expose_cmdline off must drop the command lines (the MIB
	 * stops serving them at once, see mib_cmdline_exposed()).
	 */
	if (root_changed || o.po_cmdline != c->c_opts.po_cmdline ||
	    o.po_cmdline_budget != c->c_opts.po_cmdline_budget) {
		c->c_conf_gen++;
		c->c_force = true;
		c->c_retry_ms = 0;
	}
	return 0;
}

const struct procfs_snapshot *
cache_snap(void *arg, uint64_t gen, bool walk, uint64_t now_ms)
{
	struct cache *c = arg;
	unsigned i = c->c_cur;

	c->c_asked = true;
	c->c_asked_ms = now_ms;
	if (c->c_busy)
		c->c_stats.cs_during++;
	if (gen != 0 && c->c_kept && c->c_snap[i ^ 1].ps_gen == gen &&
	    now_ms - c->c_kept_since < CACHE_GRACE_MAX_MS)
		i ^= 1;
	if (walk)
		c->c_walk_ms[i] = now_ms;
	return &c->c_snap[i];
}

const struct cache_stats *
cache_stats(const struct cache *c)
{
	return &c->c_stats;
}

bool
cache_busy(const struct cache *c)
{
	return c->c_busy;
}
