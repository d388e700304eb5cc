/*
 * test_alert: alert rules against hand-built samples, with real /bin/sh
 * commands in a temp directory: the JSON a command receives, which samples
 * fire, a command killed at its timeout (with what it started), a missing
 * command, a command that does not read its input, the concurrency and
 * per-run caps, and what must hold after every run: no zombie child, no
 * descriptor leaked into the children or left open, signal dispositions
 * restored.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "collector/alert.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

#define T_TIME_MS	1795428000000ULL	/* 2026-11-23T10:00:00Z */

static char t_dir[64];
static struct cfg_label t_labels[] = { { "role", "demo" } };
static struct cfg_target t_target;
static struct sample_value t_vals[3];
static struct sample t_sample;
static struct cfg_alert t_rules[3];
static struct cfg_collector t_conf;

static void
t_setup(size_t nrules)
{
	memset(&t_target, 0, sizeof(t_target));
	t_target.ct_host = "127.0.0.1";
	t_target.ct_name = "local";
	t_target.ct_opts.to_port = 16161;
	t_target.ct_labels = t_labels;
	t_target.ct_nlabels = 1;
	memset(t_vals, 0, sizeof(t_vals));
	t_vals[0].sv_name = "zombies";
	t_vals[0].sv_kind = SV_UINT;
	t_vals[0].sv_uint = 12;
	t_vals[1].sv_name = "temp";
	t_vals[1].sv_kind = SV_INT;
	t_vals[1].sv_int = -40;
	t_vals[2].sv_name = "name";
	t_vals[2].sv_kind = SV_STRING;
	t_vals[2].sv_str = "99";
	t_vals[2].sv_len = 2;
	memset(&t_sample, 0, sizeof(t_sample));
	t_sample.sa_target = &t_target;
	t_sample.sa_time_ms = T_TIME_MS;
	t_sample.sa_status = SAMPLE_OK;
	t_sample.sa_attempts = 1;
	t_sample.sa_values = t_vals;
	t_sample.sa_nvalues = 3;
	memset(t_rules, 0, sizeof(t_rules));
	memset(&t_conf, 0, sizeof(t_conf));
	t_conf.cc_targets = &t_target;
	t_conf.cc_ntargets = 1;
	t_conf.cc_alerts = t_rules;
	t_conf.cc_nalerts = nrules;
}

static void
t_rule(size_t i, const char *metric, int has_above, double above,
    int has_below, double below, char *command, uint32_t timeout_ms)
{
	t_rules[i].ca_metric = (char *)(uintptr_t)metric;
	t_rules[i].ca_has_above = has_above;
	t_rules[i].ca_above = above;
	t_rules[i].ca_has_below = has_below;
	t_rules[i].ca_below = below;
	t_rules[i].ca_command = command;
	t_rules[i].ca_timeout_ms = timeout_ms;
}

/* Children of this process that are zombies, from /proc. */
static int
t_zombie_children(void)
{
	char path[300], buf[512], *p, state;
	DIR *d;
	struct dirent *de;
	FILE *fp;
	long ppid;
	int count = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof(buf), fp) != NULL &&
		    (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 1, " %c %ld", &state, &ppid) == 2 &&
		    ppid == (long)getpid() && state == 'Z')
			count++;
		fclose(fp);
	}
	closedir(d);
	return count;
}

static int
t_open_fds(void)
{
	DIR *d;
	struct dirent *de;
	int count = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			count++;
	closedir(d);
	return count;
}

static int t_fds_before;

/* What must hold after every alert_run(). */
static void
t_clean(void)
{
	CHECK_INT(t_zombie_children(), ==, 0);
	CHECK_INT(t_open_fds(), ==, t_fds_before);
}

static void
rule_fires_and_command_reads_the_alert_json(void)
{
	struct alert_runner *ar;
	char cmd[256], path[128], *got;
	size_t failed = 99, fired;

	snprintf(path, sizeof(path), "%s/alert.json", t_dir);
	snprintf(cmd, sizeof(cmd), "cat > '%s'", path);
	t_setup(1);
	t_rule(0, "zombies", 1, 10, 0, 0, cmd, 10000);
	if ((ar = alert_new(&t_conf)) == NULL) {
		CHECK(ar != NULL);
		return;
	}
	fired = alert_run(ar, &t_sample, 1, &failed);
	CHECK_U64(fired, ==, 1);
	CHECK_U64(failed, ==, 0);
	got = tu_slurp(path);
	CHECK_STR(got, "{\"time\":\"2026-11-23T10:00:00Z\",\"target\":\"local\","
	    "\"host\":\"127.0.0.1\",\"port\":16161,\"labels\":{\"role\":"
	    "\"demo\"},\"metric\":\"zombies\",\"value\":12,\"above\":10,"
	    "\"rule\":1}\n");
	free(got);
	alert_free(ar);
	t_clean();
}

static void
only_answered_numeric_values_past_the_bound_fire(void)
{
	struct alert_runner *ar;
	char cmd[256], path[128], *got;
	size_t failed = 99;

	snprintf(path, sizeof(path), "%s/below.json", t_dir);
	snprintf(cmd, sizeof(cmd), "cat > '%s'", path);
	t_setup(3);
	t_rule(0, "zombies", 1, 12, 0, 0, cmd, 10000);	/* 12 is not > 12 */
	t_rule(1, "name", 1, 0, 0, 0, cmd, 10000);	/* a string */
	t_rule(2, "temp", 1, 100, 1, -39.5, cmd, 10000);
	if ((ar = alert_new(&t_conf)) == NULL) {
		CHECK(ar != NULL);
		return;
	}
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 1);
	CHECK_U64(failed, ==, 0);
	got = tu_slurp(path);
	CHECK(got != NULL && strstr(got, "\"metric\":\"temp\",\"value\":-40,"
	    "\"below\":-39.5,\"rule\":3}") != NULL);
	free(got);
	/* A sample that timed out never fires. */
	t_sample.sa_status = SAMPLE_TIMEOUT;
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 0);
	/* 2^64-1 compares exactly against a bound just below it. */
	t_sample.sa_status = SAMPLE_OK;
	t_vals[0].sv_uint = UINT64_MAX;
	t_conf.cc_nalerts = 1;
	t_rule(0, "zombies", 1, 18446744073709549568.0, 0, 0, cmd, 10000);
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 1);
	/* ... and is not above 2^64. */
	t_rule(0, "zombies", 1, 18446744073709551616.0, 0, 0, cmd, 10000);
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 0);
	alert_free(ar);
	t_clean();
}

static void
command_past_its_timeout_is_killed_with_its_children(void)
{
	struct alert_runner *ar;
	char cmd[256], path[128], *got;
	size_t failed = 0;
	long pid;
	char stat[64], buf[256], *p;
	FILE *fp;
	int gone = 0;

	snprintf(path, sizeof(path), "%s/sleeper.pid", t_dir);
	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! > '%s'; wait", path);
	t_setup(1);
	t_rule(0, "zombies", 1, 10, 0, 0, cmd, 300);
	if ((ar = alert_new(&t_conf)) == NULL) {
		CHECK(ar != NULL);
		return;
	}
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 1);
	CHECK_U64(failed, ==, 1);
	alert_free(ar);
	t_clean();
	/* The background sleep was in the group: gone, or a zombie of init. */
	got = tu_slurp(path);
	CHECK(got != NULL);
	if (got == NULL)
		return;
	pid = strtol(got, NULL, 10);
	free(got);
	CHECK(pid > 0);
	for (int i = 0; i < 100 && !gone; i++) {
		snprintf(stat, sizeof(stat), "/proc/%ld/stat", pid);
		if ((fp = fopen(stat, "r")) == NULL) {
			gone = 1;
			break;
		}
		if (fgets(buf, sizeof(buf), fp) != NULL &&
		    (p = strrchr(buf, ')')) != NULL && p[1] == ' ' &&
		    (p[2] == 'Z' || p[2] == 'X'))
			gone = 1;
		fclose(fp);
		if (!gone)
			usleep(20000);
	}
	CHECK(gone);
}

static void
missing_command_counts_as_failed(void)
{
	struct alert_runner *ar;
	size_t failed = 0;

	t_setup(1);
	t_rule(0, "zombies", 1, 10, 0, 0, "/nonexistent/proctel-notify", 5000);
	if ((ar = alert_new(&t_conf)) == NULL) {
		CHECK(ar != NULL);
		return;
	}
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 1);
	CHECK_U64(failed, ==, 1);
	/* And a command that exits non-zero. */
	t_rule(0, "zombies", 1, 10, 0, 0, "exit 3", 5000);
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 1);
	CHECK_U64(failed, ==, 1);
	alert_free(ar);
	t_clean();
}

static void
command_that_never_reads_its_input_does_not_kill_us(void)
{
	struct alert_runner *ar;
	struct sigaction before, after;
	struct cfg_label big;
	char *value;
	size_t failed = 99;

	/* 1 MiB of label fills the pipe, so our write meets EPIPE. */
	if ((value = malloc(1 << 20)) == NULL)
		return;
	memset(value, 'x', (1 << 20) - 1);
	value[(1 << 20) - 1] = '\0';
	big.cl_key = "big";
	big.cl_value = value;
	t_setup(1);
	t_target.ct_labels = &big;
	t_rule(0, "zombies", 1, 10, 0, 0, "head -c 10 >/dev/null", 5000);
	sigaction(SIGPIPE, NULL, &before);
	if ((ar = alert_new(&t_conf)) != NULL) {
		CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 1);
		CHECK_U64(failed, ==, 0);
		alert_free(ar);
	}
	sigaction(SIGPIPE, NULL, &after);
	CHECK(before.sa_handler == after.sa_handler);
	free(value);
	t_clean();
}

static void
children_get_no_descriptors_and_default_signals(void)
{
	struct alert_runner *ar;
	struct sigaction ign, old_usr1;
	char cmd[512], path[128], *got;
	size_t failed = 99;
	int fd;

	/* A descriptor without O_CLOEXEC, and an ignored signal: not to pass. */
	fd = open("/dev/null", O_RDONLY);
	CHECK(fd >= 3);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGUSR1, &ign, &old_usr1);
	snprintf(path, sizeof(path), "%s/child.txt", t_dir);
	snprintf(cmd, sizeof(cmd), "{ if test -e /proc/$$/fd/%d; then "
	    "echo leak; else echo closed; fi; grep SigIgn /proc/$$/status; "
	    "} > '%s'", fd, path);
	t_setup(1);
	t_rule(0, "zombies", 1, 10, 0, 0, cmd, 5000);
	if ((ar = alert_new(&t_conf)) != NULL) {
		CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 1);
		CHECK_U64(failed, ==, 0);
		alert_free(ar);
	}
	sigaction(SIGUSR1, &old_usr1, NULL);
	close(fd);
	got = tu_slurp(path);
	CHECK(got != NULL && strncmp(got, "closed\n", 7) == 0);
	/*
	 * No standard signal (1..31) ignored: SIGUSR1 is bit 9 and SIGPIPE
	 * bit 12 of SigIgn.  Signals 32 and 33 are glibc's own (thread
	 * cancel, setxid); sigaction refuses them, and GNU make starts its
	 * children with them ignored, so they are left out.
	 */
	{
		const char *ig = got != NULL ? strstr(got, "SigIgn:\t") : NULL;
		unsigned long long mask = ig != NULL ?
		    strtoull(ig + 8, NULL, 16) : ~0ULL;

		CHECK_U64(mask & 0x7fffffffULL, ==, 0);
	}
	free(got);
	t_clean();
}

static void
many_alerts_run_under_the_caps(void)
{
	struct alert_runner *ar;
	struct sample *many;
	char cmd[256], sub[128];
	size_t failed = 99, n = 1100, i, files = 0;
	DIR *d;
	struct dirent *de;

	snprintf(sub, sizeof(sub), "%s/many", t_dir);
	if (mkdir(sub, 0700) == -1 || (many = calloc(n, sizeof(*many))) ==
	    NULL) {
		CHECK(0);
		return;
	}
	/* Each shell writes a file named by its own pid. */
	snprintf(cmd, sizeof(cmd), "cat > '%s'/$$", sub);
	t_setup(1);
	t_rule(0, "zombies", 1, 10, 0, 0, cmd, 20000);
	for (i = 0; i < n; i++)
		many[i] = t_sample;
	if ((ar = alert_new(&t_conf)) != NULL) {
		/* 150 alerts: more than the 64 that may run at once. */
		CHECK_U64(alert_run(ar, many, 150, &failed), ==, 150);
		CHECK_U64(failed, ==, 0);
		if ((d = opendir(sub)) != NULL) {
			while ((de = readdir(d)) != NULL)
				files += de->d_name[0] != '.';
			closedir(d);
		}
		CHECK_U64(files, ==, 150);
		/* 1100 alerts: 1000 run, the rest suppressed. */
		t_rule(0, "zombies", 1, 10, 0, 0, "exit 0", 20000);
		CHECK_U64(alert_run(ar, many, n, &failed), ==, 1000);
		CHECK_U64(failed, ==, 0);
		alert_free(ar);
	}
	free(many);
	t_clean();
}

static void
no_rules_or_no_samples_run_nothing(void)
{
	struct alert_runner *ar;
	size_t failed = 99;

	t_setup(0);
	if ((ar = alert_new(&t_conf)) == NULL) {
		CHECK(ar != NULL);
		return;
	}
	CHECK_U64(alert_run(ar, &t_sample, 1, &failed), ==, 0);
	CHECK_U64(failed, ==, 0);
	CHECK_U64(alert_run(ar, NULL, 0, &failed), ==, 0);
	alert_free(ar);
	alert_free(NULL);
	t_clean();
}

int
main(void)
{
	char cmd[128];

	snprintf(t_dir, sizeof(t_dir), "/tmp/proctel-alert.XXXXXX");
	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	t_fds_before = t_open_fds();
	RUN(rule_fires_and_command_reads_the_alert_json);
	RUN(only_answered_numeric_values_past_the_bound_fire);
	RUN(command_past_its_timeout_is_killed_with_its_children);
	RUN(missing_command_counts_as_failed);
	RUN(command_that_never_reads_its_input_does_not_kill_us);
	RUN(children_get_no_descriptors_and_default_signals);
	RUN(many_alerts_run_under_the_caps);
	RUN(no_rules_or_no_samples_run_nothing);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t_dir);
	return t_done();
}
