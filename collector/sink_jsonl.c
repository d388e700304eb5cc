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
 * are JSON integers over the whole 64-bit range.  latency_ms has
 * microsecond precision.
 *
 * Strings are exact, and no two byte strings are written alike: a value
 * whose bytes are valid UTF-8 (NUL and control characters included) is a
 * JSON string that reads back as those bytes; a value whose bytes are not
 * UTF-8 is written as null, and its bytes, in lowercase hex, go to
 * "values_hex": {"sysName": "fffe"} after "values", or, in a table row, to
 * "hex": {"ptProcName": "ff41"} after the row's columns (no column is
 * named hex: columns have MIB names or numbers).  So a reader takes a
 * string as it is, and looks in the hex member for any null.
 *
 * A run streams to the file (sink_text, SINK_SPILL_BYTES at a time); a run
 * that fails to write is cut off again, so the file keeps whole runs.
 */
#include <stdlib.h>
#include <string.h>

#include "collector/json.h"
#include "collector/sink_impl.h"

/* A string value json_str() cannot write exactly: null, and hex beside. */
static int
jsonl_needs_hex(const struct sample_value *v)
{
	return v->sv_kind == SV_STRING && v->sv_str != NULL &&
	    !json_text_ok(v->sv_str, v->sv_len);
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
		if (jsonl_needs_hex(v))
			json_lit(jb, "null");
		else
			json_str(jb, v->sv_str != NULL ? v->sv_str : "",
			    v->sv_str != NULL ? v->sv_len : 0);
		break;
	}
	return 1;
}

/*
 * ,"<member>":{"name":"hex",...} for the values of vals[0..n) that are not
 * UTF-8; nothing when there are none.
 */
static void
jsonl_hex(struct json_buf *jb, const char *member,
    const struct sample_value *vals, size_t n)
{
	size_t i;
	int first = 1;

	for (i = 0; i < n; i++) {
		if (!jsonl_needs_hex(&vals[i]))
			continue;
		if (first) {
			json_raw(jb, ",", 1);
			json_key(jb, member);
			json_raw(jb, "{", 1);
		} else
			json_raw(jb, ",", 1);
		first = 0;
		json_key(jb, vals[i].sv_name != NULL ? vals[i].sv_name : "");
		json_hex(jb, vals[i].sv_str, vals[i].sv_len);
	}
	if (!first)
		json_raw(jb, "}", 1);
}

static void
jsonl_tables(struct json_buf *jb, const struct sample *sa)
{
	const struct sample_table *t;
	const struct sample_row *r;
	size_t i, j, k;

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
			/* Every column follows "index", so none is first. */
			for (k = 0; k < r->sr_ncols; k++)
				jsonl_value(jb, &r->sr_cols[k], 0);
			jsonl_hex(jb, "hex", r->sr_cols, r->sr_ncols);
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
	size_t i;
	int first;

	json_sample_head(jb, sa);
	if (sa->sa_target->ct_nlabels > 0) {
		json_lit(jb, ",\"labels\":");
		json_labels(jb, sa->sa_target);
	}
	json_lit(jb, ",\"status\":");
	json_cstr(jb, sink_status_name(sa->sa_status));
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
	jsonl_hex(jb, "values_hex", sa->sa_values, sa->sa_nvalues);
	if (sa->sa_ntables > 0)
		jsonl_tables(jb, sa);
	json_lit(jb, "}\n");
}

static int
jsonl_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	return sink_text_write_run(s, jsonl_record, samples, n, err, errlen);
}

const struct sink_ops sink_jsonl_ops = {
	.so_name = "jsonl",
	.so_open = sink_text_so_open,
	.so_write_run = jsonl_write_run,
	.so_close = sink_text_so_close,
};
