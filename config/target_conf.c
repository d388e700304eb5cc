/*
 * target_conf: the `targets` list of collector.yaml.  A target is either
 * inline ({host, port, name, labels, and any `defaults` key}) or a group
 * ({file: hosts.txt, plus the same overrides and labels}) whose file holds
 * one host[:port] per line.  Hosts are numeric first, then resolved once at
 * load; problems in a hosts file are reported as HOSTS:LINE:COLUMN.  It
 * does not re-resolve later or poll anything.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/collector_int.h"
#include "lib/strnum.h"

/* RFC 1035 section 2.3.4: a name is at most 255 octets. */
#define CFG_HOST_MAX	255

static const char *const target_keys[] = { "host", "port", "name", "labels",
	"version", "community", "timeout_ms", "retries", "security", NULL };
static const char *const group_keys[] = { "file", "port", "labels",
	"version", "community", "timeout_ms", "retries", "security", NULL };

static bool cfg_no_resolve, cfg_no_files;

void
cfg_set_offline(bool offline)
{
	cfg_no_resolve = cfg_no_files = offline;
}

void
cfg_set_offline_parts(bool no_resolve, bool no_files)
{
	cfg_no_resolve = no_resolve;
	cfg_no_files = no_files;
}

bool
cfg_is_offline(void)
{
	return cfg_no_resolve && cfg_no_files;
}

/* Where each target was defined, for the duplicate-name check. */
struct tgt_where {
	const char	*tw_file;
	unsigned	 tw_line;
	unsigned	 tw_col;
};

struct tgt_build {
	struct coll_load	*tb_cl;
	struct tgt_where	*tb_where;	/* parallel to cc_targets */
	size_t			 tb_cap;
	char			**tb_files;	/* hosts paths named in tb_where */
	size_t			 tb_nfiles;
	bool			 tb_full;	/* CFG_TARGETS_MAX reported */
};

struct tgt_labels {
	struct cfg_label	*tl_labels;
	size_t			 tl_n;
};

static void
labels_free(struct tgt_labels *tl)
{
	size_t i;

	for (i = 0; i < tl->tl_n; i++) {
		free(tl->tl_labels[i].cl_key);
		free(tl->tl_labels[i].cl_value);
	}
	free(tl->tl_labels);
	tl->tl_labels = NULL;
	tl->tl_n = 0;
}

/* Prometheus label names: [A-Za-z_][A-Za-z0-9_]*, the strictest sink. */
static bool
label_name_ok(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	    s[0] == '_'))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return i <= 128;
}

/* A label key as the Prometheus and InfluxDB sinks write it. */
static bool
label_written_eq(const char *a, const char *b)
{
	if (cfg_label_renamed(a) == cfg_label_renamed(b))
		return strcmp(a, b) == 0;
	if (cfg_label_renamed(a))
		return strncmp(b, "label_", 6) == 0 && strcmp(b + 6, a) == 0;
	return strncmp(a, "label_", 6) == 0 && strcmp(a + 6, b) == 0;
}

static void
labels_parse(struct cfg_ctx *ctx, const struct cfg_node *m,
    struct tgt_labels *tl)
{
	const char *why;
	char what[80];
	size_t i, j;

	if (cfg_expect_map(ctx, m, "labels") == -1 || m->n_nkids == 0)
		return;
	tl->tl_labels = calloc(m->n_nkids / 2, sizeof(*tl->tl_labels));
	if (tl->tl_labels == NULL) {
		cfg_node_error(ctx, m, "labels: out of memory");
		return;
	}
	for (i = 0; i + 1 < m->n_nkids; i += 2) {
		const struct cfg_node *k = m->n_kids[i], *v = m->n_kids[i + 1];
		struct cfg_label *l = &tl->tl_labels[tl->tl_n];

		/* A non-string key was reported by the parser already. */
		if (k->n_kind != CFG_NODE_SCALAR)
			continue;
		if (!label_name_ok(k->n_str)) {
			cfg_node_error(ctx, k, "labels: invalid label name %s "
			    "(letters, digits, '_')",
			    cfg_node_describe(k, what, sizeof(what)));
			continue;
		}
		for (j = 0; j < tl->tl_n; j++)
			if (label_written_eq(tl->tl_labels[j].cl_key, k->n_str))
				break;
		if (j < tl->tl_n) {
			cfg_node_error(ctx, k, "labels: '%s' and '%s' would "
			    "both be the label label_%s in Prometheus and "
			    "InfluxDB", tl->tl_labels[j].cl_key, k->n_str,
			    cfg_label_renamed(k->n_str) ? k->n_str :
			    tl->tl_labels[j].cl_key);
			continue;
		}
		if (cfg_get_str(ctx, v, k->n_str, &l->cl_value) == -1)
			continue;
		if ((why = cfg_tag_value_problem(l->cl_value)) != NULL) {
			cfg_node_error(ctx, v, "%s: %s holds %s, which an "
			    "InfluxDB tag cannot carry exactly", k->n_str,
			    cfg_node_describe(v, what, sizeof(what)), why);
			free(l->cl_value);
			l->cl_value = NULL;
			continue;
		}
		if ((l->cl_key = strdup(k->n_str)) == NULL) {
			free(l->cl_value);
			l->cl_value = NULL;
			cfg_node_error(ctx, m, "labels: out of memory");
			return;
		}
		tl->tl_n++;
	}
}

static int
labels_copy(struct cfg_target *t, const struct tgt_labels *tl)
{
	size_t i;

	if (tl->tl_n == 0)
		return 0;
	if ((t->ct_labels = calloc(tl->tl_n, sizeof(*t->ct_labels))) == NULL)
		return -1;
	for (i = 0; i < tl->tl_n; i++) {
		t->ct_nlabels++;
		if ((t->ct_labels[i].cl_key = strdup(tl->tl_labels[i].cl_key))
		    == NULL || (t->ct_labels[i].cl_value =
		    strdup(tl->tl_labels[i].cl_value)) == NULL)
			return -1;
	}
	return 0;
}

/*
 * Numeric first, so addresses never touch the resolver; then a lookup,
 * unless offline.  Returns 0, or -1 with *why set.
 */
static int
target_resolve(const char *host, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *sslen, const char **why)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 && cfg_no_resolve) {
		*why = "not a numeric address (name resolution is off)";
		return -1;
	}
	if (rc != 0) {
		hints.ai_flags = 0;
		rc = getaddrinfo(host, NULL, &hints, &res);
	}
	if (rc != 0) {
		*why = rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc);
		return -1;
	}
	if (res->ai_addrlen > sizeof(*ss) || (res->ai_family != AF_INET &&
	    res->ai_family != AF_INET6)) {
		freeaddrinfo(res);
		*why = "no IPv4 or IPv6 address";
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = (socklen_t)res->ai_addrlen;
	if (res->ai_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	freeaddrinfo(res);
	return 0;
}

/* "host", or "host:port" / "[v6]:port" when the port is not 161. */
static char *
target_default_name(const char *host, uint16_t port)
{
	char buf[CFG_HOST_MAX + 16];
	int n;

	if (port == 161)
		return strdup(host);
	n = snprintf(buf, sizeof(buf), strchr(host, ':') != NULL ?
	    "[%s]:%u" : "%s:%u", host, (unsigned)port);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return strdup(buf);
}

/*
 * Append one target; opts and labels are copied.  Errors (resolution
 * included) are reported at file:line:col.  Returns -1 only when loading
 * should stop (out of memory or too many targets).
 */
static int
target_add(struct tgt_build *tb, const char *host, const char *name,
    const struct cfg_target_opts *opts, const struct tgt_labels *tl,
    const struct tgt_where *w, const struct tgt_where *hw)
{
	struct cfg_collector *cc = tb->tb_cl->cl_cc;
	struct cfg_errors *errs = tb->tb_cl->cl_ctx->cx_errs;
	struct cfg_target *t;
	const char *why;
	char desc[80];

	if (cc->cc_ntargets >= CFG_TARGETS_MAX) {
		if (!tb->tb_full)
			cfg_errorf(errs, w->tw_file, w->tw_line, w->tw_col,
			    "more than %d targets", CFG_TARGETS_MAX);
		tb->tb_full = true;
		return -1;
	}
	if (cc->cc_ntargets == tb->tb_cap) {
		size_t cap = tb->tb_cap == 0 ? 16 : tb->tb_cap * 2;
		struct tgt_where *nw;

		t = reallocarray(cc->cc_targets, cap, sizeof(*t));
		if (t == NULL)
			goto nomem;
		cc->cc_targets = t;
		nw = reallocarray(tb->tb_where, cap, sizeof(*nw));
		if (nw == NULL)
			goto nomem;
		tb->tb_where = nw;
		tb->tb_cap = cap;
	}
	t = &cc->cc_targets[cc->cc_ntargets];
	memset(t, 0, sizeof(*t));
	tb->tb_where[cc->cc_ntargets] = *w;
	cc->cc_ntargets++;
	if (cfg_opts_copy(&t->ct_opts, opts) == -1 ||
	    (t->ct_host = strdup(host)) == NULL || labels_copy(t, tl) == -1)
		goto nomem;
	t->ct_name = name != NULL ? strdup(name) :
	    target_default_name(host, opts->to_port);
	if (t->ct_name == NULL)
		goto nomem;
	if (target_resolve(host, opts->to_port, &t->ct_addr, &t->ct_addrlen,
	    &why) == -1)
		cfg_errorf(errs, hw->tw_file, hw->tw_line, hw->tw_col,
		    "host: cannot resolve %s: %s", cfg_str_describe(host,
		    desc, sizeof(desc)), why);
	return 0;
nomem:
	cfg_errorf(errs, w->tw_file, w->tw_line, w->tw_col, "out of memory");
	return -1;
}

static bool
host_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
	    c == ':' || c == '%';
}

/*
 * One line of a hosts file: blank, "# comment", or host[:port] with an
 * optional trailing comment.  Returns -1 only when loading should stop.
 */
static int
hosts_line(struct tgt_build *tb, const char *path, unsigned lineno,
    const char *line, size_t len, const struct cfg_target_opts *gopts,
    const struct tgt_labels *tl)
{
	struct cfg_errors *errs = tb->tb_cl->cl_ctx->cx_errs;
	struct cfg_target_opts opts;
	struct tgt_where w;
	char host[CFG_HOST_MAX + 1], portbuf[8];
	size_t i = 0, start, end, hs, he, ps = 0, pe = 0, colons = 0;
	uint64_t port;
	const char *errstr;
	int rc;

	while (i < len && (line[i] == ' ' || line[i] == '\t' ||
	    line[i] == '\r'))
		i++;
	if (i == len || line[i] == '#')
		return 0;
	start = i;
	while (i < len && line[i] != ' ' && line[i] != '\t' &&
	    line[i] != '\r' && line[i] != '#')
		i++;
	end = i;
	while (i < len && (line[i] == ' ' || line[i] == '\t' ||
	    line[i] == '\r'))
		i++;
	if (i < len && line[i] != '#') {
		cfg_errorf(errs, path, lineno, (unsigned)i + 1,
		    "unexpected text after the host");
		return 0;
	}
	hs = start;
	he = end;
	if (line[start] == '[') {
		const char *rb = memchr(line + start, ']', end - start);

		if (rb == NULL) {
			cfg_errorf(errs, path, lineno, (unsigned)start + 1,
			    "missing ']'");
			return 0;
		}
		hs = start + 1;
		he = (size_t)(rb - line);
		if (he + 1 < end) {
			if (line[he + 1] != ':') {
				cfg_errorf(errs, path, lineno,
				    (unsigned)he + 2, "expected ':' after ']'");
				return 0;
			}
			ps = he + 2;
			pe = end;
		}
	} else {
		for (i = start; i < end; i++)
			if (line[i] == ':')
				colons++;
		/* One colon is host:port; more is a bare IPv6 address. */
		if (colons == 1) {
			he = (size_t)((const char *)memchr(line + start, ':',
			    end - start) - line);
			ps = he + 1;
			pe = end;
		}
	}
	for (i = hs; i < he; i++)
		if (!host_char_ok(line[i])) {
			cfg_errorf(errs, path, lineno, (unsigned)i + 1,
			    "invalid character in host");
			return 0;
		}
	if (he == hs || he - hs > CFG_HOST_MAX) {
		cfg_errorf(errs, path, lineno, (unsigned)hs + 1, he == hs ?
		    "empty host" : "host name too long");
		return 0;
	}
	memcpy(host, line + hs, he - hs);
	host[he - hs] = '\0';
	if (cfg_opts_copy(&opts, gopts) == -1) {
		cfg_errorf(errs, path, lineno, 1, "out of memory");
		return -1;
	}
	if (ps != 0) {
		if (pe - ps >= sizeof(portbuf) || pe == ps)
			goto badport;
		memcpy(portbuf, line + ps, pe - ps);
		portbuf[pe - ps] = '\0';
		if (strnum_u64(portbuf, 1, 65535, &port, &errstr) == -1)
			goto badport;
		opts.to_port = (uint16_t)port;
	}
	w.tw_file = path;
	w.tw_line = lineno;
	w.tw_col = (unsigned)start + 1;
	rc = target_add(tb, host, NULL, &opts, tl, &w, &w);
	cfg_opts_free(&opts);
	return rc;
badport:
	cfg_errorf(errs, path, lineno, (unsigned)ps + 1,
	    "invalid port (1..65535)");
	cfg_opts_free(&opts);
	return 0;
}

static void
hosts_file(struct tgt_build *tb, const struct cfg_node *fnode,
    const struct cfg_target_opts *gopts, const struct tgt_labels *tl)
{
	struct cfg_ctx *ctx = tb->tb_cl->cl_ctx;
	char **files, *path, *buf = NULL;
	size_t len, off = 0;
	unsigned lineno = 0;

	if (cfg_no_files) {
		cfg_node_error(ctx, fnode, "file: hosts files are disabled");
		return;
	}
	if ((path = cfg_path_join(ctx->cx_dir, fnode->n_str)) == NULL)
		goto nomem;
	files = reallocarray(tb->tb_files, tb->tb_nfiles + 1, sizeof(*files));
	if (files == NULL) {
		free(path);
		goto nomem;
	}
	tb->tb_files = files;
	tb->tb_files[tb->tb_nfiles++] = path;
	if (cfg_read_file(path, &buf, &len) == -1) {
		cfg_node_error(ctx, fnode, "file: cannot read '%.200s': %s",
		    path, strerror(errno));
		return;
	}
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t ll = nl != NULL ? (size_t)(nl - (buf + off)) : len - off;

		lineno++;
		if (hosts_line(tb, path, lineno, buf + off, ll, gopts, tl)
		    == -1)
			break;
		off += ll + 1;
	}
	free(buf);
	return;
nomem:
	cfg_node_error(ctx, fnode, "file: out of memory");
}

/* v3 without a security block cannot be polled; say where it was asked. */
static void
target_check_v3(struct tgt_build *tb, const struct cfg_node *m,
    const struct cfg_target_opts *opts)
{
	const struct cfg_node *v;

	if (opts->to_version != CFG_V3 || opts->to_has_security ||
	    cfg_map_get(m, "security") != NULL)
		return;
	if ((v = cfg_map_get(m, "version")) != NULL)
		cfg_node_error(tb->tb_cl->cl_ctx, v, "version: 3 needs a "
		    "security block with a user");
	else if (!tb->tb_cl->cl_v3_reported)
		cfg_node_error(tb->tb_cl->cl_ctx, m, "target: version 3 needs "
		    "a security block with a user");
}

/* One item of `targets`.  Returns -1 only when loading should stop. */
static int
target_item(struct tgt_build *tb, const struct cfg_node *m)
{
	struct cfg_ctx *ctx = tb->tb_cl->cl_ctx;
	struct cfg_target_opts opts;
	struct tgt_labels tl = { NULL, 0 };
	const struct cfg_node *v, *hostn, *namen;
	struct tgt_where w, hw;
	char *host = NULL, *name = NULL, desc[80];
	const char *why;
	int rc = 0;

	if (cfg_expect_map(ctx, m, "targets") == -1)
		return 0;
	if (cfg_opts_copy(&opts, &tb->tb_cl->cl_cc->cc_defaults) == -1) {
		cfg_node_error(ctx, m, "targets: out of memory");
		return -1;
	}
	(void)cfg_opts_parse(ctx, m, &opts);
	target_check_v3(tb, m, &opts);
	if ((v = cfg_map_get(m, "labels")) != NULL)
		labels_parse(ctx, v, &tl);
	if ((v = cfg_map_get(m, "file")) != NULL) {
		cfg_check_keys(ctx, m, group_keys, "file target");
		if (cfg_get_str(ctx, v, "file", &host) == 0)
			hosts_file(tb, v, &opts, &tl);
		goto out;
	}
	cfg_check_keys(ctx, m, target_keys, "target");
	if ((hostn = cfg_map_get(m, "host")) == NULL) {
		cfg_node_error(ctx, m, "target: missing host (or file)");
		goto out;
	}
	if (cfg_get_str(ctx, hostn, "host", &host) == -1)
		goto out;
	if (host[0] == '\0' || strlen(host) > CFG_HOST_MAX) {
		cfg_node_error(ctx, hostn, "host: %s host", host[0] == '\0' ?
		    "empty" : "over-long");
		goto out;
	}
	if ((namen = cfg_map_get(m, "name")) != NULL) {
		if (cfg_get_str(ctx, namen, "name", &name) == -1)
			goto out;
		if (name[0] == '\0') {
			cfg_node_error(ctx, namen, "name: empty name");
			goto out;
		}
		if ((why = cfg_tag_value_problem(name)) != NULL) {
			cfg_node_error(ctx, namen, "name: %s holds %s, which an "
			    "InfluxDB tag cannot carry exactly",
			    cfg_node_describe(namen, desc, sizeof(desc)), why);
			goto out;
		}
	}
	w.tw_file = hw.tw_file = ctx->cx_file;
	w.tw_line = (namen != NULL ? namen : hostn)->n_line;
	w.tw_col = (namen != NULL ? namen : hostn)->n_col;
	hw.tw_line = hostn->n_line;
	hw.tw_col = hostn->n_col;
	if (target_add(tb, host, name, &opts, &tl, &w, &hw) == -1)
		rc = -1;
out:
	cfg_opts_free(&opts);
	labels_free(&tl);
	free(host);
	free(name);
	return rc;
}

void
cfg_targets_load(struct coll_load *cl, const struct cfg_node *seq)
{
	struct cfg_collector *cc = cl->cl_cc;
	struct tgt_build tb;
	char **names = NULL, desc[80];
	bool *dup = NULL;
	size_t i;

	memset(&tb, 0, sizeof(tb));
	tb.tb_cl = cl;
	if (cfg_expect_seq(cl->cl_ctx, seq, "targets") == -1)
		return;
	for (i = 0; i < seq->n_nkids; i++)
		if (target_item(&tb, seq->n_kids[i]) == -1)
			break;
	if (cc->cc_ntargets == 0 && !cfg_ctx_failed(cl->cl_ctx))
		cfg_node_error(cl->cl_ctx, seq, "targets: no targets");
	if (cc->cc_ntargets > 1) {
		if ((names = calloc(cc->cc_ntargets, sizeof(*names))) == NULL ||
		    (dup = calloc(cc->cc_ntargets, sizeof(*dup))) == NULL)
			goto nomem;
		for (i = 0; i < cc->cc_ntargets; i++)
			names[i] = cc->cc_targets[i].ct_name;
		if (cfg_dups_mark(names, cc->cc_ntargets, dup) == -1)
			goto nomem;
		for (i = 0; i < cc->cc_ntargets; i++)
			if (dup[i])
				cfg_errorf(cl->cl_ctx->cx_errs,
				    tb.tb_where[i].tw_file,
				    tb.tb_where[i].tw_line,
				    tb.tb_where[i].tw_col,
				    "duplicate target name %s",
				    cfg_str_describe(names[i], desc,
				    sizeof(desc)));
	}
	goto out;
nomem:
	cfg_node_error(cl->cl_ctx, seq, "targets: out of memory");
out:
	free(names);
	free(dup);
	free(tb.tb_where);
	for (i = 0; i < tb.tb_nfiles; i++)
		free(tb.tb_files[i]);
	free(tb.tb_files);
}
