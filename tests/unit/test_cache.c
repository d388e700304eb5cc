/*
 * test_cache: the agent's snapshot cache (agent/cache.c) on the fake tree
 * tests/tools/fakeproc/basic: the first snapshot at start, serving a fresh
 * snapshot without rereading, swapping buffers on refresh, keeping the old
 * snapshot when a refresh or a reload fails.  The tree is reached through
 * a symlink in a temporary directory, so a test can make it vanish.  Not
 * procfs parsing (test_procfs.c).
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
#include "tests/harness.h"

#define BASIC		"tests/tools/fakeproc/basic"
#define TTL_LONG	3600000	/* never expires during a test */

static char tmpdir[] = "/tmp/proctel-test-cache.XXXXXX";
static char link_a[PATH_MAX], link_b[PATH_MAX];

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

/* A cache over root, or NULL after a failed check. */
static struct cache *
new_cache(const char *root, bool with_cmdline, uint32_t ttl_ms)
{
	struct cache *c;
	int err = 0;

	c = cache_new(root, with_cmdline, ttl_ms, &err);
	CHECK(c != NULL);
	return c;
}

static void
a_missing_root_fails_at_start(void)
{
	struct cache *c;
	int err = 0;

	c = cache_new("/nonexistent/proctel-proc", false, 1000, &err);
	CHECK(c == NULL);
	CHECK_INT(err, ==, PROCFS_ENOROOT);
	/* What the caller does with the failure: free it, a no-op. */
	cache_free(c);
}

static void
the_first_snapshot_is_taken_at_start(void)
{
	const struct procfs_snapshot *s;
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	CHECK_U64(cache_refreshes(c), ==, 1);
	s = cache_snap(c);
	CHECK(s != NULL);
	CHECK_U64(s->ps_count, >, 0);
	CHECK_U64(cache_refreshes(c), ==, 1);
	cache_free(c);
}

static void
a_fresh_snapshot_is_served_without_rereading(void)
{
	const struct procfs_snapshot *s1, *s2;
	struct cache *c;
	int i;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = cache_snap(c);
	for (i = 0; i < 100; i++) {
		s2 = cache_snap(c);
		CHECK(s2 == s1);
	}
	CHECK_U64(cache_refreshes(c), ==, 1);
	CHECK_U64(cache_failures(c), ==, 0);
	cache_free(c);
}

static void
ttl_zero_refreshes_every_request_into_the_other_buffer(void)
{
	const struct procfs_snapshot *s1, *s2, *s3;
	struct cache *c;
	size_t n;

	if ((c = new_cache(link_a, false, 0)) == NULL)
		return;
	s1 = cache_snap(c);
	n = s1->ps_count;
	s2 = cache_snap(c);
	s3 = cache_snap(c);
	CHECK(s1 != s2);
	CHECK(s3 == s1);
	CHECK_U64(s2->ps_count, ==, n);
	CHECK_U64(s3->ps_count, ==, n);
	CHECK_U64(cache_refreshes(c), ==, 4);
	cache_free(c);
}

static void
a_failed_refresh_keeps_the_old_snapshot(void)
{
	const struct procfs_snapshot *s1, *s2, *s3;
	struct cache *c;
	size_t n;

	CHECK_INT(link_basic(link_b), ==, 0);
	if ((c = new_cache(link_b, false, 0)) == NULL)
		return;
	s1 = cache_snap(c);
	n = s1->ps_count;
	CHECK_INT(unlink(link_b), ==, 0);
	s2 = cache_snap(c);
	CHECK(s2 == s1);
	CHECK_U64(s2->ps_count, ==, n);
	CHECK_U64(cache_failures(c), ==, 1);
	/*
	 * Again (within the retry delay or not: no timing is tested), the
	 * old snapshot is served.
	 */
	s3 = cache_snap(c);
	CHECK(s3 == s1);
	CHECK_U64(s3->ps_count, ==, n);
	CHECK_INT(link_basic(link_b), ==, 0);
	cache_free(c);
}

static void
a_reload_naming_an_unreadable_root_changes_nothing(void)
{
	const struct procfs_snapshot *s1, *s2;
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = cache_snap(c);
	CHECK_INT(cache_configure(c, "/nonexistent/proctel-proc", false, 0),
	    <, 0);
	s2 = cache_snap(c);
	CHECK(s2 == s1);
	/* The TTL was not applied either: still no refresh. */
	CHECK_U64(cache_refreshes(c), ==, 1);
	cache_free(c);
}

static void
a_reload_with_a_new_root_takes_a_snapshot_at_once(void)
{
	const struct procfs_snapshot *s1, *s2;
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = cache_snap(c);
	CHECK_INT(cache_configure(c, link_b, false, TTL_LONG), ==, 0);
	CHECK_U64(cache_refreshes(c), ==, 2);
	s2 = cache_snap(c);
	CHECK(s2 != s1);
	CHECK_U64(s2->ps_count, ==, s1->ps_count);
	cache_free(c);
}

static void
toggling_expose_cmdline_takes_a_snapshot_at_once(void)
{
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	CHECK_INT(cache_configure(c, link_a, true, TTL_LONG), ==, 0);
	CHECK_U64(cache_refreshes(c), ==, 2);
	CHECK_INT(cache_configure(c, link_a, false, TTL_LONG), ==, 0);
	CHECK_U64(cache_refreshes(c), ==, 3);
	cache_free(c);
}

static void
a_reload_changing_only_the_ttl_reads_nothing(void)
{
	const struct procfs_snapshot *s1;
	struct cache *c;

	if ((c = new_cache(link_a, false, TTL_LONG)) == NULL)
		return;
	s1 = cache_snap(c);
	CHECK_INT(cache_configure(c, link_a, false, TTL_LONG - 1), ==, 0);
	CHECK_U64(cache_refreshes(c), ==, 1);
	CHECK(cache_snap(c) == s1);
	/* And the new TTL applies: 0 refreshes on the next request. */
	CHECK_INT(cache_configure(c, link_a, false, 0), ==, 0);
	CHECK(cache_snap(c) != s1);
	CHECK_U64(cache_refreshes(c), ==, 2);
	cache_free(c);
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
	    link_basic(link_a) == -1 || link_basic(link_b) == -1) {
		perror("fake proc links");
		return 1;
	}

	RUN(a_missing_root_fails_at_start);
	RUN(the_first_snapshot_is_taken_at_start);
	RUN(a_fresh_snapshot_is_served_without_rereading);
	RUN(ttl_zero_refreshes_every_request_into_the_other_buffer);
	RUN(a_failed_refresh_keeps_the_old_snapshot);
	RUN(a_reload_naming_an_unreadable_root_changes_nothing);
	RUN(a_reload_with_a_new_root_takes_a_snapshot_at_once);
	RUN(toggling_expose_cmdline_takes_a_snapshot_at_once);
	RUN(a_reload_changing_only_the_ttl_reads_nothing);

	(void)unlink(link_a);
	(void)unlink(link_b);
	(void)rmdir(tmpdir);
	return t_done();
}
