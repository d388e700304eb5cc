/*
 * test_cache: the agent's snapshot cache (agent/cache.c) with its real
 * refresh thread and a real event loop (lib/ev.c), on the fake tree
 * tests/tools/fakeproc/basic: the first snapshot in the caller's thread, a
 * stale snapshot answered at once and refreshed beside the loop, an idle
 * cache reading nothing, a walk keeping its snapshot across a swap, failed
 * refreshes and reloads keeping the old one.  The tree is reached through
 * a symlink in a temporary directory, so a test can make it vanish.  Every
 * wait is bounded; no timing decides a result.  Not procfs parsing
 * (test_procfs.c) nor which request continues a walk (test_pin.c).
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/cache.h"
#include "agent/procfs.h"
#include "config/config.h"
#include "lib/clock.h"
#include "lib/ev.h"
#include "tests/harness.h"

#define BASIC		"tests/tools/fakeproc/basic"
#define TTL_LONG	3600000	/* never expires during a test */
/* Loop passes to wait for a refresh: each sleeps at most 10 ms. */
#define PASSES		500

static char tmpdir[] = "/tmp/proctel-test-cache.XXXXXX";
static char link_a[PATH_MAX], link_b[PATH_MAX];
static struct cfg_agent *conf;
static struct ev *ev;

/* Point path at the basic tree; returns 0 or -1. */
static int
link_basic(const char *path)
{
	char target[PATH_MAX];

	if (realpath(BASIC, target) == NULL)
		return -1;
	(void)unlink(path);
	return symlink(target, path);
}

/* The settings a cache reads, in the shared conf. */
static void
set_conf(const char *root, bool cmdline, uint32_t ttl_ms)
{
	free(conf->ca_proc_root);
	conf->ca_proc_root = strdup(root);
	conf->ca_expose_cmdline = cmdline;
	conf->ca_cache_ttl_ms = ttl_ms;
}

/* A started cache with its first snapshot, on a fresh loop; or NULL. */
static struct cache *
new_cache(const char *root, bool cmdline, uint32_t ttl_ms)
{
	struct cache *c;

	ev_free(ev);
	if ((ev = ev_new(4)) == NULL)
		abort();
	set_conf(root, cmdline, ttl_ms);
	c = cache_new(conf);
	CHECK(c != NULL);
	if (c == NULL)
		return NULL;
	CHECK_INT(cache_first(c), ==, 0);
	CHECK_INT(cache_start(c, ev), ==, 0);
	return c;
}

static const struct procfs_snapshot *
ask(struct cache *c, uint64_t gen, bool walk)
{
	return cache_snap(c, gen, walk, clock_mono_ms());
}

/* Run the loop until the refresh counts reach want, or give up. */
static void
wait_refreshes(struct cache *c, uint64_t want)
{
	const struct cache_stats *st = cache_stats(c);
	int i;

	for (i = 0; i < PASSES; i++) {
		if (st->cs_refreshes + st->cs_failures + st->cs_discarded >=
		    want && !cache_busy(c))
			return;
		(void)ev_run_once(ev, 10);
	}
}

static void
a_missing_root_fails_at_the_first_snapshot(void)
{
	struct cache *c;

	set_conf("/nonexistent/proctel-proc", false, 1000);
	c = cache_new(conf);
	CHECK(c != NULL);
	CHECK_INT(cache_first(c), ==, PROCFS_ENOROOT);
	cache_free(c);
	cache_free(NULL);
}

static void
a_fresh_snapshot_is_served_without_rereading(void)
{
	const struct procfs_snapshot *s1;
	struct cache *c;
	int i;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = ask(c, 0, false);
	CHECK_U64(s1->ps_count, >, 0);
	CHECK_U64(s1->ps_gen, ==, 1);
	for (i = 0; i < 20; i++) {
		CHECK(ask(c, 0, false) == s1);
		(void)ev_run_once(ev, 1);
	}
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 0);
	CHECK_U64(cache_stats(c)->cs_inline, ==, 1);
	cache_free(c);
}

static void
a_stale_snapshot_is_answered_at_once_and_refreshed_beside_the_loop(void)
{
	const struct procfs_snapshot *s1, *s2;
	struct cache *c;

	if ((c = new_cache(link_a, false, 0)) == NULL)
		return;
	s1 = ask(c, 0, false);
	/* Stale (TTL 0), yet the request got it without any refresh. */
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 0);
	CHECK(!cache_busy(c));
	wait_refreshes(c, 1);
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 1);
	s2 = ask(c, 0, false);
	CHECK(s2 != s1);
	CHECK_U64(s2->ps_gen, ==, 2);
	CHECK_U64(s2->ps_count, ==, s1->ps_count);
	/* Only the first snapshot was ever taken in this thread. */
	CHECK_U64(cache_stats(c)->cs_inline, ==, 1);
	cache_free(c);
}

static void
an_idle_cache_reads_nothing(void)
{
	struct cache *c;
	int i;

	if ((c = new_cache(link_a, false, 0)) == NULL)
		return;
	for (i = 0; i < 10; i++)
		(void)ev_run_once(ev, 5);
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 0);
	CHECK(!cache_busy(c));
	cache_free(c);
}

static void
requests_during_a_refresh_are_answered_and_counted(void)
{
	const struct procfs_snapshot *s;
	struct cache *c;
	int i;

	if ((c = new_cache(link_a, false, 0)) == NULL)
		return;
	for (i = 0; i < PASSES && cache_stats(c)->cs_during == 0; i++) {
		s = ask(c, 0, false);
		CHECK(s != NULL);
		(void)ev_run_once(ev, 0);
		if (cache_busy(c))
			(void)ask(c, 0, false);
	}
	CHECK_U64(cache_stats(c)->cs_during, >, 0);
	cache_free(c);
}

static void
a_walk_keeps_its_snapshot_across_a_swap(void)
{
	const struct procfs_snapshot *s1, *s2;
	struct cache *c;
	uint64_t g1, now;

	if ((c = new_cache(link_a, false, 0)) == NULL)
		return;
	s1 = ask(c, 0, true);
	g1 = s1->ps_gen;
	wait_refreshes(c, 1);
	now = clock_mono_ms();
	s2 = cache_snap(c, 0, false, now);
	CHECK(s2 != s1);
	CHECK_U64(cache_stats(c)->cs_kept, ==, 1);
	/* The walk on s1 still reads s1; anyone else the new one. */
	CHECK(cache_snap(c, g1, true, now) == s1);
	CHECK_U64(s1->ps_gen, ==, g1);
	CHECK(cache_snap(c, 0, true, now) == s2);
	/* A generation never handed out gets the newest. */
	CHECK(cache_snap(c, g1 + 7, true, now) == s2);
	/* Past the grace the walk moves on, torn but never stuck. */
	CHECK(cache_snap(c, g1, true, now + CACHE_GRACE_MAX_MS) == s2);
	cache_free(c);
}

static void
a_kept_snapshot_holds_the_next_refresh_until_its_walk_stops(void)
{
	const struct procfs_snapshot *s1;
	struct cache *c;
	uint64_t g1, t0;

	if ((c = new_cache(link_a, false, 0)) == NULL)
		return;
	s1 = ask(c, 0, true);
	g1 = s1->ps_gen;
	wait_refreshes(c, 1);
	CHECK_U64(cache_stats(c)->cs_kept, ==, 1);
	/* The walk goes on and someone asks: its slot is not refilled. */
	t0 = clock_mono_ms();
	CHECK(ask(c, g1, true) == s1);
	(void)ev_run_once(ev, 0);
	CHECK(!cache_busy(c));
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 1);
	/* Once it has been quiet for CACHE_WALK_IDLE_MS, the refresh runs. */
	wait_refreshes(c, 2);
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 2);
	CHECK_U64(clock_mono_ms() - t0, >=, CACHE_WALK_IDLE_MS);
	CHECK(ask(c, g1, true) != s1 || s1->ps_gen != g1);
	cache_free(c);
}

static void
a_failed_refresh_keeps_the_old_snapshot(void)
{
	const struct procfs_snapshot *s1, *s2;
	struct cache *c;
	size_t n;

	CHECK_INT(link_basic(link_b), ==, 0);
	if ((c = new_cache(link_b, false, 0)) == NULL)
		return;
	s1 = ask(c, 0, false);
	n = s1->ps_count;
	CHECK_INT(unlink(link_b), ==, 0);
	wait_refreshes(c, 1);
	CHECK_U64(cache_stats(c)->cs_failures, ==, 1);
	s2 = ask(c, 0, false);
	CHECK(s2 == s1);
	CHECK_U64(s2->ps_count, ==, n);
	CHECK_U64(s2->ps_gen, ==, 1);
	CHECK_INT(link_basic(link_b), ==, 0);
	cache_free(c);
}

static void
a_reload_naming_an_unreadable_root_changes_nothing(void)
{
	const struct procfs_snapshot *s1;
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = ask(c, 0, false);
	set_conf("/nonexistent/proctel-proc", false, 0);
	CHECK_INT(cache_configure(c, conf), <, 0);
	(void)ev_run_once(ev, 5);
	CHECK(!cache_busy(c));
	CHECK(ask(c, 0, false) == s1);
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 0);
	cache_free(c);
}

static void
a_reload_with_a_new_root_refreshes_at_once_unasked(void)
{
	const struct procfs_snapshot *s1, *s2;
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = ask(c, 0, false);
	set_conf(link_b, false, TTL_LONG);
	CHECK_INT(cache_configure(c, conf), ==, 0);
	wait_refreshes(c, 1);
	CHECK_U64(cache_stats(c)->cs_refreshes, ==, 1);
	s2 = ask(c, 0, false);
	CHECK(s2 != s1);
	CHECK_U64(s2->ps_count, ==, s1->ps_count);
	cache_free(c);
}

static void
a_reload_during_a_refresh_discards_it_and_takes_another(void)
{
	struct cache *c;
	int i;

	if ((c = new_cache(link_a, false, 0)) == NULL)
		return;
	/* Catch a refresh running, then turn command lines on. */
	for (i = 0; i < PASSES && !cache_busy(c); i++) {
		(void)ask(c, 0, false);
		(void)ev_run_once(ev, 0);
	}
	if (!cache_busy(c)) {
		T_SKIP("never caught a refresh running");
		cache_free(c);
		return;
	}
	set_conf(link_a, true, TTL_LONG);
	CHECK_INT(cache_configure(c, conf), ==, 0);
	wait_refreshes(c, cache_stats(c)->cs_refreshes + 2);
	CHECK_U64(cache_stats(c)->cs_discarded, ==, 1);
	/* The snapshot in service was read with the new settings. */
	CHECK_STR(ask(c, 0, false)->ps_procs[0].pp_cmdline,
	    "/sbin/init splash");
	cache_free(c);
}

static void
a_reload_changing_only_the_ttl_reads_nothing(void)
{
	const struct procfs_snapshot *s1;
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = ask(c, 0, false);
	conf->ca_cache_ttl_ms = TTL_LONG - 1;
	CHECK_INT(cache_configure(c, conf), ==, 0);
	(void)ev_run_once(ev, 5);
	CHECK(!cache_busy(c));
	CHECK(ask(c, 0, false) == s1);
	/* And the new TTL applies: 0 refreshes after the next request. */
	conf->ca_cache_ttl_ms = 0;
	CHECK_INT(cache_configure(c, conf), ==, 0);
	(void)ask(c, 0, false);
	wait_refreshes(c, 1);
	CHECK(ask(c, 0, false) != s1);
	cache_free(c);
}

static void
cleanup(void)
{
	(void)unlink(link_a);
	(void)unlink(link_b);
	(void)rmdir(tmpdir);
	cfg_agent_free(conf);
	ev_free(ev);
}

int
main(void)
{
	int r;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	r = snprintf(link_a, sizeof(link_a), "%s/a", tmpdir);
	if (r < 0 || (size_t)r >= sizeof(link_a) ||
	    snprintf(link_b, sizeof(link_b), "%s/b", tmpdir) < 0 ||
	    link_basic(link_a) == -1 || link_basic(link_b) == -1 ||
	    (conf = cfg_agent_defaults()) == NULL) {
		perror("setup");
		return 1;
	}
	atexit(cleanup);
	RUN(a_missing_root_fails_at_the_first_snapshot);
	RUN(a_fresh_snapshot_is_served_without_rereading);
	RUN(a_stale_snapshot_is_answered_at_once_and_refreshed_beside_the_loop);
	RUN(an_idle_cache_reads_nothing);
	RUN(requests_during_a_refresh_are_answered_and_counted);
	RUN(a_walk_keeps_its_snapshot_across_a_swap);
	RUN(a_kept_snapshot_holds_the_next_refresh_until_its_walk_stops);
	RUN(a_failed_refresh_keeps_the_old_snapshot);
	RUN(a_reload_naming_an_unreadable_root_changes_nothing);
	RUN(a_reload_with_a_new_root_refreshes_at_once_unasked);
	RUN(a_reload_during_a_refresh_discards_it_and_takes_another);
	RUN(a_reload_changing_only_the_ttl_reads_nothing);
	return t_done();
}
