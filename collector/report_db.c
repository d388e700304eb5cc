/*
 * report_db: reads the SQLite history that collector/sink_sqlite.c writes
 * (schema version 1 or 2) into struct report.  Read-only and in one read
 * transaction, so a collector writing at the same time (WAL) neither waits
 * nor is seen half-way.  Three scans in primary-key order, each once over
 * the window's runs: polls (who answered), samples_raw (the zombie and
 * process counts) and table_rows (the zombie parent columns); then point
 * lookups for the strings of the hosts shown.  The parents' rows are put
 * together in report_zp.c.  Time is linear in the rows
 * of the window; memory is per host and per run, never per row.
 * It does not rank or write anything: report.c and report_{html,text}.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/report_impl.h"

#define RDB_BUSY_TIMEOUT_MS	10000
#define RDB_SCHEMA_MAX		2	/* the newest sink_sqlite.c writes */
/* Target ids map through an array when at most this sparse. */
#define RDB_DENSE_SLACK		4
#define RDB_DENSE_EXTRA		1024

struct rdb {
	sqlite3		*d_db;
	struct report	*d_r;
	size_t		*d_dense;	/* target id -> host index */
	int64_t		 d_ndense;
	char		*d_err;
	size_t		 d_errlen;
};

static const char *const rdb_tables[] = { "runs", "targets", "polls",
	"samples_raw", "table_rows" };

static int rdb_fail(struct rdb *d, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
rdb_fail(struct rdb *d, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (d->d_err == NULL || d->d_errlen == 0)
		return code;
	va_start(ap, fmt);
	n = vsnprintf(d->d_err, d->d_errlen, fmt, ap);
	va_end(ap);
	if (n < 0)
		d->d_err[0] = '\0';
	return code;
}

static int
rdb_sql_fail(struct rdb *d, const char *what)
{
	return rdb_fail(d, REPORT_EDB, "%s: %s: %s", d->d_r->r_db, what,
	    sqlite3_errmsg(d->d_db));
}

static int64_t
rdb_add(int64_t a, int64_t b)
{
	int64_t s;

	if (__builtin_add_overflow(a, b, &s))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return s;
}

/* Copy at most REPORT_TEXT_BYTES of a column (text or blob). */
static int
rdb_bytes(struct report_bytes *b, sqlite3_stmt *st, int col)
{
	const void *p;
	int n;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	p = sqlite3_column_blob(st, col);
	n = sqlite3_column_bytes(st, col);
	if (p == NULL || n <= 0)
		n = 0;
	b->rb_cut = (size_t)n > REPORT_TEXT_BYTES;
	b->rb_len = b->rb_cut ? REPORT_TEXT_BYTES : (size_t)n;
	free(b->rb_p);
	if ((b->rb_p = malloc(b->rb_len + 1)) == NULL)
		return -1;
	if (b->rb_len > 0)
		memcpy(b->rb_p, p, b->rb_len);
	b->rb_p[b->rb_len] = '\0';
	return 0;
}

static int
rdb_prepare(struct rdb *d, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(d->d_db, sql, -1, st, NULL) != SQLITE_OK)
		return rdb_sql_fail(d, "prepare");
	return 0;
}

/* 1 when the table exists, 0 when not, -1 on error. */
static int
rdb_has_table(sqlite3_stmt *st, const char *name)
{
	int rc;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) > 0 :
	    -1;
	sqlite3_reset(st);
	return rc;
}

static int
rdb_open(struct rdb *d)
{
	struct report *r = d->d_r;
	sqlite3_stmt *st = NULL;
	struct stat sb;
	size_t i;
	int rc;

	if (stat(r->r_db, &sb) == -1)
		return rdb_fail(d, errno == ENOENT ? REPORT_ENOENT : REPORT_EDB,
		    "%s: %s", r->r_db, strerror(errno));
	if (sqlite3_open_v2(r->r_db, &d->d_db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return rdb_sql_fail(d, "open");
	sqlite3_busy_timeout(d->d_db, RDB_BUSY_TIMEOUT_MS);
	/* One snapshot for every query below (ended in report_load). */
	if (sqlite3_exec(d->d_db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return rdb_sql_fail(d, "begin");
	if ((rc = rdb_prepare(d, "PRAGMA user_version", &st)) != 0)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rdb_sql_fail(d, "user_version");
	}
	r->r_version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (r->r_version > RDB_SCHEMA_MAX)
		return rdb_fail(d, REPORT_ENEWER, "%s: schema version %d is "
		    "newer than this report's %d", r->r_db, r->r_version,
		    RDB_SCHEMA_MAX);
	if ((rc = rdb_prepare(d, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name = ?", &st)) != 0)
		return rc;
	for (i = 0; i < sizeof(rdb_tables) / sizeof(rdb_tables[0]); i++) {
		if ((rc = rdb_has_table(st, rdb_tables[i])) == -1)
			break;
		if (rc == 0) {
			sqlite3_finalize(st);
			return rdb_fail(d, REPORT_ENOTHIST, "%s: not a proctel "
			    "history (no table %s)", r->r_db, rdb_tables[i]);
		}
	}
	if (rc != -1 && (rc = rdb_has_table(st, "run_stats")) != -1)
		r->r_has_stats = rc == 1;
	if (rc == -1) {
		sqlite3_finalize(st);
		return rdb_sql_fail(d, "sqlite_master");
	}
	sqlite3_finalize(st);
	return 0;
}

/* The runs of the window: the newest run and r_since_ms before it. */
static int
rdb_runs(struct rdb *d)
{
	struct report *r = d->d_r;
	sqlite3_stmt *st = NULL;
	int64_t total, newest, after = INT64_MIN;
	size_t n = 0;
	int rc;

	if ((rc = rdb_prepare(d, "SELECT count(*), max(time_ms) FROM runs",
	    &st)) != 0)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rdb_sql_fail(d, "runs");
	}
	total = sqlite3_column_int64(st, 0);
	newest = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	if (total <= 0)
		return 0;
	if (r->r_since_ms > 0 && r->r_since_ms <= (uint64_t)INT64_MAX &&
	    newest > INT64_MIN + (int64_t)r->r_since_ms)
		after = newest - (int64_t)r->r_since_ms;
	if ((r->r_runs = calloc((size_t)total, sizeof(*r->r_runs))) == NULL)
		return REPORT_ENOMEM;
	if ((rc = rdb_prepare(d, r->r_has_stats ?
	    "SELECT r.id, r.time_ms, s.duration_ms FROM runs r "
	    "LEFT JOIN run_stats s ON s.run_id = r.id "
	    "WHERE r.time_ms > ?1 ORDER BY r.id" :
	    "SELECT id, time_ms, NULL FROM runs WHERE time_ms > ?1 "
	    "ORDER BY id", &st)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)total) {
		struct report_run *rn = &r->r_runs[n++];
		int64_t t = sqlite3_column_int64(st, 1);

		rn->rn_id = sqlite3_column_int64(st, 0);
		rn->rn_time_ms = t > 0 ? (uint64_t)t : 0;
		rn->rn_duration_ms = sqlite3_column_type(st, 2) == SQLITE_NULL ?
		    -1 : sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return rdb_sql_fail(d, "runs");
	r->r_nruns = n;
	r->r_runs_before = (size_t)total - n;
	return 0;
}

static int
rdb_targets(struct rdb *d)
{
	struct report *r = d->d_r;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0, i;
	struct report_host *h, *grown;
	int64_t maxid;
	int rc;

	if ((rc = rdb_prepare(d, "SELECT id, name, host, port FROM targets "
	    "ORDER BY id", &st)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(st, 1);
		const unsigned char *host = sqlite3_column_text(st, 2);

		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			if ((grown = reallocarray(r->r_hosts, cap,
			    sizeof(*grown))) == NULL)
				goto nomem;
			r->r_hosts = grown;
		}
		h = &r->r_hosts[n];
		memset(h, 0, sizeof(*h));
		r->r_nhosts = ++n;
		h->rh_id = sqlite3_column_int64(st, 0);
		h->rh_port = sqlite3_column_int(st, 3);
		h->rh_last_poll = h->rh_last_ok = h->rh_last_data = REPORT_NONE;
		if ((h->rh_name = strdup(name != NULL ? (const char *)name :
		    "")) == NULL || (h->rh_host = strdup(host != NULL ?
		    (const char *)host : "")) == NULL)
			goto nomem;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_sql_fail(d, "targets");
	if (n == 0)
		return 0;
	maxid = r->r_hosts[n - 1].rh_id;
	if (r->r_hosts[0].rh_id >= 0 && (uint64_t)maxid <
	    (uint64_t)n * RDB_DENSE_SLACK + RDB_DENSE_EXTRA) {
		d->d_ndense = maxid + 1;
		if ((d->d_dense = calloc((size_t)d->d_ndense,
		    sizeof(*d->d_dense))) == NULL)
			return REPORT_ENOMEM;
		for (i = 0; i < (size_t)d->d_ndense; i++)
			d->d_dense[i] = REPORT_NONE;
		for (i = 0; i < n; i++)
			d->d_dense[r->r_hosts[i].rh_id] = i;
	}
	return 0;
nomem:
	sqlite3_finalize(st);
	return REPORT_ENOMEM;
}

/* Host index of a target id, or REPORT_NONE. */
static size_t
rdb_host(const struct rdb *d, int64_t id)
{
	const struct report *r = d->d_r;
	size_t lo = 0, hi = r->r_nhosts, mid;

	if (d->d_dense != NULL)
		return id >= 0 && id < d->d_ndense ? d->d_dense[id] :
		    REPORT_NONE;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->r_hosts[mid].rh_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->r_nhosts && r->r_hosts[lo].rh_id == id ? lo :
	    REPORT_NONE;
}

/* Run index of a run id; rows come in run order, so a cursor suffices. */
static size_t
rdb_run(const struct report *r, int64_t id, size_t *cur)
{
	while (*cur < r->r_nruns && r->r_runs[*cur].rn_id < id)
		(*cur)++;
	return *cur < r->r_nruns && r->r_runs[*cur].rn_id == id ? *cur :
	    REPORT_NONE;
}

static void
rdb_bind_window(const struct report *r, sqlite3_stmt *st)
{
	sqlite3_bind_int64(st, 1, r->r_runs[0].rn_id);
	sqlite3_bind_int64(st, 2, r->r_runs[r->r_nruns - 1].rn_id);
}

static int
rdb_polls(struct rdb *d)
{
	struct report *r = d->d_r;
	sqlite3_stmt *st = NULL;
	size_t cur = 0, ri, hi;
	int rc;

	if ((rc = rdb_prepare(d, "SELECT run_id, target_id, status, "
	    "latency_ms FROM polls WHERE run_id BETWEEN ?1 AND ?2 "
	    "ORDER BY run_id, target_id", &st)) != 0)
		return rc;
	rdb_bind_window(r, st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 2);
		struct report_run *rn;
		struct report_host *h;
		double lat;

		if ((ri = rdb_run(r, sqlite3_column_int64(st, 0), &cur)) ==
		    REPORT_NONE || (hi = rdb_host(d, sqlite3_column_int64(st,
		    1))) == REPORT_NONE)
			continue;
		rn = &r->r_runs[ri];
		h = &r->r_hosts[hi];
		rn->rn_targets++;
		h->rh_last_poll = ri;
		if (s != NULL && strcmp((const char *)s, "ok") == 0) {
			rn->rn_ok++;
			h->rh_status = RS_OK;
			h->rh_last_ok = ri;
			h->rh_fails = 0;
			lat = sqlite3_column_double(st, 3);
			if (lat > rn->rn_slowest_ms)
				rn->rn_slowest_ms = lat;
			continue;
		}
		if (s != NULL && strcmp((const char *)s, "timeout") == 0) {
			rn->rn_timeout++;
			h->rh_status = RS_TIMEOUT;
		} else {
			rn->rn_error++;
			h->rh_status = RS_ERROR;
		}
		h->rh_fails++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rdb_sql_fail(d, "polls");
}

static int
rdb_samples(struct rdb *d)
{
	struct report *r = d->d_r;
	sqlite3_stmt *st = NULL;
	size_t cur = 0, ri, hi, b, np = r->r_spark_points;
	int rc, m;

	if ((rc = rdb_prepare(d, "SELECT run_id, target_id, metric, "
	    "value_int FROM samples_raw WHERE run_id BETWEEN ?1 AND ?2 "
	    "AND metric IN (?3, ?4) ORDER BY run_id, target_id, metric",
	    &st)) != 0)
		return rc;
	rdb_bind_window(r, st);
	sqlite3_bind_text(st, 3, r->r_metric[RM_ZOMBIES], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->r_metric[RM_PROCESSES], -1,
	    SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(st, 2);
		struct report_series *s;
		struct report_host *h;
		int64_t v;

		/* Values past 2^63-1 are text: not a count of processes. */
		if (name == NULL || sqlite3_column_type(st, 3) !=
		    SQLITE_INTEGER)
			continue;
		m = strcmp((const char *)name, r->r_metric[RM_ZOMBIES]) == 0 ?
		    RM_ZOMBIES : RM_PROCESSES;
		if ((ri = rdb_run(r, sqlite3_column_int64(st, 0), &cur)) ==
		    REPORT_NONE || (hi = rdb_host(d, sqlite3_column_int64(st,
		    1))) == REPORT_NONE)
			continue;
		v = sqlite3_column_int64(st, 3);
		h = &r->r_hosts[hi];
		s = &h->rh_s[m];
		r->r_runs[ri].rn_sum[m] = rdb_add(r->r_runs[ri].rn_sum[m], v);
		r->r_runs[ri].rn_n[m]++;
		if (!s->rs_has) {
			s->rs_has = true;
			s->rs_first = s->rs_max = v;
		}
		s->rs_last = v;
		if (v > s->rs_max)
			s->rs_max = v;
		h->rh_last_data = ri;
		b = report_bucket(ri, r->r_nruns, np);
		if (v > h->rh_spark[m][b])
			h->rh_spark[m][b] = v;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rdb_sql_fail(d, "samples_raw");
}

static int
rdb_parents(struct rdb *d)
{
	struct report *r = d->d_r;
	struct report_zp_cell c;
	struct report_zp *z;
	sqlite3_stmt *st = NULL;
	size_t cur = 0;
	int rc;

	if ((z = report_zp_new(r)) == NULL)
		return REPORT_ENOMEM;
	/* The column names are names.c's, whatever the table is called. */
	if ((rc = rdb_prepare(d, "SELECT run_id, target_id, tbl, idx, col, "
	    "value_int, value_text FROM table_rows "
	    "WHERE run_id BETWEEN ?1 AND ?2 AND col IN ('ptZpName', "
	    "'ptZpZombies', 'ptZpOldestAge') "
	    "ORDER BY run_id, target_id, tbl, idx, col", &st)) != 0) {
		report_zp_free(z);
		return rc;
	}
	rdb_bind_window(r, st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n;

		r->r_walked = true;
		c.zc_run = rdb_run(r, sqlite3_column_int64(st, 0), &cur);
		c.zc_host = rdb_host(d, sqlite3_column_int64(st, 1));
		if (c.zc_run == REPORT_NONE || c.zc_host == REPORT_NONE)
			continue;
		c.zc_tbl = (const char *)sqlite3_column_text(st, 2);
		c.zc_idx = (const char *)sqlite3_column_text(st, 3);
		c.zc_col = (const char *)sqlite3_column_text(st, 4);
		c.zc_isint = sqlite3_column_type(st, 5) == SQLITE_INTEGER;
		c.zc_int = sqlite3_column_int64(st, 5);
		c.zc_bytes = sqlite3_column_blob(st, 6);
		n = sqlite3_column_bytes(st, 6);
		c.zc_len = c.zc_bytes != NULL && n > 0 ? (size_t)n : 0;
		if (report_zp_cell(z, &c) == -1) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && report_zp_end(z) == -1)
		rc = SQLITE_NOMEM;
	report_zp_free(z);
	if (rc == SQLITE_NOMEM)
		return REPORT_ENOMEM;
	return rc == SQLITE_DONE ? 0 : rdb_sql_fail(d, "table_rows");
}

/* The sysName and the last error of one host. */
static int
rdb_host_strings(struct rdb *d, sqlite3_stmt *sys, sqlite3_stmt *err,
    size_t hi)
{
	struct report *r = d->d_r;
	struct report_host *h = &r->r_hosts[hi];
	int rc = 0;

	if (sys != NULL && h->rh_sysname.rb_p == NULL &&
	    h->rh_last_data != REPORT_NONE) {
		sqlite3_bind_int64(sys, 1, r->r_runs[h->rh_last_data].rn_id);
		sqlite3_bind_int64(sys, 2, h->rh_id);
		if (sqlite3_step(sys) == SQLITE_ROW)
			rc = rdb_bytes(&h->rh_sysname, sys, 0);
		sqlite3_reset(sys);
	}
	if (rc == 0 && h->rh_error.rb_p == NULL && h->rh_status != RS_OK &&
	    h->rh_last_poll != REPORT_NONE) {
		sqlite3_bind_int64(err, 1, r->r_runs[h->rh_last_poll].rn_id);
		sqlite3_bind_int64(err, 2, h->rh_id);
		if (sqlite3_step(err) == SQLITE_ROW)
			rc = rdb_bytes(&h->rh_error, err, 0);
		sqlite3_reset(err);
	}
	return rc;
}

/* Strings only for the hosts the page shows: a few hundred lookups. */
static int
rdb_strings(struct rdb *d, const char *sysname)
{
	struct report *r = d->d_r;
	sqlite3_stmt *sys = NULL, *err = NULL;
	size_t i, n;
	int rc;

	if (sysname != NULL && (rc = rdb_prepare(d, "SELECT value_text "
	    "FROM samples_raw WHERE run_id = ? AND target_id = ? AND "
	    "metric = ?", &sys)) != 0)
		return rc;
	if (sys != NULL)
		sqlite3_bind_text(sys, 3, sysname, -1, SQLITE_STATIC);
	if ((rc = rdb_prepare(d, "SELECT error FROM polls WHERE run_id = ? "
	    "AND target_id = ?", &err)) != 0)
		goto out;
	rc = REPORT_ENOMEM;
	n = r->r_nranked < r->r_top ? r->r_nranked : r->r_top;
	for (i = 0; i < n; i++)
		if (rdb_host_strings(d, sys, err, r->r_rank[i]) == -1)
			goto out;
	n = r->r_nsilent < r->r_top ? r->r_nsilent : r->r_top;
	for (i = 0; i < n; i++)
		if (rdb_host_strings(d, sys, err, r->r_silent[i]) == -1)
			goto out;
	n = r->r_ncurrent < REPORT_PARENTS_SHOWN ? r->r_ncurrent :
	    REPORT_PARENTS_SHOWN;
	for (i = 0; i < n; i++)
		if (rdb_host_strings(d, sys, err, r->r_parents[i].rp_host) ==
		    -1)
			goto out;
	rc = 0;
out:
	sqlite3_finalize(sys);
	sqlite3_finalize(err);
	return rc;
}

static int
rdb_spark_alloc(struct report *r)
{
	size_t per, total, i;

	r->r_spark_points = report_points(r->r_nruns, REPORT_SPARK_POINTS);
	per = r->r_spark_points;
	if (per == 0 || r->r_nhosts == 0)
		return 0;
	if (r->r_nhosts > SIZE_MAX / RM_COUNT / per / sizeof(int64_t))
		return REPORT_ENOMEM;
	total = r->r_nhosts * RM_COUNT * per;
	if ((r->r_spark = malloc(total * sizeof(int64_t))) == NULL)
		return REPORT_ENOMEM;
	for (i = 0; i < total; i++)
		r->r_spark[i] = REPORT_SPARK_EMPTY;
	for (i = 0; i < r->r_nhosts; i++) {
		r->r_hosts[i].rh_spark[RM_ZOMBIES] =
		    &r->r_spark[(i * RM_COUNT + RM_ZOMBIES) * per];
		r->r_hosts[i].rh_spark[RM_PROCESSES] =
		    &r->r_spark[(i * RM_COUNT + RM_PROCESSES) * per];
	}
	return 0;
}

static int
report_copy_opts(struct report *r, const struct report_opts *o)
{
	r->r_since_ms = o->ro_since_ms;
	r->r_now_ms = o->ro_now_ms;
	r->r_top = o->ro_top == 0 ? REPORT_TOP_DEFAULT :
	    o->ro_top > REPORT_TOP_MAX ? REPORT_TOP_MAX : o->ro_top;
	r->r_walk_known = o->ro_walk_known;
	r->r_walked = o->ro_walk_known && o->ro_walked;
	if (o->ro_db == NULL)
		return REPORT_ENOENT;
	if ((r->r_db = strdup(o->ro_db)) == NULL ||
	    (r->r_metric[RM_ZOMBIES] = strdup(o->ro_zombies != NULL ?
	    o->ro_zombies : "zombies")) == NULL ||
	    (r->r_metric[RM_PROCESSES] = strdup(o->ro_processes != NULL ?
	    o->ro_processes : "processes")) == NULL)
		return REPORT_ENOMEM;
	return 0;
}

int
report_load(const struct report_opts *o, struct report **out, char *err,
    size_t errlen)
{
	struct rdb d;
	struct report *r;
	int rc;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&d, 0, sizeof(d));
	d.d_err = err;
	d.d_errlen = errlen;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return REPORT_ENOMEM;
	d.d_r = r;
	if ((rc = report_copy_opts(r, o)) != 0 || (rc = rdb_open(&d)) != 0 ||
	    (rc = rdb_runs(&d)) != 0 || (rc = rdb_targets(&d)) != 0 ||
	    (rc = rdb_spark_alloc(r)) != 0)
		goto fail;
	if (r->r_nruns > 0 && ((rc = rdb_polls(&d)) != 0 ||
	    (rc = rdb_samples(&d)) != 0 || (rc = rdb_parents(&d)) != 0))
		goto fail;
	if (report_rank(r) == -1) {
		rc = REPORT_ENOMEM;
		goto fail;
	}
	if (r->r_nruns > 0 && r->r_nhosts > 0 &&
	    (rc = rdb_strings(&d, o->ro_sysname)) != 0)
		goto fail;
	(void)sqlite3_exec(d.d_db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(d.d_db);
	free(d.d_dense);
	*out = r;
	return 0;
fail:
	if (rc == REPORT_ENOMEM)
		(void)rdb_fail(&d, rc, "%s: out of memory", o->ro_db);
	sqlite3_close(d.d_db);
	free(d.d_dense);
	report_free(r);
	return rc;
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->r_nhosts; i++) {
		free(r->r_hosts[i].rh_name);
		free(r->r_hosts[i].rh_host);
		free(r->r_hosts[i].rh_sysname.rb_p);
		free(r->r_hosts[i].rh_error.rb_p);
	}
	for (i = 0; i < r->r_nparents; i++) {
		free(r->r_parents[i].rp_pid);
		free(r->r_parents[i].rp_name.rb_p);
	}
	free(r->r_hosts);
	free(r->r_parents);
	free(r->r_runs);
	free(r->r_spark);
	free(r->r_rank);
	free(r->r_silent);
	free(r->r_db);
	free(r->r_metric[RM_ZOMBIES]);
	free(r->r_metric[RM_PROCESSES]);
	free(r);
}

const char *
report_strerror(int code)
{
	switch (code) {
	case REPORT_OK:
		return "no error";
	case REPORT_ENOMEM:
		return "out of memory";
	case REPORT_ENOENT:
		return "no history at that path";
	case REPORT_EDB:
		return "the history could not be read";
	case REPORT_ENOTHIST:
		return "not a proctel history";
	case REPORT_ENEWER:
		return "history written by a newer collector";
	default:
		return "unknown error";
	}
}
