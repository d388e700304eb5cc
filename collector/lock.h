/*
 * lock: the run lock that keeps two collector runs with one configuration
 * apart: flock(2) on a small file holding the holder's pid.  The file is
 * opened without following a symbolic link, and only a regular file of
 * the collector's own user, with one link and no more than a pid inside,
 * is ever written or truncated; anything else is refused, unchanged.
 */
#ifndef PT_LOCK_H
#define PT_LOCK_H

#include <stddef.h>

enum lock_result {
	LOCK_TAKEN = 0,
	LOCK_BUSY = -1,		/* another run holds it: err names the pid */
	LOCK_REFUSED = -2,	/* not a file we may use: err says why */
};

/* A lock file holds a pid and a newline; anything longer is not ours. */
#define LOCK_FILE_MAX	64

/*
 * Take the lock at path: create it (0600) or open the one there, check
 * it, flock(LOCK_EX | LOCK_NB) it and write our pid.  On LOCK_TAKEN *fd
 * holds it until lock_release(); otherwise err says why, naming the
 * holder's pid and command when another run holds it.  Warns (log) when
 * other users may write the file's directory, since they could take the
 * name first.
 */
enum lock_result lock_take(const char *path, int *fd, char *err,
		    size_t errlen);
/* Empty the file (no stale pid to name) and close it; fd -1 is a no-op. */
void		 lock_release(int fd);

#endif
