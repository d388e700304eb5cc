/*
 * sink_influx_http: the influx file sink's line protocol (one line per
 * target per run, written by sink_influx.c's own encoder) POSTed to
 * InfluxDB 1.x (/write?db=DB), InfluxDB 2 (/api/v2/write with org and
 * bucket, token_file sent as "Authorization: Token ...") or
 * VictoriaMetrics (/write or /influx/write, which makes one series
 * proctel_<field> per numeric field).  Timestamps are nanoseconds, every
 * server's default precision.  Batches hold at most INFLUX_BATCH_LINES
 * lines or INFLUX_BATCH_BYTES; sending, retries and the spool are push.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/push.h"
#include "collector/sink_impl.h"

/* InfluxDB's documentation suggests batches of about 5000 lines. */
#define INFLUX_BATCH_LINES	5000
#define INFLUX_BATCH_BYTES	(1024U * 1024)

static const char *const influx_headers[] = {
	"Content-Type: text/plain; charset=utf-8",
	NULL,
};

struct influx_http {
	struct push	*ih_push;
	struct json_buf	 ih_buf;
};

/* Append s percent-encoded (RFC 3986 unreserved bytes stay). */
static void
ih_escape(struct json_buf *jb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	char e[3];

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			json_raw(jb, s, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[c >> 4];
		e[2] = hex[c & 15];
		json_raw(jb, e, 3);
	}
}

/* The URL, with InfluxDB 2's org and bucket added to its query. */
static const char *
ih_url(struct sink *s, struct json_buf *jb)
{
	const struct cfg_remote *cr = s->sk_remote;

	if (cr == NULL || cr->cr_org == NULL || cr->cr_bucket == NULL)
		return s->sk_path;
	json_lit(jb, s->sk_path);
	json_lit(jb, strchr(s->sk_path, '?') != NULL ? "&org=" : "?org=");
	ih_escape(jb, cr->cr_org);
	json_lit(jb, "&bucket=");
	ih_escape(jb, cr->cr_bucket);
	return json_buf_cstr(jb);
}

static int
ih_open(struct sink *s, char *err, size_t errlen)
{
	struct influx_http *ih;
	struct json_buf url;
	const char *u;

	if ((ih = calloc(1, sizeof(*ih))) == NULL) {
		sink_err(err, errlen, "influx_http: out of memory");
		return -1;
	}
	s->sk_priv = ih;
	json_buf_init(&ih->ih_buf);
	json_buf_init(&url);
	if ((u = ih_url(s, &url)) == NULL) {
		sink_err(err, errlen, "influx_http: out of memory");
		return -1;
	}
	ih->ih_push = push_open("influx_http", u, s->sk_remote,
	    s->sk_conf != NULL ? s->sk_conf->cc_path : NULL,
	    SPOOL_INFLUX_LINES, influx_headers, err, errlen);
	json_buf_free(&url);
	if (ih->ih_push == NULL)
		return -1;
	s->sk_has_out = push_last(ih->ih_push, &s->sk_out) == 0;
	return 0;
}

static void
ih_close(struct sink *s)
{
	struct influx_http *ih = s->sk_priv;

	if (ih == NULL)
		return;
	push_close(ih->ih_push);
	json_buf_free(&ih->ih_buf);
	free(ih);
	s->sk_priv = NULL;
}

static int
ih_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	struct influx_http *ih = s->sk_priv;
	struct sink_outcome *o = &s->sk_out;
	uint64_t time_ms = n > 0 ? samples[0].sa_time_ms : 0;
	uint32_t lines = 0;
	size_t i;
	int failed = 0;

	push_begin(ih->ih_push, s->sk_deadline_ns);
	json_buf_reset(&ih->ih_buf);
	for (i = 0; i < n; i++) {
		sink_influx_line(&ih->ih_buf, &samples[i]);
		lines++;
		if (ih->ih_buf.jb_failed) {
			failed = 1;
			break;
		}
		if (lines == INFLUX_BATCH_LINES ||
		    ih->ih_buf.jb_len >= INFLUX_BATCH_BYTES || i + 1 == n) {
			push_batch(ih->ih_push, ih->ih_buf.jb_data,
			    ih->ih_buf.jb_len, lines, time_ms);
			json_buf_reset(&ih->ih_buf);
			lines = 0;
		}
	}
	return push_end(ih->ih_push, failed, o, err, errlen);
}

const struct sink_ops sink_influx_http_ops = {
	.so_name = "influx_http",
	.so_open = ih_open,
	.so_write_run = ih_write_run,
	.so_close = ih_close,
	.so_fills_outcome = 1,
};
