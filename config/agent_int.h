/*
 * agent_int: what agent_conf.c shares with agent_v3.c (SNMPv3 users,
 * views) and agentx_conf.c (the `agentx:` section) while one agent.yaml
 * loads.  Private to config/.
 */
#ifndef PT_CONFIG_AGENT_INT_H
#define PT_CONFIG_AGENT_INT_H

#include "config/config.h"
#include "config/yaml.h"

/* Fill ca's SNMPv3 settings from the root map (absent keys: defaults). */
void	cfg_agent_v3_fill(struct cfg_ctx *ctx, struct cfg_agent *ca,
	    const struct cfg_node *root);
/* The defaults: no engine ID (generated), state_dir, no users.  -1: ENOMEM. */
int	cfg_agent_v3_defaults(struct cfg_agent *ca);
void	cfg_agent_v3_free(struct cfg_agent *ca);

/*
 * `view:` at node n (a list of OIDs or OID names) into v, which starts as
 * "everything" when the key is absent.  Errors are collected.
 */
void	cfg_view_parse(struct cfg_ctx *ctx, const struct cfg_node *n,
	    struct cfg_view *v);
void	cfg_view_free(struct cfg_view *v);

/*
 * Turn ax on and fill it from n: a mapping of master, subtrees and
 * timeout_s, or null (`agentx:` alone) for every default.  Errors go to
 * ctx; ax is left valid (defaults where a key was wrong).
 */
void	cfg_agentx_parse(struct cfg_ctx *ctx, struct cfg_agentx *ax,
	    const struct cfg_node *n);
/* Free what parse allocated; ax is zeroed.  A zeroed ax is a no-op. */
void	cfg_agentx_free(struct cfg_agentx *ax);

#endif
