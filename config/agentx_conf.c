/*
 * agentx_conf: agent.yaml's `agentx:` section (DESIGN.md "AgentX"): where
 * the master listens, the subtrees to register, the timeout offered in
 * Open.  It connects nowhere and looks at no file: the agent does that
 * when it starts, and reconnects as the master comes and goes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "config/agent_int.h"

static const char *const agentx_keys[] = { "master", "subtrees",
	"timeout_s", NULL };

void
cfg_agentx_free(struct cfg_agentx *ax)
{
	free(ax->cax_master);
	free(ax->cax_subtrees);
	memset(ax, 0, sizeof(*ax));
}

/* "tcp:HOST[:PORT]" (numeric), or an absolute path that fits sun_path. */
static void
agentx_master(struct cfg_ctx *ctx, struct cfg_agentx *ax,
    const struct cfg_node *v)
{
	struct sockaddr_un sun;
	char what[80], *text = NULL;
	const char *errstr = NULL;

	if (cfg_get_str(ctx, v, "master", &text) == -1)
		return;
	if (strncmp(text, "tcp:", 4) == 0) {
		if (addr_parse_endpoint(text + 4, CFG_AGENTX_PORT,
		    &ax->cax_addr, &ax->cax_addrlen, &errstr) == -1) {
			cfg_node_error(ctx, v, "master: invalid address %s: %s",
			    cfg_node_describe(v, what, sizeof(what)), errstr);
			free(text);
			return;
		}
		ax->cax_tcp = true;
	} else if (text[0] != '/' || strlen(text) >= sizeof(sun.sun_path)) {
		cfg_node_error(ctx, v, "master: expected tcp:HOST:PORT or an "
		    "absolute path of at most %zu octets, got %s",
		    sizeof(sun.sun_path) - 1, cfg_node_describe(v, what,
		    sizeof(what)));
		free(text);
		return;
	}
	free(ax->cax_master);
	ax->cax_master = text;
}

/* A list of OIDs (numbers or names of the OID contract), disjoint. */
static void
agentx_subtrees(struct cfg_ctx *ctx, struct cfg_agentx *ax,
    const struct cfg_node *seq)
{
	char what[80], what2[80];
	struct oid *o;
	const char *errstr = NULL;
	size_t i, j, n = 0;
	bool bad = false;

	if (cfg_expect_seq(ctx, seq, "subtrees") == -1)
		return;
	if (seq->n_nkids == 0 || seq->n_nkids > CFG_AGENTX_MAX_SUBTREES) {
		cfg_node_error(ctx, seq, "subtrees: expected 1 to %d OIDs, "
		    "got %zu", CFG_AGENTX_MAX_SUBTREES, seq->n_nkids);
		return;
	}
	if ((o = calloc(seq->n_nkids, sizeof(*o))) == NULL) {
		cfg_node_error(ctx, seq, "subtrees: out of memory");
		return;
	}
	for (i = 0; i < seq->n_nkids; i++) {
		const struct cfg_node *k = seq->n_kids[i];

		if (k->n_kind != CFG_NODE_SCALAR || cfg_is_null(k)) {
			cfg_node_error(ctx, k, "subtrees: expected an OID, "
			    "got %s", cfg_node_describe(k, what, sizeof(what)));
			bad = true;
			continue;
		}
		if (cfg_oid_parse(k->n_str, &o[i], &errstr) == -1) {
			cfg_node_error(ctx, k, "subtrees: invalid OID %s: %s",
			    cfg_node_describe(k, what, sizeof(what)), errstr);
			bad = true;
			continue;
		}
		/* A master would refuse the second registration. */
		for (j = 0; j < i; j++)
			if (o[j].o_len > 0 && (oid_is_prefix(&o[j], &o[i]) ||
			    oid_is_prefix(&o[i], &o[j]))) {
				cfg_node_error(ctx, k, "subtrees: %s overlaps "
				    "%s", cfg_node_describe(k, what,
				    sizeof(what)), cfg_node_describe(
				    seq->n_kids[j], what2, sizeof(what2)));
				bad = true;
			}
		n++;
	}
	if (bad) {
		free(o);
		return;
	}
	free(ax->cax_subtrees);
	ax->cax_subtrees = o;
	ax->cax_nsubtrees = n;
}

/* The defaults, so that a wrong key leaves a valid section behind. */
static int
agentx_defaults(struct cfg_agentx *ax)
{
	const char *errstr;

	cfg_agentx_free(ax);
	ax->cax_enabled = true;
	ax->cax_timeout_s = 5;
	if ((ax->cax_master = strdup(CFG_AGENTX_MASTER)) == NULL ||
	    (ax->cax_subtrees = calloc(1, sizeof(*ax->cax_subtrees))) == NULL)
		return -1;
	ax->cax_nsubtrees = 1;
	/* PROCTEL-MIB, as the OID contract names it. */
	return cfg_oid_parse("proctelMIB", ax->cax_subtrees, &errstr);
}

void
cfg_agentx_parse(struct cfg_ctx *ctx, struct cfg_agentx *ax,
    const struct cfg_node *n)
{
	const struct cfg_node *v;

	if (agentx_defaults(ax) == -1) {
		cfg_node_error(ctx, n, "agentx: out of memory");
		return;
	}
	/* `agentx:` alone (null) turns it on with every default. */
	if (cfg_is_null(n) || cfg_expect_map(ctx, n, "agentx") == -1)
		return;
	cfg_check_keys(ctx, n, agentx_keys, "agentx");
	if ((v = cfg_map_get(n, "master")) != NULL)
		agentx_master(ctx, ax, v);
	if ((v = cfg_map_get(n, "subtrees")) != NULL)
		agentx_subtrees(ctx, ax, v);
	/* o.timeout is one octet (RFC 2741 sec. 6.2.1). */
	if ((v = cfg_map_get(n, "timeout_s")) != NULL)
		(void)cfg_get_u32(ctx, v, "timeout_s", 0, 255,
		    &ax->cax_timeout_s);
}
