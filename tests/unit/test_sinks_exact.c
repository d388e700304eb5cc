/*
 * test_sinks_exact: each text sink's rule for any bytes, on hand-built
 * samples (the round trips through real parsers and servers are
 * tests/integration/collector_exact.sh): CSV's formula openers, its own
 * quote, NUL and bytes that are not UTF-8; InfluxDB tag and field escaping
 * with backslashes, line breaks and NUL; JSON Lines' hex members for table
 * cells.  Then streaming: a run far larger than a sink's buffer is written
 * whole, and one that fails to write half-way (RLIMIT_FSIZE) is cut back to
 * where the file ended, in JSON Lines, CSV and InfluxDB alike.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/json.h"
#include "collector/sink.h"
#include "collector/sink_impl.h"
#include "tests/harness.h"

#define T_TIME_MS	1795428000000ULL	/* 2026-11-23T10:00:00Z */
#define T_TIME		"2026-11-23T10:00:00Z"

static char t_dir[] = "/tmp/proctel-sinks.XXXXXX";
static struct cfg_label t_labels[] = { { "role", "DOMAIN\\web, \"x\"=y" } };
static struct cfg_target t_target;
static struct cfg_collector t_conf;

static const char *
t_path(const char *name)
{
	static char buf[256];

	(void)snprintf(buf, sizeof(buf), "%s/%s", t_dir, name);
	return buf;
}

/* The whole file (NUL-safe through *len); NULL when it cannot be read. */
static char *
t_slurp(const char *name, size_t *len)
{
	static char buf[1 << 16];
	FILE *fp;

	*len = 0;
	if ((fp = fopen(t_path(name), "rb")) == NULL)
		return NULL;
	*len = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

static off_t
t_size(const char *name)
{
	struct stat st;

	return stat(t_path(name), &st) == 0 ? st.st_size : -1;
}

static void
t_setup(struct sample *sa, struct sample_value *vals, size_t n)
{
	memset(&t_target, 0, sizeof(t_target));
	t_target.ct_host = "127.0.0.1";
	t_target.ct_name = "web 1";
	t_target.ct_opts.to_port = 161;
	t_target.ct_labels = t_labels;
	t_target.ct_nlabels = 1;
	memset(&t_conf, 0, sizeof(t_conf));
	t_conf.cc_targets = &t_target;
	t_conf.cc_ntargets = 1;
	memset(sa, 0, sizeof(*sa));
	sa->sa_target = &t_target;
	sa->sa_time_ms = T_TIME_MS;
	sa->sa_status = SAMPLE_OK;
	sa->sa_attempts = 1;
	sa->sa_values = vals;
	sa->sa_nvalues = n;
}

static struct sink *
t_open(enum cfg_output_type type, const char *name)
{
	struct cfg_output out = { .co_type = type };
	char err[256] = "";
	struct sink *s;

	out.co_path = (char *)(uintptr_t)t_path(name);
	if ((s = sink_open(&out, &t_conf, err, sizeof(err))) == NULL)
		fprintf(stderr, "  sink_open %s: %s\n", name, err);
	return s;
}

#define STR(n, s, l)	{ .sv_name = (n), .sv_kind = SV_STRING, \
			    .sv_asn_type = 0x04, .sv_str = (s), .sv_len = (l) }

/* One line per value, "metric,value" after the seven fixed fields. */
static void
csv_text_fields_follow_one_reversible_rule(void)
{
	static const char *const want[] = {
		"\"'=HYPERLINK(\"\"http://x\"\")\","
		    "\"'=HYPERLINK(\"\"http://x\"\")\"",
		"plus,'+1",
		"minus,'-cmd",
		"at,'@SUM(A1)",
		"tab,'\ttab",
		"cr,\"'\rcr\"",
		"quote,''quoted",
		"nul,'\\x610062",
		"bad,'\\xfffe41",
		"plain,\"a,b \"\"c\"\" \\d\nnext\"",
		"empty,",
		"utf8,caf\xc3\xa9",
	};
	struct sample_value vals[] = {
		STR("=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")", 22),
		STR("plus", "+1", 2),
		STR("minus", "-cmd", 4),
		STR("at", "@SUM(A1)", 8),
		STR("tab", "\ttab", 4),
		STR("cr", "\rcr", 3),
		STR("quote", "'quoted", 7),
		STR("nul", "a\0b", 3),
		STR("bad", "\xff\xfe" "A", 3),
		STR("plain", "a,b \"c\" \\d\nnext", 15),
		STR("empty", "", 0),
		STR("utf8", "caf\xc3\xa9", 5),
	};
	struct sample sa;
	struct sink *s;
	char line[256], err[256];
	const char *got;
	size_t i, len;

	t_setup(&sa, vals, sizeof(vals) / sizeof(vals[0]));
	if ((s = t_open(CFG_OUT_CSV, "r.csv")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(sink_write_run(s, &sa, 1, err, sizeof(err)), ==, 0);
	sink_close(s);
	got = t_slurp("r.csv", &len);
	CHECK(got != NULL);
	for (i = 0; got != NULL && i < sizeof(want) / sizeof(want[0]); i++) {
		(void)snprintf(line, sizeof(line), "\r\n" T_TIME ",web 1,"
		    "127.0.0.1,161,ok,1,0,%s\r\n", want[i]);
		if (strstr(got, line) == NULL) {
			fprintf(stderr, "  no line: %s\n", want[i]);
			CHECK(!"the CSV line is there");
		}
	}
}

static void
influx_escapes_what_the_protocol_needs_and_nothing_else(void)
{
	struct sample_value vals[] = {
		STR("s", "q\"b\\s\nnl\0nul,= x", 16),
		STR("bad", "\xff\xfe", 2),
		{ .sv_name = "status", .sv_kind = SV_INT, .sv_int = -1 },
	};
	static const char want[] =
	    "proctel,target=web\\ 1,host=127.0.0.1,role=DOMAIN\\web\\,\\ \"x\"\\=y "
	    "status=\"ok\",attempts=1i,latency_ms=0,s=\"q\\\"b\\\\s\nnl\0nul,= x\","
	    "bad:hex=\"fffe\",metric_status=-1i 1795428000000000000\n";
	struct sample sa;
	struct sink *s;
	char err[256];
	const char *got;
	size_t len;

	t_setup(&sa, vals, sizeof(vals) / sizeof(vals[0]));
	if ((s = t_open(CFG_OUT_INFLUX, "r.lp")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(sink_write_run(s, &sa, 1, err, sizeof(err)), ==, 0);
	sink_close(s);
	got = t_slurp("r.lp", &len);
	CHECK(got != NULL);
	if (got != NULL)
		CHECK_MEM(got, len, want, sizeof(want) - 1);
}

static void
jsonl_table_cells_that_are_not_utf8_go_to_the_rows_hex(void)
{
	struct sample_value cols[] = {
		STR("ptProcName", "ok\0x", 4),
		STR("ptProcCmdline", "\xc0\xaf", 2),
	};
	struct sample_row row = { "812", cols, 2 };
	struct sample_table tab = { "procs", &row, 1 };
	struct sample sa;
	struct sink *s;
	char err[256];
	const char *got;
	size_t len;

	t_setup(&sa, NULL, 0);
	sa.sa_tables = &tab;
	sa.sa_ntables = 1;
	if ((s = t_open(CFG_OUT_JSONL, "r.jsonl")) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(sink_write_run(s, &sa, 1, err, sizeof(err)), ==, 0);
	sink_close(s);
	got = t_slurp("r.jsonl", &len);
	CHECK(got != NULL && strstr(got, "\"values\":{},\"tables\":{\"procs\":"
	    "[{\"index\":\"812\",\"ptProcName\":\"ok\\u0000x\","
	    "\"ptProcCmdline\":null,\"hex\":{\"ptProcCmdline\":\"c0af\"}}]}}\n")
	    != NULL);
}

/* Enough values that one run is several SINK_SPILL_BYTES. */
#define BIG_N		40
#define BIG_LEN		(128 * 1024)

static void
a_run_larger_than_the_buffer_streams_and_a_failed_one_is_cut_back(void)
{
	static const enum cfg_output_type types[] = { CFG_OUT_JSONL,
	    CFG_OUT_CSV, CFG_OUT_INFLUX };
	static const char *const names[] = { "big.jsonl", "big.csv",
	    "big.lp" };
	struct sample_value vals[BIG_N];
	struct rlimit rl, old;
	struct sample sa;
	struct sink *s;
	char *big, err[256], vname[BIG_N][16];
	off_t one, two;
	size_t i, k;

	if ((big = malloc(BIG_LEN)) == NULL)
		return;
	memset(big, 'v', BIG_LEN);
	for (i = 0; i < BIG_N; i++) {
		(void)snprintf(vname[i], sizeof(vname[i]), "v%zu", i);
		vals[i] = (struct sample_value)STR(vname[i], big, BIG_LEN);
	}
	t_setup(&sa, vals, BIG_N);
	signal(SIGXFSZ, SIG_IGN);
	for (k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		if ((s = t_open(types[k], names[k])) == NULL) {
			CHECK(s != NULL);
			continue;
		}
		CHECK_INT(sink_write_run(s, &sa, 1, err, sizeof(err)), ==, 0);
		one = t_size(names[k]);
		CHECK_INT(one, >, (off_t)BIG_N * BIG_LEN);
		/* The next run may grow the file by 3 MiB only: it fails. */
		if (getrlimit(RLIMIT_FSIZE, &old) == -1)
			old.rlim_cur = old.rlim_max = RLIM_INFINITY;
		rl = old;
		rl.rlim_cur = (rlim_t)one + (3 << 20);
		CHECK_INT(setrlimit(RLIMIT_FSIZE, &rl), ==, 0);
		CHECK_INT(sink_write_run(s, &sa, 1, err, sizeof(err)), ==, -1);
		CHECK(strstr(err, "write") != NULL);
		(void)setrlimit(RLIMIT_FSIZE, &old);
		CHECK_INT(t_size(names[k]), ==, one);
		/* And the one after writes whole again. */
		CHECK_INT(sink_write_run(s, &sa, 1, err, sizeof(err)), ==, 0);
		two = t_size(names[k]);
		CHECK_INT(two, ==, 2 * one - (types[k] == CFG_OUT_CSV ?
		    (off_t)strlen("time,target,host,port,status,attempts,"
		    "latency_ms,metric,value\r\n") : 0));
		sink_close(s);
	}
	signal(SIGXFSZ, SIG_DFL);
	free(big);
}

int
main(void)
{
	char cmd[64];
	int rc;

	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(csv_text_fields_follow_one_reversible_rule);
	RUN(influx_escapes_what_the_protocol_needs_and_nothing_else);
	RUN(jsonl_table_cells_that_are_not_utf8_go_to_the_rows_hex);
	RUN(a_run_larger_than_the_buffer_streams_and_a_failed_one_is_cut_back);
	rc = t_done();
	if (getenv("T_KEEP") != NULL)
		return rc;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", t_dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
