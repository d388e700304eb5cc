/*
 * harness: the unit tests' own tiny test runner.  A test is a static void
 * function whose name is a sentence; RUN() calls it and counts it passed
 * unless a check inside failed.  A failed check prints file, line, the
 * expression and both values, and the test goes on.  A test that cannot run
 * here calls T_SKIP("why") and returns: it is counted as skipped, never as
 * passed, and tests/run.sh lists it.  t_done() prints the line
 * "N passed, N failed, N skipped" that tests/run.sh sums, and gives the
 * exit status.
 */
#ifndef PT_HARNESS_H
#define PT_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int t_passed, t_failed, t_skipped, t_cur_failed;
static const char *t_cur_skip;

#define T_FAIL_(fmt, ...) do {						\
	t_cur_failed = 1;						\
	fprintf(stderr, "  %s:%d: " fmt "\n", __FILE__, __LINE__,	\
	    __VA_ARGS__);						\
} while (0)

/* Mark the running test skipped, with the reason; the caller returns. */
#define T_SKIP(why) do {						\
	t_cur_skip = (why);						\
} while (0)

#define CHECK(e) do {							\
	if (!(e))							\
		T_FAIL_("CHECK(%s) failed", #e);			\
} while (0)

#define CHECK_INT(a, op, b) do {					\
	long long t_a_ = (long long)(a), t_b_ = (long long)(b);		\
	if (!(t_a_ op t_b_))						\
		T_FAIL_("CHECK_INT(%s %s %s): %lld vs %lld", #a, #op,	\
		    #b, t_a_, t_b_);					\
} while (0)

#define CHECK_U64(a, op, b) do {					\
	uint64_t t_a_ = (uint64_t)(a), t_b_ = (uint64_t)(b);		\
	if (!(t_a_ op t_b_))						\
		T_FAIL_("CHECK_U64(%s %s %s): %" PRIu64 " vs %" PRIu64,	\
		    #a, #op, #b, t_a_, t_b_);				\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *t_a_ = (a), *t_b_ = (b);				\
	if (t_a_ == NULL || t_b_ == NULL || strcmp(t_a_, t_b_) != 0)	\
		T_FAIL_("CHECK_STR(%s, %s): \"%s\" vs \"%s\"", #a, #b,	\
		    t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");	\
} while (0)

#define CHECK_MEM(a, alen, b, blen) do {				\
	size_t t_al_ = (alen), t_bl_ = (blen);				\
	if (t_al_ != t_bl_ || memcmp((a), (b), t_al_) != 0)		\
		T_FAIL_("CHECK_MEM(%s, %s): lengths %zu vs %zu or bytes"\
		    " differ", #a, #b, t_al_, t_bl_);			\
} while (0)

static inline void
t_run(void (*fn)(void), const char *name)
{
	char sentence[256];
	size_t i;

	t_cur_failed = 0;
	t_cur_skip = NULL;
	fn();
	for (i = 0; name[i] != '\0' && i < sizeof(sentence) - 1; i++)
		sentence[i] = name[i] == '_' ? ' ' : name[i];
	sentence[i] = '\0';
	if (t_cur_skip != NULL && !t_cur_failed) {
		t_skipped++;
		printf("skip %s: %s\n", sentence, t_cur_skip);
	} else if (t_cur_failed) {
		t_failed++;
		printf("FAIL %s\n", sentence);
	} else {
		t_passed++;
		printf("ok   %s\n", sentence);
	}
	fflush(stdout);
}

#define RUN(fn) t_run(fn, #fn)

static inline int
t_done(void)
{
	printf("%d passed, %d failed, %d skipped\n", t_passed, t_failed,
	    t_skipped);
	return t_failed != 0;
}

#endif
