/*
 * targets: shard selection of the configured targets (see targets.h).  The
 * per-target poll state lives in poll_target.c; this file only chooses.
 */
#include <stdlib.h>
#include <string.h>

#include "collector/targets.h"
#include "lib/strnum.h"

#define FNV32_OFFSET	2166136261u
#define FNV32_PRIME	16777619u
#define SHARD_MAX	65536

uint32_t
targets_hash(const char *s)
{
	uint32_t h = FNV32_OFFSET;

	for (; *s != '\0'; s++) {
		h ^= (uint8_t)*s;
		h *= FNV32_PRIME;
	}
	return h;
}

int
targets_in_shard(const char *name, uint32_t k, uint32_t n)
{
	if (n <= 1)
		return 1;
	return targets_hash(name) % n == k;
}

int
targets_select(const struct cfg_collector *cc, uint32_t k, uint32_t n,
    struct target_list *tl)
{
	size_t i;

	tl->tl_n = 0;
	tl->tl_targets = calloc(cc->cc_ntargets ? cc->cc_ntargets : 1,
	    sizeof(*tl->tl_targets));
	if (tl->tl_targets == NULL)
		return -1;
	for (i = 0; i < cc->cc_ntargets; i++) {
		const struct cfg_target *t = &cc->cc_targets[i];

		if (targets_in_shard(t->ct_name != NULL ? t->ct_name :
		    t->ct_host, k, n))
			tl->tl_targets[tl->tl_n++] = t;
	}
	return 0;
}

void
targets_free(struct target_list *tl)
{
	if (tl == NULL)
		return;
	free(tl->tl_targets);
	tl->tl_targets = NULL;
	tl->tl_n = 0;
}

int
targets_parse_shard(const char *s, uint32_t *k, uint32_t *n,
    const char **errstr)
{
	const char *slash;
	char kbuf[16];
	uint64_t kv, nv;
	size_t klen;

	if (s == NULL || (slash = strchr(s, '/')) == NULL) {
		*errstr = "not K/N";
		return -1;
	}
	klen = (size_t)(slash - s);
	if (klen == 0 || klen >= sizeof(kbuf)) {
		*errstr = "not K/N";
		return -1;
	}
	memcpy(kbuf, s, klen);
	kbuf[klen] = '\0';
	if (strnum_u64(slash + 1, 1, SHARD_MAX, &nv, errstr) == -1)
		return -1;
	if (strnum_u64(kbuf, 0, nv - 1, &kv, errstr) == -1) {
		*errstr = "K must be 0 <= K < N";
		return -1;
	}
	*k = (uint32_t)kv;
	*n = (uint32_t)nv;
	*errstr = NULL;
	return 0;
}
