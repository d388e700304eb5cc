/*
 * report: the `report` subcommand (report.h): its command line, where the
 * history is (--db, the config's sqlite output, or the collector's
 * default), which metric names hold the zombie and process counts (found
 * by OID in the config), the ranking of hosts and parents, and the small
 * formatters both writers share.  Reading is report_db.c; the page is
 * report_html.c or report_text.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/exitcodes.h"
#include "collector/report_impl.h"
#include "config/config.h"
#include "lib/clock.h"
#include "lib/strnum.h"
#include "snmp/oid.h"

#define REPORT_SINCE_DEFAULT	"24h"
#define REPORT_SINCE_MAX_S	(3650ULL * 86400)	/* ten years */

/* The contract's OIDs the report looks for in a config (DESIGN.md). */
#define OID_PT_ZOMBIES		"1.3.6.1.4.1.8072.9999.9999.1.1.1.6.0"
#define OID_PT_PROCESSES	"1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0"
#define OID_HR_PROCESSES	"1.3.6.1.2.1.25.1.6.0"
#define OID_SYSNAME		"1.3.6.1.2.1.1.5.0"
#define OID_PT_ZP_TABLE		"1.3.6.1.4.1.8072.9999.9999.1.1.4"

size_t
report_points(size_t n, size_t points)
{
	return n < points ? n : points;
}

size_t
report_bucket(size_t i, size_t n, size_t points)
{
	if (n <= points)
		return i;
	/* i < n, and both are far below 2^32: the product cannot wrap. */
	return (size_t)((uint64_t)i * points / n);
}

void
report_ms_time(uint64_t ms, char *buf, size_t size)
{
	if (clock_iso8601(ms, buf, size) == -1)
		(void)snprintf(buf, size, "-");
}

void
report_time(const struct report *r, size_t i, char *buf, size_t size)
{
	if (i == REPORT_NONE || i >= r->r_nruns)
		(void)snprintf(buf, size, "-");
	else
		report_ms_time(r->r_runs[i].rn_time_ms, buf, size);
}

void
report_range(const struct report *r, char *from, char *to, size_t size)
{
	report_time(r, r->r_nruns > 0 ? 0 : REPORT_NONE, from, size);
	report_time(r, r->r_nruns > 0 ? r->r_nruns - 1 : REPORT_NONE, to,
	    size);
}

void
report_age(int64_t s, char *buf, size_t size)
{
	int n;

	if (s < 0)
		n = snprintf(buf, size, "-");
	else if (s < 60)
		n = snprintf(buf, size, "%" PRId64 "s", s);
	else if (s < 3600)
		n = snprintf(buf, size, "%" PRId64 "m", s / 60);
	else if (s < 86400)
		n = snprintf(buf, size, "%" PRId64 "h%02" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	else
		n = snprintf(buf, size, "%" PRId64 "d%02" PRId64 "h", s / 86400,
		    s % 86400 / 3600);
	if (n < 0 || (size_t)n >= size)
		(void)snprintf(buf, size, "?");
}

void
report_num(int64_t v, bool sign, char *buf, size_t size)
{
	char digits[32], out[48];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t len, i, o = 0;
	int n;

	n = snprintf(digits, sizeof(digits), "%" PRIu64, u);
	if (n < 0)
		n = 0;
	len = (size_t)n;
	if (v < 0)
		out[o++] = '-';
	else if (sign && v > 0)
		out[o++] = '+';
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	if (snprintf(buf, size, "%s", out) >= (int)size)
		(void)snprintf(buf, size, "?");
}

int32_t
report_utf8_next(const unsigned char *p, size_t left, size_t *used)
{
	uint32_t c = p[0], min;
	size_t n, i;

	if (c < 0x80) {
		*used = 1;
		return (int32_t)c;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return -1;
	if (n > left)
		return -1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and past U+10FFFF (RFC 3629). */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return -1;
	*used = n;
	return (int32_t)c;
}

const char *
report_status_name(enum report_status st)
{
	switch (st) {
	case RS_OK:
		return "ok";
	case RS_TIMEOUT:
		return "timeout";
	case RS_ERROR:
		return "error";
	default:
		return "never polled";
	}
}

int
report_parse_since(const char *s, uint64_t *ms, const char **errstr)
{
	static const struct {
		char		 unit;
		uint64_t	 secs;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
		{ 'w', 7 * 86400 } };
	char num[24];
	uint64_t v;
	size_t len, i;

	*errstr = NULL;
	if (strcmp(s, "all") == 0) {
		*ms = 0;
		return 0;
	}
	len = strlen(s);
	if (len < 2 || len > sizeof(num)) {
		*errstr = "expected a number and s, m, h, d or w, or all";
		return -1;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (s[len - 1] == units[i].unit)
			break;
	if (i == sizeof(units) / sizeof(units[0])) {
		*errstr = "expected a number and s, m, h, d or w, or all";
		return -1;
	}
	memcpy(num, s, len - 1);
	num[len - 1] = '\0';
	if (strnum_u64(num, 1, REPORT_SINCE_MAX_S / units[i].secs, &v,
	    errstr) == -1)
		return -1;
	*ms = v * units[i].secs * 1000;
	return 0;
}

static int64_t
host_last(const struct report_host *h, int m)
{
	return h->rh_s[m].rs_has ? h->rh_s[m].rs_last : 0;
}

static int64_t
host_trend(const struct report_host *h, int m)
{
	int64_t d;

	if (!h->rh_s[m].rs_has ||
	    __builtin_sub_overflow(h->rh_s[m].rs_last, h->rh_s[m].rs_first, &d))
		return 0;
	return d;
}

static int
cmp_i64_desc(int64_t a, int64_t b)
{
	return a > b ? -1 : a < b;
}

/*
 * Worst first: most zombies now, then the fastest growing, the highest
 * peak, then the fastest growing process count and the most processes (a
 * fork loop), then by name.
 */
static int
cmp_hosts(const void *a, const void *b, void *arg)
{
	const struct report *r = arg;
	const struct report_host *x = &r->r_hosts[*(const size_t *)a];
	const struct report_host *y = &r->r_hosts[*(const size_t *)b];
	int c;

	if ((c = cmp_i64_desc(host_last(x, RM_ZOMBIES),
	    host_last(y, RM_ZOMBIES))) != 0 ||
	    (c = cmp_i64_desc(host_trend(x, RM_ZOMBIES),
	    host_trend(y, RM_ZOMBIES))) != 0 ||
	    (c = cmp_i64_desc(x->rh_s[RM_ZOMBIES].rs_max,
	    y->rh_s[RM_ZOMBIES].rs_max)) != 0 ||
	    (c = cmp_i64_desc(host_trend(x, RM_PROCESSES),
	    host_trend(y, RM_PROCESSES))) != 0 ||
	    (c = cmp_i64_desc(host_last(x, RM_PROCESSES),
	    host_last(y, RM_PROCESSES))) != 0 ||
	    (c = strcmp(x->rh_name, y->rh_name)) != 0)
		return c;
	return x->rh_id < y->rh_id ? -1 : x->rh_id > y->rh_id;
}

/* Longest silent first: never answered, then the oldest last answer. */
static int
cmp_silent(const void *a, const void *b, void *arg)
{
	const struct report *r = arg;
	const struct report_host *x = &r->r_hosts[*(const size_t *)a];
	const struct report_host *y = &r->r_hosts[*(const size_t *)b];
	size_t lx = x->rh_last_ok == REPORT_NONE ? 0 : x->rh_last_ok + 1;
	size_t ly = y->rh_last_ok == REPORT_NONE ? 0 : y->rh_last_ok + 1;
	int c;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	if ((c = strcmp(x->rh_name, y->rh_name)) != 0)
		return c;
	return x->rh_id < y->rh_id ? -1 : x->rh_id > y->rh_id;
}

static int
parent_current(const struct report *r, const struct report_parent *p)
{
	return p->rp_last == r->r_hosts[p->rp_host].rh_last_ok;
}

/* Current parents first, most zombies, oldest; then by host and pid. */
static int
cmp_parents(const void *a, const void *b, void *arg)
{
	const struct report *r = arg;
	const struct report_parent *x = a, *y = b;
	int c;

	if ((c = parent_current(r, y) - parent_current(r, x)) != 0 ||
	    (c = cmp_i64_desc(x->rp_zombies, y->rp_zombies)) != 0 ||
	    (c = cmp_i64_desc(x->rp_oldest_s, y->rp_oldest_s)) != 0 ||
	    (c = strcmp(r->r_hosts[x->rp_host].rh_name,
	    r->r_hosts[y->rp_host].rh_name)) != 0)
		return c;
	return strcmp(x->rp_pid, y->rp_pid);
}

int
report_rank(struct report *r)
{
	const struct report_host *h;
	size_t i;

	r->r_nranked = r->r_nsilent = r->r_with_zombies = r->r_ncurrent = 0;
	free(r->r_rank);
	free(r->r_silent);
	r->r_rank = r->r_silent = NULL;
	if (r->r_nhosts == 0)
		return 0;
	if ((r->r_rank = calloc(r->r_nhosts, sizeof(size_t))) == NULL ||
	    (r->r_silent = calloc(r->r_nhosts, sizeof(size_t))) == NULL)
		return -1;
	for (i = 0; i < r->r_nhosts; i++) {
		h = &r->r_hosts[i];
		if (h->rh_last_data != REPORT_NONE) {
			r->r_rank[r->r_nranked++] = i;
			if (host_last(h, RM_ZOMBIES) > 0)
				r->r_with_zombies++;
		}
		if (h->rh_last_poll != REPORT_NONE && h->rh_status != RS_OK)
			r->r_silent[r->r_nsilent++] = i;
	}
	qsort_r(r->r_rank, r->r_nranked, sizeof(size_t), cmp_hosts, r);
	qsort_r(r->r_silent, r->r_nsilent, sizeof(size_t), cmp_silent, r);
	if (r->r_nparents == 0)
		return 0;
	qsort_r(r->r_parents, r->r_nparents, sizeof(*r->r_parents),
	    cmp_parents, r);
	while (r->r_ncurrent < r->r_nparents &&
	    parent_current(r, &r->r_parents[r->r_ncurrent]))
		r->r_ncurrent++;
	return 0;
}

static void
report_usage(FILE *fp)
{
	fprintf(fp,
"usage: proctel-collector report [-c FILE] [--db FILE] [--since DURATION]\n"
"                                [-o FILE.html | --text] [--top N]\n"
"  -c, --config FILE   the collector's config: its sqlite output is the\n"
"                      history, its metrics name the counts\n"
"      --db FILE       read this history instead\n"
"      --since DURATION  the window before the newest run: 90m, 24h, 30d,\n"
"                      2w or all (default " REPORT_SINCE_DEFAULT ")\n"
"  -o, --output FILE   write the HTML page there (default: standard output)\n"
"      --text          an 80-column text table on standard output instead\n"
"      --top N         hosts listed, worst first (default %d, at most %d)\n"
"exit: 0 written, 1 the history or the output failed, 2 usage or config\n",
	    REPORT_TOP_DEFAULT, REPORT_TOP_MAX);
}

/* The name of the config's metric with this OID, or NULL. */
static const char *
metric_by_oid(const struct cfg_collector *cc, const char *oidtext)
{
	struct oid o;
	const char *errstr;
	size_t i;

	if (oid_parse(oidtext, &o, &errstr) == -1)
		return NULL;
	for (i = 0; i < cc->cc_nmetrics; i++)
		if (oid_cmp(&cc->cc_metrics[i].cm_oid, &o) == 0)
			return cc->cc_metrics[i].cm_name;
	return NULL;
}

static bool
walks_zombie_parents(const struct cfg_collector *cc)
{
	struct oid o;
	const char *errstr;
	size_t i;

	if (oid_parse(OID_PT_ZP_TABLE, &o, &errstr) == -1)
		return false;
	for (i = 0; i < cc->cc_ntables; i++)
		if (oid_is_prefix(&o, &cc->cc_tables[i].ct_oid))
			return true;
	return false;
}

/* The history a config's collector writes: malloc'd, NULL with *why. */
static char *
config_db(const struct cfg_collector *cc, const char *config,
    char *(*default_db)(const char *), const char **why)
{
	size_t i;

	*why = "out of memory";
	for (i = 0; i < cc->cc_noutputs; i++)
		if (cc->cc_outputs[i].co_type == CFG_OUT_SQLITE)
			return strdup(cc->cc_outputs[i].co_path);
	if (cc->cc_noutputs > 0) {
		*why = "the config writes no SQLite history; give --db FILE";
		return NULL;
	}
	return default_db(cc->cc_path != NULL ? cc->cc_path : config);
}

/* Write the page to path through a temp file renamed over it. */
static int
write_page(const struct report *r, const char *path)
{
	char *tmp = NULL;
	size_t len = strlen(path) + 8;
	FILE *fp = NULL;
	int fd = -1, saved;

	if ((tmp = malloc(len)) == NULL ||
	    snprintf(tmp, len, "%s.XXXXXX", path) != (int)len - 1)
		goto fail;
	if ((fd = mkstemp(tmp)) == -1) {
		free(tmp);
		tmp = NULL;
		goto fail;
	}
	if (fchmod(fd, 0644) == -1 || (fp = fdopen(fd, "w")) == NULL)
		goto fail;
	fd = -1;
	if (report_write_html(r, fp) == -1 || fflush(fp) == EOF ||
	    fsync(fileno(fp)) == -1)
		goto fail;
	if (fclose(fp) == EOF) {
		fp = NULL;
		goto fail;
	}
	fp = NULL;
	if (rename(tmp, path) == -1)
		goto fail;
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fp != NULL)
		fclose(fp);
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		(void)unlink(tmp);
		free(tmp);
	}
	errno = saved;
	return -1;
}

int
report_main(int argc, char **argv, const char *default_config,
    char *(*default_db)(const char *config))
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "text", no_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *db = NULL, *outpath = NULL, *errstr;
	const char *since = REPORT_SINCE_DEFAULT;
	struct cfg_collector *cc = NULL;
	struct report_opts o;
	struct report *r = NULL;
	struct cfg_errors errs;
	char *dbpath = NULL, err[512];
	uint64_t top = REPORT_TOP_DEFAULT, t0;
	bool text = false;
	int ch, rc, status = EXIT_BAD_CONFIG;

	memset(&o, 0, sizeof(o));
	memset(&errs, 0, sizeof(errs));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 's':
			since = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 't':
			text = true;
			break;
		case 'n':
			if (strnum_u64(optarg, 1, REPORT_TOP_MAX, &top,
			    &errstr) == -1) {
				fprintf(stderr, "proctel-collector report: "
				    "--top %s: %s (1..%d)\n", optarg, errstr,
				    REPORT_TOP_MAX);
				return EXIT_BAD_CONFIG;
			}
			break;
		case 'h':
			report_usage(stdout);
			return EXIT_ALL_ANSWERED;
		default:
			report_usage(stderr);
			return EXIT_BAD_CONFIG;
		}
	}
	if (optind != argc || (text && outpath != NULL)) {
		report_usage(stderr);
		return EXIT_BAD_CONFIG;
	}
	if (report_parse_since(since, &o.ro_since_ms, &errstr) == -1) {
		fprintf(stderr, "proctel-collector report: --since %s: %s\n",
		    since, errstr);
		return EXIT_BAD_CONFIG;
	}
	/* --db alone needs no config; otherwise the config says where. */
	if (config != NULL || db == NULL) {
		if (config == NULL)
			config = default_config;
		if ((cc = cfg_collector_load(config, &errs)) == NULL) {
			cfg_errors_print(&errs, stderr);
			cfg_errors_free(&errs);
			goto out;
		}
		o.ro_zombies = metric_by_oid(cc, OID_PT_ZOMBIES);
		if ((o.ro_processes = metric_by_oid(cc, OID_PT_PROCESSES)) ==
		    NULL)
			o.ro_processes = metric_by_oid(cc, OID_HR_PROCESSES);
		o.ro_sysname = metric_by_oid(cc, OID_SYSNAME);
		o.ro_walk_known = true;
		o.ro_walked = walks_zombie_parents(cc);
		if (db == NULL && (db = dbpath = config_db(cc, config,
		    default_db, &errstr)) == NULL) {
			fprintf(stderr, "proctel-collector report: %s: %s\n",
			    config, errstr);
			goto out;
		}
	} else
		o.ro_sysname = "sysName";
	o.ro_db = db;
	o.ro_top = (size_t)top;
	o.ro_now_ms = clock_wall_ms();
	t0 = clock_mono_ms();
	status = EXIT_SOME_FAILED;
	if ((rc = report_load(&o, &r, err, sizeof(err))) != 0) {
		fprintf(stderr, "proctel-collector report: %s\n",
		    err[0] != '\0' ? err : report_strerror(rc));
		goto out;
	}
	if (outpath != NULL && strcmp(outpath, "-") != 0) {
		if (write_page(r, outpath) == -1) {
			fprintf(stderr, "proctel-collector report: %s: %s\n",
			    outpath, strerror(errno));
			goto out;
		}
		fprintf(stderr, "proctel-collector report: wrote %s: %zu runs, "
		    "%zu hosts, %.1f s\n", outpath, r->r_nruns, r->r_nhosts,
		    (double)(clock_mono_ms() - t0) / 1000.0);
	} else if ((text ? report_write_text(r, stdout) :
	    report_write_html(r, stdout)) == -1 || fflush(stdout) == EOF) {
		fprintf(stderr, "proctel-collector report: standard output: "
		    "%s\n", strerror(errno));
		goto out;
	}
	status = EXIT_ALL_ANSWERED;
out:
	report_free(r);
	free(dbpath);
	cfg_collector_free(cc);
	return status;
}
