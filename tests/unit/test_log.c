/*
 * test_log: lib/log.c in the foreground (stderr): levels filter, log_warn
 * appends strerror(errno), fatal and fatalx exit with the status given.
 * Each case runs in a child whose stderr is a pipe.  Syslog is not tested.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/harness.h"
#include "lib/log.h"

enum log_case { LC_LEVELS, LC_WARN_ERRNO, LC_FATAL, LC_FATALX };

static void
child(enum log_case c)
{
	log_init("t", 0, LOG_LEVEL_INFO);
	switch (c) {
	case LC_LEVELS:
		log_debug("hidden %d", 1);
		log_info("info %d", 2);
		log_set_level(LOG_LEVEL_DEBUG);
		log_debug("debug %d", 3);
		log_set_level(LOG_LEVEL_ERROR);
		log_warnx("hidden %d", 4);
		exit(log_get_level() == LOG_LEVEL_ERROR ? 0 : 9);
	case LC_WARN_ERRNO:
		errno = ENOENT;
		log_warn("open %s", "x");
		exit(errno == ENOENT ? 0 : 9);
	case LC_FATAL:
		errno = EACCES;
		fatal(3, "bind %d", 161);
	case LC_FATALX:
		fatalx(2, "bad config");
	}
	exit(8);
}

/* Run case c in a child; its stderr into out, its exit status returned. */
static int
run(enum log_case c, char *out, size_t size)
{
	int fds[2], status = -1;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	out[0] = '\0';
	if (pipe(fds) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		(void)dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		child(c);
	}
	close(fds[1]);
	while (n + 1 < size && (r = read(fds[0], out + n, size - n - 1)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
levels_filter_messages(void)
{
	char out[512];

	CHECK_INT(run(LC_LEVELS, out, sizeof(out)), ==, 0);
	CHECK_STR(out, "t: info 2\nt: debug 3\n");
}

static void
log_warn_appends_strerror_and_keeps_errno(void)
{
	char out[512];

	CHECK_INT(run(LC_WARN_ERRNO, out, sizeof(out)), ==, 0);
	CHECK_STR(out, "t: open x: No such file or directory\n");
}

static void
fatal_and_fatalx_exit_with_the_status_given(void)
{
	char out[512];

	CHECK_INT(run(LC_FATAL, out, sizeof(out)), ==, 3);
	CHECK_STR(out, "t: bind 161: Permission denied\n");
	CHECK_INT(run(LC_FATALX, out, sizeof(out)), ==, 2);
	CHECK_STR(out, "t: bad config\n");
}

static void
level_names_parse(void)
{
	CHECK_INT(log_level_parse("error"), ==, LOG_LEVEL_ERROR);
	CHECK_INT(log_level_parse("warn"), ==, LOG_LEVEL_WARN);
	CHECK_INT(log_level_parse("info"), ==, LOG_LEVEL_INFO);
	CHECK_INT(log_level_parse("debug"), ==, LOG_LEVEL_DEBUG);
	CHECK_INT(log_level_parse("Debug"), ==, -1);
	CHECK_INT(log_level_parse("warning"), ==, -1);
	CHECK_INT(log_level_parse(""), ==, -1);
	CHECK_INT(log_level_parse(NULL), ==, -1);
}

int
main(void)
{
	RUN(levels_filter_messages);
	RUN(log_warn_appends_strerror_and_keeps_errno);
	RUN(fatal_and_fatalx_exit_with_the_status_given);
	RUN(level_names_parse);
	return t_done();
}
