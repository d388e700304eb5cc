/*
 * sink_sqlite: the default sink, an embedded SQLite history.  WAL mode and a
 * busy timeout so readers (sqlite3 on the command line, dashboards) never
 * block a run for long; one transaction per run (BEGIN IMMEDIATE .. COMMIT,
 * ROLLBACK on any error), so a failed or killed run leaves the file as it
 * was.  Statements are prepared once per sink.
 *
 * Schema, version 2 (PRAGMA user_version; version 1 lacked run_stats):
 *   runs(id, time_ms, time)            one row per run, time ISO 8601 UTC
 *   run_stats(run_id, duration_ms, targets, answered, timeouts, errors)
 *                                      the collector's health per run;
 *                                      duration_ms is run start to this
 *                                      write (the poll phase)
 *   targets(id, name, host, port, labels)   labels as a JSON object
 *   polls(run_id, target_id, status, error, attempts, latency_ms)
 *   samples_raw(run_id, target_id, metric, value_int, value_text)
 *   table_rows(run_id, target_id, tbl, idx, col, value_int, value_text)
 *   VIEW samples(time, target, metric, value)
 * Integers up to 2^63-1 go to value_int; larger unsigned values (Counter64
 * past 2^63) go to value_text as decimal digits, so nothing is rounded.
 * Strings that are valid UTF-8 go to value_text as TEXT, others as BLOB.
 * Absent values are not stored.  Every statement of the schema is CREATE ..
 * IF NOT EXISTS, so an older file is brought forward by running it again
 * (version 2 added run_stats); a database with a newer user_version is
 * refused.
 */
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "collector/json.h"
#include "collector/sink_impl.h"
#include "lib/clock.h"

#define SQL_SCHEMA_VERSION	2
#define SQL_BUSY_TIMEOUT_MS	10000

static const char sql_schema[] =
	"CREATE TABLE IF NOT EXISTS runs("
	"  id INTEGER PRIMARY KEY,"
	"  time_ms INTEGER NOT NULL,"
	"  time TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS run_stats("
	"  run_id INTEGER PRIMARY KEY REFERENCES runs(id),"
	"  duration_ms INTEGER NOT NULL,"
	"  targets INTEGER NOT NULL,"
	"  answered INTEGER NOT NULL,"
	"  timeouts INTEGER NOT NULL,"
	"  errors INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS targets("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  host TEXT NOT NULL,"
	"  port INTEGER NOT NULL,"
	"  labels TEXT NOT NULL DEFAULT '{}',"
	"  UNIQUE(name, host, port));"
	"CREATE TABLE IF NOT EXISTS polls("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  target_id INTEGER NOT NULL REFERENCES targets(id),"
	"  status TEXT NOT NULL,"
	"  error TEXT,"
	"  attempts INTEGER NOT NULL,"
	"  latency_ms REAL NOT NULL,"
	"  PRIMARY KEY(run_id, target_id)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS samples_raw("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  target_id INTEGER NOT NULL REFERENCES targets(id),"
	"  metric TEXT NOT NULL,"
	"  value_int INTEGER,"
	"  value_text,"
	"  PRIMARY KEY(run_id, target_id, metric)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS samples_raw_target"
	"  ON samples_raw(target_id, metric, run_id);"
	"CREATE TABLE IF NOT EXISTS table_rows("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  target_id INTEGER NOT NULL REFERENCES targets(id),"
	"  tbl TEXT NOT NULL,"
	"  idx TEXT NOT NULL,"
	"  col TEXT NOT NULL,"
	"  value_int INTEGER,"
	"  value_text,"
	"  PRIMARY KEY(run_id, target_id, tbl, idx, col)) WITHOUT ROWID;"
	"CREATE VIEW IF NOT EXISTS samples(time, target, metric, value) AS"
	"  SELECT r.time, t.name, s.metric, coalesce(s.value_int, s.value_text)"
	"  FROM samples_raw s JOIN runs r ON r.id = s.run_id"
	"  JOIN targets t ON t.id = s.target_id;";

enum sql_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_RUN,
	ST_RUN_STATS,
	ST_TARGET_GET,
	ST_TARGET_ADD,
	ST_TARGET_LABELS,
	ST_POLL,
	ST_SAMPLE,
	ST_CELL,
	ST_COUNT
};

static const char *const sql_text[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_RUN] = "INSERT INTO runs(time_ms, time) VALUES(?, ?)",
	[ST_RUN_STATS] = "INSERT INTO run_stats(run_id, duration_ms, targets,"
	    " answered, timeouts, errors) VALUES(?, ?, ?, ?, ?, ?)",
	[ST_TARGET_GET] = "SELECT id FROM targets"
	    " WHERE name = ? AND host = ? AND port = ?",
	[ST_TARGET_ADD] = "INSERT INTO targets(name, host, port, labels)"
	    " VALUES(?, ?, ?, ?)",
	[ST_TARGET_LABELS] = "UPDATE targets SET labels = ?2"
	    " WHERE id = ?1 AND labels IS NOT ?2",
	[ST_POLL] = "INSERT OR REPLACE INTO polls(run_id, target_id, status,"
	    " error, attempts, latency_ms) VALUES(?, ?, ?, ?, ?, ?)",
	[ST_SAMPLE] = "INSERT OR REPLACE INTO samples_raw(run_id, target_id,"
	    " metric, value_int, value_text) VALUES(?, ?, ?, ?, ?)",
	[ST_CELL] = "INSERT OR REPLACE INTO table_rows(run_id, target_id, tbl,"
	    " idx, col, value_int, value_text) VALUES(?, ?, ?, ?, ?, ?, ?)",
};

struct sql {
	sqlite3		*sq_db;
	sqlite3_stmt	*sq_st[ST_COUNT];
	long		 sq_fail_after;	/* test hook; < 0: off */
	int		 sq_fail_kill;	/* test hook: SIGKILL instead */
	struct json_buf	 sq_labels;
};

static int
sql_fail(struct sink *s, const char *what, char *err, size_t errlen)
{
	struct sql *sq = s->sk_priv;

	sink_err(err, errlen, "sqlite %s: %s: %s", s->sk_path, what,
	    sq != NULL && sq->sq_db != NULL ? sqlite3_errmsg(sq->sq_db) :
	    "out of memory");
	return -1;
}

/* Run a statement that returns no rows, then reset it. */
static int
sql_step_done(sqlite3_stmt *st)
{
	int rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The test hook: count an insert, fail when the budget runs out. */
static int
sql_hook(struct sql *sq)
{
	if (sq->sq_fail_after < 0)
		return 0;
	if (sq->sq_fail_after == 0) {
		if (sq->sq_fail_kill)
			(void)raise(SIGKILL);
		return -1;
	}
	sq->sq_fail_after--;
	return 0;
}

static int
sql_schema_setup(struct sink *s, char *err, size_t errlen)
{
	struct sql *sq = s->sk_priv;
	sqlite3_stmt *st = NULL;
	char pragma[64];
	int version, n;

	if (sqlite3_exec(sq->sq_db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) != SQLITE_OK)
		return sql_fail(s, "begin", err, errlen);
	if (sqlite3_prepare_v2(sq->sq_db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sql_fail(s, "user_version", err, errlen);
		goto fail;
	}
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version > SQL_SCHEMA_VERSION) {
		sink_err(err, errlen, "sqlite %s: schema version %d is newer "
		    "than this collector's %d", s->sk_path, version,
		    SQL_SCHEMA_VERSION);
		goto fail;
	}
	if (version < SQL_SCHEMA_VERSION) {
		n = snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    SQL_SCHEMA_VERSION);
		if (n < 0 || (size_t)n >= sizeof(pragma))
			goto fail;
		if (sqlite3_exec(sq->sq_db, sql_schema, NULL, NULL,
		    NULL) != SQLITE_OK ||
		    sqlite3_exec(sq->sq_db, pragma, NULL, NULL,
		    NULL) != SQLITE_OK) {
			sql_fail(s, "create schema", err, errlen);
			goto fail;
		}
	}
	if (sqlite3_exec(sq->sq_db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(s, "commit schema", err, errlen);
		goto fail;
	}
	return 0;
fail:
	sqlite3_finalize(st);
	(void)sqlite3_exec(sq->sq_db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
sql_open(struct sink *s, char *err, size_t errlen)
{
	struct sql *sq;
	int i;

	if ((sq = calloc(1, sizeof(*sq))) == NULL) {
		sink_err(err, errlen, "sqlite %s: out of memory", s->sk_path);
		return -1;
	}
	sq->sq_fail_after = -1;
	json_buf_init(&sq->sq_labels);
	s->sk_priv = sq;
	if (sqlite3_open_v2(s->sk_path, &sq->sq_db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return sql_fail(s, "open", err, errlen);
	sqlite3_busy_timeout(sq->sq_db, SQL_BUSY_TIMEOUT_MS);
	/*
	 * WAL: readers and the writer do not block each other.  synchronous
	 * NORMAL is safe in WAL mode (no corruption); a power cut may lose the
	 * last committed run, never half of it.
	 */
	if (sqlite3_exec(sq->sq_db, "PRAGMA journal_mode = WAL", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_exec(sq->sq_db, "PRAGMA synchronous = NORMAL", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_exec(sq->sq_db, "PRAGMA foreign_keys = ON", NULL, NULL,
	    NULL) != SQLITE_OK)
		return sql_fail(s, "pragma", err, errlen);
	if (sql_schema_setup(s, err, errlen) == -1)
		return -1;
	for (i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(sq->sq_db, sql_text[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &sq->sq_st[i],
		    NULL) != SQLITE_OK)
			return sql_fail(s, "prepare", err, errlen);
	return 0;
}

/* Bind a sample value to value_int (parameter i) and value_text (i + 1). */
static int
sql_bind_value(sqlite3_stmt *st, int i, const struct sample_value *v)
{
	char digits[24];
	int n;

	switch (v->sv_kind) {
	case SV_INT:
		return sqlite3_bind_int64(st, i, v->sv_int);
	case SV_UINT:
		if (v->sv_uint <= (uint64_t)INT64_MAX)
			return sqlite3_bind_int64(st, i, (int64_t)v->sv_uint);
		n = snprintf(digits, sizeof(digits), "%" PRIu64, v->sv_uint);
		if (n < 0 || (size_t)n >= sizeof(digits))
			return SQLITE_ERROR;
		return sqlite3_bind_text(st, i + 1, digits, n,
		    SQLITE_TRANSIENT);
	case SV_STRING:
		if (v->sv_str == NULL)
			return sqlite3_bind_text(st, i + 1, "", 0,
			    SQLITE_STATIC);
		if (v->sv_len > INT32_MAX)
			return SQLITE_TOOBIG;
		if (json_utf8_valid(v->sv_str, v->sv_len))
			return sqlite3_bind_text(st, i + 1, v->sv_str,
			    (int)v->sv_len, SQLITE_STATIC);
		return sqlite3_bind_blob(st, i + 1, v->sv_str, (int)v->sv_len,
		    SQLITE_STATIC);
	default:
		return SQLITE_MISUSE;
	}
}

static int
sql_present(const struct sample_value *v)
{
	return v->sv_kind == SV_INT || v->sv_kind == SV_UINT ||
	    v->sv_kind == SV_STRING;
}

/* Find or add the target of sa; its id in *id. */
static int
sql_target(struct sql *sq, const struct sample *sa, sqlite3_int64 *id)
{
	const struct cfg_target *tg = sa->sa_target;
	sqlite3_stmt *st;
	const char *labels;
	int rc;

	json_buf_reset(&sq->sq_labels);
	json_labels(&sq->sq_labels, tg);
	if ((labels = json_buf_cstr(&sq->sq_labels)) == NULL)
		return -1;

	st = sq->sq_st[ST_TARGET_GET];
	sqlite3_bind_text(st, 1, tg->ct_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tg->ct_host, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, tg->ct_opts.to_port);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW) {
		st = sq->sq_st[ST_TARGET_LABELS];
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_text(st, 2, labels, -1, SQLITE_STATIC);
		return sql_step_done(st);
	}
	if (rc != SQLITE_DONE)
		return -1;
	st = sq->sq_st[ST_TARGET_ADD];
	sqlite3_bind_text(st, 1, tg->ct_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tg->ct_host, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, tg->ct_opts.to_port);
	sqlite3_bind_text(st, 4, labels, -1, SQLITE_STATIC);
	if (sql_step_done(st) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(sq->sq_db);
	return 0;
}

/*
 * Insert one present value: into samples_raw (tbl NULL: run, target,
 * metric, value) or table_rows (run, target, tbl, idx, col, value).
 */
static int
sql_value(struct sql *sq, sqlite3_stmt *st, sqlite3_int64 run,
    sqlite3_int64 tid, const char *tbl, const char *idx,
    const struct sample_value *v)
{
	int p = 3;

	if (!sql_present(v) || v->sv_name == NULL)
		return 0;
	if (sql_hook(sq) == -1)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, tid);
	if (tbl != NULL) {
		sqlite3_bind_text(st, p++, tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, p++, idx, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, p++, v->sv_name, -1, SQLITE_STATIC);
	if (sql_bind_value(st, p, v) != SQLITE_OK) {
		sqlite3_clear_bindings(st);
		return -1;
	}
	return sql_step_done(st);
}

static int
sql_sample(struct sql *sq, sqlite3_int64 run, const struct sample *sa)
{
	const struct sample_table *t;
	const struct sample_row *r;
	sqlite3_stmt *st;
	sqlite3_int64 tid;
	size_t i, j, k;

	if (sql_target(sq, sa, &tid) == -1)
		return -1;
	st = sq->sq_st[ST_POLL];
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, tid);
	sqlite3_bind_text(st, 3, sink_status_name(sa->sa_status), -1,
	    SQLITE_STATIC);
	if (sa->sa_error != NULL)
		sqlite3_bind_text(st, 4, sa->sa_error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, sa->sa_attempts);
	sqlite3_bind_double(st, 6, sa->sa_latency_ms);
	if (sql_step_done(st) == -1)
		return -1;

	for (i = 0; i < sa->sa_nvalues; i++)
		if (sql_value(sq, sq->sq_st[ST_SAMPLE], run, tid, NULL, NULL,
		    &sa->sa_values[i]) == -1)
			return -1;
	for (i = 0; i < sa->sa_ntables; i++) {
		t = &sa->sa_tables[i];
		for (j = 0; j < t->st_nrows; j++) {
			r = &t->st_rows[j];
			for (k = 0; k < r->sr_ncols; k++)
				if (sql_value(sq, sq->sq_st[ST_CELL], run, tid,
				    t->st_name != NULL ? t->st_name : "",
				    r->sr_index != NULL ? r->sr_index : "",
				    &r->sr_cols[k]) == -1)
					return -1;
		}
	}
	return 0;
}

/*
 * The run's health, as this sink sees it: counts by status, and the time
 * from the run's start to now (the poll phase; a wall clock stepped back
 * counts as 0).
 */
static int
sql_run_stats(struct sql *sq, sqlite3_int64 run, const struct sample *samples,
    size_t n, uint64_t done_ms)
{
	sqlite3_stmt *st = sq->sq_st[ST_RUN_STATS];
	sqlite3_int64 count[3] = { 0, 0, 0 };
	uint64_t start_ms = samples[0].sa_time_ms;
	size_t i;

	for (i = 0; i < n; i++)
		count[samples[i].sa_status == SAMPLE_OK ? 0 :
		    samples[i].sa_status == SAMPLE_TIMEOUT ? 1 : 2]++;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, done_ms > start_ms ?
	    (sqlite3_int64)(done_ms - start_ms) : 0);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
	sqlite3_bind_int64(st, 4, count[0]);
	sqlite3_bind_int64(st, 5, count[1]);
	sqlite3_bind_int64(st, 6, count[2]);
	return sql_step_done(st);
}

static int
sql_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	struct sql *sq = s->sk_priv;
	sqlite3_stmt *st;
	sqlite3_int64 run;
	uint64_t when_ms, done_ms;
	char when[32];
	size_t i;

	if (n == 0)
		return 0;
	when_ms = samples[0].sa_time_ms;
	done_ms = clock_wall_ms();
	if (clock_iso8601(when_ms, when, sizeof(when)) == -1) {
		sink_err(err, errlen, "sqlite %s: bad run time", s->sk_path);
		return -1;
	}
	if (sql_step_done(sq->sq_st[ST_BEGIN]) == -1)
		return sql_fail(s, "begin", err, errlen);
	st = sq->sq_st[ST_RUN];
	sqlite3_bind_int64(st, 1, (sqlite3_int64)when_ms);
	sqlite3_bind_text(st, 2, when, -1, SQLITE_STATIC);
	if (sql_step_done(st) == -1) {
		sql_fail(s, "insert run", err, errlen);
		goto fail;
	}
	run = sqlite3_last_insert_rowid(sq->sq_db);
	if (sql_run_stats(sq, run, samples, n, done_ms) == -1) {
		sql_fail(s, "insert run_stats", err, errlen);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (sql_sample(sq, run, &samples[i]) == -1) {
			sql_fail(s, samples[i].sa_target->ct_name, err,
			    errlen);
			goto fail;
		}
	}
	if (sql_step_done(sq->sq_st[ST_COMMIT]) == -1) {
		sql_fail(s, "commit", err, errlen);
		goto fail;
	}
	return 0;
fail:
	/* Keep the first message; the rollback has nothing to add. */
	(void)sql_step_done(sq->sq_st[ST_ROLLBACK]);
	return -1;
}

static void
sql_close(struct sink *s)
{
	struct sql *sq = s->sk_priv;
	int i;

	if (sq == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(sq->sq_st[i]);
	/* Closing the last connection checkpoints and removes the WAL file. */
	sqlite3_close(sq->sq_db);
	json_buf_free(&sq->sq_labels);
	free(sq);
	s->sk_priv = NULL;
}

void
sink_sqlite_fail_after(struct sink *s, long n, int kill)
{
	struct sql *sq;

	if (s == NULL || s->sk_type != CFG_OUT_SQLITE)
		return;
	sq = s->sk_priv;
	sq->sq_fail_after = n;
	sq->sq_fail_kill = kill;
}

const struct sink_ops sink_sqlite_ops = {
	.so_name = "sqlite",
	.so_open = sql_open,
	.so_write_run = sql_write_run,
	.so_close = sql_close,
};
