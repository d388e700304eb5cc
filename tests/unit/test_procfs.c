/*
 * test_procfs: the /proc snapshot.  procfs_snapshot_take on the fake trees
 * in tests/tools/fakeproc/ (odd comms, zombies, kernel threads, vanished
 * and garbage pids, huge numbers), on generated trees of many processes, on
 * failures that must keep the old snapshot, and on the real /proc with
 * zombies of our own and of tests/tools/zombie_maker.  Not the text
 * parsers (test_procfs_parse.c) nor the MIB (test_mib_modules.c).
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/procfs.h"
#include "tests/harness.h"

#define BASIC	"tests/tools/fakeproc/basic"
#define TAIL	" 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

/* With command lines and no budget to speak of, and without. */
static const struct procfs_opts CMD = { true, SIZE_MAX };
static const struct procfs_opts NOCMD = { false, 0 };

static long tck;
static uint32_t pkb;

static const struct procfs_proc *
find(const struct procfs_snapshot *s, int32_t pid)
{
	size_t i = procfs_lower_bound(s, pid);

	return i < s->ps_count && s->ps_procs[i].pp_pid == pid ?
	    &s->ps_procs[i] : NULL;
}

static const struct procfs_zparent *
zfind(const struct procfs_snapshot *s, int32_t pid)
{
	size_t i = procfs_zparent_lower_bound(s, pid);

	return i < s->ps_nzparents && s->ps_zparents[i].zp_pid == pid ?
	    &s->ps_zparents[i] : NULL;
}

static void
the_basic_tree_holds_exactly_the_good_pids_in_order(void)
{
	static const int32_t want[] = { 1, 2, 3, 10, 11, 12, 13, 14, 20, 21,
		22, 23, 24, 25, 32, 40, 41, 42, 43, 44, 45, 51, 52, 56,
		INT32_MAX };
	struct procfs_snapshot s;
	size_t i, n = sizeof(want) / sizeof(want[0]);

	memset(&s, 0, sizeof(s));
	CHECK_INT(procfs_snapshot_take(BASIC, &NOCMD, &s), ==, 0);
	CHECK_INT(s.ps_count, ==, n);
	for (i = 0; i < n && i < s.ps_count; i++)
		CHECK_INT(s.ps_procs[i].pp_pid, ==, want[i]);
	CHECK_U64(s.ps_forks, ==, 123456);
	CHECK_U64(s.ps_uptime_cs, ==, 100050);
	CHECK_INT(s.ps_pid_max, ==, 4194304);
	CHECK(s.ps_taken_ms > 0);
	procfs_snapshot_free(&s);
	CHECK(s.ps_procs == NULL && s.ps_count == 0);
}

static void
the_basic_tree_rows_carry_their_fields(void)
{
	struct procfs_snapshot s;
	const struct procfs_proc *p;

	memset(&s, 0, sizeof(s));
	CHECK_INT(procfs_snapshot_take(BASIC, &NOCMD, &s), ==, 0);
	if ((p = find(&s, 1)) != NULL) {
		CHECK_STR(p->pp_comm, "init");
		CHECK_INT(p->pp_ppid, ==, 0);
		CHECK_U64(p->pp_cpu_cs, ==, 200 * 100 / tck);
		CHECK_INT(p->pp_rss_kb, ==, 100 * pkb);
		CHECK(!p->pp_kthread);
		CHECK_STR(p->pp_cmdline, "");
	} else
		T_FAIL_("%s", "pid 1 missing");
	if ((p = find(&s, 2)) != NULL) {
		CHECK(p->pp_kthread);
		CHECK_INT(p->pp_rss_kb, ==, 0);
	} else
		T_FAIL_("%s", "pid 2 missing");
	if ((p = find(&s, 3)) != NULL) {
		CHECK_STR(p->pp_comm, "kworker/0:0H-events_highpri");
		CHECK_INT(p->pp_state, ==, PROCFS_IDLE);
	} else
		T_FAIL_("%s", "pid 3 missing");
	if ((p = find(&s, 10)) != NULL) {
		CHECK_STR(p->pp_comm, "my prog");
		CHECK_INT(p->pp_uid, ==, 1000);
		CHECK_INT(p->pp_threads, ==, 4);
		CHECK_INT(p->pp_state, ==, PROCFS_RUNNING);
	} else
		T_FAIL_("%s", "pid 10 missing");
	if ((p = find(&s, 11)) != NULL) {
		CHECK_STR(p->pp_comm, "x) y (z");
		CHECK_INT(p->pp_uid, ==, 1001);
	} else
		T_FAIL_("%s", "pid 11 missing");
	if ((p = find(&s, 12)) != NULL)
		CHECK_STR(p->pp_comm, "new\nline");
	else
		T_FAIL_("%s", "pid 12 missing");
	if ((p = find(&s, 13)) != NULL)
		CHECK_STR(p->pp_comm, "abcdefghijklmno");
	else
		T_FAIL_("%s", "pid 13 missing");
	if ((p = find(&s, 14)) != NULL)
		CHECK_STR(p->pp_comm, "");
	else
		T_FAIL_("%s", "pid 14 missing");
	if ((p = find(&s, 32)) != NULL) {
		CHECK_U64(p->pp_cpu_cs, ==, UINT64_MAX);
		CHECK_U64(p->pp_threads, ==, UINT32_MAX);
		CHECK_U64(p->pp_rss_kb, ==, UINT32_MAX);
		CHECK_INT(p->pp_age_s, ==, 0);
	} else
		T_FAIL_("%s", "pid 32 missing");
	if ((p = find(&s, 56)) != NULL)
		CHECK_U64(p->pp_uid, ==, 4294967294u);
	else
		T_FAIL_("%s", "pid 56 missing");
	/* 50000 ticks into an uptime of 1000.50 s. */
	if ((p = find(&s, 20)) != NULL)
		CHECK_INT(p->pp_age_s, ==, (100050 - 50000 * 100 / tck) / 100);
	else
		T_FAIL_("%s", "pid 20 missing");
	CHECK(find(&s, 30) == NULL);	/* stat vanished */
	CHECK(find(&s, 31) == NULL);	/* stat cut short */
	CHECK(find(&s, 33) == NULL);	/* out of range */
	CHECK(find(&s, 34) == NULL);	/* names pid 35 */
	CHECK(find(&s, 35) == NULL);
	CHECK(find(&s, 50) == NULL);	/* no Uid: */
	CHECK(find(&s, 53) == NULL);	/* garbage */
	CHECK(find(&s, 54) == NULL);	/* empty */
	CHECK(find(&s, 55) == NULL);	/* no status */
	CHECK(find(&s, 123) == NULL);	/* "0123" */
	CHECK(find(&s, 60) == NULL);	/* a file */
	procfs_snapshot_free(&s);
}

static void
the_basic_tree_counts_states_threads_and_zombie_parents(void)
{
	struct procfs_snapshot s;
	const struct procfs_zparent *z;

	memset(&s, 0, sizeof(s));
	CHECK_INT(procfs_snapshot_take(BASIC, &NOCMD, &s), ==, 0);
	CHECK_INT(s.ps_by_state[PROCFS_RUNNING], ==, 1);
	CHECK_INT(s.ps_by_state[PROCFS_SLEEPING], ==, 12);
	CHECK_INT(s.ps_by_state[PROCFS_DISKSLEEP], ==, 1);
	CHECK_INT(s.ps_by_state[PROCFS_STOPPED], ==, 2);
	CHECK_INT(s.ps_by_state[PROCFS_ZOMBIE], ==, 5);
	CHECK_INT(s.ps_by_state[PROCFS_IDLE], ==, 2);
	CHECK_INT(s.ps_by_state[PROCFS_OTHER], ==, 2);
	/* pid 32 alone claims 9999999999 threads: the sum saturates. */
	CHECK_U64(s.ps_threads, ==, UINT32_MAX);
	CHECK_INT(s.ps_nzparents, ==, 3);
	CHECK(zfind(&s, 0) == NULL);
	/*
	 * Zombies 21 (start 90000), 22 (70000) of 20; 24 of 10; 23 of 99;
	 * 25 of pid 0 (outside our namespace) has no parent row.
	 */
	if ((z = zfind(&s, 10)) != NULL) {
		CHECK_STR(z->zp_name, "my prog");
		CHECK_INT(z->zp_zombies, ==, 1);
	} else
		T_FAIL_("%s", "zparent 10 missing");
	if ((z = zfind(&s, 20)) != NULL) {
		CHECK_STR(z->zp_name, "bash");
		CHECK_INT(z->zp_zombies, ==, 2);
		CHECK_INT(z->zp_oldest_age_s, ==,
		    (100050 - 70000 * 100 / tck) / 100);
	} else
		T_FAIL_("%s", "zparent 20 missing");
	if ((z = zfind(&s, 99)) != NULL) {
		CHECK_STR(z->zp_name, "");
		CHECK_INT(z->zp_zombies, ==, 1);
	} else
		T_FAIL_("%s", "zparent 99 missing");
	CHECK(s.ps_zparents[0].zp_pid < s.ps_zparents[1].zp_pid &&
	    s.ps_zparents[1].zp_pid < s.ps_zparents[2].zp_pid);
	CHECK_INT(s.ps_oldest_zombie_s, ==, (100050 - 70000 * 100 / tck) / 100);
	procfs_snapshot_free(&s);
}

static void
command_lines_are_joined_trimmed_and_kept_as_far_as_served(void)
{
	struct procfs_snapshot s;
	const struct procfs_proc *p;
	size_t i;

	memset(&s, 0, sizeof(s));
	CHECK_INT(procfs_snapshot_take(BASIC, &CMD, &s), ==, 0);
	if ((p = find(&s, 1)) != NULL) {
		CHECK_STR(p->pp_cmdline, "/sbin/init splash");
		CHECK_INT(p->pp_cmdline_len, ==, 17);
	}
	if ((p = find(&s, 10)) != NULL)
		CHECK_STR(p->pp_cmdline,
		    "/usr/bin/my prog --flag value with space");
	if ((p = find(&s, 51)) != NULL)
		CHECK_STR(p->pp_cmdline, "worker: main");
	/* 4096 octets in the file; ptProcCmdline serves 255 of them. */
	if ((p = find(&s, 52)) != NULL) {
		CHECK_INT(p->pp_cmdline_len, ==, PROCFS_CMDLINE_SERVED);
		CHECK_INT(strlen(p->pp_cmdline), ==, PROCFS_CMDLINE_SERVED);
		CHECK_INT(memcmp(p->pp_cmdline, "/bin/long a", 11), ==, 0);
	} else
		T_FAIL_("%s", "pid 52 missing");
	if ((p = find(&s, 2)) != NULL)
		CHECK_STR(p->pp_cmdline, "");
	for (i = 0; i < s.ps_count; i++)
		CHECK_INT(strlen(s.ps_procs[i].pp_cmdline), ==,
		    s.ps_procs[i].pp_cmdline_len);
	CHECK_INT(s.ps_cmdline_cuts, ==, 0);
	CHECK(!s.ps_hidden);
	procfs_snapshot_free(&s);
}

/* A temporary tree: write path under dir, creating directories. */
static int
put(const char *dir, const char *rel, const char *data, size_t len)
{
	char path[PATH_MAX];
	char *slash;
	FILE *fp;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	for (slash = path + strlen(dir) + 1; (slash = strchr(slash, '/')) !=
	    NULL; slash++) {
		*slash = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	if (len > 0 && fwrite(data, 1, len, fp) != len) {
		fclose(fp);
		return -1;
	}
	return fclose(fp) == 0 ? 0 : -1;
}

static int
put_str(const char *dir, const char *rel, const char *data)
{
	return put(dir, rel, data, strlen(data));
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
put_globals(const char *dir)
{
	return put_str(dir, "stat", "cpu 1 2 3\nprocesses 777\n") == 0 &&
	    put_str(dir, "uptime", "5000.00 1.00\n") == 0 &&
	    put_str(dir, "sys/kernel/pid_max", "99999\n") == 0 ? 0 : -1;
}

/*
 * n processes, created in a scrambled pid order; every 7th is a zombie of
 * one of 5 parents (pids 2..6), with cmdline "cmd PID".
 */
static int
make_many(const char *dir, int n)
{
	char rel[64], buf[512];
	int i, pid, len, ppid;

	if (put_globals(dir) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		pid = 2 + (int)(((long)i * 7919) % n);
		ppid = pid % 7 == 0 ? 2 + pid % 5 : 1;
		len = snprintf(buf, sizeof(buf), "%d (p%d) %c %d 1 1 0 -1 0 0 0"
		    " 0 0 %d 0 0 0 20 0 2 0 %d 0 3" TAIL, pid, pid,
		    pid % 7 == 0 ? 'Z' : 'S', ppid, pid, pid * 10);
		if (len < 0 || (size_t)len >= sizeof(buf))
			return -1;
		snprintf(rel, sizeof(rel), "%d/stat", pid);
		if (put(dir, rel, buf, (size_t)len) == -1)
			return -1;
		len = snprintf(buf, sizeof(buf), "Name:\tp%d\nUid:\t%d\t0\t0\t0"
		    "\n", pid, pid % 100);
		snprintf(rel, sizeof(rel), "%d/status", pid);
		if (put(dir, rel, buf, (size_t)len) == -1)
			return -1;
		len = snprintf(buf, sizeof(buf), "cmd%c%d%c", '\0', pid, '\0');
		snprintf(rel, sizeof(rel), "%d/cmdline", pid);
		if (put(dir, rel, buf, (size_t)len) == -1)
			return -1;
	}
	return 0;
}

static void
check_many(const struct procfs_snapshot *s, int n)
{
	char want[32];
	size_t i, zombies = 0;
	const struct procfs_zparent *z;

	CHECK_INT(s->ps_count, ==, n);
	for (i = 0; i < s->ps_count; i++) {
		CHECK_INT(s->ps_procs[i].pp_pid, ==, (int)i + 2);
		if (s->ps_procs[i].pp_cmdline_len > 0) {
			snprintf(want, sizeof(want), "cmd %d",
			    s->ps_procs[i].pp_pid);
			CHECK_STR(s->ps_procs[i].pp_cmdline, want);
		}
		if (s->ps_procs[i].pp_state == PROCFS_ZOMBIE)
			zombies++;
	}
	CHECK_INT(s->ps_by_state[PROCFS_ZOMBIE], ==, zombies);
	CHECK_INT(s->ps_threads, ==, 2 * n);
	CHECK_INT(s->ps_nzparents, ==, 5);
	for (i = 0, zombies = 0; i < s->ps_nzparents; i++) {
		z = &s->ps_zparents[i];
		CHECK_INT(z->zp_pid, ==, (int)i + 2);
		snprintf(want, sizeof(want), "p%d", z->zp_pid);
		CHECK_STR(z->zp_name, want);
		zombies += z->zp_zombies;
	}
	CHECK_INT(zombies, ==, s->ps_by_state[PROCFS_ZOMBIE]);
}

static void
a_long_argv0_keeps_the_parameters_that_follow_it(void)
{
	char dir[] = "/tmp/test_procfs.XXXXXX";
	char line[1024], a0[301];
	struct procfs_snapshot s;
	const struct procfs_proc *p;
	size_t n;

	if (mkdtemp(dir) == NULL) {
		T_FAIL_("%s", "mkdtemp");
		return;
	}
	memset(&s, 0, sizeof(s));
	memset(a0, 'a', 300);
	a0[300] = '\0';
	n = (size_t)snprintf(line, sizeof(line), "%s%c--flag%c", a0, '\0',
	    '\0');
	memset(line + n, 'b', 200);
	n += 200;
	CHECK_INT(make_many(dir, 3), ==, 0);
	CHECK_INT(put(dir, "3/cmdline", line, n), ==, 0);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, 0);
	if ((p = find(&s, 3)) != NULL) {
		/* hrSWRunParameters: 128 octets after argv[0] and its space. */
		CHECK_INT(p->pp_cmdline_len, ==, 300 + 1 + PROCFS_ARGS_SERVED);
		CHECK_INT(memcmp(p->pp_cmdline + 300, " --flag b", 9), ==, 0);
	} else
		T_FAIL_("%s", "pid 3 missing");
	procfs_snapshot_free(&s);
	rm_tree(dir);
}

static void
the_command_line_budget_cuts_and_counts(void)
{
	static const size_t budgets[] = { 0, 50, 4000 };
	char dir[] = "/tmp/test_procfs.XXXXXX";
	char want[32];
	struct procfs_snapshot s;
	struct procfs_opts o = { true, 0 };
	const struct procfs_proc *p;
	size_t b, i, sum, full, live;

	if (mkdtemp(dir) == NULL) {
		T_FAIL_("%s", "mkdtemp");
		return;
	}
	memset(&s, 0, sizeof(s));
	CHECK_INT(make_many(dir, 100), ==, 0);
	for (b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++) {
		o.po_cmdline_budget = budgets[b];
		CHECK_INT(procfs_snapshot_take(dir, &o, &s), ==, 0);
		CHECK_INT(s.ps_count, ==, 100);
		sum = full = live = 0;
		for (i = 0; i < s.ps_count; i++) {
			p = &s.ps_procs[i];
			sum += p->pp_cmdline_len;
			if (p->pp_state == PROCFS_ZOMBIE)
				continue;
			live++;
			snprintf(want, sizeof(want), "cmd %d", p->pp_pid);
			if (strcmp(p->pp_cmdline, want) == 0)
				full++;
			else
				CHECK_INT(strncmp(p->pp_cmdline, want,
				    p->pp_cmdline_len), ==, 0);
		}
		/* Never past the budget; every line not whole is counted. */
		CHECK_INT(sum, <=, budgets[b]);
		CHECK_INT(s.ps_cmdline_cuts, ==, live - full);
		if (budgets[b] == 0)
			CHECK_INT(full, ==, 0);
		if (budgets[b] == 4000)
			CHECK_INT(full, ==, live);
		else
			CHECK_INT(s.ps_cmdline_cuts, >, 0);
	}
	procfs_snapshot_free(&s);
	rm_tree(dir);
}

static void
many_processes_in_scrambled_order_come_out_sorted_and_merged(void)
{
	char dir[] = "/tmp/test_procfs.XXXXXX";
	struct procfs_snapshot s;

	if (mkdtemp(dir) == NULL) {
		T_FAIL_("%s", "mkdtemp");
		return;
	}
	memset(&s, 0, sizeof(s));
	CHECK_INT(make_many(dir, 1500), ==, 0);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, 0);
	check_many(&s, 1500);
	CHECK_U64(s.ps_forks, ==, 777);
	/* 1500 processes cannot be read in no time at all. */
	CHECK_INT(s.ps_cpu_us, >, 0);
	procfs_snapshot_free(&s);
	rm_tree(dir);
}

/* Buffers are reused: alternate trees, with and without command lines. */
static void
a_snapshot_reused_across_trees_stays_exact(void)
{
	char dir[] = "/tmp/test_procfs.XXXXXX";
	struct procfs_snapshot s;
	const struct procfs_proc *p;
	int round;

	if (mkdtemp(dir) == NULL) {
		T_FAIL_("%s", "mkdtemp");
		return;
	}
	memset(&s, 0, sizeof(s));
	CHECK_INT(make_many(dir, 700), ==, 0);
	for (round = 0; round < 4; round++) {
		CHECK_INT(procfs_snapshot_take(BASIC,
		    round % 2 == 0 ? &CMD : &NOCMD, &s), ==,
		    0);
		CHECK_INT(s.ps_count, ==, 25);
		CHECK_INT(s.ps_nzparents, ==, 3);
		if ((p = find(&s, 1)) != NULL)
			CHECK_STR(p->pp_cmdline, round % 2 == 0 ?
			    "/sbin/init splash" : "");
		CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, 0);
		check_many(&s, 700);
		CHECK_INT(procfs_snapshot_take(dir, &NOCMD, &s), ==, 0);
		check_many(&s, 700);
		if ((p = find(&s, 9)) != NULL)
			CHECK_STR(p->pp_cmdline, "");
	}
	procfs_snapshot_free(&s);
	rm_tree(dir);
}

static void
a_failed_take_keeps_the_old_snapshot(void)
{
	char dir[] = "/tmp/test_procfs.XXXXXX";
	struct procfs_snapshot s;
	const struct procfs_proc *p;
	uint64_t taken;

	if (mkdtemp(dir) == NULL) {
		T_FAIL_("%s", "mkdtemp");
		return;
	}
	memset(&s, 0, sizeof(s));
	CHECK_INT(procfs_snapshot_take(BASIC, &CMD, &s), ==, 0);
	taken = s.ps_taken_ms;
	CHECK_INT(procfs_snapshot_take("/nonexistent/proc", &CMD, &s), ==,
	    PROCFS_ENOROOT);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, PROCFS_EGLOBAL);
	CHECK_INT(put_str(dir, "stat", "cpu 1\nprocesses 5\n"), ==, 0);
	CHECK_INT(put_str(dir, "uptime", "12.34 1\n"), ==, 0);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, PROCFS_EGLOBAL);
	CHECK_INT(put_str(dir, "sys/kernel/pid_max", "many\n"), ==, 0);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, PROCFS_EGLOBAL);
	CHECK_INT(put_str(dir, "sys/kernel/pid_max", "100\n"), ==, 0);
	CHECK_INT(put_str(dir, "uptime", "12.x 1\n"), ==, 0);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, PROCFS_EGLOBAL);
	CHECK_INT(put_str(dir, "uptime", "12.3 1\n"), ==, 0);
	CHECK_INT(put_str(dir, "stat", "cpu 1\nprocesses\n"), ==, 0);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, PROCFS_EGLOBAL);
	CHECK_INT(s.ps_count, ==, 25);
	CHECK_U64(s.ps_taken_ms, ==, taken);
	CHECK_U64(s.ps_forks, ==, 123456);
	if ((p = find(&s, 10)) != NULL)
		CHECK_STR(p->pp_cmdline,
		    "/usr/bin/my prog --flag value with space");
	/* Now good: an empty tree of processes, uptime 12.30 s. */
	CHECK_INT(put_str(dir, "stat", "processes 5"), ==, 0);
	CHECK_INT(procfs_snapshot_take(dir, &CMD, &s), ==, 0);
	CHECK_INT(s.ps_count, ==, 0);
	CHECK_INT(s.ps_nzparents, ==, 0);
	CHECK_U64(s.ps_uptime_cs, ==, 1230);
	CHECK_U64(s.ps_forks, ==, 5);
	CHECK_INT(s.ps_pid_max, ==, 100);
	procfs_snapshot_free(&s);
	rm_tree(dir);
}

static void
lower_bounds_find_the_first_pid_not_below(void)
{
	struct procfs_snapshot s;

	memset(&s, 0, sizeof(s));
	CHECK_INT(procfs_lower_bound(&s, 5), ==, 0);
	CHECK_INT(procfs_zparent_lower_bound(&s, 5), ==, 0);
	CHECK_INT(procfs_snapshot_take(BASIC, &NOCMD, &s), ==, 0);
	CHECK_INT(procfs_lower_bound(&s, INT32_MIN), ==, 0);
	CHECK_INT(procfs_lower_bound(&s, 1), ==, 0);
	CHECK_INT(procfs_lower_bound(&s, 4), ==, 3);
	CHECK_INT(procfs_lower_bound(&s, 10), ==, 3);
	CHECK_INT(procfs_lower_bound(&s, INT32_MAX), ==, s.ps_count - 1);
	CHECK_INT(procfs_zparent_lower_bound(&s, 0), ==, 0);
	CHECK_INT(procfs_zparent_lower_bound(&s, 11), ==, 1);
	CHECK_INT(procfs_zparent_lower_bound(&s, 100), ==, 3);
	procfs_snapshot_free(&s);
	procfs_snapshot_free(NULL);
}

static void
every_error_has_its_own_message(void)
{
	CHECK_STR(procfs_strerror(PROCFS_OK), "no error");
	CHECK(strcmp(procfs_strerror(PROCFS_ENOROOT),
	    procfs_strerror(PROCFS_ENOMEM)) != 0);
	CHECK(strcmp(procfs_strerror(PROCFS_EGLOBAL),
	    procfs_strerror(PROCFS_ENOMEM)) != 0);
	CHECK(procfs_strerror(-99) != NULL);
}

/* Count numeric entries of /proc the plain way. */
static size_t
readdir_count(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			n++;
	closedir(d);
	return n;
}

static void
the_real_proc_shows_us_our_parent_and_our_zombie(void)
{
	struct procfs_snapshot s;
	const struct procfs_proc *p;
	const struct procfs_zparent *z;
	char comm[17] = "";
	siginfo_t si;
	size_t before, after, lo, hi;
	pid_t child;

	memset(&s, 0, sizeof(s));
	prctl(PR_GET_NAME, comm, 0, 0, 0);
	if ((child = fork()) == 0)
		_exit(0);
	CHECK(child > 0);
	/* WNOWAIT: wait until the child is a zombie, without reaping it. */
	memset(&si, 0, sizeof(si));
	CHECK_INT(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT), ==, 0);
	before = readdir_count();
	CHECK_INT(procfs_snapshot_take("/proc", &CMD, &s), ==, 0);
	after = readdir_count();
	/* Other work churns processes meanwhile: allow 10% and 20 more. */
	lo = before < after ? before : after;
	hi = before > after ? before : after;
	CHECK(s.ps_count + lo / 10 + 20 >= lo);
	CHECK(s.ps_count <= hi + hi / 10 + 20);
	CHECK(s.ps_count > 0);
	/* Whoever may read pid 1 sees everything: not blind. */
	if (access("/proc/1/stat", R_OK) == 0)
		CHECK(!s.ps_hidden);
	if ((p = find(&s, getpid())) != NULL) {
		CHECK_INT(p->pp_ppid, ==, getppid());
		CHECK_STR(p->pp_comm, comm);
		CHECK_INT(p->pp_uid, ==, getuid());
		CHECK(p->pp_rss_kb > 0);
		CHECK(strstr(p->pp_cmdline, "test_procfs") != NULL);
	} else
		T_FAIL_("%s", "own pid missing");
	if ((p = find(&s, child)) != NULL) {
		CHECK_INT(p->pp_state, ==, PROCFS_ZOMBIE);
		CHECK_INT(p->pp_ppid, ==, getpid());
	} else
		T_FAIL_("%s", "zombie child missing");
	if ((z = zfind(&s, getpid())) != NULL) {
		CHECK_INT(z->zp_zombies, ==, 1);
		CHECK_STR(z->zp_name, comm);
	} else
		T_FAIL_("%s", "zombie parent row missing");
	CHECK(s.ps_by_state[PROCFS_ZOMBIE] >= 1);
	CHECK(s.ps_pid_max >= 301);
	CHECK(s.ps_forks > 0);
	CHECK(s.ps_uptime_cs > 0);
	waitpid(child, NULL, 0);
	procfs_snapshot_free(&s);
}

/* Read one line from fd within about 5 s; returns its length or -1. */
static ssize_t
read_line(int fd, char *buf, size_t cap)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	size_t len = 0;
	ssize_t n;
	int i;

	for (i = 0; i < 50 && len < cap - 1; i++) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((n = read(fd, buf + len, cap - 1 - len)) <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len) != NULL)
			return (ssize_t)len;
	}
	return -1;
}

/* tests/tools/zombie_maker, seen through a snapshot of the real /proc. */
static void
zombie_maker_zombies_show_up_and_go_away(void)
{
	struct procfs_snapshot s;
	const struct procfs_proc *p;
	const struct procfs_zparent *z;
	const char *build = getenv("BUILD");
	char path[PATH_MAX], line[256], *tok, *save = NULL;
	int fds[2], status = 0, nkids = 0;
	pid_t maker, kid;

	snprintf(path, sizeof(path), "%s/tools/zombie_maker",
	    build != NULL ? build : "build");
	if (access(path, X_OK) == -1) {
		T_FAIL_("%s is missing (make tools)", path);
		return;
	}
	memset(&s, 0, sizeof(s));
	CHECK_INT(pipe(fds), ==, 0);
	if ((maker = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(path, "zombie_maker", "zm-unit", "3", "20", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	CHECK(maker > 0);
	CHECK(read_line(fds[0], line, sizeof(line)) > 0);
	tok = strtok_r(line, " \n", &save);
	CHECK(tok != NULL && atoi(tok) == maker);
	CHECK_INT(procfs_snapshot_take("/proc", &NOCMD, &s), ==, 0);
	while ((tok = strtok_r(NULL, " \n", &save)) != NULL) {
		kid = atoi(tok);
		nkids++;
		if ((p = find(&s, kid)) != NULL) {
			CHECK_INT(p->pp_state, ==, PROCFS_ZOMBIE);
			CHECK_INT(p->pp_ppid, ==, maker);
			CHECK_STR(p->pp_comm, "zm-unit");
		} else
			T_FAIL_("%s", "a zombie is missing");
	}
	CHECK_INT(nkids, ==, 3);
	if ((p = find(&s, maker)) != NULL)
		CHECK_STR(p->pp_comm, "zm-unit");
	if ((z = zfind(&s, maker)) != NULL) {
		CHECK_STR(z->zp_name, "zm-unit");
		CHECK_INT(z->zp_zombies, ==, 3);
	} else
		T_FAIL_("%s", "zombie parent row missing");
	kill(maker, SIGUSR1);
	CHECK(read_line(fds[0], line, sizeof(line)) > 0);
	CHECK(strncmp(line, "reaped\n", 7) == 0);
	CHECK_INT(procfs_snapshot_take("/proc", &NOCMD, &s), ==, 0);
	CHECK(zfind(&s, maker) == NULL);
	kill(maker, SIGTERM);
	CHECK_INT(waitpid(maker, &status, 0), ==, maker);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	procfs_snapshot_free(&s);
}

int
main(void)
{
	tck = sysconf(_SC_CLK_TCK);
	pkb = (uint32_t)(sysconf(_SC_PAGESIZE) / 1024);
	RUN(the_basic_tree_holds_exactly_the_good_pids_in_order);
	RUN(the_basic_tree_rows_carry_their_fields);
	RUN(the_basic_tree_counts_states_threads_and_zombie_parents);
	RUN(command_lines_are_joined_trimmed_and_kept_as_far_as_served);
	RUN(a_long_argv0_keeps_the_parameters_that_follow_it);
	RUN(the_command_line_budget_cuts_and_counts);
	RUN(many_processes_in_scrambled_order_come_out_sorted_and_merged);
	RUN(a_snapshot_reused_across_trees_stays_exact);
	RUN(a_failed_take_keeps_the_old_snapshot);
	RUN(lower_bounds_find_the_first_pid_not_below);
	RUN(every_error_has_its_own_message);
	RUN(the_real_proc_shows_us_our_parent_and_our_zombie);
	RUN(zombie_maker_zombies_show_up_and_go_away);
	return t_done();
}
