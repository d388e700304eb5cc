/*
 * privsep: a helper that keeps root only to open the config file, so that
 * SIGHUP can reload a root-only (0600) config after the agent dropped to
 * `user:`.  Forked before the drop, it does nothing but wait on a socket:
 * for each request it opens the one path it was given and passes the
 * descriptor back (SCM_RIGHTS); it reads and parses nothing, and exits when
 * the agent closes its end or dies.  The agent parses what it reads, as
 * itself.  No logging here: errors go to the caller's errbuf or errno.
 */
#ifndef PT_PRIVSEP_H
#define PT_PRIVSEP_H

#include <stddef.h>
#include <sys/types.h>

/* How long the agent waits for the helper's answer. */
#define PRIVSEP_TIMEOUT_MS	2000

/*
 * Fork the helper for path (which stays valid in it: the helper has its
 * own copy of memory).  Returns the agent's end of the socket, close-on-
 * exec, with the helper's pid in *pid; or -1 with errbuf set.
 */
int	privsep_start(const char *path, pid_t *pid, char *errbuf,
	    size_t errlen);

/*
 * Ask the helper to open the config: returns a read-only descriptor, or
 * -1 with errno set (the helper's open() error, or ETIMEDOUT, EPIPE when
 * it is gone).
 */
int	privsep_open(int sock);

/* Close our end, so the helper exits, and reap it. */
void	privsep_stop(int sock, pid_t pid);

#endif
