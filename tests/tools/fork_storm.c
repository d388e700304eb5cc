/*
 * fork_storm TOTAL LIVE MAX_LIFE_MS DEADLINE_S: a test helper that forks
 * TOTAL short-lived children, at most LIVE at a time, each sleeping a
 * pseudo-random 0..MAX_LIFE_MS ms before it exits, and reaps them; it
 * stops early at DEADLINE_S seconds, so it is bounded in count and time.
 * It prints "forked N reaped M" and exits 0.  For the agent's fork storm
 * test (agent_storm.sh): /proc churns while requests come in.  Children
 * do not exec, so a fork costs little and the storm is dense.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define FS_MAX_TOTAL	100000
#define FS_MAX_LIVE	5000

static long
arg(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "fork_storm: bad number %s (%ld..%ld)\n", s,
		    lo, hi);
		exit(2);
	}
	return v;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long total, live, life, deadline, forked = 0, reaped = 0, alive = 0;
	struct timespec ts;
	unsigned seed = 12345;
	double end;
	pid_t p;

	if (argc != 5) {
		fprintf(stderr, "usage: fork_storm TOTAL LIVE MAX_LIFE_MS "
		    "DEADLINE_S\n");
		return 2;
	}
	total = arg(argv[1], 1, FS_MAX_TOTAL);
	live = arg(argv[2], 1, FS_MAX_LIVE);
	life = arg(argv[3], 0, 10000);
	deadline = arg(argv[4], 1, 600);
	end = now_s() + (double)deadline;
	while (forked < total && now_s() < end) {
		while (alive >= live) {
			if (waitpid(-1, NULL, 0) > 0) {
				alive--;
				reaped++;
			}
		}
		seed = seed * 1103515245u + 12345u;
		ts.tv_sec = 0;
		ts.tv_nsec = life > 0 ? (long)(seed >> 8) % life * 1000000 : 0;
		while (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if ((p = fork()) == 0) {
			nanosleep(&ts, NULL);
			_exit(0);
		}
		if (p == -1) {
			/* Out of pids or memory: wait for one and go on. */
			if (alive > 0 && waitpid(-1, NULL, 0) > 0) {
				alive--;
				reaped++;
			}
			continue;
		}
		forked++;
		alive++;
	}
	while (alive > 0 && waitpid(-1, NULL, 0) > 0) {
		alive--;
		reaped++;
	}
	printf("forked %ld reaped %ld\n", forked, reaped);
	return 0;
}
