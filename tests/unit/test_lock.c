/*
 * Unit tests of the run lock (collector/lock.c) on real files in a temp
 * directory: taken and released, held by another open file description
 * (busy, the holder's pid named), and every file it must refuse and leave
 * byte for byte as it was: a symbolic link to a file, a hard link, a file
 * of another user (as root only), a file holding more than a pid, a FIFO.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/lock.h"
#include "lib/log.h"
#include "tests/harness.h"

static char t_dir[] = "/tmp/proctel-lock.XXXXXX";

static void
t_path(char *buf, size_t len, const char *name)
{
	(void)snprintf(buf, len, "%s/%s", t_dir, name);
}

static void
t_write(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		abort();
	fputs(s, fp);
	fclose(fp);
}

/* The whole file, or "" when it cannot be read. */
static const char *
t_read(const char *path)
{
	static char buf[256];
	size_t n;
	FILE *fp;

	buf[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
a_new_lock_file_is_created_private_with_our_pid_and_emptied_at_release(void)
{
	char path[256], err[256], pid[32];
	struct stat st;
	int fd = -1;

	t_path(path, sizeof(path), "new.lock");
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_TAKEN);
	CHECK(fd != -1);
	(void)snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	CHECK_STR(t_read(path), pid);
	CHECK_INT(stat(path, &st), ==, 0);
	CHECK_INT(st.st_mode & 0777, ==, 0600);
	lock_release(fd);
	CHECK_STR(t_read(path), "");
	/* An empty lock left by an earlier run is taken again. */
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_TAKEN);
	lock_release(fd);
	unlink(path);
}

static void
a_held_lock_is_busy_and_the_message_names_the_holder(void)
{
	char path[256], err[256], want[64];
	int fd = -1, fd2 = -1;

	t_path(path, sizeof(path), "held.lock");
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_TAKEN);
	/* flock conflicts between two open file descriptions. */
	CHECK_INT(lock_take(path, &fd2, err, sizeof(err)), ==, LOCK_BUSY);
	CHECK_INT(fd2, ==, -1);
	(void)snprintf(want, sizeof(want), "pid %ld (", (long)getpid());
	CHECK(strstr(err, want) != NULL);
	CHECK(strstr(err, "another run holds the lock") != NULL);
	lock_release(fd);
	unlink(path);
}

static void
a_symbolic_link_is_refused_and_its_target_is_not_touched(void)
{
	char path[256], target[256], err[256];
	int fd = -1;

	t_path(target, sizeof(target), "precious");
	t_path(path, sizeof(path), "link.lock");
	t_write(target, "do not truncate me\n");
	CHECK_INT(symlink(target, path), ==, 0);
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_REFUSED);
	CHECK(strstr(err, "symbolic link") != NULL);
	CHECK_STR(t_read(target), "do not truncate me\n");
	/* A dangling link is not created through either. */
	unlink(target);
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_REFUSED);
	CHECK_INT(access(target, F_OK), ==, -1);
	unlink(path);
}

static void
a_hard_link_and_a_file_holding_more_than_a_pid_are_refused_unchanged(void)
{
	char path[256], other[256], err[256];
	int fd = -1;

	t_path(other, sizeof(other), "hostname");
	t_path(path, sizeof(path), "hard.lock");
	t_write(other, "123\n");
	CHECK_INT(link(other, path), ==, 0);
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_REFUSED);
	CHECK(strstr(err, "links") != NULL);
	CHECK_STR(t_read(other), "123\n");
	unlink(path);
	/* A small file of ours that is not a pid (lock_file: /etc/hostname). */
	t_write(path, "myhost\n");
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_REFUSED);
	CHECK(strstr(err, "not a lock file") != NULL);
	CHECK_STR(t_read(path), "myhost\n");
	t_write(path, "12345678901234567890123456789012345678901234567890"
	    "12345678901234567890\n");
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_REFUSED);
	unlink(path);
	unlink(other);
}

static void
a_fifo_in_the_locks_place_is_refused_without_blocking(void)
{
	char path[256], err[256];
	int fd = -1;

	t_path(path, sizeof(path), "fifo.lock");
	CHECK_INT(mkfifo(path, 0600), ==, 0);
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_REFUSED);
	CHECK(strstr(err, "not a regular file") != NULL);
	unlink(path);
}

static void
a_lock_file_of_another_user_is_refused_unchanged_naming_its_owner(void)
{
	char path[256], err[256];
	int fd = -1;

	if (geteuid() != 0) {
		T_SKIP("needs root to give a file to another user");
		return;
	}
	t_path(path, sizeof(path), "theirs.lock");
	t_write(path, "4242\n");
	CHECK_INT(chown(path, 65534, 65534), ==, 0);
	CHECK_INT(lock_take(path, &fd, err, sizeof(err)), ==, LOCK_REFUSED);
	CHECK(strstr(err, "uid 65534") != NULL);
	CHECK(strstr(err, "refusing") != NULL);
	CHECK_STR(t_read(path), "4242\n");
	unlink(path);
}

int
main(void)
{
	char cmd[64];
	int rc;

	log_init("test_lock", 0, LOG_LEVEL_ERROR);
	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(a_new_lock_file_is_created_private_with_our_pid_and_emptied_at_release);
	RUN(a_held_lock_is_busy_and_the_message_names_the_holder);
	RUN(a_symbolic_link_is_refused_and_its_target_is_not_touched);
	RUN(a_hard_link_and_a_file_holding_more_than_a_pid_are_refused_unchanged);
	RUN(a_fifo_in_the_locks_place_is_refused_without_blocking);
	RUN(a_lock_file_of_another_user_is_refused_unchanged_naming_its_owner);
	rc = t_done();
	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", t_dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
