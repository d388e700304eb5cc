/*
 * ev: one small event loop for both programs, after Redis' ae: epoll over
 * file descriptors with a callback each, timers in a heap (lib/sched.h),
 * hooks run before every sleep, and signals delivered through a signalfd
 * as callbacks in the loop's thread.  Everything is allocated when a
 * descriptor, timer or hook is added, never while the loop runs.  Not
 * thread-safe: one loop belongs to one thread; other threads wake it by
 * writing to a descriptor it watches (an eventfd).
 *
 * Times are clock_mono_ms() values.  A callback may add or delete
 * descriptors and set or cancel timers, its own included; a descriptor
 * deleted during a dispatch gets no further events from that dispatch.
 */
#ifndef PT_EV_H
#define PT_EV_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev;

/*
 * fd is readable, or writable when output is watched (ev_fd_want()), or
 * has an error or hang-up to read: the callback tries what it wants.
 */
typedef void (*ev_fd_fn)(struct ev *ev, int fd, void *arg);
typedef void (*ev_timer_fn)(struct ev *ev, int id, void *arg);
typedef void (*ev_hook_fn)(struct ev *ev, void *arg);
typedef void (*ev_signal_fn)(struct ev *ev, int signo, void *arg);

/*
 * Returns a new loop with room for ntimers timers, or NULL with errno set.
 * Free with ev_free(), which closes only the loop's own descriptors (epoll,
 * signalfd), never those given to ev_fd_add().
 */
struct ev *ev_new(size_t ntimers);
void	ev_free(struct ev *ev);

/* Watch fd for input; one callback per fd.  0, or -1 with errno set. */
int	ev_fd_add(struct ev *ev, int fd, ev_fd_fn fn, void *arg);
/*
 * What to watch fd for: input, output, both, or neither (errors and
 * hang-ups are reported all the same, as epoll does).  A stream socket
 * watches output only while it has octets waiting, and input only while
 * it has room for them.  0, or -1 with errno set (ENOENT: not watched).
 */
int	ev_fd_want(struct ev *ev, int fd, bool in, bool out);
/* Stop watching fd (it is not closed); a no-op when not watched. */
void	ev_fd_del(struct ev *ev, int fd);

/*
 * A new timer, disarmed: returns its id (>= 0), or -1 when all ntimers are
 * taken.  Timers live as long as the loop.
 */
int	ev_timer_new(struct ev *ev, ev_timer_fn fn, void *arg);
/* Arm (or move) timer id to fire once at `when` (clock_mono_ms()). */
void	ev_timer_at(struct ev *ev, int id, uint64_t when);
void	ev_timer_cancel(struct ev *ev, int id);

/* Run fn before each sleep, in the order added.  0, or -1 (ENOMEM). */
int	ev_hook_add(struct ev *ev, ev_hook_fn fn, void *arg);

/*
 * Block the signals in set for the whole process and deliver each to fn
 * from the loop.  Once per loop; 0, or -1 with errno set.
 */
int	ev_signals(struct ev *ev, const sigset_t *set, ev_signal_fn fn,
	    void *arg);

/*
 * Run hooks, sleep until a descriptor is ready or the next timer is due
 * (at most max_wait_ms; -1 waits without limit), then dispatch.  Returns
 * 0, or -1 with errno set when epoll fails.  For tests and for ev_run().
 */
int	ev_run_once(struct ev *ev, int max_wait_ms);
/* Loop until ev_stop(); 0, or -1 with errno set as ev_run_once(). */
int	ev_run(struct ev *ev);
/* Make ev_run() return after the current dispatch. */
void	ev_stop(struct ev *ev);

#endif
