/*
 * fuzz_report: libFuzzer target for the report's writers, the only place
 * where agents' bytes (sysName, process names, pids, errors) meet HTML and
 * a terminal.  The input, split at NUL bytes, fills the strings of a small
 * report in memory (two hosts, two runs, one parent); its first bytes pick
 * the numbers.  Beyond "no crash" it checks that the page has exactly as
 * many '<' as the same report with empty strings (no markup got through),
 * that the page is valid UTF-8, and that the text form is printable ASCII
 * in lines of at most 80 columns.  It does not read SQLite: report_db.c's
 * input is the collector's own database.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/report_impl.h"

#define FZ_FIELDS	5

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
fz_render(const struct report *r, bool text, size_t *len)
{
	char *buf = NULL;
	FILE *fp;

	*len = 0;
	if ((fp = open_memstream(&buf, len)) == NULL)
		abort();
	if ((text ? report_write_text(r, fp) : report_write_html(r, fp)) != 0)
		abort();
	fclose(fp);
	return buf;
}

static size_t
fz_count(const char *s, size_t len, char c)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

static void
fz_check(const struct report *r, size_t want_lt)
{
	size_t len, i, used, w = 0;
	char *out;

	out = fz_render(r, false, &len);
	if (fz_count(out, len, '<') != want_lt)
		abort();
	for (i = 0; i < len; i += used)
		if (report_utf8_next((const unsigned char *)out + i, len - i,
		    &used) == -1)
			abort();
	free(out);
	out = fz_render(r, true, &len);
	for (i = 0; i < len; i++) {
		if (out[i] == '\n') {
			w = 0;
			continue;
		}
		if ((unsigned char)out[i] < 0x20 ||
		    (unsigned char)out[i] > 0x7e || ++w > 80)
			abort();
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char empty[] = "";
	struct report_bytes f[FZ_FIELDS];
	struct report_run runs[2];
	struct report_host hosts[2];
	struct report_parent parent;
	int64_t spark[2 * RM_COUNT * 2];
	size_t rank[2] = { 0, 1 }, silent[1] = { 1 }, want_lt, i, k = 0;
	struct report r;
	const uint8_t *p = data, *end = data + size, *nul;
	char *out;
	size_t len;

	memset(f, 0, sizeof(f));
	for (i = 0; i < FZ_FIELDS; i++) {
		nul = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
		f[i].rb_len = (size_t)((nul != NULL ? nul : end) - p);
		if ((f[i].rb_p = malloc(f[i].rb_len + 1)) == NULL)
			abort();
		memcpy(f[i].rb_p, p, f[i].rb_len);
		f[i].rb_p[f[i].rb_len] = '\0';
		p += f[i].rb_len + (nul != NULL);
	}
	memset(&r, 0, sizeof(r));
	memset(runs, 0, sizeof(runs));
	memset(hosts, 0, sizeof(hosts));
	memset(&parent, 0, sizeof(parent));
	r.r_db = empty;
	r.r_top = REPORT_TOP_DEFAULT;
	r.r_runs = runs;
	r.r_nruns = 2;
	r.r_spark_points = 2;
	r.r_hosts = hosts;
	r.r_nhosts = 2;
	r.r_rank = rank;
	r.r_nranked = 2;
	r.r_silent = silent;
	r.r_nsilent = 1;
	r.r_parents = &parent;
	r.r_nparents = r.r_ncurrent = 1;
	r.r_walked = true;
	for (i = 0; i < 2; i++) {
		runs[i].rn_id = (int64_t)i + 1;
		runs[i].rn_time_ms = 1795428000000ULL + i * 60000;
		runs[i].rn_duration_ms = size > i ? data[i] : -1;
		runs[i].rn_targets = 2;
		runs[i].rn_ok = 1;
		runs[i].rn_timeout = 1;
		runs[i].rn_sum[RM_ZOMBIES] = size > 2 ?
		    (int64_t)data[2] << 40 : 0;
		runs[i].rn_n[RM_ZOMBIES] = runs[i].rn_n[RM_PROCESSES] = 1;
		hosts[i].rh_last_poll = hosts[i].rh_last_ok = 1;
		hosts[i].rh_last_data = 1;
		hosts[i].rh_status = RS_OK;
		hosts[i].rh_port = 161;
		for (int m = 0; m < RM_COUNT; m++) {
			hosts[i].rh_s[m].rs_has = true;
			hosts[i].rh_s[m].rs_first = size > 3 ? data[3] : 0;
			hosts[i].rh_s[m].rs_last = size > 4 ?
			    (int64_t)data[4] << 55 : 0;
			hosts[i].rh_s[m].rs_max = INT64_MAX;
			hosts[i].rh_spark[m] = &spark[k];
			spark[k++] = REPORT_SPARK_EMPTY;
			spark[k++] = size > 5 ? (int64_t)data[5] - 128 : 0;
		}
	}
	hosts[1].rh_status = RS_TIMEOUT;
	hosts[1].rh_last_ok = REPORT_NONE;
	parent.rp_oldest_s = size > 6 ? (int64_t)data[6] << 30 : -1;
	parent.rp_zombies = 3;
	parent.rp_last = 1;
	parent.rp_host = 0;

	/* The structure alone, every string empty: its count of '<'. */
	hosts[0].rh_name = hosts[1].rh_name = empty;
	hosts[0].rh_host = hosts[1].rh_host = empty;
	parent.rp_pid = empty;
	out = fz_render(&r, false, &len);
	want_lt = fz_count(out, len, '<');
	free(out);
	hosts[0].rh_name = f[0].rb_p;
	hosts[1].rh_host = f[0].rb_p;
	hosts[0].rh_sysname = f[1];
	hosts[1].rh_error = f[2];
	parent.rp_name = f[3];
	parent.rp_pid = f[4].rb_p;
	fz_check(&r, want_lt);
	for (i = 0; i < FZ_FIELDS; i++)
		free(f[i].rb_p);
	return 0;
}
