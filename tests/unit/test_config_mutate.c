/*
 * test_config_mutate: deterministic mutation of the example configs and
 * hosts files (every truncation, byte flips and substitutions) in plain
 * `make test`: the loaders never crash (ASan under `make check`) and give
 * a config or errors, never both or neither.  The resolver stays off so a
 * mutated address never becomes a DNS query.  Exact messages are
 * test_config.c's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"
#include "config/config.h"
#include "config/collector_int.h"
#include "config/yaml.h"

#define CONFIGS	"tests/unit/configs/"

static unsigned long mutants, mutants_bad;

/*
 * Load an exact-size heap copy (so ASan sees any over-read) with both
 * loaders: each must give a config or errors, never both or neither.
 */
static void
load_mutant(const char *unused, const char *buf, size_t len)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_agent *ca;
	struct cfg_collector *cc;
	char *copy = malloc(len > 0 ? len : 1);

	(void)unused;
	if (copy == NULL)
		return;
	if (len > 0)
		memcpy(copy, buf, len);
	mutants++;
	ca = cfg_agent_load_buf("m.yaml", copy, len, &e);
	if ((ca == NULL) != (cfg_errors_total(&e) > 0))
		mutants_bad++;
	cfg_agent_free(ca);
	cfg_errors_free(&e);
	cc = cfg_collector_load_buf("m.yaml", copy, len, &e);
	if ((cc == NULL) != (cfg_errors_total(&e) > 0))
		mutants_bad++;
	cfg_collector_free(cc);
	cfg_errors_free(&e);
	free(copy);
}

/*
 * Feed load(arg, ...) every truncation of each file and, at every byte,
 * each substitution of subst (even entries XOR masks, odd ones
 * replacement bytes).
 */
static void
mutate_files(const char *const *files, size_t nfiles,
    const unsigned char *subst, size_t nsubst,
    void (*load)(const char *, const char *, size_t), const char *arg)
{
	size_t f, i, j;

	for (f = 0; f < nfiles; f++) {
		char *buf;
		size_t len;

		CHECK_INT(cfg_read_file(files[f], &buf, &len), ==, 0);
		if (buf == NULL)
			continue;
		for (i = 0; i <= len; i++)
			load(arg, buf, i);
		for (i = 0; i < len; i++) {
			unsigned char saved = (unsigned char)buf[i];

			for (j = 0; j < nsubst; j++) {
				buf[i] = (char)(j % 2 == 0 ? saved ^ subst[j] :
				    subst[j]);
				load(arg, buf, len);
			}
			buf[i] = (char)saved;
		}
		free(buf);
	}
}

static void
mutations_of_the_examples_never_crash(void)
{
	static const char *const files[] = { "config/agent.yaml",
	    "config/collector.yaml", CONFIGS "collector_many_errors.yaml",
	    CONFIGS "agent_v3.yaml" };
	static const unsigned char subst[] = { 0x01, ':', 0x20, '[', 0x80,
	    '&', 0x04, '\n', 0x10, '{', 0x40, '\0' };

	cfg_set_offline(true);
	mutants = mutants_bad = 0;
	mutate_files(files, sizeof(files) / sizeof(files[0]), subst,
	    sizeof(subst), load_mutant, NULL);
	cfg_set_offline(false);
	CHECK_U64(mutants, >, 10000);
	CHECK_U64(mutants_bad, ==, 0);
}


/* Write len bytes of buf to path; 0 or -1. */
static int
write_file(const char *path, const char *buf, size_t len)
{
	FILE *fp = fopen(path, "w");
	int rc = 0;

	if (fp == NULL)
		return -1;
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

static void
load_hosts_mutant(const char *dir, const char *buf, size_t len)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;
	char path[256];

	(void)snprintf(path, sizeof(path), "%s/h.txt", dir);
	if (write_file(path, buf, len) == -1) {
		mutants_bad++;
		return;
	}
	(void)snprintf(path, sizeof(path), "%s/c.yaml", dir);
	mutants++;
	cc = cfg_collector_load(path, &e);
	if ((cc == NULL) != (cfg_errors_total(&e) > 0))
		mutants_bad++;
	cfg_collector_free(cc);
	cfg_errors_free(&e);
}

/*
 * The same for hosts files, read from a private temporary directory with
 * the resolver off (a mutated address must never become a DNS query).
 */
static void
mutations_of_hosts_files_never_crash(void)
{
	static const char *const files[] = { CONFIGS "hosts.txt",
	    CONFIGS "hosts_bad.txt" };
	static const unsigned char subst[] = { 0x01, ':', 0x20, '[', 0x80,
	    ']', 0x04, '#', 0x10, '\n', 0x40, '\0' };
	static const char group[] = "targets: [{file: h.txt, port: 1161}]\n";
	char dir[] = "/tmp/test_config.XXXXXX", path[256];

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	(void)snprintf(path, sizeof(path), "%s/c.yaml", dir);
	CHECK_INT(write_file(path, group, strlen(group)), ==, 0);
	cfg_set_offline_parts(true, false);
	mutants = mutants_bad = 0;
	mutate_files(files, sizeof(files) / sizeof(files[0]), subst,
	    sizeof(subst), load_hosts_mutant, dir);
	cfg_set_offline(false);
	CHECK_U64(mutants, >, 1000);
	CHECK_U64(mutants_bad, ==, 0);
	(void)snprintf(path, sizeof(path), "%s/h.txt", dir);
	(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s/c.yaml", dir);
	(void)unlink(path);
	CHECK_INT(rmdir(dir), ==, 0);
}

int
main(void)
{
	RUN(mutations_of_the_examples_never_crash);
	RUN(mutations_of_hosts_files_never_crash);
	return t_done();
}
