/*
 * test_config_names: the names sinks derive from collector.yaml
 * (config/export_names.c).  Names two of which a sink would write as one
 * -- Prometheus' a.b, a_b and a-b, a table's proctel_<table>_* and a
 * metric, our own families and fields, label_<key> -- and target names or
 * label values an InfluxDB tag cannot carry exactly are refused at
 * FILE:LINE:COLUMN; names that meet nowhere load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"
#include "tests/unit/test_util.h"
#include "config/config.h"

static char joined[1 << 14];

/* The errors of a collector.yaml text, one per line; "" when it loaded. */
static const char *
errs_of(const char *text)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;

	cc = cfg_collector_load_buf("c.yaml", text, strlen(text), &e);
	CHECK((cc == NULL) == (e.ce_count > 0));
	tu_errors_join(&e, joined, sizeof(joined));
	cfg_collector_free(cc);
	cfg_errors_free(&e);
	return joined;
}

#define T	"targets: [{host: 10.0.0.1}]\n"

static void
metric_names_that_prometheus_would_merge_are_refused(void)
{
	CHECK_STR(errs_of(T "metrics:\n"
	    "  - {name: a.b, oid: 1.3.6.1.2.1.1.1.0}\n"
	    "  - {name: a_b, oid: 1.3.6.1.2.1.1.2.0}\n"
	    "  - {name: a-b, oid: 1.3.6.1.2.1.1.3.0}\n"),
	    "c.yaml:4:12: name: metrics 'a.b' and 'a_b' would both be "
	    "Prometheus' proctel_a_b\n"
	    "c.yaml:5:12: name: metrics 'a.b' and 'a-b' would both be "
	    "Prometheus' proctel_a_b\n"
	    "c.yaml:5:12: name: metrics 'a_b' and 'a-b' would both be "
	    "Prometheus' proctel_a_b\n");
	CHECK_STR(errs_of(T "metrics:\n"
	    "  - {name: poll.attempts, oid: 1.3.6.1.2.1.1.1.0}\n"),
	    "c.yaml:3:12: name: metric 'poll.attempts' would be Prometheus' "
	    "proctel_poll_attempts, which is the collector's own\n");
}

static void
tables_whose_columns_could_meet_another_name_are_refused(void)
{
	CHECK_STR(errs_of(T "metrics:\n"
	    "  - {name: t_2, oid: 1.3.6.1.2.1.1.1.0}\n"
	    "tables:\n"
	    "  - {name: t, oid: 1.3.6.1.2.1.2.2.1}\n"
	    "  - {name: t-x, oid: 1.3.6.1.2.1.4.20.1}\n"),
	    "c.yaml:5:12: name: table 't' and metric 't_2' could both name "
	    "Prometheus' proctel_t_2\n"
	    "c.yaml:6:12: name: tables 't' and 't-x' could both name "
	    "Prometheus' proctel_t_x_<column>\n");
	/* A default metric (zombie_parents) under a table's names. */
	CHECK_STR(errs_of(T "tables:\n"
	    "  - {name: zombie, oid: 1.3.6.1.2.1.2.2.1}\n"),
	    "c.yaml:3:12: name: table 'zombie' and metric 'zombie_parents' "
	    "could both name Prometheus' proctel_zombie_parents\n");
	CHECK_STR(errs_of(T "tables:\n"
	    "  - {name: poll_latency, oid: 1.3.6.1.2.1.2.2.1}\n"),
	    "c.yaml:3:12: name: table 'poll_latency' would name Prometheus' "
	    "proctel_poll_latency_<column>, among the collector's own "
	    "proctel_poll_latency_seconds\n");
}

static void
a_metric_renamed_for_influxdb_may_not_meet_its_new_name(void)
{
	CHECK_STR(errs_of(T "metrics:\n"
	    "  - {name: metric_error, oid: 1.3.6.1.2.1.1.1.0}\n"
	    "  - {name: error, oid: 1.3.6.1.2.1.1.2.0}\n"),
	    "c.yaml:4:12: name: metrics 'metric_error' and 'error' would "
	    "both be InfluxDB's field metric_error\n");
}

static void
label_keys_that_would_be_one_label_are_refused(void)
{
	CHECK_STR(errs_of("targets:\n"
	    "  - {host: 10.0.0.1, labels: {host: a, label_host: b}}\n"
	    "  - {host: 10.0.0.2, labels: {label___x: a, __x: b}}\n"),
	    "c.yaml:2:40: labels: 'host' and 'label_host' would both be the "
	    "label label_host in Prometheus and InfluxDB\n"
	    "c.yaml:3:45: labels: 'label___x' and '__x' would both be the "
	    "label label___x in Prometheus and InfluxDB\n");
}

static void
names_and_label_values_an_influxdb_tag_cannot_carry_are_refused(void)
{
	CHECK_STR(errs_of("targets:\n"
	    "  - {host: 10.0.0.1, name: \"web\\\\\"}\n"
	    "  - {host: 10.0.0.2, name: \"a\\\\,b\"}\n"
	    "  - {host: 10.0.0.3, name: \"two\\nlines\"}\n"
	    "  - {host: 10.0.0.4, labels: {role: \"x\\\\\\\\y\"}}\n"),
	    "c.yaml:2:28: name: 'web\\' holds a backslash at the end, which "
	    "an InfluxDB tag cannot carry exactly\n"
	    "c.yaml:3:28: name: 'a\\,b' holds a backslash before , = space \" "
	    "or \\, which an InfluxDB tag cannot carry exactly\n"
	    "c.yaml:4:28: name: 'two?lines' holds a control character, which "
	    "an InfluxDB tag cannot carry exactly\n"
	    "c.yaml:5:37: role: 'x\\\\y' holds a backslash before , = space \" "
	    "or \\, which an InfluxDB tag cannot carry exactly\n");
}

static void
names_that_meet_nowhere_load(void)
{
	CHECK_STR(errs_of("targets:\n"
	    "  - {host: 10.0.0.1, name: \"DOMAIN\\\\host, \\\"a\\\"=b\", "
	    "labels: {role: \"=HYPERLINK(x)\", host: h, __y: z}}\n"
	    "metrics:\n"
	    "  - {name: a.b, oid: 1.3.6.1.2.1.1.1.0}\n"
	    "  - {name: a_c, oid: 1.3.6.1.2.1.1.2.0}\n"
	    "  - {name: status, oid: 1.3.6.1.2.1.1.3.0}\n"
	    "  - {name: up_time, oid: 1.3.6.1.2.1.1.4.0}\n"
	    "tables:\n"
	    "  - {name: zombie_parents, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.4.1}\n"
	    "  - {name: procs, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.3.1}\n"), "");
}

int
main(void)
{
	cfg_set_offline(true);
	RUN(metric_names_that_prometheus_would_merge_are_refused);
	RUN(tables_whose_columns_could_meet_another_name_are_refused);
	RUN(a_metric_renamed_for_influxdb_may_not_meet_its_new_name);
	RUN(label_keys_that_would_be_one_label_are_refused);
	RUN(names_and_label_values_an_influxdb_tag_cannot_carry_are_refused);
	RUN(names_that_meet_nowhere_load);
	return t_done();
}
