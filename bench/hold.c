/*
 * hold N SECONDS: fork N children that sleep until this process exits
 * (each asks for SIGKILL when its parent dies) or SECONDS pass, print
 * "ready N" once all exist, and wait.  Grows /proc to a given size for the
 * benchmarks; children do not exec, so each costs little.  Bounded in
 * count and time.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define HOLD_MAX	30000

int
main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[1], NULL, 10) : -1;
	long secs = argc > 2 ? strtol(argv[2], NULL, 10) : -1;
	long i, made = 0;
	pid_t p;

	if (n < 0 || n > HOLD_MAX || secs < 1 || secs > 86400) {
		fprintf(stderr, "usage: hold N (0..%d) SECONDS\n", HOLD_MAX);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if ((p = fork()) == 0) {
			(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			sleep((unsigned)secs);
			_exit(0);
		}
		if (p > 0)
			made++;
	}
	printf("ready %ld\n", made);
	fflush(stdout);
	sleep((unsigned)secs);
	return 0;
}
