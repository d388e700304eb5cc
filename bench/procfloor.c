/*
 * procfloor PASSES: the floor of a /proc snapshot's cost on this host: the
 * CPU (this thread's, user and system) of only listing /proc and reading
 * the files a snapshot needs, as procfs.c reads them (one openat, one
 * read into one reused buffer, one close), with no parsing beyond telling
 * a kernel thread (its flags) from a process.  Two floors, the median of
 * PASSES each:
 *	stat	  /proc/PID/stat of every pid
 *	needed	  stat of every pid, status of every one not a kernel thread
 * Prints "procs N stat X us/proc needed Y us/proc".  Asserts nothing.
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
median(bool status, int passes, size_t *procs)
{
	static double v[PF_MAX_PASSES];
	uint64_t ns;
	int i;

	for (i = 0; i < passes; i++) {
		ns = pass(status, procs);
		v[i] = *procs > 0 ? (double)ns / 1000.0 / (double)*procs : 0;
	}
	qsort(v, (size_t)passes, sizeof(v[0]), cmp_d);
	return v[passes / 2];
}

int
main(int argc, char **argv)
{
	int passes = argc > 1 ? atoi(argv[1]) : 0;
	size_t procs = 0;
	double st, need;

	if (passes < 1 || passes > PF_MAX_PASSES) {
		fprintf(stderr, "usage: procfloor PASSES (1..%d)\n",
		    PF_MAX_PASSES);
		return 2;
	}
	st = median(false, passes, &procs);
	need = median(true, passes, &procs);
	printf("procs %zu stat %.2f us/proc needed %.2f us/proc\n", procs, st,
	    need);
	return 0;
}
