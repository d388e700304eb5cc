/*
 * Unit tests of collector/targets.c: FNV-1a, --shard parsing, and that the
 * shards of N partition the targets exactly.
 */
#include <stdio.h>
#include <stdlib.h>

#include "collector/targets.h"
#include "tests/harness.h"

static void
fnv1a_matches_the_published_vectors(void)
{
	/* FNV-1a 32-bit test vectors (draft-eastlake-fnv). */
	CHECK_U64(targets_hash(""), ==, 0x811c9dc5u);
	CHECK_U64(targets_hash("a"), ==, 0xe40c292cu);
	CHECK_U64(targets_hash("foobar"), ==, 0xbf9cf968u);
}

static void
shard_specs_parse_and_bad_ones_are_refused(void)
{
	uint32_t k = 9, n = 9;
	const char *errstr;

	CHECK_INT(targets_parse_shard("0/2", &k, &n, &errstr), ==, 0);
	CHECK_INT(k, ==, 0);
	CHECK_INT(n, ==, 2);
	CHECK_INT(targets_parse_shard("6/7", &k, &n, &errstr), ==, 0);
	CHECK_INT(k, ==, 6);
	CHECK_INT(targets_parse_shard("2/2", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard("0/0", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard("-1/2", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard("1", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard("/2", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard("1/", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard("a/b", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard("0/99999999999", &k, &n, &errstr), ==,
	    -1);
	/* proctel-collector(1): N is at most 65536. */
	CHECK_INT(targets_parse_shard("65535/65536", &k, &n, &errstr), ==, 0);
	CHECK_INT(k, ==, 65535);
	CHECK_INT(n, ==, 65536);
	CHECK_INT(targets_parse_shard("0/65537", &k, &n, &errstr), ==, -1);
	CHECK_INT(targets_parse_shard(NULL, &k, &n, &errstr), ==, -1);
}

static void
shards_partition_the_targets_exactly(void)
{
	enum { NT = 500 };
	struct cfg_collector cc;
	static struct cfg_target t[NT];
	static char names[NT][32];
	struct target_list tl;
	static int seen[NT];
	uint32_t k, n;
	size_t i, j, total;
	int bad = 0;

	memset(&cc, 0, sizeof(cc));
	for (i = 0; i < NT; i++) {
		snprintf(names[i], sizeof(names[i]), "host-%zu.example", i);
		t[i].ct_name = names[i];
		t[i].ct_host = names[i];
	}
	cc.cc_targets = t;
	cc.cc_ntargets = NT;
	for (n = 1; n <= 7; n++) {
		memset(seen, 0, sizeof(seen));
		total = 0;
		for (k = 0; k < n; k++) {
			CHECK_INT(targets_select(&cc, k, n, &tl), ==, 0);
			for (j = 0; j < tl.tl_n; j++) {
				seen[tl.tl_targets[j] - t]++;
				/* The same name always lands in the same shard. */
				if (!targets_in_shard(tl.tl_targets[j]->ct_name,
				    k, n))
					bad++;
			}
			/* File order is kept. */
			for (j = 1; j < tl.tl_n; j++)
				if (tl.tl_targets[j - 1] >= tl.tl_targets[j])
					bad++;
			if (n == 2 && (tl.tl_n < NT / 4 || tl.tl_n > 3 * NT / 4))
				bad++;	/* a hash this skewed is broken */
			total += tl.tl_n;
			targets_free(&tl);
		}
		CHECK_INT(total, ==, NT);
		for (i = 0; i < NT; i++)
			if (seen[i] != 1)
				bad++;
	}
	CHECK_INT(bad, ==, 0);
	targets_free(NULL);
}

int
main(void)
{
	RUN(fnv1a_matches_the_published_vectors);
	RUN(shard_specs_parse_and_bad_ones_are_refused);
	RUN(shards_partition_the_targets_exactly);
	return t_done();
}
