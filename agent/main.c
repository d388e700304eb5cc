/*
 * proctel-agent: the program around the engine.  Parses the command line,
 * loads the configuration, builds the MIB and engine, binds, detaches and
 * drops root when asked, takes the first /proc snapshot, then runs the
 * event loop (lib/ev.c) until SIGTERM or SIGINT; SIGHUP reloads the
 * configuration.  Protocol work is engine.c's, sockets and batching
 * loop.c's and listen.c's, /proc snapshots cache.c's, Unix chores
 * daemon.c's, the root helper for reloads privsep.c's, the AgentX
 * subagent (serving through the host's snmpd) agentx_io.c's.
 *
 * Start-up order matters: every failure a user can fix (bad option, bad
 * config, unreadable /proc, port in use) happens while stderr is still the
 * terminal, and all but a /proc only the dropped user cannot read before
 * the pidfile exists; privileges are dropped only after every socket is
 * bound; the first snapshot is taken after the drop, so it shows what the
 * serving user can see (hidepid is noticed at once); the refresh thread
 * starts after any fork; a daemon reports readiness to its waiting parent
 * only once it serves.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agentx_io.h"
#include "agent/cache.h"
#include "agent/daemon.h"
#include "agent/engine.h"
#include "agent/exitcodes.h"
#include "agent/listen.h"
#include "agent/loop.h"
#include "agent/mib.h"
#include "agent/privsep.h"
#include "agent/v3.h"
#include "agent/v3conf.h"
#include "agent/version.h"
#include "config/config.h"
#include "lib/addr.h"
#include "lib/ev.h"
#include "lib/log.h"

#define AGENT_NAME		"proctel-agent"
#define AGENT_CONFIG_DEFAULT	"/etc/proctel/agent.yaml"
#define AGENT_PIDFILE_DEFAULT	"/run/proctel-agent.pid"
/* Default port of a -l address written without one (RFC 3417 sec. 3.1). */
#define AGENT_PORT_DEFAULT	161
/* Config errors logged on a failed reload, as cfg_errors_print() prints. */
#define AGENT_RELOAD_ERRORS_MAX	20
/* Timers of the event loop: the cache's one, the AgentX subagent's one. */
#define AGENT_TIMERS		4

/* getopt_long values of the long-only options. */
enum {
	OPT_DAEMON = 256,
	OPT_PIDFILE,
	OPT_CHECK,
	OPT_VERSION,
	OPT_PROC_ROOT,
};

struct agent_opts {
	const char	*ao_config;
	bool		 ao_config_given;	/* -c: the file must exist */
	const char	**ao_listen;		/* -l arguments, in argv */
	size_t		 ao_nlisten;
	bool		 ao_daemon;
	const char	*ao_pidfile;
	bool		 ao_check;
	int		 ao_verbose;
	const char	*ao_proc_root;		/* hidden --proc-root */
};

struct agent {
	struct agent_opts	 ag_opts;
	char			*ag_cwd;	/* start directory (daemon) */
	char			*ag_config;	/* absolute when detached */
	char			*ag_pidfile;	/* absolute; daemon only */
	bool			 ag_pidfile_ours;
	struct cfg_agent	*ag_conf;
	struct mib		*ag_mib;
	struct cache		*ag_cache;
	struct engine		*ag_engine;
	struct agentx_io	*ag_ax;		/* off without `agentx:` */
	struct ev		*ag_ev;
	struct loop		*ag_loop;
	int			*ag_fds;	/* bound, not yet in the loop */
	size_t			 ag_nfds;
	bool			 ag_agentx_only; /* no UDP socket until a restart */
	bool			 ag_drop;	/* running as root with user: */
	uid_t			 ag_uid;
	gid_t			 ag_gid;
	int			 ag_priv;	/* socket to the root helper */
	pid_t			 ag_priv_pid;
	struct v3		*ag_v3;		/* NULL: no SNMPv3 users */
};

/* The synopsis, as DESIGN.md "Command lines and files" has it. */
#define AGENT_SYNOPSIS							\
	"usage: " AGENT_NAME " [-c FILE] [-l ADDR]... "			\
	"[--daemon [--pidfile F]] [--check] [-v]\n"			\
	"                     [--version] [--help]\n"

static void
usage(FILE *fp)
{
	fprintf(fp, AGENT_SYNOPSIS
	    "  -c, --config FILE   YAML config (default " AGENT_CONFIG_DEFAULT
	    ";\n"
	    "                      built-in defaults when that file does not"
	    " exist)\n"
	    "  -l, --listen ADDR   listen here instead of the config's list:\n"
	    "                      127.0.0.1:16161, [::1]:16161, 0.0.0.0:161;"
	    " repeatable\n"
	    "  --daemon            detach (fork, setsid, pidfile); default is"
	    " foreground\n"
	    "  --pidfile FILE      with --daemon (default "
	    AGENT_PIDFILE_DEFAULT ")\n"
	    "  --check             validate the config, print the problems,"
	    " exit 0 or 2\n"
	    "  -v, --verbose       log at debug level\n"
	    "  --version           print the version and exit\n"
	    "  -h, --help          print this help and exit\n"
	    "Signals: SIGHUP reloads the config, SIGTERM and SIGINT stop.\n"
	    "See proctel-agent(8).\n");
}

static void
usage_error(const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, AGENT_NAME ": %s\n", msg);
	fprintf(stderr, AGENT_SYNOPSIS "Try '" AGENT_NAME " --help'.\n");
	exit(AGENT_EXIT_USAGE);
}

static void
parse_args(int argc, char **argv, struct agent_opts *o)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "listen",	required_argument,	NULL, 'l' },
		{ "daemon",	no_argument,		NULL, OPT_DAEMON },
		{ "pidfile",	required_argument,	NULL, OPT_PIDFILE },
		{ "check",	no_argument,		NULL, OPT_CHECK },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, OPT_VERSION },
		{ "help",	no_argument,		NULL, 'h' },
		{ "proc-root",	required_argument,	NULL, OPT_PROC_ROOT },
		{ NULL,		0,			NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->ao_config = AGENT_CONFIG_DEFAULT;
	/* -l arguments are collected in place: at most argc of them. */
	if ((o->ao_listen = calloc((size_t)argc, sizeof(*o->ao_listen))) ==
	    NULL)
		fatal(AGENT_EXIT_RUNTIME, "calloc");
	while ((ch = getopt_long(argc, argv, "c:l:vh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c':
			o->ao_config = optarg;
			o->ao_config_given = true;
			break;
		case 'l':
			o->ao_listen[o->ao_nlisten++] = optarg;
			break;
		case OPT_DAEMON:
			o->ao_daemon = true;
			break;
		case OPT_PIDFILE:
			o->ao_pidfile = optarg;
			break;
		case OPT_CHECK:
			o->ao_check = true;
			break;
		case 'v':
			o->ao_verbose++;
			break;
		case OPT_VERSION:
			printf(AGENT_NAME " " PROCTEL_VERSION "\n");
			exit(AGENT_EXIT_OK);
		case 'h':
			usage(stdout);
			exit(AGENT_EXIT_OK);
		case OPT_PROC_ROOT:
			o->ao_proc_root = optarg;
			break;
		default:
			/* getopt_long has said what was wrong. */
			usage_error(NULL);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument");
	if (o->ao_pidfile != NULL && !o->ao_daemon)
		usage_error("--pidfile needs --daemon");
	if (o->ao_pidfile != NULL && o->ao_pidfile[0] == '\0')
		usage_error("--pidfile: empty path");
	if (o->ao_proc_root != NULL && o->ao_proc_root[0] == '\0')
		usage_error("--proc-root: empty path");
}

/*
 * path made absolute against base (the working directory at start), for
 * the files a daemon uses after chdir("/"): the config, the pidfile and a
 * relative proc_root, also when a reload names them again.  With no base
 * (not a daemon), a plain copy.  Returns new memory, or NULL.
 */
static char *
abs_path(const char *base, const char *path)
{
	char *p;
	size_t n;
	int r;

	if (path[0] == '/' || base == NULL)
		return strdup(path);
	n = strlen(base) + 1 + strlen(path) + 1;
	if ((p = malloc(n)) == NULL)
		return NULL;
	r = snprintf(p, n, "%s/%s", base, path);
	if (r < 0 || (size_t)r >= n) {
		free(p);
		return NULL;
	}
	return p;
}

/*
 * Apply the command line's -l and --proc-root to a freshly loaded config,
 * so that every reader of the config (engine, MIB modules, messages) sees
 * what is actually served.  Returns 0, or -1 with a message on stderr or
 * in the log when an address does not parse or memory runs out.
 */
static int
apply_overrides(const struct agent *ag, struct cfg_agent *ca)
{
	const struct agent_opts *o = &ag->ag_opts;
	struct cfg_listen *ls;
	const char *errstr;
	char *root;
	size_t i;

	if (o->ao_proc_root != NULL || (ag->ag_cwd != NULL &&
	    ca->ca_proc_root != NULL && ca->ca_proc_root[0] != '/')) {
		root = abs_path(ag->ag_cwd, o->ao_proc_root != NULL ?
		    o->ao_proc_root : ca->ca_proc_root);
		if (root == NULL) {
			log_warn("proc_root");
			return -1;
		}
		free(ca->ca_proc_root);
		ca->ca_proc_root = root;
	}
	if (o->ao_nlisten == 0)
		return 0;
	if ((ls = calloc(o->ao_nlisten, sizeof(*ls))) == NULL) {
		log_warn("calloc");
		return -1;
	}
	for (i = 0; i < o->ao_nlisten; i++) {
		if (addr_parse_endpoint(o->ao_listen[i], AGENT_PORT_DEFAULT,
		    &ls[i].cl_addr, &ls[i].cl_addrlen, &errstr) == -1) {
			log_warnx("-l %s: %s", o->ao_listen[i], errstr);
			goto fail;
		}
		if ((ls[i].cl_text = strdup(o->ao_listen[i])) == NULL) {
			log_warn("strdup");
			goto fail;
		}
	}
	for (i = 0; i < ca->ca_nlisten; i++)
		free(ca->ca_listen[i].cl_text);
	free(ca->ca_listen);
	ca->ca_listen = ls;
	ca->ca_nlisten = o->ao_nlisten;
	return 0;

fail:
	for (i = 0; i < o->ao_nlisten; i++)
		free(ls[i].cl_text);
	free(ls);
	return -1;
}

/* Load and override; on failure the errors are on stderr, exit 2. */
static struct cfg_agent *
load_config_or_exit(struct agent *ag)
{
	struct cfg_errors errs;
	struct cfg_agent *ca;

	memset(&errs, 0, sizeof(errs));
	ca = cfg_agent_load(ag->ag_config, ag->ag_opts.ao_config_given,
	    &errs);
	if (ca == NULL) {
		cfg_errors_print(&errs, stderr);
		cfg_errors_free(&errs);
		exit(AGENT_EXIT_USAGE);
	}
	cfg_errors_free(&errs);
	if (apply_overrides(ag, ca) == -1) {
		cfg_agent_free(ca);
		exit(AGENT_EXIT_USAGE);
	}
	return ca;
}

/*
 * Look up `user:`.  Dropping needs root; an agent started as that user
 * already has nothing to drop, and any other non-root user cannot switch,
 * which is said once and is not an error (DESIGN.md: "when started as
 * root").  Returns 0, or -1 when the user does not exist.
 */
static int
lookup_user(struct agent *ag, const struct cfg_agent *ca, bool quiet)
{
	struct passwd *pw;

	ag->ag_drop = false;
	if (ca->ca_user == NULL)
		return 0;
	errno = 0;
	if ((pw = getpwnam(ca->ca_user)) == NULL) {
		if (errno != 0)
			log_warn("%s: user %s", ag->ag_config, ca->ca_user);
		else
			log_warnx("%s: user %s: no such user", ag->ag_config,
			    ca->ca_user);
		return -1;
	}
	if (geteuid() != 0) {
		if (!quiet && geteuid() != pw->pw_uid)
			log_info("not started as root: staying uid %ld, "
			    "user %s not applied", (long)geteuid(),
			    ca->ca_user);
		return 0;
	}
	ag->ag_drop = true;
	ag->ag_uid = pw->pw_uid;
	ag->ag_gid = pw->pw_gid;
	return 0;
}

static enum log_level
effective_level(const struct agent *ag, const struct cfg_agent *ca)
{
	if (ag->ag_opts.ao_verbose > 0)
		return LOG_LEVEL_DEBUG;
	return (enum log_level)ca->ca_log_level;
}

/* --check: the config alone, as loaded at start-up; never returns. */
static void
check_config(struct agent *ag)
{
	struct cfg_agent *ca;
	char err[256];
	int bad = 0;

	ca = load_config_or_exit(ag);
	if (lookup_user(ag, ca, true) == -1)
		bad = 1;
	/* SNMPv3 users: their keys can be made; their secrets are private. */
	v3conf_warn_secrets(ag->ag_config, ca);
	if (v3conf_check(ca, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", ag->ag_config, err);
		bad = 1;
	}
	if (!bad) {
		if (!ag->ag_opts.ao_config_given &&
		    access(ag->ag_config, F_OK) == -1)
			printf("%s: not found, built-in defaults are valid\n",
			    ag->ag_config);
		else
			printf("%s: configuration valid\n", ag->ag_config);
	}
	cfg_agent_free(ca);
	exit(bad ? AGENT_EXIT_USAGE : AGENT_EXIT_OK);
}

static void
bind_all_or_exit(struct agent *ag)
{
	const struct cfg_agent *ca = ag->ag_conf;
	char err[256];
	size_t i;
	int fd;

	/* The config allows `listen: []` only with `agentx:` on. */
	if (ca->ca_nlisten == 0 && ca->ca_agentx.cax_enabled) {
		log_info("no UDP socket: serving only through AgentX");
		ag->ag_agentx_only = true;
		return;
	}
	if (ca->ca_nlisten == 0)
		fatalx(AGENT_EXIT_USAGE, "no listen address");
	if ((ag->ag_fds = calloc(ca->ca_nlisten, sizeof(*ag->ag_fds))) ==
	    NULL)
		fatal(AGENT_EXIT_RUNTIME, "calloc");
	for (i = 0; i < ca->ca_nlisten; i++) {
		const struct cfg_listen *cl = &ca->ca_listen[i];

		fd = listen_open((const struct sockaddr *)&cl->cl_addr,
		    cl->cl_addrlen, err, sizeof(err));
		if (fd == -1)
			fatalx(AGENT_EXIT_RUNTIME, "cannot listen on %s: %s",
			    ca->ca_listen[i].cl_text, err);
		ag->ag_fds[ag->ag_nfds++] = fd;
		log_info("listening on %s", ca->ca_listen[i].cl_text);
	}
}

static bool
listen_equal(const struct cfg_agent *a, const struct cfg_agent *b)
{
	size_t i;

	if (a->ca_nlisten != b->ca_nlisten)
		return false;
	for (i = 0; i < a->ca_nlisten; i++)
		if (a->ca_listen[i].cl_addrlen != b->ca_listen[i].cl_addrlen ||
		    memcmp(&a->ca_listen[i].cl_addr, &b->ca_listen[i].cl_addr,
		    a->ca_listen[i].cl_addrlen) != 0)
			return false;
	return true;
}

static bool
str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The config as a reload reads it: after the drop, through the root
 * helper, which opens it with root's rights (README, "Decisions worth
 * knowing"); a missing file means the defaults unless -c named it.
 */
static struct cfg_agent *
reload_load(struct agent *ag, struct cfg_errors *errs)
{
	struct cfg_agent *ca;
	int fd;

	if (ag->ag_priv == -1)
		return cfg_agent_load(ag->ag_config,
		    ag->ag_opts.ao_config_given, errs);
	if ((fd = privsep_open(ag->ag_priv)) == -1) {
		if (errno == ENOENT && !ag->ag_opts.ao_config_given)
			return cfg_agent_defaults();
		log_warn("%s: cannot open as root", ag->ag_config);
		return NULL;
	}
	ca = cfg_agent_load_fd(ag->ag_config, fd, errs);
	close(fd);
	return ca;
}

/*
 * SIGHUP.  A config that does not load, or whose proc_root cannot be read,
 * is reported error by error and the running one is kept.  A good one is
 * swapped in whole.  Listen addresses and `user:` are not re-applied: the
 * sockets were bound, and root given up, at start, so a change is logged
 * as needing a restart (rebinding port 161 after dropping root would fail
 * anyway).
 */
static void
reload(struct agent *ag)
{
	struct cfg_errors errs;
	struct cfg_agent *nc, *old = ag->ag_conf;
	char err[256];
	size_t i;
	int r;

	log_info("%s: reloading", ag->ag_config);
	memset(&errs, 0, sizeof(errs));
	nc = reload_load(ag, &errs);
	if (nc == NULL) {
		for (i = 0; i < errs.ce_count && i < AGENT_RELOAD_ERRORS_MAX;
		    i++)
			log_warnx("%s", errs.ce_lines[i]);
		if (errs.ce_count + errs.ce_dropped > AGENT_RELOAD_ERRORS_MAX)
			log_warnx("... and %zu more errors", errs.ce_count +
			    errs.ce_dropped - AGENT_RELOAD_ERRORS_MAX);
		log_warnx("%s: reload failed, keeping the running "
		    "configuration", ag->ag_config);
		cfg_errors_free(&errs);
		return;
	}
	cfg_errors_free(&errs);
	if (apply_overrides(ag, nc) == -1)
		goto keep;
	/* New listen addresses wait for a restart: nothing would serve. */
	if (ag->ag_agentx_only && !nc->ca_agentx.cax_enabled) {
		log_warnx("%s: agentx: removed, but this agent has no UDP "
		    "socket until a restart, so it would serve nothing",
		    ag->ag_config);
		goto keep;
	}
	if ((r = cache_configure(ag->ag_cache, nc)) != 0) {
		log_warnx("%s: proc_root %s: %s", ag->ag_config,
		    nc->ca_proc_root, procfs_strerror(r));
		goto keep;
	}
	if (!listen_equal(old, nc))
		log_warnx("%s: listen addresses changed; they take effect "
		    "at the next restart", ag->ag_config);
	if (!str_equal(old->ca_user, nc->ca_user))
		log_warnx("%s: user changed; it takes effect at the next "
		    "restart", ag->ag_config);
	/* Last, as it cannot be undone: the engine must get nc right after. */
	if (v3conf_reload(ag->ag_v3, old, nc, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", ag->ag_config, err);
		(void)cache_configure(ag->ag_cache, old);
		goto keep;
	}

	engine_set_conf(ag->ag_engine, nc);
	if (agentx_io_configure(ag->ag_ax, &nc->ca_agentx) == -1)
		log_warn("%s: agentx", ag->ag_config);
	loop_set_max_message(ag->ag_loop, nc->ca_max_message_size);
	/* A detached agent has no stderr: it stays on syslog. */
	log_init(AGENT_NAME, nc->ca_log_syslog || ag->ag_opts.ao_daemon,
	    effective_level(ag, nc));
	ag->ag_conf = nc;
	cfg_agent_free(old);
	log_info("%s: configuration reloaded", ag->ag_config);
	return;

keep:
	log_warnx("%s: reload failed, keeping the running configuration",
	    ag->ag_config);
	cfg_agent_free(nc);
}

static void
on_signal(struct ev *ev, int signo, void *arg)
{
	struct agent *ag = arg;

	switch (signo) {
	case SIGHUP:
		reload(ag);
		break;
	case SIGTERM:
	case SIGINT:
		log_info("%s received, exiting", strsignal(signo));
		ev_stop(ev);
		break;
	default:
		break;
	}
}

/*
 * The cache, MIB and engine, without a snapshot yet: the tree and its
 * host-wide files are only checked here, while we may still be root.
 */
static void
build_engine_or_exit(struct agent *ag)
{
	const struct cfg_agent *ca = ag->ag_conf;
	int err;

	if ((err = procfs_check(ca->ca_proc_root)) != 0)
		fatalx(AGENT_EXIT_RUNTIME, "cannot read processes from %s: %s",
		    ca->ca_proc_root, procfs_strerror(err));
	if ((ag->ag_cache = cache_new(ca)) == NULL)
		fatal(AGENT_EXIT_RUNTIME, "cache_new");
	if ((ag->ag_mib = mib_new()) == NULL)
		fatal(AGENT_EXIT_RUNTIME, "mib_new");
	if (mib_system_register(ag->ag_mib) == -1 ||
	    mib_snmp_register(ag->ag_mib) == -1 ||
	    mib_host_register(ag->ag_mib) == -1 ||
	    mib_proctel_register(ag->ag_mib) == -1 ||
	    mib_v3_register(ag->ag_mib) == -1)
		fatalx(AGENT_EXIT_RUNTIME, "cannot build the MIB");
	ag->ag_engine = engine_new(ag->ag_mib, ca, cache_snap, ag->ag_cache);
	if (ag->ag_engine == NULL)
		fatal(AGENT_EXIT_RUNTIME, "engine_new");
	if ((ag->ag_ax = agentx_io_new(ag->ag_engine, ag->ag_mib)) == NULL ||
	    mib_agentx_register(ag->ag_mib, ag->ag_ax) == -1)
		fatal(AGENT_EXIT_RUNTIME, "agentx_io_new");
}

static void
agent_free(struct agent *ag)
{
	size_t i;

	/* Close(shutdown) to the master while the loop and MIB still exist. */
	agentx_io_free(ag->ag_ax);
	loop_free(ag->ag_loop);
	for (i = 0; i < ag->ag_nfds; i++)
		close(ag->ag_fds[i]);
	free(ag->ag_fds);
	/* The refresh thread stops before the loop it reports to goes. */
	cache_free(ag->ag_cache);
	ev_free(ag->ag_ev);
	engine_free(ag->ag_engine);
	v3_free(ag->ag_v3);
	mib_free(ag->ag_mib);
	privsep_stop(ag->ag_priv, ag->ag_priv_pid);
	cfg_agent_free(ag->ag_conf);
	free(ag->ag_cwd);
	free(ag->ag_config);
	free(ag->ag_pidfile);
	free(ag->ag_opts.ao_listen);
}

/* A start-up failure after the pidfile exists: remove it, then exit. */
static void __attribute__((noreturn, format(printf, 2, 3)))
startup_fail(struct agent *ag, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ag->ag_pidfile_ours)
		daemon_pidfile_remove(ag->ag_pidfile);
	fatalx(AGENT_EXIT_RUNTIME, "%s", msg);
}

int
main(int argc, char **argv)
{
	const struct loop_stats *st;
	const struct cache_stats *cs;
	struct agent ag;
	sigset_t sigs;
	char err[512];
	uint64_t boot_ms;
	int notify = -1, r;
	size_t i;

	daemon_fds_guard();
	memset(&ag, 0, sizeof(ag));
	ag.ag_priv = -1;
	parse_args(argc, argv, &ag.ag_opts);
	/* Writing readiness to a parent that died must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	log_init(AGENT_NAME, 0, ag.ag_opts.ao_verbose > 0 ? LOG_LEVEL_DEBUG :
	    LOG_LEVEL_INFO);

	/*
	 * A daemon works from "/", so it keeps absolute paths (abs_path()
	 * with no base copies the path as given).
	 */
	if (ag.ag_opts.ao_daemon && (ag.ag_cwd = getcwd(NULL, 0)) == NULL)
		fatal(AGENT_EXIT_RUNTIME, "getcwd");
	ag.ag_config = abs_path(ag.ag_cwd, ag.ag_opts.ao_config);
	if (ag.ag_opts.ao_daemon)
		ag.ag_pidfile = abs_path(ag.ag_cwd,
		    ag.ag_opts.ao_pidfile != NULL ? ag.ag_opts.ao_pidfile :
		    AGENT_PIDFILE_DEFAULT);
	if (ag.ag_config == NULL ||
	    (ag.ag_opts.ao_daemon && ag.ag_pidfile == NULL))
		fatal(AGENT_EXIT_RUNTIME, "cannot make paths absolute");

	if (ag.ag_opts.ao_check)
		check_config(&ag);
	if (ag.ag_opts.ao_daemon &&
	    daemon_pidfile_check(ag.ag_pidfile, err, sizeof(err)) == -1)
		fatalx(AGENT_EXIT_RUNTIME, "%s", err);
	ag.ag_conf = load_config_or_exit(&ag);
	/* Start-up messages go to stderr; syslog once configured so. */
	log_init(AGENT_NAME, ag.ag_conf->ca_log_syslog,
	    effective_level(&ag, ag.ag_conf));
	if (lookup_user(&ag, ag.ag_conf, false) == -1)
		exit(AGENT_EXIT_USAGE);
	v3conf_warn_secrets(ag.ag_config, ag.ag_conf);

	build_engine_or_exit(&ag);
	/* SNMPv3 while still root: snmpEngineBoots on disk before answering. */
	if (v3conf_start(ag.ag_conf, &ag.ag_v3, &boot_ms, err,
	    sizeof(err)) == -1)
		fatalx(AGENT_EXIT_RUNTIME, "%s", err);
	engine_set_v3(ag.ag_engine, ag.ag_v3, boot_ms);
	bind_all_or_exit(&ag);

	/*
	 * From here SIGTERM must go through the loop, so the pidfile is
	 * removed; blocked now, delivered by the signalfd once it runs.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) == -1)
		fatal(AGENT_EXIT_RUNTIME, "sigprocmask");

	if (ag.ag_opts.ao_daemon) {
		if (daemon_detach(&notify, err, sizeof(err)) == -1)
			fatalx(AGENT_EXIT_RUNTIME, "%s", err);
		if (daemon_pidfile_write(ag.ag_pidfile,
		    ag.ag_drop ? ag.ag_uid : (uid_t)-1,
		    ag.ag_drop ? ag.ag_gid : (gid_t)-1, err, sizeof(err)) == -1)
			fatalx(AGENT_EXIT_RUNTIME, "%s", err);
		ag.ag_pidfile_ours = true;
		if (chdir("/") == -1)
			fatal(AGENT_EXIT_RUNTIME, "chdir /");
	}
	if (ag.ag_drop) {
		/* The helper keeps root to open the config for reloads. */
		if ((ag.ag_priv = privsep_start(ag.ag_config, &ag.ag_priv_pid,
		    err, sizeof(err))) == -1)
			startup_fail(&ag, "cannot start the reload helper: %s",
			    err);
		if (daemon_drop_user(ag.ag_conf->ca_user, ag.ag_uid, ag.ag_gid,
		    err, sizeof(err)) == -1)
			startup_fail(&ag, "cannot drop privileges: %s", err);
		log_info("running as user %s (uid %ld)", ag.ag_conf->ca_user,
		    (long)ag.ag_uid);
	}
	if ((r = cache_first(ag.ag_cache)) != 0)
		startup_fail(&ag, "cannot read processes from %s: %s",
		    ag.ag_conf->ca_proc_root, procfs_strerror(r));

	/*
	 * One malloc arena: the refresh thread allocates only when the
	 * process count grows, and a second arena would only hold memory.
	 */
	(void)mallopt(M_ARENA_MAX, 1);
	if ((ag.ag_ev = ev_new(AGENT_TIMERS)) == NULL ||
	    (ag.ag_loop = loop_new(ag.ag_engine, ag.ag_ev,
	    ag.ag_conf->ca_max_message_size)) == NULL)
		goto fail;
	for (i = 0; i < ag.ag_nfds; i++) {
		/* The loop owns (and on failure closes) the socket. */
		int fd = ag.ag_fds[i];

		ag.ag_fds[i] = -1;
		if (loop_add_socket(ag.ag_loop, fd) == -1)
			goto fail;
	}
	ag.ag_nfds = 0;
	if (ev_signals(ag.ag_ev, &sigs, on_signal, &ag) == -1 ||
	    cache_start(ag.ag_cache, ag.ag_ev) == -1 ||
	    agentx_io_start(ag.ag_ax, ag.ag_ev, &ag.ag_conf->ca_agentx) == -1)
		goto fail;

	if (ag.ag_opts.ao_daemon) {
		if (daemon_stdio_null(err, sizeof(err)) == -1) {
			log_warnx("%s", err);
			goto fail_quiet;
		}
		log_init(AGENT_NAME, 1, effective_level(&ag, ag.ag_conf));
		daemon_ready(notify, AGENT_EXIT_OK);
		notify = -1;
	}
	log_info("%s %s started, pid %ld", AGENT_NAME, PROCTEL_VERSION,
	    (long)getpid());

	if (ev_run(ag.ag_ev) == -1)
		goto fail;
	st = loop_stats(ag.ag_loop);
	log_info("served %llu datagrams with %llu replies (%llu too long, "
	    "%llu replies dropped, %llu refused by the kernel)",
	    (unsigned long long)st->ls_received,
	    (unsigned long long)st->ls_replied,
	    (unsigned long long)st->ls_truncated,
	    (unsigned long long)st->ls_send_dropped,
	    (unsigned long long)st->ls_send_errors);
	cs = cache_stats(ag.ag_cache);
	log_info("snapshots: %llu refreshed beside the loop (%llu failed, "
	    "%llu discarded), %llu taken in the loop; %llu requests answered "
	    "while a refresh ran; a replaced snapshot kept for walks %llu "
	    "times",
	    (unsigned long long)cs->cs_refreshes,
	    (unsigned long long)cs->cs_failures,
	    (unsigned long long)cs->cs_discarded,
	    (unsigned long long)cs->cs_inline,
	    (unsigned long long)cs->cs_during,
	    (unsigned long long)cs->cs_kept);

	if (ag.ag_pidfile_ours)
		daemon_pidfile_remove(ag.ag_pidfile);
	agent_free(&ag);
	return AGENT_EXIT_OK;

fail:
	log_warn("event loop");
fail_quiet:
	if (ag.ag_pidfile_ours)
		daemon_pidfile_remove(ag.ag_pidfile);
	return AGENT_EXIT_RUNTIME;
}
