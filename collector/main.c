/*
 * proctel-collector: the command line (DESIGN.md "Command lines and
 * files"), the sinks and alerts, and the --once / --daemon loops.  The
 * lock that keeps two runs apart is lock.c, polling poll_*.c, one run
 * run.c.  Exit statuses are collector/exitcodes.h.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/version.h"
#include "collector/alert.h"
#include "collector/exitcodes.h"
#include "collector/lock.h"
#include "collector/http.h"
#include "collector/poll.h"
#include "collector/report.h"
#include "collector/run.h"
#include "collector/sched.h"
#include "collector/sink.h"
#include "collector/targets.h"
#include "config/config.h"
#include "lib/clock.h"
#include "lib/log.h"

#define DEFAULT_CONFIG		"/etc/proctel/collector.yaml"
#define DEFAULT_DB		"proctel.db"
#define MAX_CLI_OUTPUTS		32

static volatile sig_atomic_t stop_requested;

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: proctel-collector [-c FILE] (--once | --daemon) [--check]\n"
"                         [-o SINK]... [--shard K/N] [-v | -q]\n"
"  -c, --config FILE   YAML config (default " DEFAULT_CONFIG ")\n"
"      --once          poll every target once, write the sinks, exit\n"
"      --daemon        poll every interval_s until SIGTERM or SIGINT\n"
"      --check         validate the config, print the problems, exit 0 or 2\n"
"  -o, --output SINK   add a sink: jsonl:-  jsonl:FILE  csv:FILE  prom:FILE\n"
"                      influx:FILE  sqlite:FILE  remote_write:URL\n"
"                      influx_http:URL (repeatable)\n"
"      --shard K/N     poll only targets whose name hashes to K mod N\n"
"  -v, --verbose       debug logging\n"
"  -q, --quiet         warnings and errors only (no summary, no progress)\n"
"  -h, --help          this text\n"
"  -V, --version       print the version\n"
"       proctel-collector report [-c FILE] [--db FILE] [--since DURATION]\n"
"                         [-o FILE.html | --text] [--top N]\n"
"                      a fleet report from the SQLite history (report -h)\n"
"exit: 0 all answered, 1 some did not (or a sink failed, or another run\n"
"holds the lock), 2 bad config or usage, 3 all answered but a remote\n"
"store did not take everything (the rest is spooled for the next run)\n");
}

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* "proctel.db" in the directory of the config file. */
static char *
default_db_path(const char *config)
{
	const char *slash = strrchr(config, '/');
	size_t dlen = slash != NULL ? (size_t)(slash - config) : 1;
	size_t len;
	char *p;
	int n;

	if (slash == config)
		dlen = 1;
	len = dlen + 1 + sizeof(DEFAULT_DB);
	if ((p = malloc(len)) == NULL)
		return NULL;
	n = snprintf(p, len, "%.*s/%s", (int)dlen, slash != NULL ? config : ".",
	    DEFAULT_DB);
	if (n < 0 || (size_t)n >= len) {
		free(p);
		return NULL;
	}
	return p;
}

/* Sleep until `when` (monotonic ns) or a stop signal, without a race. */
static void
sleep_until(uint64_t when)
{
	sigset_t block, old;
	struct timespec ts;
	uint64_t now;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	for (;;) {
		sigprocmask(SIG_BLOCK, &block, &old);
		now = clock_mono_ns();
		if (stop_requested || now >= when) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			return;
		}
		ts.tv_sec = (time_t)((when - now) / 1000000000ULL);
		ts.tv_nsec = (long)((when - now) % 1000000000ULL);
		/* ppoll unblocks the signals only while it waits. */
		(void)ppoll(NULL, 0, &ts, &old);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
}

static int
run_daemon(struct run *r, const struct cfg_collector *cc)
{
	struct sigaction sa;
	uint64_t interval = (uint64_t)cc->cc_interval_s * 1000000000ULL;
	uint64_t origin, slot, next;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: epoll_wait returns EINTR and the run goes on. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	origin = slot = clock_mono_ns();
	log_info("daemon: polling every %u s", cc->cc_interval_s);
	while (!stop_requested) {
		(void)run_once(r, NULL);
		if (stop_requested)
			break;
		next = sched_next_slot(origin, interval, slot, clock_mono_ns());
		if (next - slot > interval)
			log_warnx("daemon: the run overran interval_s; skipped "
			    "%llu slot(s)", (unsigned long long)
			    ((next - slot) / interval - 1));
		slot = next;
		sleep_until(slot);
	}
	log_info("daemon: stopping on signal");
	return EXIT_ALL_ANSWERED;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'O' },
		{ "daemon", no_argument, NULL, 'D' },
		{ "check", no_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "shard", required_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = DEFAULT_CONFIG, *errstr;
	struct cfg_output cli_out[MAX_CLI_OUTPUTS], *outs = NULL;
	size_t ncli = 0, nouts = 0, nsinks = 0, i;
	struct cfg_collector *cc = NULL;
	struct cfg_errors errs;
	struct target_list tl = { NULL, 0 };
	struct poll_engine *pe = NULL;
	struct sink **sinks = NULL;
	struct alert_runner *ar = NULL;
	struct run *r = NULL;
	struct run_opts ro;
	uint32_t shard_k = 0, shard_n = 0;
	bool once = false, daemon_mode = false, check = false;
	int verbose = 0, quiet = 0, ch, lockfd = -1;
	int status = EXIT_SOME_FAILED;
	char err[512], where[256], *dbpath = NULL;

	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return report_main(argc - 1, argv + 1, DEFAULT_CONFIG,
		    default_db_path);
	while ((ch = getopt_long(argc, argv, "c:o:vqhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'O':
			once = true;
			break;
		case 'D':
			daemon_mode = true;
			break;
		case 'C':
			check = true;
			break;
		case 'o':
			if (ncli == MAX_CLI_OUTPUTS) {
				fprintf(stderr, "proctel-collector: at most %d "
				    "-o options\n", MAX_CLI_OUTPUTS);
				return EXIT_BAD_CONFIG;
			}
			if (sink_parse_spec(optarg, &cli_out[ncli], &errstr) ==
			    -1) {
				fprintf(stderr, "proctel-collector: -o %s: %s\n",
				    optarg, errstr);
				return EXIT_BAD_CONFIG;
			}
			ncli++;
			break;
		case 'S':
			if (targets_parse_shard(optarg, &shard_k, &shard_n,
			    &errstr) == -1) {
				fprintf(stderr, "proctel-collector: --shard %s: "
				    "%s\n", optarg, errstr);
				return EXIT_BAD_CONFIG;
			}
			break;
		case 'v':
			verbose++;
			break;
		case 'q':
			quiet++;
			break;
		case 'h':
			usage(stdout);
			return EXIT_ALL_ANSWERED;
		case 'V':
			printf("proctel-collector %s\n", PROCTEL_VERSION);
			return EXIT_ALL_ANSWERED;
		default:
			usage(stderr);
			return EXIT_BAD_CONFIG;
		}
	}
	if (optind != argc || (once && daemon_mode) ||
	    (!once && !daemon_mode && !check)) {
		usage(stderr);
		return EXIT_BAD_CONFIG;
	}
	memset(&errs, 0, sizeof(errs));
	log_init("proctel-collector", 0, verbose ? LOG_LEVEL_DEBUG :
	    quiet ? LOG_LEVEL_WARN : LOG_LEVEL_INFO);
	signal(SIGPIPE, SIG_IGN);

	if ((cc = cfg_collector_load(config, &errs)) == NULL) {
		cfg_errors_print(&errs, stderr);
		cfg_errors_free(&errs);
		status = EXIT_BAD_CONFIG;
		goto out;
	}
	if (check) {
		if (!quiet)
			printf("%s: ok, %zu targets, %zu metrics, %zu tables\n",
			    config, cc->cc_ntargets, cc->cc_nmetrics,
			    cc->cc_ntables);
		status = EXIT_ALL_ANSWERED;
		goto out;
	}
	if (targets_select(cc, shard_k, shard_n, &tl) == -1) {
		log_warnx("out of memory");
		goto out;
	}
	/* The lock comes before any sink is opened: a loser writes nothing. */
	if (lock_take(cc->cc_lock_path, &lockfd, err, sizeof(err)) !=
	    LOCK_TAKEN) {
		log_warnx("%s", err);
		goto out;
	}

	nouts = cc->cc_noutputs + ncli;
	if ((outs = calloc(nouts + 1, sizeof(*outs))) == NULL)
		goto out;
	for (i = 0; i < cc->cc_noutputs; i++)
		outs[i] = cc->cc_outputs[i];
	for (i = 0; i < ncli; i++)
		outs[cc->cc_noutputs + i] = cli_out[i];
	if (nouts == 0) {
		if ((dbpath = default_db_path(cc->cc_path != NULL ? cc->cc_path :
		    config)) == NULL)
			goto out;
		outs[0].co_type = CFG_OUT_SQLITE;
		outs[0].co_path = dbpath;
		nouts = 1;
	}
	if ((sinks = calloc(nouts, sizeof(*sinks))) == NULL)
		goto out;
	for (nsinks = 0; nsinks < nouts; nsinks++) {
		if ((sinks[nsinks] = sink_open(&outs[nsinks], cc, err,
		    sizeof(err))) == NULL) {
			/* A URL's query may hold a secret (InfluxDB's p=). */
			if (outs[nsinks].co_type == CFG_OUT_REMOTE_WRITE ||
			    outs[nsinks].co_type == CFG_OUT_INFLUX_HTTP)
				http_url_redact(outs[nsinks].co_path, where,
				    sizeof(where));
			else
				snprintf(where, sizeof(where), "%s",
				    outs[nsinks].co_path);
			log_warnx("sink %s: %s", where, err);
			goto out;
		}
	}
	if (cc->cc_nalerts > 0 && (ar = alert_new(cc)) == NULL) {
		log_warnx("alerts: out of memory");
		goto out;
	}
	if ((pe = poll_engine_new(cc, &tl, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto out;
	}
	ro.ro_progress = !quiet && isatty(STDERR_FILENO);
	ro.ro_summary = !quiet;
	ro.ro_shard_k = shard_k;
	ro.ro_shard_n = shard_n;
	if ((r = run_new(cc, &tl, pe, sinks, nsinks, ar, &ro)) == NULL) {
		log_warnx("out of memory");
		goto out;
	}
	if (once)
		status = run_once(r, NULL);
	else
		status = run_daemon(r, cc);
out:
	run_free(r);
	poll_engine_free(pe);
	alert_free(ar);
	for (i = 0; i < nsinks; i++)
		sink_close(sinks[i]);
	free(sinks);
	free(outs);
	free(dbpath);
	for (i = 0; i < ncli; i++)
		free(cli_out[i].co_path);
	targets_free(&tl);
	cfg_collector_free(cc);
	lock_release(lockfd);
	return status;
}
