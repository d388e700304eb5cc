/*
 * lock: the run lock (see lock.h).  Why each check: a lock file in a
 * directory others can write (the old example used /tmp) can be created
 * first by another user, or be a symbolic link to a file of root's that a
 * root run would have truncated.  O_NOFOLLOW refuses the link, the owner
 * check refuses the other user's file (with a message naming them, not a
 * silent hang), the link count refuses a hard link to someone's file, the
 * content (empty, or digits and a newline) refuses a file of ours that
 * was never a lock (lock_file: /etc/hostname as root), and O_NONBLOCK | O_NOCTTY
 * keeps a FIFO or a device put there from blocking or becoming our
 * terminal before fstat() shows it is not a regular file.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/lock.h"
#include "lib/log.h"

static const char *
lock_user(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL && pw->pw_name != NULL)
		(void)snprintf(buf, len, "%s (uid %lu)", pw->pw_name,
		    (unsigned long)uid);
	else
		(void)snprintf(buf, len, "uid %lu", (unsigned long)uid);
	return buf;
}

/* The holder as "pid N (comm)", from the file and /proc. */
static void
lock_holder(int fd, char *buf, size_t len)
{
	char pid[LOCK_FILE_MAX + 1], path[64], comm[32];
	ssize_t n;
	size_t i;
	FILE *fp;
	int k;

	n = pread(fd, pid, sizeof(pid) - 1, 0);
	pid[n > 0 ? n : 0] = '\0';
	pid[strcspn(pid, "\n")] = '\0';
	for (i = 0; pid[i] != '\0'; i++)
		if (pid[i] < '0' || pid[i] > '9')
			break;
	if (i == 0 || pid[i] != '\0') {
		(void)snprintf(buf, len, "a process whose pid is not "
		    "recorded");
		return;
	}
	comm[0] = '\0';
	k = snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if (k > 0 && (size_t)k < sizeof(path) &&
	    (fp = fopen(path, "re")) != NULL) {
		if (fgets(comm, sizeof(comm), fp) == NULL)
			comm[0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		fclose(fp);
	}
	if (comm[0] != '\0')
		(void)snprintf(buf, len, "pid %s (%s)", pid, comm);
	else
		(void)snprintf(buf, len, "pid %s", pid);
}

/* Whether the file holds nothing, or a pid and maybe a newline. */
static int
lock_looks_ours(int fd)
{
	char buf[LOCK_FILE_MAX + 1];
	ssize_t n;
	size_t i;

	if ((n = pread(fd, buf, sizeof(buf), 0)) < 0 || n > LOCK_FILE_MAX)
		return 0;
	for (i = 0; i < (size_t)n && buf[i] >= '0' && buf[i] <= '9'; i++)
		;
	if (i < (size_t)n && buf[i] == '\n' && i > 0)
		i++;
	return i == (size_t)n;
}

/* Warn when users other than us may create names beside the lock. */
static void
lock_check_dir(const char *path)
{
	struct stat st;
	char *copy, *dir;

	if ((copy = strdup(path)) == NULL)
		return;
	dir = dirname(copy);
	if (stat(dir, &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		log_warnx("lock %s: other users may write %s, so they can "
		    "take the lock's name first and block every run; put "
		    "lock_file where only this user can write", path, dir);
	free(copy);
}

enum lock_result
lock_take(const char *path, int *fdp, char *err, size_t errlen)
{
	struct stat st;
	char who[96], me[96], holder[128], buf[32];
	int fd, len;

	*fdp = -1;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK | O_NOCTTY, 0600);
	if (fd == -1 && errno == EEXIST)
		fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK |
		    O_NOCTTY);
	if (fd == -1) {
		if (errno == ELOOP)
			(void)snprintf(err, errlen, "lock %s is a symbolic "
			    "link; refusing to follow it", path);
		else
			(void)snprintf(err, errlen, "lock %s: %s", path,
			    strerror(errno));
		return LOCK_REFUSED;
	}
	if (fstat(fd, &st) == -1) {
		(void)snprintf(err, errlen, "lock %s: fstat: %s", path,
		    strerror(errno));
		goto refused;
	}
	if (!S_ISREG(st.st_mode)) {
		(void)snprintf(err, errlen, "lock %s is not a regular file; "
		    "refusing to use it", path);
		goto refused;
	}
	if (st.st_uid != geteuid()) {
		(void)snprintf(err, errlen, "lock %s belongs to %s, not to "
		    "%s who runs the collector; refusing to use it (remove "
		    "it, or set lock_file where only this user can write)",
		    path, lock_user(st.st_uid, who, sizeof(who)),
		    lock_user(geteuid(), me, sizeof(me)));
		goto refused;
	}
	if (st.st_nlink != 1) {
		(void)snprintf(err, errlen, "lock %s has %lu links; refusing "
		    "to use it", path, (unsigned long)st.st_nlink);
		goto refused;
	}
	if (st.st_size > LOCK_FILE_MAX || !lock_looks_ours(fd)) {
		(void)snprintf(err, errlen, "lock %s holds something other "
		    "than a pid (%lld bytes): not a lock file; refusing to "
		    "overwrite it", path, (long long)st.st_size);
		goto refused;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK) {
			lock_holder(fd, holder, sizeof(holder));
			(void)snprintf(err, errlen, "another run holds the "
			    "lock %s: %s", path, holder);
			close(fd);
			return LOCK_BUSY;
		}
		(void)snprintf(err, errlen, "lock %s: flock: %s", path,
		    strerror(errno));
		goto refused;
	}
	lock_check_dir(path);
	/* Ours, regular, one link, a pid at most: safe to rewrite. */
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (len < 0 || (size_t)len >= sizeof(buf) || ftruncate(fd, 0) == -1 ||
	    pwrite(fd, buf, (size_t)len, 0) != len)
		log_warn("lock %s: cannot write the pid", path);
	*fdp = fd;
	return LOCK_TAKEN;
refused:
	close(fd);
	return LOCK_REFUSED;
}

void
lock_release(int fd)
{
	if (fd == -1)
		return;
	/* No stale pid for the next loser to name; a (void) cast does not
	 * silence warn_unused_result under _FORTIFY_SOURCE. */
	if (ftruncate(fd, 0) == -1)
		log_debug("lock: cannot clear the pid");
	close(fd);
}
