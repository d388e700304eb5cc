/*
 * report_html: the report as one self-contained HTML page: inline CSS and
 * SVG, no script, no request of any kind (a Content-Security-Policy of
 * default-src 'none' says so to the browser too), so it reads the same from
 * a mail attachment or a file share.  Every string that came from an agent
 * or a config (sysName, process names, target names, errors) goes through
 * html_bytes(): escaped, invalid UTF-8 and control or bidi characters shown
 * as U+FFFD, and cut to REPORT_TEXT_CHARS characters.
 * It reads struct report only; it neither ranks nor queries.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/report_impl.h"

/* Chart geometry, in SVG user units. */
#define CH_W		900
#define CH_H		170
#define CH_LEFT		64
#define CH_RIGHT	10
#define CH_TOP		10
#define CH_BOTTOM	24
#define SP_W		120
#define SP_H		26

static const char html_style[] =
"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
"color:#1d2430;background:#fff;max-width:1180px;margin:0 auto;"
"padding:1em 1.5em 3em}"
"h1{font-size:1.5em;margin:.3em 0 .1em}"
"h2{font-size:1.15em;margin:1.8em 0 .5em;padding-bottom:.2em;"
"border-bottom:1px solid #d0d5dd}"
"p{margin:.3em 0}.meta,.note,.sub{color:#5d6675}.note,.sub{font-size:.88em}"
".empty{color:#5d6675;font-style:italic}"
".tiles{display:flex;flex-wrap:wrap;gap:.7em;margin:.7em 0}"
".tile{border:1px solid #d0d5dd;border-radius:6px;padding:.45em .9em;"
"min-width:8.5em}.tile b{display:block;font-size:1.5em}"
".tile.bad b,.bad{color:#b42318}.good{color:#067647}"
"table{border-collapse:collapse;width:100%;font-size:.92em;margin:.4em 0}"
"th,td{text-align:left;padding:.28em .5em;border-bottom:1px solid #eaecf0;"
"vertical-align:middle}th{background:#f5f6f8;font-weight:600}"
"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
"white-space:nowrap}td.t{white-space:nowrap;font-variant-numeric:"
"tabular-nums}"
"figure{margin:.6em 0 1.2em}figcaption{font-weight:600;margin-bottom:.2em}"
"svg.chart{width:100%;height:auto;display:block;background:#fcfcfd;"
"border:1px solid #eaecf0;border-radius:4px}"
"svg.spark{width:120px;height:26px;display:block}"
"svg text{font:11px system-ui,sans-serif;fill:#5d6675}"
"svg .grid{stroke:#eaecf0;stroke-width:1}"
"polyline{fill:none;stroke-width:1.6;stroke-linejoin:round}"
"svg.spark polyline{stroke-width:1.3}"
".z{stroke:#b42318}.p{stroke:#175cd3}.d{stroke:#6941c6}.a{stroke:#067647}"
".x{stroke:#dc6803}circle.z{fill:#b42318}circle.p{fill:#175cd3}"
"circle.d{fill:#6941c6}circle.a{fill:#067647}circle.x{fill:#dc6803}"
"code{background:#f2f4f7;padding:0 .25em;border-radius:3px}";

/* Characters that would hide or reorder what is shown. */
static int
html_hidden(int32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

/* Write len bytes as HTML text (attribute-safe too), at most max chars. */
static void
html_bytes(FILE *fp, const char *s, size_t len, bool cut, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used, chars = 0;
	int32_t c;

	if (s == NULL)
		return;
	while (i < len) {
		if (chars == max) {
			cut = true;
			break;
		}
		chars++;
		if ((c = report_utf8_next(p + i, len - i, &used)) == -1) {
			fputs("&#xFFFD;", fp);
			i++;
			continue;
		}
		switch (c) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			if (html_hidden(c))
				fputs("&#xFFFD;", fp);
			else
				fwrite(p + i, 1, used, fp);
		}
		i += used;
	}
	if (cut)
		fputs("&#x2026;", fp);
}

static void
html_str(FILE *fp, const char *s)
{
	if (s != NULL)
		html_bytes(fp, s, strlen(s), false, REPORT_TEXT_CHARS);
}

static void
html_num(FILE *fp, int64_t v, bool sign)
{
	char buf[48];

	report_num(v, sign, buf, sizeof(buf));
	fputs(buf, fp);
}

/* One value per bucket of runs: the maximum; REPORT_SPARK_EMPTY if none. */
typedef bool (*run_value)(const struct report_run *rn, int64_t *v);

static bool
rv_zombies(const struct report_run *rn, int64_t *v)
{
	*v = rn->rn_sum[RM_ZOMBIES];
	return rn->rn_n[RM_ZOMBIES] > 0;
}

static bool
rv_processes(const struct report_run *rn, int64_t *v)
{
	*v = rn->rn_sum[RM_PROCESSES];
	return rn->rn_n[RM_PROCESSES] > 0;
}

static bool
rv_duration(const struct report_run *rn, int64_t *v)
{
	*v = rn->rn_duration_ms;
	return rn->rn_duration_ms >= 0;
}

static bool
rv_answered(const struct report_run *rn, int64_t *v)
{
	*v = rn->rn_ok;
	return rn->rn_targets > 0;
}

static bool
rv_failed(const struct report_run *rn, int64_t *v)
{
	*v = (int64_t)rn->rn_timeout + rn->rn_error;
	return rn->rn_targets > 0;
}

/* The series of points (bucket values) and their count with a value. */
static size_t
html_buckets(const struct report *r, run_value get, int64_t *vals,
    size_t np)
{
	size_t i, b, have = 0;
	int64_t v;

	for (i = 0; i < np; i++)
		vals[i] = REPORT_SPARK_EMPTY;
	for (i = 0; i < r->r_nruns; i++) {
		if (!get(&r->r_runs[i], &v))
			continue;
		b = report_bucket(i, r->r_nruns, np);
		if (vals[b] == REPORT_SPARK_EMPTY)
			have++;
		if (v > vals[b])
			vals[b] = v;
	}
	return have;
}

/* The value range drawn: from 0 (counts of trouble) or from the lowest. */
static void
html_range(const int64_t *vals, size_t n, bool zero, int64_t *lo,
    int64_t *hi)
{
	bool first = true;
	size_t i;

	*lo = *hi = 0;
	for (i = 0; i < n; i++) {
		if (vals[i] == REPORT_SPARK_EMPTY)
			continue;
		if (first || vals[i] > *hi)
			*hi = vals[i];
		if (first || vals[i] < *lo)
			*lo = vals[i];
		first = false;
	}
	if (zero && *lo > 0)
		*lo = 0;
	if (*hi <= *lo)
		*hi = *lo + 1;
}

/*
 * Draw the points in the box (x, y, w, h): one polyline per run of
 * consecutive points with a value, and a dot where a run is one point
 * long, so a gap (no host answered) shows as a gap.
 */
static void
html_series(FILE *fp, const int64_t *vals, size_t n, double x, double y,
    double w, double h, bool zero, const char *cls)
{
	int64_t lo, hi;
	double px = 0, py = 0;
	size_t i, start;

	html_range(vals, n, zero, &lo, &hi);
	for (i = 0; i < n; i = start) {
		while (i < n && vals[i] == REPORT_SPARK_EMPTY)
			i++;
		if (i == n)
			break;
		fprintf(fp, "<polyline class=\"%s\" points=\"", cls);
		for (start = i; start < n && vals[start] != REPORT_SPARK_EMPTY;
		    start++) {
			px = x + (n == 1 ? w / 2 : w * (double)start /
			    (double)(n - 1));
			py = y + h * (double)(hi - vals[start]) /
			    (double)(hi - lo);
			fprintf(fp, "%s%.1f,%.1f", start == i ? "" : " ", px,
			    py);
		}
		fputs("\"/>", fp);
		if (start == i + 1)
			fprintf(fp, "<circle class=\"%s\" cx=\"%.1f\" "
			    "cy=\"%.1f\" r=\"2.5\"/>", cls, px, py);
	}
}

/*
 * A full-width chart of one per-run value, or a sentence if it has none.
 * vals has room for REPORT_CHART_POINTS values.
 */
static void
html_chart(FILE *fp, const struct report *r, int64_t *vals, const char *id,
    const char *caption, run_value get, bool zero, const char *cls,
    const char *none)
{
	size_t np = report_points(r->r_nruns, REPORT_CHART_POINTS), have;
	double pw = CH_W - CH_LEFT - CH_RIGHT, ph = CH_H - CH_TOP - CH_BOTTOM;
	char from[32], to[32], top[48], bottom[48];
	int64_t lo, hi;

	fprintf(fp, "<figure><figcaption>%s</figcaption>\n", caption);
	if (np == 0 || (have = html_buckets(r, get, vals, np)) == 0) {
		fprintf(fp, "<p class=\"empty\">%s</p></figure>\n", none);
		return;
	}
	html_range(vals, np, zero, &lo, &hi);
	report_num(hi, false, top, sizeof(top));
	report_num(lo, false, bottom, sizeof(bottom));
	report_range(r, from, to, sizeof(from));
	fprintf(fp, "<svg class=\"chart\" data-chart=\"%s\" data-runs=\"%zu\" "
	    "data-points=\"%zu\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"%s\">", id, r->r_nruns, have, CH_W, CH_H, caption);
	fprintf(fp, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/><line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>", CH_LEFT, CH_TOP, CH_W - CH_RIGHT, CH_TOP, CH_LEFT,
	    CH_H - CH_BOTTOM, CH_W - CH_RIGHT, CH_H - CH_BOTTOM);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
	    CH_LEFT - 6, CH_TOP + 4, top, CH_LEFT - 6, CH_H - CH_BOTTOM + 4,
	    bottom);
	fprintf(fp, "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" "
	    "y=\"%d\" text-anchor=\"end\">%s</text>", CH_LEFT, CH_H - 6, from,
	    CH_W - CH_RIGHT, CH_H - 6, to);
	html_series(fp, vals, np, CH_LEFT, CH_TOP, pw, ph, zero, cls);
	fputs("</svg></figure>\n", fp);
}

static void
html_spark(FILE *fp, const struct report *r, const int64_t *vals,
    bool zero, const char *cls, const char *id)
{
	size_t i, have = 0;

	for (i = 0; i < r->r_spark_points; i++)
		if (vals[i] != REPORT_SPARK_EMPTY)
			have++;
	fprintf(fp, "<svg class=\"spark\" data-spark=\"%s\" "
	    "data-points=\"%zu\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"%s\">", id, have, SP_W, SP_H, id);
	html_series(fp, vals, r->r_spark_points, 2, 3, SP_W - 4, SP_H - 6,
	    zero, cls);
	fputs("</svg>", fp);
}

static void
html_tile(FILE *fp, const char *label, int64_t v, bool bad)
{
	fprintf(fp, "<div class=\"tile%s\"><b>", bad ? " bad" : "");
	html_num(fp, v, false);
	fprintf(fp, "</b>%s</div>", label);
}

static void
html_host_cell(FILE *fp, const struct report_host *h)
{
	fputs("<td><b>", fp);
	html_str(fp, h->rh_name);
	fputs("</b><div class=\"sub\">", fp);
	html_str(fp, h->rh_host);
	fprintf(fp, ":%d", h->rh_port);
	if (h->rh_sysname.rb_p != NULL && h->rh_sysname.rb_len > 0) {
		fputs(" &#xB7; ", fp);
		html_bytes(fp, h->rh_sysname.rb_p, h->rh_sysname.rb_len,
		    h->rh_sysname.rb_cut, REPORT_TEXT_CHARS);
	}
	fputs("</div></td>", fp);
}

/* Last minus first; coloured when growth is trouble (zombies). */
static void
html_trend(FILE *fp, const struct report_series *s, bool colour)
{
	int64_t d;

	if (!s->rs_has || __builtin_sub_overflow(s->rs_last, s->rs_first, &d))
		d = 0;
	fprintf(fp, "<td class=\"n%s\">", !colour ? "" : d > 0 ? " bad" :
	    d < 0 ? " good" : "");
	fputs(d > 0 ? "&#x25B2; " : d < 0 ? "&#x25BC; " : "", fp);
	html_num(fp, d, true);
	fputs("</td>", fp);
}

static void
html_header(FILE *fp, const struct report *r)
{
	char from[32], to[32], now[32];

	report_range(r, from, to, sizeof(from));
	report_ms_time(r->r_now_ms, now, sizeof(now));
	/* No script, no request of any kind: the browser enforces it too. */
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">\n<meta http-equiv=\""
	    "Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n", fp);
	fprintf(fp, "<title>proctel fleet report %s to %s</title>\n<style>%s"
	    "</style></head>\n<body>\n<header><h1>proctel fleet report</h1>\n",
	    from, to, html_style);
	if (r->r_nruns == 0)
		fputs("<p class=\"meta\">No runs in this window.", fp);
	else
		fprintf(fp, "<p class=\"meta\">From <time>%s</time> to <time>%s"
		    "</time> (UTC): %zu runs, %zu targets.", from, to,
		    r->r_nruns, r->r_nhosts);
	if (r->r_runs_before > 0)
		fprintf(fp, " %zu older runs are outside the window (--since).",
		    r->r_runs_before);
	fprintf(fp, "</p>\n<p class=\"note\">History <code>");
	html_str(fp, r->r_db);
	fprintf(fp, "</code>, read at <time>%s</time>. ", now);
	if (r->r_nruns > REPORT_CHART_POINTS)
		fprintf(fp, "Charts: %d points, each the maximum over about "
		    "%zu runs. ", REPORT_CHART_POINTS,
		    (r->r_nruns + REPORT_CHART_POINTS - 1) /
		    REPORT_CHART_POINTS);
	else
		fputs("Charts: one point per run. ", fp);
	if (r->r_nruns > REPORT_SPARK_POINTS)
		fprintf(fp, "Sparklines: %d points, each the maximum over "
		    "about %zu runs. ", REPORT_SPARK_POINTS,
		    (r->r_nruns + REPORT_SPARK_POINTS - 1) /
		    REPORT_SPARK_POINTS);
	fprintf(fp, "Lists are cut to the %zu worst hosts, the %d biggest "
	    "parents and the %zu longest-silent targets.</p></header>\n",
	    r->r_top, REPORT_PARENTS_SHOWN, r->r_top);
}

static void
html_fleet(FILE *fp, const struct report *r, int64_t *scratch)
{
	const struct report_run *last = &r->r_runs[r->r_nruns - 1];
	int64_t peak = 0;
	size_t i;

	for (i = 0; i < r->r_nruns; i++)
		if (r->r_runs[i].rn_sum[RM_ZOMBIES] > peak)
			peak = r->r_runs[i].rn_sum[RM_ZOMBIES];
	fputs("<section id=\"fleet\"><h2>Fleet</h2>\n<div class=\"tiles\">",
	    fp);
	html_tile(fp, "zombies in the last run", last->rn_sum[RM_ZOMBIES],
	    last->rn_sum[RM_ZOMBIES] > 0);
	html_tile(fp, "zombies at the peak", peak, false);
	html_tile(fp, "hosts holding zombies", (int64_t)r->r_with_zombies,
	    r->r_with_zombies > 0);
	html_tile(fp, "processes in the last run",
	    last->rn_sum[RM_PROCESSES], false);
	html_tile(fp, "targets not answering", (int64_t)r->r_nsilent,
	    r->r_nsilent > 0);
	fputs("</div>\n", fp);
	html_chart(fp, r, scratch, "fleet-zombies", "Zombies over time (sum "
	    "over the hosts that answered)", rv_zombies, true, "z",
	    "No host answered in this window: nothing to draw.");
	html_chart(fp, r, scratch, "fleet-processes", "Processes over time "
	    "(sum over the hosts that answered)", rv_processes, false, "p",
	    "No host answered in this window: nothing to draw.");
	fputs("</section>\n", fp);
}

static void
html_parents(FILE *fp, const struct report *r)
{
	const struct report_parent *p;
	size_t i, n;
	char t[32], age[32];

	fputs("<section id=\"parents\"><h2>Parents holding zombies</h2>\n", fp);
	if (r->r_ncurrent == 0) {
		fprintf(fp, "<p class=\"empty\">%s</p></section>\n",
		    r->r_walked ? "No parent held zombies at its host's last "
		    "answer." : "The zombie parent table is not in this "
		    "history: add <code>{name: zombie_parents, oid: "
		    "1.3.6.1.4.1.8072.9999.9999.1.1.4.1}</code> to the "
		    "config's <code>tables</code>.");
		return;
	}
	n = r->r_ncurrent < REPORT_PARENTS_SHOWN ? r->r_ncurrent :
	    REPORT_PARENTS_SHOWN;
	fprintf(fp, "<p class=\"note\">At each host's last answer; %zu of %zu "
	    "parents shown, most zombies first.", n, r->r_ncurrent);
	if (r->r_nparents > r->r_ncurrent)
		fprintf(fp, " %zu more held zombies earlier in the window.",
		    r->r_nparents - r->r_ncurrent);
	if (r->r_parents_cut)
		fprintf(fp, " Only the first %d parents of the window were "
		    "tracked.", REPORT_PARENTS_MAX);
	fputs("</p>\n<table><thead><tr><th>Host</th><th class=\"n\">Parent "
	    "pid</th><th>Name</th><th class=\"n\">Zombies</th><th class=\"n\">"
	    "Oldest</th><th>First seen</th></tr></thead><tbody>\n", fp);
	for (i = 0; i < n; i++) {
		p = &r->r_parents[i];
		fputs("<tr>", fp);
		html_host_cell(fp, &r->r_hosts[p->rp_host]);
		fputs("<td class=\"n\">", fp);
		html_str(fp, p->rp_pid);
		fputs("</td><td><b>", fp);
		html_bytes(fp, p->rp_name.rb_p, p->rp_name.rb_len,
		    p->rp_name.rb_cut, REPORT_TEXT_CHARS);
		fputs("</b></td><td class=\"n bad\">", fp);
		html_num(fp, p->rp_zombies, false);
		report_age(p->rp_oldest_s, age, sizeof(age));
		report_time(r, p->rp_first, t, sizeof(t));
		fprintf(fp, "</td><td class=\"n\">%s</td><td class=\"t\">%s%s"
		    "</td></tr>\n", age, p->rp_first == 0 &&
		    r->r_runs_before > 0 ? "&#x2264; " : "", t);
	}
	fputs("</tbody></table></section>\n", fp);
}

static void
html_hosts(FILE *fp, const struct report *r)
{
	const struct report_host *h;
	size_t i, n;
	char t[32];

	fputs("<section id=\"hosts\"><h2>Hosts, worst first</h2>\n", fp);
	if (r->r_nranked == 0) {
		fputs("<p class=\"empty\">No host answered in this window."
		    "</p></section>\n", fp);
		return;
	}
	n = r->r_nranked < r->r_top ? r->r_nranked : r->r_top;
	fprintf(fp, "<p class=\"note\">%zu of %zu hosts that answered, by "
	    "zombies at their last answer, then growth (last minus first "
	    "value in the window), peak, and process growth.</p>\n", n,
	    r->r_nranked);
	fputs("<table><thead><tr><th class=\"n\">#</th><th>Host</th>"
	    "<th class=\"n\">Zombies</th><th class=\"n\">Trend</th>"
	    "<th class=\"n\">Peak</th><th>Zombies over time</th>"
	    "<th class=\"n\">Processes</th><th class=\"n\">Trend</th>"
	    "<th>Processes over time</th><th>Last poll</th></tr></thead>"
	    "<tbody>\n", fp);
	for (i = 0; i < n; i++) {
		h = &r->r_hosts[r->r_rank[i]];
		fprintf(fp, "<tr><td class=\"n\">%zu</td>", i + 1);
		html_host_cell(fp, h);
		fprintf(fp, "<td class=\"n%s\">",
		    h->rh_s[RM_ZOMBIES].rs_last > 0 ? " bad" : "");
		html_num(fp, h->rh_s[RM_ZOMBIES].rs_last, false);
		fputs("</td>", fp);
		html_trend(fp, &h->rh_s[RM_ZOMBIES], true);
		fputs("<td class=\"n\">", fp);
		html_num(fp, h->rh_s[RM_ZOMBIES].rs_max, false);
		fputs("</td><td>", fp);
		html_spark(fp, r, h->rh_spark[RM_ZOMBIES], true, "z",
		    "zombies");
		fputs("</td><td class=\"n\">", fp);
		html_num(fp, h->rh_s[RM_PROCESSES].rs_last, false);
		fputs("</td>", fp);
		html_trend(fp, &h->rh_s[RM_PROCESSES], false);
		fputs("<td>", fp);
		html_spark(fp, r, h->rh_spark[RM_PROCESSES], false, "p",
		    "processes");
		if (h->rh_status == RS_OK)
			fputs("</td><td class=\"good\">ok</td></tr>\n", fp);
		else {
			report_time(r, h->rh_last_ok, t, sizeof(t));
			fprintf(fp, "</td><td class=\"bad\">%s, last answer "
			    "%s</td></tr>\n", report_status_name(h->rh_status),
			    t);
		}
	}
	fputs("</tbody></table></section>\n", fp);
}

static void
html_silent(FILE *fp, const struct report *r)
{
	const struct report_host *h;
	size_t i, n;
	char t[32], from[32];

	fputs("<section id=\"silent\"><h2>Targets that stopped answering"
	    "</h2>\n", fp);
	if (r->r_nsilent == 0) {
		fputs("<p class=\"empty\">Every target answered its last poll."
		    "</p></section>\n", fp);
		return;
	}
	n = r->r_nsilent < r->r_top ? r->r_nsilent : r->r_top;
	fprintf(fp, "<p class=\"note\">%zu of %zu targets whose last poll "
	    "failed, longest silent first.</p>\n", n, r->r_nsilent);
	fputs("<table><thead><tr><th>Target</th><th>Status</th><th>Last good "
	    "run</th><th class=\"n\">Failed polls since</th><th>Error</th>"
	    "</tr></thead><tbody>\n", fp);
	report_time(r, 0, from, sizeof(from));
	for (i = 0; i < n; i++) {
		h = &r->r_hosts[r->r_silent[i]];
		fputs("<tr>", fp);
		html_host_cell(fp, h);
		report_time(r, h->rh_last_ok, t, sizeof(t));
		fprintf(fp, "<td class=\"bad\">%s</td><td class=\"t\">",
		    report_status_name(h->rh_status));
		if (h->rh_last_ok != REPORT_NONE)
			fputs(t, fp);
		else if (r->r_runs_before > 0)
			fprintf(fp, "none since %s", from);
		else
			fputs("never", fp);
		fprintf(fp, "</td><td class=\"n\">%zu</td><td>", h->rh_fails);
		html_bytes(fp, h->rh_error.rb_p, h->rh_error.rb_len,
		    h->rh_error.rb_cut, REPORT_TEXT_CHARS);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table></section>\n", fp);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* d has room for r_nruns values. */
static void
html_health_tiles(FILE *fp, const struct report *r, int64_t *d)
{
	int64_t bad = 0;
	size_t i, n = 0;

	for (i = 0; i < r->r_nruns; i++) {
		if (r->r_runs[i].rn_duration_ms >= 0)
			d[n++] = r->r_runs[i].rn_duration_ms;
		if (r->r_runs[i].rn_ok < r->r_runs[i].rn_targets)
			bad++;
	}
	fputs("<div class=\"tiles\">", fp);
	html_tile(fp, "runs", (int64_t)r->r_nruns, false);
	html_tile(fp, "runs where a target did not answer", bad, bad > 0);
	if (n > 0) {
		qsort(d, n, sizeof(*d), cmp_i64);
		html_tile(fp, "ms, median run", d[n / 2], false);
		html_tile(fp, "ms, slowest run", d[n - 1], false);
	}
	fputs("</div>\n", fp);
}

static void
html_health(FILE *fp, const struct report *r, int64_t *scratch)
{
	const struct report_run *rn;
	size_t i, n;
	char t[32];

	fputs("<section id=\"health\"><h2>Collector health</h2>\n", fp);
	html_health_tiles(fp, r, scratch);
	html_chart(fp, r, scratch, "run-duration", "Run duration, ms (start "
	    "to the history write)", rv_duration, true, "d", r->r_has_stats ?
	    "No run recorded its duration." : "This history predates "
	    "run_stats (schema version 1): durations were not recorded.");
	html_chart(fp, r, scratch, "run-answered", "Targets answered per run",
	    rv_answered, true, "a", "No polls recorded.");
	html_chart(fp, r, scratch, "run-failed", "Targets timed out or in "
	    "error per run", rv_failed, true, "x", "No polls recorded.");
	n = r->r_nruns < REPORT_RUNS_SHOWN ? r->r_nruns : REPORT_RUNS_SHOWN;
	fprintf(fp, "<p class=\"note\">The %zu newest runs.</p>\n", n);
	fputs("<table><thead><tr><th>Run</th><th class=\"n\">Duration ms</th>"
	    "<th class=\"n\">Targets</th><th class=\"n\">Answered</th>"
	    "<th class=\"n\">Timeouts</th><th class=\"n\">Errors</th>"
	    "<th class=\"n\">Slowest answer ms</th></tr></thead><tbody>\n", fp);
	for (i = 0; i < n; i++) {
		rn = &r->r_runs[r->r_nruns - 1 - i];
		report_time(r, r->r_nruns - 1 - i, t, sizeof(t));
		fprintf(fp, "<tr><td class=\"t\">%s</td><td class=\"n\">", t);
		if (rn->rn_duration_ms >= 0)
			html_num(fp, rn->rn_duration_ms, false);
		else
			fputs("-", fp);
		fprintf(fp, "</td><td class=\"n\">%" PRIu32 "</td><td "
		    "class=\"n\">%" PRIu32 "</td><td class=\"n%s\">%" PRIu32
		    "</td><td class=\"n%s\">%" PRIu32 "</td><td class=\"n\">"
		    "%.1f</td></tr>\n", rn->rn_targets, rn->rn_ok,
		    rn->rn_timeout > 0 ? " bad" : "", rn->rn_timeout,
		    rn->rn_error > 0 ? " bad" : "", rn->rn_error,
		    rn->rn_slowest_ms);
	}
	fputs("</tbody></table></section>\n", fp);
}

int
report_write_html(const struct report *r, FILE *fp)
{
	int64_t *scratch = NULL;
	char now[32];
	size_t n;

	/* The charts' points and the runs' durations, allocated once. */
	n = r->r_nruns > REPORT_CHART_POINTS ? r->r_nruns : REPORT_CHART_POINTS;
	if (r->r_nruns > 0 && (scratch = calloc(n, sizeof(*scratch))) == NULL)
		return -1;
	html_header(fp, r);
	if (r->r_nruns == 0) {
		fputs("<section id=\"empty\"><h2>Nothing recorded yet</h2>\n"
		    "<p class=\"empty\">The history holds no runs in this "
		    "window. Run <code>proctel-collector --once</code> (or "
		    "<code>--daemon</code>) with this history as its sqlite "
		    "output, or widen <code>--since</code>.</p></section>\n",
		    fp);
	} else {
		html_fleet(fp, r, scratch);
		html_parents(fp, r);
		html_hosts(fp, r);
		html_silent(fp, r);
		html_health(fp, r, scratch);
	}
	report_ms_time(r->r_now_ms, now, sizeof(now));
	fprintf(fp, "<footer><p class=\"note\">Made by <code>proctel-collector "
	    "report</code> at %s. Times are UTC, ISO 8601. No script and no "
	    "request: this page reads the same offline.</p></footer>\n"
	    "</body></html>\n", now);
	free(scratch);
	return ferror(fp) ? -1 : 0;
}
