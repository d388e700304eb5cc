/*
 * test_engid: agent/engid.c in a fresh temporary directory per test: a
 * first start generates an RFC 3411 engine ID and writes boots 1; every
 * start after raises boots by one and keeps the ID; a configured ID is
 * used, and a changed one restarts boots; a state file that cannot be
 * parsed (each way it can be wrong) is kept aside and replaced with a new
 * ID; boots latch at 2^31-1; a state that cannot be read or written is an
 * error, never a silent restart.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/engid.h"
#include "snmp/v3.h"
#include "tests/harness.h"

static char base[64], dir[128], file[192];

/* A fresh base directory; dir names a state_dir inside, not yet made. */
static void
fresh(void)
{
	(void)snprintf(base, sizeof(base), "/tmp/test_engid.XXXXXX");
	if (mkdtemp(base) == NULL)
		abort();
	(void)snprintf(dir, sizeof(dir), "%s/state", base);
	(void)snprintf(file, sizeof(file), "%s/%s", dir, ENGID_FILE);
}

static void
cleanup(void)
{
	char cmd[256];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", base);
}

static void
put(const char *text)
{
	FILE *f = fopen(file, "w");

	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

static bool
exists(const char *suffix)
{
	char p[256];

	(void)snprintf(p, sizeof(p), "%s%s", file, suffix);
	return access(p, F_OK) == 0;
}

static int
raise_(const char *conf_hex, struct engid_state *st)
{
	uint8_t id[32];
	size_t n = 0;
	char err[256];
	int hi, lo;

	for (; conf_hex != NULL && conf_hex[2 * n] != '\0'; n++) {
		(void)sscanf(conf_hex + 2 * n, "%1x", &hi);
		(void)sscanf(conf_hex + 2 * n + 1, "%1x", &lo);
		id[n] = (uint8_t)(hi << 4 | lo);
	}
	err[0] = '\0';
	if (engid_raise(dir, id, n, st, err, sizeof(err)) == -1) {
		fprintf(stderr, "  engid_raise: %s\n", err);
		return -1;
	}
	return 0;
}

static void
a_first_start_generates_an_rfc_3411_id_and_writes_boots_1(void)
{
	struct engid_state st;
	struct stat sb;
	const char *errstr;

	fresh();
	CHECK_INT(raise_(NULL, &st), ==, 0);
	CHECK_INT(st.es_boots, ==, 1);
	CHECK(st.es_generated);
	CHECK_STR(st.es_restart, "no state file yet");
	CHECK_U64(st.es_engine_id_len, ==, 13);
	CHECK_MEM(st.es_engine_id, 5, "\x80\x00\x1f\x88\x05", 5);
	CHECK(snmp_v3_engine_id_valid(st.es_engine_id, st.es_engine_id_len,
	    &errstr));
	CHECK_INT(stat(dir, &sb), ==, 0);
	CHECK_INT(sb.st_mode & 0777, ==, 0700);
	CHECK_INT(stat(file, &sb), ==, 0);
	CHECK_INT(sb.st_mode & 0777, ==, 0600);
	CHECK(!exists(".tmp"));
	cleanup();
}

static void
every_start_after_raises_boots_by_one_and_keeps_the_id(void)
{
	struct engid_state first, st;
	int i;

	fresh();
	CHECK_INT(raise_(NULL, &first), ==, 0);
	for (i = 2; i <= 5; i++) {
		CHECK_INT(raise_(NULL, &st), ==, 0);
		CHECK_INT(st.es_boots, ==, i);
		CHECK(!st.es_generated && st.es_restart == NULL);
		CHECK_MEM(st.es_engine_id, st.es_engine_id_len,
		    first.es_engine_id, first.es_engine_id_len);
	}
	cleanup();
}

static void
a_configured_id_is_used_and_changing_it_restarts_boots(void)
{
	struct engid_state st;

	fresh();
	CHECK_INT(raise_(NULL, &st), ==, 0);
	CHECK_INT(raise_("80001f880470726f6374656c", &st), ==, 0);
	CHECK_INT(st.es_boots, ==, 1);
	CHECK_STR(st.es_restart, "the engine ID changed");
	CHECK(!st.es_generated);
	CHECK_MEM(st.es_engine_id, st.es_engine_id_len,
	    "\x80\x00\x1f\x88\x04proctel", 12);
	CHECK_INT(raise_("80001f880470726f6374656c", &st), ==, 0);
	CHECK_INT(st.es_boots, ==, 2);
	CHECK_INT(raise_("80001f88047a", &st), ==, 0);
	CHECK_INT(st.es_boots, ==, 1);
	/* Without the setting, the last configured ID stays. */
	CHECK_INT(raise_(NULL, &st), ==, 0);
	CHECK_INT(st.es_boots, ==, 2);
	CHECK_MEM(st.es_engine_id, st.es_engine_id_len, "\x80\x00\x1f\x88\x04z",
	    6);
	cleanup();
}

static void
an_unparsable_state_file_is_kept_aside_and_replaced_with_a_new_id(void)
{
	static const char *const bad[] = { "garbage\n",
	    "engine_id 80001f880470726f6374656c\n",
	    "boots 4\n",
	    "engine_id 80001f880470726f6374656c\nboots 0\n",
	    "engine_id 80001f880470726f6374656c\nboots 2147483648\n",
	    "engine_id 80001f880470726f6374656c\nboots 4x\n",
	    "engine_id 80001f880470726f6374656c\nboots 4\nboots 5\n",
	    "engine_id 80001f880470726f6374656c\nboots 4\ncolor blue\n",
	    "engine_id 80001f88\nboots 4\n",
	    "engine_id 80001f880470726f6374656\nboots 4\n",
	    "engine_id 80001f880470726f6374656g\nboots 4\n",
	    "engine_id  80001f880470726f6374656c\nboots 4\n" };
	struct engid_state st;
	char big[ENGID_FILE_MAX + 100];
	size_t i;

	for (i = 0; i <= sizeof(bad) / sizeof(bad[0]); i++) {
		fresh();
		CHECK_INT(mkdir(dir, 0700), ==, 0);
		if (i < sizeof(bad) / sizeof(bad[0]))
			put(bad[i]);
		else {
			memset(big, '#', sizeof(big) - 1);
			big[sizeof(big) - 1] = '\0';
			put(big);
		}
		CHECK_INT(raise_(NULL, &st), ==, 0);
		CHECK_INT(st.es_boots, ==, 1);
		CHECK(st.es_generated);
		CHECK(st.es_restart != NULL &&
		    strstr(st.es_restart, "corrupt") != NULL);
		CHECK(exists(".corrupt"));
		/* And the replacement reads back. */
		CHECK_INT(raise_(NULL, &st), ==, 0);
		CHECK_INT(st.es_boots, ==, 2);
		cleanup();
	}
}

static void
boots_latch_at_two_to_the_31_minus_1(void)
{
	struct engid_state st;

	fresh();
	CHECK_INT(mkdir(dir, 0700), ==, 0);
	put("# a comment\nboots 2147483646\n"
	    "engine_id 80001f880470726f6374656c\n");
	CHECK_INT(raise_(NULL, &st), ==, 0);
	CHECK_INT(st.es_boots, ==, ENGID_BOOTS_MAX);
	/* Already refused from this start on, so already said (v3conf.c). */
	CHECK(st.es_latched);
	CHECK_INT(raise_(NULL, &st), ==, 0);
	CHECK_INT(st.es_boots, ==, ENGID_BOOTS_MAX);
	CHECK(st.es_latched);
	cleanup();
}

static void
state_that_cannot_be_read_or_written_is_an_error(void)
{
	struct engid_state st;
	char err[256];

	fresh();
	/* state_dir is a file. */
	CHECK_INT(close(open(dir, O_WRONLY | O_CREAT, 0600)), ==, 0);
	CHECK_INT(engid_raise(dir, NULL, 0, &st, err, sizeof(err)), ==, -1);
	CHECK(strstr(err, dir) != NULL);
	CHECK_INT(unlink(dir), ==, 0);
	/* The state file is a directory. */
	CHECK_INT(mkdir(dir, 0700), ==, 0);
	CHECK_INT(mkdir(file, 0700), ==, 0);
	CHECK_INT(engid_raise(dir, NULL, 0, &st, err, sizeof(err)), ==, -1);
	CHECK(strstr(err, ENGID_FILE) != NULL);
	cleanup();
}

static void
generated_ids_differ(void)
{
	uint8_t a[32], b[32];
	size_t alen, blen;

	CHECK_INT(engid_generate(a, &alen), ==, 0);
	CHECK_INT(engid_generate(b, &blen), ==, 0);
	CHECK_U64(alen, ==, 13);
	CHECK(memcmp(a, b, alen) != 0);
}

int
main(void)
{
	RUN(a_first_start_generates_an_rfc_3411_id_and_writes_boots_1);
	RUN(every_start_after_raises_boots_by_one_and_keeps_the_id);
	RUN(a_configured_id_is_used_and_changing_it_restarts_boots);
	RUN(an_unparsable_state_file_is_kept_aside_and_replaced_with_a_new_id);
	RUN(boots_latch_at_two_to_the_31_minus_1);
	RUN(state_that_cannot_be_read_or_written_is_an_error);
	RUN(generated_ids_differ);
	return t_done();
}
