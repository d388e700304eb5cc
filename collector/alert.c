/*
 * alert: the rules of collector.yaml `alerts:` run against a run's samples
 * (see alert.h).  A rule fires for each answered sample whose metric of that
 * name is an integer strictly above `above` or strictly below `below`; its
 * command runs as /bin/sh -c COMMAND with one JSON object on standard input:
 *
 *   {"time":"2026-11-23T10:00:00Z","target":"local","host":"127.0.0.1",
 *    "port":16161,"labels":{"role":"demo"},"metric":"zombies","value":12,
 *    "above":10,"rule":1}
 *
 * "rule" counts the rules of `alerts:` from 1; "above" and/or "below" say
 * which bound was crossed.  The command's standard output goes to the
 * collector's standard error, so `-o jsonl:-` stays clean.
 *
 * Process handling, and why:
 * - The child gets its own process group, so the timeout kills the shell and
 *   whatever it started (SIGKILL to the group).
 * - Every descriptor but 0, 1 and 2 is closed in the child (close_range), and
 *   every signal disposition and the mask are reset: the collector's sockets,
 *   SQLite file and ignored SIGPIPE must not leak into user commands.
 * - All signals are blocked across fork(), so no handler of ours runs in the
 *   child before it resets them.
 * - SIGCHLD wakes the wait loop through a self-pipe (handler installed for
 *   the call, the old one restored).  The loop reaps with waitpid(pid,
 *   WNOHANG) on each pid we started, never waitpid(-1): that could reap a
 *   child some other part of the process owns and steal its status.
 * - SIGPIPE is ignored while the JSON is written (a command that never reads
 *   its input closes the pipe); the old disposition is restored after.
 * - At most ALERT_MAX_CONCURRENT commands run at once and ALERT_MAX_PER_RUN
 *   per run; the rest are counted, logged once, and not run.
 * Not thread-safe: one alert_run() at a time per process (the self-pipe and
 * the signal dispositions are process-wide).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector/alert.h"
#include "collector/json.h"
#include "lib/clock.h"
#include "lib/log.h"

/* Enough to notify a fleet-wide problem, few enough for one machine. */
#define ALERT_MAX_CONCURRENT	64
/* A broken rule on thousands of targets must not fork thousands of shells. */
#define ALERT_MAX_PER_RUN	1000
#define ALERT_DEFAULT_TIMEOUT_MS 10000
/* After SIGKILL a process dies at once unless stuck in the kernel. */
#define ALERT_REAP_GRACE_MS	5000
/* Wake at least this often even without SIGCHLD, as a safety net. */
#define ALERT_POLL_MAX_MS	1000
/* Fallback for close_range() on kernels before 5.9. */
#define ALERT_CLOSE_MAX		65536

struct alert_fire {
	size_t				 af_rule;
	const struct sample		*af_sample;
	const struct sample_value	*af_value;
	int				 af_above;	/* crossed above */
	int				 af_below;	/* crossed below */
};

struct alert_job {
	pid_t		 aj_pid;	/* 0: slot free */
	int		 aj_wfd;	/* -1 once the JSON is written */
	size_t		 aj_rule;
	const char	*aj_target;
	uint64_t	 aj_start_ms;
	uint64_t	 aj_deadline_ms;
	int		 aj_killed;
	struct json_buf	 aj_json;
	size_t		 aj_off;	/* bytes of aj_json written */
};

struct alert_runner {
	const struct cfg_collector	*ar_conf;
	struct alert_fire		*ar_fire;
	size_t				 ar_nfire;
	struct alert_job		 ar_jobs[ALERT_MAX_CONCURRENT];
};

/* The self-pipe's write end, for the SIGCHLD handler. */
static volatile sig_atomic_t alert_wake_fd = -1;

static void
alert_sigchld(int sig)
{
	int saved = errno;
	ssize_t r;

	(void)sig;
	if (alert_wake_fd != -1) {
		r = write(alert_wake_fd, "c", 1);
		(void)r;	/* full pipe: a wake is already pending */
	}
	errno = saved;
}

struct alert_runner *
alert_new(const struct cfg_collector *conf)
{
	struct alert_runner *ar;
	size_t i;

	if ((ar = calloc(1, sizeof(*ar))) == NULL)
		return NULL;
	ar->ar_conf = conf;
	if ((ar->ar_fire = calloc(ALERT_MAX_PER_RUN,
	    sizeof(*ar->ar_fire))) == NULL) {
		free(ar);
		return NULL;
	}
	for (i = 0; i < ALERT_MAX_CONCURRENT; i++) {
		ar->ar_jobs[i].aj_wfd = -1;
		json_buf_init(&ar->ar_jobs[i].aj_json);
	}
	return ar;
}

void
alert_free(struct alert_runner *ar)
{
	size_t i;

	if (ar == NULL)
		return;
	for (i = 0; i < ALERT_MAX_CONCURRENT; i++)
		json_buf_free(&ar->ar_jobs[i].aj_json);
	free(ar->ar_fire);
	free(ar);
}

/*
 * Compare exactly: long double holds every int64 and uint64 on x86 and
 * arm64 (where it is wider still), so 2^63 + 1 > 2^63 holds.
 */
static long double
alert_value(const struct sample_value *v)
{
	return v->sv_kind == SV_INT ? (long double)v->sv_int :
	    (long double)v->sv_uint;
}

/* Fill ar_fire; returns the count of fired alerts beyond the cap. */
static size_t
alert_match(struct alert_runner *ar, const struct sample *samples, size_t n)
{
	const struct cfg_alert *rule;
	const struct sample_value *v;
	struct alert_fire *f;
	long double x;
	size_t r, i, j, suppressed = 0;
	int above, below;

	ar->ar_nfire = 0;
	for (r = 0; r < ar->ar_conf->cc_nalerts; r++) {
		rule = &ar->ar_conf->cc_alerts[r];
		if (rule->ca_metric == NULL || rule->ca_command == NULL)
			continue;
		for (i = 0; i < n; i++) {
			if (samples[i].sa_status != SAMPLE_OK)
				continue;
			for (j = 0; j < samples[i].sa_nvalues; j++) {
				v = &samples[i].sa_values[j];
				if ((v->sv_kind != SV_INT &&
				    v->sv_kind != SV_UINT) ||
				    v->sv_name == NULL ||
				    strcmp(v->sv_name, rule->ca_metric) != 0)
					continue;
				x = alert_value(v);
				above = rule->ca_has_above &&
				    x > (long double)rule->ca_above;
				below = rule->ca_has_below &&
				    x < (long double)rule->ca_below;
				if (!above && !below)
					continue;
				if (ar->ar_nfire == ALERT_MAX_PER_RUN) {
					suppressed++;
					continue;
				}
				f = &ar->ar_fire[ar->ar_nfire++];
				f->af_rule = r;
				f->af_sample = &samples[i];
				f->af_value = v;
				f->af_above = above;
				f->af_below = below;
				/* One alert per rule and sample. */
				break;
			}
		}
	}
	return suppressed;
}

static void
alert_json(struct json_buf *jb, const struct alert_fire *f,
    const struct cfg_alert *rule)
{
	json_buf_reset(jb);
	json_sample_head(jb, f->af_sample);
	json_lit(jb, ",\"labels\":");
	json_labels(jb, f->af_sample->sa_target);
	json_lit(jb, ",\"metric\":");
	json_cstr(jb, rule->ca_metric);
	json_lit(jb, ",\"value\":");
	if (f->af_value->sv_kind == SV_INT)
		json_i64(jb, f->af_value->sv_int);
	else
		json_u64(jb, f->af_value->sv_uint);
	if (f->af_above) {
		json_lit(jb, ",\"above\":");
		json_double(jb, rule->ca_above);
	}
	if (f->af_below) {
		json_lit(jb, ",\"below\":");
		json_double(jb, rule->ca_below);
	}
	json_lit(jb, ",\"rule\":");
	json_u64(jb, f->af_rule + 1);
	json_lit(jb, "}\n");
}

/*
 * In the child, between fork and exec: async-signal-safe calls only (the
 * parent may be multi-threaded some day), hence execve with argv built
 * before fork.
 */
static void __attribute__((noreturn))
alert_child(int rfd, char *const argv[])
{
	struct sigaction sa;
	sigset_t none;
	int fd, sig;

	(void)setpgid(0, 0);
	if (rfd == STDIN_FILENO) {
		if (fcntl(rfd, F_SETFD, 0) == -1)
			_exit(126);
	} else if (dup2(rfd, STDIN_FILENO) == -1)
		_exit(126);
	/* Command output goes to our stderr; keep stdout for sinks. */
	(void)dup2(STDERR_FILENO, STDOUT_FILENO);
	if (close_range(3, ~0U, 0) == -1)
		for (fd = 3; fd < ALERT_CLOSE_MAX; fd++)
			(void)close(fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);	/* KILL, STOP: EINVAL */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	execve("/bin/sh", argv, environ);
	_exit(127);
}

/* Start job j; 0, or -1 when it could not start (logged). */
static int
alert_spawn(struct alert_job *j, const char *command)
{
	char sh[] = "sh", dash_c[] = "-c";
	char *argv[] = { sh, dash_c, NULL, NULL };
	sigset_t all, old;
	pid_t pid;
	int p[2], saved;

	/* execve's argv is not const; the child never writes to it. */
	argv[2] = (char *)(uintptr_t)command;

	if (pipe2(p, O_CLOEXEC) == -1) {
		log_warn("alert rule %zu target %s: pipe", j->aj_rule + 1,
		    j->aj_target);
		return -1;
	}
	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0)
		alert_child(p[0], argv);
	saved = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[0]);
	if (pid == -1) {
		close(p[1]);
		errno = saved;
		log_warn("alert rule %zu target %s: fork", j->aj_rule + 1,
		    j->aj_target);
		return -1;
	}
	/* Also here, so a kill before the child ran setpgid hits the group. */
	(void)setpgid(pid, pid);
	(void)fcntl(p[1], F_SETFL, O_NONBLOCK);
	j->aj_pid = pid;
	j->aj_wfd = p[1];
	j->aj_off = 0;
	j->aj_killed = 0;
	return 0;
}

/* Write what the pipe takes; close our end when done or refused. */
static void
alert_feed(struct alert_job *j)
{
	ssize_t w;

	while (j->aj_wfd != -1 && j->aj_off < j->aj_json.jb_len) {
		w = write(j->aj_wfd, j->aj_json.jb_data + j->aj_off,
		    j->aj_json.jb_len - j->aj_off);
		if (w > 0) {
			j->aj_off += (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		/* EPIPE: the command does not read its input; its choice. */
		break;
	}
	if (j->aj_wfd != -1) {
		close(j->aj_wfd);
		j->aj_wfd = -1;
	}
}

/* A job's process has ended with status st: judge, log, free the slot. */
static int
alert_done(struct alert_job *j, int st)
{
	uint64_t ms = clock_mono_ms() - j->aj_start_ms;
	int failed = 1;

	if (j->aj_killed)
		log_warnx("alert rule %zu target %s: command killed after "
		    "%llu ms (timeout)", j->aj_rule + 1, j->aj_target,
		    (unsigned long long)ms);
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		failed = 0;
	else if (WIFEXITED(st))
		log_warnx("alert rule %zu target %s: command exited %d%s",
		    j->aj_rule + 1, j->aj_target, WEXITSTATUS(st),
		    WEXITSTATUS(st) == 127 ? " (not found?)" : "");
	else if (WIFSIGNALED(st))
		log_warnx("alert rule %zu target %s: command killed by "
		    "signal %d", j->aj_rule + 1, j->aj_target, WTERMSIG(st));
	if (j->aj_wfd != -1)
		close(j->aj_wfd);
	j->aj_wfd = -1;
	j->aj_pid = 0;
	return failed;
}

static void
alert_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

size_t
alert_run(struct alert_runner *ar, const struct sample *samples, size_t n,
    size_t *failed)
{
	struct sigaction sa, old_chld, old_pipe;
	struct pollfd pfd[1 + ALERT_MAX_CONCURRENT];
	const struct cfg_alert *rule;
	struct alert_job *j;
	size_t next = 0, running = 0, nfailed = 0, suppressed, i, npfd;
	uint64_t now, wake;
	int wake_pipe[2], st, timeout;
	pid_t r;

	*failed = 0;
	if (ar == NULL || (samples == NULL && n > 0))
		return 0;
	suppressed = alert_match(ar, samples, n);
	if (suppressed > 0)
		log_warnx("alerts: %zu more alerts this run not run (cap %d "
		    "per run)", suppressed, ALERT_MAX_PER_RUN);
	if (ar->ar_nfire == 0)
		return 0;
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("alerts: pipe");
		*failed = ar->ar_nfire;
		return ar->ar_nfire;
	}
	alert_wake_fd = wake_pipe[1];
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = alert_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	(void)sigaction(SIGCHLD, &sa, &old_chld);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	(void)sigaction(SIGPIPE, &sa, &old_pipe);

	while (next < ar->ar_nfire || running > 0) {
		/* Start what the concurrency cap allows. */
		for (i = 0; i < ALERT_MAX_CONCURRENT &&
		    next < ar->ar_nfire; i++) {
			j = &ar->ar_jobs[i];
			if (j->aj_pid != 0)
				continue;
			rule = &ar->ar_conf->cc_alerts[ar->ar_fire[next].af_rule];
			j->aj_rule = ar->ar_fire[next].af_rule;
			j->aj_target = ar->ar_fire[next].af_sample->sa_target->
			    ct_name;
			alert_json(&j->aj_json, &ar->ar_fire[next], rule);
			next++;
			j->aj_start_ms = clock_mono_ms();
			j->aj_deadline_ms = j->aj_start_ms +
			    (rule->ca_timeout_ms != 0 ? rule->ca_timeout_ms :
			    ALERT_DEFAULT_TIMEOUT_MS);
			if (j->aj_json.jb_failed ||
			    alert_spawn(j, rule->ca_command) == -1) {
				nfailed++;
				continue;
			}
			running++;
			alert_feed(j);
		}
		if (running == 0)
			continue;

		/* Sleep until a child ends, a pipe drains, or a deadline. */
		now = clock_mono_ms();
		wake = now + ALERT_POLL_MAX_MS;
		pfd[0].fd = wake_pipe[0];
		pfd[0].events = POLLIN;
		npfd = 1;
		for (i = 0; i < ALERT_MAX_CONCURRENT; i++) {
			j = &ar->ar_jobs[i];
			if (j->aj_pid == 0)
				continue;
			if (j->aj_deadline_ms < wake)
				wake = j->aj_deadline_ms;
			if (j->aj_wfd != -1) {
				pfd[npfd].fd = j->aj_wfd;
				pfd[npfd].events = POLLOUT;
				npfd++;
			}
		}
		timeout = wake > now ? (int)(wake - now) : 0;
		if (poll(pfd, npfd, timeout) == -1 && errno != EINTR) {
			log_warn("alerts: poll");
			(void)usleep(10000);	/* never spin */
		}
		alert_drain(wake_pipe[0]);

		/* Feed, reap, and kill what is past its deadline. */
		now = clock_mono_ms();
		for (i = 0; i < ALERT_MAX_CONCURRENT; i++) {
			j = &ar->ar_jobs[i];
			if (j->aj_pid == 0)
				continue;
			alert_feed(j);
			r = waitpid(j->aj_pid, &st, WNOHANG);
			if (r == j->aj_pid || (r == -1 && errno == ECHILD)) {
				/* ECHILD: someone reaped it; count it failed. */
				if (r == -1)
					st = 0x7f00;
				nfailed += alert_done(j, st);
				running--;
				continue;
			}
			if (now < j->aj_deadline_ms)
				continue;
			if (!j->aj_killed) {
				(void)kill(-j->aj_pid, SIGKILL);
				(void)kill(j->aj_pid, SIGKILL);
				j->aj_killed = 1;
				j->aj_deadline_ms = now + ALERT_REAP_GRACE_MS;
				continue;
			}
			/* Stuck in the kernel: a blocking wait, not a zombie. */
			log_warnx("alert rule %zu target %s: killed command "
			    "still not gone, waiting", j->aj_rule + 1,
			    j->aj_target);
			st = 0x7f00;
			while (waitpid(j->aj_pid, &st, 0) == -1 &&
			    errno == EINTR)
				;
			nfailed += alert_done(j, st);
			running--;
		}
	}

	(void)sigaction(SIGPIPE, &old_pipe, NULL);
	(void)sigaction(SIGCHLD, &old_chld, NULL);
	alert_wake_fd = -1;
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	*failed = nfailed;
	return ar->ar_nfire;
}
