/*
 * agent_conf: agent.yaml (DESIGN.md, "Command lines and files") into struct
 * cfg_agent.  Every key absent from the file keeps its built-in default;
 * every problem is collected.  It does not bind, resolve names or look up
 * the `user`: the agent's main does that and reports its own errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/agent_int.h"
#include "config/yaml.h"
#include "lib/log.h"

/*
 * SNMP-COMMUNITY-MIB (RFC 3584) holds a community in an SnmpAdminString-
 * sized OCTET STRING: 255 bytes at most.
 */
#define CFG_COMMUNITY_MAX	255

static const char *const agent_keys[] = { "listen", "communities", "system",
	"cache_ttl_ms", "max_message_size", "expose_cmdline", "user", "log",
	"proc_root", "agentx", "engine_id", "state_dir", "users",
	"cmdline_budget_bytes", "max_bulk_varbinds", "reply_budget", NULL };
static const char *const community_keys[] = { "name", "allow", "view",
	NULL };
static const char *const system_keys[] = { "name", "contact", "location",
	NULL };
static const char *const log_keys[] = { "target", "level", NULL };
static const char *const budget_keys[] = { "bytes_per_second", "burst_bytes",
	"exempt", NULL };

/* Defaults, DESIGN.md and config/agent.yaml. */
#define CFG_CMDLINE_BUDGET	(4u << 20)
#define CFG_BULK_VARBINDS	100	/* snmpd's maxGetbulkResponses */
#define CFG_REPLY_RATE		(1u << 20)
#define CFG_REPLY_BURST		(4u << 20)
/* Ceiling of the byte counts: large enough, and far from wrapping. */
#define CFG_BYTES_MAX		(1u << 30)

static void
agent_listen_free(struct cfg_agent *ca)
{
	size_t i;

	for (i = 0; i < ca->ca_nlisten; i++)
		free(ca->ca_listen[i].cl_text);
	free(ca->ca_listen);
	ca->ca_listen = NULL;
	ca->ca_nlisten = 0;
}

static void
agent_communities_free(struct cfg_agent *ca)
{
	size_t i;

	for (i = 0; i < ca->ca_ncommunities; i++) {
		free(ca->ca_communities[i].cc_name);
		free(ca->ca_communities[i].cc_allow);
		cfg_view_free(&ca->ca_communities[i].cc_view);
	}
	free(ca->ca_communities);
	ca->ca_communities = NULL;
	ca->ca_ncommunities = 0;
}

void
cfg_agent_free(struct cfg_agent *ca)
{
	if (ca == NULL)
		return;
	agent_listen_free(ca);
	agent_communities_free(ca);
	free(ca->ca_sys_name);
	free(ca->ca_sys_contact);
	free(ca->ca_sys_location);
	free(ca->ca_user);
	free(ca->ca_proc_root);
	cfg_agentx_free(&ca->ca_agentx);
	cfg_agent_v3_free(ca);
	free(ca->ca_reply_exempt);
	free(ca);
}

static int
agent_add_listen(struct cfg_agent *ca, const char *text)
{
	struct cfg_listen *l;
	const char *errstr;

	l = reallocarray(ca->ca_listen, ca->ca_nlisten + 1, sizeof(*l));
	if (l == NULL)
		return -1;
	ca->ca_listen = l;
	l = &ca->ca_listen[ca->ca_nlisten];
	memset(l, 0, sizeof(*l));
	if (addr_parse_endpoint(text, 161, &l->cl_addr, &l->cl_addrlen,
	    &errstr) == -1)
		return -1;
	if ((l->cl_text = strdup(text)) == NULL)
		return -1;
	ca->ca_nlisten++;
	return 0;
}

/* Loopback, IPv4 and IPv6, as a new prefix list; 0 or -1. */
static int
agent_loopback(struct addr_cidr **list, size_t *n)
{
	free(*list);
	*n = 0;
	if ((*list = calloc(2, sizeof(**list))) == NULL)
		return -1;
	if (addr_parse_cidr("127.0.0.0/8", &(*list)[0], NULL) == -1 ||
	    addr_parse_cidr("::1/128", &(*list)[1], NULL) == -1)
		return -1;
	*n = 2;
	return 0;
}

/* The loopback community every fresh install answers, and nothing else. */
static int
agent_default_community(struct cfg_community *cc, bool with_name)
{
	cc->cc_view.cv_all = true;
	if (with_name && (cc->cc_name = strdup("public")) == NULL)
		return -1;
	return agent_loopback(&cc->cc_allow, &cc->cc_nallow);
}

struct cfg_agent *
cfg_agent_defaults(void)
{
	struct cfg_agent *ca;

	if ((ca = calloc(1, sizeof(*ca))) == NULL)
		return NULL;
	if (agent_add_listen(ca, "127.0.0.1:161") == -1 ||
	    agent_add_listen(ca, "[::1]:161") == -1)
		goto fail;
	if ((ca->ca_communities = calloc(1, sizeof(*ca->ca_communities)))
	    == NULL)
		goto fail;
	ca->ca_ncommunities = 1;
	if (agent_default_community(&ca->ca_communities[0], true) == -1)
		goto fail;
	if ((ca->ca_sys_contact = strdup("")) == NULL ||
	    (ca->ca_sys_location = strdup("")) == NULL ||
	    (ca->ca_proc_root = strdup("/proc")) == NULL ||
	    cfg_agent_v3_defaults(ca) == -1)
		goto fail;
	ca->ca_cache_ttl_ms = 1000;
	ca->ca_max_message_size = 1472;
	ca->ca_expose_cmdline = false;
	ca->ca_log_syslog = false;
	ca->ca_log_level = LOG_LEVEL_INFO;
	ca->ca_cmdline_budget = CFG_CMDLINE_BUDGET;
	ca->ca_max_bulk_varbinds = CFG_BULK_VARBINDS;
	ca->ca_reply_rate = CFG_REPLY_RATE;
	ca->ca_reply_burst = CFG_REPLY_BURST;
	if (agent_loopback(&ca->ca_reply_exempt, &ca->ca_nreply_exempt) == -1)
		goto fail;
	return ca;
fail:
	cfg_agent_free(ca);
	return NULL;
}

static void
agent_listen(struct cfg_ctx *ctx, struct cfg_agent *ca,
    const struct cfg_node *seq)
{
	char what[80];
	char **texts = NULL;
	bool *dup = NULL;
	const struct cfg_node **at = NULL;
	size_t i;

	if (cfg_expect_seq(ctx, seq, "listen") == -1)
		return;
	agent_listen_free(ca);
	/* Empty: valid with agentx on, which agent_fill checks after. */
	if (seq->n_nkids == 0)
		return;
	if ((at = calloc(seq->n_nkids, sizeof(*at))) == NULL)
		goto nomem;
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *n = seq->n_kids[i];
		struct cfg_listen *l;
		const char *errstr;

		if (n->n_kind != CFG_NODE_SCALAR || cfg_is_null(n)) {
			cfg_node_error(ctx, n, "listen: expected an address, "
			    "got %s", cfg_node_describe(n, what, sizeof(what)));
			continue;
		}
		l = reallocarray(ca->ca_listen, ca->ca_nlisten + 1,
		    sizeof(*l));
		if (l == NULL)
			goto nomem;
		ca->ca_listen = l;
		l = &ca->ca_listen[ca->ca_nlisten];
		memset(l, 0, sizeof(*l));
		if (addr_parse_endpoint(n->n_str, 161, &l->cl_addr,
		    &l->cl_addrlen, &errstr) == -1) {
			cfg_node_error(ctx, n, "listen: invalid address %s: %s",
			    cfg_node_describe(n, what, sizeof(what)), errstr);
			continue;
		}
		if ((l->cl_text = strdup(n->n_str)) == NULL)
			goto nomem;
		at[ca->ca_nlisten++] = n;
	}
	/* Binding one address twice would fail at start-up; say it here. */
	if ((texts = calloc(ca->ca_nlisten + 1, sizeof(*texts))) == NULL ||
	    (dup = calloc(ca->ca_nlisten + 1, sizeof(*dup))) == NULL)
		goto nomem;
	for (i = 0; i < ca->ca_nlisten; i++) {
		char buf[80];

		addr_format((const struct sockaddr *)&ca->ca_listen[i].cl_addr,
		    buf, sizeof(buf));
		if ((texts[i] = strdup(buf)) == NULL)
			goto nomem;
	}
	if (cfg_dups_mark(texts, ca->ca_nlisten, dup) == -1)
		goto nomem;
	for (i = 0; i < ca->ca_nlisten; i++)
		if (dup[i])
			cfg_node_error(ctx, at[i], "listen: duplicate address "
			    "%s", texts[i]);
	goto out;
nomem:
	cfg_node_error(ctx, seq, "listen: out of memory");
out:
	if (texts != NULL)
		for (i = 0; i < ca->ca_nlisten; i++)
			free(texts[i]);
	free(texts);
	free(dup);
	free(at);
}

/* A list of address prefixes (allow, exempt) replacing *list. */
static void
agent_prefixes(struct cfg_ctx *ctx, const struct cfg_node *seq,
    const char *key, struct addr_cidr **list, size_t *np)
{
	char what[80];
	size_t i;

	if (cfg_expect_seq(ctx, seq, key) == -1)
		return;
	free(*list);
	*list = NULL;
	*np = 0;
	if (seq->n_nkids == 0)
		return;
	if ((*list = calloc(seq->n_nkids, sizeof(**list))) == NULL) {
		cfg_node_error(ctx, seq, "%s: out of memory", key);
		return;
	}
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *n = seq->n_kids[i];
		const char *errstr;

		if (n->n_kind != CFG_NODE_SCALAR || cfg_is_null(n)) {
			cfg_node_error(ctx, n, "%s: expected a prefix, got %s",
			    key, cfg_node_describe(n, what, sizeof(what)));
			continue;
		}
		if (addr_parse_cidr(n->n_str, &(*list)[*np], &errstr) == -1) {
			cfg_node_error(ctx, n, "%s: invalid prefix %s: %s", key,
			    cfg_node_describe(n, what, sizeof(what)), errstr);
			continue;
		}
		(*np)++;
	}
}

static void
agent_communities(struct cfg_ctx *ctx, struct cfg_agent *ca,
    const struct cfg_node *seq)
{
	char what[80];
	size_t i;

	if (cfg_expect_seq(ctx, seq, "communities") == -1)
		return;
	agent_communities_free(ca);
	if (seq->n_nkids == 0) {
		cfg_node_error(ctx, seq, "communities: empty list");
		return;
	}
	ca->ca_communities = calloc(seq->n_nkids, sizeof(*ca->ca_communities));
	if (ca->ca_communities == NULL)
		goto nomem;
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *m = seq->n_kids[i], *v;
		struct cfg_community *cc =
		    &ca->ca_communities[ca->ca_ncommunities];

		cc->cc_view.cv_all = true;
		if (cfg_expect_map(ctx, m, "communities") == -1)
			continue;
		cfg_check_keys(ctx, m, community_keys, "community");
		v = cfg_map_get(m, "name");
		ca->ca_ncommunities++;
		if (v == NULL)
			cfg_node_error(ctx, m, "community: missing name");
		else if (cfg_get_str(ctx, v, "name", &cc->cc_name) == 0) {
			if (cc->cc_name[0] == '\0')
				cfg_node_error(ctx, v, "name: empty community");
			else if (strlen(cc->cc_name) > CFG_COMMUNITY_MAX)
				cfg_node_error(ctx, v, "name: %s is longer "
				    "than %d bytes", cfg_node_describe(v, what,
				    sizeof(what)), CFG_COMMUNITY_MAX);
		}
		/*
		 * No allow list means loopback only, as in the defaults; an
		 * explicit empty list means nobody.
		 */
		if ((v = cfg_map_get(m, "allow")) == NULL) {
			if (agent_default_community(cc, false) == -1)
				goto nomem;
		} else
			agent_prefixes(ctx, v, "allow", &cc->cc_allow,
			    &cc->cc_nallow);
		if ((v = cfg_map_get(m, "view")) != NULL)
			cfg_view_parse(ctx, v, &cc->cc_view);
	}
	/*
	 * A name may come back with other allow lists and views, as snmpd's
	 * rocommunity lines do; the first entry that admits a source decides
	 * (engine.c).
	 */
	return;
nomem:
	cfg_node_error(ctx, seq, "communities: out of memory");
}

static void
agent_system(struct cfg_ctx *ctx, struct cfg_agent *ca,
    const struct cfg_node *m)
{
	const struct cfg_node *v;

	if (cfg_expect_map(ctx, m, "system") == -1)
		return;
	cfg_check_keys(ctx, m, system_keys, "system");
	if ((v = cfg_map_get(m, "name")) != NULL)
		(void)cfg_get_str(ctx, v, "name", &ca->ca_sys_name);
	if ((v = cfg_map_get(m, "contact")) != NULL)
		(void)cfg_get_str(ctx, v, "contact", &ca->ca_sys_contact);
	if ((v = cfg_map_get(m, "location")) != NULL)
		(void)cfg_get_str(ctx, v, "location", &ca->ca_sys_location);
}

static void
agent_log(struct cfg_ctx *ctx, struct cfg_agent *ca, const struct cfg_node *m)
{
	const struct cfg_node *v;
	char what[80];
	int level;

	if (cfg_expect_map(ctx, m, "log") == -1)
		return;
	cfg_check_keys(ctx, m, log_keys, "log");
	if ((v = cfg_map_get(m, "target")) != NULL) {
		if (v->n_kind == CFG_NODE_SCALAR &&
		    strcmp(v->n_str, "stderr") == 0)
			ca->ca_log_syslog = false;
		else if (v->n_kind == CFG_NODE_SCALAR &&
		    strcmp(v->n_str, "syslog") == 0)
			ca->ca_log_syslog = true;
		else
			cfg_node_error(ctx, v, "target: expected stderr or "
			    "syslog, got %s", cfg_node_describe(v, what,
			    sizeof(what)));
	}
	if ((v = cfg_map_get(m, "level")) != NULL) {
		if (v->n_kind == CFG_NODE_SCALAR &&
		    (level = log_level_parse(v->n_str)) != -1)
			ca->ca_log_level = level;
		else
			cfg_node_error(ctx, v, "level: expected error, warn, "
			    "info or debug, got %s", cfg_node_describe(v, what,
			    sizeof(what)));
	}
}

/*
 * reply_budget.  burst_bytes below max_message_size would refuse the
 * largest reply for good; agent_fill() checks that once both are known.
 */
static void
agent_budget(struct cfg_ctx *ctx, struct cfg_agent *ca,
    const struct cfg_node *m)
{
	const struct cfg_node *v;

	if (cfg_expect_map(ctx, m, "reply_budget") == -1)
		return;
	cfg_check_keys(ctx, m, budget_keys, "reply_budget");
	if ((v = cfg_map_get(m, "bytes_per_second")) != NULL)
		(void)cfg_get_u32(ctx, v, "bytes_per_second", 0, CFG_BYTES_MAX,
		    &ca->ca_reply_rate);
	if ((v = cfg_map_get(m, "burst_bytes")) != NULL)
		(void)cfg_get_u32(ctx, v, "burst_bytes", 484, CFG_BYTES_MAX,
		    &ca->ca_reply_burst);
	if ((v = cfg_map_get(m, "exempt")) != NULL)
		agent_prefixes(ctx, v, "exempt", &ca->ca_reply_exempt,
		    &ca->ca_nreply_exempt);
}

static void
agent_fill(struct cfg_ctx *ctx, struct cfg_agent *ca,
    const struct cfg_node *root)
{
	const struct cfg_node *v;

	cfg_check_keys(ctx, root, agent_keys, "agent config");
	if ((v = cfg_map_get(root, "listen")) != NULL)
		agent_listen(ctx, ca, v);
	if ((v = cfg_map_get(root, "communities")) != NULL)
		agent_communities(ctx, ca, v);
	if ((v = cfg_map_get(root, "system")) != NULL)
		agent_system(ctx, ca, v);
	if ((v = cfg_map_get(root, "cache_ttl_ms")) != NULL)
		(void)cfg_get_u32(ctx, v, "cache_ttl_ms", 0, 3600000,
		    &ca->ca_cache_ttl_ms);
	/*
	 * RFC 3417 section 3.2: every agent must accept 484-byte messages;
	 * 65507 is the largest UDP payload over IPv4.
	 */
	if ((v = cfg_map_get(root, "max_message_size")) != NULL)
		(void)cfg_get_u32(ctx, v, "max_message_size", 484, 65507,
		    &ca->ca_max_message_size);
	if ((v = cfg_map_get(root, "expose_cmdline")) != NULL)
		(void)cfg_get_bool(ctx, v, "expose_cmdline",
		    &ca->ca_expose_cmdline);
	/* `user: ~` spells out the default: do not drop privileges. */
	if ((v = cfg_map_get(root, "user")) != NULL && !cfg_is_null(v)) {
		if (cfg_get_str(ctx, v, "user", &ca->ca_user) == 0 &&
		    ca->ca_user[0] == '\0')
			cfg_node_error(ctx, v, "user: empty user name");
	}
	if ((v = cfg_map_get(root, "log")) != NULL)
		agent_log(ctx, ca, v);
	if ((v = cfg_map_get(root, "proc_root")) != NULL) {
		if (cfg_get_str(ctx, v, "proc_root", &ca->ca_proc_root) == 0 &&
		    ca->ca_proc_root[0] == '\0')
			cfg_node_error(ctx, v, "proc_root: empty path");
	}
	if ((v = cfg_map_get(root, "agentx")) != NULL)
		cfg_agentx_parse(ctx, &ca->ca_agentx, v);
	/* With neither UDP nor AgentX the agent would serve nobody. */
	if ((v = cfg_map_get(root, "listen")) != NULL &&
	    v->n_kind == CFG_NODE_SEQ && v->n_nkids == 0 &&
	    !ca->ca_agentx.cax_enabled)
		cfg_node_error(ctx, v, "listen: empty list (only valid with "
		    "agentx)");
	cfg_agent_v3_fill(ctx, ca, root);
	if ((v = cfg_map_get(root, "cmdline_budget_bytes")) != NULL)
		(void)cfg_get_u32(ctx, v, "cmdline_budget_bytes", 0,
		    CFG_BYTES_MAX, &ca->ca_cmdline_budget);
	/* RFC 3416 sets no cap; snmpd's maxGetbulkResponses is 100. */
	if ((v = cfg_map_get(root, "max_bulk_varbinds")) != NULL)
		(void)cfg_get_u32(ctx, v, "max_bulk_varbinds", 1, 10000,
		    &ca->ca_max_bulk_varbinds);
	if ((v = cfg_map_get(root, "reply_budget")) != NULL) {
		agent_budget(ctx, ca, v);
		if (ca->ca_reply_rate > 0 &&
		    ca->ca_reply_burst < ca->ca_max_message_size)
			cfg_node_error(ctx, v, "reply_budget: burst_bytes %u "
			    "is below max_message_size %u, so the largest "
			    "reply could never be sent", ca->ca_reply_burst,
			    ca->ca_max_message_size);
	}
}

struct cfg_agent *
cfg_agent_load_buf(const char *name, const char *buf, size_t len,
    struct cfg_errors *errs)
{
	struct cfg_errors local = { NULL, 0, 0 };
	struct cfg_ctx ctx;
	struct cfg_node *root = NULL;
	struct cfg_agent *ca = NULL;

	if (errs == NULL)
		errs = &local;
	memset(&ctx, 0, sizeof(ctx));
	ctx.cx_file = name != NULL ? name : "agent.yaml";
	ctx.cx_errs = errs;
	ctx.cx_start = cfg_errors_total(errs);
	ctx.cx_first = errs->ce_count;

	if (cfg_yaml_parse(&ctx, buf, len, &root) == -1)
		goto fail;
	if ((ca = cfg_agent_defaults()) == NULL) {
		cfg_errorf(errs, ctx.cx_file, 0, 0, "out of memory");
		goto fail;
	}
	/* An empty file is a valid config: all defaults. */
	if (root != NULL && cfg_expect_map(&ctx, root, "agent config") == 0)
		agent_fill(&ctx, ca, root);
	if (cfg_ctx_failed(&ctx)) {
		cfg_errors_sort(errs, ctx.cx_first, ctx.cx_file);
		goto fail;
	}
	cfg_node_free(root);
	cfg_errors_free(&local);
	return ca;
fail:
	cfg_node_free(root);
	cfg_agent_free(ca);
	cfg_errors_free(&local);
	return NULL;
}

/* The file could not be read: one error naming it, with errno's text. */
static void
agent_file_error(struct cfg_errors *errs, const char *path)
{
	struct cfg_errors local = { NULL, 0, 0 };

	cfg_errorf(errs != NULL ? errs : &local, path, 0, 0, "%s",
	    strerror(errno));
	cfg_errors_free(&local);
}

struct cfg_agent *
cfg_agent_load(const char *path, bool must_exist, struct cfg_errors *errs)
{
	struct cfg_agent *ca;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && !must_exist)
			return cfg_agent_defaults();
		agent_file_error(errs, path);
		return NULL;
	}
	ca = cfg_agent_load_fd(path, fd, errs);
	close(fd);
	return ca;
}

struct cfg_agent *
cfg_agent_load_fd(const char *path, int fd, struct cfg_errors *errs)
{
	struct cfg_agent *ca;
	char *buf;
	size_t len;

	if (cfg_read_fd(fd, &buf, &len) == -1) {
		agent_file_error(errs, path);
		return NULL;
	}
	ca = cfg_agent_load_buf(path, buf, len, errs);
	free(buf);
	return ca;
}
