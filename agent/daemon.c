/*
 * daemon: detach, pidfile and privilege drop for proctel-agent.  This file
 * does the system calls and reports failures in the caller's buffer; it
 * does not log, loop or decide the order (main.c does).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/daemon.h"
#include "agent/exitcodes.h"
#include "lib/strnum.h"

/* Our comm and a pidfile's pid fit comfortably in these. */
#define DAEMON_COMM_MAX	64
#define DAEMON_PID_MAX	32

static int
daemon_fail(const char *what, char *errbuf, size_t errlen)
{
	int saved = errno;

	/* Truncation of the message is acceptable: it is only text. */
	(void)snprintf(errbuf, errlen, "%s: %s", what, strerror(saved));
	errno = saved;
	return -1;
}

/* Read a small file whole; returns its length or -1. */
static ssize_t
daemon_read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	do
		n = read(fd, buf, size - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

int
daemon_detach(int *notify_fd, char *errbuf, size_t errlen)
{
	int p[2], st;
	pid_t pid, w;
	uint8_t status;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) == -1)
		return daemon_fail("pipe", errbuf, errlen);
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return daemon_fail("fork", errbuf, errlen);
	}
	if (pid == 0) {
		close(p[0]);
		if (setsid() == -1) {
			close(p[1]);
			return daemon_fail("setsid", errbuf, errlen);
		}
		*notify_fd = p[1];
		return 0;
	}

	/*
	 * The parent: wait for the report, or for the pipe to close because
	 * the child exited (its message is already on our shared stderr).
	 */
	close(p[1]);
	do
		n = read(p[0], &status, 1);
	while (n == -1 && errno == EINTR);
	close(p[0]);
	if (n == 1)
		_exit(status);
	do
		w = waitpid(pid, &st, 0);
	while (w == -1 && errno == EINTR);
	if (w == pid && WIFEXITED(st))
		_exit(WEXITSTATUS(st));
	_exit(AGENT_EXIT_RUNTIME);
}

void
daemon_ready(int notify_fd, int status)
{
	uint8_t b = (uint8_t)status;
	ssize_t n;

	if (notify_fd == -1)
		return;
	/* SIGPIPE is ignored by main: a vanished parent is harmless. */
	do
		n = write(notify_fd, &b, 1);
	while (n == -1 && errno == EINTR);
	close(notify_fd);
}

void
daemon_fds_guard(void)
{
	int fd;

	do
		fd = open("/dev/null", O_RDWR | O_NOCTTY);
	while (fd >= 0 && fd <= 2);
	if (fd > 2)
		close(fd);
}

int
daemon_stdio_null(char *errbuf, size_t errlen)
{
	int fd, i;

	if ((fd = open("/dev/null", O_RDWR | O_NOCTTY)) == -1)
		return daemon_fail("/dev/null", errbuf, errlen);
	for (i = 0; i <= 2; i++) {
		if (fd != i && dup2(fd, i) == -1) {
			if (fd > 2)
				close(fd);
			return daemon_fail("dup2 /dev/null", errbuf, errlen);
		}
	}
	if (fd > 2)
		close(fd);
	return 0;
}

/*
 * Does the pidfile name a running proctel-agent?  A pid that is gone, or
 * reused by a program with another name, makes the file stale.  Anything
 * we cannot tell counts as live: refusing to start is the safe mistake.
 */
static bool
daemon_pid_live(const char *path)
{
	char buf[DAEMON_PID_MAX], proc[64], comm[DAEMON_COMM_MAX];
	char self[DAEMON_COMM_MAX];
	const char *errstr;
	int64_t pid;
	int n;

	if (daemon_read_small(path, buf, sizeof(buf)) <= 0)
		return false;
	if (strnum_i64(buf, 1, INT32_MAX, &pid, &errstr) == -1)
		return false;
	if (pid == getpid())
		return false;
	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return false;
	n = snprintf(proc, sizeof(proc), "/proc/%lld/comm", (long long)pid);
	if (n < 0 || (size_t)n >= sizeof(proc))
		return true;
	if (daemon_read_small(proc, comm, sizeof(comm)) < 0 ||
	    daemon_read_small("/proc/self/comm", self, sizeof(self)) < 0)
		return true;
	return strcmp(comm, self) == 0;
}

int
daemon_pidfile_check(const char *path, char *errbuf, size_t errlen)
{
	char old[DAEMON_PID_MAX];

	if (!daemon_pid_live(path))
		return 0;
	if (daemon_read_small(path, old, sizeof(old)) < 0)
		old[0] = '\0';
	(void)snprintf(errbuf, errlen, "%s: already running as pid %s", path,
	    old);
	return -1;
}

int
daemon_pidfile_write(const char *path, uid_t owner, gid_t group,
    char *errbuf, size_t errlen)
{
	char buf[DAEMON_PID_MAX];
	int fd, n, attempt;
	ssize_t w;

	for (attempt = 0; ; attempt++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0644);
		if (fd != -1)
			break;
		if (errno != EEXIST || attempt > 0)
			return daemon_fail(path, errbuf, errlen);
		if (daemon_pidfile_check(path, errbuf, errlen) == -1)
			return -1;
		/* Stale: remove it and try once more, still with O_EXCL. */
		if (unlink(path) == -1 && errno != ENOENT)
			return daemon_fail(path, errbuf, errlen);
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		errno = EOVERFLOW;
		goto fail;
	}
	do
		w = write(fd, buf, (size_t)n);
	while (w == -1 && errno == EINTR);
	if (w != n) {
		if (w >= 0)
			errno = EIO;
		goto fail;
	}
	if (owner != (uid_t)-1 && fchown(fd, owner, group) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	daemon_fail(path, errbuf, errlen);
	if (fd != -1)
		close(fd);
	(void)unlink(path);
	return -1;
}

void
daemon_pidfile_remove(const char *path)
{
	int fd;

	if (path == NULL)
		return;
	if (unlink(path) == 0 || errno == ENOENT)
		return;
	if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW)) !=
	    -1)
		close(fd);
}

int
daemon_drop_user(const char *name, uid_t uid, gid_t gid, char *errbuf,
    size_t errlen)
{
	char what[128];

	(void)snprintf(what, sizeof(what), "user %s", name);
	if (setgroups(1, &gid) == -1 ||
	    setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1)
		return daemon_fail(what, errbuf, errlen);
	if (getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid) {
		errno = EPERM;
		return daemon_fail(what, errbuf, errlen);
	}
	/* A drop that could be undone is no drop (OpenBSD's privsep check). */
	if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		errno = EPERM;
		(void)snprintf(errbuf, errlen, "user %s: could regain root",
		    name);
		return -1;
	}
	return 0;
}
