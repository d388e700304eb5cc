/*
 * sink_jsonl: JSON Lines, one object per target per run, appended to a file
 * or written to standard output ("-").  The record is DESIGN.md's:
 *
 *   {"time":"2026-11-23T10:00:00Z","target":"local","host":"127.0.0.1",
 *    "port":16161,"labels":{"role":"demo"},"status":"ok","attempts":1,
 *    "latency_ms":0.4,"values":{"zombies":3},"tables":{"zombie_parents":
 *    [{"index":"812","ptZpName":"bash","ptZpZombies":3}]}}
 *
 * "labels" only when the target has labels, "error" (after "status") only
 * when the poll left a message, "tables" only when tables are configured.
 * Values that are absent (noSuchObject and the like) are omitted; integers
 * are JSON integers over the whole 64-bit range, strings are escaped as
 * json.h says.  latency_ms has microsecond precision.  The whole run is
 * built in memory and written with one flush, so a reader never sees half
 * a run unless the disk fills (then the file is cut back).
 */
#include <stdlib.h>
#include <string.h>

#include "collector/json.h"
#include "collector/sink_impl.h"
#include "lib/clock.h"

struct jsonl {
	FILE		*jl_fp;
	int		 jl_stdout;
	struct json_buf	 jl_buf;
};

static int
jsonl_open(struct sink *s, char *err, size_t errlen)
{
	struct jsonl *jl;

	if ((jl = calloc(1, sizeof(*jl))) == NULL) {
		sink_err(err, errlen, "jsonl %s: out of memory", s->sk_path);
		return -1;
	}
	json_buf_init(&jl->jl_buf);
	s->sk_priv = jl;
	jl->jl_fp = sink_open_append(s->sk_path, &jl->jl_stdout, err, errlen);
	return jl->jl_fp == NULL ? -1 : 0;
}

static const char *
jsonl_status(enum sample_status st)
{
	switch (st) {
	case SAMPLE_OK:
		return "ok";
	case SAMPLE_TIMEOUT:
		return "timeout";
	case SAMPLE_ERROR:
	default:
		return "error";
	}
}

/* Write "name":value for one present value; returns 0 when omitted. */
static int
jsonl_value(struct json_buf *jb, const struct sample_value *v, int first)
{
	if (v->sv_kind != SV_INT && v->sv_kind != SV_UINT &&
	    v->sv_kind != SV_STRING)
		return 0;
	if (!first)
		json_raw(jb, ",", 1);
	json_key(jb, v->sv_name != NULL ? v->sv_name : "");
	switch (v->sv_kind) {
	case SV_INT:
		json_i64(jb, v->sv_int);
		break;
	case SV_UINT:
		json_u64(jb, v->sv_uint);
		break;
	default:
		json_str(jb, v->sv_str != NULL ? v->sv_str : "",
		    v->sv_str != NULL ? v->sv_len : 0);
		break;
	}
	return 1;
}

static void
jsonl_tables(struct json_buf *jb, const struct sample *sa)
{
	const struct sample_table *t;
	const struct sample_row *r;
	size_t i, j, k;
	int first;

	json_lit(jb, ",\"tables\":{");
	for (i = 0; i < sa->sa_ntables; i++) {
		t = &sa->sa_tables[i];
		if (i > 0)
			json_raw(jb, ",", 1);
		json_key(jb, t->st_name != NULL ? t->st_name : "");
		json_raw(jb, "[", 1);
		for (j = 0; j < t->st_nrows; j++) {
			r = &t->st_rows[j];
			if (j > 0)
				json_raw(jb, ",", 1);
			json_lit(jb, "{\"index\":");
			json_cstr(jb, r->sr_index != NULL ? r->sr_index : "");
			first = 0;
			for (k = 0; k < r->sr_ncols; k++)
				jsonl_value(jb, &r->sr_cols[k], first);
			json_raw(jb, "}", 1);
		}
		json_raw(jb, "]", 1);
	}
	json_raw(jb, "}", 1);
}

/* Append the record of one sample, newline included. */
static void
jsonl_record(struct json_buf *jb, const struct sample *sa)
{
	const struct cfg_target *tg = sa->sa_target;
	char when[32];
	size_t i;
	int first;

	if (clock_iso8601(sa->sa_time_ms, when, sizeof(when)) == -1)
		when[0] = '\0';
	json_lit(jb, "{\"time\":");
	json_cstr(jb, when);
	json_lit(jb, ",\"target\":");
	json_cstr(jb, tg->ct_name != NULL ? tg->ct_name : "");
	json_lit(jb, ",\"host\":");
	json_cstr(jb, tg->ct_host != NULL ? tg->ct_host : "");
	json_lit(jb, ",\"port\":");
	json_u64(jb, tg->ct_opts.to_port);
	if (tg->ct_nlabels > 0) {
		json_lit(jb, ",\"labels\":{");
		for (i = 0; i < tg->ct_nlabels; i++) {
			if (i > 0)
				json_raw(jb, ",", 1);
			json_key(jb, tg->ct_labels[i].cl_key);
			json_cstr(jb, tg->ct_labels[i].cl_value);
		}
		json_raw(jb, "}", 1);
	}
	json_lit(jb, ",\"status\":");
	json_cstr(jb, jsonl_status(sa->sa_status));
	if (sa->sa_error != NULL) {
		json_lit(jb, ",\"error\":");
		json_cstr(jb, sa->sa_error);
	}
	json_lit(jb, ",\"attempts\":");
	json_u64(jb, sa->sa_attempts);
	json_lit(jb, ",\"latency_ms\":");
	json_fixed(jb, sa->sa_latency_ms, 3);
	json_lit(jb, ",\"values\":{");
	first = 1;
	for (i = 0; i < sa->sa_nvalues; i++)
		if (jsonl_value(jb, &sa->sa_values[i], first))
			first = 0;
	json_raw(jb, "}", 1);
	if (sa->sa_ntables > 0)
		jsonl_tables(jb, sa);
	json_lit(jb, "}\n");
}

static int
jsonl_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	struct jsonl *jl = s->sk_priv;
	size_t i;

	json_buf_reset(&jl->jl_buf);
	for (i = 0; i < n; i++)
		jsonl_record(&jl->jl_buf, &samples[i]);
	if (jl->jl_buf.jb_failed) {
		sink_err(err, errlen, "jsonl %s: out of memory", s->sk_path);
		return -1;
	}
	return sink_write_flush(jl->jl_fp, jl->jl_stdout, jl->jl_buf.jb_data,
	    jl->jl_buf.jb_len, s->sk_path, err, errlen);
}

static void
jsonl_close(struct sink *s)
{
	struct jsonl *jl = s->sk_priv;

	if (jl == NULL)
		return;
	if (jl->jl_fp != NULL) {
		if (jl->jl_stdout)
			(void)fflush(jl->jl_fp);
		else
			(void)fclose(jl->jl_fp);
	}
	json_buf_free(&jl->jl_buf);
	free(jl);
	s->sk_priv = NULL;
}

const struct sink_ops sink_jsonl_ops = {
	.so_name = "jsonl",
	.so_open = jsonl_open,
	.so_write_run = jsonl_write_run,
	.so_close = jsonl_close,
};
