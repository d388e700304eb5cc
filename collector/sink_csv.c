/*
 * sink_csv: CSV in long format, one line per target, metric and run:
 *
 *   time,target,host,port,status,attempts,latency_ms,metric,value
 *
 * RFC 4180: lines end in CRLF, a field holding a comma, a quote, CR or LF is
 * quoted with inner quotes doubled.  The header is written when the file is
 * new or empty (for "-", before the first run).  A target without any
 * present value (timeout, error, all absent) still gets one line with empty
 * metric and value, so its status is kept.  Table cells are written as
 * metric "<table>.<column>.<index>".  Labels are not written (the columns
 * are fixed); use jsonl or sqlite for them.
 *
 * Text fields (target, host, metric, and string values) are exact, and a
 * spreadsheet never runs them (OWASP's CSV injection rule, ASVS 1.2.10):
 *   - text that starts with = + - @ TAB CR LF or ' gets one ' in front, so
 *     a spreadsheet shows it as text;
 *   - text holding NUL or bytes that are not UTF-8 is written as '\x and
 *     its bytes in lowercase hex;
 *   - anything else is written as it is.
 * A reader gets the bytes back with one rule: a field that starts with
 * '\x is hex; else a field that starts with ' loses that one '; else it is
 * the text.  Numbers we write (port, attempts, latency_ms, integer values,
 * time) are never changed.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collector/json.h"
#include "collector/sink_impl.h"
#include "lib/clock.h"

#define CSV_HEADER \
	"time,target,host,port,status,attempts,latency_ms,metric,value\r\n"

struct csv {
	struct sink_text cv_tx;		/* cv_tx.tx_buf holds the run */
	int		 cv_need_header;
	struct json_buf	 cv_prefix;	/* the first seven fields of a sample */
};

static int
csv_open(struct sink *s, char *err, size_t errlen)
{
	struct csv *cv;
	struct stat st;

	if ((cv = calloc(1, sizeof(*cv))) == NULL) {
		sink_err(err, errlen, "csv %s: out of memory", s->sk_path);
		return -1;
	}
	json_buf_init(&cv->cv_prefix);
	s->sk_priv = cv;
	if (sink_text_open(s, &cv->cv_tx, err, errlen) == -1)
		return -1;
	cv->cv_need_header = cv->cv_tx.tx_stdout ||
	    (fstat(fileno(cv->cv_tx.tx_fp), &st) == 0 && st.st_size == 0);
	return 0;
}

/* OWASP's formula openers, NUL aside (it goes to hex), LF, and our '. */
static int
csv_opener(unsigned char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r' || c == '\n' || c == '\'';
}

/* Append one text field by the rule above, quoted per RFC 4180 2.6-2.7. */
static void
csv_field(struct json_buf *jb, const char *s, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char pair[2];
	size_t i, start;
	int quote = 0;

	if (!json_utf8_valid(s, len)) {
		json_raw(jb, "'\\x", 3);
		for (i = 0; i < len; i++) {
			pair[0] = digits[(unsigned char)s[i] >> 4];
			pair[1] = digits[(unsigned char)s[i] & 0xf];
			json_raw(jb, pair, 2);
		}
		return;
	}
	for (i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n';
	if (quote)
		json_raw(jb, "\"", 1);
	if (len > 0 && csv_opener((unsigned char)s[0]))
		json_raw(jb, "'", 1);
	for (start = 0, i = 0; i < len; i++) {
		if (s[i] != '"')
			continue;
		json_raw(jb, s + start, i + 1 - start);
		json_raw(jb, "\"", 1);
		start = i + 1;
	}
	json_raw(jb, s + start, len - start);
	if (quote)
		json_raw(jb, "\"", 1);
}

static void
csv_cfield(struct json_buf *jb, const char *s)
{
	if (s != NULL)
		csv_field(jb, s, strlen(s));
}

static void
csv_prefix(struct json_buf *jb, const struct sample *sa)
{
	const struct cfg_target *tg = sa->sa_target;
	char when[32];

	json_buf_reset(jb);
	if (clock_iso8601(sa->sa_time_ms, when, sizeof(when)) == -1)
		when[0] = '\0';
	json_lit(jb, when);
	json_raw(jb, ",", 1);
	csv_cfield(jb, tg->ct_name);
	json_raw(jb, ",", 1);
	csv_cfield(jb, tg->ct_host);
	json_raw(jb, ",", 1);
	json_u64(jb, tg->ct_opts.to_port);
	json_raw(jb, ",", 1);
	json_lit(jb, sink_status_name(sa->sa_status));
	json_raw(jb, ",", 1);
	json_u64(jb, sa->sa_attempts);
	json_raw(jb, ",", 1);
	/* Not finite (never, from the engine): an empty field. */
	json_raw(jb, when, json_fmt_fixed(when, sizeof(when),
	    sa->sa_latency_ms, 3));
	json_raw(jb, ",", 1);
}

/* One line: prefix, metric name (already built), value. */
static int
csv_line(struct json_buf *out, const struct json_buf *prefix,
    const char *metric, size_t mlen, const struct sample_value *v)
{
	if (v != NULL && v->sv_kind != SV_INT && v->sv_kind != SV_UINT &&
	    v->sv_kind != SV_STRING)
		return 0;
	json_raw(out, prefix->jb_data, prefix->jb_len);
	csv_field(out, metric, mlen);
	json_raw(out, ",", 1);
	if (v != NULL) {
		switch (v->sv_kind) {
		case SV_INT:
			json_i64(out, v->sv_int);
			break;
		case SV_UINT:
			json_u64(out, v->sv_uint);
			break;
		default:
			csv_field(out, v->sv_str != NULL ? v->sv_str : "",
			    v->sv_str != NULL ? v->sv_len : 0);
			break;
		}
	}
	json_raw(out, "\r\n", 2);
	return 1;
}

static int
csv_table_cells(struct json_buf *out, const struct json_buf *prefix,
    const struct sample_table *t, struct json_buf *name)
{
	const struct sample_row *r;
	size_t j, k;
	int lines = 0;

	for (j = 0; j < t->st_nrows; j++) {
		r = &t->st_rows[j];
		for (k = 0; k < r->sr_ncols; k++) {
			json_buf_reset(name);
			json_lit(name, t->st_name != NULL ? t->st_name : "");
			json_raw(name, ".", 1);
			json_lit(name, r->sr_cols[k].sv_name != NULL ?
			    r->sr_cols[k].sv_name : "");
			json_raw(name, ".", 1);
			json_lit(name, r->sr_index != NULL ? r->sr_index : "");
			if (name->jb_failed)
				return -1;
			lines += csv_line(out, prefix, name->jb_data,
			    name->jb_len, &r->sr_cols[k]);
		}
	}
	return lines;
}

static int
csv_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	struct csv *cv = s->sk_priv;
	struct json_buf *out = &cv->cv_tx.tx_buf, name;
	const struct sample *sa;
	const char *m;
	size_t i, j;
	int lines, r;

	json_buf_init(&name);
	sink_text_begin(&cv->cv_tx);
	if (cv->cv_need_header)
		json_lit(out, CSV_HEADER);
	for (i = 0; i < n; i++) {
		sa = &samples[i];
		csv_prefix(&cv->cv_prefix, sa);
		if (cv->cv_prefix.jb_failed)
			out->jb_failed = 1;
		lines = 0;
		for (j = 0; j < sa->sa_nvalues; j++) {
			m = sa->sa_values[j].sv_name != NULL ?
			    sa->sa_values[j].sv_name : "";
			lines += csv_line(out, &cv->cv_prefix, m, strlen(m),
			    &sa->sa_values[j]);
		}
		for (j = 0; j < sa->sa_ntables; j++) {
			if ((r = csv_table_cells(out, &cv->cv_prefix,
			    &sa->sa_tables[j], &name)) < 0)
				out->jb_failed = 1;
			else
				lines += r;
		}
		if (lines == 0)
			csv_line(out, &cv->cv_prefix, "", 0, NULL);
	}
	json_buf_free(&name);
	if (sink_text_flush(s, &cv->cv_tx, err, errlen) == -1)
		return -1;
	cv->cv_need_header = 0;
	return 0;
}

static void
csv_close(struct sink *s)
{
	struct csv *cv = s->sk_priv;

	if (cv == NULL)
		return;
	sink_text_close(&cv->cv_tx);
	json_buf_free(&cv->cv_prefix);
	free(cv);
	s->sk_priv = NULL;
}

const struct sink_ops sink_csv_ops = {
	.so_name = "csv",
	.so_open = csv_open,
	.so_write_run = csv_write_run,
	.so_close = csv_close,
};
