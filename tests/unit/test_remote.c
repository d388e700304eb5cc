/*
 * test_remote: the remote sinks without a store: each pointed at a
 * loopback port nobody listens on, so the run
 * lands in its spool, where the test reads it back: the remote_write
 * batch, uncompressed with snappy and decoded with protobuf-c, holds
 * exactly the series the prom file sink writes for the same samples (same
 * names, labels and values, labels sorted, the run's time), batches stay
 * within their bound, and influx_http's spool holds the influx file sink's
 * very lines; and the self-metrics sample.  The pure parts (HTTP helpers,
 * config keys): test_remote_conf.c.  Against real stores:
 * tests/integration/remote_*.sh.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <snappy-c.h>

#include "collector/remote_write.pb-c.h"
#include "collector/selfmetrics.h"
#include "collector/sink.h"
#include "collector/sink_impl.h"
#include "collector/spool.h"
#include "lib/clock.h"
#include "tests/harness.h"

#define T_TIME_MS	1795428000000ULL

static char t_dir[64];
static char t_url[128];
static int t_seq;

static struct cfg_label t_labels0[] = { { "role", "demo" },
	{ "Zone", "A" } };
static struct cfg_label t_labels1[] = { { "dc", "eu west" },
	{ "a,b", "x=y" }, { "host", "h" }, { "a.b", "dup" },
	{ "empty", "" } };
static struct cfg_target t_targets[2];
static struct cfg_collector t_conf;
static struct sample_value t_vals0[] = {
	{ .sv_name = "zombies", .sv_kind = SV_UINT, .sv_asn_type = 0x42,
	    .sv_uint = 3 },
	{ .sv_name = "forks", .sv_kind = SV_UINT, .sv_asn_type = 0x46,
	    .sv_uint = 1234567 },
	{ .sv_name = "temp", .sv_kind = SV_INT, .sv_asn_type = 0x02,
	    .sv_int = -5 },
	{ .sv_name = "name", .sv_kind = SV_STRING, .sv_str = "x",
	    .sv_len = 1 },
	{ .sv_name = "gone", .sv_kind = SV_ABSENT },
};
static struct sample_value t_cols0[] = {
	{ .sv_name = "ptZpName", .sv_kind = SV_STRING, .sv_str = "bash",
	    .sv_len = 4 },
	{ .sv_name = "ptZpZombies", .sv_kind = SV_UINT, .sv_asn_type = 0x42,
	    .sv_uint = 3 },
};
static struct sample_row t_rows0[] = { { "812", t_cols0, 2 },
	{ "9\"9", t_cols0 + 1, 1 } };
static struct sample_table t_tables0[] = { { "zombie_parents", t_rows0, 2 } };
static struct sample t_samples[2];

static void
t_setup(void)
{
	memset(t_targets, 0, sizeof(t_targets));
	t_targets[0].ct_host = "127.0.0.1";
	t_targets[0].ct_name = "local";
	t_targets[0].ct_labels = t_labels0;
	t_targets[0].ct_nlabels = 2;
	t_targets[1].ct_host = "10.0.0.2";
	t_targets[1].ct_name = "db\"7, x\xff";
	t_targets[1].ct_labels = t_labels1;
	t_targets[1].ct_nlabels = 5;
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
	t_samples[0].sa_nvalues = sizeof(t_vals0) / sizeof(t_vals0[0]);
	t_samples[0].sa_tables = t_tables0;
	t_samples[0].sa_ntables = 1;
	t_samples[1].sa_target = &t_targets[1];
	t_samples[1].sa_time_ms = T_TIME_MS;
	t_samples[1].sa_status = SAMPLE_TIMEOUT;
	t_samples[1].sa_attempts = 3;
}

/* A loopback TCP port with nothing listening (connections are refused). */
static int
t_closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, port = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* A remote sink to a dead store, with its spool in a fresh directory. */
static struct sink *
t_open_remote(enum cfg_output_type type, struct cfg_remote *cr,
    char *spool, size_t spoolsz)
{
	struct cfg_output out = { .co_type = type, .co_path = t_url,
	    .co_remote = cr };
	char err[256] = "";
	struct sink *s;

	snprintf(spool, spoolsz, "%s/spool%d", t_dir, t_seq++);
	memset(cr, 0, sizeof(*cr));
	cr->cr_timeout_ms = 2000;
	cr->cr_retries = 0;
	cr->cr_spool_dir = spool;
	cr->cr_spool_max_bytes = 1 << 24;
	if ((s = sink_open(&out, &t_conf, err, sizeof(err))) == NULL)
		fprintf(stderr, "  (sink_open: %s)\n", err);
	else
		sink_set_deadline(s, clock_mono_ns() + 5000000000ULL);
	return s;
}

/* Write a run; the outcome in *o. */
static int
t_write(struct sink *s, const struct sample *sa, size_t n,
    struct sink_outcome *o)
{
	char err[256] = "";
	int rc;

	rc = sink_write_run(s, sa, n, err, sizeof(err));
	sink_get_outcome(s, o);
	return rc;
}

/* Open the spool at dir and read its batches' bodies, in order. */
static size_t
t_spooled(const char *dir, enum spool_kind kind, void **bodies, size_t *lens,
    uint32_t *nsamples, size_t max)
{
	struct spool_drop d = { 0, 0 };
	struct spool_hdr h;
	struct spool *sp;
	char err[256];
	size_t n = 0;

	if ((sp = spool_open(dir, 1 << 24, kind, &d, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "  (spool_open: %s)\n", err);
		return 0;
	}
	while (n < max && spool_first(sp, &h, &bodies[n], &d, err,
	    sizeof(err)) == 0) {
		lens[n] = h.sh_body_len;
		nsamples[n] = h.sh_nsamples;
		(void)spool_shift(sp, err, sizeof(err));
		n++;
	}
	spool_close(sp);
	return n;
}

/* A prom text line's label value, unescaped, from p after '"'. */
static const char *
t_prom_value(const char *p, char *out, size_t size)
{
	size_t o = 0;

	for (; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			if (o + 1 < size)
				out[o++] = *p == 'n' ? '\n' : *p;
			continue;
		}
		if (o + 1 < size)
			out[o++] = *p;
	}
	out[o] = '\0';
	return *p == '"' ? p + 1 : p;
}

static int
t_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * One canonical line per series: name, then the labels sorted by name,
 * then the value with 17 digits.
 */
static char *
t_canon(const char *name, char **labels, size_t n, double v)
{
	char *s = NULL, *t;
	size_t i;

	qsort(labels, n, sizeof(*labels), t_strcmp);
	if (asprintf(&s, "%s", name) == -1)
		return NULL;
	for (i = 0; i < n; i++) {
		if (asprintf(&t, "%s|%s", s, labels[i]) == -1)
			break;
		free(s);
		s = t;
	}
	if (asprintf(&t, "%s %.17g", s, v) != -1) {
		free(s);
		s = t;
	}
	return s;
}

/* Series of a prom text file as canonical lines; the count. */
static size_t
t_prom_series(const char *path, char **out, size_t max)
{
	char line[4096], name[256], key[256], val[1024], *labels[32];
	const char *p, *q;
	size_t n = 0, nl, i;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#' || (p = strchr(line, '{')) == NULL)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(p - line), line);
		nl = 0;
		for (p++; *p != '}' && *p != '\0' && nl < 32;) {
			q = strchr(p, '=');
			if (q == NULL)
				break;
			snprintf(key, sizeof(key), "%.*s", (int)(q - p), p);
			p = t_prom_value(q + 2, val, sizeof(val));
			/*
			 * The file keeps an empty value and a key that
			 * sanitized into an earlier one; remote write leaves
			 * them out, as Prometheus would not take them.
			 */
			for (i = 0; i < nl; i++)
				if (strncmp(labels[i], key, strlen(key)) == 0 &&
				    labels[i][strlen(key)] == '=')
					break;
			if (val[0] != '\0' && i == nl &&
			    asprintf(&labels[nl], "%s=%s", key, val) != -1)
				nl++;
			if (*p == ',')
				p++;
		}
		out[n++] = t_canon(name, labels, nl, strtod(p + 2, NULL));
		for (i = 0; i < nl; i++)
			free(labels[i]);
	}
	fclose(fp);
	return n;
}

static void
remote_write_sends_the_prom_sinks_series_with_sorted_labels(void)
{
	struct cfg_output pout = { .co_type = CFG_OUT_PROM };
	struct cfg_remote cr;
	struct sink_outcome o;
	Prometheus__WriteRequest *wr;
	Prometheus__TimeSeries *ts;
	char spool[128], ppath[256], err[256], *want[64], *got[64];
	char *labels[32], *name;
	void *body[4];
	size_t len[4], ulen, nwant, ngot = 0, i, j, nl;
	uint32_t ns[4];
	char *raw;
	struct sink *s;

	t_setup();
	if ((s = t_open_remote(CFG_OUT_REMOTE_WRITE, &cr, spool,
	    sizeof(spool))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, t_samples, 2, &o), ==, 0);
	sink_close(s);
	CHECK_U64(o.so_written, ==, 0);
	CHECK_U64(o.so_lost, ==, 0);
	snprintf(ppath, sizeof(ppath), "%s/same.prom", t_dir);
	pout.co_path = ppath;
	if ((s = sink_open(&pout, &t_conf, err, sizeof(err))) != NULL) {
		CHECK_INT(sink_write_run(s, t_samples, 2, err, sizeof(err)),
		    ==, 0);
		sink_close(s);
	}
	nwant = t_prom_series(ppath, want, 64);
	/* 3 built-in + 3 metrics + 2 cells; 2 built-in for the timeout. */
	CHECK_INT(nwant, ==, 10);
	CHECK_U64(o.so_spooled, ==, nwant);
	if (t_spooled(spool, SPOOL_REMOTE_WRITE, body, len, ns, 4) != 1) {
		CHECK(!"one batch spooled");
		return;
	}
	CHECK_U64(ns[0], ==, nwant);
	raw = NULL;
	wr = NULL;
	if (snappy_uncompressed_length(body[0], len[0], &ulen) == SNAPPY_OK &&
	    (raw = malloc(ulen)) != NULL &&
	    snappy_uncompress(body[0], len[0], raw, &ulen) == SNAPPY_OK)
		wr = prometheus__write_request__unpack(NULL, ulen,
		    (const uint8_t *)raw);
	CHECK(wr != NULL);
	for (i = 0; wr != NULL && i < wr->n_timeseries && ngot < 64; i++) {
		ts = wr->timeseries[i];
		name = NULL;
		nl = 0;
		CHECK_INT(ts->n_samples, ==, 1);
		CHECK_U64(ts->samples[0]->timestamp, ==, T_TIME_MS);
		for (j = 0; j < ts->n_labels; j++) {
			if (j > 0 && strcmp(ts->labels[j - 1]->name,
			    ts->labels[j]->name) >= 0)
				T_FAIL_("labels not sorted: %s, %s",
				    ts->labels[j - 1]->name,
				    ts->labels[j]->name);
			if (strcmp(ts->labels[j]->name, "__name__") == 0)
				name = ts->labels[j]->value;
			else if (nl < 32 && asprintf(&labels[nl],
			    "%s=%s", ts->labels[j]->name,
			    ts->labels[j]->value) != -1)
				nl++;
		}
		CHECK(name != NULL);
		got[ngot++] = t_canon(name != NULL ? name : "?", labels, nl,
		    ts->samples[0]->value);
		for (j = 0; j < nl; j++)
			free(labels[j]);
	}
	qsort(want, nwant, sizeof(*want), t_strcmp);
	qsort(got, ngot, sizeof(*got), t_strcmp);
	CHECK_INT(ngot, ==, nwant);
	for (i = 0; i < ngot && i < nwant; i++)
		CHECK_STR(got[i], want[i]);
	/* The clashes: a duplicate key after sanitizing goes, empty ones too. */
	for (i = 0; i < ngot; i++)
		if (strstr(got[i], "a_b=dup") != NULL ||
		    strstr(got[i], "empty=") != NULL)
			T_FAIL_("kept: %s", got[i]);
	for (i = 0; i < nwant; i++)
		free(want[i]);
	for (i = 0; i < ngot; i++)
		free(got[i]);
	prometheus__write_request__free_unpacked(wr, NULL);
	free(raw);
	free(body[0]);
}

static void
remote_write_batches_stay_within_their_bound(void)
{
	static struct sample_value many[1500];
	static char names[1500][8];
	struct sample big[2];
	struct cfg_remote cr;
	struct sink_outcome o;
	char spool[128];
	void *body[8];
	size_t len[8], n, i;
	uint32_t ns[8];
	struct sink *s;

	t_setup();
	for (i = 0; i < 1500; i++) {
		snprintf(names[i], sizeof(names[i]), "m%zu", i);
		many[i].sv_name = names[i];
		many[i].sv_kind = SV_UINT;
		many[i].sv_uint = i;
	}
	big[0] = t_samples[0];
	big[0].sa_values = many;
	big[0].sa_nvalues = 1500;
	big[0].sa_ntables = 0;
	big[1] = big[0];
	big[1].sa_target = &t_targets[1];
	if ((s = t_open_remote(CFG_OUT_REMOTE_WRITE, &cr, spool,
	    sizeof(spool))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, big, 2, &o), ==, 0);
	sink_close(s);
	/* 2 x (1500 + 3 built-in) series, at most 2000 a batch. */
	CHECK_U64(o.so_spooled, ==, 3006);
	n = t_spooled(spool, SPOOL_REMOTE_WRITE, body, len, ns, 8);
	CHECK_INT(n, ==, 2);
	if (n == 2) {
		CHECK_INT(ns[0], ==, 2000);
		CHECK_INT(ns[1], ==, 1006);
	}
	for (i = 0; i < n; i++)
		free(body[i]);
}

static void
influx_http_sends_the_influx_sinks_very_lines(void)
{
	struct cfg_output fout = { .co_type = CFG_OUT_INFLUX };
	struct cfg_remote cr;
	struct sink_outcome o;
	char spool[128], fpath[256], err[256], *file = NULL;
	void *body[2];
	size_t len[2], n, flen = 0;
	uint32_t ns[2];
	struct sink *s;
	FILE *fp;

	t_setup();
	if ((s = t_open_remote(CFG_OUT_INFLUX_HTTP, &cr, spool,
	    sizeof(spool))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	CHECK_INT(t_write(s, t_samples, 2, &o), ==, 0);
	sink_close(s);
	CHECK_U64(o.so_spooled, ==, 2);
	snprintf(fpath, sizeof(fpath), "%s/same.lp", t_dir);
	fout.co_path = fpath;
	if ((s = sink_open(&fout, &t_conf, err, sizeof(err))) != NULL) {
		CHECK_INT(sink_write_run(s, t_samples, 2, err, sizeof(err)),
		    ==, 0);
		sink_close(s);
	}
	if ((fp = fopen(fpath, "r")) != NULL) {
		file = calloc(1, 65536);
		flen = file != NULL ? fread(file, 1, 65535, fp) : 0;
		fclose(fp);
	}
	n = t_spooled(spool, SPOOL_INFLUX_LINES, body, len, ns, 2);
	CHECK_INT(n, ==, 1);
	if (n == 1 && file != NULL) {
		CHECK_INT(ns[0], ==, 2);
		CHECK_MEM(body[0], len[0], file, flen);
		free(body[0]);
	}
	free(file);
}

static void
without_a_spool_a_run_the_store_misses_is_lost_and_reported(void)
{
	struct cfg_remote cr;
	struct sink_outcome o;
	char spool[128];
	struct sink *s;
	uint64_t t0;

	t_setup();
	if ((s = t_open_remote(CFG_OUT_INFLUX_HTTP, &cr, spool,
	    sizeof(spool))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	sink_close(s);
	cr.cr_spool_max_bytes = 0;
	cr.cr_spool_dir = NULL;
	cr.cr_retries = 2;
	if ((s = sink_open(&(struct cfg_output){ .co_type =
	    CFG_OUT_INFLUX_HTTP, .co_path = t_url, .co_remote = &cr },
	    &t_conf, spool, sizeof(spool))) == NULL) {
		CHECK(s != NULL);
		return;
	}
	/* A deadline already passed: nothing is tried, nothing waits. */
	sink_set_deadline(s, clock_mono_ns() - 1);
	t0 = clock_mono_ns();
	CHECK_INT(t_write(s, t_samples, 2, &o), ==, -1);
	CHECK_U64(o.so_lost, ==, 2);
	CHECK_U64(o.so_retries, ==, 0);
	CHECK_U64(clock_mono_ns() - t0, <, 1000000000ULL);
	sink_close(s);
}

static void
self_metrics_count_the_run_and_take_rtt_percentiles(void)
{
	static struct sample many[100];
	struct run_result rr;
	struct run_arena *a;
	struct selfm *m;
	struct sample self;
	size_t i;

	t_setup();
	for (i = 0; i < 100; i++) {
		many[i] = t_samples[0];
		many[i].sa_latency_ms = (double)(100 - i);
	}
	many[7].sa_status = SAMPLE_TIMEOUT;
	many[7].sa_latency_ms = 1e9;
	memset(&rr, 0, sizeof(rr));
	rr.rr_total = 100;
	rr.rr_ok = 99;
	rr.rr_timeout = 1;
	rr.rr_retries = 5;
	a = run_arena_new();
	m = selfm_new(2, 4);
	if (a == NULL || m == NULL) {
		CHECK(!"allocations");
		goto out;
	}
	CHECK_INT(selfm_fill(m, &self, &rr, many, 100, NULL, 0, T_TIME_MS,
	    12.4, a), ==, 0);
	CHECK_STR(self.sa_target->ct_name, "proctel-collector");
	CHECK_INT(self.sa_target->ct_nlabels, ==, 1);
	CHECK_STR(self.sa_target->ct_labels[0].cl_value, "2/4");
	CHECK_U64(self.sa_time_ms, ==, T_TIME_MS);
	CHECK_INT(self.sa_nvalues, ==, 9);
	for (i = 0; i < self.sa_nvalues; i++) {
		const struct sample_value *v = &self.sa_values[i];

		CHECK(strncmp(v->sv_name, "collector_", 10) == 0);
		if (strcmp(v->sv_name, "collector_targets") == 0)
			CHECK_U64(v->sv_uint, ==, 100);
		if (strcmp(v->sv_name, "collector_timeouts") == 0)
			CHECK_U64(v->sv_uint, ==, 1);
		if (strcmp(v->sv_name, "collector_retries") == 0)
			CHECK_U64(v->sv_uint, ==, 5);
		if (strcmp(v->sv_name, "collector_run_duration_ms") == 0)
			CHECK_U64(v->sv_uint, ==, 12);
		/* 99 answered: 1..100 ms but 93; nearest rank 50 and 99. */
		if (strcmp(v->sv_name, "collector_rtt_p50_us") == 0)
			CHECK_U64(v->sv_uint, ==, 50000);
		if (strcmp(v->sv_name, "collector_rtt_p99_us") == 0)
			CHECK_U64(v->sv_uint, ==, 100000);
	}
	CHECK_INT(self.sa_ntables, ==, 0);
out:
	selfm_free(m);
	run_arena_free(a);
}

int
main(void)
{
	char cmd[128];

	snprintf(t_dir, sizeof(t_dir), "/tmp/test_remote.XXXXXX");
	if (mkdtemp(t_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(t_url, sizeof(t_url), "http://127.0.0.1:%d/api/v1/write",
	    t_closed_port());
	RUN(remote_write_sends_the_prom_sinks_series_with_sorted_labels);
	RUN(remote_write_batches_stay_within_their_bound);
	RUN(influx_http_sends_the_influx_sinks_very_lines);
	RUN(without_a_spool_a_run_the_store_misses_is_lost_and_reported);
	RUN(self_metrics_count_the_run_and_take_rtt_percentiles);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t_dir);
	return t_done();
}
