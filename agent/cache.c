/*
 * cache: two /proc snapshots, one in service and one spare, swapped after
 * each successful refresh.  This file decides when to refresh and what to
 * do when a refresh fails; reading /proc is procfs.c's job.
 *
 * Refreshing happens on the request path, lazily, when a request finds the
 * snapshot older than the TTL: an idle agent never reads /proc.  Only then
 * does a request cost more than its receive and send; procfs reuses the
 * spare's buffers, so a refresh allocates only when the process count
 * grows.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/cache.h"
#include "lib/clock.h"
#include "lib/log.h"

/* After a failed refresh, wait this long before reading /proc again. */
#define CACHE_RETRY_MS		1000
/* At most one warning about failed refreshes per this interval. */
#define CACHE_WARN_EVERY_MS	60000

struct cache {
	struct procfs_snapshot	 c_snap[2];
	unsigned		 c_cur;		/* the one in service */
	char			*c_root;
	bool			 c_cmdline;
	uint32_t		 c_ttl_ms;
	uint64_t		 c_retry_ms;	/* after a failure */
	uint64_t		 c_warned_ms;	/* last warning */
	bool			 c_has_warned;
	uint64_t		 c_quiet;	/* failures not logged since */
	uint64_t		 c_refreshes;
	uint64_t		 c_failures;
};

struct cache *
cache_new(const char *root, bool with_cmdline, uint32_t ttl_ms, int *err)
{
	struct cache *c;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto nomem;
	if ((c->c_root = strdup(root)) == NULL)
		goto nomem;
	c->c_cmdline = with_cmdline;
	c->c_ttl_ms = ttl_ms;
	if ((r = procfs_snapshot_take(c->c_root, c->c_cmdline,
	    &c->c_snap[0])) != 0) {
		*err = r;
		cache_free(c);
		return NULL;
	}
	c->c_cur = 0;
	c->c_refreshes = 1;
	return c;

nomem:
	*err = PROCFS_ENOMEM;
	cache_free(c);
	return NULL;
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	procfs_snapshot_free(&c->c_snap[0]);
	procfs_snapshot_free(&c->c_snap[1]);
	free(c->c_root);
	free(c);
}

int
cache_configure(struct cache *c, const char *root, bool with_cmdline,
    uint32_t ttl_ms)
{
	unsigned spare = c->c_cur ^ 1;
	char *nroot;
	int r;

	if (strcmp(root, c->c_root) != 0 || with_cmdline != c->c_cmdline) {
		/*
		 * Take the new snapshot before committing to anything, so a
		 * reload naming an unreadable tree changes nothing.  Switching
		 * expose_cmdline off must not leave command lines in service
		 * either, hence a snapshot now rather than at the next TTL.
		 */
		if ((nroot = strdup(root)) == NULL)
			return PROCFS_ENOMEM;
		if ((r = procfs_snapshot_take(nroot, with_cmdline,
		    &c->c_snap[spare])) != 0) {
			free(nroot);
			return r;
		}
		free(c->c_root);
		c->c_root = nroot;
		c->c_cmdline = with_cmdline;
		c->c_cur = spare;
		c->c_retry_ms = 0;
		c->c_refreshes++;
	}
	c->c_ttl_ms = ttl_ms;
	return 0;
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

const struct procfs_snapshot *
cache_snap(void *arg)
{
	struct cache *c = arg;
	unsigned spare = c->c_cur ^ 1;
	uint64_t now;
	int r;

	now = clock_mono_ms();
	/*
	 * The snapshot's own start time is its age; the unsigned difference
	 * makes a TTL of 0 refresh on every request.
	 */
	if (now - c->c_snap[c->c_cur].ps_taken_ms < c->c_ttl_ms ||
	    now < c->c_retry_ms)
		return &c->c_snap[c->c_cur];
	if ((r = procfs_snapshot_take(c->c_root, c->c_cmdline,
	    &c->c_snap[spare])) != 0) {
		c->c_failures++;
		c->c_retry_ms = now + CACHE_RETRY_MS;
		cache_warn(c, r, now);
		return &c->c_snap[c->c_cur];
	}
	c->c_cur = spare;
	c->c_retry_ms = 0;
	c->c_refreshes++;
	return &c->c_snap[c->c_cur];
}

uint64_t
cache_refreshes(const struct cache *c)
{
	return c->c_refreshes;
}

uint64_t
cache_failures(const struct cache *c)
{
	return c->c_failures;
}
