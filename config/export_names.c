/*
 * export_names: the names the sinks derive from collector.yaml, and the
 * checks at load that make every sink exact for every configuration:
 *
 * - Prometheus: a metric becomes proctel_<name> and a table column
 *   proctel_<table>_<column>, with each byte outside [A-Za-z0-9_:] made
 *   '_'.  So a.b, a_b and a-b are one series, a table t's columns take
 *   every name proctel_t_*, and proctel_up, proctel_poll_attempts and
 *   proctel_poll_latency_seconds are ours: any two that could meet are
 *   refused, at the later one's FILE:LINE:COLUMN.
 * - InfluxDB: a metric named like a built-in field (status, error,
 *   attempts, latency_ms) is written metric_<name>, so it may not meet a
 *   metric of that name.
 * - Labels: keys target, host and index, and keys starting with "__"
 *   (Prometheus reserves them), are written label_<key> by the Prometheus
 *   and InfluxDB sinks, so a map may not also hold that label_<key>.
 * - Target names and label values become InfluxDB tag values, which have
 *   no escape for a line break, and whose backslash readers disagree on
 *   (InfluxDB 1.x keeps "\\" as two bytes and cannot end a value with one;
 *   2.x and VictoriaMetrics read "\\" as one): a control character, or a
 *   backslash that ends the value or comes before ',', '=', ' ', '"' or
 *   '\\', is refused.  A backslash before anything else is a backslash in
 *   every reader, and DOMAIN\host passes.
 * It writes nothing and knows no sink: the sinks apply the same rules.
 */
#include <stdlib.h>
#include <string.h>

#include "config/collector_int.h"

/* Our own Prometheus families (sink_prom.c), without "proctel_". */
static const char *const prom_builtin[] = { "up", "poll_attempts",
	"poll_latency_seconds", NULL };
/* Our own InfluxDB fields (sink_influx.c). */
static const char *const influx_builtin[] = { "status", "error", "attempts",
	"latency_ms", NULL };

bool
cfg_prom_name_byte(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == ':';
}

bool
cfg_label_renamed(const char *key)
{
	return strcmp(key, "target") == 0 || strcmp(key, "host") == 0 ||
	    strcmp(key, "index") == 0 || strncmp(key, "__", 2) == 0;
}

bool
cfg_influx_field_renamed(const char *name)
{
	size_t i;

	for (i = 0; influx_builtin[i] != NULL; i++)
		if (strcmp(name, influx_builtin[i]) == 0)
			return true;
	return false;
}

const char *
cfg_tag_value_problem(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "a control character";
		if (*p == '\\' && (p[1] == '\0' || strchr(",= \"\\", p[1]) !=
		    NULL))
			return p[1] == '\0' ? "a backslash at the end" :
			    "a backslash before , = space \" or \\";
	}
	return NULL;
}

/* The Prometheus form of s (its bytes mapped), into buf; NULL if too long. */
static const char *
prom_form(const char *s, const char *suffix, char *buf, size_t len)
{
	size_t i, n = strlen(s), m = strlen(suffix);

	if (n + m >= len)
		return NULL;
	for (i = 0; i < n; i++)
		buf[i] = cfg_prom_name_byte((unsigned char)s[i]) ? s[i] : '_';
	memcpy(buf + n, suffix, m + 1);
	return buf;
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether renamed is one of our fields and other is metric_<renamed>. */
static bool
influx_same(const char *renamed, const char *other)
{
	return cfg_influx_field_renamed(renamed) &&
	    starts_with(other, "metric_") && strcmp(other + 7, renamed) == 0;
}

/* The later of two places (a default metric has none, line 0). */
static void
later(unsigned l1, unsigned c1, unsigned l2, unsigned c2, unsigned *line,
    unsigned *col)
{
	*line = l2;
	*col = c2;
	if (l1 > l2 || (l1 == l2 && c1 > c2)) {
		*line = l1;
		*col = c1;
	}
}

/* Names are at most 128 bytes (cfg_name_ok), and we add a suffix. */
#define NAME_BUF	160

void
cfg_export_names_check(struct cfg_ctx *ctx, const struct cfg_collector *cc)
{
	const struct cfg_metric *m, *m2;
	const struct cfg_table *t, *t2;
	char a[NAME_BUF], b[NAME_BUF], k[NAME_BUF];
	unsigned line, col;
	size_t i, j, x;

	for (i = 0; i < cc->cc_nmetrics; i++) {
		m = &cc->cc_metrics[i];
		if (m->cm_name == NULL ||
		    prom_form(m->cm_name, "", a, sizeof(a)) == NULL)
			continue;
		for (x = 0; prom_builtin[x] != NULL; x++)
			if (strcmp(a, prom_builtin[x]) == 0)
				cfg_errorf(ctx->cx_errs, ctx->cx_file,
				    m->cm_line, m->cm_col, "name: metric '%s' "
				    "would be Prometheus' proctel_%s, which is "
				    "the collector's own", m->cm_name, a);
		for (j = i + 1; j < cc->cc_nmetrics; j++) {
			m2 = &cc->cc_metrics[j];
			/* Equal names are reported as duplicates already. */
			if (m2->cm_name == NULL ||
			    strcmp(m->cm_name, m2->cm_name) == 0 ||
			    prom_form(m2->cm_name, "", b, sizeof(b)) == NULL)
				continue;
			later(m->cm_line, m->cm_col, m2->cm_line, m2->cm_col,
			    &line, &col);
			if (strcmp(a, b) == 0)
				cfg_errorf(ctx->cx_errs, ctx->cx_file, line,
				    col, "name: metrics '%s' and '%s' would "
				    "both be Prometheus' proctel_%s",
				    m->cm_name, m2->cm_name, a);
			if (influx_same(m->cm_name, m2->cm_name) ||
			    influx_same(m2->cm_name, m->cm_name))
				cfg_errorf(ctx->cx_errs, ctx->cx_file, line,
				    col, "name: metrics '%s' and '%s' would "
				    "both be InfluxDB's field metric_%s",
				    m->cm_name, m2->cm_name,
				    cfg_influx_field_renamed(m->cm_name) ?
				    m->cm_name : m2->cm_name);
		}
	}
	for (i = 0; i < cc->cc_ntables; i++) {
		t = &cc->cc_tables[i];
		if (t->ct_name == NULL ||
		    prom_form(t->ct_name, "_", a, sizeof(a)) == NULL)
			continue;
		for (x = 0; prom_builtin[x] != NULL; x++)
			if (starts_with(prom_builtin[x], a))
				cfg_errorf(ctx->cx_errs, ctx->cx_file,
				    t->ct_line, t->ct_col, "name: table '%s' "
				    "would name Prometheus' proctel_%s<column>, "
				    "among the collector's own proctel_%s",
				    t->ct_name, a, prom_builtin[x]);
		for (j = 0; j < cc->cc_ntables; j++) {
			t2 = &cc->cc_tables[j];
			if (j == i || t2->ct_name == NULL ||
			    strcmp(t->ct_name, t2->ct_name) == 0 ||
			    prom_form(t2->ct_name, "_", b, sizeof(b)) == NULL)
				continue;
			/* Equal forms are reported once, from the first. */
			if (!starts_with(b, a) || (strcmp(a, b) == 0 && j < i))
				continue;
			later(t->ct_line, t->ct_col, t2->ct_line, t2->ct_col,
			    &line, &col);
			cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
			    "name: tables '%s' and '%s' could both name "
			    "Prometheus' proctel_%s<column>", t->ct_name,
			    t2->ct_name, b);
		}
		for (j = 0; j < cc->cc_nmetrics; j++) {
			m = &cc->cc_metrics[j];
			if (m->cm_name == NULL ||
			    prom_form(m->cm_name, "", k, sizeof(k)) == NULL ||
			    !starts_with(k, a))
				continue;
			later(t->ct_line, t->ct_col, m->cm_line, m->cm_col,
			    &line, &col);
			cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
			    "name: table '%s' and metric '%s' could both name "
			    "Prometheus' proctel_%s", t->ct_name, m->cm_name, k);
		}
	}
}
