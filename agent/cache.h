/*
 * cache: the agent's /proc snapshot cache.  Two snapshots are kept and
 * swapped: requests read the current one; when it is older than the TTL,
 * the next request refreshes into the spare (reusing its buffers) and
 * swaps.  A walk therefore sees one consistent snapshot as long as it
 * finishes within the TTL.  A failed refresh keeps the old snapshot in
 * service and is logged, rate-limited.  Not thread-safe: the agent has one
 * thread.
 */
#ifndef PT_CACHE_H
#define PT_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/procfs.h"

struct cache;

/*
 * Returns a new cache reading the tree at root (copied) with command lines
 * when with_cmdline, refreshed after ttl_ms.  The first snapshot is taken
 * here, so an unreadable /proc is a start-up error: on failure returns NULL
 * with *err a negative enum procfs_err (see procfs_strerror()).
 * Free with cache_free().
 */
struct cache *cache_new(const char *root, bool with_cmdline, uint32_t ttl_ms,
	    int *err);
void	cache_free(struct cache *c);

/*
 * Apply a reloaded configuration.  When root or with_cmdline change, a
 * snapshot is taken now with the new settings; if that fails the cache is
 * left exactly as it was and a negative enum procfs_err is returned, so the
 * caller can refuse the new configuration.  Returns 0 on success.
 */
int	cache_configure(struct cache *c, const char *root, bool with_cmdline,
	    uint32_t ttl_ms);

/*
 * The engine_snap_fn (arg is the struct cache): the current snapshot,
 * refreshed first when older than the TTL.  Never NULL.  The result is
 * borrowed until the next call.
 */
const struct procfs_snapshot *cache_snap(void *arg);

/* Successful refreshes and failed ones since start (for tests and logs). */
uint64_t cache_refreshes(const struct cache *c);
uint64_t cache_failures(const struct cache *c);

#endif
