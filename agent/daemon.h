/*
 * daemon: the Unix chores of proctel-agent's start-up: detaching into the
 * background with a readiness report to the waiting parent, the pidfile,
 * and dropping root for an unprivileged user.  main.c decides the order;
 * nothing here logs, each function fills the caller's errbuf instead.
 */
#ifndef PT_DAEMON_H
#define PT_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Fork.  The parent waits until the child calls daemon_ready() and exits
 * with the status given there, or, should the child exit first, with the
 * child's own exit status; so `proctel-agent --daemon` returns once the
 * daemon serves, or fails with the reason still on the terminal.  In the
 * child (the only return) the process leads a new session, and *notify_fd
 * is the pipe for daemon_ready().  Returns 0, or -1 with errbuf set.
 */
int	daemon_detach(int *notify_fd, char *errbuf, size_t errlen);
/* Tell the waiting parent to exit with status; closes notify_fd. */
void	daemon_ready(int notify_fd, int status);
/*
 * Open /dev/null on whichever of fds 0, 1 and 2 are closed, so that no
 * socket or pipe opened later lands there (to be clobbered by
 * daemon_stdio_null() or written to by a stray message).  Call first.
 */
void	daemon_fds_guard(void);
/* Point stdin, stdout and stderr at /dev/null; 0 or -1 with errbuf set. */
int	daemon_stdio_null(char *errbuf, size_t errlen);

/*
 * Create path (absolute) holding our pid, refusing when it names a live
 * proctel-agent; a stale file is replaced.  O_EXCL, so two starts cannot
 * both win.  When owner is not (uid_t)-1, the file is given to that user so
 * it can still be emptied after privileges are dropped.
 * Returns 0, or -1 with errbuf set.
 */
int	daemon_pidfile_write(const char *path, uid_t owner, gid_t group,
	    char *errbuf, size_t errlen);
/*
 * Before any start-up work: -1 with errbuf set when path names a running
 * proctel-agent, so a second start fails before it binds anything.
 * daemon_pidfile_write() checks again, atomically.
 */
int	daemon_pidfile_check(const char *path, char *errbuf, size_t errlen);
/*
 * Remove our pidfile; when its directory does not let us (privileges were
 * dropped), empty it instead, which the next start treats as stale.
 */
void	daemon_pidfile_remove(const char *path);

/*
 * Become uid/gid (with gid as the only group) for good: setgroups,
 * setresgid, setresuid, then check that root cannot be regained.
 * Returns 0, or -1 with errbuf set.
 */
int	daemon_drop_user(const char *name, uid_t uid, gid_t gid, char *errbuf,
	    size_t errlen);

#endif
