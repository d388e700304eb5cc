/*
 * targets: which of the configuration's targets this process polls.  A
 * stable hash of the target's name (FNV-1a, 32 bits) decides its shard, so
 * `--shard K/N` partitions the targets exactly and the same target always
 * lands in the same shard, whatever the order of the file.  No I/O.
 */
#ifndef PT_TARGETS_H
#define PT_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

struct target_list {
	const struct cfg_target	**tl_targets;	/* borrowed from the config */
	size_t			  tl_n;
};

/* FNV-1a (32-bit) of a NUL-terminated string. */
uint32_t	targets_hash(const char *s);
/* Does the target named `name` belong to shard k of n (n >= 1, k < n)? */
int		targets_in_shard(const char *name, uint32_t k, uint32_t n);
/*
 * Fill tl with cc's targets in shard k of n (n == 0 or 1: all), in file
 * order.  Returns 0, or -1 on ENOMEM.  Free with targets_free().
 */
int		targets_select(const struct cfg_collector *cc, uint32_t k,
		    uint32_t n, struct target_list *tl);
void		targets_free(struct target_list *tl);
/*
 * Parse "K/N" with 0 <= K < N <= 65536.  Returns 0, or -1 with *errstr set.
 */
int		targets_parse_shard(const char *s, uint32_t *k, uint32_t *n,
		    const char **errstr);

#endif
