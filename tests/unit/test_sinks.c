/*
 * test_sinks: the output sinks and the JSON writer, fed hand-built samples
 * (no config loader, no poll engine) into a temp directory: exact JSON Lines
 * records and escaping, CSV quoting and header, the Prometheus file (every
 * line well-formed, families together, no temp file left), InfluxDB
 * escaping, and the SQLite history (two runs appended, the samples view,
 * a failed run rolled back, a failed write to a pipe dropped whole).
 */
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector/json.h"
#include "collector/sink.h"
#include "collector/sink_impl.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

#define T_TIME_MS	1795428000000ULL	/* 2026-11-23T10:00:00Z */
#define T_TIME		"2026-11-23T10:00:00Z"
#define CSV_HEAD	"time,target,host,port,status,attempts,latency_ms," \
			"metric,value\r\n"

static char t_dir[64];

static struct cfg_label t_labels0[] = { { "role", "demo" } };
static struct cfg_label t_labels1[] = { { "dc", "eu west" },
	{ "a_b", "x=y" }, { "host", "h" } };
static struct cfg_target t_targets[2];
static struct cfg_collector t_conf;

static const char t_weird[] = "a\"b\\c\x01\n\xff";	/* 8 bytes */

static struct sample_value t_vals0[] = {
	{ .sv_name = "zombies", .sv_kind = SV_UINT, .sv_asn_type = 0x42,
	    .sv_uint = 3 },
	{ .sv_name = "forks", .sv_kind = SV_UINT, .sv_asn_type = 0x46,
	    .sv_uint = UINT64_MAX },
	{ .sv_name = "temp", .sv_kind = SV_INT, .sv_asn_type = 0x02,
	    .sv_int = -5 },
	{ .sv_name = "name", .sv_kind = SV_STRING, .sv_asn_type = 0x04,
	    .sv_str = t_weird, .sv_len = sizeof(t_weird) - 1 },
	{ .sv_name = "gone", .sv_kind = SV_ABSENT },
};
static struct sample_value t_cols0[] = {
	{ .sv_name = "ptZpName", .sv_kind = SV_STRING, .sv_str = "bash",
	    .sv_len = 4 },
	{ .sv_name = "ptZpZombies", .sv_kind = SV_UINT, .sv_asn_type = 0x42,
	    .sv_uint = 3 },
};
static struct sample_row t_rows0[] = { { "812", t_cols0, 2 } };
static struct sample_table t_tables0[] = { { "zombie_parents", t_rows0, 1 } };
static struct sample_value t_vals1[] = {
	{ .sv_name = "zombies", .sv_kind = SV_UINT, .sv_asn_type = 0x42,
	    .sv_uint = 7 },
};
static struct sample t_samples[2];

static void
t_setup(void)
{
	memset(t_targets, 0, sizeof(t_targets));
	t_targets[0].ct_host = "127.0.0.1";
	t_targets[0].ct_name = "local";
	t_targets[0].ct_opts.to_port = 16161;
	t_targets[0].ct_labels = t_labels0;
	t_targets[0].ct_nlabels = 1;
	t_targets[1].ct_host = "10.0.0.2";
	t_targets[1].ct_name = "db\"7, x";
	t_targets[1].ct_opts.to_port = 161;
	t_targets[1].ct_labels = t_labels1;
	t_targets[1].ct_nlabels = 3;
	memset(&t_conf, 0, sizeof(t_conf));
	t_conf.cc_targets = t_targets;
	t_conf.cc_ntargets = 2;

	memset(t_samples, 0, sizeof(t_samples));
	t_samples[0].sa_target = &t_targets[0];
	t_samples[0].sa_time_ms = T_TIME_MS;
	t_samples[0].sa_status = SAMPLE_OK;
	t_samples[0].sa_attempts = 1;
	t_samples[0].sa_latency_ms = 0.4;
	t_samples[0].sa_values = t_vals0;
	t_samples[0].sa_nvalues = 5;
	t_samples[0].sa_tables = t_tables0;
	t_samples[0].sa_ntables = 1;
	t_samples[1].sa_target = &t_targets[1];
	t_samples[1].sa_time_ms = T_TIME_MS;
	t_samples[1].sa_status = SAMPLE_TIMEOUT;
	t_samples[1].sa_error = "no answer after 3 tries";
	t_samples[1].sa_attempts = 3;
	t_samples[1].sa_latency_ms = 3000;
}

static char *
t_path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", t_dir, name);
	return buf;
}

static struct sink *
t_open(enum cfg_output_type type, const char *name)
{
	struct cfg_output out = { .co_type = type, .co_path = t_path(name) };
	char err[256] = "";
	struct sink *s;

	s = sink_open(&out, &t_conf, err, sizeof(err));
	if (s == NULL)
		fprintf(stderr, "  sink_open %s: %s\n", name, err);
	return s;
}

static int
t_write(struct sink *s, const struct sample *sa, size_t n)
{
	char err[256] = "";
	int rc;

	rc = sink_write_run(s, sa, n, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "  (write: %s)\n", err);
	return rc;
}

/*
 * Valid UTF-8 is exact; a byte that is not UTF-8 has no JSON string of its
 * own, so json_str() writes U+FFFD (R below) and the sinks route agent
 * bytes that are not UTF-8 to json_hex() instead (jsonl_records_are_exact).
 */
#define R	"\xef\xbf\xbd"

static void
json_strings_escape_quotes_controls_and_bad_utf8(void)
{
	struct json_buf jb;

	json_buf_init(&jb);
	json_str(&jb, t_weird, sizeof(t_weird) - 1);
	CHECK_STR(json_buf_cstr(&jb), "\"a\\\"b\\\\c\\u0001\\n" R "\"");
	CHECK(!json_text_ok(t_weird, sizeof(t_weird) - 1));
	json_buf_reset(&jb);
	/* NUL, tab, DEL, valid 2- and 4-byte UTF-8, overlong, surrogate. */
	json_str(&jb, "\0\t\x7f\xc3\xa9\xf0\x9f\x98\x80\xc0\xaf\xed\xa0\x80",
	    14);
	CHECK_STR(json_buf_cstr(&jb), "\"\\u0000\\t\\u007f\xc3\xa9"
	    "\xf0\x9f\x98\x80" R R R R R "\"");
	CHECK(json_text_ok("\0\t\x7f\xc3\xa9\xf0\x9f\x98\x80", 9));
	CHECK(!json_utf8_valid("\0\t\x7f\xc3\xa9\xf0\x9f\x98\x80", 9));
	json_buf_reset(&jb);
	/* A sequence cut at the end of the string. */
	json_str(&jb, "x\xe2\x82", 3);
	CHECK_STR(json_buf_cstr(&jb), "\"x" R R "\"");
	json_buf_reset(&jb);
	json_hex(&jb, "\xff\xfe\0A", 4);
	CHECK_STR(json_buf_cstr(&jb), "\"fffe0041\"");
	CHECK_INT(jb.jb_failed, ==, 0);
	json_buf_free(&jb);
}

static void
json_numbers_cover_the_full_64_bit_range(void)
{
	struct json_buf jb;

	json_buf_init(&jb);
	json_u64(&jb, UINT64_MAX);
	json_raw(&jb, " ", 1);
	json_i64(&jb, INT64_MIN);
	json_raw(&jb, " ", 1);
	json_fixed(&jb, 0.4, 3);
	json_raw(&jb, " ", 1);
	json_fixed(&jb, 12.0, 3);
	json_raw(&jb, " ", 1);
	json_fixed(&jb, -0.0001, 3);
	json_raw(&jb, " ", 1);
	json_double(&jb, 0.1);
	json_raw(&jb, " ", 1);
	json_double(&jb, 10);
	json_raw(&jb, " ", 1);
	json_double(&jb, 1.0 / 0.0);
	CHECK_STR(json_buf_cstr(&jb), "18446744073709551615 "
	    "-9223372036854775808 0.4 12 0 0.1 10 null");
	json_buf_free(&jb);
}

static void
jsonl_records_are_exact(void)
{
	struct sink *s;
	char *got;

	t_setup();
	if ((s = t_open(CFG_OUT_JSONL, "a.jsonl")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	sink_close(s);
	got = tu_slurp(t_path("a.jsonl"));
	CHECK_STR(got,
	    "{\"time\":\"" T_TIME "\",\"target\":\"local\",\"host\":"
	    "\"127.0.0.1\",\"port\":16161,\"labels\":{\"role\":\"demo\"},"
	    "\"status\":\"ok\",\"attempts\":1,\"latency_ms\":0.4,\"values\":"
	    "{\"zombies\":3,\"forks\":18446744073709551615,\"temp\":-5,"
	    "\"name\":null},\"values_hex\":{\"name\":\"6122625c63010aff\"},"
	    "\"tables\":"
	    "{\"zombie_parents\":[{\"index\":\"812\",\"ptZpName\":\"bash\","
	    "\"ptZpZombies\":3}]}}\n"
	    "{\"time\":\"" T_TIME "\",\"target\":\"db\\\"7, x\",\"host\":"
	    "\"10.0.0.2\",\"port\":161,\"labels\":{\"dc\":\"eu west\","
	    "\"a_b\":\"x=y\",\"host\":\"h\"},\"status\":\"timeout\","
	    "\"error\":\"no answer after 3 tries\",\"attempts\":3,"
	    "\"latency_ms\":3000,\"values\":{}}\n");
	free(got);
}

static void
jsonl_appends_across_opens(void)
{
	struct sink *s;
	char *got, *p;
	int lines = 0;

	t_setup();
	for (int i = 0; i < 2; i++) {
		if ((s = t_open(CFG_OUT_JSONL, "b.jsonl")) == NULL)
			break;
		CHECK_INT(t_write(s, t_samples, 2), ==, 0);
		sink_close(s);
	}
	got = tu_slurp(t_path("b.jsonl"));
	CHECK(got != NULL);
	for (p = got; p != NULL && *p != '\0'; p++)
		lines += *p == '\n';
	CHECK_INT(lines, ==, 4);
	free(got);
}

/*
 * A run that fails to write to standard output (here a full non-blocking
 * pipe) is dropped whole from stdio's buffer: it must not go out in front
 * of the next run once the pipe drains.
 */
static void
a_failed_run_to_a_pipe_is_not_written_with_the_next_run(void)
{
	struct cfg_output out = { .co_type = CFG_OUT_JSONL,
	    .co_path = (char *)"-" };
	struct sink *s;
	char err[256], buf[65536];
	ssize_t n, fill = 0, got = 0;
	int p[2], saved, rc1 = -2, rc2 = -2, lines = 0, i;

	t_setup();
	if (pipe2(p, O_NONBLOCK) == -1 || (saved = dup(STDOUT_FILENO)) == -1) {
		CHECK(!"pipe");
		return;
	}
	(void)fcntl(p[1], F_SETPIPE_SZ, 4096);
	memset(buf, 'f', sizeof(buf));
	while ((n = write(p[1], buf, sizeof(buf))) > 0)
		fill += n;
	fflush(stdout);
	dup2(p[1], STDOUT_FILENO);
	if ((s = sink_open(&out, &t_conf, err, sizeof(err))) != NULL) {
		rc1 = sink_write_run(s, t_samples, 1, err, sizeof(err));
		while (read(p[0], buf, sizeof(buf)) > 0)
			;	/* the filler */
		rc2 = sink_write_run(s, t_samples, 1, err, sizeof(err));
		while ((n = read(p[0], buf + got,
		    sizeof(buf) - (size_t)got)) > 0)
			got += n;
		sink_close(s);
	}
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(p[0]);
	close(p[1]);
	CHECK_INT(fill, >, 0);
	CHECK_INT(rc1, ==, -1);
	CHECK_INT(rc2, ==, 0);
	for (i = 0; i < got; i++)
		lines += buf[i] == '\n';
	CHECK_INT(lines, ==, 1);
	CHECK(got > 0 && strncmp(buf, "{\"time\":", 8) == 0);
}

static void
csv_quotes_fields_and_writes_the_header_once(void)
{
	struct sink *s;
	char *got;
	const char *line =
	    T_TIME ",local,127.0.0.1,16161,ok,1,0.4,name,"
	    "'\\x6122625c63010aff\r\n";
	const char *timeout_line =
	    T_TIME ",\"db\"\"7, x\",10.0.0.2,161,timeout,3,3000,,\r\n";
	const char *p;
	int headers = 0;

	t_setup();
	for (int i = 0; i < 2; i++) {
		if ((s = t_open(CFG_OUT_CSV, "a.csv")) == NULL)
			break;
		CHECK_INT(t_write(s, t_samples, 2), ==, 0);
		sink_close(s);
	}
	got = tu_slurp(t_path("a.csv"));
	CHECK(got != NULL);
	if (got == NULL)
		return;
	CHECK(strncmp(got, CSV_HEAD, strlen(CSV_HEAD)) == 0);
	for (p = got; (p = strstr(p, "time,target,")) != NULL; p++)
		headers++;
	CHECK_INT(headers, ==, 1);
	CHECK(strstr(got, line) != NULL);
	CHECK(strstr(got, timeout_line) != NULL);
	CHECK(strstr(got, T_TIME ",local,127.0.0.1,16161,ok,1,0.4,forks,"
	    "18446744073709551615\r\n") != NULL);
	CHECK(strstr(got, ",zombie_parents.ptZpZombies.812,3\r\n") != NULL);
	CHECK(strstr(got, ",gone,") == NULL);
	free(got);
}

/*
 * A line checker for the exposition format: comments, or
 * name{label="value",...} number, names and label names in their charsets.
 */
static int
t_prom_line_ok(const char *l, char *name, size_t namesz)
{
	size_t n = 0;

	if (strncmp(l, "# HELP ", 7) == 0 || strncmp(l, "# TYPE ", 7) == 0)
		return 1;
	while ((*l >= 'a' && *l <= 'z') || (*l >= 'A' && *l <= 'Z') ||
	    (*l >= '0' && *l <= '9') || *l == '_' || *l == ':') {
		if (n + 1 < namesz)
			name[n++] = *l;
		l++;
	}
	name[n] = '\0';
	if (n == 0 || *l++ != '{')
		return 0;
	while (*l != '}') {
		if (!((*l >= 'a' && *l <= 'z') || (*l >= 'A' && *l <= 'Z') ||
		    *l == '_'))
			return 0;
		while ((*l >= 'a' && *l <= 'z') || (*l >= 'A' && *l <= 'Z') ||
		    (*l >= '0' && *l <= '9') || *l == '_')
			l++;
		if (*l++ != '=' || *l++ != '"')
			return 0;
		while (*l != '"') {
			if (*l == '\0' || *l == '\n')
				return 0;
			if (*l == '\\') {
				l++;
				if (*l != '\\' && *l != '"' && *l != 'n')
					return 0;
			}
			l++;
		}
		l++;
		if (*l == ',')
			l++;
	}
	l++;
	if (*l++ != ' ')
		return 0;
	if (*l == '-')
		l++;
	if (!(*l >= '0' && *l <= '9'))
		return 0;
	while ((*l >= '0' && *l <= '9') || *l == '.' || *l == 'e' ||
	    *l == '-' || *l == '+')
		l++;
	return *l == '\0';
}

static void
prom_file_is_well_formed_and_replaced_atomically(void)
{
	struct sink *s;
	char *got, *line, *save = NULL, name[128], seen[64][128], last[128];
	DIR *d;
	struct dirent *de;
	int bad = 0, nseen = 0, regrouped = 0, others = 0, i;

	t_setup();
	if ((s = t_open(CFG_OUT_PROM, "node.prom")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	t_vals1[0].sv_uint = 7;
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	/* A second run replaces the file whole. */
	t_samples[1].sa_status = SAMPLE_OK;
	t_samples[1].sa_error = NULL;
	t_samples[1].sa_values = t_vals1;
	t_samples[1].sa_nvalues = 1;
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	sink_close(s);
	got = tu_slurp(t_path("node.prom"));
	CHECK(got != NULL);
	if (got == NULL)
		return;
	CHECK(strstr(got, "proctel_up{target=\"local\",host=\"127.0.0.1\","
	    "role=\"demo\"} 1\n") != NULL);
	CHECK(strstr(got, "proctel_zombies{target=\"db\\\"7, x\",host="
	    "\"10.0.0.2\",dc=\"eu west\",a_b=\"x=y\",label_host=\"h\"} 7\n") !=
	    NULL);
	CHECK(strstr(got, "proctel_forks{target=\"local\",host=\"127.0.0.1\","
	    "role=\"demo\"} 18446744073709551615\n") != NULL);
	CHECK(strstr(got, "# TYPE proctel_forks counter\n") != NULL);
	CHECK(strstr(got, "# TYPE proctel_zombies gauge\n") != NULL);
	CHECK(strstr(got, "proctel_temp{target=\"local\",host=\"127.0.0.1\","
	    "role=\"demo\"} -5\n") != NULL);
	CHECK(strstr(got, "proctel_zombie_parents_ptZpZombies{target=\"local\""
	    ",host=\"127.0.0.1\",role=\"demo\",index=\"812\"} 3\n") != NULL);
	CHECK(strstr(got, "proctel_poll_latency_seconds{target=\"local\","
	    "host=\"127.0.0.1\",role=\"demo\"} 0.0004\n") != NULL);
	CHECK(strstr(got, "proctel_name") == NULL);	/* strings skipped */
	CHECK(strstr(got, "ptZpName") == NULL);
	/* Every line parses, and each family's series are together. */
	last[0] = '\0';
	for (line = strtok_r(got, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (!t_prom_line_ok(line, name, sizeof(name))) {
			fprintf(stderr, "  bad line: %s\n", line);
			bad++;
			continue;
		}
		if (line[0] == '#' || strcmp(name, last) == 0)
			continue;
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], name) == 0)
				regrouped++;
		if (nseen < 64)
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", name);
		snprintf(last, sizeof(last), "%s", name);
	}
	CHECK_INT(bad, ==, 0);
	CHECK_INT(regrouped, ==, 0);
	CHECK_INT(nseen, ==, 7);
	free(got);
	/* No temp file is left beside it. */
	if ((d = opendir(t_dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strstr(de->d_name, "node.prom") != NULL &&
			    strcmp(de->d_name, "node.prom") != 0)
				others++;
		closedir(d);
	}
	CHECK_INT(others, ==, 0);
}

static void
prom_sink_refuses_stdout_and_reports_a_missing_directory(void)
{
	struct cfg_output out = { .co_type = CFG_OUT_PROM, .co_path = "-" };
	char err[256] = "";
	struct sink *s;

	t_setup();
	CHECK(sink_open(&out, &t_conf, err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
	if ((s = t_open(CFG_OUT_PROM, "nodir/x.prom")) == NULL)
		return;
	CHECK_INT(sink_write_run(s, t_samples, 2, err, sizeof(err)), ==, -1);
	CHECK(strstr(err, "nodir") != NULL);
	sink_close(s);
}

static void
influx_lines_escape_tags_and_fields(void)
{
	struct sink *s;
	char *got;

	t_setup();
	if ((s = t_open(CFG_OUT_INFLUX, "a.lp")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	sink_close(s);
	got = tu_slurp(t_path("a.lp"));
	CHECK_STR(got,
	    "proctel,target=local,host=127.0.0.1,role=demo status=\"ok\","
	    "attempts=1i,latency_ms=0.4,zombies=3i,forks=18446744073709551615u,"
	    "temp=-5i,name:hex=\"6122625c63010aff\" 1795428000000000000\n"
	    "proctel,target=db\"7\\,\\ x,host=10.0.0.2,dc=eu\\ west,a_b=x\\=y,"
	    "label_host=h status=\"timeout\",error=\"no answer after 3 tries\","
	    "attempts=3i 1795428000000000000\n");
	free(got);
}

static long long
t_q(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(db));
		return -2;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
t_q_text(sqlite3 *db, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *st;
	const unsigned char *t;
	int rc = -1;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (t = sqlite3_column_text(st, 0)) != NULL) {
		snprintf(buf, size, "%s", (const char *)t);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static void
sqlite_appends_runs_and_the_samples_view_answers(void)
{
	struct sink *s;
	sqlite3 *db;
	char buf[256];

	t_setup();
	for (int i = 0; i < 2; i++) {
		if ((s = t_open(CFG_OUT_SQLITE, "h.db")) == NULL) {
			CHECK(s != NULL);
			return;
		}
		t_samples[0].sa_time_ms = T_TIME_MS + (uint64_t)i * 60000;
		t_samples[1].sa_time_ms = T_TIME_MS + (uint64_t)i * 60000;
		CHECK_INT(t_write(s, t_samples, 2), ==, 0);
		sink_close(s);
	}
	if (sqlite3_open(t_path("h.db"), &db) != SQLITE_OK) {
		CHECK(0);
		return;
	}
	CHECK_INT(t_q(db, "PRAGMA user_version"), ==, 2);
	CHECK_INT(t_q(db, "select count(*) from runs"), ==, 2);
	/* One run_stats row per run: local answered, db"7 timed out. */
	CHECK_INT(t_q(db, "select count(*) from run_stats where targets = 2 "
	    "and answered = 1 and timeouts = 1 and errors = 0 and "
	    "duration_ms >= 0"), ==, 2);
	CHECK_INT(t_q(db, "select count(*) from targets"), ==, 2);
	CHECK_INT(t_q(db, "select count(*) from polls"), ==, 4);
	/* zombies, forks, temp, name per run (gone is absent). */
	CHECK_INT(t_q(db, "select count(*) from samples"), ==, 8);
	CHECK_INT(t_q(db, "select count(distinct time) from samples"), ==, 2);
	CHECK_INT(t_q(db, "select value from samples where target = 'local' "
	    "and metric = 'temp' and time = '2026-11-23T10:01:00Z'"), ==, -5);
	t_q_text(db, "select value from samples where metric = 'forks' "
	    "limit 1", buf, sizeof(buf));
	CHECK_STR(buf, "18446744073709551615");
	t_q_text(db, "select time from samples order by time limit 1", buf,
	    sizeof(buf));
	CHECK_STR(buf, T_TIME);
	CHECK_INT(t_q(db, "select count(*) from table_rows where tbl = "
	    "'zombie_parents' and idx = '812' and col = 'ptZpZombies' and "
	    "value_int = 3"), ==, 2);
	t_q_text(db, "select error from polls p join targets t on "
	    "t.id = p.target_id where t.name = 'db\"7, x' limit 1", buf,
	    sizeof(buf));
	CHECK_STR(buf, "no answer after 3 tries");
	t_q_text(db, "select labels from targets where name = 'local'", buf,
	    sizeof(buf));
	CHECK_STR(buf, "{\"role\":\"demo\"}");
	/* The non-UTF-8 string went in as a BLOB, bytes intact. */
	CHECK_INT(t_q(db, "select length(value_text) from samples_raw where "
	    "metric = 'name' and typeof(value_text) = 'blob' limit 1"), ==, 8);
	t_q_text(db, "PRAGMA journal_mode", buf, sizeof(buf));
	CHECK_STR(buf, "wal");
	sqlite3_close(db);
}

static void
sqlite_failed_run_rolls_back_whole(void)
{
	struct sink *s;
	sqlite3 *db;
	long long runs, polls, raw, cells;
	char err[256] = "";

	t_setup();
	if ((s = t_open(CFG_OUT_SQLITE, "r.db")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	if (sqlite3_open(t_path("r.db"), &db) != SQLITE_OK) {
		CHECK(0);
		sink_close(s);
		return;
	}
	runs = t_q(db, "select count(*) from runs");
	polls = t_q(db, "select count(*) from polls");
	raw = t_q(db, "select count(*) from samples_raw");
	cells = t_q(db, "select count(*) from table_rows");
	CHECK_INT(runs, ==, 1);
	CHECK_INT(raw, ==, 4);
	/* Fail after two inserts of the second run: mid-way through it. */
	sink_sqlite_fail_after(s, 2, 0);
	t_samples[0].sa_time_ms += 60000;
	CHECK_INT(sink_write_run(s, t_samples, 2, err, sizeof(err)), ==, -1);
	CHECK(err[0] != '\0');
	CHECK_INT(t_q(db, "select count(*) from runs"), ==, runs);
	CHECK_INT(t_q(db, "select count(*) from polls"), ==, polls);
	CHECK_INT(t_q(db, "select count(*) from samples_raw"), ==, raw);
	CHECK_INT(t_q(db, "select count(*) from table_rows"), ==, cells);
	/* The sink still works after the rollback. */
	sink_sqlite_fail_after(s, -1, 0);
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	CHECK_INT(t_q(db, "select count(*) from runs"), ==, runs + 1);
	CHECK_INT(t_q(db, "select count(*) from samples"), ==, 2 * raw);
	sqlite3_close(db);
	sink_close(s);
}

static void
sqlite_run_killed_mid_way_leaves_the_file_as_it_was(void)
{
	struct sink *s;
	sqlite3 *db;
	char buf[64];
	pid_t pid;
	int st = 0;

	t_setup();
	if ((s = t_open(CFG_OUT_SQLITE, "k.db")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	sink_close(s);
	/* A child writes a second run and is SIGKILLed in the middle. */
	if ((pid = fork()) == 0) {
		if ((s = t_open(CFG_OUT_SQLITE, "k.db")) == NULL)
			_exit(1);
		sink_sqlite_fail_after(s, 3, 1);
		(void)t_write(s, t_samples, 2);
		_exit(2);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	if (sqlite3_open(t_path("k.db"), &db) != SQLITE_OK) {
		CHECK(0);
		return;
	}
	t_q_text(db, "PRAGMA integrity_check", buf, sizeof(buf));
	CHECK_STR(buf, "ok");
	CHECK_INT(t_q(db, "select count(*) from runs"), ==, 1);
	CHECK_INT(t_q(db, "select count(*) from samples"), ==, 4);
	CHECK_INT(t_q(db, "select count(*) from polls"), ==, 2);
	sqlite3_close(db);
	/* And the next writer carries on. */
	if ((s = t_open(CFG_OUT_SQLITE, "k.db")) != NULL) {
		CHECK_INT(t_write(s, t_samples, 2), ==, 0);
		sink_close(s);
	}
}

static void
sqlite_brings_a_version_1_file_forward(void)
{
	struct sink *s;
	sqlite3 *db;

	t_setup();
	if ((s = t_open(CFG_OUT_SQLITE, "v1.db")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	sink_close(s);
	/* Make it what a version 1 collector wrote: no run_stats. */
	if (sqlite3_open(t_path("v1.db"), &db) != SQLITE_OK) {
		CHECK(0);
		return;
	}
	CHECK_INT(sqlite3_exec(db, "DROP TABLE run_stats; "
	    "PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close(db);
	if ((s = t_open(CFG_OUT_SQLITE, "v1.db")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	t_samples[0].sa_time_ms += 60000;
	CHECK_INT(t_write(s, t_samples, 2), ==, 0);
	sink_close(s);
	if (sqlite3_open(t_path("v1.db"), &db) != SQLITE_OK) {
		CHECK(0);
		return;
	}
	CHECK_INT(t_q(db, "PRAGMA user_version"), ==, 2);
	CHECK_INT(t_q(db, "select count(*) from runs"), ==, 2);
	CHECK_INT(t_q(db, "select count(*) from run_stats"), ==, 1);
	sqlite3_close(db);
}

static void
sqlite_refuses_a_newer_schema(void)
{
	struct cfg_output out = { .co_type = CFG_OUT_SQLITE, .co_path = NULL };
	char err[256] = "";
	sqlite3 *db;

	t_setup();
	out.co_path = t_path("new.db");
	if (sqlite3_open(out.co_path, &db) != SQLITE_OK) {
		CHECK(0);
		return;
	}
	CHECK_INT(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL,
	    NULL), ==, SQLITE_OK);
	sqlite3_close(db);
	CHECK(sink_open(&out, &t_conf, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "99") != NULL);
}

static void
sink_specs_parse_and_bad_ones_are_refused(void)
{
	struct cfg_output out;
	const char *errstr;

	CHECK_INT(sink_parse_spec("jsonl:-", &out, &errstr), ==, 0);
	CHECK_INT(out.co_type, ==, CFG_OUT_JSONL);
	CHECK_STR(out.co_path, "-");
	free(out.co_path);
	CHECK_INT(sink_parse_spec("sqlite:/var/lib/p:x.db", &out, &errstr), ==,
	    0);
	CHECK_INT(out.co_type, ==, CFG_OUT_SQLITE);
	CHECK_STR(out.co_path, "/var/lib/p:x.db");
	free(out.co_path);
	CHECK_INT(sink_parse_spec("csv:a.csv", &out, &errstr), ==, 0);
	CHECK_INT(out.co_type, ==, CFG_OUT_CSV);
	free(out.co_path);
	CHECK_INT(sink_parse_spec("prom:n.prom", &out, &errstr), ==, 0);
	CHECK_INT(out.co_type, ==, CFG_OUT_PROM);
	free(out.co_path);
	CHECK_INT(sink_parse_spec("influx:-", &out, &errstr), ==, 0);
	CHECK_INT(out.co_type, ==, CFG_OUT_INFLUX);
	free(out.co_path);
	CHECK_INT(sink_parse_spec("json:-", &out, &errstr), ==, -1);
	CHECK(errstr != NULL);
	CHECK_INT(sink_parse_spec("jsonl", &out, &errstr), ==, -1);
	CHECK_INT(sink_parse_spec("jsonl:", &out, &errstr), ==, -1);
	CHECK_INT(sink_parse_spec("sqlite:-", &out, &errstr), ==, -1);
	CHECK_INT(sink_parse_spec("prom:-", &out, &errstr), ==, -1);
	CHECK_INT(sink_parse_spec("", &out, &errstr), ==, -1);
}

int
main(void)
{
	char cmd[128];

	snprintf(t_dir, sizeof(t_dir), "/tmp/proctel-sinks.XXXXXX");
	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(json_strings_escape_quotes_controls_and_bad_utf8);
	RUN(json_numbers_cover_the_full_64_bit_range);
	RUN(jsonl_records_are_exact);
	RUN(jsonl_appends_across_opens);
	RUN(a_failed_run_to_a_pipe_is_not_written_with_the_next_run);
	RUN(csv_quotes_fields_and_writes_the_header_once);
	RUN(prom_file_is_well_formed_and_replaced_atomically);
	RUN(prom_sink_refuses_stdout_and_reports_a_missing_directory);
	RUN(influx_lines_escape_tags_and_fields);
	RUN(sqlite_appends_runs_and_the_samples_view_answers);
	RUN(sqlite_failed_run_rolls_back_whole);
	RUN(sqlite_run_killed_mid_way_leaves_the_file_as_it_was);
	RUN(sqlite_brings_a_version_1_file_forward);
	RUN(sqlite_refuses_a_newer_schema);
	RUN(sink_specs_parse_and_bad_ones_are_refused);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t_dir);
	return t_done();
}
