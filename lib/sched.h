/*
 * sched: timers as a binary min-heap of (deadline, id) with a
 * position index so that setting, moving and cancelling a timer are
 * O(log n) (Redis' ae keeps an O(n) list; thousands of in-flight targets
 * need a heap).  Ids are small integers (target ids) below the capacity
 * given at creation; each id has at most one timer.  Also the daemon's
 * drift-free run slots.  No I/O, no clock reads: callers pass times in.
 */
#ifndef PT_LIB_SCHED_H
#define PT_LIB_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sched;

/* Returns a new heap for ids 0..nids-1, free with sched_free(); NULL on ENOMEM. */
struct sched	*sched_new(size_t nids);
void		 sched_free(struct sched *s);
/* Arm (or re-arm) id's timer at `when`.  Ids >= nids are ignored. */
void		 sched_set(struct sched *s, uint32_t id, uint64_t when);
/* Disarm id's timer; a no-op when it is not armed. */
void		 sched_cancel(struct sched *s, uint32_t id);
bool		 sched_armed(const struct sched *s, uint32_t id);
/* The earliest timer; false when none is armed. */
bool		 sched_peek(const struct sched *s, uint32_t *id,
		    uint64_t *when);
/* Disarm and return the earliest timer that is due (when <= now). */
bool		 sched_pop_due(struct sched *s, uint64_t now, uint32_t *id);
size_t		 sched_count(const struct sched *s);

/*
 * The daemon's next run start: the first origin + k * interval (k >= 1)
 * strictly after `last` and not before `now`, so runs never drift and slots
 * missed while a run overran are skipped, not run back to back.
 */
uint64_t	 sched_next_slot(uint64_t origin, uint64_t interval,
		    uint64_t last, uint64_t now);

#endif
