/*
 * budget: a reply-byte budget per source address, so the agent cannot be
 * used to reflect traffic at a third party whose address a request forges.
 * Each source has a token bucket of reply octets (a rate per second and a
 * burst) in a fixed table of BUDGET_SLOTS: no allocation per source, and a
 * source evicted by others starts again with a full bucket, which is what
 * an idle one has anyway.  Sources inside an exempt prefix (loopback by
 * default: no outside host can forge it) are never counted.  No I/O, no
 * logging, no clock reads: callers pass the time in.
 */
#ifndef PT_BUDGET_H
#define PT_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/addr.h"

/* Sources tracked at once, in sets of BUDGET_WAYS. */
#define BUDGET_SLOTS	1024
#define BUDGET_WAYS	4

struct budget;

/* Returns a new budget, off until configured, or NULL (ENOMEM). */
struct budget *budget_new(void);
void	budget_free(struct budget *b);

/*
 * rate octets per second (0: no budget at all), burst octets at most in a
 * bucket; exempt[0..n) is borrowed until the next call.  Buckets keep
 * their levels, cut to the new burst.
 */
void	budget_configure(struct budget *b, uint32_t rate, uint32_t burst,
	    const struct addr_cidr *exempt, size_t nexempt);

/*
 * May a reply of len octets go to src at now_ns (clock_mono_ns())?  When
 * yes its octets are taken from src's bucket.  A source of an unknown
 * family is always refused.
 */
bool	budget_take(struct budget *b, const struct sockaddr *src, size_t len,
	    uint64_t now_ns);

#endif
