/*
 * report_text: the report as plain text for a terminal or a mail body, in
 * the same order as the page (report.c ranks), every line at most 80
 * columns.  Only printable ASCII is written: any other character of an
 * agent's string becomes one '?', so a sysName cannot move the cursor,
 * change colours or break the columns; a field too long for its column
 * ends in '~'.  No charts: numbers only.
 */
#include <stdio.h>
#include <string.h>

#include "collector/report_impl.h"

#define TEXT_RUNS	5	/* newest runs listed */

enum text_align { TA_LEFT, TA_RIGHT, TA_LAST };

/* A field of width columns, aligned; the last of a line is not padded. */
static void
text_field(FILE *fp, const char *s, size_t len, size_t width,
    enum text_align align)
{
	const unsigned char *p = (const unsigned char *)s;
	char out[REPORT_TEXT_BYTES + 1];
	size_t i = 0, o = 0, used;
	int32_t c;

	while (s != NULL && i < len && o < sizeof(out) - 1) {
		c = report_utf8_next(p + i, len - i, &used);
		if (c == -1)
			used = 1;
		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		i += used;
	}
	if (o > width) {
		o = width;
		if (width > 0)
			out[width - 1] = '~';
	}
	out[o] = '\0';
	if (align == TA_LAST)
		fputs(out, fp);
	else
		fprintf(fp, align == TA_RIGHT ? "%*s" : "%-*s", (int)width,
		    out);
}

static void
text_str(FILE *fp, const char *s, size_t width)
{
	text_field(fp, s, s != NULL ? strlen(s) : 0, width, TA_LEFT);
}

/* A number in at most width columns: 1,234 or, when that is wider, 12.3M. */
static void
text_fmt(int64_t v, bool sign, size_t width, char *buf, size_t size)
{
	static const char units[] = "kMGTPE";
	double d = (double)v;
	size_t u = 0;

	report_num(v, sign, buf, size);
	while (strlen(buf) > width && u < sizeof(units) - 1) {
		d /= 1000;
		if (snprintf(buf, size, sign ? "%+.1f%c" : "%.1f%c", d,
		    units[u++]) < 0)
			buf[0] = '\0';
	}
}

static void
text_num(FILE *fp, int64_t v, bool sign, size_t width)
{
	char buf[48];

	text_fmt(v, sign, width, buf, sizeof(buf));
	text_field(fp, buf, strlen(buf), width, TA_RIGHT);
}

static int64_t
text_trend(const struct report_series *s)
{
	int64_t d;

	if (!s->rs_has || __builtin_sub_overflow(s->rs_last, s->rs_first, &d))
		return 0;
	return d;
}

static void
text_hosts(FILE *fp, const struct report *r)
{
	const struct report_host *h;
	size_t i, n = r->r_nranked < r->r_top ? r->r_nranked : r->r_top;

	fprintf(fp, "\nHOSTS, WORST FIRST (%zu of %zu that answered)\n", n,
	    r->r_nranked);
	if (n == 0) {
		fputs("  no host answered in this window\n", fp);
		return;
	}
	fprintf(fp, "%3s %-18s %-14s %8s %7s %7s %8s %s\n", "#", "HOST",
	    "SYSNAME", "ZOMBIES", "TREND", "PEAK", "PROCS", "LAST");
	for (i = 0; i < n; i++) {
		h = &r->r_hosts[r->r_rank[i]];
		fprintf(fp, "%3zu ", i + 1);
		text_str(fp, h->rh_name, 18);
		fputc(' ', fp);
		text_field(fp, h->rh_sysname.rb_p, h->rh_sysname.rb_len, 14,
		    TA_LEFT);
		fputc(' ', fp);
		text_num(fp, h->rh_s[RM_ZOMBIES].rs_last, false, 8);
		fputc(' ', fp);
		text_num(fp, text_trend(&h->rh_s[RM_ZOMBIES]), true, 7);
		fputc(' ', fp);
		text_num(fp, h->rh_s[RM_ZOMBIES].rs_max, false, 7);
		fputc(' ', fp);
		text_num(fp, h->rh_s[RM_PROCESSES].rs_last, false, 8);
		fprintf(fp, " %s\n", h->rh_status == RS_OK ? "ok" :
		    h->rh_status == RS_TIMEOUT ? "timeout" : "error");
	}
}

static void
text_parents(FILE *fp, const struct report *r)
{
	const struct report_parent *p;
	size_t i, n;
	char age[32], t[32];

	n = r->r_ncurrent < REPORT_PARENTS_SHOWN ? r->r_ncurrent :
	    REPORT_PARENTS_SHOWN;
	fprintf(fp, "\nPARENTS HOLDING ZOMBIES (%zu of %zu)\n", n,
	    r->r_ncurrent);
	if (n == 0) {
		fputs(r->r_walked ? "  none at the hosts' last answers\n" :
		    "  the zombie parent table is not in this history\n", fp);
		return;
	}
	fprintf(fp, "%-18s %7s %-15s %7s %6s %s\n", "HOST", "PID", "NAME",
	    "ZOMBIES", "OLDEST", "FIRST SEEN");
	for (i = 0; i < n; i++) {
		p = &r->r_parents[i];
		text_str(fp, r->r_hosts[p->rp_host].rh_name, 18);
		fputc(' ', fp);
		text_field(fp, p->rp_pid, strlen(p->rp_pid), 7, TA_RIGHT);
		fputc(' ', fp);
		text_field(fp, p->rp_name.rb_p, p->rp_name.rb_len, 15, TA_LEFT);
		fputc(' ', fp);
		text_num(fp, p->rp_zombies, false, 7);
		report_age(p->rp_oldest_s, age, sizeof(age));
		report_time(r, p->rp_first, t, sizeof(t));
		fprintf(fp, " %6.6s %s%s\n", age, p->rp_first == 0 &&
		    r->r_runs_before > 0 ? "<" : "", t);
	}
}

static void
text_silent(FILE *fp, const struct report *r)
{
	const struct report_host *h;
	size_t i, n = r->r_nsilent < r->r_top ? r->r_nsilent : r->r_top;
	char t[32];

	fprintf(fp, "\nSTOPPED ANSWERING (%zu of %zu)\n", n, r->r_nsilent);
	if (n == 0) {
		fputs("  every target answered its last poll\n", fp);
		return;
	}
	fprintf(fp, "%-18s %-7s %-20s %6s %s\n", "HOST", "STATUS",
	    "LAST GOOD RUN", "FAILS", "ERROR");
	for (i = 0; i < n; i++) {
		h = &r->r_hosts[r->r_silent[i]];
		text_str(fp, h->rh_name, 18);
		report_time(r, h->rh_last_ok, t, sizeof(t));
		fprintf(fp, " %-7s %-20s ", h->rh_status == RS_TIMEOUT ?
		    "timeout" : "error", h->rh_last_ok != REPORT_NONE ? t :
		    "never");
		text_num(fp, (int64_t)h->rh_fails, false, 6);
		fputc(' ', fp);
		text_field(fp, h->rh_error.rb_p, h->rh_error.rb_len, 25,
		    TA_LAST);
		fputc('\n', fp);
	}
}

static void
text_runs(FILE *fp, const struct report *r)
{
	const struct report_run *rn;
	size_t i, n = r->r_nruns < TEXT_RUNS ? r->r_nruns : TEXT_RUNS;
	char t[32];

	fprintf(fp, "\nCOLLECTOR RUNS (newest %zu of %zu)\n", n, r->r_nruns);
	fprintf(fp, "%-20s %12s %8s %8s %8s %8s\n", "RUN", "DURATION_MS",
	    "TARGETS", "ANSWERED", "TIMEOUTS", "ERRORS");
	for (i = 0; i < n; i++) {
		rn = &r->r_runs[r->r_nruns - 1 - i];
		report_time(r, r->r_nruns - 1 - i, t, sizeof(t));
		fprintf(fp, "%-20s ", t);
		if (rn->rn_duration_ms >= 0)
			text_num(fp, rn->rn_duration_ms, false, 12);
		else
			fprintf(fp, "%12s", "-");
		fputc(' ', fp);
		text_num(fp, rn->rn_targets, false, 8);
		fputc(' ', fp);
		text_num(fp, rn->rn_ok, false, 8);
		fputc(' ', fp);
		text_num(fp, rn->rn_timeout, false, 8);
		fputc(' ', fp);
		text_num(fp, rn->rn_error, false, 8);
		fputc('\n', fp);
	}
}

int
report_write_text(const struct report *r, FILE *fp)
{
	const struct report_run *last;
	char from[32], to[32], z[48], p[48];

	report_range(r, from, to, sizeof(from));
	fprintf(fp, "proctel fleet report, %s to %s (UTC)\n", from, to);
	if (r->r_nruns == 0) {
		fputs("no runs in this window: nothing recorded yet\n", fp);
		return ferror(fp) ? -1 : 0;
	}
	last = &r->r_runs[r->r_nruns - 1];
	fprintf(fp, "%zu runs, %zu targets", r->r_nruns, r->r_nhosts);
	if (r->r_runs_before > 0)
		fprintf(fp, "; %zu older runs outside the window",
		    r->r_runs_before);
	text_fmt(last->rn_sum[RM_ZOMBIES], false, 8, z, sizeof(z));
	text_fmt(last->rn_sum[RM_PROCESSES], false, 8, p, sizeof(p));
	fprintf(fp, "\nlast run: %s zombies on %zu hosts, %s processes\n"
	    "%zu targets not answering their last poll\n", z,
	    r->r_with_zombies, p, r->r_nsilent);
	text_hosts(fp, r);
	text_parents(fp, r);
	text_silent(fp, r);
	text_runs(fp, r);
	return ferror(fp) ? -1 : 0;
}
