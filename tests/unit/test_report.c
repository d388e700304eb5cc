/*
 * test_report: `proctel-collector report` from histories written by the
 * real sqlite sink (hand-built samples, no agent): an empty history, one
 * run, every target timed out, the ranking and the parents, the window and
 * its older runs, many runs cut to bounded charts, a version 1 history,
 * files that are not histories, agents' strings escaped in HTML and
 * reduced to ASCII in text, every text line within 80 columns, and the page
 * size bounded with many hosts.  The browser's view of the page and real
 * agents are tests/integration/report*.sh.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/report_impl.h"
#include "collector/sink.h"
#include "tests/harness.h"

#define T_TIME_MS	1795428000000ULL	/* 2026-11-23T10:00:00Z */
#define T_MAXHOSTS	3000

/* What one host says in one run. */
struct t_cell {
	enum sample_status	 status;
	uint64_t		 zombies;
	uint64_t		 processes;
	const char		*sysname;	/* NULL: not answered */
	size_t			 sysname_len;	/* 0: strlen */
	const char		*parent;	/* a zombie parent, or NULL */
	size_t			 parent_len;
	uint64_t		 oldest;
};

typedef void (*t_fill)(size_t host, size_t run, struct t_cell *c);

static char t_dir[64];
static struct cfg_target t_targets[T_MAXHOSTS];
static char t_names[T_MAXHOSTS][32];
static struct cfg_collector t_conf;
static struct sample t_samples[T_MAXHOSTS];
static struct sample_value t_vals[T_MAXHOSTS][3];
static struct sample_value t_cols[T_MAXHOSTS][3];
static struct sample_row t_rows[T_MAXHOSTS];
static struct sample_table t_tables[T_MAXHOSTS];

static char *
t_path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", t_dir, name);
	return buf;
}

static void
t_targets_set(size_t n)
{
	size_t i;

	memset(&t_conf, 0, sizeof(t_conf));
	for (i = 0; i < n; i++) {
		memset(&t_targets[i], 0, sizeof(t_targets[i]));
		snprintf(t_names[i], sizeof(t_names[i]), "host-%04zu", i);
		t_targets[i].ct_name = t_names[i];
		t_targets[i].ct_host = "127.0.0.1";
		t_targets[i].ct_opts.to_port = (uint16_t)(20000 + i);
	}
	t_conf.cc_targets = t_targets;
	t_conf.cc_ntargets = n;
}

static void
t_value(struct sample_value *v, const char *name, uint64_t u)
{
	memset(v, 0, sizeof(*v));
	v->sv_name = name;
	v->sv_kind = SV_UINT;
	v->sv_asn_type = 0x42;
	v->sv_uint = u;
}

static void
t_string(struct sample_value *v, const char *name, const char *s, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->sv_name = name;
	v->sv_kind = SV_STRING;
	v->sv_asn_type = 0x04;
	v->sv_str = s;
	v->sv_len = n != 0 ? n : strlen(s);
}

/* Write nruns runs of nhosts hosts, a minute apart, through the sink. */
static int
t_history(const char *file, size_t nhosts, size_t nruns, t_fill fill)
{
	struct cfg_output out = { .co_type = CFG_OUT_SQLITE };
	struct t_cell c;
	struct sink *s;
	char err[256] = "";
	size_t run, i;
	int rc = 0;

	t_targets_set(nhosts);
	out.co_path = t_path(file);
	(void)unlink(out.co_path);
	if ((s = sink_open(&out, &t_conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "  sink_open: %s\n", err);
		return -1;
	}
	for (run = 0; run < nruns && rc == 0; run++) {
		for (i = 0; i < nhosts; i++) {
			struct sample *sa = &t_samples[i];

			memset(&c, 0, sizeof(c));
			c.status = SAMPLE_OK;
			c.sysname = "web";
			c.processes = 100;
			fill(i, run, &c);
			memset(sa, 0, sizeof(*sa));
			sa->sa_target = &t_targets[i];
			sa->sa_time_ms = T_TIME_MS + run * 60000;
			sa->sa_status = c.status;
			sa->sa_attempts = 1;
			sa->sa_latency_ms = 1.5;
			if (c.status != SAMPLE_OK) {
				sa->sa_error = "no answer after 3 tries";
				continue;
			}
			t_value(&t_vals[i][0], "zombies", c.zombies);
			t_value(&t_vals[i][1], "processes", c.processes);
			t_string(&t_vals[i][2], "sysName", c.sysname,
			    c.sysname_len);
			sa->sa_values = t_vals[i];
			sa->sa_nvalues = 3;
			if (c.parent == NULL)
				continue;
			t_string(&t_cols[i][0], "ptZpName", c.parent,
			    c.parent_len);
			t_value(&t_cols[i][1], "ptZpZombies", c.zombies);
			t_value(&t_cols[i][2], "ptZpOldestAge", c.oldest);
			t_rows[i].sr_index = "812";
			t_rows[i].sr_cols = t_cols[i];
			t_rows[i].sr_ncols = 3;
			t_tables[i].st_name = "zombie_parents";
			t_tables[i].st_rows = &t_rows[i];
			t_tables[i].st_nrows = 1;
			sa->sa_tables = &t_tables[i];
			sa->sa_ntables = 1;
		}
		if ((rc = sink_write_run(s, t_samples, nhosts, err,
		    sizeof(err))) != 0)
			fprintf(stderr, "  write: %s\n", err);
	}
	sink_close(s);
	return rc;
}

static struct report *
t_load(const char *file, uint64_t since_ms, size_t top)
{
	struct report_opts o;
	struct report *r = NULL;
	char err[256] = "";
	int rc;

	memset(&o, 0, sizeof(o));
	o.ro_db = t_path(file);
	o.ro_since_ms = since_ms;
	o.ro_top = top;
	o.ro_sysname = "sysName";
	o.ro_now_ms = T_TIME_MS + 86400000;
	if ((rc = report_load(&o, &r, err, sizeof(err))) != 0)
		fprintf(stderr, "  report_load: %d %s\n", rc, err);
	return r;
}

/* The page (or the text) in a new string; free it. */
static char *
t_render(const struct report *r, bool text, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp;

	if ((fp = open_memstream(&buf, &n)) == NULL)
		return NULL;
	if ((text ? report_write_text(r, fp) : report_write_html(r, fp)) != 0)
		fprintf(stderr, "  write failed\n");
	fclose(fp);
	if (len != NULL)
		*len = n;
	return buf;
}

static size_t
t_count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The longest line, and whether any byte is not printable ASCII. */
static size_t
t_text_width(const char *s, bool *clean)
{
	size_t w = 0, max = 0;

	*clean = true;
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			w = 0;
			continue;
		}
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*clean = false;
		if (++w > max)
			max = w;
	}
	return max;
}

/* The number in data-points="N" of the chart named id, or -1. */
static long
t_points(const char *page, const char *id)
{
	char key[96];
	const char *p;

	snprintf(key, sizeof(key), "data-chart=\"%s\"", id);
	if ((p = strstr(page, key)) == NULL ||
	    (p = strstr(p, "data-points=\"")) == NULL)
		return -1;
	return strtol(p + strlen("data-points=\""), NULL, 10);
}

static void
fill_quiet(size_t host, size_t run, struct t_cell *c)
{
	(void)host;
	(void)run;
	(void)c;
}

static void
fill_all_timeout(size_t host, size_t run, struct t_cell *c)
{
	(void)host;
	(void)run;
	c->status = SAMPLE_TIMEOUT;
}

static void
an_empty_history_makes_a_clear_page(void)
{
	struct report *r;
	char *page, *text;

	CHECK_INT(t_history("empty.db", 2, 0, fill_quiet), ==, 0);
	if ((r = t_load("empty.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK_INT(r->r_nruns, ==, 0);
	page = t_render(r, false, NULL);
	text = t_render(r, true, NULL);
	CHECK(page != NULL && strstr(page, "Nothing recorded yet") != NULL);
	CHECK(page != NULL && strstr(page, "No runs in this window") != NULL);
	CHECK(page != NULL && strstr(page, "</html>") != NULL);
	CHECK(page != NULL && strstr(page, "<svg") == NULL);
	CHECK(text != NULL && strstr(text, "no runs in this window") != NULL);
	free(page);
	free(text);
	report_free(r);
}

static void
one_run_draws_one_point_per_chart(void)
{
	struct report *r;
	char *page;

	CHECK_INT(t_history("one.db", 2, 1, fill_quiet), ==, 0);
	if ((r = t_load("one.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	page = t_render(r, false, NULL);
	CHECK(page != NULL);
	if (page != NULL) {
		CHECK_INT(t_points(page, "fleet-zombies"), ==, 1);
		CHECK_INT(t_points(page, "fleet-processes"), ==, 1);
		CHECK_INT(t_points(page, "run-answered"), ==, 1);
		CHECK_INT(t_points(page, "run-duration"), ==, 1);
		/* A one-point line is drawn as a dot too. */
		CHECK(strstr(page, "<circle class=\"z\"") != NULL);
		CHECK(strstr(page, "host-0000") != NULL);
		CHECK(strstr(page, "host-0001") != NULL);
		CHECK(strstr(page, "Every target answered") != NULL);
	}
	free(page);
	report_free(r);
}

static void
every_target_timed_out_makes_a_clear_page(void)
{
	struct report *r;
	char *page, *text;

	CHECK_INT(t_history("dead.db", 3, 2, fill_all_timeout), ==, 0);
	if ((r = t_load("dead.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK_INT(r->r_nruns, ==, 2);
	CHECK_INT(r->r_nranked, ==, 0);
	CHECK_INT(r->r_nsilent, ==, 3);
	page = t_render(r, false, NULL);
	text = t_render(r, true, NULL);
	CHECK(page != NULL);
	if (page != NULL) {
		CHECK(strstr(page, "No host answered in this window") != NULL);
		CHECK_INT(t_points(page, "fleet-zombies"), ==, -1);
		CHECK_INT(t_points(page, "run-failed"), ==, 2);
		CHECK_INT(t_count(page, "<td class=\"t\">never</td>"), ==, 3);
		CHECK(strstr(page, "no answer after 3 tries") != NULL);
	}
	CHECK(text != NULL && strstr(text, "no host answered") != NULL);
	free(page);
	free(text);
	report_free(r);
}

/*
 * Host 0: 5 zombies throughout.  Host 1: 0 growing to 10, its parent
 * "leaky" from run 2.  Host 2: 10 throughout.  Host 3: none.  Host 4
 * answers, then times out in run 2, then answers again.
 */
static void
fill_ranking(size_t host, size_t run, struct t_cell *c)
{
	switch (host) {
	case 0:
		c->zombies = 5;
		c->parent = "steady";
		break;
	case 1:
		c->zombies = run * 10 / 4;
		c->parent = c->zombies > 0 ? "leaky" : NULL;
		c->oldest = run * 60;
		break;
	case 2:
		c->zombies = 10;
		c->parent = "big";
		c->oldest = 3600;
		break;
	case 4:
		if (run == 2)
			c->status = SAMPLE_TIMEOUT;
		break;
	default:
		break;
	}
}

static void
hosts_are_ranked_worst_first_and_parents_named(void)
{
	struct report *r;
	char *page, *text;

	CHECK_INT(t_history("rank.db", 5, 5, fill_ranking), ==, 0);
	if ((r = t_load("rank.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK_INT(r->r_nranked, ==, 5);
	/* Hosts 1 and 2 both end at 10; host 1 grew. */
	CHECK_STR(r->r_hosts[r->r_rank[0]].rh_name, "host-0001");
	CHECK_STR(r->r_hosts[r->r_rank[1]].rh_name, "host-0002");
	CHECK_STR(r->r_hosts[r->r_rank[2]].rh_name, "host-0000");
	CHECK_INT(r->r_with_zombies, ==, 3);
	CHECK_INT(r->r_ncurrent, ==, 3);
	CHECK_INT(r->r_parents[0].rp_zombies, ==, 10);
	/* Equal zombies: the older one first. */
	CHECK_STR(r->r_parents[0].rp_name.rb_p, "big");
	CHECK_STR(r->r_parents[1].rp_name.rb_p, "leaky");
	CHECK_INT(r->r_parents[1].rp_first, ==, 1);
	CHECK_INT(r->r_nsilent, ==, 0);
	page = t_render(r, false, NULL);
	text = t_render(r, true, NULL);
	CHECK(page != NULL);
	if (page != NULL) {
		/* Host 4 missed run 2; the others answered every run. */
		CHECK_INT(t_points(page, "fleet-zombies"), ==, 5);
		CHECK_INT(t_points(page, "run-failed"), ==, 5);
		CHECK(strstr(page, "<b>leaky</b>") != NULL);
		CHECK(strstr(page, "&#x25B2; +10") != NULL);
		CHECK(strstr(page, "2026-11-23T10:01:00Z") != NULL);
	}
	CHECK(text != NULL && strstr(text, "leaky") != NULL);
	free(page);
	free(text);
	report_free(r);
}

static void
fill_gap(size_t host, size_t run, struct t_cell *c)
{
	(void)host;
	c->zombies = 1;
	if (run == 2)
		c->status = SAMPLE_TIMEOUT;
}

static void
a_run_nobody_answered_is_a_gap_in_the_chart(void)
{
	struct report *r;
	char *page;
	const char *p;

	CHECK_INT(t_history("gap.db", 1, 5, fill_gap), ==, 0);
	if ((r = t_load("gap.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	page = t_render(r, false, NULL);
	CHECK(page != NULL);
	p = page != NULL ? strstr(page, "data-chart=\"fleet-zombies\"") : NULL;
	if (p != NULL) {
		CHECK_INT(t_points(page, "fleet-zombies"), ==, 4);
		CHECK_INT(t_count(p, "<polyline class=\"z\"") -
		    t_count(strstr(p, "</svg>"), "<polyline class=\"z\""), ==,
		    2);
	} else
		CHECK(0);
	free(page);
	report_free(r);
}

static void
fill_old_parent(size_t host, size_t run, struct t_cell *c)
{
	(void)host;
	(void)run;
	c->zombies = 2;
	c->parent = "old";
}

static void
the_window_counts_older_runs_and_marks_first_seen(void)
{
	struct report *r;
	char *page;

	CHECK_INT(t_history("win.db", 1, 5, fill_old_parent), ==, 0);
	/* Runs at minutes 0..4; 150 s before minute 4 keeps 2, 3 and 4. */
	if ((r = t_load("win.db", 150000, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK_INT(r->r_nruns, ==, 3);
	CHECK_INT(r->r_runs_before, ==, 2);
	page = t_render(r, false, NULL);
	CHECK(page != NULL && strstr(page, "From <time>2026-11-23T10:02:00Z"
	    "</time> to <time>2026-11-23T10:04:00Z</time>") != NULL);
	CHECK(page != NULL && strstr(page, "2 older runs") != NULL);
	CHECK(page != NULL && strstr(page, "&#x2264; 2026-11-23T10:02:00Z") !=
	    NULL);
	free(page);
	report_free(r);
}

static void
fill_one_leaker(size_t host, size_t run, struct t_cell *c)
{
	c->zombies = host == 0 ? run % 7 : 0;
}

static void
many_runs_are_cut_to_bounded_points(void)
{
	struct report *r;
	char *page;
	size_t n = REPORT_CHART_POINTS * 2 + 17;

	CHECK_INT(t_history("many.db", 2, n, fill_one_leaker), ==, 0);
	if ((r = t_load("many.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK_INT(r->r_nruns, ==, n);
	page = t_render(r, false, NULL);
	CHECK(page != NULL);
	if (page != NULL) {
		CHECK_INT(t_points(page, "fleet-zombies"), ==,
		    REPORT_CHART_POINTS);
		CHECK_INT(t_points(page, "run-duration"), ==,
		    REPORT_CHART_POINTS);
		CHECK(strstr(page, "each the maximum over about 3 runs") !=
		    NULL);
		CHECK(strstr(page, "data-spark=\"zombies\" data-points=\"60\"")
		    != NULL);
	}
	free(page);
	report_free(r);
}

static int
t_exec(const char *file, const char *sql)
{
	sqlite3 *db;
	int rc;

	if (sqlite3_open(t_path(file), &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static void
a_version_1_history_has_no_durations(void)
{
	struct report *r;
	char *page;

	CHECK_INT(t_history("v1.db", 2, 3, fill_quiet), ==, 0);
	CHECK_INT(t_exec("v1.db", "DROP TABLE run_stats; "
	    "PRAGMA user_version = 1"), ==, 0);
	if ((r = t_load("v1.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK(!r->r_has_stats);
	page = t_render(r, false, NULL);
	CHECK(page != NULL && strstr(page, "predates run_stats") != NULL);
	CHECK(page != NULL && t_points(page, "run-answered") == 3);
	free(page);
	report_free(r);
}

static void
what_is_not_a_history_is_refused(void)
{
	struct report_opts o;
	struct report *r = NULL;
	char err[256];

	memset(&o, 0, sizeof(o));
	o.ro_db = t_path("absent.db");
	CHECK_INT(report_load(&o, &r, err, sizeof(err)), ==, REPORT_ENOENT);
	CHECK(r == NULL);
	CHECK(strstr(err, "absent.db") != NULL);
	CHECK_INT(t_exec("other.db", "CREATE TABLE runs(x)"), ==, 0);
	o.ro_db = t_path("other.db");
	CHECK_INT(report_load(&o, &r, err, sizeof(err)), ==, REPORT_ENOTHIST);
	CHECK(strstr(err, "no table targets") != NULL);
	CHECK_INT(t_history("newer.db", 1, 1, fill_quiet), ==, 0);
	CHECK_INT(t_exec("newer.db", "PRAGMA user_version = 99"), ==, 0);
	o.ro_db = t_path("newer.db");
	CHECK_INT(report_load(&o, &r, err, sizeof(err)), ==, REPORT_ENEWER);
	CHECK(strstr(err, "99") != NULL);
	CHECK(strcmp(report_strerror(REPORT_ENEWER), "unknown error") != 0);
}

/* sysName and parent names an attacker picked. */
static const char t_evil_sys[] = "<script>alert(1)</script>";
static const char t_evil_name[] = "a\"b'c<&>\xff\xe2\x80\xae\x1b[31m";
static char t_long[300];

static void
fill_evil(size_t host, size_t run, struct t_cell *c)
{
	(void)run;
	c->zombies = 3;
	c->sysname = host == 0 ? t_evil_sys : t_long;
	c->parent = host == 0 ? t_evil_name : t_long;
	c->parent_len = host == 0 ? sizeof(t_evil_name) - 1 : 0;
}

static void
agent_strings_are_escaped_in_html_and_ascii_in_text(void)
{
	struct report *r;
	char *page, *text, run[80];
	bool clean;

	memset(t_long, 'x', sizeof(t_long) - 1);
	CHECK_INT(t_history("evil.db", 2, 2, fill_evil), ==, 0);
	if ((r = t_load("evil.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	page = t_render(r, false, NULL);
	text = t_render(r, true, NULL);
	CHECK(page != NULL);
	if (page != NULL) {
		CHECK(strstr(page, "<script") == NULL);
		CHECK(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;") !=
		    NULL);
		CHECK(strstr(page, "a&quot;b&#39;c&lt;&amp;&gt;&#xFFFD;"
		    "&#xFFFD;&#xFFFD;[31m") != NULL);
		CHECK(strstr(page, "\xe2\x80\xae") == NULL);
		CHECK(strstr(page, "\x1b") == NULL);
		/* Cut to REPORT_TEXT_CHARS characters and an ellipsis. */
		memset(run, 'x', REPORT_TEXT_CHARS + 1);
		run[REPORT_TEXT_CHARS + 1] = '\0';
		CHECK(strstr(page, run) == NULL);
		run[REPORT_TEXT_CHARS] = '\0';
		CHECK(strstr(page, run) != NULL);
		CHECK(strstr(page, "&#x2026;") != NULL);
	}
	CHECK(text != NULL);
	if (text != NULL) {
		CHECK_INT(t_text_width(text, &clean), <=, 80);
		CHECK(clean);
		CHECK(strstr(text, "<script>alert~") != NULL);
	}
	free(page);
	free(text);
	report_free(r);
}

static void
fill_huge(size_t host, size_t run, struct t_cell *c)
{
	(void)run;
	c->zombies = host == 0 ? UINT64_MAX / 4 : INT64_MAX;
	c->processes = INT64_MAX;
	c->parent = "huge";
	c->oldest = UINT32_MAX;
}

static void
text_lines_fit_80_columns_even_with_huge_values(void)
{
	struct report *r;
	char *text;
	bool clean;

	CHECK_INT(t_history("huge.db", 3, 2, fill_huge), ==, 0);
	if ((r = t_load("huge.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	text = t_render(r, true, NULL);
	CHECK(text != NULL);
	if (text != NULL) {
		CHECK_INT(t_text_width(text, &clean), <=, 80);
		CHECK(clean);
	}
	free(text);
	report_free(r);
}

static void
fill_wide(size_t host, size_t run, struct t_cell *c)
{
	c->zombies = (host * 7 + run) % 5;
	c->sysname = "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
	    "<<<<<<<<<<<<<<<<<<<<<<<<";
	c->parent = c->zombies > 0 ? c->sysname : NULL;
	if (host % 3 == 0 && run == 2)
		c->status = SAMPLE_ERROR;
}

static void
page_size_stays_bounded_with_many_hosts(void)
{
	struct report *r;
	char *page;
	size_t len = 0, len_top = 0;

	CHECK_INT(t_history("wide.db", T_MAXHOSTS, 3, fill_wide), ==, 0);
	if ((r = t_load("wide.db", 0, 0)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK_INT(r->r_nhosts, ==, T_MAXHOSTS);
	CHECK_INT(r->r_nsilent, ==, T_MAXHOSTS / 3);
	page = t_render(r, false, &len);
	/* The 100 worst hosts, 50 parents and 100 silent targets. */
	CHECK(page != NULL && t_count(page, "data-spark=\"zombies\"") == 100);
	CHECK_INT(len, <, 1000000);
	free(page);
	report_free(r);
	if ((r = t_load("wide.db", 0, REPORT_TOP_MAX * 10)) == NULL) {
		CHECK(r != NULL);
		return;
	}
	CHECK_INT(r->r_top, ==, REPORT_TOP_MAX);
	page = t_render(r, false, &len_top);
	CHECK(page != NULL &&
	    t_count(page, "data-spark=\"zombies\"") == REPORT_TOP_MAX);
	/* About 4 KB per host listed, whatever the history holds. */
	CHECK_INT(len_top, <, 100000 + REPORT_TOP_MAX * 2 * 4096);
	printf("page bytes: %zu with the default top, %zu with --top %d\n",
	    len, len_top, REPORT_TOP_MAX);
	free(page);
	report_free(r);
}

static void
since_durations_parse_and_bad_ones_are_refused(void)
{
	static const char *const bad[] = { "", "h", "0h", "-1h", "10x",
		"1.5h", " 1h", "36501d", "99999999999999999999s", "24H" };
	const char *errstr;
	uint64_t ms;
	size_t i;

	CHECK_INT(report_parse_since("24h", &ms, &errstr), ==, 0);
	CHECK_U64(ms, ==, 86400000ULL);
	CHECK_INT(report_parse_since("90m", &ms, &errstr), ==, 0);
	CHECK_U64(ms, ==, 5400000ULL);
	CHECK_INT(report_parse_since("30d", &ms, &errstr), ==, 0);
	CHECK_U64(ms, ==, 2592000000ULL);
	CHECK_INT(report_parse_since("2w", &ms, &errstr), ==, 0);
	CHECK_U64(ms, ==, 1209600000ULL);
	CHECK_INT(report_parse_since("45s", &ms, &errstr), ==, 0);
	CHECK_U64(ms, ==, 45000ULL);
	CHECK_INT(report_parse_since("all", &ms, &errstr), ==, 0);
	CHECK_U64(ms, ==, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errstr = NULL;
		if (report_parse_since(bad[i], &ms, &errstr) != -1 ||
		    errstr == NULL)
			T_FAIL_("--since \"%s\" was accepted", bad[i]);
	}
}

static void
formatters_say_ages_and_numbers_plainly(void)
{
	char buf[48];

	report_age(45, buf, sizeof(buf));
	CHECK_STR(buf, "45s");
	report_age(125, buf, sizeof(buf));
	CHECK_STR(buf, "2m");
	report_age(3 * 3600 + 5 * 60, buf, sizeof(buf));
	CHECK_STR(buf, "3h05m");
	report_age(2 * 86400 + 4 * 3600, buf, sizeof(buf));
	CHECK_STR(buf, "2d04h");
	report_age(-1, buf, sizeof(buf));
	CHECK_STR(buf, "-");
	report_num(1234567, false, buf, sizeof(buf));
	CHECK_STR(buf, "1,234,567");
	report_num(12, true, buf, sizeof(buf));
	CHECK_STR(buf, "+12");
	report_num(-1000, true, buf, sizeof(buf));
	CHECK_STR(buf, "-1,000");
	report_num(INT64_MIN, false, buf, sizeof(buf));
	CHECK_STR(buf, "-9,223,372,036,854,775,808");
	CHECK_INT(report_bucket(1439, 1440, 1440), ==, 1439);
	CHECK_INT(report_bucket(2879, 2880, 1440), ==, 1439);
	CHECK_INT(report_bucket(0, 2880, 1440), ==, 0);
	CHECK_INT(report_points(5, 60), ==, 5);
	CHECK_INT(report_points(500, 60), ==, 60);
}

int
main(void)
{
	char cmd[128];

	snprintf(t_dir, sizeof(t_dir), "/tmp/proctel-report.XXXXXX");
	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(an_empty_history_makes_a_clear_page);
	RUN(one_run_draws_one_point_per_chart);
	RUN(every_target_timed_out_makes_a_clear_page);
	RUN(hosts_are_ranked_worst_first_and_parents_named);
	RUN(a_run_nobody_answered_is_a_gap_in_the_chart);
	RUN(the_window_counts_older_runs_and_marks_first_seen);
	RUN(many_runs_are_cut_to_bounded_points);
	RUN(a_version_1_history_has_no_durations);
	RUN(what_is_not_a_history_is_refused);
	RUN(agent_strings_are_escaped_in_html_and_ascii_in_text);
	RUN(text_lines_fit_80_columns_even_with_huge_values);
	RUN(page_size_stays_bounded_with_many_hosts);
	RUN(since_durations_parse_and_bad_ones_are_refused);
	RUN(formatters_say_ages_and_numbers_plainly);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t_dir);
	return t_done();
}
