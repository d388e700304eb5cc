/*
 * snapcost ROUNDS: what a /proc snapshot costs against its floor, in one
 * process, interleaved round by round so all see the same load and the
 * same caches.  Each round times (this thread's CPU, user and system):
 *	snapshot  procfs_snapshot_take(), the agent's own code, as its
 *		  refresh thread runs it (no command lines)
 *	needed	  only listing /proc and reading the files a snapshot needs,
 *		  as procfs.c reads them (one openat, one read into one
 *		  reused buffer, one close): stat of every pid, status of
 *		  every one that is not a kernel thread
 *	stat	  only the stat of every pid
 * and prints the medians per process:
 *	"procs N snapshot X needed Y stat Z us/proc ratio R"
 * with R = snapshot / needed.  Asserts nothing.
 */
#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/procfs.h"

#define PF_MAX_PASSES	1000
#define PF_KTHREAD	0x00200000ul	/* include/linux/sched.h */

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static ssize_t
slurp(int dirfd, const char *path, char *buf, size_t cap)
{
	ssize_t n;
	int fd;

	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, cap);
	close(fd);
	return n;
}

/* Field 9 (flags) of a stat line says kernel thread. */
static bool
kthread(const char *buf, ssize_t n)
{
	const char *p = memrchr(buf, ')', (size_t)n);
	int field = 2;

	if (p == NULL)
		return false;
	for (; p < buf + n && field < 9; p++)
		if (*p == ' ')
			field++;
	return (strtoul(p, NULL, 10) & PF_KTHREAD) != 0;
}

/* One pass; returns CPU ns, and the number of pids in *procs. */
static uint64_t
pass(bool status, size_t *procs)
{
	char buf[4096], path[300];
	struct dirent *de;
	uint64_t t0 = cpu_ns();
	ssize_t n;
	DIR *d;
	int dfd;

	*procs = 0;
	if ((d = opendir("/proc")) == NULL)
		return 0;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/stat", de->d_name);
		if ((n = slurp(dfd, path, buf, sizeof(buf))) <= 0)
			continue;
		(*procs)++;
		if (status && !kthread(buf, n)) {
			snprintf(path, sizeof(path), "%s/status", de->d_name);
			(void)slurp(dfd, path, buf, 1024);
		}
	}
	closedir(d);
	return cpu_ns() - t0;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_d);
	return v[n / 2];
}

int
main(int argc, char **argv)
{
	static double snap[PF_MAX_PASSES], need[PF_MAX_PASSES],
	    st[PF_MAX_PASSES];
	static const struct procfs_opts opts = { false, 0 };
	struct procfs_snapshot s;
	int rounds = argc > 1 ? atoi(argv[1]) : 0, i;
	size_t procs = 0;
	uint64_t t0;
	double ms, mn;

	if (rounds < 1 || rounds > PF_MAX_PASSES) {
		fprintf(stderr, "usage: snapcost ROUNDS (1..%d)\n",
		    PF_MAX_PASSES);
		return 2;
	}
	memset(&s, 0, sizeof(s));
	for (i = 0; i < rounds; i++) {
		t0 = cpu_ns();
		if (procfs_snapshot_take("/proc", &opts, &s) != 0) {
			fprintf(stderr, "snapcost: cannot read /proc\n");
			return 1;
		}
		snap[i] = s.ps_count > 0 ? (double)(cpu_ns() - t0) / 1000.0 /
		    (double)s.ps_count : 0;
		need[i] = (double)pass(true, &procs) / 1000.0 /
		    (double)(procs > 0 ? procs : 1);
		st[i] = (double)pass(false, &procs) / 1000.0 /
		    (double)(procs > 0 ? procs : 1);
	}
	ms = median(snap, rounds);
	mn = median(need, rounds);
	printf("procs %zu snapshot %.2f needed %.2f stat %.2f us/proc ratio "
	    "%.2f\n", procs, ms, mn, median(st, rounds), mn > 0 ? ms / mn : 0);
	procfs_snapshot_free(&s);
	return 0;
}
