/*
 * ev: epoll, an fd-indexed callback table, a timer heap and before-sleep
 * hooks (see ev.h).  The epoll set is level-triggered, so a callback that
 * reads only part of what is waiting is called again on the next pass.
 */
#include <sys/epoll.h>
#include <sys/signalfd.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/ev.h"
#include "lib/sched.h"

/* Events per epoll_wait, and signals per read of the signalfd. */
#define EV_EVENTS	32
#define EV_SIGINFO	8
/* Hooks per loop: each user adds one or two. */
#define EV_HOOKS_MAX	8

struct ev_file {
	ev_fd_fn	 ef_fn;		/* NULL: not watched */
	void		*ef_arg;
	uint32_t	 ef_events;	/* the epoll events asked for */
};

struct ev_timer {
	ev_timer_fn	 et_fn;
	void		*et_arg;
};

struct ev_hook {
	ev_hook_fn	 eh_fn;
	void		*eh_arg;
};

struct ev {
	int		 ev_epfd;
	bool		 ev_stop;
	struct ev_file	*ev_files;	/* indexed by fd */
	size_t		 ev_nfiles;
	struct sched	*ev_sched;
	struct ev_timer	*ev_timers;
	size_t		 ev_ntimers;	/* in use */
	size_t		 ev_maxtimers;
	struct ev_hook	 ev_hooks[EV_HOOKS_MAX];
	size_t		 ev_nhooks;
	int		 ev_sigfd;
	ev_signal_fn	 ev_sigfn;
	void		*ev_sigarg;
	/*
	 * The batch being dispatched: a descriptor deleted by a callback has
	 * its entries after ev_at cleared, so a new descriptor that gets its
	 * number in the same pass never sees the old one's event.
	 */
	struct epoll_event *ev_batch;
	int		 ev_nbatch;
	int		 ev_at;
};

struct ev *
ev_new(size_t ntimers)
{
	struct ev *ev;
	int saved;

	if ((ev = calloc(1, sizeof(*ev))) == NULL)
		return NULL;
	ev->ev_epfd = -1;
	ev->ev_sigfd = -1;
	ev->ev_maxtimers = ntimers;
	if ((ev->ev_sched = sched_new(ntimers)) == NULL ||
	    (ev->ev_timers = calloc(ntimers ? ntimers : 1,
	    sizeof(*ev->ev_timers))) == NULL) {
		errno = ENOMEM;
		goto fail;
	}
	if ((ev->ev_epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		goto fail;
	return ev;

fail:
	saved = errno;
	ev_free(ev);
	errno = saved;
	return NULL;
}

void
ev_free(struct ev *ev)
{
	if (ev == NULL)
		return;
	if (ev->ev_sigfd != -1)
		close(ev->ev_sigfd);
	if (ev->ev_epfd != -1)
		close(ev->ev_epfd);
	sched_free(ev->ev_sched);
	free(ev->ev_timers);
	free(ev->ev_files);
	free(ev);
}

int
ev_fd_add(struct ev *ev, int fd, ev_fd_fn fn, void *arg)
{
	struct epoll_event ee;
	struct ev_file *f;
	size_t n;

	if (fd < 0 || fn == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((size_t)fd >= ev->ev_nfiles) {
		n = (size_t)fd + 16;
		if ((f = reallocarray(ev->ev_files, n, sizeof(*f))) == NULL)
			return -1;
		memset(f + ev->ev_nfiles, 0, (n - ev->ev_nfiles) * sizeof(*f));
		ev->ev_files = f;
		ev->ev_nfiles = n;
	}
	if (ev->ev_files[fd].ef_fn != NULL) {
		errno = EEXIST;
		return -1;
	}
	memset(&ee, 0, sizeof(ee));
	ee.events = EPOLLIN;
	ee.data.fd = fd;
	if (epoll_ctl(ev->ev_epfd, EPOLL_CTL_ADD, fd, &ee) == -1)
		return -1;
	ev->ev_files[fd].ef_fn = fn;
	ev->ev_files[fd].ef_arg = arg;
	ev->ev_files[fd].ef_events = EPOLLIN;
	return 0;
}

int
ev_fd_want(struct ev *ev, int fd, bool in, bool out)
{
	struct epoll_event ee;
	uint32_t events = (in ? EPOLLIN : 0) | (out ? EPOLLOUT : 0);

	if (fd < 0 || (size_t)fd >= ev->ev_nfiles ||
	    ev->ev_files[fd].ef_fn == NULL) {
		errno = ENOENT;
		return -1;
	}
	/* Called after every event of a stream: no system call if unchanged. */
	if (ev->ev_files[fd].ef_events == events)
		return 0;
	memset(&ee, 0, sizeof(ee));
	ee.events = events;
	ee.data.fd = fd;
	if (epoll_ctl(ev->ev_epfd, EPOLL_CTL_MOD, fd, &ee) == -1)
		return -1;
	ev->ev_files[fd].ef_events = events;
	return 0;
}

void
ev_fd_del(struct ev *ev, int fd)
{
	int k;

	if (fd < 0 || (size_t)fd >= ev->ev_nfiles ||
	    ev->ev_files[fd].ef_fn == NULL)
		return;
	(void)epoll_ctl(ev->ev_epfd, EPOLL_CTL_DEL, fd, NULL);
	ev->ev_files[fd].ef_fn = NULL;
	ev->ev_files[fd].ef_arg = NULL;
	for (k = ev->ev_at + 1; k < ev->ev_nbatch; k++)
		if (ev->ev_batch[k].data.fd == fd)
			ev->ev_batch[k].data.fd = -1;
}

int
ev_timer_new(struct ev *ev, ev_timer_fn fn, void *arg)
{
	if (fn == NULL || ev->ev_ntimers == ev->ev_maxtimers)
		return -1;
	ev->ev_timers[ev->ev_ntimers].et_fn = fn;
	ev->ev_timers[ev->ev_ntimers].et_arg = arg;
	return (int)ev->ev_ntimers++;
}

void
ev_timer_at(struct ev *ev, int id, uint64_t when)
{
	if (id >= 0 && (size_t)id < ev->ev_ntimers)
		sched_set(ev->ev_sched, (uint32_t)id, when);
}

void
ev_timer_cancel(struct ev *ev, int id)
{
	if (id >= 0 && (size_t)id < ev->ev_ntimers)
		sched_cancel(ev->ev_sched, (uint32_t)id);
}

int
ev_hook_add(struct ev *ev, ev_hook_fn fn, void *arg)
{
	if (fn == NULL || ev->ev_nhooks == EV_HOOKS_MAX) {
		errno = ENOMEM;
		return -1;
	}
	ev->ev_hooks[ev->ev_nhooks].eh_fn = fn;
	ev->ev_hooks[ev->ev_nhooks].eh_arg = arg;
	ev->ev_nhooks++;
	return 0;
}

/* Deliver pending signals to the callback. */
static void
ev_signal_read(struct ev *ev, int fd, void *arg)
{
	struct signalfd_siginfo si[EV_SIGINFO];
	ssize_t n;
	size_t i;

	(void)arg;
	n = read(fd, si, sizeof(si));
	if (n <= 0)
		return;
	for (i = 0; i < (size_t)n / sizeof(si[0]); i++)
		ev->ev_sigfn(ev, (int)si[i].ssi_signo, ev->ev_sigarg);
}

int
ev_signals(struct ev *ev, const sigset_t *set, ev_signal_fn fn, void *arg)
{
	int fd, saved;

	if (ev->ev_sigfd != -1 || fn == NULL) {
		errno = EBUSY;
		return -1;
	}
	if (sigprocmask(SIG_BLOCK, set, NULL) == -1)
		return -1;
	if ((fd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		return -1;
	ev->ev_sigfn = fn;
	ev->ev_sigarg = arg;
	if (ev_fd_add(ev, fd, ev_signal_read, NULL) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	ev->ev_sigfd = fd;
	return 0;
}

/* Fire every timer due by now; one that re-arms for now waits a pass. */
static void
ev_timers_fire(struct ev *ev)
{
	uint64_t now = clock_mono_ms();
	uint32_t id;
	size_t n = 0;

	while (n++ < ev->ev_ntimers && sched_pop_due(ev->ev_sched, now, &id))
		ev->ev_timers[id].et_fn(ev, (int)id, ev->ev_timers[id].et_arg);
}

/* Milliseconds until the next timer, capped by max_wait_ms (-1: none). */
static int
ev_wait_ms(const struct ev *ev, int max_wait_ms)
{
	uint64_t when, now;
	uint32_t id;
	int ms;

	if (!sched_peek(ev->ev_sched, &id, &when))
		return max_wait_ms;
	now = clock_mono_ms();
	if (when <= now)
		return 0;
	ms = when - now > INT32_MAX ? INT32_MAX : (int)(when - now);
	return max_wait_ms >= 0 && max_wait_ms < ms ? max_wait_ms : ms;
}

int
ev_run_once(struct ev *ev, int max_wait_ms)
{
	struct epoll_event ee[EV_EVENTS];
	struct ev_file *f;
	size_t i;
	int n, k, fd;

	for (i = 0; i < ev->ev_nhooks; i++)
		ev->ev_hooks[i].eh_fn(ev, ev->ev_hooks[i].eh_arg);
	n = epoll_wait(ev->ev_epfd, ee, EV_EVENTS, ev_wait_ms(ev, max_wait_ms));
	if (n == -1) {
		/* SIGSTOP/SIGCONT and ptrace interrupt a wait. */
		if (errno == EINTR)
			return 0;
		return -1;
	}
	ev->ev_batch = ee;
	ev->ev_nbatch = n;
	for (k = 0; k < n && !ev->ev_stop; k++) {
		ev->ev_at = k;
		fd = ee[k].data.fd;
		/* Deleted by an earlier callback of this dispatch: skip. */
		if (fd < 0 || (size_t)fd >= ev->ev_nfiles)
			continue;
		f = &ev->ev_files[fd];
		if (f->ef_fn != NULL)
			f->ef_fn(ev, fd, f->ef_arg);
	}
	ev->ev_batch = NULL;
	ev->ev_nbatch = 0;
	if (!ev->ev_stop)
		ev_timers_fire(ev);
	return 0;
}

int
ev_run(struct ev *ev)
{
	ev->ev_stop = false;
	while (!ev->ev_stop)
		if (ev_run_once(ev, -1) == -1)
			return -1;
	return 0;
}

void
ev_stop(struct ev *ev)
{
	ev->ev_stop = true;
}
