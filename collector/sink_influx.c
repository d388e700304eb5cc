/*
 * sink_influx: InfluxDB line protocol, one line per target per run,
 * appended to a file or written to standard output ("-"):
 *
 *   proctel,target=local,host=127.0.0.1,role=demo status="ok",attempts=1i,
 *     latency_ms=0.4,zombies=3i 1795428000000000000
 *
 * Tags: target, host, then the target's labels (a label key that
 * cfg_label_renamed() names -- target, host, index, "__*" -- is written
 * label_<key>; a label with an empty value is left out, as InfluxDB
 * refuses empty tag values).
 *
 * Escaping, after the line protocol reference: tag keys, tag values and
 * field keys escape comma, equals sign and space with a backslash; every
 * other byte is written as it is, a backslash included, because readers
 * disagree on "\\" there (InfluxDB 1.x keeps both bytes, 2.x reads one).
 * The configuration refuses at load (export_names.c) every tag value this
 * cannot carry exactly: a control character, or a backslash at the end or
 * before , = space " or \.  String field values are quoted and escape '"'
 * and '\\'; everything else, NUL and line breaks included, is written as
 * it is (the protocol allows them inside quotes).  A string value whose
 * bytes are not UTF-8 is not written as text: its bytes go, in lowercase
 * hex, to the string field <name>:hex instead (no metric name holds a ':',
 * so the name is free).
 *
 * Fields: status (string), error (string, when any), attempts (integer),
 * latency_ms (float, answered targets only), then one per present metric:
 * integers with the i suffix; unsigned values below 2^63 with i too (so a
 * counter keeps one field type), larger ones with the u suffix (InfluxDB 2
 * uinteger; InfluxDB 1.x refuses those lines); strings as string fields.  A
 * metric named status, error, attempts or latency_ms is written
 * metric_<name> (the configuration refuses a metric of that name too).
 * Tables are not written (one line per target; use jsonl or sqlite).  The
 * timestamp is the run's start in nanoseconds.
 */
#include <stdlib.h>
#include <string.h>

#include "collector/json.h"
#include "collector/sink_impl.h"

/*
 * Append s[0..len) with a backslash before each byte in `special`.  A tag
 * or field key never holds a line break (the configuration refuses it);
 * should one come all the same, it is written as a space, which keeps the
 * line a line.
 */
static void
influx_escape(struct json_buf *jb, const char *s, size_t len,
    const char *special)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c != '\0' && strchr(special, c) != NULL)
			json_raw(jb, "\\", 1);
		json_raw(jb, &c, 1);
	}
}

/* A tag key, tag value or field key: escape ',', '=' and ' '. */
static void
influx_cident(struct json_buf *jb, const char *s)
{
	size_t i, start = 0, len = strlen(s);

	for (i = 0; i < len; i++) {
		if (s[i] != '\n' && s[i] != '\r')
			continue;
		influx_escape(jb, s + start, i - start, ",= ");
		json_raw(jb, "\\ ", 2);
		start = i + 1;
	}
	influx_escape(jb, s + start, len - start, ",= ");
}

/* A string field value: quoted, escape '"' and '\\'. */
static void
influx_string(struct json_buf *jb, const char *s, size_t len)
{
	json_raw(jb, "\"", 1);
	influx_escape(jb, s, len, "\"\\");
	json_raw(jb, "\"", 1);
}

void
sink_influx_line(struct json_buf *jb, const struct sample *sa)
{
	const struct cfg_target *tg = sa->sa_target;
	const struct sample_value *v;
	const char *st;
	size_t i;

	json_lit(jb, "proctel,target=");
	influx_cident(jb, tg->ct_name != NULL && tg->ct_name[0] != '\0' ?
	    tg->ct_name : "-");
	json_lit(jb, ",host=");
	influx_cident(jb, tg->ct_host != NULL && tg->ct_host[0] != '\0' ?
	    tg->ct_host : "-");
	for (i = 0; i < tg->ct_nlabels; i++) {
		if (tg->ct_labels[i].cl_value[0] == '\0' ||
		    tg->ct_labels[i].cl_key[0] == '\0')
			continue;
		json_raw(jb, ",", 1);
		if (cfg_label_renamed(tg->ct_labels[i].cl_key))
			json_lit(jb, "label_");
		influx_cident(jb, tg->ct_labels[i].cl_key);
		json_raw(jb, "=", 1);
		influx_cident(jb, tg->ct_labels[i].cl_value);
	}
	st = sink_status_name(sa->sa_status);
	json_lit(jb, " status=");
	influx_string(jb, st, strlen(st));
	if (sa->sa_error != NULL) {
		json_lit(jb, ",error=");
		influx_string(jb, sa->sa_error, strlen(sa->sa_error));
	}
	json_lit(jb, ",attempts=");
	json_u64(jb, sa->sa_attempts);
	json_raw(jb, "i", 1);
	if (sa->sa_status == SAMPLE_OK) {
		json_lit(jb, ",latency_ms=");
		json_fixed(jb, sa->sa_latency_ms, 3);
	}
	for (i = 0; i < sa->sa_nvalues; i++) {
		v = &sa->sa_values[i];
		if ((v->sv_kind != SV_INT && v->sv_kind != SV_UINT &&
		    v->sv_kind != SV_STRING) || v->sv_name == NULL ||
		    v->sv_name[0] == '\0')
			continue;
		json_raw(jb, ",", 1);
		if (cfg_influx_field_renamed(v->sv_name))
			json_lit(jb, "metric_");
		influx_cident(jb, v->sv_name);
		if (v->sv_kind == SV_STRING && v->sv_str != NULL &&
		    !json_text_ok(v->sv_str, v->sv_len)) {
			json_lit(jb, ":hex=");
			json_hex(jb, v->sv_str, v->sv_len);
			continue;
		}
		json_raw(jb, "=", 1);
		switch (v->sv_kind) {
		case SV_INT:
			json_i64(jb, v->sv_int);
			json_raw(jb, "i", 1);
			break;
		case SV_UINT:
			json_u64(jb, v->sv_uint);
			json_raw(jb, v->sv_uint <= (uint64_t)INT64_MAX ?
			    "i" : "u", 1);
			break;
		default:
			influx_string(jb, v->sv_str != NULL ? v->sv_str : "",
			    v->sv_str != NULL ? v->sv_len : 0);
			break;
		}
	}
	json_raw(jb, " ", 1);
	json_u64(jb, sa->sa_time_ms * 1000000ULL);
	json_raw(jb, "\n", 1);
}

static int
influx_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	return sink_text_write_run(s, sink_influx_line, samples, n, err, errlen);
}

const struct sink_ops sink_influx_ops = {
	.so_name = "influx",
	.so_open = sink_text_so_open,
	.so_write_run = influx_write_run,
	.so_close = sink_text_so_close,
};
