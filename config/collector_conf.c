/*
 * collector_conf: collector.yaml (DESIGN.md, "Command lines and files")
 * into struct cfg_collector: defaults, metrics, tables, outputs, alerts and
 * the lock file here; targets (inline, hosts files, name resolution) in
 * target_conf.c.  Every problem is collected.  It opens no sink and runs
 * nothing: it only checks that what the collector will do makes sense.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/collector_int.h"

static const char *const collector_keys[] = { "defaults", "concurrency",
	"deadline_s", "interval_s", "max_target_mb", "max_run_mb", "targets",
	"metrics", "tables", "outputs", "alerts", "lock_file", NULL };
static const char *const defaults_keys[] = { "port", "version", "community",
	"timeout_ms", "retries", "security", NULL };
static const char *const security_keys[] = { "user", "level",
	"auth_protocol", "auth_password", "priv_protocol", "priv_password",
	NULL };
static const char *const metric_keys[] = { "name", "oid", NULL };
static const char *const table_keys[] = { "name", "oid", "max_rows", NULL };
static const char *const output_keys[] = { "type", "path", "self_metrics",
	NULL };
static const char *const alert_keys[] = { "metric", "above", "below",
	"command", "timeout_ms", NULL };

/*
 * The byte budgets.  A host with 10,000 processes walking all of
 * ptProcTable keeps about 20 MiB, so 64 MiB is never met by a real target
 * and met within a second by an agent sending endless or padded tables;
 * 1 GiB holds about four million table cells.  The upper bounds only stop
 * a typo from meaning "no budget".
 */
#define CFG_MAX_TARGET_MB	64
#define CFG_MAX_TARGET_MB_MAX	65536
#define CFG_MAX_RUN_MB		1024
#define CFG_MAX_RUN_MB_MAX	1048576
#define CFG_MB			(1024ULL * 1024)

/* net-snmp refuses shorter pass phrases (snmp_api.c, USM_LENGTH_P_MIN). */
#define CFG_PASSWORD_MIN	8

/*
 * The default metric set: PROCTEL-MIB ptSystem (DESIGN.md, "The OID
 * contract") plus sysUpTime and sysName.
 */
static const struct {
	const char	*name;
	const char	*oid;
} default_metrics[] = {
	{ "processes",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0" },
	{ "running",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.2.0" },
	{ "sleeping",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.3.0" },
	{ "disk_sleep",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.4.0" },
	{ "stopped",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.5.0" },
	{ "zombies",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.6.0" },
	{ "idle",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.7.0" },
	{ "threads",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.8.0" },
	{ "forks",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.9.0" },
	{ "zombie_parents",	"1.3.6.1.4.1.8072.9999.9999.1.1.1.10.0" },
	{ "oldest_zombie_age_s", "1.3.6.1.4.1.8072.9999.9999.1.1.1.11.0" },
	{ "pid_max",		"1.3.6.1.4.1.8072.9999.9999.1.1.1.12.0" },
	{ "snapshot_age_ms",	"1.3.6.1.4.1.8072.9999.9999.1.1.1.13.0" },
	{ "sysUpTime",		"1.3.6.1.2.1.1.3.0" },
	{ "sysName",		"1.3.6.1.2.1.1.5.0" },
};

void
cfg_security_free(struct cfg_security *s)
{
	free(s->cs_user);
	free(s->cs_auth_password);
	free(s->cs_priv_password);
	memset(s, 0, sizeof(*s));
}

void
cfg_opts_free(struct cfg_target_opts *o)
{
	free(o->to_community);
	o->to_community = NULL;
	cfg_security_free(&o->to_security);
	o->to_has_security = false;
}

static int
dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL)
		return 0;
	return (*dst = strdup(src)) == NULL ? -1 : 0;
}

int
cfg_opts_copy(struct cfg_target_opts *dst, const struct cfg_target_opts *src)
{
	*dst = *src;
	dst->to_community = NULL;
	memset(&dst->to_security, 0, sizeof(dst->to_security));
	dst->to_security.cs_level = src->to_security.cs_level;
	dst->to_security.cs_auth_proto = src->to_security.cs_auth_proto;
	dst->to_security.cs_priv_proto = src->to_security.cs_priv_proto;
	if (dup_str(&dst->to_community, src->to_community) == -1 ||
	    dup_str(&dst->to_security.cs_user, src->to_security.cs_user) == -1 ||
	    dup_str(&dst->to_security.cs_auth_password,
	    src->to_security.cs_auth_password) == -1 ||
	    dup_str(&dst->to_security.cs_priv_password,
	    src->to_security.cs_priv_password) == -1) {
		cfg_opts_free(dst);
		return -1;
	}
	return 0;
}

void
cfg_collector_free(struct cfg_collector *cc)
{
	size_t i, j;

	if (cc == NULL)
		return;
	free(cc->cc_path);
	cfg_opts_free(&cc->cc_defaults);
	for (i = 0; i < cc->cc_ntargets; i++) {
		struct cfg_target *t = &cc->cc_targets[i];

		free(t->ct_host);
		free(t->ct_name);
		cfg_opts_free(&t->ct_opts);
		for (j = 0; j < t->ct_nlabels; j++) {
			free(t->ct_labels[j].cl_key);
			free(t->ct_labels[j].cl_value);
		}
		free(t->ct_labels);
	}
	free(cc->cc_targets);
	for (i = 0; i < cc->cc_nmetrics; i++)
		free(cc->cc_metrics[i].cm_name);
	free(cc->cc_metrics);
	for (i = 0; i < cc->cc_ntables; i++)
		free(cc->cc_tables[i].ct_name);
	free(cc->cc_tables);
	for (i = 0; i < cc->cc_noutputs; i++) {
		free(cc->cc_outputs[i].co_path);
		cfg_remote_free(cc->cc_outputs[i].co_remote);
	}
	free(cc->cc_outputs);
	for (i = 0; i < cc->cc_nalerts; i++) {
		free(cc->cc_alerts[i].ca_metric);
		free(cc->cc_alerts[i].ca_command);
	}
	free(cc->cc_alerts);
	free(cc->cc_lock_path);
	free(cc);
}

static void
security_password(struct cfg_ctx *ctx, const struct cfg_node *m,
    const char *key, bool needed, char **out)
{
	const struct cfg_node *v = cfg_map_get(m, key);

	if (v == NULL) {
		if (needed)
			cfg_node_error(ctx, m, "security: level needs %s", key);
		return;
	}
	if (cfg_get_str(ctx, v, key, out) == -1)
		return;
	if (!needed)
		cfg_node_error(ctx, v, "%s: not used at this security level",
		    key);
	else if (strlen(*out) < CFG_PASSWORD_MIN)
		cfg_node_error(ctx, v, "%s: shorter than %d characters", key,
		    CFG_PASSWORD_MIN);
}

/*
 * security: {user, level, auth_protocol, auth_password, priv_protocol,
 * priv_password}.  Without `level`, the passwords given decide it.
 * Protocols default to SHA and AES, the strongest pair every agent has.
 */
static int
security_parse(struct cfg_ctx *ctx, const struct cfg_node *m,
    struct cfg_security *s)
{
	static const char *const privs[] = { "none", "DES", "AES", "AES-192",
	    "AES-256", NULL };
	const struct cfg_node *v;
	char what[80];
	int i;

	memset(s, 0, sizeof(*s));
	if (cfg_expect_map(ctx, m, "security") == -1)
		return -1;
	cfg_check_keys(ctx, m, security_keys, "security");
	if ((v = cfg_map_get(m, "user")) == NULL)
		cfg_node_error(ctx, m, "security: missing user");
	else if (cfg_get_str(ctx, v, "user", &s->cs_user) == 0 &&
	    s->cs_user[0] == '\0')
		cfg_node_error(ctx, v, "user: empty user name");
	if ((v = cfg_map_get(m, "level")) != NULL) {
		if ((i = cfg_word_index(v, cfg_level_names)) == -1)
			cfg_node_error(ctx, v, "level: expected noAuthNoPriv, "
			    "authNoPriv or authPriv, got %s",
			    cfg_node_describe(v, what, sizeof(what)));
		else
			s->cs_level = (enum cfg_sec_level)i;
	} else if (cfg_map_get(m, "priv_password") != NULL)
		s->cs_level = CFG_AUTHPRIV;
	else if (cfg_map_get(m, "auth_password") != NULL)
		s->cs_level = CFG_AUTHNOPRIV;
	else
		s->cs_level = CFG_NOAUTH;

	if (s->cs_level >= CFG_AUTHNOPRIV)
		s->cs_auth_proto = CFG_AUTH_SHA;
	if (s->cs_level == CFG_AUTHPRIV)
		s->cs_priv_proto = CFG_PRIV_AES;
	if ((v = cfg_map_get(m, "auth_protocol")) != NULL) {
		if ((i = cfg_word_index(v, cfg_auth_names)) <= 0)
			cfg_node_error(ctx, v, "auth_protocol: expected MD5, "
			    "SHA, SHA-224, SHA-256, SHA-384 or SHA-512, got %s",
			    cfg_node_describe(v, what, sizeof(what)));
		else if (s->cs_level >= CFG_AUTHNOPRIV)
			s->cs_auth_proto = (enum cfg_auth_proto)i;
	}
	if ((v = cfg_map_get(m, "priv_protocol")) != NULL) {
		if ((i = cfg_word_index(v, privs)) <= 0)
			cfg_node_error(ctx, v, "priv_protocol: expected DES, "
			    "AES, AES-192 or AES-256, got %s",
			    cfg_node_describe(v, what, sizeof(what)));
		else if (s->cs_level == CFG_AUTHPRIV)
			s->cs_priv_proto = (enum cfg_priv_proto)i;
	}
	security_password(ctx, m, "auth_password",
	    s->cs_level >= CFG_AUTHNOPRIV, &s->cs_auth_password);
	security_password(ctx, m, "priv_password",
	    s->cs_level == CFG_AUTHPRIV, &s->cs_priv_password);
	return 0;
}

int
cfg_opts_parse(struct cfg_ctx *ctx, const struct cfg_node *m,
    struct cfg_target_opts *o)
{
	const struct cfg_node *v;
	char what[80];
	uint32_t port;

	if ((v = cfg_map_get(m, "port")) != NULL &&
	    cfg_get_u32(ctx, v, "port", 1, 65535, &port) == 0)
		o->to_port = (uint16_t)port;
	/* 1, "1", 2c, "2c", 3, "3": YAML makes 1 and 3 numbers, 2c a string. */
	if ((v = cfg_map_get(m, "version")) != NULL) {
		if (v->n_kind == CFG_NODE_SCALAR && strcmp(v->n_str, "1") == 0)
			o->to_version = CFG_V1;
		else if (v->n_kind == CFG_NODE_SCALAR &&
		    strcmp(v->n_str, "2c") == 0)
			o->to_version = CFG_V2C;
		else if (v->n_kind == CFG_NODE_SCALAR &&
		    strcmp(v->n_str, "3") == 0)
			o->to_version = CFG_V3;
		else
			cfg_node_error(ctx, v, "version: expected 1, 2c or 3, "
			    "got %s", cfg_node_describe(v, what, sizeof(what)));
	}
	if ((v = cfg_map_get(m, "community")) != NULL &&
	    cfg_get_str(ctx, v, "community", &o->to_community) == 0 &&
	    o->to_community[0] == '\0')
		cfg_node_error(ctx, v, "community: empty community");
	if ((v = cfg_map_get(m, "timeout_ms")) != NULL)
		(void)cfg_get_u32(ctx, v, "timeout_ms", 1, 600000,
		    &o->to_timeout_ms);
	if ((v = cfg_map_get(m, "retries")) != NULL)
		(void)cfg_get_u32(ctx, v, "retries", 0, 20, &o->to_retries);
	/* A security block replaces the inherited one whole, never merges. */
	if ((v = cfg_map_get(m, "security")) != NULL) {
		cfg_security_free(&o->to_security);
		o->to_has_security = security_parse(ctx, v,
		    &o->to_security) == 0;
	}
	return 0;
}

static void
collector_defaults(struct coll_load *cl, const struct cfg_node *m)
{
	struct cfg_collector *cc = cl->cl_cc;
	const struct cfg_node *v;

	if (cfg_expect_map(cl->cl_ctx, m, "defaults") == -1)
		return;
	cfg_check_keys(cl->cl_ctx, m, defaults_keys, "defaults");
	(void)cfg_opts_parse(cl->cl_ctx, m, &cc->cc_defaults);
	/* Say it once here, not once per inheriting target. */
	if (cc->cc_defaults.to_version == CFG_V3 &&
	    !cc->cc_defaults.to_has_security &&
	    (v = cfg_map_get(m, "version")) != NULL) {
		cfg_node_error(cl->cl_ctx, v, "version: 3 needs a security "
		    "block with a user");
		cl->cl_v3_reported = true;
	}
}

/* Shared by metrics and tables: a named, valid, unique OID. */
static int
named_oid(struct cfg_ctx *ctx, const struct cfg_node *m, const char *what,
    char **name, struct oid *oid, unsigned *line, unsigned *col)
{
	const struct cfg_node *v;
	const char *errstr;
	char desc[80];

	*line = m->n_line;
	*col = m->n_col;
	if ((v = cfg_map_get(m, "name")) != NULL) {
		*line = v->n_line;
		*col = v->n_col;
	}
	if (v == NULL)
		cfg_node_error(ctx, m, "%s: missing name", what);
	else if (cfg_get_str(ctx, v, "name", name) == 0 && !cfg_name_ok(*name))
		cfg_node_error(ctx, v, "name: invalid %s name %s (letters, "
		    "digits, '_', '.', '-')", what,
		    cfg_node_describe(v, desc, sizeof(desc)));
	if ((v = cfg_map_get(m, "oid")) == NULL)
		cfg_node_error(ctx, m, "%s: missing oid", what);
	else if (v->n_kind != CFG_NODE_SCALAR || cfg_is_null(v))
		cfg_node_error(ctx, v, "oid: expected an OID, got %s",
		    cfg_node_describe(v, desc, sizeof(desc)));
	else if (cfg_oid_parse(v->n_str, oid, &errstr) == -1)
		cfg_node_error(ctx, v, "oid: invalid OID %s: %s",
		    cfg_node_describe(v, desc, sizeof(desc)), errstr);
	return 0;
}

/* Report names[i] that repeat an earlier one, at at[i]. */
static void
report_dups(struct cfg_ctx *ctx, char *const *names,
    const struct cfg_node *const *at, size_t n, const char *what)
{
	bool *dup;
	size_t i;
	char desc[80];

	if (n < 2)
		return;
	if ((dup = calloc(n, sizeof(*dup))) == NULL ||
	    cfg_dups_mark(names, n, dup) == -1) {
		cfg_errorf(ctx->cx_errs, ctx->cx_file, 0, 0, "out of memory");
		free(dup);
		return;
	}
	for (i = 0; i < n; i++)
		if (dup[i])
			cfg_node_error(ctx, at[i], "name: duplicate %s %s", what,
			    cfg_node_describe(at[i], desc, sizeof(desc)));
	free(dup);
}

static void
collector_metrics(struct coll_load *cl, const struct cfg_node *seq)
{
	struct cfg_collector *cc = cl->cl_cc;
	const struct cfg_node **at = NULL;
	char **names = NULL;
	size_t i;

	if (cfg_expect_seq(cl->cl_ctx, seq, "metrics") == -1)
		return;
	if (seq->n_nkids == 0)
		return;
	if ((cc->cc_metrics = calloc(seq->n_nkids, sizeof(*cc->cc_metrics)))
	    == NULL || (at = calloc(seq->n_nkids, sizeof(*at))) == NULL ||
	    (names = calloc(seq->n_nkids, sizeof(*names))) == NULL)
		goto nomem;
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *m = seq->n_kids[i];
		struct cfg_metric *cm = &cc->cc_metrics[cc->cc_nmetrics];

		if (cfg_expect_map(cl->cl_ctx, m, "metrics") == -1)
			continue;
		cfg_check_keys(cl->cl_ctx, m, metric_keys, "metric");
		(void)named_oid(cl->cl_ctx, m, "metric", &cm->cm_name,
		    &cm->cm_oid, &cm->cm_line, &cm->cm_col);
		at[cc->cc_nmetrics] = cfg_map_get(m, "name");
		names[cc->cc_nmetrics] = cm->cm_name;
		cc->cc_nmetrics++;
	}
	report_dups(cl->cl_ctx, names, at, cc->cc_nmetrics, "metric");
	goto out;
nomem:
	cfg_node_error(cl->cl_ctx, seq, "metrics: out of memory");
out:
	free(at);
	free(names);
}

static int
collector_default_metrics(struct cfg_collector *cc)
{
	size_t i, n = sizeof(default_metrics) / sizeof(default_metrics[0]);
	const char *errstr;

	if ((cc->cc_metrics = calloc(n, sizeof(*cc->cc_metrics))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct cfg_metric *cm = &cc->cc_metrics[i];

		if ((cm->cm_name = strdup(default_metrics[i].name)) == NULL)
			return -1;
		cc->cc_nmetrics++;
		if (oid_parse(default_metrics[i].oid, &cm->cm_oid, &errstr)
		    == -1)
			return -1;
	}
	return 0;
}

static void
collector_tables(struct coll_load *cl, const struct cfg_node *seq)
{
	struct cfg_collector *cc = cl->cl_cc;
	const struct cfg_node **at = NULL, *v;
	char **names = NULL;
	size_t i;

	if (cfg_expect_seq(cl->cl_ctx, seq, "tables") == -1)
		return;
	if (seq->n_nkids == 0)
		return;
	if ((cc->cc_tables = calloc(seq->n_nkids, sizeof(*cc->cc_tables)))
	    == NULL || (at = calloc(seq->n_nkids, sizeof(*at))) == NULL ||
	    (names = calloc(seq->n_nkids, sizeof(*names))) == NULL)
		goto nomem;
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *m = seq->n_kids[i];
		struct cfg_table *ct = &cc->cc_tables[cc->cc_ntables];

		if (cfg_expect_map(cl->cl_ctx, m, "tables") == -1)
			continue;
		cfg_check_keys(cl->cl_ctx, m, table_keys, "table");
		(void)named_oid(cl->cl_ctx, m, "table", &ct->ct_name,
		    &ct->ct_oid, &ct->ct_line, &ct->ct_col);
		ct->ct_max_rows = 10000;
		if ((v = cfg_map_get(m, "max_rows")) != NULL)
			(void)cfg_get_u32(cl->cl_ctx, v, "max_rows", 1,
			    1000000, &ct->ct_max_rows);
		at[cc->cc_ntables] = cfg_map_get(m, "name");
		names[cc->cc_ntables] = ct->ct_name;
		cc->cc_ntables++;
	}
	report_dups(cl->cl_ctx, names, at, cc->cc_ntables, "table");
	goto out;
nomem:
	cfg_node_error(cl->cl_ctx, seq, "tables: out of memory");
out:
	free(at);
	free(names);
}

static void
collector_outputs(struct coll_load *cl, const struct cfg_node *seq)
{
	static const char *const types[] = { "sqlite", "jsonl", "csv", "prom",
	    "influx", "remote_write", "influx_http", NULL };
	struct cfg_collector *cc = cl->cl_cc;
	const struct cfg_node *v;
	char what[80];
	size_t i;
	bool self;
	int t;

	if (cfg_expect_seq(cl->cl_ctx, seq, "outputs") == -1)
		return;
	if (seq->n_nkids == 0)
		return;
	cc->cc_outputs = calloc(seq->n_nkids, sizeof(*cc->cc_outputs));
	if (cc->cc_outputs == NULL) {
		cfg_node_error(cl->cl_ctx, seq, "outputs: out of memory");
		return;
	}
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *m = seq->n_kids[i];
		struct cfg_output *co = &cc->cc_outputs[cc->cc_noutputs];

		if (cfg_expect_map(cl->cl_ctx, m, "outputs") == -1)
			continue;
		cc->cc_noutputs++;
		t = -1;
		if ((v = cfg_map_get(m, "type")) == NULL)
			cfg_node_error(cl->cl_ctx, m, "output: missing type");
		else if (v->n_kind != CFG_NODE_SCALAR ||
		    (t = cfg_word_index(v, types)) == -1 ||
		    strcmp(v->n_str, types[t]) != 0) {
			t = -1;
			cfg_node_error(cl->cl_ctx, v, "type: expected sqlite, "
			    "jsonl, csv, prom, influx, remote_write or "
			    "influx_http, got %s",
			    cfg_node_describe(v, what, sizeof(what)));
		} else
			co->co_type = (enum cfg_output_type)t;
		co->co_self_metrics = -1;
		if ((v = cfg_map_get(m, "self_metrics")) != NULL &&
		    cfg_get_bool(cl->cl_ctx, v, "self_metrics", &self) == 0)
			co->co_self_metrics = self;
		if (t == CFG_OUT_REMOTE_WRITE || t == CFG_OUT_INFLUX_HTTP) {
			cfg_output_remote_load(cl->cl_ctx, m, co);
			continue;
		}
		cfg_check_keys(cl->cl_ctx, m, output_keys, "output");
		if ((v = cfg_map_get(m, "path")) == NULL)
			cfg_node_error(cl->cl_ctx, m, "output: missing path");
		else if (cfg_get_str(cl->cl_ctx, v, "path", &co->co_path) ==
		    0) {
			if (co->co_path[0] == '\0')
				cfg_node_error(cl->cl_ctx, v, "path: empty "
				    "path");
			else if (strcmp(co->co_path, "-") == 0 &&
			    (t == CFG_OUT_SQLITE || t == CFG_OUT_PROM))
				cfg_node_error(cl->cl_ctx, v, "path: %s output "
				    "cannot be standard output", types[t]);
		}
	}
}

static bool
metric_known(const struct cfg_collector *cc, const char *name)
{
	size_t i;

	for (i = 0; i < cc->cc_nmetrics; i++)
		if (cc->cc_metrics[i].cm_name != NULL &&
		    strcmp(cc->cc_metrics[i].cm_name, name) == 0)
			return true;
	return false;
}

static void
collector_alerts(struct coll_load *cl, const struct cfg_node *seq)
{
	struct cfg_collector *cc = cl->cl_cc;
	struct cfg_ctx *ctx = cl->cl_ctx;
	const struct cfg_node *v;
	char what[80];
	size_t i;

	if (cfg_expect_seq(ctx, seq, "alerts") == -1)
		return;
	if (seq->n_nkids == 0)
		return;
	if ((cc->cc_alerts = calloc(seq->n_nkids, sizeof(*cc->cc_alerts)))
	    == NULL) {
		cfg_node_error(ctx, seq, "alerts: out of memory");
		return;
	}
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *m = seq->n_kids[i];
		struct cfg_alert *ca = &cc->cc_alerts[cc->cc_nalerts];

		if (cfg_expect_map(ctx, m, "alerts") == -1)
			continue;
		cfg_check_keys(ctx, m, alert_keys, "alert");
		cc->cc_nalerts++;
		ca->ca_timeout_ms = 10000;
		if ((v = cfg_map_get(m, "metric")) == NULL)
			cfg_node_error(ctx, m, "alert: missing metric");
		else if (cfg_get_str(ctx, v, "metric", &ca->ca_metric) == 0 &&
		    !metric_known(cc, ca->ca_metric))
			cfg_node_error(ctx, v, "metric: unknown metric %s",
			    cfg_node_describe(v, what, sizeof(what)));
		if ((v = cfg_map_get(m, "above")) != NULL)
			ca->ca_has_above = cfg_get_double(ctx, v, "above",
			    &ca->ca_above) == 0;
		if ((v = cfg_map_get(m, "below")) != NULL)
			ca->ca_has_below = cfg_get_double(ctx, v, "below",
			    &ca->ca_below) == 0;
		if (cfg_map_get(m, "above") == NULL &&
		    cfg_map_get(m, "below") == NULL)
			cfg_node_error(ctx, m, "alert: needs above or below");
		if ((v = cfg_map_get(m, "command")) == NULL)
			cfg_node_error(ctx, m, "alert: missing command");
		else if (cfg_get_str(ctx, v, "command", &ca->ca_command) ==
		    0 && ca->ca_command[0] == '\0')
			cfg_node_error(ctx, v, "command: empty command");
		if ((v = cfg_map_get(m, "timeout_ms")) != NULL)
			(void)cfg_get_u32(ctx, v, "timeout_ms", 1, 600000,
			    &ca->ca_timeout_ms);
	}
}

static void
collector_fill(struct coll_load *cl, const struct cfg_node *root)
{
	struct cfg_collector *cc = cl->cl_cc;
	struct cfg_ctx *ctx = cl->cl_ctx;
	const struct cfg_node *v;
	uint32_t mb;

	cfg_check_keys(ctx, root, collector_keys, "collector config");
	if ((v = cfg_map_get(root, "defaults")) != NULL)
		collector_defaults(cl, v);
	if ((v = cfg_map_get(root, "concurrency")) != NULL)
		(void)cfg_get_u32(ctx, v, "concurrency", 1, 100000,
		    &cc->cc_concurrency);
	if ((v = cfg_map_get(root, "deadline_s")) != NULL)
		(void)cfg_get_u32(ctx, v, "deadline_s", 1, 86400,
		    &cc->cc_deadline_s);
	if ((v = cfg_map_get(root, "interval_s")) != NULL)
		(void)cfg_get_u32(ctx, v, "interval_s", 1, 86400,
		    &cc->cc_interval_s);
	if ((v = cfg_map_get(root, "max_target_mb")) != NULL &&
	    cfg_get_u32(ctx, v, "max_target_mb", 1, CFG_MAX_TARGET_MB_MAX,
	    &mb) == 0)
		cc->cc_max_target_bytes = mb * CFG_MB;
	if ((v = cfg_map_get(root, "max_run_mb")) != NULL &&
	    cfg_get_u32(ctx, v, "max_run_mb", 1, CFG_MAX_RUN_MB_MAX, &mb) == 0)
		cc->cc_max_run_bytes = mb * CFG_MB;
	if ((v = cfg_map_get(root, "targets")) == NULL || cfg_is_null(v))
		cfg_node_error(ctx, v != NULL ? v : root,
		    "targets: no targets");
	else
		cfg_targets_load(cl, v);
	/* Absent (or null) metrics means the default set. */
	if ((v = cfg_map_get(root, "metrics")) != NULL && !cfg_is_null(v))
		collector_metrics(cl, v);
	else if (collector_default_metrics(cc) == -1)
		cfg_node_error(ctx, root, "metrics: out of memory");
	if ((v = cfg_map_get(root, "tables")) != NULL && !cfg_is_null(v))
		collector_tables(cl, v);
	cfg_export_names_check(ctx, cc);
	if ((v = cfg_map_get(root, "outputs")) != NULL && !cfg_is_null(v))
		collector_outputs(cl, v);
	if ((v = cfg_map_get(root, "alerts")) != NULL && !cfg_is_null(v))
		collector_alerts(cl, v);
	if ((v = cfg_map_get(root, "lock_file")) != NULL &&
	    cfg_get_str(ctx, v, "lock_file", &cc->cc_lock_path) == 0 &&
	    cc->cc_lock_path[0] == '\0')
		cfg_node_error(ctx, v, "lock_file: empty path");
}

static struct cfg_collector *
collector_new(const char *name)
{
	struct cfg_collector *cc;
	size_t len = strlen(name);

	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return NULL;
	cc->cc_defaults.to_port = 161;
	cc->cc_defaults.to_version = CFG_V2C;
	cc->cc_defaults.to_timeout_ms = 1000;
	cc->cc_defaults.to_retries = 2;
	cc->cc_concurrency = 1000;
	cc->cc_deadline_s = 50;
	cc->cc_interval_s = 60;
	cc->cc_max_target_bytes = CFG_MAX_TARGET_MB * CFG_MB;
	cc->cc_max_run_bytes = CFG_MAX_RUN_MB * CFG_MB;
	if ((cc->cc_defaults.to_community = strdup("public")) == NULL ||
	    (cc->cc_path = strdup(name)) == NULL ||
	    len > SIZE_MAX - 6 || (cc->cc_lock_path = malloc(len + 6)) == NULL)
		goto fail;
	memcpy(cc->cc_lock_path, name, len);
	memcpy(cc->cc_lock_path + len, ".lock", 6);
	return cc;
fail:
	cfg_collector_free(cc);
	return NULL;
}

struct cfg_collector *
cfg_collector_load_buf(const char *name, const char *buf, size_t len,
    struct cfg_errors *errs)
{
	struct cfg_errors local = { NULL, 0, 0 };
	struct cfg_ctx ctx;
	struct coll_load cl;
	struct cfg_node *root = NULL;
	struct cfg_collector *cc = NULL;
	char *dir = NULL;

	if (errs == NULL)
		errs = &local;
	if (name == NULL)
		name = "collector.yaml";
	memset(&ctx, 0, sizeof(ctx));
	memset(&cl, 0, sizeof(cl));
	ctx.cx_file = name;
	ctx.cx_errs = errs;
	ctx.cx_start = cfg_errors_total(errs);
	ctx.cx_first = errs->ce_count;
	if ((dir = cfg_dirname(name)) == NULL ||
	    (cc = collector_new(name)) == NULL) {
		cfg_errorf(errs, name, 0, 0, "out of memory");
		goto fail;
	}
	ctx.cx_dir = dir;
	if (cfg_yaml_parse(&ctx, buf, len, &root) == -1)
		goto fail;
	cl.cl_ctx = &ctx;
	cl.cl_cc = cc;
	if (root == NULL)
		cfg_errorf(errs, name, 1, 1, "targets: no targets");
	else if (cfg_expect_map(&ctx, root, "collector config") == 0)
		collector_fill(&cl, root);
	if (cfg_ctx_failed(&ctx)) {
		cfg_errors_sort(errs, ctx.cx_first, ctx.cx_file);
		goto fail;
	}
	cfg_node_free(root);
	free(dir);
	cfg_errors_free(&local);
	return cc;
fail:
	cfg_node_free(root);
	cfg_collector_free(cc);
	free(dir);
	cfg_errors_free(&local);
	return NULL;
}

struct cfg_collector *
cfg_collector_load(const char *path, struct cfg_errors *errs)
{
	struct cfg_errors local = { NULL, 0, 0 };
	struct cfg_collector *cc;
	char *buf;
	size_t len;

	if (cfg_read_file(path, &buf, &len) == -1) {
		cfg_errorf(errs != NULL ? errs : &local, path, 0, 0, "%s",
		    strerror(errno));
		cfg_errors_free(&local);
		return NULL;
	}
	cc = cfg_collector_load_buf(path, buf, len, errs);
	free(buf);
	return cc;
}
