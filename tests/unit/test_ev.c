/*
 * test_ev: lib/ev.c, the shared event loop: a readable descriptor calls its
 * callback, a deleted one does not (nor a new one given its number in
 * the same dispatch), timers fire in deadline order and not
 * before, hooks run before each sleep, a signal arrives as a callback, and
 * ev_stop() ends ev_run(), and a socket watched for output is reported
 * writable only while output is asked for.  Real descriptors (eventfd, pipes) and a real
 * signal; waits are bounded by max_wait_ms, so a broken loop fails rather
 * than hangs.  Not the agent's use of it (test_cache.c, the agent suites).
 */
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/ev.h"
#include "tests/harness.h"

static int fd_calls, timer_order[4], timer_n, hook_calls, sig_seen;

static void
on_read(struct ev *ev, int fd, void *arg)
{
	uint64_t v;

	(void)ev;
	(void)arg;
	if (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		fd_calls++;
}

static void
on_timer(struct ev *ev, int id, void *arg)
{
	(void)ev;
	(void)arg;
	if (timer_n < 4)
		timer_order[timer_n++] = id;
}

static void
on_hook(struct ev *ev, void *arg)
{
	(void)ev;
	(void)arg;
	hook_calls++;
}

static void
on_signal(struct ev *ev, int signo, void *arg)
{
	(void)arg;
	sig_seen = signo;
	ev_stop(ev);
}

static int swaps, stale_calls;
static int swap_fds[2];

static void
on_stale(struct ev *ev, int fd, void *arg)
{
	(void)ev;
	(void)fd;
	(void)arg;
	stale_calls++;
}

/*
 * The first of two readable descriptors to be called closes the other and
 * opens a new, idle one, which gets the same number.
 */
static void
on_swap(struct ev *ev, int fd, void *arg)
{
	int other = swap_fds[0] == fd ? swap_fds[1] : swap_fds[0], nfd;

	(void)arg;
	if (swaps++ > 0)
		return;
	ev_fd_del(ev, other);
	close(other);
	nfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (nfd != other || ev_fd_add(ev, nfd, on_stale, NULL) == -1)
		T_FAIL_("the new eventfd got %d, not %d", nfd, other);
	if (swap_fds[0] == other)
		swap_fds[0] = nfd;
	else
		swap_fds[1] = nfd;
}

static void
a_descriptor_deleted_during_a_dispatch_gets_none_of_its_events(void)
{
	struct ev *ev = ev_new(0);
	uint64_t one = 1;
	int i;

	CHECK(ev != NULL);
	swaps = stale_calls = 0;
	for (i = 0; i < 2; i++) {
		swap_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		CHECK(swap_fds[i] != -1);
		CHECK_INT(ev_fd_add(ev, swap_fds[i], on_swap, NULL), ==, 0);
		CHECK_INT(write(swap_fds[i], &one, sizeof(one)), ==, sizeof(one));
	}
	/* Both are readable before the wait: one batch holds both. */
	CHECK_INT(ev_run_once(ev, 1000), ==, 0);
	CHECK_INT(swaps, ==, 1);
	CHECK_INT(stale_calls, ==, 0);
	for (i = 0; i < 2; i++) {
		ev_fd_del(ev, swap_fds[i]);
		close(swap_fds[i]);
	}
	ev_free(ev);
}

static void
a_readable_descriptor_calls_its_callback_until_deleted(void)
{
	struct ev *ev = ev_new(0);
	uint64_t one = 1;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	CHECK(ev != NULL && efd != -1);
	fd_calls = 0;
	CHECK_INT(ev_fd_add(ev, efd, on_read, NULL), ==, 0);
	CHECK_INT(ev_fd_add(ev, efd, on_read, NULL), ==, -1);
	CHECK_INT(write(efd, &one, sizeof(one)), ==, sizeof(one));
	CHECK_INT(ev_run_once(ev, 1000), ==, 0);
	CHECK_INT(fd_calls, ==, 1);
	ev_fd_del(ev, efd);
	CHECK_INT(write(efd, &one, sizeof(one)), ==, sizeof(one));
	CHECK_INT(ev_run_once(ev, 10), ==, 0);
	CHECK_INT(fd_calls, ==, 1);
	close(efd);
	ev_free(ev);
}

static void
timers_fire_in_deadline_order_and_not_before(void)
{
	struct ev *ev = ev_new(3);
	uint64_t now = clock_mono_ms();
	int a, b, c, i;

	CHECK(ev != NULL);
	a = ev_timer_new(ev, on_timer, NULL);
	b = ev_timer_new(ev, on_timer, NULL);
	c = ev_timer_new(ev, on_timer, NULL);
	CHECK_INT(ev_timer_new(ev, on_timer, NULL), ==, -1);
	timer_n = 0;
	ev_timer_at(ev, a, now + 40);
	ev_timer_at(ev, b, now + 20);
	ev_timer_at(ev, c, now + 30);
	ev_timer_cancel(ev, c);
	for (i = 0; i < 50 && timer_n < 2; i++)
		CHECK_INT(ev_run_once(ev, 1000), ==, 0);
	CHECK_INT(timer_n, ==, 2);
	CHECK_INT(timer_order[0], ==, b);
	CHECK_INT(timer_order[1], ==, a);
	/* The loop slept for the timers rather than spinning. */
	CHECK_U64(clock_mono_ms(), >=, now + 40);
	CHECK_INT(i, <, 10);
	ev_free(ev);
}

static void
hooks_run_before_every_sleep(void)
{
	struct ev *ev = ev_new(0);

	CHECK(ev != NULL);
	hook_calls = 0;
	CHECK_INT(ev_hook_add(ev, on_hook, NULL), ==, 0);
	CHECK_INT(ev_run_once(ev, 0), ==, 0);
	CHECK_INT(ev_run_once(ev, 0), ==, 0);
	CHECK_INT(hook_calls, ==, 2);
	ev_free(ev);
}

static void
a_signal_arrives_as_a_callback_and_ev_stop_ends_the_run(void)
{
	struct ev *ev = ev_new(1);
	sigset_t set;

	CHECK(ev != NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_INT(ev_signals(ev, &set, on_signal, NULL), ==, 0);
	CHECK_INT(ev_signals(ev, &set, on_signal, NULL), ==, -1);
	sig_seen = 0;
	CHECK_INT(kill(getpid(), SIGUSR1), ==, 0);
	/* ev_run returns only because the callback calls ev_stop(). */
	CHECK_INT(ev_run(ev), ==, 0);
	CHECK_INT(sig_seen, ==, SIGUSR1);
	ev_free(ev);
}
static int out_calls;

static void
on_any(struct ev *ev, int fd, void *arg)
{
	(void)ev;
	(void)fd;
	(void)arg;
	out_calls++;
}

static void
output_is_reported_only_while_asked_for(void)
{
	struct ev *ev = ev_new(0);
	char buf[4096] = { 0 };
	int sv[2];

	CHECK(ev != NULL);
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), ==,
	    0);
	out_calls = 0;
	CHECK_INT(ev_fd_want(ev, sv[0], true, true), ==, -1);
	CHECK_INT(ev_fd_add(ev, sv[0], on_any, NULL), ==, 0);
	/* Writable but only input asked for: nothing. */
	CHECK_INT(ev_run_once(ev, 10), ==, 0);
	CHECK_INT(out_calls, ==, 0);
	CHECK_INT(ev_fd_want(ev, sv[0], false, true), ==, 0);
	CHECK_INT(ev_run_once(ev, 1000), ==, 0);
	CHECK_INT(out_calls, ==, 1);
	/* Full: no longer writable, so no call until the peer reads. */
	while (write(sv[0], buf, sizeof(buf)) > 0)
		;
	CHECK_INT(ev_run_once(ev, 10), ==, 0);
	CHECK_INT(out_calls, ==, 1);
	while (read(sv[1], buf, sizeof(buf)) > 0)
		;
	CHECK_INT(ev_run_once(ev, 1000), ==, 0);
	CHECK_INT(out_calls, ==, 2);
	/* Neither: even data to read is not reported. */
	CHECK_INT(ev_fd_want(ev, sv[0], false, false), ==, 0);
	CHECK_INT(write(sv[1], buf, 1), ==, 1);
	CHECK_INT(ev_run_once(ev, 10), ==, 0);
	CHECK_INT(out_calls, ==, 2);
	CHECK_INT(ev_fd_want(ev, sv[0], true, false), ==, 0);
	CHECK_INT(ev_run_once(ev, 1000), ==, 0);
	CHECK_INT(out_calls, ==, 3);
	ev_fd_del(ev, sv[0]);
	close(sv[0]);
	close(sv[1]);
	ev_free(ev);
}

int
main(void)
{
	RUN(a_readable_descriptor_calls_its_callback_until_deleted);
	RUN(a_descriptor_deleted_during_a_dispatch_gets_none_of_its_events);
	RUN(timers_fire_in_deadline_order_and_not_before);
	RUN(hooks_run_before_every_sleep);
	RUN(a_signal_arrives_as_a_callback_and_ev_stop_ends_the_run);
	RUN(output_is_reported_only_while_asked_for);
	return t_done();
}
