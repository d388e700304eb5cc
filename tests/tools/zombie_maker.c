/*
 * zombie_maker NAME N [HOLD_S]: a test helper that makes N zombies and
 * holds them.  It names itself NAME (prctl PR_SET_NAME, so it shows in
 * /proc/PID/stat and in ptZpName), forks N children that exit at once, does
 * not reap them, and once all are zombies prints "PID CHILD1 ... CHILDN"
 * on one line.  Then:
 *   SIGUSR1  reap every child, print "reaped", keep running;
 *   SIGTERM, SIGINT or SIGHUP  reap and exit 0;
 *   HOLD_S seconds (default 60) after start  reap and exit 0 on its own,
 *   so a crashed test leaves nothing behind.
 * It installs no signal handler: the signals stay blocked and are taken
 * with sigtimedwait(), so nothing runs in signal context at all.
 * It is not a load generator and does not daemonize.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Enough zombies for any test, few enough not to exhaust pids. */
#define ZM_MAX_CHILDREN	10000
#define ZM_MAX_HOLD_S	86400
/* "PID " per child: at most 11 bytes each, plus our own and "\n". */
#define ZM_PID_TEXT	12

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void
reap(pid_t *kids, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		if (kids[i] <= 0)
			continue;
		while (waitpid(kids[i], NULL, 0) == -1 && errno == EINTR)
			;
		kids[i] = 0;
	}
}

static int
usage(void)
{
	static const char msg[] = "usage: zombie_maker NAME N [HOLD_S]\n";

	write_all(2, msg, sizeof(msg) - 1);
	return 2;
}

int
main(int argc, char **argv)
{
	struct timespec start, now, left;
	siginfo_t info;
	sigset_t set;
	pid_t *kids;
	char *line;
	size_t cap, len = 0;
	long n, hold = 60, i;
	int sig, w, rv = 0;

	if (argc < 3 || argc > 4 || argv[1][0] == '\0' ||
	    parse_long(argv[2], 0, ZM_MAX_CHILDREN, &n) == -1 ||
	    (argc == 4 && parse_long(argv[3], 1, ZM_MAX_HOLD_S, &hold) == -1))
		return usage();
	cap = (size_t)(n + 1) * ZM_PID_TEXT + 1;
	if ((kids = calloc((size_t)n + 1, sizeof(*kids))) == NULL ||
	    (line = malloc(cap)) == NULL)
		return 1;

	/* Zombies need SIGCHLD not ignored: an ignored one auto-reaps. */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return 1;
	prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &start);

	w = snprintf(line, cap, "%ld", (long)getpid());
	if (w < 0 || (size_t)w >= cap)
		return 1;
	len = (size_t)w;
	for (i = 0; i < n; i++) {
		if ((kids[i] = fork()) == -1) {
			kids[i] = 0;
			rv = 1;
			break;
		}
		if (kids[i] == 0)
			_exit(0);
		w = snprintf(line + len, cap - len, " %ld", (long)kids[i]);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
	line[len++] = '\n';
	/*
	 * Print only once every child is a zombie, so a reader of the line
	 * finds them all in /proc: WNOWAIT waits for the exit, reaps nothing.
	 */
	for (i = 0; i < n && rv == 0; i++) {
		memset(&info, 0, sizeof(info));
		while (kids[i] > 0 && waitid(P_PID, (id_t)kids[i], &info,
		    WEXITED | WNOWAIT) == -1)
			if (errno != EINTR) {
				rv = 1;
				break;
			}
	}
	if (rv != 0 || write_all(1, line, len) == -1) {
		reap(kids, n);
		return 1;
	}

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= hold)
			break;
		left.tv_sec = hold - (now.tv_sec - start.tv_sec);
		left.tv_nsec = 0;
		sig = sigtimedwait(&set, NULL, &left);
		if (sig == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		if (sig != SIGUSR1)
			break;
		reap(kids, n);
		if (write_all(1, "reaped\n", 7) == -1)
			break;
	}
	reap(kids, n);
	free(kids);
	free(line);
	return 0;
}
