/*
 * sink: dispatch from sink.h to the backends through struct sink_ops, the
 * "-o TYPE:PATH" parser, and what the append-only text backends (jsonl,
 * csv, influx) share: the file, the run buffer, the whole-run write.
 * The formats themselves live in sink_<type>.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdio_ext.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/http.h"
#include "collector/sink.h"
#include "collector/sink_impl.h"

static const struct {
	const char		*name;
	enum cfg_output_type	 type;
	const struct sink_ops	*ops;
} sink_types[] = {
	{ "sqlite", CFG_OUT_SQLITE, &sink_sqlite_ops },
	{ "jsonl", CFG_OUT_JSONL, &sink_jsonl_ops },
	{ "csv", CFG_OUT_CSV, &sink_csv_ops },
	{ "prom", CFG_OUT_PROM, &sink_prom_ops },
	{ "influx", CFG_OUT_INFLUX, &sink_influx_ops },
	{ "remote_write", CFG_OUT_REMOTE_WRITE, &sink_remote_write_ops },
	{ "influx_http", CFG_OUT_INFLUX_HTTP, &sink_influx_http_ops },
};
#define SINK_NTYPES	(sizeof(sink_types) / sizeof(sink_types[0]))

void
sink_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* A cut message is still the best we have; never leave it unset. */
	if (n < 0)
		err[0] = '\0';
}

struct sink *
sink_open(const struct cfg_output *out, const struct cfg_collector *conf,
    char *err, size_t errlen)
{
	struct sink *s = NULL;
	size_t i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL || out->co_path == NULL || out->co_path[0] == '\0') {
		sink_err(err, errlen, "sink: no path");
		return NULL;
	}
	for (i = 0; i < SINK_NTYPES; i++)
		if (sink_types[i].type == out->co_type)
			break;
	if (i == SINK_NTYPES) {
		sink_err(err, errlen, "sink: unknown type %d",
		    (int)out->co_type);
		return NULL;
	}
	if (out->co_type == CFG_OUT_SQLITE && strcmp(out->co_path, "-") == 0) {
		sink_err(err, errlen, "sqlite: \"-\" is not a database file");
		return NULL;
	}
	if (out->co_type == CFG_OUT_PROM && strcmp(out->co_path, "-") == 0) {
		sink_err(err, errlen, "prom: \"-\" cannot be renamed over; "
		    "give a file");
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	s->sk_ops = sink_types[i].ops;
	s->sk_conf = conf;
	s->sk_type = out->co_type;
	s->sk_remote = out->co_remote;
	s->sk_self = out->co_self_metrics >= 0 ? out->co_self_metrics :
	    out->co_type == CFG_OUT_REMOTE_WRITE ||
	    out->co_type == CFG_OUT_INFLUX_HTTP;
	if ((s->sk_path = strdup(out->co_path)) == NULL)
		goto nomem;
	if (s->sk_ops->so_open(s, err, errlen) == -1)
		goto fail;
	return s;
nomem:
	sink_err(err, errlen, "sink %s: out of memory", out->co_path);
fail:
	sink_close(s);
	return NULL;
}

int
sink_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (s == NULL || (samples == NULL && n > 0)) {
		sink_err(err, errlen, "sink: bad arguments");
		return -1;
	}
	s->sk_has_out = 1;
	if (!s->sk_ops->so_fills_outcome) {
		memset(&s->sk_out, 0, sizeof(s->sk_out));
		if (s->sk_ops->so_write_run(s, samples, n, err, errlen) == -1)
			return -1;
		s->sk_out.so_written = n;
		return 0;
	}
	return s->sk_ops->so_write_run(s, samples, n, err, errlen);
}

void
sink_set_deadline(struct sink *s, uint64_t mono_ns)
{
	s->sk_deadline_ns = mono_ns;
}

int
sink_get_outcome(const struct sink *s, struct sink_outcome *o)
{
	if (!s->sk_has_out) {
		memset(o, 0, sizeof(*o));
		return -1;
	}
	*o = s->sk_out;
	return 0;
}

void
sink_describe(const struct sink *s, char *buf, size_t size)
{
	char where[256];

	if (s->sk_type == CFG_OUT_REMOTE_WRITE ||
	    s->sk_type == CFG_OUT_INFLUX_HTTP)
		http_url_redact(s->sk_path, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "%s", s->sk_path);
	snprintf(buf, size, "%s:%s", s->sk_ops->so_name, where);
}

int
sink_wants_self(const struct sink *s)
{
	return s->sk_self;
}

const char *
sink_type_name(const struct sink *s)
{
	return s->sk_ops->so_name;
}

void
sink_close(struct sink *s)
{
	if (s == NULL)
		return;
	if (s->sk_ops != NULL)
		s->sk_ops->so_close(s);
	free(s->sk_path);
	free(s);
}

int
sink_parse_spec(const char *spec, struct cfg_output *out,
    const char **errstr)
{
	const char *colon, *path;
	size_t i, tlen;
	char *copy;

	*errstr = NULL;
	if (spec == NULL || (colon = strchr(spec, ':')) == NULL) {
		*errstr = "expected TYPE:PATH (sqlite, jsonl, csv, prom, "
		    "influx) or TYPE:URL (remote_write, influx_http)";
		return -1;
	}
	tlen = (size_t)(colon - spec);
	path = colon + 1;
	for (i = 0; i < SINK_NTYPES; i++)
		if (strlen(sink_types[i].name) == tlen &&
		    strncmp(sink_types[i].name, spec, tlen) == 0)
			break;
	if (i == SINK_NTYPES) {
		*errstr = "unknown sink type (sqlite, jsonl, csv, prom, "
		    "influx, remote_write, influx_http)";
		return -1;
	}
	if ((sink_types[i].type == CFG_OUT_REMOTE_WRITE ||
	    sink_types[i].type == CFG_OUT_INFLUX_HTTP) &&
	    (*errstr = cfg_url_check(path)) != NULL)
		return -1;
	if (*path == '\0') {
		*errstr = "empty path";
		return -1;
	}
	if (strcmp(path, "-") == 0 && (sink_types[i].type == CFG_OUT_SQLITE ||
	    sink_types[i].type == CFG_OUT_PROM)) {
		*errstr = "this sink needs a file, not \"-\"";
		return -1;
	}
	if ((copy = strdup(path)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	out->co_type = sink_types[i].type;
	out->co_path = copy;
	out->co_remote = NULL;
	out->co_self_metrics = -1;
	return 0;
}

const char *
sink_status_name(enum sample_status st)
{
	switch (st) {
	case SAMPLE_OK:
		return "ok";
	case SAMPLE_TIMEOUT:
		return "timeout";
	case SAMPLE_ERROR:
		break;
	}
	return "error";
}

int
sink_text_open(struct sink *s, struct sink_text *tx, char *err,
    size_t errlen)
{
	int fd;

	json_buf_init(&tx->tx_buf);
	tx->tx_stdout = 0;
	if (strcmp(s->sk_path, "-") == 0) {
		tx->tx_stdout = 1;
		tx->tx_fp = stdout;
		return 0;
	}
	fd = open(s->sk_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1) {
		sink_err(err, errlen, "%s: %s", s->sk_path, strerror(errno));
		return -1;
	}
	if ((tx->tx_fp = fdopen(fd, "a")) == NULL) {
		sink_err(err, errlen, "%s: %s", s->sk_path, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

/* json_buf's spill: write what the run buffer holds to the file. */
static int
sink_text_spill(struct json_buf *jb, void *arg)
{
	struct sink_text *tx = arg;

	if (tx->tx_errno != 0)
		return -1;
	if (fwrite(jb->jb_data, 1, jb->jb_len, tx->tx_fp) != jb->jb_len) {
		tx->tx_errno = errno != 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

void
sink_text_begin(struct sink_text *tx)
{
	struct stat st;

	json_buf_reset(&tx->tx_buf);
	json_buf_spill(&tx->tx_buf, sink_text_spill, tx, SINK_SPILL_BYTES);
	tx->tx_errno = 0;
	tx->tx_before = -1;
	if (!tx->tx_stdout && fflush(tx->tx_fp) != EOF &&
	    fstat(fileno(tx->tx_fp), &st) == 0 && S_ISREG(st.st_mode))
		tx->tx_before = st.st_size;
}

int
sink_text_flush(struct sink *s, struct sink_text *tx, char *err,
    size_t errlen)
{
	FILE *fp = tx->tx_fp;
	int saved;

	if (tx->tx_buf.jb_failed && tx->tx_errno == 0) {
		sink_err(err, errlen, "%s %s: out of memory",
		    s->sk_ops->so_name, s->sk_path);
		errno = ENOMEM;
		goto cut;
	}
	errno = tx->tx_errno;
	if (tx->tx_errno != 0 || (tx->tx_buf.jb_len > 0 &&
	    sink_text_spill(&tx->tx_buf, tx) == -1))
		goto fail;
	tx->tx_buf.jb_len = 0;
	if (fflush(fp) == EOF)
		goto fail;
	/* A pipe or terminal cannot be synced, and need not be. */
	if (!tx->tx_stdout && fsync(fileno(fp)) == -1 && errno != EINVAL)
		goto fail;
	return 0;
fail:
	saved = errno != 0 ? errno : EIO;
	sink_err(err, errlen, "%s: write: %s", s->sk_path, strerror(saved));
cut:
	saved = errno;
	/*
	 * Cut a half-written run off again (disk full), so the file keeps
	 * whole records; the stdio buffer is dropped with it.
	 */
	clearerr(fp);
	if (tx->tx_before >= 0) {
		__fpurge(fp);
		if (ftruncate(fileno(fp), tx->tx_before) == -1)
			sink_err(err, errlen, "%s: write: %s; the last run "
			    "is partly written", s->sk_path, strerror(saved));
	}
	return -1;
}

void
sink_text_close(struct sink_text *tx)
{
	if (tx->tx_fp != NULL) {
		if (tx->tx_stdout)
			(void)fflush(tx->tx_fp);
		else
			(void)fclose(tx->tx_fp);
		tx->tx_fp = NULL;
	}
	json_buf_free(&tx->tx_buf);
}

int
sink_text_so_open(struct sink *s, char *err, size_t errlen)
{
	struct sink_text *tx;

	if ((tx = calloc(1, sizeof(*tx))) == NULL) {
		sink_err(err, errlen, "%s %s: out of memory",
		    s->sk_ops->so_name, s->sk_path);
		return -1;
	}
	s->sk_priv = tx;
	return sink_text_open(s, tx, err, errlen);
}

int
sink_text_write_run(struct sink *s, sink_text_fmt *fmt,
    const struct sample *samples, size_t n, char *err, size_t errlen)
{
	struct sink_text *tx = s->sk_priv;
	size_t i;

	sink_text_begin(tx);
	for (i = 0; i < n && !tx->tx_buf.jb_failed; i++)
		fmt(&tx->tx_buf, &samples[i]);
	return sink_text_flush(s, tx, err, errlen);
}

void
sink_text_so_close(struct sink *s)
{
	struct sink_text *tx = s->sk_priv;

	if (tx == NULL)
		return;
	sink_text_close(tx);
	free(tx);
	s->sk_priv = NULL;
}
