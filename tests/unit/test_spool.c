/*
 * test_spool: the on-disk spool of the remote sinks (collector/spool.c) in
 * a temp directory: the header's exact, cut and damaged forms, order kept
 * across a reopen, the byte bound dropping the oldest (counted), stray
 * temp files and damaged batches removed at open, the lock and the kind
 * refused, and a process SIGKILLed in the middle of writing a batch
 * leaving every earlier batch whole and no half batch behind.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/spool.h"
#include "tests/harness.h"

static char t_dir[64];
static char t_sub[128];
static int t_n;

/* A fresh spool directory for each test. */
static const char *
t_spool_dir(void)
{
	snprintf(t_sub, sizeof(t_sub), "%s/s%d/deeper", t_dir, t_n++);
	return t_sub;
}

static struct spool *
t_open(const char *dir, uint64_t max, enum spool_kind kind,
    struct spool_drop *drop)
{
	char err[256] = "";
	struct spool *sp;

	memset(drop, 0, sizeof(*drop));
	if ((sp = spool_open(dir, max, kind, drop, err, sizeof(err))) == NULL)
		fprintf(stderr, "  (spool_open: %s)\n", err);
	return sp;
}

static int
t_add(struct spool *sp, const char *body, uint32_t n, struct spool_drop *d)
{
	char err[256] = "";
	int rc;

	rc = spool_add(sp, n, 1000 + n, body, strlen(body), d, err,
	    sizeof(err));
	if (rc == -1)
		fprintf(stderr, "  (spool_add: %s)\n", err);
	return rc;
}

/* The oldest body as a string ("" when none), and shift it when asked. */
static char *
t_first(struct spool *sp, struct spool_hdr *h, int shift)
{
	struct spool_drop d = { 0, 0 };
	char err[256] = "", *s;
	void *body;

	if (spool_first(sp, h, &body, &d, err, sizeof(err)) != 0)
		return strdup("");
	s = strndup(body, h->sh_body_len);
	free(body);
	if (shift)
		CHECK_INT(spool_shift(sp, err, sizeof(err)), ==, 0);
	return s;
}

/* Names in dir starting with prefix. */
static int
t_count(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void
headers_round_trip_and_every_cut_or_bad_field_is_refused(void)
{
	struct spool_hdr h = { SPOOL_INFLUX_LINES, 7, 1795428000123ULL, 99 };
	struct spool_hdr g;
	uint8_t b[SPOOL_HEADER_LEN], m[SPOOL_HEADER_LEN];
	const char *why;
	size_t i, cut;
	int refused = 0;

	spool_hdr_encode(&h, b);
	CHECK_INT(spool_hdr_decode(b, sizeof(b), &g, &why), ==, 0);
	CHECK_INT(g.sh_kind, ==, SPOOL_INFLUX_LINES);
	CHECK_INT(g.sh_nsamples, ==, 7);
	CHECK_U64(g.sh_time_ms, ==, 1795428000123ULL);
	CHECK_U64(g.sh_body_len, ==, 99);
	for (cut = 0; cut < sizeof(b); cut++)
		refused += spool_hdr_decode(b, cut, &g, &why) == -1;
	CHECK_INT(refused, ==, (int)sizeof(b));
	/* Every byte of magic, version, kind and reserved is checked. */
	for (i = 0; i < 24; i++) {
		if (i >= 16 && i < 20)
			continue;	/* the sample count takes any value */
		memcpy(m, b, sizeof(m));
		m[i] ^= 0x40;
		if (spool_hdr_decode(m, sizeof(m), &g, &why) != -1)
			T_FAIL_("byte %zu flipped was accepted", i);
	}
	h.sh_body_len = (uint64_t)SPOOL_BODY_MAX + 1;
	spool_hdr_encode(&h, b);
	CHECK_INT(spool_hdr_decode(b, sizeof(b), &g, &why), ==, -1);
}

static void
batches_come_back_in_order_across_a_reopen(void)
{
	const char *dir = t_spool_dir();
	struct spool_drop d;
	struct spool_hdr h;
	struct spool *sp;
	char *s;

	if ((sp = t_open(dir, 1 << 20, SPOOL_REMOTE_WRITE, &d)) == NULL) {
		CHECK(sp != NULL);
		return;
	}
	CHECK_INT(t_add(sp, "one", 1, &d), ==, 0);
	CHECK_INT(t_add(sp, "two", 2, &d), ==, 0);
	spool_close(sp);
	if ((sp = t_open(dir, 1 << 20, SPOOL_REMOTE_WRITE, &d)) == NULL) {
		CHECK(sp != NULL);
		return;
	}
	CHECK_INT(t_add(sp, "three", 3, &d), ==, 0);
	CHECK_INT(spool_batches(sp), ==, 3);
	CHECK_U64(spool_samples(sp), ==, 6);
	CHECK_U64(spool_bytes(sp), ==, 3 * SPOOL_HEADER_LEN + 11);
	s = t_first(sp, &h, 1);
	CHECK_STR(s, "one");
	CHECK_U64(h.sh_time_ms, ==, 1001);
	free(s);
	spool_close(sp);
	/* The sent batch stays gone; the rest keep their order. */
	if ((sp = t_open(dir, 1 << 20, SPOOL_REMOTE_WRITE, &d)) == NULL) {
		CHECK(sp != NULL);
		return;
	}
	s = t_first(sp, &h, 1);
	CHECK_STR(s, "two");
	free(s);
	s = t_first(sp, &h, 1);
	CHECK_STR(s, "three");
	CHECK_INT(h.sh_nsamples, ==, 3);
	free(s);
	CHECK_INT(spool_batches(sp), ==, 0);
	CHECK_U64(spool_bytes(sp), ==, 0);
	CHECK_INT(d.sd_batches, ==, 0);
	spool_close(sp);
}

static void
a_full_spool_drops_the_oldest_first_and_counts_them(void)
{
	const char *dir = t_spool_dir();
	struct spool_drop d;
	struct spool_hdr h;
	struct spool *sp;
	char body[16], *s;
	int i;

	/* Room for three 10-byte batches. */
	sp = t_open(dir, 3 * (SPOOL_HEADER_LEN + 10), SPOOL_REMOTE_WRITE, &d);
	if (sp == NULL) {
		CHECK(sp != NULL);
		return;
	}
	for (i = 0; i < 5; i++) {
		snprintf(body, sizeof(body), "batch-%04d", i);
		CHECK_INT(t_add(sp, body, 10 + (uint32_t)i, &d), ==, 0);
	}
	CHECK_INT(spool_batches(sp), ==, 3);
	CHECK_U64(d.sd_batches, ==, 2);
	CHECK_U64(d.sd_samples, ==, 10 + 11);
	CHECK_INT(t_count(dir, "0"), ==, 3);
	s = t_first(sp, &h, 0);
	CHECK_STR(s, "batch-0002");
	free(s);
	/* Bigger than the whole bound: dropped itself, the others kept. */
	memset(&d, 0, sizeof(d));
	CHECK_INT(spool_add(sp, 9, 0, "x", 4 * (SPOOL_HEADER_LEN + 10), &d,
	    body, sizeof(body)), ==, 1);
	CHECK_U64(d.sd_batches, ==, 1);
	CHECK_U64(d.sd_samples, ==, 9);
	CHECK_INT(spool_batches(sp), ==, 3);
	spool_close(sp);
}

static void
stray_temp_files_and_damaged_batches_are_removed_at_open(void)
{
	const char *dir = t_spool_dir();
	char path[256];
	struct spool_drop d;
	struct spool_hdr h;
	struct spool *sp;
	char *s;
	int fd;

	if ((sp = t_open(dir, 1 << 20, SPOOL_INFLUX_LINES, &d)) == NULL) {
		CHECK(sp != NULL);
		return;
	}
	CHECK_INT(t_add(sp, "good one", 1, &d), ==, 0);
	CHECK_INT(t_add(sp, "cut short", 1, &d), ==, 0);
	spool_close(sp);
	snprintf(path, sizeof(path), "%s/.tmp-0000000000000009.batch", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1) {
		CHECK_INT(write(fd, "PTSPOOL", 7), ==, 7);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/0000000000000001.batch", dir);
	CHECK_INT(truncate(path, SPOOL_HEADER_LEN + 3), ==, 0);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1)
		close(fd);
	if ((sp = t_open(dir, 1 << 20, SPOOL_INFLUX_LINES, &d)) == NULL) {
		CHECK(sp != NULL);
		return;
	}
	CHECK_INT(spool_batches(sp), ==, 1);
	CHECK_U64(d.sd_batches, ==, 1);
	CHECK_INT(t_count(dir, ".tmp-"), ==, 0);
	CHECK_INT(t_count(dir, "notes.txt"), ==, 1);
	s = t_first(sp, &h, 0);
	CHECK_STR(s, "good one");
	free(s);
	/* New batches number after the highest seen. */
	CHECK_INT(t_add(sp, "next", 1, &d), ==, 0);
	CHECK_INT(t_count(dir, "0000000000000002.batch"), ==, 1);
	spool_close(sp);
}

static void
a_spool_in_use_or_holding_another_kind_is_refused(void)
{
	const char *dir = t_spool_dir();
	struct spool_drop d;
	struct spool *sp, *sp2;
	char err[256] = "";

	if ((sp = t_open(dir, 1 << 20, SPOOL_REMOTE_WRITE, &d)) == NULL) {
		CHECK(sp != NULL);
		return;
	}
	CHECK_INT(t_add(sp, "x", 1, &d), ==, 0);
	sp2 = spool_open(dir, 1 << 20, SPOOL_REMOTE_WRITE, &d, err,
	    sizeof(err));
	CHECK(sp2 == NULL);
	CHECK(strstr(err, "in use by another collector") != NULL);
	spool_close(sp2);
	spool_close(sp);
	sp2 = spool_open(dir, 1 << 20, SPOOL_INFLUX_LINES, &d, err,
	    sizeof(err));
	CHECK(sp2 == NULL);
	CHECK(strstr(err, "another sink type") != NULL);
	spool_close(sp2);
}

static void
a_sigkill_while_writing_a_batch_leaves_the_earlier_ones_whole(void)
{
	const char *dir = t_spool_dir();
	static char big[256 * 1024];
	struct spool_drop d;
	struct spool_hdr h;
	struct spool *sp;
	int status, round;
	pid_t pid;
	char *s;

	memset(big, 'b', sizeof(big) - 1);
	for (round = 0; round < 3; round++) {
		fflush(NULL);
		if ((pid = fork()) == 0) {
			sp = t_open(dir, 1 << 24, SPOOL_REMOTE_WRITE, &d);
			if (sp == NULL || t_add(sp, round == 0 ? "first" :
			    "later", 1, &d) != 0)
				_exit(1);
			spool_test_kill_after(sp, (size_t)round * 50000);
			(void)t_add(sp, big, 2, &d);
			_exit(2);
		}
		CHECK(pid > 0);
		CHECK_INT(waitpid(pid, &status, 0), ==, pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	if ((sp = t_open(dir, 1 << 24, SPOOL_REMOTE_WRITE, &d)) == NULL) {
		CHECK(sp != NULL);
		return;
	}
	/* Three whole batches, none of the killed ones, no temp file. */
	CHECK_INT(spool_batches(sp), ==, 3);
	CHECK_U64(d.sd_batches, ==, 0);
	CHECK_INT(t_count(dir, ".tmp-"), ==, 0);
	s = t_first(sp, &h, 1);
	CHECK_STR(s, "first");
	free(s);
	s = t_first(sp, &h, 1);
	CHECK_STR(s, "later");
	free(s);
	spool_close(sp);
}

int
main(void)
{
	char cmd[128];

	snprintf(t_dir, sizeof(t_dir), "/tmp/test_spool.XXXXXX");
	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(headers_round_trip_and_every_cut_or_bad_field_is_refused);
	RUN(batches_come_back_in_order_across_a_reopen);
	RUN(a_full_spool_drops_the_oldest_first_and_counts_them);
	RUN(stray_temp_files_and_damaged_batches_are_removed_at_open);
	RUN(a_spool_in_use_or_holding_another_kind_is_refused);
	RUN(a_sigkill_while_writing_a_batch_leaves_the_earlier_ones_whole);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t_dir);
	return t_done();
}
