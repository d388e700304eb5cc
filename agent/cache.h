/*
 * cache: the agent's /proc snapshots, taken off the request path.  Two are
 * kept: requests read the current one, never waiting; a refresh thread
 * fills the other and the loop swaps them.  A refresh starts (from an
 * ev hook, after the replies of a batch are sent) when a request was
 * answered from a snapshot older than cache_ttl_ms, so an idle agent reads
 * nothing.  A failed refresh keeps the current snapshot in service and is
 * logged, rate-limited.
 *
 * Walks: the snapshot a newer one replaced stays readable, by its
 * generation, while walks that began on it go on (each was served from it
 * within CACHE_WALK_IDLE_MS), up to CACHE_GRACE_MAX_MS; the next refresh
 * waits for it.  Which request continues which walk is the engine's to
 * know (agent/pin.h).
 *
 * Threads: every function here runs in the loop's thread; the refresh
 * thread only takes the snapshot it is given, and hands it back through an
 * eventfd.  Start it with cache_start() after any fork (daemon) and
 * privilege drop, so it reads /proc as the user that serves.
 */
#ifndef PT_CACHE_H
#define PT_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/procfs.h"

struct cache;
struct cfg_agent;
struct ev;

/* A walk keeps its snapshot while its requests come this close together. */
#define CACHE_WALK_IDLE_MS	1000
/* and for this long at most after a newer snapshot came into service. */
#define CACHE_GRACE_MAX_MS	10000

/* For logs and tests. */
struct cache_stats {
	uint64_t	cs_refreshes;	/* snapshots taken by the refresh thread */
	uint64_t	cs_failures;	/* refreshes that failed */
	uint64_t	cs_inline;	/* taken in the loop's thread (the first) */
	uint64_t	cs_discarded;	/* taken under a config since replaced */
	uint64_t	cs_during;	/* requests answered while one ran */
	uint64_t	cs_kept;	/* times a replaced one was kept for walks */
};

/*
 * Returns a new cache reading what ca says (proc_root, expose_cmdline,
 * cmdline_budget_bytes, cache_ttl_ms; copied), with no snapshot yet, or
 * NULL (ENOMEM).  Free with cache_free(), which stops the thread.
 */
struct cache *cache_new(const struct cfg_agent *ca);
void	cache_free(struct cache *c);

/*
 * Take the first snapshot here, in the caller's thread, so an unreadable
 * /proc is a start-up error: 0 or a negative enum procfs_err.
 */
int	cache_first(struct cache *c);

/*
 * Start the refresh thread and hook the cache into ev (borrowed; it must
 * outlive the cache).  0, or -1 with errno set.
 */
int	cache_start(struct cache *c, struct ev *ev);

/*
 * Apply a reloaded configuration.  A new proc_root is checked at once
 * (procfs_check(): its directory and host-wide files, not every process);
 * if that fails nothing changes and a negative enum procfs_err is
 * returned, so the caller can refuse the new configuration.  A change of
 * root or of what is read makes the next refresh start at once.
 */
int	cache_configure(struct cache *c, const struct cfg_agent *ca);

/*
 * The engine_snap_fn (arg is the struct cache).  With gen 0, the current
 * snapshot; with the generation of the one it replaced, while that is
 * still kept, that one (else the current).  walk says the request is a
 * GETNEXT or GETBULK, which keeps its snapshot alive as above.  Never
 * NULL after cache_first(); borrowed until control returns to the loop.
 */
const struct procfs_snapshot *cache_snap(void *arg, uint64_t gen, bool walk,
	    uint64_t now_ms);

const struct cache_stats *cache_stats(const struct cache *c);
/* A refresh is running (for tests). */
bool	cache_busy(const struct cache *c);

#endif
